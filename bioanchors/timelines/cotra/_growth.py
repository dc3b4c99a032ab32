"""Saturating growth and algorithmic progress by year, shared by the affordability trends and
both paths of P(TAI by year) (:mod:`bioanchors.timelines.cotra.affordability`).

:func:`saturating_log10` is the smooth cap of Cotra's (2020) hardware and algorithmic trends;
:func:`progress_table` is each anchor's algorithmic progress by each year, computed row by row
with the arithmetic of :func:`own_progress` (a schedule per sample), so both paths see the
very same numbers.
"""

from __future__ import annotations

import functools
import math
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors.timelines.cotra.params import AffordabilityParams
from bioanchors.timelines.cotra.progress import anchor_schedules, schedule

__all__ = ["LOG10_2", "own_progress", "progress_table", "saturating_log10"]

LOG10_2: Final[float] = math.log10(2.0)
_LN10: Final[float] = math.log(10.0)


def saturating_log10(log10_growth: NDArray[np.float64], cap_oom: ArrayLike) -> NDArray[np.float64]:
    """log10 of ``a*C / (a + C - 1)`` for ``a = 10**log10_growth`` and ``C = 10**cap_oom``.

    0 when ``log10_growth`` or ``cap_oom`` is 0, close to ``log10_growth`` while it is small
    next to the cap, tending to ``cap_oom``; both arguments must be >= 0. Computed without
    cancellation at both ends: ``a*C / (a + C - 1) = 1 / (1 - u*v)`` with ``u = 1 - 1/a`` and
    ``v = 1 - 1/C`` (each from ``expm1``), so the natural log is ``-log1p(-u*v)``, exact to a
    few ulps when ``u*v`` is small (tiny growth or a tiny cap, where ``g + c - log10(a+C-1)``
    loses every digit); where ``u*v >= 1/2`` it is ``-log(1/a + u/C)`` by ``logaddexp``, which
    stays exact when ``a`` is astronomically larger than ``C`` (and the result is the cap).
    """
    x, y = np.broadcast_arrays(
        np.asarray(log10_growth, dtype=np.float64) * _LN10,
        np.asarray(cap_oom, dtype=np.float64) * _LN10,
    )
    u = -np.expm1(-x)
    uv = u * -np.expm1(-y)
    small = uv < 0.5
    out = np.empty(x.shape, dtype=np.float64)
    out[small] = -np.log1p(-uv[small])
    big = ~small  # here u, v >= 1/2, so the logarithm is of a number in [1/2, 1]
    out[big] = -np.logaddexp(-x[big], np.log(u[big]) - y[big])
    result: NDArray[np.float64] = out / _LN10
    return result


def progress_table(years: NDArray[np.float64], params: AffordabilityParams) -> NDArray[np.float64]:
    """Algorithmic progress (orders) of each anchor's schedule (column, in the order of the
    anchor labels) by each year (row); read-only, and cached for the last few parameter sets
    and grids (a comparison asks for the same table once per brain)."""
    return _cached_table(params, years.tobytes())


@functools.lru_cache(maxsize=32)
def _cached_table(params: AffordabilityParams, years_bytes: bytes) -> NDArray[np.float64]:
    years = np.frombuffer(years_bytes, dtype=np.float64)
    halving, cap = anchor_schedules(params)
    out = np.empty((years.size, halving.size), dtype=np.float64)
    for i in range(years.size):  # row by row, the very arithmetic of the per-sample path
        growth = (years[i] - params.base_year) * LOG10_2 / halving
        out[i] = saturating_log10(growth, cap)
    out.setflags(write=False)
    return out


def own_progress(
    year: float, finite: NDArray[np.float64], params: AffordabilityParams
) -> NDArray[np.float64]:
    """Algorithmic progress (orders) by ``year`` of each requirement ``finite`` (log10 FLOP)
    under the rule read at the requirement itself."""
    halving, cap = schedule(finite, params)
    growth = (year - params.base_year) * LOG10_2 / halving
    return saturating_log10(growth, cap)
