"""Constructors of uncertain inputs: the ways a forecaster states an assumption.

>>> import bioanchors as ba
>>> synapses = ba.between(1e14, 1e15, "synapse")            # a 90 % credible interval
>>> rate = ba.lognormal(0.3, 2.0, "spike / synapse / s")     # median and geometric sd
>>> brain = ba.from_quantiles({0.5: 1e15, 0.9: 1e21}, "FLOP/s")
>>> round(brain.estimate().percentile(90).magnitude / 1e21, 6)
1.0
"""

from __future__ import annotations

import itertools
import math
import sys
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import ValidationError

from bioanchors._graph.distributions import (
    Distribution,
    Lognormal,
    Loguniform,
    Mixture,
    Normal,
    Point,
    Uniform,
    ndtri,
    normalise_weights,
)
from bioanchors._graph.uncertain import Leaf, Mix, StreamKey, Uncertain, _finite, new_key
from bioanchors._units.registry import affine, as_unit
from bioanchors.errors import BioanchorsWarning, CorrelationError, FitError, InvalidInputError

__all__ = [
    "CorrelationGroup",
    "QuantileFit",
    "Shape",
    "between",
    "correlate",
    "from_distribution",
    "from_quantiles",
    "lognormal",
    "loguniform",
    "mixture",
    "normal",
    "point",
    "uniform",
]

Shape: TypeAlias = Literal["lognormal", "normal", "loguniform", "uniform"]
MISFIT_WARNING = 0.1
"""Orders of magnitude by which a :func:`from_quantiles` fit may miss a quantile silently."""
_SHAPES: tuple[str, ...] = ("lognormal", "normal", "loguniform", "uniform")


def from_distribution(
    dist: Distribution, unit: Any = None, *, name: str | None = None
) -> Uncertain:
    """An input drawn from a leaf distribution model, in ``unit``."""
    return Uncertain(_leaf(dist, name), as_unit(unit), name)


def _leaf(dist: Distribution, name: str | None, **extra: Any) -> Leaf:
    """A leaf whose stream key digests its distribution and name (and a fresh ordinal).

    The digest reads ``repr`` of the fields, not pydantic's JSON, whose spelling of floats
    differs between versions (``1e16`` / ``1e+16``): the same script gives the same numbers
    with any supported version."""
    if isinstance(dist, Point):
        return Leaf(dist, **extra)
    key = new_key("leaf", repr(dist.model_dump()), name or "")
    return Leaf(dist, key=key, **extra)


def _make(cls: Any, unit: Any, name: str | None, what: str, **fields: float) -> Uncertain:
    for key, value in fields.items():
        _finite(value, f"{what} {key}")
    try:
        dist = cls(**fields)
    except ValidationError as error:
        problems = "; ".join(_describe_error(e, fields) for e in error.errors())
        raise InvalidInputError(f"{what}: {problems}") from None
    return from_distribution(dist, unit, name=name)


def _describe_error(error: Any, fields: dict[str, float]) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    if field in fields:
        return f"{field}={fields[field]!r}: {error['msg'].lower()}"
    return str(error["msg"]).removeprefix("Value error, ")


def point(value: float, unit: Any = None, *, name: str | None = None) -> Uncertain:
    """A known value with a unit (no uncertainty)."""
    return _make(Point, unit, name, "point", value=value)


def normal(mean: float, sd: float, unit: Any = None, *, name: str | None = None) -> Uncertain:
    """Normal with ``mean`` and standard deviation ``sd`` (>= 0)."""
    return _make(Normal, unit, name, "normal", mean=mean, sd=sd)


def lognormal(median: float, gsd: float, unit: Any = None, *, name: str | None = None) -> Uncertain:
    """Lognormal with ``median`` (> 0) and geometric standard deviation ``gsd`` (> 1)."""
    return _make(Lognormal, unit, name, "lognormal", median=median, gsd=gsd)


def uniform(lo: float, hi: float, unit: Any = None, *, name: str | None = None) -> Uncertain:
    """Uniform on ``[lo, hi]``."""
    return _make(Uniform, unit, name, "uniform", lo=lo, hi=hi)


def loguniform(lo: float, hi: float, unit: Any = None, *, name: str | None = None) -> Uncertain:
    """Log-uniform on ``[lo, hi]``, ``0 < lo < hi``: every order of magnitude equally likely."""
    return _make(Loguniform, unit, name, "loguniform", lo=lo, hi=hi)


def between(
    lo: float,
    hi: float,
    unit: Any = None,
    *,
    credibility: float = 0.9,
    shape: Shape = "lognormal",
    name: str | None = None,
) -> Uncertain:
    """An input whose central credible interval is ``[lo, hi]`` (squiggle's ``lo to hi``).

    For every shape, ``lo`` and ``hi`` are exactly the ``(1 - c) / 2`` and ``(1 + c) / 2``
    quantiles for ``c = credibility``: a uniform or log-uniform input therefore extends a
    little beyond them (use :func:`uniform` / :func:`loguniform` for hard bounds).

    >>> import bioanchors as ba
    >>> est = ba.between(1e14, 1e15, "synapse").estimate()
    >>> [f"{q.magnitude:.3e}" for q in est.interval(0.9)]
    ['1.000e+14', '1.000e+15']
    """
    lo = _finite(lo, "between lo")
    hi = _finite(hi, "between hi")
    c = _finite(credibility, "between credibility")
    if not 0.0 < c < 1.0:
        raise InvalidInputError(f"between: credibility must be in (0, 1), got {credibility!r}")
    if shape not in _SHAPES:
        raise InvalidInputError(f"between: unknown shape {shape!r}; expected one of {_SHAPES}")
    if not lo < hi:
        raise InvalidInputError(f"between: expected lo < hi, got lo={lo!r}, hi={hi!r}")
    if shape in ("lognormal", "loguniform") and lo <= 0:
        raise InvalidInputError(f"between: a {shape} interval needs lo > 0, got lo={lo!r}")
    # The (1 + c) / 2 quantile of the standard normal, as sqrt(2) erfinv(c): accurate for c
    # near 0 and near 1, where (1 + c) / 2 would round to 0.5 or 1.
    from scipy.special import erfinv  # on first use: scipy takes a noticeable import time

    z = math.sqrt(2.0) * float(erfinv(c))
    if not 0.0 < z < math.inf:
        raise InvalidInputError(
            f"between: credibility {credibility!r} is too close to 0 or 1 to define a spread"
        )
    if shape == "lognormal":
        log_lo, log_hi = math.log(lo), math.log(hi)
        median = _exp(0.5 * log_lo + 0.5 * log_hi, "between median")
        gsd = _exp((log_hi - log_lo) / (2.0 * z), "between geometric sd", credibility)
        return lognormal(median, gsd, unit, name=name)
    # Halves first: (lo + hi) and (hi - lo) may overflow where lo/2 and hi/2 do not.
    mid = 0.5 * lo + 0.5 * hi
    half_width = 0.5 * hi - 0.5 * lo
    if shape == "normal":
        return normal(mid, half_width / z, unit, name=name)
    if shape == "uniform":
        half = half_width / c
        if not math.isfinite(mid - half) or not math.isfinite(mid + half):
            raise InvalidInputError(
                f"between: a uniform whose central {c:g} is [{lo!r}, {hi!r}] reaches beyond "
                "float range"
            )
        return uniform(mid - half, mid + half, unit, name=name)
    log_half = (math.log(hi) - math.log(lo)) / (2.0 * c)
    log_mid = 0.5 * math.log(lo) + 0.5 * math.log(hi)
    return loguniform(
        _exp(log_mid - log_half, "between lower end", credibility),
        _exp(log_mid + log_half, "between upper end", credibility),
        unit,
        name=name,
    )


def _exp(log_value: float, what: str, credibility: float | None = None) -> float:
    """``exp`` that refuses to overflow or underflow, naming what it computes."""
    if log_value > _LOG_MAX or log_value < _LOG_MIN:
        hint = f" (credibility {credibility!r} is very small)" if credibility is not None else ""
        raise InvalidInputError(
            f"{what} would be 10**{log_value / math.log(10):.4g}, beyond float range{hint}"
        )
    return math.exp(log_value)


_LOG_MAX = math.log(sys.float_info.max)
_LOG_MIN = math.log(sys.float_info.min)


@dataclass(frozen=True)
class QuantileFit:
    """How well :func:`from_quantiles` passes through the quantiles it was given.

    ``residuals_log10`` is, per quantile, log10(fitted value / given value); ``max_log10_error``
    its largest absolute value (0 for an exact two-point fit).
    """

    quantiles: tuple[float, ...]
    values: tuple[float, ...]
    residuals_log10: tuple[float, ...]

    @property
    def max_log10_error(self) -> float:
        return max(abs(r) for r in self.residuals_log10)


def from_quantiles(
    quantiles: Mapping[float, float], unit: Any = None, *, name: str | None = None
) -> Uncertain:
    """A lognormal through given quantiles, e.g. ``{0.5: 1e15, 0.9: 1e21}``.

    Two quantiles are matched exactly; more are fitted by least squares in log space and the
    misfit is kept on the result's ``node.fit`` (a :class:`QuantileFit`). A fit that misses a
    given quantile by more than :data:`MISFIT_WARNING` orders of magnitude (a factor 1.26)
    warns with a :class:`~bioanchors.BioanchorsWarning`: no lognormal says what was asked.

    >>> import warnings
    >>> import bioanchors as ba
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     brain = ba.from_quantiles({0.1: 1e13, 0.5: 1e15, 0.9: 1e18}, "FLOP/s")
    >>> round(brain.node.fit.max_log10_error, 3), caught[0].category.__name__
    (0.333, 'BioanchorsWarning')
    """
    if not isinstance(quantiles, Mapping) or len(quantiles) < 2:
        raise FitError(
            f"from_quantiles: expected a mapping of at least two quantiles to values, "
            f"got {quantiles!r}"
        )
    pairs = sorted(
        (_finite(q, "from_quantiles quantile"), _finite(v, "from_quantiles value"))
        for q, v in quantiles.items()
    )
    for q, v in pairs:
        if not 0.0 < q < 1.0:
            raise FitError(f"from_quantiles: quantile {q!r} is outside (0, 1)")
        if v <= 0.0:
            raise FitError(
                f"from_quantiles: the value at quantile {q!r} is {v!r}; a lognormal needs "
                "positive values"
            )
    for (q1, v1), (q2, v2) in itertools.pairwise(pairs):
        if not v2 > v1:
            raise FitError(
                f"from_quantiles: values must increase with their quantiles, but "
                f"{q1!r} -> {v1!r} and {q2!r} -> {v2!r}"
            )
    qs = np.array([q for q, _ in pairs])
    log_values = np.log(np.array([v for _, v in pairs]))
    z = ndtri(qs)
    sigma, mu = (float(v) for v in np.polyfit(z, log_values, 1))
    fitted = mu + sigma * z
    fit = QuantileFit(
        quantiles=tuple(float(q) for q in qs),
        values=tuple(float(v) for _, v in pairs),
        residuals_log10=tuple(float(r) for r in (fitted - log_values) / math.log(10)),
    )
    if not sigma > 0:
        raise FitError(f"from_quantiles: these quantiles give no spread (sigma {sigma!r})")
    if fit.max_log10_error > MISFIT_WARNING:
        worst = max(range(len(pairs)), key=lambda i: abs(fit.residuals_log10[i]))
        q_worst, v_worst = pairs[worst]
        warnings.warn(
            BioanchorsWarning(
                f"from_quantiles: no lognormal passes through these quantiles; the least-squares "
                f"fit puts the {q_worst:g} quantile at "
                f"{v_worst * 10 ** fit.residuals_log10[worst]:.3g} where {v_worst:.3g} was given "
                f"({fit.max_log10_error:.2f} orders of magnitude off). Use two quantiles, or a "
                "mixture, to say it exactly."
            ),
            stacklevel=2,
        )
    median = _exp(mu, "from_quantiles median")
    gsd = _exp(sigma, "from_quantiles geometric sd")
    try:
        dist = Lognormal(median=median, gsd=gsd)
    except ValidationError as error:  # gsd rounds to 1 for a spread below 2e-16
        raise FitError(f"from_quantiles: {error.errors()[0]['msg']}") from None
    return Uncertain(_leaf(dist, name, fit=fit), as_unit(unit), name)


def mixture(components: Sequence[Uncertain], weights: Sequence[float] | None = None) -> Uncertain:
    """A weighted mixture: each sample comes from one component, chosen with these weights.

    Weights default to equal and are normalised to sum to 1. Components may be derived
    quantities and must share a dimension; the result is in the first component's unit. When
    every component is an independent leaf input, the result is itself a leaf with an exact
    inverse CDF (so it can be correlated); otherwise the component is chosen by a draw of its own.
    """
    items = list(components)
    if not items:
        raise InvalidInputError("mixture: expected at least one component, got none")
    for item in items:
        if not isinstance(item, Uncertain):
            raise InvalidInputError(
                f"mixture: components must be uncertain quantities (use ba.point for a known "
                f"value), got {item!r}"
            )
    raw = [1.0] * len(items) if weights is None else [_finite(w, "mixture weight") for w in weights]
    if len(raw) != len(items):
        raise InvalidInputError(
            f"mixture: expected one weight per component ({len(items)}), got {len(raw)} weights"
        )
    if any(w < 0 for w in raw):
        raise InvalidInputError(f"mixture: weights must be >= 0, got {raw}")
    normalised = normalise_weights(raw)
    if normalised is None:
        raise InvalidInputError(f"mixture: weights must sum to a positive number, got {raw}")
    unit = items[0].unit
    factors = [affine(item.unit, unit) for item in items]  # DimensionalityError
    leaves = [item.node for item in items]
    if all(isinstance(leaf, Leaf) and leaf.group is None for leaf in leaves) and all(
        f == (1.0, 0.0) for f in factors
    ):
        dists = [leaf.dist for leaf in leaves if isinstance(leaf, Leaf)]
        if not any(isinstance(d, Mixture) for d in dists):
            return from_distribution(Mixture(components=tuple(dists), weights=normalised), unit)
    converted = tuple(
        item if f == (1.0, 0.0) else item.to(unit) for item, f in zip(items, factors, strict=True)
    )
    return Uncertain(Mix(converted, normalised), unit)


@dataclass(frozen=True, eq=False)
class CorrelationGroup:
    """Inputs bound by a Gaussian copula: their normal scores have correlation ``matrix``.

    The group draws its members' scores jointly from one random stream, named by ``key``.
    """

    matrix: tuple[tuple[float, ...], ...]
    size: int
    key: StreamKey = ()

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", new_key("group", self.matrix))

    def sub_matrix(self, positions: Sequence[int]) -> NDArray[np.float64]:
        """Correlations among the members at ``positions`` (in that order)."""
        return np.array(self.matrix)[np.ix_(list(positions), list(positions))]


def correlate(
    inputs: Sequence[Uncertain], corr: float | Sequence[Sequence[float]]
) -> list[Uncertain]:
    """Bind inputs so that their normal scores have correlation ``corr`` (Gaussian copula).

    ``corr`` is one number for every pair or a full matrix. Returns new inputs with the same
    distributions, names and units; use the returned ones (the originals stay independent).

    This is the Pearson correlation of the inputs' *normal scores*. Their Spearman rank
    correlation is ``(6 / pi) * arcsin(corr / 2)``, slightly smaller in magnitude (0.5 becomes
    0.483); for two lognormals it is also the correlation of their logarithms.

    >>> import bioanchors as ba
    >>> a, b = ba.correlate([ba.between(1, 10), ba.between(1, 10)], 0.8)
    """
    items = list(inputs)
    size = len(items)
    if size < 2:
        raise CorrelationError(f"correlate: expected at least two inputs, got {size}")
    for index, item in enumerate(items):
        node = item.node if isinstance(item, Uncertain) else None
        if not isinstance(node, Leaf) or isinstance(node.dist, Point):
            raise CorrelationError(
                f"correlate: input {index} ({item!r}) is not an uncertain input; only inputs "
                "made by between(), lognormal(), normal(), ... can be correlated"
            )
        if node.group is not None:
            raise CorrelationError(
                f"correlate: input {index} ({item!r}) is already correlated; put all the inputs "
                "that depend on each other in one correlate() call with a matrix"
            )
    if len({id(item.node) for item in items}) != size:
        raise CorrelationError("correlate: the same input appears twice in the list")
    matrix = _correlation_matrix(corr, size)
    members = tuple(item.node.key for item in items if isinstance(item.node, Leaf))
    rows = tuple(tuple(float(v) for v in row) for row in matrix)
    group = CorrelationGroup(rows, size, new_key("group", rows, members))
    bound = []
    for position, item in enumerate(items):
        leaf = item.node
        assert isinstance(leaf, Leaf)
        bound.append(
            Uncertain(replace(leaf, group=group, group_index=position), item.unit, item.name)
        )
    return bound


def _correlation_matrix(corr: float | Sequence[Sequence[float]], size: int) -> np.ndarray:
    if isinstance(corr, int | float) and not isinstance(corr, bool):
        value = float(corr)
        if not -1.0 <= value <= 1.0:  # also refuses NaN
            raise CorrelationError(f"correlate: a correlation must be in [-1, 1], got {corr!r}")
        matrix = np.full((size, size), value)
        np.fill_diagonal(matrix, 1.0)
    else:
        try:
            matrix = np.array(corr, dtype=np.float64)
        except (TypeError, ValueError):
            raise CorrelationError(
                f"correlate: expected a number or a {size}x{size} matrix, got {corr!r}"
            ) from None
        if matrix.shape != (size, size):
            raise CorrelationError(
                f"correlate: expected a {size}x{size} matrix for {size} inputs, got shape "
                f"{matrix.shape}"
            )
        if not np.all(np.isfinite(matrix)):
            raise CorrelationError(f"correlate: the matrix has non-finite entries: {corr!r}")
        if np.any(np.abs(matrix) > 1.0):
            raise CorrelationError(f"correlate: entries must be in [-1, 1], got {corr!r}")
        if not np.allclose(np.diag(matrix), 1.0):
            raise CorrelationError(f"correlate: the diagonal must be all 1, got {np.diag(matrix)}")
        if not np.allclose(matrix, matrix.T, atol=1e-12):
            raise CorrelationError(f"correlate: the matrix is not symmetric: {corr!r}")
    smallest = float(np.linalg.eigvalsh(matrix).min())
    if smallest < -1e-10:
        raise CorrelationError(
            f"correlate: the matrix is not positive semi-definite (smallest eigenvalue "
            f"{smallest:.3g}), so no inputs can have these correlations together"
        )
    return matrix
