"""Estimate: the summary of an uncertain quantity's distribution.

An Estimate answers the same questions whatever it holds: percentiles, median, mean, credible
intervals and tail probabilities, each as a pint Quantity in the estimate's unit. It records the
seed, the number of samples and the method that produced it. It holds one of three summaries:

* a closed-form lognormal (``method`` "analytic"): every answer is exact;
* the samples themselves (``method`` "mc" or "qmc", ``n`` up to ``max_in_memory``): every answer
  is exact for those samples. Percentiles are exact order statistics found by partial
  partitioning (a full sort happens only when :attr:`Estimate.samples` is read);
* a histogram (a *streamed* estimate, for larger ``n``): bounded memory, percentiles within a
  relative ``2**-HISTOGRAM_BITS`` (0.1 %) of those of the same samples, an exact mean.

An Estimate has one constructor, ``Estimate(summary, unit=..., n=..., seed=..., method=...)``;
the named constructors :meth:`Estimate.from_lognormal`, :meth:`~Estimate.from_samples`,
:meth:`~Estimate.from_histogram` and :meth:`~Estimate.from_dict` make the summary for it.
:func:`bioanchors._results.run.run_estimate` picks which one a graph gets.
"""

from __future__ import annotations

import functools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._engine.histogram import HISTOGRAM_BITS, Histogram
from bioanchors._format import format_number, format_probability
from bioanchors._frozen import Frozen, set_slots
from bioanchors._results.derived import HistogramSummary, converted
from bioanchors._results.display import estimate_text, summary_frame, summary_html
from bioanchors._results.questions import (
    credible_tail,
    levels,
    percentile_interval_levels,
    threshold,
)
from bioanchors._results.record import (
    SUMMARY_PERCENTILES,
    EstimateMethod,
    read_record,
    write_record,
)
from bioanchors._results.summaries import LognormalSummary, SampleSummary, Summary
from bioanchors._typing import UnitLike
from bioanchors._units.quantity import scalar_quantity
from bioanchors._units.registry import Quantity, affine, as_unit, format_unit, get_registry
from bioanchors.errors import InvalidInputError, OutOfRangeError

if TYPE_CHECKING:
    from bioanchors._graph.uncertain import Uncertain
    from bioanchors._results.sensitivity import Sensitivity

__all__ = [
    "HISTOGRAM_BITS",
    "SUMMARY_PERCENTILES",
    "Estimate",
    "format_number",
    "format_probability",
]

FloatArray: TypeAlias = NDArray[np.float64]


# -- the estimate ---------------------------------------------------------------------------


class Estimate(Frozen):
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
    unit: pint.Unit
    n: int
    seed: int
    method: EstimateMethod
    _CHANGE_HINT = "use .to(unit) for another unit, or estimate again for other samples"
    _summary: Summary
    _source: Uncertain | None

    def __init__(
        self,
        summary: Summary,
        *,
        unit: pint.Unit,
        n: int,
        seed: int,
        method: EstimateMethod,
        source: Uncertain | None = None,
    ) -> None:
        set_slots(self, unit=unit, n=n, seed=seed, method=method, _summary=summary, _source=source)

    def __reduce__(self) -> tuple[Callable[..., Estimate], tuple[Summary]]:
        """Pickle and copy rebuild an estimate through its one constructor."""
        rebuild = functools.partial(Estimate, unit=self.unit, n=self.n, seed=self.seed)
        return functools.partial(rebuild, method=self.method, source=self._source), (self._summary,)

    @classmethod
    def from_samples(
        cls,
        samples: NDArray[np.float64],
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        method: EstimateMethod,
        copy: bool = True,
        source: Uncertain | None = None,
    ) -> Estimate:
        """An estimate holding samples (``copy=False`` hands the array over: it is reordered)."""
        values = np.array(samples, dtype=np.float64) if copy else np.asarray(samples)
        if values.dtype != np.float64 or values.ndim != 1:  # else the engine's row, as it is
            values = values.astype(np.float64, copy=False).ravel()
        return cls(SampleSummary(values), unit=unit, n=n, seed=seed, method=method, source=source)

    @classmethod
    def from_lognormal(
        cls,
        mu: float,
        sigma: float,
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        source: Uncertain | None = None,
    ) -> Estimate:
        """A closed-form estimate: ``ln X ~ Normal(mu, sigma)``."""
        summary = LognormalSummary(mu, sigma)
        return cls(summary, unit=unit, n=n, seed=seed, method="analytic", source=source)

    @classmethod
    def from_histogram(
        cls,
        histogram: Histogram,
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        method: EstimateMethod,
        source: Uncertain | None = None,
    ) -> Estimate:
        """A streamed estimate: a histogram of the samples instead of the samples."""
        summary = HistogramSummary(histogram)
        return cls(summary, unit=unit, n=n, seed=seed, method=method, source=source)

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
        from bioanchors._results.sensitivity import sensitivity

        if self._source is None:
            raise InvalidInputError(
                "this estimate does not know the quantity it summarises; call "
                "bioanchors.sensitivity(quantity) instead"
            )
        samples = min(self.n, 100_000) if n is None else n
        return sensitivity(self._source, n=samples, seed=self.seed if seed is None else seed)

    # -- questions --------------------------------------------------------------------------
    def _quantity(self, value: float | FloatArray) -> Quantity:
        if type(value) is float:  # the common case, built directly
            return scalar_quantity(value, self.unit)
        return get_registry().Quantity(value, self.unit)

    def _where(self) -> str:
        source = self._source
        return f"estimate of {source.describe()!r}" if source is not None else "estimate"

    def _answer(self, question: Callable[..., float], *args: float) -> float:
        """One answer of the summary, ``question(*args)``, the estimate named in a range error."""
        try:
            value = question(*args)
        except OutOfRangeError as error:
            raise OutOfRangeError(
                f"{self._where()} in {format_unit(self.unit) or 'dimensionless'}: {error}"
            ) from None
        if not math.isfinite(value):
            raise OutOfRangeError(f"{self._where()}: the answer {value!r} is not a finite number")
        return value

    def _percentiles(self, qs: Any, scale: float, what: str) -> Quantity:
        """Percentiles at ``qs * scale`` (one number, fast: tables ask thousands; or a sequence)."""
        upper = 100.0 / scale
        number = type(qs) in (float, int) or isinstance(qs, numbers.Real)  # the ABC check last
        if number and not isinstance(qs, bool) and 0.0 <= float(qs) <= upper:
            return self._quantity(self._answer(self._summary.value, float(qs) * scale))
        values, single = levels(qs, upper, what)
        summary = self._summary
        answers = [self._answer(summary.value, float(q) * scale) for q in values]
        return self._quantity(answers[0] if single else np.array(answers))

    def percentile(self, q: float | Sequence[float]) -> Quantity:
        """The ``q``-th percentile, ``q`` in [0, 100] (a sequence gives an array Quantity).

        :meth:`quantile` takes fractions in [0, 1] instead, like ``numpy.quantile``.
        Percentiles of sampled estimates follow numpy's default ("linear") definition.
        """
        return self._percentiles(q, 1.0, "percentile")

    def quantile(self, q: float | Sequence[float]) -> Quantity:
        """The ``q``-quantile, ``q`` in [0, 1] (``quantile(0.05) == percentile(5)``).

        >>> import bioanchors as ba
        >>> est = ba.lognormal(1e15, 10, "FLOP/s").estimate()
        >>> est.quantile([0.5, 0.9]).magnitude / 1e15
        array([ 1.        , 19.12...])
        """
        return self._percentiles(q, 100.0, "quantile")

    def percentile_interval(self, q: float, confidence: float = 0.95) -> tuple[Quantity, Quantity]:
        """A ``confidence`` interval for the ``q``-th percentile, from Monte Carlo error.

        For a sampled estimate: the order statistics whose ranks bound the percentile's rank
        with the binomial (normal-approximation) ``confidence``; for a closed form, the exact
        value twice. Use it to judge whether ``n`` is large enough for a tail percentile.
        """
        if isinstance(q, bool) or not isinstance(q, numbers.Real):
            raise InvalidInputError(f"percentile_interval: q must be one number, got {q!r}")
        value = self.percentile(q)
        if self.method == "analytic" or self.n <= 1:
            return value, value
        low, high = percentile_interval_levels(q, confidence, self.n)
        return self.percentile(low), self.percentile(high)

    @property
    def median(self) -> Quantity:
        return self.percentile(50)

    @property
    def mean(self) -> Quantity:
        return self._quantity(self._answer(self._summary.mean))

    def interval(self, credibility: float = 0.9) -> tuple[Quantity, Quantity]:
        """The central credible interval holding ``credibility`` of the probability."""
        tail = credible_tail(credibility)
        return self.percentile(tail), self.percentile(100.0 - tail)

    def prob_above(self, x: Any) -> float:
        """P(value > x); ``x`` is a pint Quantity or a string such as ``"1e17 FLOP/s"``.

        For a sampled estimate this is the fraction of samples above ``x``: its Monte Carlo
        standard error is :meth:`prob_above_se`.
        """
        return self._summary.prob_above(threshold(x, self.unit, "prob_above"))

    def prob_above_se(self, x: Any) -> float:
        """The Monte Carlo standard error of :meth:`prob_above` (0 for a closed form).

        ``sqrt(p (1 - p) / n)`` with ``p = (k + 1/2) / (n + 1)`` for ``k`` of ``n`` samples
        above ``x``: the half sample keeps a tail that no sample reached from claiming an
        error of exactly zero. For QMC it is an upper bound (QMC errors are smaller).

        >>> import bioanchors as ba
        >>> est = ba.normal(0, 1).estimate(10_000, method="mc")
        >>> round(est.prob_above(1.645), 3), round(est.prob_above_se(1.645), 4)
        (0.05, 0.0022)
        """
        p = self.prob_above(x)
        if self.method == "analytic":  # a closed form or a constant: exact
            return 0.0
        smoothed = (p * self.n + 0.5) / (self.n + 1)
        return math.sqrt(smoothed * (1.0 - smoothed) / self.n)

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
        if not isinstance(self._summary, SampleSummary):
            return None
        return self._quantity(self._summary.draws)

    @property
    def streamed(self) -> bool:
        """True when the samples were summarised in a histogram rather than kept."""
        return isinstance(self._summary, HistogramSummary)

    @property
    def log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ``ln X`` for an analytic estimate, else None."""
        if isinstance(self._summary, LognormalSummary):
            return self._summary.mu, self._summary.sigma
        return None

    # -- conversions ------------------------------------------------------------------------
    def to(self, unit: UnitLike) -> Estimate:
        """The same estimate in another unit of the same dimension."""
        target = as_unit(unit)
        scale, offset = affine(self.unit, target)  # pint's conversion, offsets included
        summary = converted(self._summary, scale, offset)
        source = None if self._source is None else self._source.to(target)
        return Estimate(
            summary, unit=target, n=self.n, seed=self.seed, method=self.method, source=source
        )

    def to_frame(self) -> Any:
        """Percentiles 1 .. 99 as a ``pandas.DataFrame`` (needs pandas); unit, n, seed and
        method in its ``attrs``."""
        quantiles = (1, 5, 10, 25, 50, 75, 90, 95, 99)
        return summary_frame(
            [(q, self.percentile(q).magnitude) for q in quantiles],
            unit=format_unit(self.unit),
            n=self.n,
            seed=self.seed,
            method=self.method,
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready summary: unit, n, seed, method, percentiles and mean.

        The percentiles are :data:`SUMMARY_PERCENTILES` (5, 10, 25, 50, 75, 90 and 95).

        A closed-form estimate also carries ``log_params`` (``mu`` and ``sigma`` of ``ln X``),
        so that :meth:`from_dict` gives it back exactly. Every number is finite (an answer
        beyond float range is an :class:`~bioanchors.OutOfRangeError`, never NaN or inf).
        """
        percentiles = [(q, float(self.percentile(q).magnitude)) for q in SUMMARY_PERCENTILES]
        return write_record(
            format_unit(self.unit),
            self.n,
            self.seed,
            self.method,
            percentiles,
            float(self.mean.magnitude),
            self.log_params,
        )

    @classmethod
    def from_dict(cls, record: Mapping[str, Any]) -> Estimate:
        """The estimate that :meth:`to_dict` described (for instance after a JSON round trip).

        It answers the same percentiles and mean; a closed form is exact everywhere, other
        estimates interpolate between the known percentiles and refuse to guess beyond them.

        >>> import json
        >>> import bioanchors as ba
        >>> est = ba.between(1, 10, "FLOP/s").estimate(10_000, method="mc")
        >>> back = ba.Estimate.from_dict(json.loads(json.dumps(est.to_dict())))
        >>> back.percentile(95) == est.percentile(95), back.n, back.method
        (True, 10000, 'mc')
        """
        parsed = read_record(record)
        return cls(
            parsed.summary, unit=parsed.unit, n=parsed.n, seed=parsed.seed, method=parsed.method
        )

    def __str__(self) -> str:
        return format(self, "")

    def __format__(self, spec: str) -> str:
        """``f"{est:.2e}"``: the median and 90% interval in that format, with the unit."""
        lo, hi = (float(end.magnitude) for end in self.interval(0.9))
        median = float(self.median.magnitude)
        return estimate_text(median, lo, hi, format_unit(self.unit), spec)

    def __repr__(self) -> str:
        return f"<Estimate {self} method={self.method} n={self.n} seed={self.seed}>"

    def _repr_html_(self) -> str:
        percentiles = [(q, self.percentile(q).magnitude) for q in SUMMARY_PERCENTILES]
        return summary_html(
            format_unit(self.unit), self.method, self.n, self.seed, percentiles, self.mean.magnitude
        )
