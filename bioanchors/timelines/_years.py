"""Year grids and arrival years, shared by every timelines model and the forecast.

:func:`check_years` checks a grid of years against the years a model covers;
:func:`percentile_years` reads the earliest year by which P(TAI) reaches each probability
from the arrival year of each requirement sample; :func:`order_statistics` finds those
sorted positions without a sort.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors._engine.select import BINNED_FROM, BinnedRanks
from bioanchors.errors import InvalidInputError

__all__ = ["check_years", "order_statistics", "percentile_ranks", "percentile_years"]


def _fail(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}")


def check_years(years: ArrayLike, first: float, last: float) -> NDArray[np.float64]:
    """``years`` as a float array, checked: a non-empty, finite, strictly increasing 1-D sequence
    within ``[first, last]``; else ``InvalidInputError`` naming ``years`` and the offending
    value."""
    try:
        arr = np.atleast_1d(np.asarray(years, dtype=np.float64))
    except (TypeError, ValueError) as exc:
        raise _fail("years", f"must be numbers, got {years!r}") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise _fail("years", f"must be a non-empty 1-D sequence, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise _fail("years", "must be finite")
    if arr.min() < first or arr.max() > last:
        raise _fail(
            "years",
            f"must lie in [{first:g}, {last:g}], got {arr.min():g} to {arr.max():g}",
        )
    steps = np.diff(arr)
    if steps.size and not np.all(steps > 0):
        i = int(np.argmax(steps <= 0))
        raise _fail(
            "years", f"must be strictly increasing; {arr[i]:g} is followed by {arr[i + 1]:g}"
        )
    return arr


def percentile_years(
    arrival_years: NDArray[np.float64], probabilities: Sequence[float] | NDArray[np.float64]
) -> NDArray[np.float64]:
    """Earliest year by which the fraction of ``arrival_years`` at or before it reaches each
    probability (the inverted-CDF quantiles; ``inf`` where the arrivals are ``inf``).
    ``probabilities`` must lie in (0, 1]."""
    index, wanted = percentile_ranks(probabilities, np.asarray(arrival_years).size)
    found = order_statistics(arrival_years, wanted)
    out: NDArray[np.float64] = found[np.searchsorted(wanted, index)]
    return out


def percentile_ranks(
    probabilities: Sequence[float] | NDArray[np.float64], size: int
) -> tuple[NDArray[np.int64], list[int]]:
    """The sorted position of each probability's inverted-CDF quantile among ``size`` values,
    and those positions without repeats, increasing (``probabilities`` checked: in (0, 1])."""
    p = np.atleast_1d(np.asarray(probabilities, dtype=np.float64))
    if p.ndim != 1 or p.size == 0 or not np.all((p > 0) & (p <= 1)):
        raise _fail("probabilities", f"must be a non-empty sequence in (0, 1], got {p.tolist()}")
    index = np.clip(np.ceil(p * size - 1e-9).astype(np.int64) - 1, 0, max(size - 1, 0))
    return index, sorted(set(index.tolist()))  # not np.unique: it imports numpy.ma (~10 ms)


def order_statistics(values: ArrayLike, positions: Sequence[int]) -> NDArray[np.float64]:
    """``np.sort(values)[positions]`` for increasing ``positions``, without sorting: from
    :data:`~bioanchors._engine.select.BINNED_FROM` values counted into ranges of their bit
    keys (:class:`~bioanchors._engine.select.BinnedRanks`), else (or with a NaN) one partition
    with one kth per position, each in what is left above the last (a few passes over the
    samples instead of a sort; NaN placed last, as a sort places it).

    >>> order_statistics([3.0, np.inf, 1.0, 2.0], [0, 2, 3]).tolist()
    [1.0, 3.0, inf]
    """
    arr = np.asarray(values, dtype=np.float64).ravel()
    low = 0
    for position in positions:
        if not low <= position < arr.size:
            raise _fail("positions", f"must increase within [0, {arr.size}), got {positions}")
        low = position + 1
    if arr.size >= BINNED_FROM and positions:
        bins = BinnedRanks.of(arr)  # counted without a copy; None with a NaN
        if bins is not None:
            return np.array([bins.order_statistics(arr, p)[0] for p in positions])
    work = arr.copy()
    out = np.empty(len(positions))
    low = 0
    for j, position in enumerate(positions):
        work[low:].partition(position - low)
        out[j] = work[position]
        low = position + 1
    return out
