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
from bioanchors._engine.seeds import stream_generator
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
    bit for bit, so a block's scores do not depend on the block length. A correlated group is
    drawn whole when the chunk starts (``group x size``: how a group's rows divide its stream's
    draws depends on the chunk's length, not the block's), and each block multiplies its
    columns of that draw by the group's Cholesky factor: the whole group's product, then its
    rows, bit for bit the same whichever members a graph holds.
    """

    def __init__(
        self,
        streams: tuple[Stream, ...],
        seed: int,
        size: int,
        chunk: int,
        uniform: frozenset[int] = frozenset(),
    ) -> None:
        self._columns: list[tuple[int, np.random.Generator, bool]] = []
        self._groups: list[tuple[FloatArray, FloatArray, list[int], list[int]]] = []
        for stream in streams:
            generator = stream_generator(seed, stream.key, chunk)
            if stream.factor is None:
                column = stream.columns[0]
                self._columns.append((column, generator, column in uniform))
            else:
                draws = generator.standard_normal((stream.factor.shape[0], size))
                self._groups.append(
                    (draws, stream.factor, list(stream.columns), list(stream.positions))
                )

    def block(self, lo: int, hi: int, out: FloatArray) -> FloatArray:
        """The scores of samples ``lo .. hi`` (``d x (hi - lo)``), written into ``out``."""
        length = hi - lo
        for column, generator, direct in self._columns:
            if direct:
                generator.random(length, out=out[column])
            else:
                generator.standard_normal(length, out=out[column])
        for draws, factor, columns, positions in self._groups:
            group = draws if length == draws.shape[1] else draws[:, lo:hi]
            first = columns[0]
            if positions == list(range(len(factor))) and columns == list(
                range(first, first + len(columns))
            ):  # every member, in adjacent rows: the product straight into them
                np.matmul(factor, group, out=out[first : first + len(columns)])
            else:
                out[columns] = (factor @ group)[positions]
        return out


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
