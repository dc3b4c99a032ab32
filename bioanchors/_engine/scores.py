"""Normal scores: the randomness every method shares (``d x size`` blocks, one per chunk).

* ``"mc"``: every input's column (or correlated group's block) comes from its own
  ``numpy.random.Generator`` seeded by ``SeedSequence(seed, (*key, chunk))``. A column that
  only uniform, log-uniform and mixture-distribution inputs read, outside correlated groups
  (:func:`uniform_columns`), holds uniforms in ``[0, 1)`` drawn directly (``Generator.random``,
  ~1.5 ns) rather than normal scores that the inputs would map through ``ndtr`` (~18 ns);
* ``"qmc"``: scrambled Sobol points (``scipy.stats.qmc``) mapped through the normal inverse
  CDF, chunk ``k`` starting ``k`` chunks into one sequence (:func:`skip_sobol` jumps there in
  O(log k)), correlated columns multiplied by their Cholesky factor (a Gaussian copula).
"""

from __future__ import annotations

import warnings
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.program import LeafStep, MixStep, Program, Stream
from bioanchors._engine.seeds import stream_generators
from bioanchors._graph.distributions import Loguniform, Mixture, Uniform, ndtri
from bioanchors._graph.uncertain import digest
from bioanchors._typing import Method
from bioanchors.errors import SamplingError

__all__ = [
    "McBlocks",
    "check_dimension",
    "draws_uniform",
    "scores",
    "skip_sobol",
    "uniform_columns",
]

FloatArray: TypeAlias = NDArray[np.float64]
_SOBOL_MAX_DIMENSION = 21201  # scipy's table of Sobol direction numbers


def check_dimension(program: Program, method: Method) -> None:
    """Refuse QMC beyond the dimensions scipy's Sobol engine has direction numbers for."""
    if method == "qmc" and program.dimension > _SOBOL_MAX_DIMENSION:
        raise SamplingError(
            f"method='qmc' supports at most {_SOBOL_MAX_DIMENSION} random inputs (scipy's "
            f"Sobol tables); this graph has {program.dimension}: use method='mc'"
        )


def draws_uniform(dist: object) -> bool:
    """True for a distribution that Monte Carlo draws from a uniform when its input is
    independent (uniform, log-uniform, a mixture of distributions): it reads one through its
    inverse CDF."""
    return isinstance(dist, Uniform | Loguniform | Mixture)


def uniform_columns(program: Program) -> frozenset[int]:
    """The columns that Monte Carlo fills with uniforms instead of normal scores (see
    :func:`_uniform_columns`), worked out once per program."""
    found: frozenset[int] | None = program.__dict__.get("_uniform_columns")
    if found is None:
        found = _uniform_columns(program)
        program.__dict__["_uniform_columns"] = found  # a frozen program: a cache, not a field
    return found


def _uniform_columns(program: Program) -> frozenset[int]:
    """The columns that Monte Carlo fills with uniforms instead of normal scores.

    A column qualifies when its input draws from a stream of its own (no correlated group: the
    copula needs normal scores) and every step reading it is a uniform, log-uniform or
    mixture-distribution input, which all read a uniform through their inverse CDF. The rule
    reads the graph's own steps only, so an input keyed alike with an input of another kind
    in the same graph still shares normal scores with it (one random variable).
    """
    independent = {s.columns[0] for s in program.streams if s.factor is None}
    eligible: set[int] = set()
    refused: set[int] = set()
    for step in program.instructions:
        if isinstance(step, LeafStep):
            fits = draws_uniform(step.dist)
            (eligible if fits else refused).add(step.column)
        elif isinstance(step, MixStep):
            refused.add(step.column)
    return frozenset((eligible - refused) & independent)


def scores(
    program: Program,
    method: Method,
    seed: int,
    start: int,
    size: int,
    chunk: int,
    uniform: frozenset[int] = frozenset(),
) -> FloatArray:
    """Normal scores for samples ``start .. start+size`` (chunk number ``chunk``): ``d x size``.

    In Monte Carlo, the columns ``uniform`` (a subset of :func:`uniform_columns`) hold uniforms
    in ``[0, 1)`` instead.
    """
    d = program.dimension
    if d == 0:
        return np.empty((0, size))
    if method == "mc":
        return _mc_scores(program.streams, d, seed, size, chunk, uniform)
    else:
        from scipy.stats import qmc

        # The scrambling depends on the seed and on which inputs the graph holds: two graphs
        # of different inputs get independent designs (not one design's same column).
        engine = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(_qmc_seed(program, seed)))
        if start:
            skip_sobol(engine, start)
        with warnings.catch_warnings():
            # Sobol points are balanced for powers of 2; other n still work, a bit less evenly.
            warnings.simplefilter("ignore", UserWarning)
            u = engine.random(size)
        tiny = np.finfo(np.float64).eps / 4
        z = np.ascontiguousarray(ndtri(np.clip(u, tiny, 1.0 - tiny)).T)
    for factor, cols in program.groups:
        z[list(cols)] = factor @ z[list(cols)]
    return z


def _mc_scores(
    streams: tuple[Stream, ...],
    d: int,
    seed: int,
    size: int,
    chunk: int,
    uniform: frozenset[int] = frozenset(),
) -> FloatArray:
    """Monte Carlo scores: every stream draws from ``SeedSequence(seed, (*key, chunk))``.

    A column is a function of the seed, its input's key and the chunk alone, so separate
    calls with one seed draw independent inputs independently and shared inputs alike.
    """
    return McBlocks(streams, seed, size, chunk, uniform).block(0, size, np.empty((d, size)))


class McBlocks:
    """One chunk's Monte Carlo scores, block by block: :meth:`block` fills the scores of
    samples ``lo .. hi`` of the chunk, asked for in order.

    An independent column is drawn as its block is asked for, from the generator its stream
    seeds once per chunk: a generator's draws in consecutive pieces are its draws in one call,
    bit for bit, so a block's scores do not depend on the block length. A correlated group's
    draws are made whole (``group x size``: how a group's rows divide its stream's draws
    depends on the chunk's length, not the block's), and each block multiplies its columns of
    them by the group's Cholesky factor: the whole group's product, then its rows, bit for bit
    the same whichever members a graph holds. A chunk asked for in one block, of a group whose
    every member sits in adjacent rows, draws the group straight into those rows and
    multiplies them in place, a few hundred columns at a time: no second ``group x size``
    array.
    """

    def __init__(
        self,
        streams: tuple[Stream, ...],
        seed: int,
        size: int,
        chunk: int,
        uniform: frozenset[int] = frozenset(),
    ) -> None:
        self._size = size
        self._columns: list[tuple[int, np.random.Generator, bool]] = []
        self._groups: list[_Group] = []
        generators = stream_generators(seed, [stream.key for stream in streams], chunk)
        for stream, generator in zip(streams, generators, strict=True):
            if stream.factor is None:
                column = stream.columns[0]
                self._columns.append((column, generator, column in uniform))
            else:
                self._groups.append(_Group(stream, generator))

    def block(self, lo: int, hi: int, out: FloatArray) -> FloatArray:
        """The scores of samples ``lo .. hi`` (``d x (hi - lo)``), written into ``out``."""
        length = hi - lo
        for column, generator, direct in self._columns:
            if direct:
                generator.random(length, out=out[column])
            else:
                generator.standard_normal(length, out=out[column])
        for group in self._groups:
            if length == self._size and group.rows is not None:
                group.in_place(out[group.rows])
                continue
            draws = group.draws(self._size)
            part = draws if length == self._size else draws[:, lo:hi]
            if group.rows is not None:  # every member, in adjacent rows: straight into them
                np.matmul(group.factor, part, out=out[group.rows])
            else:
                out[group.columns] = (group.factor @ part)[group.positions]
        return out


_PRODUCT_BYTES = 1 << 23  # most bytes of one slice of a group's product made in place


class _Group:
    """A correlated group's stream in one chunk: its generator, factor and rows."""

    def __init__(self, stream: Stream, generator: np.random.Generator) -> None:
        assert stream.factor is not None
        self.factor: FloatArray = stream.factor
        self.columns, self.positions = list(stream.columns), list(stream.positions)
        first, count = self.columns[0], len(self.columns)
        adjacent = self.columns == list(range(first, first + count))
        whole = self.positions == list(range(len(self.factor)))
        self.rows: slice | None = slice(first, first + count) if adjacent and whole else None
        self._generator = generator
        self._draws: FloatArray | None = None

    def draws(self, size: int) -> FloatArray:
        """The group's normal draws for the chunk (``group x size``), made once."""
        if self._draws is None:
            self._draws = self._generator.standard_normal((len(self.factor), size))
        return self._draws

    def in_place(self, rows: FloatArray) -> None:
        """The whole chunk's scores into ``rows`` (``group x size``): drawn there as one
        ``group x size`` draw, then multiplied by the factor a slice of columns at a time."""
        self._generator.standard_normal(out=rows)
        size = rows.shape[1]
        width = max(256, _PRODUCT_BYTES // (8 * len(self.factor)))
        product = np.empty((len(self.factor), min(width, size)))
        for start in range(0, size, width):
            part = rows[:, start : start + width]
            done = np.matmul(self.factor, part, out=product[:, : part.shape[1]])
            part[...] = done


def _qmc_seed(program: Program, seed: int) -> np.random.SeedSequence:
    keys = tuple(key for stream in program.streams for key in (*stream.key, len(stream.columns)))
    return np.random.SeedSequence(seed, spawn_key=(digest(keys),))


def skip_sobol(engine: Any, count: int) -> None:
    """``engine.fast_forward(count)`` for a fresh scipy Sobol engine, in O(log count) steps.

    scipy steps through every skipped point (O(count)), which makes chunk ``k`` of a QMC run cost
    O(k) and a run of many chunks quadratic. A Sobol point is the XOR of the direction numbers
    picked by the Gray code of its index, so the state after ``count`` points can be set
    directly. This reads scipy's private state (``_sv``, ``_shift``, ``_quasi``): if that is
    missing, fall back to ``fast_forward`` (a test checks both agree bit for bit).
    """
    try:
        directions, quasi = engine._sv, engine._shift.copy()
        engine._quasi  # noqa: B018  (the state we are about to set must exist)
    except AttributeError:
        engine.fast_forward(count)
        return
    if engine.num_generated != 0:
        raise SamplingError("skip_sobol needs a fresh Sobol engine")
    last = count - 1  # the engine's state is the last point it produced
    gray, bit = last ^ (last >> 1), 0
    while gray:
        if gray & 1:
            quasi ^= directions[:, bit]
        gray >>= 1
        bit += 1
    engine._quasi = quasi
    engine.num_generated = count
