"""Estimate: the summary of an uncertain quantity's distribution.

An Estimate holds either samples (``method`` "mc" or "qmc") or a closed-form lognormal
(``method`` "analytic"), and answers the same questions either way: percentiles, median,
mean, credible intervals and tail probabilities, each as a pint Quantity in the estimate's unit.
It records the seed, the number of samples and the method that produced it.
"""

from __future__ import annotations

import html
import math
import numbers
from typing import Any

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors.distributions import ndtr, ndtri
from bioanchors.errors import InvalidInputError
from bioanchors.units import Quantity, as_unit, conversion_factor, format_unit, get_registry

__all__ = ["Estimate", "format_number"]

_TABLE_PERCENTILES = (5, 50, 95)


def format_number(value: float) -> str:
    """Two significant figures: ``2.1e19``, ``4.0e-3``; plain between 0.01 and 10,000 (``270``)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 0.01 <= abs(value) < 10_000:
        return f"{float(f'{value:.2g}'):g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


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

    __slots__ = ("_log_params", "_samples", "method", "n", "seed", "unit")

    def __init__(
        self,
        unit: pint.Unit,
        *,
        n: int,
        seed: int,
        method: str,
        samples: NDArray[np.float64] | None = None,
        log_params: tuple[float, float] | None = None,
    ) -> None:
        if (samples is None) == (log_params is None):
            raise ValueError("an Estimate holds either samples or lognormal parameters")
        self.unit = unit
        self.n = n
        self.seed = seed
        self.method = method
        self._samples = None if samples is None else np.sort(samples)
        self._log_params = log_params

    @classmethod
    def from_samples(
        cls, samples: NDArray[np.float64], unit: pint.Unit, *, n: int, seed: int, method: str
    ) -> Estimate:
        return cls(unit, n=n, seed=seed, method=method, samples=samples)

    @classmethod
    def from_lognormal(
        cls, mu: float, sigma: float, unit: pint.Unit, *, n: int, seed: int
    ) -> Estimate:
        """A closed-form estimate: ``ln X ~ Normal(mu, sigma)``."""
        return cls(unit, n=n, seed=seed, method="analytic", log_params=(mu, sigma))

    # -- questions --------------------------------------------------------------------------
    def _quantity(self, value: float) -> Quantity:
        return get_registry().Quantity(value, self.unit)

    def _value(self, q: float) -> float:
        if self._log_params is not None:
            mu, sigma = self._log_params
            if sigma == 0.0:
                return math.exp(mu)
            if q in (0.0, 100.0):
                return 0.0 if q == 0.0 else math.inf
            return math.exp(mu + sigma * float(ndtri(np.array([q / 100.0]))[0]))
        assert self._samples is not None
        return float(np.percentile(self._samples, q))

    def percentile(self, q: float) -> Quantity:
        """The ``q``-th percentile, ``q`` in [0, 100]."""
        if isinstance(q, bool) or not isinstance(q, numbers.Real) or not 0.0 <= float(q) <= 100.0:
            raise InvalidInputError(f"percentile: q must be a number in [0, 100], got {q!r}")
        return self._quantity(self._value(float(q)))

    @property
    def median(self) -> Quantity:
        return self.percentile(50)

    @property
    def mean(self) -> Quantity:
        if self._log_params is not None:
            mu, sigma = self._log_params
            return self._quantity(math.exp(mu + sigma**2 / 2))
        assert self._samples is not None
        return self._quantity(float(np.mean(self._samples)))

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
        value = self._magnitude_of(x, "prob_above")
        if self._log_params is not None:
            mu, sigma = self._log_params
            if value <= 0:
                return 1.0
            if sigma == 0.0:
                return 1.0 if math.exp(mu) > value else 0.0
            return float(ndtr(np.array([(mu - math.log(value)) / sigma]))[0])
        assert self._samples is not None
        above = self._samples.size - np.searchsorted(self._samples, value, side="right")
        return float(above / self._samples.size)

    def prob_below(self, x: Any) -> float:
        """P(value <= x)."""
        return 1.0 - self.prob_above(x)

    @property
    def samples(self) -> Quantity | None:
        """The sorted samples (None for an analytic estimate)."""
        return None if self._samples is None else self._quantity(self._samples)  # type: ignore[arg-type]

    @property
    def log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ``ln X`` for an analytic estimate, else None."""
        return self._log_params

    # -- conversions ------------------------------------------------------------------------
    def to(self, unit: Any) -> Estimate:
        """The same estimate in another unit of the same dimension."""
        target = as_unit(unit)
        factor = conversion_factor(self.unit, target)
        if self._log_params is not None:
            mu, sigma = self._log_params
            return Estimate.from_lognormal(
                mu + math.log(factor), sigma, target, n=self.n, seed=self.seed
            )
        assert self._samples is not None
        return Estimate.from_samples(
            self._samples * factor, target, n=self.n, seed=self.seed, method=self.method
        )

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
