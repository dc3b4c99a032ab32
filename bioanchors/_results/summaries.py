"""What an Estimate holds: the :class:`Summary` protocol, a closed form, samples in memory.

Each summary answers the same questions in magnitudes of the estimate's unit (percentiles,
mean, tail probabilities) and can be read in another unit; :class:`~bioanchors.Estimate` wraps
one and adds units, names and formatting. Where an answer cannot be held in a float (it would
overflow to inf or underflow to an exact zero), it is an :class:`OutOfRangeError`. This module
holds the closed-form :class:`LognormalSummary` and the in-memory :class:`SampleSummary`; the
streamed histogram, offset units and tables read back from a record are in
:mod:`bioanchors._results.derived`.
"""

from __future__ import annotations

import functools
import math
import sys
import threading
from bisect import bisect_left, insort
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal, Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.ranks import finite_mean, lerp, rank
from bioanchors._engine.select import BINNED_FROM, BinnedRanks
from bioanchors.errors import OutOfRangeError

if TYPE_CHECKING:
    from statistics import NormalDist

__all__ = ["LognormalSummary", "SampleSummary", "Summary", "exp_in_range"]

FloatArray: TypeAlias = NDArray[np.float64]


class Summary(Protocol):
    """What an Estimate asks of what it holds (magnitudes in the estimate's unit)."""

    def value(self, q: float) -> float: ...
    def mean(self) -> float: ...
    def prob_above(self, x: float) -> float: ...
    def scaled(self, factor: float) -> Summary: ...


@functools.cache
def _standard_normal() -> NormalDist:
    from statistics import NormalDist  # imported on first use: import time matters

    return NormalDist()


class LognormalSummary:
    """``ln X ~ Normal(mu, sigma)``: answers in closed form.

    The standard library's normal CDF and inverse (erfc; Wichura's AS241, both accurate to
    about 1e-16) answer a closed-form question in well under a microsecond.
    """

    __slots__ = ("mu", "sigma")

    def __init__(self, mu: float, sigma: float) -> None:
        self.mu = mu
        self.sigma = sigma

    def value(self, q: float) -> float:
        if self.sigma == 0.0:
            return exp_in_range(self.mu, "the value")
        if q == 0.0:
            return 0.0  # the lower end of a lognormal's support: exactly zero
        if q == 100.0:
            raise OutOfRangeError(
                "the 100th percentile of a lognormal is infinite (it has no upper bound); ask "
                "for a percentile below 100"
            )
        p = q / 100.0
        if not 0.0 < p < 1.0:  # q within 1e-322 of 0 or 1e-14 of 100: beyond the normal table
            raise OutOfRangeError(
                f"the {q!r}th percentile of a lognormal is too far in its tail to compute"
            )
        log_value = self.mu + self.sigma * _standard_normal().inv_cdf(p)
        return exp_in_range(log_value, f"the {q:g}th percentile")

    def mean(self) -> float:
        return exp_in_range(self.mu + self.sigma**2 / 2, "the mean")

    def prob_above(self, x: float) -> float:
        if x <= 0:
            return 1.0
        if self.sigma == 0.0:
            return 1.0 if self.mu > math.log(x) else 0.0
        # erfc, not 1 - cdf: the far upper tail (1e-30, say) keeps its digits instead of
        # cancelling to an exact 0.
        return 0.5 * math.erfc((math.log(x) - self.mu) / (self.sigma * math.sqrt(2.0)))

    def scaled(self, factor: float) -> LognormalSummary:
        return LognormalSummary(self.mu + math.log(factor), self.sigma)


_TINY = sys.float_info.min
_SORT_AFTER = 64  # fixed positions after which one sort is cheaper than more partitions
SORT_UP_TO = 4096
"""Sample counts up to which the first percentile asked sorts the working copy at once: numpy's
sort of a few thousand doubles (SIMD) costs less than two single-kth partitions with their
fixed cost, so every later percentile is a read."""
_LOG_MAX = math.log(sys.float_info.max)
_LOG_MIN = math.log(sys.float_info.min)  # the smallest normal double: below it, digits are lost


def exp_in_range(log_value: float, what: str) -> float:
    """``exp(log_value)``, or an OutOfRangeError when it overflows or underflows a float."""
    if not log_value <= _LOG_MAX:
        raise OutOfRangeError(
            f"{what} is e**{log_value:.4g} = 10**{log_value / math.log(10):.4g}, beyond the "
            "largest float (1.8e308)"
        )
    if not log_value >= _LOG_MIN:
        raise OutOfRangeError(
            f"{what} is e**{log_value:.4g} = 10**{log_value / math.log(10):.4g}, below the "
            "smallest float (2.2e-308); it would read as 0"
        )
    return math.exp(log_value)


class SampleSummary:
    """Samples kept in memory; percentiles are exact order statistics.

    ``draws`` is the samples in the order they were drawn (read-only: what
    :attr:`Estimate.samples` shows). Order statistics are found in a working copy, partitioned
    in place as they are asked for (``_fixed`` lists the positions already holding their
    sorted value), so a few percentiles cost O(n), not a sort; up to :data:`SORT_UP_TO`
    samples the first question sorts the copy instead (cheaper there). From
    :data:`~bioanchors._engine.select.BINNED_FROM` samples a percentile is read from the draws
    themselves, counted once into ranges of their bit keys
    (:class:`~bioanchors._engine.select.BinnedRanks`, 2 bytes a sample kept): a few passes
    and a partition of the samples in one range, a fraction of the cost of one partition of
    the whole, and no working copy. The order statistics are the same values every way. The
    mean is taken from ``draws`` (never reordered) when first asked, so every answer is
    independent of the order in which questions are asked. A lock keeps concurrent questions
    from reordering at once.
    """

    __slots__ = ("_bins", "_fixed", "_lock", "_mean", "_sorted", "_work", "draws")

    def __init__(self, draws: FloatArray) -> None:
        draws.flags.writeable = False
        self.draws = draws
        self._mean: float | None = None
        self._work: FloatArray | None = None
        self._fixed: list[int] = []
        self._sorted = draws.size <= 1
        self._lock = threading.Lock()
        self._bins: BinnedRanks | Literal[False] | None = None  # False: they cannot be binned

    def __getstate__(self) -> dict[str, Any]:
        return {"draws": self.draws, "mean": self.mean()}  # the working copy is remade

    def __setstate__(self, state: dict[str, Any]) -> None:
        draws = np.array(state["draws"], dtype=np.float64)
        draws.flags.writeable = False
        self.draws = draws
        self._mean = state["mean"]
        self._work = None
        self._fixed = []
        self._sorted = draws.size <= 1
        self._lock = threading.Lock()
        self._bins = None

    @property
    def values(self) -> FloatArray:
        """The working copy (under the lock): partly or wholly sorted."""
        if self._work is None:
            self._work = self.draws.copy()
        return self._work

    def _order_statistics(self, indices: Iterable[int]) -> list[float]:
        wanted = sorted(set(indices))
        with self._lock:
            values = self.values
            if not self._sorted:
                for index in wanted:
                    self._place(index)
            return [float(values[i]) for i in wanted]

    def _segment(self, index: int) -> tuple[int, int] | None:
        """The unsorted stretch ``start .. stop`` of the working copy holding sorted position
        ``index``, or None when that position already holds its value (under the lock)."""
        fixed = self._fixed
        slot = bisect_left(fixed, index)
        if slot < len(fixed) and fixed[slot] == index:
            return None
        start = fixed[slot - 1] + 1 if slot else 0
        stop = fixed[slot] if slot < len(fixed) else self.draws.size
        return start, stop

    def _place(self, index: int) -> None:
        """Move sorted position ``index``'s value into place: one partition with ONE kth.

        numpy's ``partition`` with two or more kth falls back to a scalar path that costs ten
        to twenty times as much per element; one kth at a time stays on the fast path, and the
        segments shrink as positions are fixed. Once many positions are fixed (a table of many
        percentiles), one sort answers everything after it.
        """
        segment = self._segment(index)
        if segment is None:
            return
        if len(self._fixed) >= _SORT_AFTER:
            self.values.sort()
            self._sorted = True
            return
        start, stop = segment
        self.values[start:stop].partition(index - start)
        insort(self._fixed, index)

    def _neighbour(self, index: int) -> float:
        """Sorted position ``index + 1``'s value, once ``index`` holds its own (under the lock).

        Every value right of a fixed position is at least as large, so the next order statistic
        is the smallest value of the segment after it: a minimum, not a second partition. It is
        swapped into place so that position is fixed as well.
        """
        values = self.values
        following = index + 1
        segment = None if self._sorted else self._segment(following)
        if segment is not None:
            start, stop = segment  # start == following: ``index`` is fixed
            smallest = start + int(np.argmin(values[start:stop]))
            values[start], values[smallest] = values[smallest], values[start]
            insort(self._fixed, following)
        return float(values[following])

    def _binned(self, index: int, fraction: float) -> float | None:
        """The percentile at ``index`` and ``fraction`` read from :class:`BinnedRanks` of the
        draws (no working copy, no partition of the whole); None for draws with a NaN."""
        with self._lock:
            if self._bins is None:
                self._bins = BinnedRanks.of(self.draws) or False
            bins = self._bins
        if not isinstance(bins, BinnedRanks):
            return None
        found = bins.order_statistics(self.draws, index, 1 if fraction == 0.0 else 2)
        return found[0] if fraction == 0.0 else lerp(found[0], found[1], fraction)

    def value(self, q: float) -> float:
        size = self.draws.size
        index, fraction = rank(size, q)
        if size >= BINNED_FROM and not self._sorted:
            found = self._binned(index, fraction)
            if found is not None:
                return found
        with self._lock:
            if not self._sorted and size <= SORT_UP_TO:
                self.values.sort()
                self._sorted = True
            if self._sorted:
                values = self.values
                low = float(values[index])
                return low if fraction == 0.0 else lerp(low, float(values[index + 1]), fraction)
        if fraction == 0.0:
            return self._order_statistics([index])[0]
        with self._lock:
            if not self._sorted:
                self._place(index)
            low = float(self.values[index])
            high = self._neighbour(index)
        return lerp(low, high, fraction)

    def mean(self) -> float:
        mean = self._mean
        if mean is None:
            mean = self._mean = finite_mean(self.draws)
        return mean

    def prob_above(self, x: float) -> float:
        return int(np.count_nonzero(self.draws > x)) / self.draws.size

    def scaled(self, factor: float) -> SampleSummary:
        with np.errstate(over="ignore", under="ignore"):
            scaled = self.draws * factor
        lost = ~np.isfinite(scaled) | ((np.abs(scaled) < _TINY) & (self.draws != 0))
        if lost.any():
            value = float(self.draws[np.argmax(lost)])
            raise OutOfRangeError(
                f"a sample of {value:.4g} times the conversion factor {factor:.4g} is beyond "
                "the range of a float"
            )
        return SampleSummary(scaled)

    def shifted(self, offset: float) -> SampleSummary:
        """The samples plus ``offset`` (a conversion to an offset unit: K to degC)."""
        shifted = self.draws + offset
        if not np.all(np.isfinite(shifted)):
            raise OutOfRangeError(f"the samples shifted by {offset:.4g} leave float range")
        return SampleSummary(shifted)
