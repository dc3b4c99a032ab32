"""The sample-by-sample path of P(TAI by year) and of the arrival years.

Every finite requirement sample is tested in every year: met when ``F - s <= a``, ``s`` its
algorithmic progress by then and ``a`` the year's affordable log10 FLOP. It serves samples
whose schedule is their own (a plain array, or ``algo_progress_by = "requirement"``, where no
threshold per year exists) and is the fallback of the fast path
(:mod:`bioanchors.timelines.cotra._thresholds`). Samples go through in chunks of
:data:`CHUNK` (the arrival years chunked by the caller, which chunks the fast path alike), so
memory stays a few arrays of one chunk whatever ``n``; counts add exactly and each sample's
arrival depends on that sample only, so the chunking changes no number.
"""

from __future__ import annotations

from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bioanchors.timelines.cotra._growth import own_progress
from bioanchors.timelines.cotra.params import AffordabilityParams

__all__ = ["CHUNK", "arrival_years", "met_counts"]

CHUNK: Final = 1 << 17
"""Samples per chunk."""


def _progress(
    i: int,
    year: float,
    values: NDArray[np.float64],
    labels: NDArray[np.integer[Any]] | None,
    table: NDArray[np.float64] | None,
    params: AffordabilityParams,
) -> NDArray[np.float64]:
    """Progress by year ``i`` of each sample: its anchor's (row ``i`` of ``table``, gathered
    by ``labels``) or its own."""
    if table is None or labels is None:
        return own_progress(year, values, params)
    row: NDArray[np.float64] = table[i][labels]
    return row


def met_counts(
    years: NDArray[np.float64],
    affordable: NDArray[np.float64],
    finite: NDArray[np.float64],
    labels: NDArray[np.integer[Any]] | None,
    table: NDArray[np.float64] | None,
    params: AffordabilityParams,
) -> NDArray[np.int64]:
    """How many of the samples ``finite`` are met in each year."""
    counts = np.zeros(years.size, dtype=np.int64)
    for start in range(0, finite.size, CHUNK):
        values = finite[start : start + CHUNK]
        chunk_labels = None if labels is None else labels[start : start + CHUNK]
        for i in range(years.size):  # loop over years; every sample of the chunk at once
            progress = _progress(i, years[i], values, chunk_labels, table, params)
            counts[i] += np.count_nonzero(values - progress <= affordable[i])
    return counts


def arrival_years(
    samples: NDArray[np.float64],
    labels: NDArray[np.integer[Any]] | None,
    grid: NDArray[np.float64],
    affordable: NDArray[np.float64],
    table: NDArray[np.float64] | None,
    params: AffordabilityParams,
) -> NDArray[np.float64]:
    """The year each of ``samples`` (one chunk; ``+inf``: never) is first met, interpolated
    within the year of the crossing (``grid[0]`` if met at once, ``inf`` if never)."""
    out = np.full(samples.size, np.inf)
    finite = np.flatnonzero(np.isfinite(samples))
    pending = None if labels is None else labels[finite]
    out[finite] = _chunk_arrivals(samples[finite], pending, grid, affordable, table, params)
    return out


def _chunk_arrivals(
    values: NDArray[np.float64],
    labels: NDArray[np.integer[Any]] | None,
    grid: NDArray[np.float64],
    affordable: NDArray[np.float64],
    table: NDArray[np.float64] | None,
    params: AffordabilityParams,
) -> NDArray[np.float64]:
    """The loop itself, over finite ``values``: each year, the samples not yet met."""
    out = np.full(values.size, np.inf)
    active = np.arange(values.size)
    previous_gap = np.full(active.size, np.nan)
    for i in range(grid.size):  # loop over years; every pending sample is handled at once
        if active.size == 0:
            break
        pending = None if labels is None else labels[active]
        effective = values[active] - _progress(i, grid[i], values[active], pending, table, params)
        gap = effective - affordable[i]
        new = effective <= affordable[i]  # the same test as met_counts
        if i == 0:
            out[active[new]] = grid[0]
        else:
            frac = previous_gap[new] / (previous_gap[new] - gap[new])
            out[active[new]] = grid[i - 1] + frac * (grid[i] - grid[i - 1])
        keep = ~new
        active, previous_gap = active[keep], gap[keep]
    return out
