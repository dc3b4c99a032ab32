"""Normal scores: the randomness every method shares (``d x size`` blocks, one per chunk).

* ``"mc"``: every input's column (or correlated group's block) comes from its own
  ``numpy.random.Generator`` seeded by ``SeedSequence(seed, (*key, chunk))``;
* ``"qmc"``: scrambled Sobol points (``scipy.stats.qmc``) mapped through the normal inverse
  CDF, chunk ``k`` starting ``k`` chunks into one sequence (:func:`skip_sobol` jumps there in
  O(log k)), correlated columns multiplied by their Cholesky factor (a Gaussian copula).
"""

from __future__ import annotations

import warnings
from typing import Any, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.program import Program, Stream
from bioanchors._engine.seeds import stream_generator
from bioanchors._graph.distributions import ndtri
from bioanchors._graph.uncertain import digest
from bioanchors._typing import Method
from bioanchors.errors import SamplingError

__all__ = ["check_dimension", "scores", "skip_sobol"]

FloatArray: TypeAlias = NDArray[np.float64]
_SOBOL_MAX_DIMENSION = 21201  # scipy's table of Sobol direction numbers


def check_dimension(program: Program, method: Method) -> None:
    """Refuse QMC beyond the dimensions scipy's Sobol engine has direction numbers for."""
    if method == "qmc" and program.dimension > _SOBOL_MAX_DIMENSION:
        raise SamplingError(
            f"method='qmc' supports at most {_SOBOL_MAX_DIMENSION} random inputs (scipy's "
            f"Sobol tables); this graph has {program.dimension}: use method='mc'"
        )


def scores(
    program: Program, method: Method, seed: int, start: int, size: int, chunk: int
) -> FloatArray:
    """Normal scores for samples ``start .. start+size`` (chunk number ``chunk``): ``d x size``."""
    d = program.dimension
    if d == 0:
        return np.empty((0, size))
    if method == "mc":
        return _mc_scores(program.streams, d, seed, size, chunk)
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


def _mc_scores(streams: tuple[Stream, ...], d: int, seed: int, size: int, chunk: int) -> FloatArray:
    """Monte Carlo scores: every stream draws from ``SeedSequence(seed, (*key, chunk))``.

    A column is a function of the seed, its input's key and the chunk alone, so separate
    calls with one seed draw independent inputs independently and shared inputs alike.
    """
    z = np.empty((d, size))
    for stream in streams:
        generator = stream_generator(seed, stream.key, chunk)
        if stream.factor is None:
            generator.standard_normal(size, out=z[stream.columns[0]])
        else:
            block = generator.standard_normal((stream.factor.shape[0], size))
            # The whole group's product, then its rows: bit for bit the same whichever
            # members a graph holds.
            z[list(stream.columns)] = (stream.factor @ block)[list(stream.positions)]
    return z


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
