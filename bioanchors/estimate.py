"""Estimate: the summary of an uncertain quantity's distribution.

An Estimate answers the same questions whatever it holds: percentiles, median, mean, credible
intervals and tail probabilities, each as a pint Quantity in the estimate's unit. It records the
seed, the number of samples and the method that produced it. Inside it holds one of three
summaries:

* a closed-form lognormal (``method`` "analytic"): every answer is exact;
* the samples themselves (``method`` "mc" or "qmc", ``n`` up to ``max_in_memory``): every answer
  is exact for those samples. Percentiles are exact order statistics found by partial
  partitioning (a full sort happens only when :attr:`Estimate.samples` is read);
* a :class:`Histogram` (a *streamed* estimate, for larger ``n``): bounded memory, percentiles
  within a relative ``2**-HISTOGRAM_BITS`` (0.1 %) of those of the same samples, an exact mean.
"""

from __future__ import annotations

import functools
import math
import numbers
import threading
from bisect import bisect_left, insort
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Protocol, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors.errors import InvalidInputError
from bioanchors.units import Quantity, as_unit, conversion_factor, format_unit, get_registry

if TYPE_CHECKING:
    from statistics import NormalDist

    from bioanchors.sensitivity import Sensitivity
    from bioanchors.uncertain import Uncertain

__all__ = ["HISTOGRAM_BITS", "Estimate", "Histogram", "format_number"]

FloatArray: TypeAlias = NDArray[np.float64]
IntArray: TypeAlias = NDArray[np.int64]

_TABLE_PERCENTILES = (5, 50, 95)

HISTOGRAM_BITS = 10
"""Mantissa bits in a :class:`Histogram` bin index: each bin spans at most ``2**-10`` of its
values' magnitude, so a streamed percentile is within a relative 0.098 % of the exact one."""
_SHIFT = 52 - HISTOGRAM_BITS
_MAGNITUDE_BITS = np.int64(0x7FFF_FFFF_FFFF_FFFF)
_ZERO_BINS = (-1, 0)  # magnitudes below 2**-1032 (1.7e-311), +0.0 and -0.0: read as zero


def format_number(value: float) -> str:
    """Two significant figures: ``2.1e19``, ``4.0e-3``; plain between 0.01 and 10,000 (``270``)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 0.01 <= abs(value) < 10_000:
        return f"{float(f'{value:.2g}'):g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


# -- summaries ------------------------------------------------------------------------------


class _Summary(Protocol):
    """What an Estimate asks of what it holds (magnitudes in the estimate's unit)."""

    def value(self, q: float) -> float: ...
    def mean(self) -> float: ...
    def prob_above(self, x: float) -> float: ...
    def scaled(self, factor: float) -> _Summary: ...


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


class _Lognormal:
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
            return math.exp(self.mu)
        if q in (0.0, 100.0):
            return 0.0 if q == 0.0 else math.inf
        return math.exp(self.mu + self.sigma * _standard_normal().inv_cdf(q / 100.0))

    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    def prob_above(self, x: float) -> float:
        if x <= 0:
            return 1.0
        if self.sigma == 0.0:
            return 1.0 if math.exp(self.mu) > x else 0.0
        return _standard_normal().cdf((self.mu - math.log(x)) / self.sigma)

    def scaled(self, factor: float) -> _Lognormal:
        return _Lognormal(self.mu + math.log(factor), self.sigma)


def finite_mean(values: FloatArray) -> float:
    """The mean of finite values, also when their sum would overflow (it is scaled first)."""
    total = float(np.sum(values))
    if math.isfinite(total):
        return total / values.size
    scale = float(np.max(np.abs(values)))
    return scale * float(np.mean(values / scale))


class _Samples:
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

    def scaled(self, factor: float) -> _Samples:
        return _Samples(self.draws * factor)


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
      evenly within a bin), and exact at ``x = 0``;
    * the mean is the correctly rounded sum of per-chunk sums over the count.

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

    __slots__ = ("_cumulative", "count", "counts", "maximum", "minimum", "offset", "sums")

    def __init__(
        self,
        counts: IntArray,
        offset: int,
        *,
        minimum: float,
        maximum: float,
        sums: tuple[float, ...],
    ) -> None:
        self.counts = counts
        self.offset = offset
        self.count = int(counts.sum())
        self.minimum = minimum
        self.maximum = maximum
        self.sums = sums
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
            minimum=float(values.min()),
            maximum=float(values.max()),
            sums=(float(np.sum(values)),),
        )

    @classmethod
    def merged(cls, parts: Iterable[Histogram]) -> Histogram:
        """One summary of all the parts' samples (consumes an iterator lazily)."""
        counts: IntArray | None = None
        offset = 0
        minimum, maximum = math.inf, -math.inf
        sums: list[float] = []
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
            minimum = min(minimum, part.minimum)
            maximum = max(maximum, part.maximum)
            sums.extend(part.sums)
        if counts is None:
            raise ValueError("nothing to merge")
        return cls(counts, offset, minimum=minimum, maximum=maximum, sums=tuple(sums))

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
        return math.fsum(self.sums) / self.count

    def prob_above(self, x: float) -> float:
        """P(value > x): exact outside the bin holding ``x``, spread evenly within it."""
        if x >= self.maximum:
            return 0.0
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

    def scaled(self, factor: float) -> _Summary:
        return _ScaledHistogram(self, factor)


class _ScaledHistogram:
    """A histogram read in another unit: values times ``factor``."""

    __slots__ = ("factor", "histogram")

    def __init__(self, histogram: Histogram, factor: float) -> None:
        self.histogram = histogram
        self.factor = factor

    def value(self, q: float) -> float:
        return self.factor * self.histogram.value(q if self.factor > 0 else 100.0 - q)

    def mean(self) -> float:
        return self.factor * self.histogram.mean()

    def prob_above(self, x: float) -> float:
        if self.factor > 0:
            return self.histogram.prob_above(x / self.factor)
        return 1.0 - self.histogram.prob_above(x / self.factor)

    def scaled(self, factor: float) -> _ScaledHistogram:
        return _ScaledHistogram(self.histogram, self.factor * factor)


# -- the estimate ---------------------------------------------------------------------------


class Estimate:
    """Percentiles, mean and tail probabilities of one uncertain quantity.

    Made by :meth:`bioanchors.Uncertain.estimate`; not meant to be built by hand.

    >>> import bioanchors as ba
    >>> est = ba.lognormal(1e15, 10, "FLOP/s").estimate()
    >>> est.median
    <Quantity(1e+15, 'FLOP / second')>
    >>> round(est.prob_above("1e16 FLOP/s"), 3)
    0.159
    >>> est.to("PFLOP/s").percentile(50).magnitude
    1.0
    """

    __slots__ = ("_source", "_summary", "method", "n", "seed", "unit")
    _summary: _Summary
    _source: Uncertain | None

    def __init__(
        self,
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        method: str,
        samples: NDArray[np.float64] | None = None,
        log_params: tuple[float, float] | None = None,
        histogram: Histogram | None = None,
        copy: bool = True,
    ) -> None:
        given = [samples is not None, log_params is not None, histogram is not None]
        if sum(given) != 1:
            raise ValueError(
                "an Estimate holds exactly one of samples, lognormal parameters or a histogram"
            )
        self.unit = unit
        self.n = n
        self.seed = seed
        self.method = method
        summary: _Summary
        if samples is not None:
            values = np.array(samples, dtype=np.float64) if copy else np.asarray(samples)
            summary = _Samples(values.astype(np.float64, copy=False).ravel())
        elif log_params is not None:
            summary = _Lognormal(*log_params)
        else:
            assert histogram is not None
            summary = histogram
        self._summary = summary
        self._source = None

    @classmethod
    def from_samples(
        cls,
        samples: NDArray[np.float64],
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        method: str,
        copy: bool = True,
    ) -> Estimate:
        """An estimate holding samples (``copy=False`` hands the array over: it is reordered)."""
        return cls(unit, n=n, seed=seed, method=method, samples=samples, copy=copy)

    @classmethod
    def from_lognormal(
        cls, mu: float, sigma: float, unit: pint.Unit, *, n: int, seed: int
    ) -> Estimate:
        """A closed-form estimate: ``ln X ~ Normal(mu, sigma)``."""
        return cls(unit, n=n, seed=seed, method="analytic", log_params=(mu, sigma))

    @classmethod
    def from_histogram(
        cls, histogram: Histogram, unit: pint.Unit, *, n: int, seed: int, method: str
    ) -> Estimate:
        """A streamed estimate: a :class:`Histogram` of the samples instead of the samples."""
        return cls(unit, n=n, seed=seed, method=method, histogram=histogram)

    @classmethod
    def _holding(
        cls, summary: _Summary, unit: pint.Unit, *, n: int, seed: int, method: str
    ) -> Estimate:
        estimate = cls.__new__(cls)
        estimate.unit, estimate.n, estimate.seed, estimate.method = unit, n, seed, method
        estimate._summary = summary
        estimate._source = None
        return estimate

    def with_source(self, source: Uncertain) -> Estimate:
        """This estimate, remembering the quantity it summarises (for :meth:`sensitivity`)."""
        self._source = source
        return self

    @property
    def source(self) -> Uncertain | None:
        """The uncertain quantity this estimate summarises, when it is known."""
        return self._source

    def sensitivity(self, *, n: int | None = None, seed: int | None = None) -> Sensitivity:
        """Which inputs drive this estimate: see :func:`bioanchors.sensitivity`.

        Uses the estimate's own seed and sample count (at most 100,000) unless told otherwise.

        >>> import bioanchors as ba
        >>> a = ba.between(1, 10, name="a")
        >>> b = ba.between(1, 1000, name="b")
        >>> [(row.name, round(row.share, 2)) for row in (a * b).estimate().sensitivity()]
        [('b', 0.9), ('a', 0.1)]
        """
        from bioanchors.sensitivity import sensitivity

        if self._source is None:
            raise InvalidInputError(
                "this estimate does not know the quantity it summarises; call "
                "bioanchors.sensitivity(quantity) instead"
            )
        samples = min(self.n, 100_000) if n is None else n
        return sensitivity(self._source, n=samples, seed=self.seed if seed is None else seed)

    # -- questions --------------------------------------------------------------------------
    def _quantity(self, value: float) -> Quantity:
        return get_registry().Quantity(value, self.unit)

    def percentile(self, q: float) -> Quantity:
        """The ``q``-th percentile, ``q`` in [0, 100]."""
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0.0 <= float(q) <= 100.0:
            raise InvalidInputError(f"percentile: q must be a number in [0, 100], got {q!r}")
        return self._quantity(self._summary.value(float(q)))

    @property
    def median(self) -> Quantity:
        return self.percentile(50)

    @property
    def mean(self) -> Quantity:
        return self._quantity(self._summary.mean())

    def interval(self, credibility: float = 0.9) -> tuple[Quantity, Quantity]:
        """The central credible interval holding ``credibility`` of the probability."""
        if (
            isinstance(credibility, bool)
            or not isinstance(credibility, numbers.Real)
            or not 0.0 < float(credibility) < 1.0
        ):
            raise InvalidInputError(f"interval: credibility must be in (0, 1), got {credibility!r}")
        tail = (1.0 - float(credibility)) / 2.0 * 100.0
        return self.percentile(tail), self.percentile(100.0 - tail)

    def _magnitude_of(self, x: Any, what: str) -> float:
        if isinstance(x, str):
            x = get_registry().Quantity(x)
        if isinstance(x, pint.Quantity):
            value = float(x.magnitude) * conversion_factor(as_unit(str(x.units)), self.unit)
        elif isinstance(x, numbers.Real) and not isinstance(x, bool):
            if not self.unit.dimensionless:
                raise InvalidInputError(
                    f"{what}: {x!r} has no unit; pass a Quantity or a string such as "
                    f"'{format_number(float(x))} {format_unit(self.unit)}'"
                )
            value = float(x)
        else:
            raise InvalidInputError(f"{what}: expected a quantity like '1e17 FLOP/s', got {x!r}")
        if math.isnan(value):
            raise InvalidInputError(f"{what}: the threshold is NaN")
        return value

    def prob_above(self, x: Any) -> float:
        """P(value > x); ``x`` is a pint Quantity or a string such as ``"1e17 FLOP/s"``."""
        return self._summary.prob_above(self._magnitude_of(x, "prob_above"))

    def prob_below(self, x: Any) -> float:
        """P(value <= x)."""
        return 1.0 - self.prob_above(x)

    @property
    def samples(self) -> Quantity | None:
        """The samples in the order they were drawn, read-only (None for an analytic or a
        streamed estimate).

        Each input draws from its own random stream, so the samples of two estimates made
        with the same seed and n are joint draws: ``np.mean(a.samples > b.samples)`` estimates
        P(a > b) (:func:`bioanchors.prob_greater` does it in one call).
        """
        if not isinstance(self._summary, _Samples):
            return None
        return self._quantity(self._summary.draws)  # type: ignore[arg-type]

    @property
    def streamed(self) -> bool:
        """True when the samples were summarised in a :class:`Histogram` rather than kept."""
        return isinstance(self._summary, Histogram | _ScaledHistogram)

    @property
    def log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ``ln X`` for an analytic estimate, else None."""
        if isinstance(self._summary, _Lognormal):
            return self._summary.mu, self._summary.sigma
        return None

    # -- conversions ------------------------------------------------------------------------
    def to(self, unit: Any) -> Estimate:
        """The same estimate in another unit of the same dimension."""
        target = as_unit(unit)
        factor = conversion_factor(self.unit, target)
        converted = Estimate._holding(
            self._summary.scaled(factor), target, n=self.n, seed=self.seed, method=self.method
        )
        if self._source is not None:
            converted._source = self._source.to(target)
        return converted

    def to_frame(self) -> Any:
        """Percentiles 1 .. 99 as a ``pandas.DataFrame`` (needs pandas); unit, n, seed and
        method in its ``attrs``."""
        from bioanchors._optional import require_pandas

        pandas = require_pandas()
        quantiles = (1, 5, 10, 25, 50, 75, 90, 95, 99)
        frame = pandas.DataFrame(
            {"value": [self.percentile(q).magnitude for q in quantiles]},
            index=pandas.Index(quantiles, name="percentile"),
        )
        frame.attrs.update(
            unit=format_unit(self.unit), n=self.n, seed=self.seed, method=self.method
        )
        return frame

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: unit, n, seed, method, percentiles (5 .. 95) and mean."""
        return {
            "unit": format_unit(self.unit),
            "n": self.n,
            "seed": self.seed,
            "method": self.method,
            "percentiles": {
                str(q): self.percentile(q).magnitude for q in (5, 10, 25, 50, 75, 90, 95)
            },
            "mean": self.mean.magnitude,
        }

    def __str__(self) -> str:
        lo, hi = self.interval(0.9)
        unit = format_unit(self.unit)
        unit = f" {unit}" if unit else ""
        return (
            f"{format_number(self.median.magnitude)}{unit} "
            f"(90% CI {format_number(lo.magnitude)} – {format_number(hi.magnitude)})"
        )

    def __repr__(self) -> str:
        return f"<Estimate {self} method={self.method} n={self.n} seed={self.seed}>"

    def _repr_html_(self) -> str:
        import html  # only notebooks ask: not worth its import time for everyone

        unit = html.escape(format_unit(self.unit) or "dimensionless")
        cells = "".join(
            f"<td>{format_number(self.percentile(q).magnitude)}</td>" for q in _TABLE_PERCENTILES
        )
        heads = "".join(f"<th>p{q}</th>" for q in _TABLE_PERCENTILES)
        return (
            f"<table><caption>Estimate in {unit} ({html.escape(self.method)}, n={self.n}, "
            f"seed={self.seed})</caption><tr>{heads}<th>mean</th></tr>"
            f"<tr>{cells}<td>{format_number(self.mean.magnitude)}</td></tr></table>"
        )
