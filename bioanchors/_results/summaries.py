"""What an Estimate holds: a closed-form lognormal, samples in memory, or a histogram.

Each summary answers the same questions in magnitudes of the estimate's unit (percentiles,
mean, tail probabilities) and can be read in another unit; :class:`~bioanchors.Estimate` wraps
one and adds units, names and formatting. Where an answer cannot be held in a float (it would
overflow to inf or underflow to an exact zero), it is an :class:`OutOfRangeError`.
"""

from __future__ import annotations

import functools
import math
import sys
import threading
from bisect import bisect_left, insort
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors.errors import OutOfRangeError

if TYPE_CHECKING:
    from statistics import NormalDist

__all__ = [
    "HISTOGRAM_BITS",
    "Histogram",
    "LognormalSummary",
    "SampleSummary",
    "ScaledHistogram",
    "ShiftedSummary",
    "Summary",
    "TableSummary",
    "exp_in_range",
    "finite_mean",
]

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]

HISTOGRAM_BITS = 10
"""Mantissa bits in a :class:`Histogram` bin index: each bin spans at most ``2**-10`` of its
values' magnitude, so a streamed percentile is within a relative 0.098 % of the exact one."""
_SHIFT = 52 - HISTOGRAM_BITS
_MAGNITUDE_BITS = np.int64(0x7FFF_FFFF_FFFF_FFFF)
_ZERO_BINS = (-1, 0)  # magnitudes below 2**-1032 (1.7e-311), +0.0 and -0.0: read as zero


class Summary(Protocol):
    """What an Estimate asks of what it holds (magnitudes in the estimate's unit)."""

    def value(self, q: float) -> float: ...
    def mean(self) -> float: ...
    def prob_above(self, x: float) -> float: ...
    def scaled(self, factor: float) -> Summary: ...


def _rank(count: int, q: float) -> tuple[int, float]:
    """The ``q``-th percentile's position among ``count`` sorted values: index and fraction.

    numpy's default ("linear") definition: position ``(count - 1) * q / 100``.
    """
    position = (count - 1) * (q / 100.0)
    index = min(math.floor(position), count - 1)
    return index, position - index


def _lerp(low: float, high: float, fraction: float) -> float:
    """numpy's interpolation: exact at both ends and monotone in ``fraction``."""
    if fraction == 0.0:
        return low
    difference = high - low
    if fraction >= 0.5:
        return high - difference * (1.0 - fraction)
    return low + difference * fraction


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


def finite_mean(values: FloatArray) -> float:
    """The mean of finite values, also when their sum would overflow (it is scaled first)."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.sum(values))
    if math.isfinite(total):
        return total / values.size
    scale = float(np.max(np.abs(values)))
    return scale * float(np.mean(values / scale))


class SampleSummary:
    """Samples kept in memory; percentiles are exact order statistics.

    ``draws`` is the samples in the order they were drawn (read-only: what
    :attr:`Estimate.samples` shows). Order statistics are found in a working copy, partitioned
    in place as they are asked for (``_fixed`` lists the positions already holding their
    sorted value), so a few percentiles cost O(n), not a sort. The mean is taken once, so every
    answer is independent of the order in which questions are asked. A lock keeps concurrent
    questions from reordering at once.
    """

    __slots__ = ("_fixed", "_lock", "_mean", "_sorted", "_work", "draws")

    def __init__(self, draws: FloatArray) -> None:
        draws.flags.writeable = False
        self.draws = draws
        self._mean = finite_mean(draws)
        self._work: FloatArray | None = None
        self._fixed: list[int] = []
        self._sorted = draws.size <= 1
        self._lock = threading.Lock()

    def __getstate__(self) -> dict[str, Any]:
        return {"draws": self.draws, "mean": self._mean}  # the working copy is remade

    def __setstate__(self, state: dict[str, Any]) -> None:
        draws = np.array(state["draws"], dtype=np.float64)
        draws.flags.writeable = False
        self.draws = draws
        self._mean = state["mean"]
        self._work = None
        self._fixed = []
        self._sorted = draws.size <= 1
        self._lock = threading.Lock()

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
                self._select(wanted)
            return [float(values[i]) for i in wanted]

    def _select(self, wanted: list[int]) -> None:
        """Move the values of sorted positions ``wanted`` into place (under the lock)."""
        fixed = self._fixed
        values = self.values
        segments: dict[tuple[int, int], list[int]] = {}
        for index in wanted:
            slot = bisect_left(fixed, index)
            if slot < len(fixed) and fixed[slot] == index:
                continue
            start = fixed[slot - 1] + 1 if slot else 0
            stop = fixed[slot] if slot < len(fixed) else values.size
            segments.setdefault((start, stop), []).append(index)
        for (start, stop), indices in segments.items():
            values[start:stop].partition([i - start for i in indices])
            for index in indices:
                insort(fixed, index)

    def value(self, q: float) -> float:
        index, fraction = _rank(self.draws.size, q)
        if fraction == 0.0:
            return self._order_statistics([index])[0]
        low, high = self._order_statistics([index, index + 1])
        return _lerp(low, high, fraction)

    def mean(self) -> float:
        return self._mean

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


def _bin_index(values: FloatArray) -> IntArray:
    """Histogram bin of each finite value: a non-decreasing function of the value.

    The bits of a positive double, read as an integer, grow with the value; dropping all but
    the top ``HISTOGRAM_BITS`` mantissa bits leaves ``2**HISTOGRAM_BITS`` equal bins per power of
    two. Negative doubles have their magnitude bits flipped first, so their bins mirror the
    positive ones below zero (``-0.0`` falls in bin -1, ``+0.0`` in bin 0).
    """
    bits = values.view(np.int64)
    index = np.right_shift(bits, 63)  # 0 for positive, -1 for negative
    index &= _MAGNITUDE_BITS
    index ^= bits
    index >>= _SHIFT
    return index


def _bin_edge(index: IntArray | int) -> FloatArray:
    """The lowest value of each bin (also the upper end of the bin below it)."""
    keys = np.left_shift(np.asarray(index, dtype=np.int64), _SHIFT)
    negative = keys < 0
    magnitude = np.where(negative, -1 - keys, keys)
    edge = magnitude.view(np.float64)
    return np.where(negative, -edge, edge)


class Histogram:
    """A bounded, mergeable summary of many samples: what a streamed estimate keeps.

    Holds the exact count, minimum and maximum, the exact per-chunk sums (for the mean) and the
    counts of a fine histogram whose bins are ``2**-HISTOGRAM_BITS`` of a power of two wide:
    relative width at most ``2**-10``, for values of either sign (bins mirror around zero, so
    negative and mixed-sign outputs need no special case). Memory grows with the span of the
    values in powers of two, ``2**10`` bins (8 KiB) per factor of two, not with their number.

    Error bounds, against the same samples held in memory:

    * a percentile lies in the same bin as the exact one, so it is within a relative
      ``2**-10`` (0.098 %) of it (absolutely, ``2**-10`` of the larger neighbouring sample when
      the percentile falls between samples of opposite signs); percentiles 0 and 100 are exact;
      magnitudes below ``2**-1032`` (1.7e-311) are read as zero, so an atom at zero is exact;
    * ``prob_above(x)`` is within the fraction of samples in ``x``'s bin (values are spread
      evenly within a bin), and exact at ``x = 0`` and at the minimum (an atom there, such as
      ``maximum(x, c)``, is counted);
    * the mean is the count-weighted average of the chunks' means (summed exactly).

    Merging adds integer counts and collects chunk sums, so the result does not depend on the
    order chunks arrive in.

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> values = rng.lognormal(0.0, 2.0, 100_000)
    >>> summary = Histogram.merged([Histogram.of(values[:50_000]), Histogram.of(values[50_000:])])
    >>> exact = float(np.percentile(values, 95))
    >>> abs(summary.value(95) / exact - 1) <= 2.0**-HISTOGRAM_BITS
    True
    >>> summary.value(100) == float(values.max())
    True
    """

    __slots__ = (
        "_cumulative",
        "at_minimum",
        "count",
        "counts",
        "maximum",
        "minimum",
        "offset",
        "parts",
    )

    def __init__(
        self,
        counts: IntArray,
        offset: int,
        *,
        minimum: float,
        maximum: float,
        parts: tuple[tuple[float, int], ...],
        at_minimum: int = 0,
    ) -> None:
        self.counts = counts
        self.offset = offset
        self.count = int(counts.sum())
        self.minimum = minimum
        self.at_minimum = at_minimum  # samples equal to the minimum: an atom there is exact
        self.maximum = maximum
        self.parts = parts  # (mean, count) of each chunk: a sum could overflow
        self._cumulative: IntArray | None = None

    @classmethod
    def of(cls, values: FloatArray) -> Histogram:
        """The summary of a non-empty array of finite values."""
        values = np.ascontiguousarray(values, dtype=np.float64).ravel()
        if values.size == 0:
            raise ValueError("a histogram needs at least one value")
        index = _bin_index(values)
        offset = int(index.min())
        index -= offset
        counts = np.bincount(index)
        return cls(
            counts,
            offset,
            minimum=(lowest := float(values.min())),
            at_minimum=int(np.count_nonzero(values == lowest)),
            maximum=float(values.max()),
            parts=((finite_mean(values), int(values.size)),),
        )

    @classmethod
    def merged(cls, parts: Iterable[Histogram]) -> Histogram:
        """One summary of all the parts' samples (consumes an iterator lazily)."""
        counts: IntArray | None = None
        offset = 0
        minimum, maximum = math.inf, -math.inf
        at_minimum = 0
        chunks: list[tuple[float, int]] = []
        for part in parts:
            if counts is None:
                counts, offset = part.counts.astype(np.int64, copy=True), part.offset
            else:
                start = min(offset, part.offset)
                stop = max(offset + counts.size, part.offset + part.counts.size)
                if (start, stop) != (offset, offset + counts.size):
                    grown = np.zeros(stop - start, dtype=np.int64)
                    grown[offset - start : offset - start + counts.size] = counts
                    counts, offset = grown, start
                counts[part.offset - offset : part.offset - offset + part.counts.size] += (
                    part.counts
                )
            if part.minimum < minimum:
                at_minimum = part.at_minimum
            elif part.minimum == minimum:
                at_minimum += part.at_minimum
            minimum = min(minimum, part.minimum)
            maximum = max(maximum, part.maximum)
            chunks.extend(part.parts)
        if counts is None:
            raise ValueError("nothing to merge")
        return cls(
            counts,
            offset,
            minimum=minimum,
            maximum=maximum,
            parts=tuple(chunks),
            at_minimum=at_minimum,
        )

    @property
    def nbytes(self) -> int:
        """Memory held by the bin counts."""
        return int(self.counts.nbytes)

    def _cumulative_counts(self) -> IntArray:
        if self._cumulative is None:
            self._cumulative = np.cumsum(self.counts)
        return self._cumulative

    def _bin_range(self, local: int) -> tuple[float, float]:
        """The bin's value range, narrowed to the observed minimum and maximum."""
        low, high = _bin_edge(np.array([self.offset + local, self.offset + local + 1]))
        return max(float(low), self.minimum), min(float(high), self.maximum)

    def _order_statistic(self, index: int) -> float:
        """Approximately the ``index``-th smallest sample (0-based): spread evenly in its bin."""
        if index <= 0:
            return self.minimum
        if index >= self.count - 1:
            return self.maximum
        cumulative = self._cumulative_counts()
        local = int(np.searchsorted(cumulative, index, side="right"))
        if self.offset + local in _ZERO_BINS:
            return min(max(0.0, self.minimum), self.maximum)
        inside = index - int(cumulative[local] - self.counts[local])
        low, high = self._bin_range(local)
        value = low + (inside + 0.5) / int(self.counts[local]) * (high - low)
        return min(max(value, low), high)

    def value(self, q: float) -> float:
        """The ``q``-th percentile, by numpy's ("linear") definition."""
        index, fraction = _rank(self.count, q)
        low = self._order_statistic(index)
        if fraction == 0.0:
            return low
        return _lerp(low, self._order_statistic(index + 1), fraction)

    def mean(self) -> float:
        # A weighted average of the chunks' means: no partial sum can overflow.
        return math.fsum(mean * (count / self.count) for mean, count in self.parts)

    def prob_above(self, x: float) -> float:
        """P(value > x): exact outside the bin holding ``x``, spread evenly within it."""
        if x >= self.maximum:
            return 0.0
        if x == self.minimum:  # exact: the samples at the minimum are counted
            return (self.count - self.at_minimum) / self.count
        if x < self.minimum:
            return 1.0
        key = int(_bin_index(np.array([x], dtype=np.float64))[0])
        cumulative = self._cumulative_counts()
        if key in _ZERO_BINS:  # x is zero, and so are the values in its bins (an atom, often)
            last_zero = min(max(-self.offset, 0), self.counts.size - 1)
            return float(self.count - cumulative[last_zero]) / self.count
        local = key - self.offset
        above = float(self.count - cumulative[local])
        low, high = self._bin_range(local)
        if high > low:
            above += int(self.counts[local]) * min(max((high - x) / (high - low), 0.0), 1.0)
        return above / self.count

    def scaled(self, factor: float) -> Summary:
        return ScaledHistogram(self, factor)


class ScaledHistogram:
    """A histogram read in another unit: values times ``factor``."""

    __slots__ = ("factor", "histogram")

    def __init__(self, histogram: Histogram, factor: float) -> None:
        self.histogram = histogram
        self.factor = factor

    def value(self, q: float) -> float:
        raw = self.histogram.value(q if self.factor > 0 else 100.0 - q)
        with np.errstate(over="ignore", under="ignore"):
            value = float(np.float64(self.factor) * np.float64(raw))
        if not math.isfinite(value) or (value == 0.0 and raw != 0.0):
            raise OutOfRangeError(
                f"{raw:.4g} times the conversion factor {self.factor:.4g} is beyond the range "
                "of a float"
            )
        return value

    def mean(self) -> float:
        return self.factor * self.histogram.mean()

    def prob_above(self, x: float) -> float:
        if self.factor > 0:
            return self.histogram.prob_above(x / self.factor)
        return 1.0 - self.histogram.prob_above(x / self.factor)

    def scaled(self, factor: float) -> ScaledHistogram:
        return ScaledHistogram(self.histogram, self.factor * factor)


class ShiftedSummary:
    """A summary read in an offset unit: values plus ``offset`` (``degC`` from ``K``, say)."""

    __slots__ = ("inner", "offset")

    def __init__(self, inner: Summary, offset: float) -> None:
        self.inner = inner
        self.offset = offset

    def value(self, q: float) -> float:
        return _shifted(self.inner.value(q), self.offset)

    def mean(self) -> float:
        return _shifted(self.inner.mean(), self.offset)

    def prob_above(self, x: float) -> float:
        return self.inner.prob_above(x - self.offset)

    def scaled(self, factor: float) -> Summary:
        return ShiftedSummary(self.inner.scaled(factor), self.offset * factor)


def _shifted(value: float, offset: float) -> float:
    result = value + offset
    if not math.isfinite(result):
        raise OutOfRangeError(f"{value:.4g} shifted by {offset:.4g} is beyond float range")
    return result


class TableSummary:
    """Known percentiles and a mean (an estimate read back from :meth:`Estimate.to_dict`).

    Percentiles between the known ones are interpolated (in log space when all values are
    positive); outside the known range there is no answer, only an error saying so.
    """

    __slots__ = ("_mean", "qs", "values")

    def __init__(self, qs: tuple[float, ...], values: tuple[float, ...], mean: float) -> None:
        self.qs = qs
        self.values = values
        self._mean = mean

    def _log(self) -> bool:
        return all(v > 0 for v in self.values)

    def _outside(self, what: str) -> OutOfRangeError:
        return OutOfRangeError(
            f"{what} is outside the percentiles this estimate was read with "
            f"({self.qs[0]:g} .. {self.qs[-1]:g}); only those and what lies between them are known"
        )

    def value(self, q: float) -> float:
        if not self.qs[0] <= q <= self.qs[-1]:
            raise self._outside(f"the {q:g}th percentile")
        if q in self.qs:
            return self.values[self.qs.index(q)]  # known exactly: no round trip through log
        if self._log():
            return float(np.exp(np.interp(q, self.qs, np.log(self.values))))
        return float(np.interp(q, self.qs, self.values))

    def mean(self) -> float:
        return self._mean

    def prob_above(self, x: float) -> float:
        if not self.values[0] <= x <= self.values[-1]:
            raise self._outside(f"P(> {x:.4g})")
        if self._log():
            q = float(np.interp(math.log(x), np.log(self.values), self.qs))
        else:
            q = float(np.interp(x, self.values, self.qs))
        return 1.0 - q / 100.0

    def scaled(self, factor: float) -> Summary:
        values = tuple(v * factor for v in self.values)
        if factor < 0:
            return TableSummary(
                tuple(100.0 - q for q in reversed(self.qs)), values[::-1], self._mean * factor
            )
        return TableSummary(self.qs, values, self._mean * factor)
