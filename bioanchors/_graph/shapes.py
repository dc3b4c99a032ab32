"""The constructors of uncertain inputs: a known value, the leaf distributions, ``between``.

:func:`between` states an assumption as a central credible interval; :func:`point`,
:func:`normal`, :func:`lognormal`, :func:`uniform` and :func:`loguniform` by their parameters.
Every input gets a random stream of its own (:func:`leaf`).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Literal, TypeAlias

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bioanchors._graph.distributions import (
    Distribution,
    Lognormal,
    Loguniform,
    Normal,
    Point,
    Uniform,
)
from bioanchors._graph.finite import finite, finite_exp
from bioanchors._graph.nodes import Leaf, QuantileFit
from bioanchors._graph.streams import new_key
from bioanchors._graph.uncertain import Uncertain
from bioanchors._typing import UnitLike
from bioanchors._units.registry import as_unit
from bioanchors.errors import InvalidInputError

__all__ = [
    "Shape",
    "between",
    "from_distribution",
    "leaf",
    "lognormal",
    "loguniform",
    "normal",
    "point",
    "uniform",
]

Shape: TypeAlias = Literal["lognormal", "normal", "loguniform", "uniform"]
_SHAPES: tuple[str, ...] = ("lognormal", "normal", "loguniform", "uniform")
_INTERVAL_SCORES: dict[float, float] = {
    # sqrt(2) * scipy.special.erfinv(c) for the usual credibilities, exactly as scipy gives
    # them (tests/test_latency.py checks every entry), so that the first between() of a
    # session need not import scipy (a large part of the start-up time).
    0.5: 0.6744897501960818,
    0.6: 0.8416212335729143,
    0.68: 0.9944578832097534,
    0.7: 1.0364333894937896,
    0.75: 1.150349380376008,
    0.8: 1.2815515655446006,
    0.85: 1.439531470938456,
    0.9: 1.644853626951473,
    0.95: 1.9599639845400538,
    0.98: 2.3263478740408408,
    0.99: 2.575829303548901,
    0.999: 3.2905267314918945,
}


def interval_score(credibility: float) -> float:
    """``z`` with ``P(-z < Z < z) = credibility`` for a standard normal ``Z``.

    The ``(1 + c) / 2`` quantile, computed as ``sqrt(2) erfinv(c)``: accurate for ``c`` near 0
    and near 1, where ``(1 + c) / 2`` would round to 0.5 or 1. The usual credibilities come
    from a table of scipy's own values; others import scipy.special on first use.

    >>> interval_score(0.9), interval_score(0.9 + 1e-9) > interval_score(0.9)
    (1.644853626951473, True)
    """
    known = _INTERVAL_SCORES.get(credibility)
    if known is not None:
        return known
    from scipy.special import erfinv  # on first use: scipy takes a noticeable import time

    return math.sqrt(2.0) * float(erfinv(credibility))


def from_distribution(
    dist: Distribution, unit: UnitLike = None, *, name: str | None = None
) -> Uncertain:
    """An input drawn from a leaf distribution model, in ``unit``."""
    return Uncertain(leaf(dist, name), as_unit(unit), name)


def leaf(dist: Distribution, name: str | None, fit: QuantileFit | None = None) -> Leaf:
    """A leaf whose stream key digests its distribution and name (and a fresh ordinal).

    The digest reads ``repr`` of the fields, not pydantic's JSON, whose spelling of floats
    differs between versions (``1e16`` / ``1e+16``): the same script gives the same numbers
    with any supported version."""
    if isinstance(dist, Point):
        return Leaf(dist, fit=fit)
    key = new_key("leaf", repr(dist.model_dump()), name or "")
    return Leaf(dist, fit=fit, key=key)


def _make(
    cls: Callable[..., Distribution], unit: UnitLike, name: str | None, what: str, **fields: float
) -> Uncertain:
    for key, value in fields.items():
        finite(value, f"{what} {key}")
    try:
        dist = cls(**fields)
    except ValidationError as error:
        problems = "; ".join(_describe_error(e, fields) for e in error.errors())
        raise InvalidInputError(f"{what}: {problems}") from None
    return from_distribution(dist, unit, name=name)


def _describe_error(error: ErrorDetails, fields: dict[str, float]) -> str:
    field = str(error["loc"][0]) if error["loc"] else ""
    if field in fields:
        return f"{field}={fields[field]!r}: {error['msg'].lower()}"
    return str(error["msg"]).removeprefix("Value error, ")


def point(value: float, unit: UnitLike = None, *, name: str | None = None) -> Uncertain:
    """A known value with a unit (no uncertainty)."""
    return _make(Point, unit, name, "point", value=value)


def normal(mean: float, sd: float, unit: UnitLike = None, *, name: str | None = None) -> Uncertain:
    """Normal with ``mean`` and standard deviation ``sd`` (>= 0)."""
    return _make(Normal, unit, name, "normal", mean=mean, sd=sd)


def lognormal(
    median: float, gsd: float, unit: UnitLike = None, *, name: str | None = None
) -> Uncertain:
    """Lognormal with ``median`` (> 0) and geometric standard deviation ``gsd`` (> 1)."""
    return _make(Lognormal, unit, name, "lognormal", median=median, gsd=gsd)


def uniform(lo: float, hi: float, unit: UnitLike = None, *, name: str | None = None) -> Uncertain:
    """Uniform on ``[lo, hi]``."""
    return _make(Uniform, unit, name, "uniform", lo=lo, hi=hi)


def loguniform(
    lo: float, hi: float, unit: UnitLike = None, *, name: str | None = None
) -> Uncertain:
    """Log-uniform on ``[lo, hi]``, ``0 < lo < hi``: every order of magnitude equally likely."""
    return _make(Loguniform, unit, name, "loguniform", lo=lo, hi=hi)


def between(
    lo: float,
    hi: float,
    unit: UnitLike = None,
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
    lo = finite(lo, "between lo")
    hi = finite(hi, "between hi")
    c = finite(credibility, "between credibility")
    if not 0.0 < c < 1.0:
        raise InvalidInputError(f"between: credibility must be in (0, 1), got {credibility!r}")
    if shape not in _SHAPES:
        raise InvalidInputError(f"between: unknown shape {shape!r}; expected one of {_SHAPES}")
    if not lo < hi:
        raise InvalidInputError(f"between: expected lo < hi, got lo={lo!r}, hi={hi!r}")
    if shape in ("lognormal", "loguniform") and lo <= 0:
        raise InvalidInputError(f"between: a {shape} interval needs lo > 0, got lo={lo!r}")
    z = interval_score(c)
    if not 0.0 < z < math.inf:
        raise InvalidInputError(
            f"between: credibility {credibility!r} is too close to 0 or 1 to define a spread"
        )
    if shape == "lognormal":
        log_lo, log_hi = math.log(lo), math.log(hi)
        median = finite_exp(0.5 * log_lo + 0.5 * log_hi, "between median")
        gsd = finite_exp((log_hi - log_lo) / (2.0 * z), "between geometric sd", credibility)
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
        finite_exp(log_mid - log_half, "between lower end", credibility),
        finite_exp(log_mid + log_half, "between upper end", credibility),
        unit,
        name=name,
    )
