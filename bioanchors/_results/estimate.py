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
import itertools
import math
import numbers
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from bioanchors._format import format_number, format_probability
from bioanchors._results.summaries import (
    HISTOGRAM_BITS,
    Histogram,
    LognormalSummary,
    SampleSummary,
    ScaledHistogram,
    ShiftedSummary,
    Summary,
    TableSummary,
)
from bioanchors._units.registry import (
    Quantity,
    affine,
    as_unit,
    format_unit,
    get_registry,
    parse_quantity,
)
from bioanchors.errors import InvalidInputError, OutOfRangeError

if TYPE_CHECKING:
    from bioanchors._graph.uncertain import Uncertain
    from bioanchors._results.sensitivity import Sensitivity

__all__ = ["HISTOGRAM_BITS", "Estimate", "Histogram", "format_number", "format_probability"]

FloatArray: TypeAlias = NDArray[np.float64]

_TABLE_PERCENTILES = (5, 50, 95)
DICT_PERCENTILES = (5, 10, 25, 50, 75, 90, 95)
"""The percentiles in :meth:`Estimate.to_dict` (and so in ``bioanchors run --json``)."""


class _LogParams(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    mu: StrictFloat
    sigma: Annotated[StrictFloat, Field(ge=0.0)]


class _EstimateRecord(BaseModel):
    """The shape of :meth:`Estimate.to_dict`, validated when read back."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)
    unit: StrictStr
    n: Annotated[StrictInt, Field(ge=1)]
    seed: Annotated[StrictInt, Field(ge=0)]
    method: Literal["analytic", "mc", "qmc"]
    percentiles: dict[StrictStr, float] = Field(min_length=1)
    mean: float
    log_params: _LogParams | None = None


def _standard_normal_quantile(p: float) -> float:
    from statistics import NormalDist

    return NormalDist().inv_cdf(p)


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
    _summary: Summary
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
        summary: Summary
        if samples is not None:
            values = np.array(samples, dtype=np.float64) if copy else np.asarray(samples)
            summary = SampleSummary(values.astype(np.float64, copy=False).ravel())
        elif log_params is not None:
            summary = LognormalSummary(*log_params)
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
        cls, summary: Summary, unit: pint.Unit, *, n: int, seed: int, method: str
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
        """Which inputs drive this estimate: see :func:`bioanchors._results.sensitivity`.

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
                "bioanchors._results.sensitivity(quantity) instead"
            )
        samples = min(self.n, 100_000) if n is None else n
        return sensitivity(self._source, n=samples, seed=self.seed if seed is None else seed)

    # -- questions --------------------------------------------------------------------------
    def _quantity(self, value: float | FloatArray) -> Quantity:
        return get_registry().Quantity(value, self.unit)

    def _where(self) -> str:
        source = self._source
        return f"estimate of {source.describe()!r}" if source is not None else "estimate"

    def _answer(self, question: Callable[[], float]) -> float:
        """One answer of the summary, with the estimate named in a range error."""
        try:
            value = question()
        except OutOfRangeError as error:
            raise OutOfRangeError(
                f"{self._where()} in {format_unit(self.unit) or 'dimensionless'}: {error}"
            ) from None
        if not math.isfinite(value):
            raise OutOfRangeError(f"{self._where()}: the answer {value!r} is not a finite number")
        return value

    def _percentiles(self, qs: Any, scale: float, what: str) -> Quantity:
        """Percentiles at ``qs * scale`` (one number or a sequence) as one Quantity."""
        upper = 100.0 / scale
        if isinstance(qs, numbers.Real) and not isinstance(qs, bool) and 0.0 <= float(qs) <= upper:
            # One number, the common case: no arrays (a table asks thousands of these).
            value = self._answer(functools.partial(self._summary.value, float(qs) * scale))
            return self._quantity(value)
        single = np.ndim(qs) == 0
        try:
            values = np.asarray(qs, dtype=np.float64).ravel()
        except (TypeError, ValueError):
            values = np.array([np.nan])
        if (
            isinstance(qs, bool)
            or values.size == 0
            or (single and not isinstance(qs, numbers.Real))
            or not np.all((values >= 0.0) & (values <= upper))
        ):
            raise InvalidInputError(
                f"{what}: q must be a number in [0, {upper:g}] or a sequence of them, got {qs!r}"
            )
        summary = self._summary
        answers = [self._answer(functools.partial(summary.value, float(q) * scale)) for q in values]
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
        if not 0.0 < float(confidence) < 1.0:
            raise InvalidInputError(
                f"percentile_interval: confidence must be in (0, 1), got {confidence!r}"
            )
        p = float(q) / 100.0
        z = _standard_normal_quantile(0.5 + float(confidence) / 2.0)
        spread = z * math.sqrt(self.n * p * (1.0 - p))
        last = self.n - 1
        low = max(0.0, p * last - spread) / last * 100.0
        high = min(float(last), p * last + spread) / last * 100.0
        return self.percentile(low), self.percentile(high)

    @property
    def median(self) -> Quantity:
        return self.percentile(50)

    @property
    def mean(self) -> Quantity:
        return self._quantity(self._answer(self._summary.mean))

    def interval(self, credibility: float = 0.9) -> tuple[Quantity, Quantity]:
        """The central credible interval holding ``credibility`` of the probability."""
        if (
            isinstance(credibility, bool)
            or not isinstance(credibility, numbers.Real)
            or not 0.0 < float(credibility) < 1.0
        ):
            raise InvalidInputError(f"interval: credibility must be in (0, 1), got {credibility!r}")
        # Rounded to 12 digits: (1 - 0.9) / 2 * 100 is 5.000000000000004, not the 5th percentile.
        tail = round((1.0 - float(credibility)) / 2.0 * 100.0, 12)
        return self.percentile(tail), self.percentile(100.0 - tail)

    def _magnitude_of(self, x: Any, what: str) -> float:
        if isinstance(x, str):
            x = parse_quantity(x, what=f"{what} threshold")
        if isinstance(x, pint.Quantity):
            if np.ndim(x.magnitude) != 0:
                raise InvalidInputError(f"{what}: expected one threshold, got an array {x!r}")
            value = float(x.to(self.unit).magnitude)  # pint's conversion: offsets included
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
        """P(value > x); ``x`` is a pint Quantity or a string such as ``"1e17 FLOP/s"``.

        For a sampled estimate this is the fraction of samples above ``x``: its Monte Carlo
        standard error is :meth:`prob_above_se`.
        """
        return self._summary.prob_above(self._magnitude_of(x, "prob_above"))

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
        """True when the samples were summarised in a :class:`Histogram` rather than kept."""
        return isinstance(self._summary, Histogram | ScaledHistogram)

    @property
    def log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ``ln X`` for an analytic estimate, else None."""
        if isinstance(self._summary, LognormalSummary):
            return self._summary.mu, self._summary.sigma
        return None

    # -- conversions ------------------------------------------------------------------------
    def to(self, unit: Any) -> Estimate:
        """The same estimate in another unit of the same dimension."""
        target = as_unit(unit)
        scale, offset = affine(self.unit, target)  # pint's conversion, offsets included
        summary = self._summary if scale == 1.0 else self._summary.scaled(scale)
        if offset != 0.0:
            summary = (
                summary.shifted(offset)
                if isinstance(summary, SampleSummary)
                else ShiftedSummary(summary, offset)
            )
        converted = Estimate._holding(summary, target, n=self.n, seed=self.seed, method=self.method)
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
        """JSON-ready summary: unit, n, seed, method, percentiles (5 .. 95) and mean.

        A closed-form estimate also carries ``log_params`` (``mu`` and ``sigma`` of ``ln X``),
        so that :meth:`from_dict` gives it back exactly. Every number is finite (an answer
        beyond float range is an :class:`~bioanchors.OutOfRangeError`, never NaN or inf).
        """
        record: dict[str, Any] = {
            "unit": format_unit(self.unit),
            "n": self.n,
            "seed": self.seed,
            "method": self.method,
            "percentiles": {str(q): float(self.percentile(q).magnitude) for q in DICT_PERCENTILES},
            "mean": float(self.mean.magnitude),
        }
        if self.log_params is not None:
            mu, sigma = self.log_params
            record["log_params"] = {"mu": mu, "sigma": sigma}
        return record

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
        try:
            parsed = _EstimateRecord.model_validate(dict(record))
        except (ValidationError, TypeError, ValueError) as error:
            raise InvalidInputError(
                f"Estimate.from_dict: not an estimate record: {error}"
            ) from None
        unit = as_unit(parsed.unit)
        summary: Summary
        if parsed.log_params is not None:
            summary = LognormalSummary(parsed.log_params.mu, parsed.log_params.sigma)
            for q, value in parsed.percentiles.items():
                implied = summary.value(float(q))
                if not math.isclose(implied, value, rel_tol=1e-9):
                    raise InvalidInputError(
                        f"Estimate.from_dict: log_params give the {q}th percentile "
                        f"{implied:.6g}, the record says {value:.6g}"
                    )
        else:
            try:
                pairs = sorted((float(q), v) for q, v in parsed.percentiles.items())
            except ValueError:
                raise InvalidInputError(
                    "Estimate.from_dict: percentile keys must be numbers such as '5' or '95', "
                    f"got {list(parsed.percentiles)}"
                ) from None
            if len({q for q, _ in pairs}) != len(pairs):
                raise InvalidInputError(
                    f"Estimate.from_dict: a percentile is given twice: {parsed.percentiles}"
                )
            if any(not 0 <= q <= 100 for q, _ in pairs) or any(
                b[1] < a[1] for a, b in itertools.pairwise(pairs)
            ):
                raise InvalidInputError(
                    "Estimate.from_dict: percentiles must be keyed by numbers in [0, 100] and "
                    f"not decrease, got {parsed.percentiles}"
                )
            summary = TableSummary(
                tuple(q for q, _ in pairs), tuple(v for _, v in pairs), parsed.mean
            )
        return cls._holding(summary, unit, n=parsed.n, seed=parsed.seed, method=parsed.method)

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
