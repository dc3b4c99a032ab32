"""Summaries read through something: a streamed histogram, an offset unit, a table.

* :class:`HistogramSummary`: a streamed estimate (the engine's histogram, in some unit);
* :class:`ShiftedSummary`: any summary in an offset unit (``degC`` from ``K``);
* :class:`TableSummary`: known percentiles and a mean, as read back by
  :meth:`~bioanchors.Estimate.from_dict`;

and :func:`converted`, any summary read in another unit.
"""

from __future__ import annotations

import math

import numpy as np

from bioanchors._engine.histogram import Histogram
from bioanchors._results.summaries import SampleSummary, Summary
from bioanchors.errors import OutOfRangeError

__all__ = ["HistogramSummary", "ShiftedSummary", "TableSummary", "converted"]


class HistogramSummary:
    """A streamed estimate: a :class:`~bioanchors._engine.histogram.Histogram` of the samples,
    read in the estimate's unit (values times ``factor``, 1 in the unit it was sampled in)."""

    __slots__ = ("factor", "histogram")

    def __init__(self, histogram: Histogram, factor: float = 1.0) -> None:
        self.histogram = histogram
        self.factor = factor

    def value(self, q: float) -> float:
        if self.factor == 1.0:
            return self.histogram.value(q)
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

    def scaled(self, factor: float) -> HistogramSummary:
        return HistogramSummary(self.histogram, self.factor * factor)


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


def converted(summary: Summary, scale: float, offset: float) -> Summary:
    """``summary`` read in a unit where a value is ``value * scale + offset``."""
    result = summary if scale == 1.0 else summary.scaled(scale)
    if offset != 0.0:
        result = (
            result.shifted(offset)
            if isinstance(result, SampleSummary)
            else ShiftedSummary(result, offset)
        )
    return result
