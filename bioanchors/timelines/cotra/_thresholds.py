"""One requirement threshold per anchor and year: the fast path of P(TAI by year).

A requirement sample ``F`` (log10 FLOP with 2020 algorithms) of an anchor whose algorithmic
progress by year ``y`` is ``s`` is met when ``F - s <= a``, ``a`` that year's affordable log10
FLOP (:mod:`bioanchors.timelines.cotra.affordability`). For one anchor and one year ``s`` and
``a`` are fixed numbers, and floating-point subtraction of a fixed number is monotone in ``F``
(rounding to nearest never reverses an order), so the samples met are exactly those at or below
one threshold: the largest double ``t`` with ``fl(t - s) <= a``. :func:`exact_thresholds` finds
it from ``a + s`` by stepping to neighbouring doubles (one or two steps), so the test on ``t``
is the very comparison the sample-by-sample loop makes, and the counts are identical, not close.

:func:`met_counts` counts the samples met in each year from those thresholds, and
:func:`first_met` gives the index of the first year each sample is met. Neither needs the
thresholds to grow with the year: where a column does, the counts come from the first year
each sample is met (a bucket lookup into the column, counted); where it does not (an anchors
variant whose spending or hardware trend falls), the samples are sorted and the thresholds
looked up in them, and the first year met is read against the running maximum of the
thresholds (the first year at or below the running maximum is the first year at or below the
threshold itself). When the stepping does not settle (it cannot for finite inputs; a guard),
these return ``None`` and the caller takes the sample-by-sample loop. :func:`binned_arrivals`
reads percentiles of the arrival years from the first years met, computing the arrival year
of few samples.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final, TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = [
    "Labels",
    "Positions",
    "binned_arrivals",
    "exact_thresholds",
    "first_arrivals",
    "first_at_or_above",
    "first_met",
    "group_by_label",
    "met_counts",
]

Labels: TypeAlias = "NDArray[np.integer[Any]]"
"""Each sample's column of the thresholds (its anchor)."""

Positions: TypeAlias = "Sequence[NDArray[np.intp]]"
"""The positions of each label's samples, ascending (``np.flatnonzero(labels == k)`` for
every column ``k``): given when the caller has them, so the samples are grouped once."""

_MAX_STEPS: Final = 64  # neighbouring doubles to try; one or two are ever needed
_FEW_YEARS: Final = 8  # up to this many years, count by comparing (no sort)
_BUCKETS_PER_ROW: Final = 64  # buckets per threshold in first_at_or_above


def exact_thresholds(
    progress: NDArray[np.float64], affordable: NDArray[np.float64]
) -> NDArray[np.float64] | None:
    """The largest double ``t`` with ``t - progress <= affordable`` (as computed in floating
    point), elementwise over the broadcast arrays; ``None`` if a threshold does not settle.

    >>> s, a = np.array([0.1]), np.array([0.2])
    >>> t = exact_thresholds(s, a)
    >>> bool(t[0] - s[0] <= a[0]), bool(np.nextafter(t[0], np.inf) - s[0] <= a[0])
    (True, False)
    """
    s, a = np.broadcast_arrays(progress, affordable)
    if not (np.all(np.isfinite(s)) and np.all(np.isfinite(a))):
        return None
    t: NDArray[np.float64] = a + s
    for _ in range(_MAX_STEPS):  # down while t itself is not met
        over = (t - s) > a
        if not over.any():
            break
        t = np.where(over, np.nextafter(t, -np.inf), t)
    else:
        return None
    for _ in range(_MAX_STEPS):  # up while the next double is still met
        up = np.nextafter(t, np.inf)
        still = (up - s) <= a
        if not still.any():
            return t
        t = np.where(still, up, t)
    return None


def group_by_label(
    labels: Labels, count: int, positions: Positions | None = None
) -> list[tuple[int, NDArray[np.intp]]]:
    """``(label, positions)`` for each label in ``range(count)`` that some sample has (from
    ``positions`` if given)."""
    found = positions
    if found is None:
        found = [np.flatnonzero(labels == k) for k in range(count)]
    return [(k, found[k]) for k in range(count) if found[k].size]


def met_counts(
    samples: NDArray[np.float64],
    labels: Labels,
    thresholds: NDArray[np.float64],
    positions: Positions | None = None,
) -> NDArray[np.int64]:
    """How many of ``samples`` (label ``labels[j]`` a column of ``thresholds``, one row per
    year; ``+inf`` is never met) are at or below their column's threshold in each year: for a
    few years, one comparison per sample with its own threshold; else, where an anchor's
    thresholds grow with the year, the first year each sample is met (a bucket lookup, no
    sort) counted and summed, and where they do not, the thresholds looked up in the anchor's
    sorted samples."""
    years = thresholds.shape[0]
    if years <= _FEW_YEARS:
        return np.array([np.count_nonzero(samples <= row[labels]) for row in thresholds])
    counts = np.zeros(years, dtype=np.int64)
    for k, where in group_by_label(labels, thresholds.shape[1], positions):
        column = thresholds[:, k]
        if np.all(column[1:] >= column[:-1]):  # met from the first year at or above, on
            first = first_at_or_above(column, samples[where])
            counts += np.bincount(first, minlength=years + 1)[:years].cumsum()
        else:
            counts += np.searchsorted(np.sort(samples[where]), column, side="right")
    return counts


def first_arrivals(
    values: NDArray[np.float64],
    labels: Labels,
    grid: NDArray[np.float64],
    affordable: NDArray[np.float64],
    progress: NDArray[np.float64],
    thresholds: NDArray[np.float64],
    positions: Positions | None = None,
) -> NDArray[np.float64]:
    """The year each sample is first met on the yearly ``grid`` (the rows of ``progress``,
    ``affordable`` and ``thresholds``): ``grid[0]`` if at once, ``inf`` if never, else the
    crossing interpolated linearly from the gaps ``values - progress - affordable`` in the
    year before and the year met, computed as the sample-by-sample loop computes them."""
    out = np.full(values.size, np.inf)
    for k, where in group_by_label(labels, thresholds.shape[1], positions):
        value = values[where]
        first = first_at_or_above(np.maximum.accumulate(thresholds[:, k]), value)
        year = np.full(value.size, np.inf)
        year[first == 0] = grid[0]
        later = np.flatnonzero((first > 0) & (first < grid.size))
        i, value = first[later], value[later]
        column = np.ascontiguousarray(progress[:, k])
        year[later] = _crossing(
            value,
            (column.take(i - 1), column.take(i)),
            (affordable.take(i - 1), affordable.take(i)),
            (grid.take(i - 1), grid.take(i)),
        )
        out[where] = year
    return out


_Pair = tuple["NDArray[np.float64] | np.float64", "NDArray[np.float64] | np.float64"]


def _crossing(
    value: NDArray[np.float64], progress: _Pair, affordable: _Pair, years: _Pair
) -> NDArray[np.float64]:
    """The year within ``years`` (the year before being met, the year met) where ``value``
    crosses: interpolated linearly from its gaps ``value - progress - affordable`` in the
    two years, as the sample-by-sample loop computes them."""
    previous_gap = (value - progress[0]) - affordable[0]
    gap = (value - progress[1]) - affordable[1]
    frac = previous_gap / (previous_gap - gap)
    before = years[0]
    out: NDArray[np.float64] = before + frac * (years[1] - before)
    return out


def binned_arrivals(
    values: NDArray[np.float64],
    labels: Labels,
    first: NDArray[np.intp],
    ends: NDArray[np.int64],
    grid: NDArray[np.float64],
    affordable: NDArray[np.float64],
    progress: NDArray[np.float64],
    ranks: Sequence[int],
) -> NDArray[np.float64]:
    """``np.sort(first_arrivals(values, ...))[ranks]`` for increasing ``ranks``, from ``first``,
    each sample's first year met (:func:`first_met`; ``grid.size`` for never), and ``ends``,
    how many samples are met by each year (``first``'s counts, summed). A sample first
    met in year ``j > 0`` arrives within ``[grid[j - 1], grid[j]]`` (its fraction of the year
    lies in (0, 1]), so the arrivals sorted are the years' groups in order: each rank falls in
    the year where the running count passes it, and only that year's samples get an arrival
    year, computed as :func:`first_arrivals` computes it, then partitioned."""
    out = np.empty(len(ranks))
    for r, rank in enumerate(ranks):
        j = int(np.searchsorted(ends, rank, side="right"))
        if j == 0 or j >= grid.size:
            out[r] = grid[0] if j == 0 else np.inf
            continue
        members = np.flatnonzero(first == j)
        value, column = values[members], labels[members]
        years = _crossing(
            value,
            (progress[j - 1, column], progress[j, column]),
            (affordable[j - 1], affordable[j]),
            (grid[j - 1], grid[j]),
        )
        at = rank - int(ends[j - 1])
        years.partition(at)
        out[r] = years[at]
    return out


def first_met(
    finite: NDArray[np.float64],
    labels: Labels,
    thresholds: NDArray[np.float64],
    positions: Positions | None = None,
) -> NDArray[np.intp]:
    """The index of the first year (row of ``thresholds``) in which each sample is at or below
    its column's threshold; the number of rows where it never is."""
    out = np.empty(finite.size, dtype=np.intp)
    for k, where in group_by_label(labels, thresholds.shape[1], positions):
        running = np.maximum.accumulate(thresholds[:, k])
        out[where] = first_at_or_above(running, finite[where])
    return out


def first_at_or_above(column: NDArray[np.float64], values: NDArray[np.float64]) -> NDArray[np.intp]:
    """``np.searchsorted(column, values, side="left")`` (the first index where the
    non-decreasing, finite ``column`` is at least each value), read from a table of uniform
    buckets over the column's range: each value's guess is checked against its neighbours in
    ``column`` and only the few values that fail it (those in a bucket that holds a threshold)
    are searched. numpy's binary search costs ~50-100 ns per unsorted value; this, a few.

    >>> column = np.array([1.0, 2.0, 2.0, 5.0])
    >>> values = np.array([0.0, 1.0, 1.5, 2.0, 4.9, 5.0, 7.0])
    >>> first_at_or_above(column, values), np.searchsorted(column, values)
    (array([0, 0, 1, 1, 3, 3, 4]), array([0, 0, 1, 1, 3, 3, 4]))
    """
    lo, hi = float(column[0]), float(column[-1])
    buckets = _BUCKETS_PER_ROW * column.size
    if column.size < 2 or not hi > lo:
        return np.searchsorted(column, values, side="left")
    scale = buckets / (hi - lo)
    # bucket 0: below lo; 1..buckets: [lo + (b-1)/scale, lo + b/scale); buckets + 1: from hi
    edges = lo + np.arange(buckets + 1) / scale
    guess_of = np.concatenate(([0], np.searchsorted(column, edges, side="left")))
    guess_of[-1] = column.size
    position = np.clip((values - lo) * scale + 1.0, 0.0, buckets + 1.0).astype(np.intp)
    guess = guess_of[position]
    above = np.concatenate((column, [np.inf]))  # column[guess] >= value (inf past the end)
    below = np.concatenate(([-np.inf], column))  # column[guess - 1] < value (-inf before 0)
    wrong = np.flatnonzero(~((above[guess] >= values) & (below[guess] < values)))
    guess[wrong] = np.searchsorted(column, values[wrong], side="left")
    result: NDArray[np.intp] = guess
    return result
