"""Leaf distributions: the shapes an uncertain input can take.

Each distribution is a small frozen pydantic model, told apart by its ``kind`` field (so the
same models validate scenario files and generate their JSON Schema), and owns its inverse CDF
(:meth:`ppf`), CDF, mean and median. The sampling engine hands every input a column of standard
normal scores ``z``; :meth:`from_scores` turns them into values. Normal and lognormal inputs use
``z`` directly (``mean + sd * z``, ``exp(mu + sigma * z)``), which is exact and the fastest path;
the others map ``Phi(z)`` through their inverse CDF. MC, QMC and correlated (Gaussian copula)
inputs are then one code path. (One exception, in Monte Carlo only: an independent uniform,
log-uniform or mixture input is handed uniforms drawn directly, which it maps through
:meth:`ppf`; see :mod:`bioanchors._engine.scores`.)

Magnitudes only: units live on the graph node that owns the distribution.
"""

from __future__ import annotations

import math
from typing import Annotated, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import BaseModel, ConfigDict, Field, model_validator

__all__ = [
    "Distribution",
    "Lognormal",
    "Loguniform",
    "Mixture",
    "Normal",
    "Point",
    "Uniform",
    "ndtr",
    "ndtri",
    "normalise_weights",
]

FloatArray: TypeAlias = NDArray[np.float64]

_CONFIG = ConfigDict(frozen=True, extra="forbid", allow_inf_nan=False, strict=False)
# Bisection steps for the mixture's inverse CDF, on the 64-bit order of floats: 64 suffice.
_BISECTION_STEPS = 70
_MAGNITUDE = np.int64(0x7FFF_FFFF_FFFF_FFFF)


def _float_order(values: FloatArray) -> NDArray[np.int64]:
    """Integers in the same order as the floats (negative floats have magnitude bits flipped)."""
    bits = np.ascontiguousarray(values, dtype=np.float64).view(np.int64)
    return np.where(bits < 0, bits ^ _MAGNITUDE, bits)


def _from_float_order(keys: NDArray[np.int64]) -> FloatArray:
    bits = np.where(keys < 0, keys ^ _MAGNITUDE, keys).astype(np.int64)
    return np.asarray(bits.view(np.float64), dtype=np.float64)


def normalise_weights(weights: tuple[float, ...] | list[float]) -> tuple[float, ...] | None:
    """Weights scaled to sum to 1 (None if they sum to nothing), also when their sum overflows.

    Dividing by the largest weight first keeps ``[1e308, 1e308]`` from summing to inf.
    """
    largest = max(weights, default=0.0)
    if not largest > 0 or not math.isfinite(largest):
        return None
    scaled = [w / largest for w in weights]
    total = math.fsum(scaled)
    return tuple(w / total for w in scaled)


def ndtr(x: FloatArray) -> FloatArray:
    """Standard normal CDF (scipy.special, imported on first use; a few values, as a domain
    check asks, by the standard library's ``erf``/``erfc`` as scipy's ``ndtr`` uses them, so
    that one question does not import scipy.special, a third of a second)."""
    values = np.asarray(x, dtype=np.float64)
    if values.size <= _SCALAR_NDTR:
        return np.array([_ndtr_scalar(float(v)) for v in values.ravel()]).reshape(values.shape)
    return _sampled_ndtr(values)


def _sampled_ndtr(z: FloatArray) -> FloatArray:
    """scipy's ``ndtr`` whatever the number of values: samples mapped through it. The standard
    library's ``erf`` differs from scipy's in the last bit, so a sample's value would depend
    on how many samples share its block."""
    from scipy.special import ndtr as _ndtr

    return np.asarray(_ndtr(np.asarray(z, dtype=np.float64)), dtype=np.float64)


_SCALAR_NDTR = 8


def _ndtr_scalar(x: float) -> float:
    if math.isnan(x):
        return math.nan
    t = x * math.sqrt(0.5)
    if abs(t) < math.sqrt(0.5):
        return 0.5 + 0.5 * math.erf(t)
    tail = 0.5 * math.erfc(abs(t))
    return 1.0 - tail if t > 0 else tail


def ndtri(p: FloatArray) -> FloatArray:
    """Standard normal inverse CDF (scipy.special, imported on first use)."""
    from scipy.special import ndtri as _ndtri

    return np.asarray(_ndtri(p), dtype=np.float64)


class Point(BaseModel):
    """A known value: no uncertainty."""

    model_config = _CONFIG
    kind: Literal["point"] = Field(default="point", description="a single known value")
    value: float = Field(description="the value (in the step's unit)")

    def ppf(self, u: FloatArray) -> FloatArray:
        return np.full(np.shape(u), self.value)

    def from_scores(self, z: FloatArray) -> FloatArray:
        return np.full(np.shape(z), self.value)

    def cdf(self, x: FloatArray) -> FloatArray:
        return np.where(np.asarray(x) >= self.value, 1.0, 0.0)

    @property
    def mean(self) -> float:
        return self.value

    @property
    def median(self) -> float:
        return self.value

    def log_params(self) -> tuple[float, float] | None:
        """``(mu, sigma)`` of ``ln X`` when X is lognormal or a positive constant."""
        return (math.log(self.value), 0.0) if self.value > 0 else None


class Normal(BaseModel):
    """Normal distribution with ``mean`` and standard deviation ``sd`` (sd = 0 is a constant)."""

    model_config = _CONFIG
    kind: Literal["normal"] = Field(
        default="normal", description="a normal distribution (can go below zero)"
    )
    mean: float = Field(description="its mean, also its median (in the step's unit)")
    sd: Annotated[float, Field(ge=0.0)] = Field(
        description="its standard deviation (in the step's unit), >= 0 (0 is a constant)"
    )

    def ppf(self, u: FloatArray) -> FloatArray:
        return self.mean + self.sd * ndtri(u)

    def from_scores(self, z: FloatArray) -> FloatArray:
        return self.mean + self.sd * z

    def cdf(self, x: FloatArray) -> FloatArray:
        if self.sd == 0:
            return np.where(np.asarray(x) >= self.mean, 1.0, 0.0)
        return ndtr((np.asarray(x, dtype=np.float64) - self.mean) / self.sd)

    @property
    def median(self) -> float:
        return self.mean

    def log_params(self) -> tuple[float, float] | None:
        return None


class Lognormal(BaseModel):
    """Lognormal distribution given by its ``median`` and geometric standard deviation ``gsd``.

    ``ln X ~ Normal(ln median, ln gsd)``: about 68 % of the mass lies within a factor ``gsd`` of
    the median and 95 % within a factor ``gsd ** 1.96``.
    """

    model_config = _CONFIG
    kind: Literal["lognormal"] = Field(
        default="lognormal", description="a lognormal distribution: ln X is normal"
    )
    median: Annotated[float, Field(gt=0.0)] = Field(
        description="its median (in the step's unit), > 0",
    )
    gsd: Annotated[float, Field(gt=1.0)] = Field(
        description="its geometric standard deviation, > 1 (no unit): about 68 % of the "
        "probability lies within a factor gsd of the median, 90 % within gsd ** 1.645"
    )

    @property
    def mu(self) -> float:
        return math.log(self.median)

    @property
    def sigma(self) -> float:
        return math.log(self.gsd)

    def ppf(self, u: FloatArray) -> FloatArray:
        return np.exp(self.mu + self.sigma * ndtri(u))

    def from_scores(self, z: FloatArray) -> FloatArray:
        return np.exp(self.mu + self.sigma * z)

    def cdf(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=np.float64)
        with np.errstate(divide="ignore"):
            return ndtr((np.log(np.maximum(x, 0.0)) - self.mu) / self.sigma)

    @property
    def mean(self) -> float:
        return math.exp(self.mu + self.sigma**2 / 2)

    def log_params(self) -> tuple[float, float] | None:
        return (self.mu, self.sigma)


def _check_order(lo: float, hi: float, kind: str) -> None:
    if not lo < hi:
        raise ValueError(f"{kind} needs lo < hi, got lo={lo!r}, hi={hi!r}")


class Uniform(BaseModel):
    """Uniform distribution on ``[lo, hi]``."""

    model_config = _CONFIG
    kind: Literal["uniform"] = Field(
        default="uniform", description="a uniform distribution on [lo, hi]"
    )
    lo: float = Field(description="the lowest value (in the step's unit)")
    hi: float = Field(description="the highest value (in the step's unit), > lo")

    @model_validator(mode="after")
    def _ordered(self) -> Uniform:
        _check_order(self.lo, self.hi, "uniform")
        return self

    def ppf(self, u: FloatArray) -> FloatArray:
        u = np.asarray(u, dtype=np.float64)
        width = self.hi - self.lo
        if math.isfinite(width):
            return self.lo + width * u
        return self.lo * (1.0 - u) + self.hi * u  # the width overflows: weigh the ends instead

    def from_scores(self, z: FloatArray) -> FloatArray:
        # Phi(z) of an extreme score (and the bisection of a mixture) passes through tiny
        # numbers on the way to an ordinary value: not an underflow of the input's value.
        with np.errstate(under="ignore"):
            return self.ppf(_sampled_ndtr(z))

    def cdf(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=np.float64)
        # Halves: x - lo and hi - lo may overflow where their halves do not.
        return np.clip((0.5 * x - 0.5 * self.lo) / (0.5 * self.hi - 0.5 * self.lo), 0, 1)

    @property
    def mean(self) -> float:
        return 0.5 * self.lo + 0.5 * self.hi

    @property
    def median(self) -> float:
        return self.mean

    def log_params(self) -> tuple[float, float] | None:
        return None


class Loguniform(BaseModel):
    """Log-uniform distribution on ``[lo, hi]`` (uniform in ``log x``), ``0 < lo < hi``."""

    model_config = _CONFIG
    kind: Literal["loguniform"] = Field(
        default="loguniform",
        description="a log-uniform distribution on [lo, hi]: each factor of 10 equally likely",
    )
    lo: Annotated[float, Field(gt=0.0)] = Field(
        description="the lowest value (in the step's unit), > 0",
    )
    hi: Annotated[float, Field(gt=0.0)] = Field(
        description="the highest value (in the step's unit), > lo",
    )

    @model_validator(mode="after")
    def _ordered(self) -> Loguniform:
        _check_order(self.lo, self.hi, "loguniform")
        return self

    def ppf(self, u: FloatArray) -> FloatArray:
        log_lo, log_hi = math.log(self.lo), math.log(self.hi)
        return np.exp(log_lo + (log_hi - log_lo) * np.asarray(u, dtype=np.float64))

    def from_scores(self, z: FloatArray) -> FloatArray:
        # Phi(z) of an extreme score (and the bisection of a mixture) passes through tiny
        # numbers on the way to an ordinary value: not an underflow of the input's value.
        with np.errstate(under="ignore"):
            return self.ppf(_sampled_ndtr(z))

    def cdf(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=np.float64)
        log_lo, log_hi = math.log(self.lo), math.log(self.hi)
        with np.errstate(divide="ignore"):
            return np.clip((np.log(np.maximum(x, 0.0)) - log_lo) / (log_hi - log_lo), 0, 1)

    @property
    def mean(self) -> float:
        return (self.hi - self.lo) / math.log(self.hi / self.lo)

    @property
    def median(self) -> float:
        return math.sqrt(self.lo * self.hi)

    def log_params(self) -> tuple[float, float] | None:
        return None


class Mixture(BaseModel):
    """A weighted mixture of leaf distributions, with an exact (numerically inverted) ppf.

    Sampling through the inverse CDF keeps a mixture usable in a Gaussian copula. For a mixture
    of derived (non-leaf) quantities use :func:`bioanchors.mixture`, which picks a component per
    sample instead.
    """

    model_config = _CONFIG
    kind: Literal["mixture"] = Field(
        default="mixture",
        description="a weighted mixture: with probability weight[i], a draw from component i",
    )
    components: Annotated[tuple[LeafDistribution, ...], Field(min_length=1)] = Field(
        description="the component distributions, each a table keyed by `kind` (point, "
        "normal, lognormal, uniform or loguniform; not a mixture), in the step's unit"
    )
    weights: tuple[Annotated[float, Field(ge=0.0)], ...] = Field(
        description="one weight >= 0 per component; they are normalised to sum to 1"
    )

    @model_validator(mode="after")
    def _normalised(self) -> Mixture:
        if len(self.weights) != len(self.components):
            raise ValueError(
                f"mixture needs one weight per component: {len(self.components)} components, "
                f"{len(self.weights)} weights"
            )
        normalised = normalise_weights(self.weights)
        if normalised is None:
            raise ValueError(f"mixture weights must sum to a positive number, got {self.weights}")
        if not math.isclose(math.fsum(self.weights), 1.0, rel_tol=0, abs_tol=1e-12):
            object.__setattr__(self, "weights", normalised)
        return self

    def cdf(self, x: FloatArray) -> FloatArray:
        x = np.asarray(x, dtype=np.float64)
        total = np.zeros(x.shape)
        for weight, component in zip(self.weights, self.components, strict=True):
            total += weight * component.cdf(x)
        return total

    def ppf(self, u: FloatArray) -> FloatArray:
        u = np.asarray(u, dtype=np.float64)
        # The mixture's q-quantile lies between its components' q-quantiles.
        bounds = np.stack([c.ppf(u) for c in self.components])
        lo, hi = bounds.min(axis=0), bounds.max(axis=0)
        # Bisect the floats themselves, in the order of their bits: 64 steps reach adjacent
        # floats whatever the bracket (1e-300 .. 1e-299 or -2 .. 1e30); halving the values
        # would stop 2**-70 of the bracket short of them.
        low, high = _float_order(lo), _float_order(hi)
        for _ in range(_BISECTION_STEPS):
            if not bool(np.any(high > low + 1)):
                break
            middle = low // 2 + high // 2 + (low % 2 + high % 2) // 2
            below = self.cdf(_from_float_order(middle)) < u
            low = np.where(below, middle, low)
            high = np.where(below, high, middle)
        return _from_float_order(high)

    def from_scores(self, z: FloatArray) -> FloatArray:
        # Phi(z) of an extreme score (and the bisection of a mixture) passes through tiny
        # numbers on the way to an ordinary value: not an underflow of the input's value.
        with np.errstate(under="ignore"):
            return self.ppf(_sampled_ndtr(z))

    @property
    def mean(self) -> float:
        return sum(w * c.mean for w, c in zip(self.weights, self.components, strict=True))

    @property
    def median(self) -> float:
        return float(self.ppf(np.array([0.5]))[0])

    def log_params(self) -> tuple[float, float] | None:
        return None


LeafDistribution: TypeAlias = Annotated[
    Point | Normal | Lognormal | Uniform | Loguniform, Field(discriminator="kind")
]
Distribution: TypeAlias = Annotated[
    Point | Normal | Lognormal | Uniform | Loguniform | Mixture, Field(discriminator="kind")
]
Mixture.model_rebuild()
