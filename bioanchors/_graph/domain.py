"""Build-time checks that an argument lies in its domain (a count >= 0, a fraction in (0, 1]).

Used by :mod:`bioanchors.methods.adjustments` and :mod:`bioanchors.methods`. What is checked depends
on what the argument is:

* a constant (a plain number, a pint Quantity or a point input) outside the domain raises
  :class:`~bioanchors.errors.InvalidInputError` naming the function, the argument, the value and
  the allowed range;
* an input drawn from a distribution (a leaf of the graph) is checked through its CDF: if every
  value lies outside the domain it is refused as above; if a share of at least
  :data:`WARN_PROBABILITY` lies outside (a normal count can go negative) a
  :class:`~bioanchors.errors.BioanchorsWarning` names the argument and that probability, e.g.
  ``P(fraction <= 0) = 0.62%``; rarer excursions are not reported here;
* a derived quantity (``a * b``, a mixture) has no closed-form distribution: its samples are
  checked when it is sampled, and a sample outside the domain is an
  :class:`~bioanchors.errors.InvalidInputError` naming the function and argument.
"""

from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Final

import numpy as np

from bioanchors._graph.distributions import Point
from bioanchors._graph.uncertain import (
    Apply,
    DomainCheck,
    Leaf,
    Op,
    Operand,
    Uncertain,
    as_uncertain,
)
from bioanchors._units.registry import as_unit, conversion_factor, format_unit
from bioanchors.errors import BioanchorsWarning, InvalidInputError

__all__ = ["AT_LEAST_ONE", "NON_NEGATIVE", "POSITIVE", "UNIT_FRACTION", "Domain", "check"]

WARN_PROBABILITY: Final[float] = 1e-6
"""Leaves whose probability of leaving their domain is at least this warn at build time."""


@dataclass(frozen=True)
class Domain:
    """An interval of allowed values, in the unit the argument is converted to (``base``)."""

    lo: float
    hi: float = math.inf
    lo_open: bool = False
    hi_open: bool = True
    base: str = "dimensionless"
    """Unit in which ``lo`` and ``hi`` are given; only used when a bound is not 0 or inf."""

    def __str__(self) -> str:
        left = "(" if self.lo_open or math.isinf(self.lo) else "["
        right = ")" if self.hi_open or math.isinf(self.hi) else "]"
        return f"{left}{_bound(self.lo)}, {_bound(self.hi)}{right}"

    def contains(self, value: float) -> bool:
        above = value > self.lo if self.lo_open else value >= self.lo
        below = value < self.hi if self.hi_open else value <= self.hi
        return above and below


NON_NEGATIVE: Final[Domain] = Domain(0.0)
POSITIVE: Final[Domain] = Domain(0.0, lo_open=True)
AT_LEAST_ONE: Final[Domain] = Domain(1.0)
UNIT_FRACTION: Final[Domain] = Domain(0.0, 1.0, lo_open=True, hi_open=False)


def _bound(value: float) -> str:
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return f"{value:g}"


def _percent(p: float) -> str:
    return f"{100 * p:.2g}%" if p < 0.1 else f"{100 * p:.0f}%"


def check(value: Operand, function: str, argument: str, domain: Domain) -> Uncertain:
    """``value`` as an :class:`Uncertain`, after checking it against ``domain`` (see above)."""
    node = as_uncertain(value)
    needs_scale = any(b not in (0.0, math.inf, -math.inf) for b in (domain.lo, domain.hi))
    factor = conversion_factor(node.unit, as_unit(domain.base)) if needs_scale else 1.0
    label = argument if node.name is None else f"{argument} ({node.name!r})"
    # An input in another unit (a leaf under unit conversions) is checked as the input.
    inner, scale = node, 1.0
    while isinstance(inner.node, Apply) and inner.node.op is Op.SCALE and inner.node.param > 0:
        scale *= inner.node.param
        inner = inner.node.args[0]
    leaf = inner.node
    if isinstance(leaf, Leaf):
        factor *= scale
    else:
        # A derived argument: its samples are checked when it is sampled.
        bounds = DomainCheck(
            domain.lo / factor,
            domain.hi / factor,
            domain.lo_open,
            domain.hi_open,
            f"{function}: {label} must lie in {domain}",
        )
        return Uncertain(Apply(Op.CHECK, (node,), check=bounds), node.unit, node.name)
    unit = format_unit(node.unit)
    if isinstance(leaf.dist, Point):
        magnitude = leaf.dist.value
        if not domain.contains(magnitude * factor):
            shown = f"{magnitude:g} {unit}".rstrip()
            raise InvalidInputError(
                f"{function}: {label} must lie in {domain}, got {shown}"
                + ("" if factor == 1.0 else f" (= {magnitude * factor:g} {domain.base})")
            )
        return node
    below, above = _outside(leaf, domain, factor)
    if below + above >= 1.0 - 1e-12:
        raise InvalidInputError(
            f"{function}: {label} must lie in {domain}, but its distribution "
            f"({leaf.dist.kind}) lies entirely outside it"
        )
    if below + above >= WARN_PROBABILITY:
        parts = []
        if below > 0:
            parts.append(f"P({argument} {'<=' if domain.lo_open else '<'} {_bound(domain.lo)})")
            parts[-1] += f" = {_percent(below)}"
        if above > 0:
            parts.append(f"P({argument} {'>=' if domain.hi_open else '>'} {_bound(domain.hi)})")
            parts[-1] += f" = {_percent(above)}"
        bounded = math.isfinite(domain.hi)
        suggestion = "uniform or loguniform within it" if bounded else "lognormal or loguniform"
        warnings.warn(
            f"{function}: {label} must lie in {domain}, but its {leaf.dist.kind} distribution "
            f"can leave it: {', '.join(parts)}. Samples outside give wrong results; use a "
            f"distribution that stays inside (e.g. {suggestion}).",
            BioanchorsWarning,
            stacklevel=3,
        )
    return node


def _outside(leaf: Leaf, domain: Domain, factor: float) -> tuple[float, float]:
    """Probabilities that the leaf's value lies below and above the domain."""
    below = above = 0.0
    if math.isfinite(domain.lo):
        lo = domain.lo / factor
        if not domain.lo_open:
            lo = float(np.nextafter(lo, -math.inf))
        below = float(leaf.dist.cdf(np.array([lo]))[0])
    if math.isfinite(domain.hi):
        hi = domain.hi / factor
        if domain.hi_open:
            hi = float(np.nextafter(hi, -math.inf))
        above = 1.0 - float(leaf.dist.cdf(np.array([hi]))[0])
    return below, above
