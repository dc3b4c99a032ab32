"""Adjustments that encode the objections raised against the "1000 units per neuron" reading.

Each function works on uncertain quantities (or plain numbers) from Python and is available by
the same name inside scenario formulas. The source of each argument is the EA Forum discussion
of Beniaguev, Segev & London (2021), "It takes 5 layers and 1000 artificial neurons to simulate
a single biological neuron" (link post by MichaelStJules, 2021-09-07).

>>> import bioanchors as ba
>>> from bioanchors.methods.adjustments import reversed_control, useful_fraction
>>> cost = ba.point(1e21, "FLOP/s")
>>> print(reversed_control(cost, 10).estimate())
1.0e20 FLOP/s
>>> print(useful_fraction(cost, ba.point(0.01)).estimate())
1.0e19 FLOP/s

Every argument has a domain, given in each function's docstring. A constant outside it raises
:class:`~bioanchors.errors.InvalidInputError` naming the argument, the value and the allowed
range; an uncertain input drawn from a distribution that lies entirely outside is refused, and
one that can leave the domain (a normal fraction can go negative) warns with a
:class:`~bioanchors.errors.BioanchorsWarning` giving the probability, e.g.
``P(fraction <= 0) = 0.62%``. Derived uncertain arguments (``a / b``) are not checked when the
graph is built; negative samples are reported when the estimate is sampled.

>>> useful_fraction(cost, 5)
Traceback (most recent call last):
...
bioanchors.errors.InvalidInputError: useful_fraction: fraction must lie in (0, 1], got 5
"""

from __future__ import annotations

from bioanchors._graph.distributions import Point
from bioanchors._graph.domain import (
    AT_LEAST_ONE,
    NON_NEGATIVE,
    POSITIVE,
    UNIT_FRACTION,
    Domain,
    check,
)
from bioanchors._graph.functions import formula_function
from bioanchors._graph.uncertain import Leaf, Operand, Uncertain, as_uncertain
from bioanchors._units.registry import get_registry
from bioanchors.errors import InvalidInputError

__all__ = ["multi_neuron_scaling", "reversed_control", "shared_template", "useful_fraction"]


def _dimensionless(value: Operand, role: str) -> Uncertain:
    node = as_uncertain(value)
    if not node.unit.dimensionless:
        import pint

        raise pint.DimensionalityError(node.unit, "dimensionless", extra_msg=f" ({role})")
    # As a plain number: 50 percent is 0.5, so that the result keeps the cost's unit.
    plain = get_registry().dimensionless
    return node if node.unit == plain else node.to(plain)


@formula_function()
def reversed_control(cost: Operand, reverse_overhead: Operand) -> Uncertain:
    """Divide a surrogate-based cost by the overhead of emulating in the other direction.

    irving's first flaw ("no reversed control", comment of 2021-09-07): nobody measured how many
    biological neurons it takes to approximate one artificial unit. If two model classes are
    each poor at imitating the other, part of the "1000x" measures their mismatch, not the
    biological neuron's power; "it could easily be 10x". ``reverse_overhead`` (dimensionless,
    > 0; typically >= 1, 1 = no reverse overhead) is that reverse factor, and the cost (>= 0)
    is divided by it.
    """
    where = "reversed_control"
    overhead = check(
        _dimensionless(reverse_overhead, "reverse_overhead"),
        where,
        "reverse_overhead",
        POSITIVE,
    )
    return check(cost, where, "cost", NON_NEGATIVE) / overhead


@formula_function()
def multi_neuron_scaling(
    per_neuron_overhead: Operand, n_neurons: Operand, alpha: Operand, floor: Operand
) -> Uncertain:
    """Per-neuron overhead that decays as more neurons are emulated together.

    irving's second flaw ("no scaling w.r.t. multiple neurons"): the 1000x factor measured on one
    neuron need not stay constant when many real neurons are approximated by many artificial
    ones; "it's easy to construct model classes where the factor decays to 1". Returns

        floor + (per_neuron_overhead - floor) * (n_neurons / 1 neuron) ** (-alpha)

    so ``alpha = 0`` keeps the overhead constant and a large ``alpha`` drives it to ``floor``.
    ``per_neuron_overhead`` (> 0) and ``floor`` (>= 0, at most the overhead) share a unit;
    ``n_neurons`` (>= 1) is in neurons (or a plain count); ``alpha`` (>= 0) is dimensionless.
    """
    where = "multi_neuron_scaling"
    overhead = check(per_neuron_overhead, where, "per_neuron_overhead", POSITIVE)
    floor_node = check(floor, where, "floor", NON_NEGATIVE)
    _check_floor(overhead, floor_node)
    floor_node = floor_node.to(overhead.unit)
    count = as_uncertain(n_neurons)
    registry = get_registry()
    if count.unit.is_compatible_with(registry.neuron):
        count = check(count, where, "n_neurons", Domain(1.0, base="neuron"))
        count = count / registry.Quantity(1.0, "neuron")
    else:
        count = check(
            _dimensionless(count, "n_neurons, in neurons"), where, "n_neurons", AT_LEAST_ONE
        )
    exponent = check(_dimensionless(alpha, "alpha"), where, "alpha", NON_NEGATIVE)
    decay: Uncertain = count ** (-exponent)
    return floor_node + (overhead - floor_node) * decay


@formula_function()
def shared_template(
    shared_cost: Operand, per_neuron_cost: Operand, n_neurons: Operand
) -> Uncertain:
    """Total cost of a template bank shared by all neurons plus a per-neuron cost.

    Beniaguev et al. (2021) found that the network's first-layer weights act as a set of
    spatiotemporal templates that dendritic branches match against. If neurons share such a
    bank, part of the cost is paid once: ``shared_cost + per_neuron_cost * n_neurons``
    (each >= 0).
    """
    where = "shared_template"
    return check(shared_cost, where, "shared_cost", NON_NEGATIVE) + check(
        per_neuron_cost, where, "per_neuron_cost", NON_NEGATIVE
    ) * check(n_neurons, where, "n_neurons", NON_NEGATIVE)


@formula_function()
def useful_fraction(cost: Operand, fraction: Operand) -> Uncertain:
    """Keep only the fraction of a cost that does useful computation.

    steve2152 (comment of 2021-09-08): "It's possible much of that supposed additional
    complexity isn't useful. Yup! That's where I'd put my money." A transistor needs "three
    equations involving 22 parameters" while its useful function is ON/OFF. ``fraction`` is
    dimensionless, in (0, 1]; ``cost`` is >= 0.
    """
    where = "useful_fraction"
    share = check(_dimensionless(fraction, "fraction"), where, "fraction", UNIT_FRACTION)
    return check(cost, where, "cost", NON_NEGATIVE) * share


def _check_floor(overhead: Uncertain, floor: Uncertain) -> None:
    """Refuse a constant floor above a constant overhead: the overhead would grow, not decay."""
    if not (isinstance(overhead.node, Leaf) and isinstance(floor.node, Leaf)):
        return
    if not (isinstance(overhead.node.dist, Point) and isinstance(floor.node.dist, Point)):
        return
    floor_value = floor.node.dist.value * float(
        get_registry().Quantity(1.0, floor.unit).to(overhead.unit).magnitude
    )
    if floor_value > overhead.node.dist.value:
        raise InvalidInputError(
            f"multi_neuron_scaling: floor ({floor_value:g}) must not exceed "
            f"per_neuron_overhead ({overhead.node.dist.value:g}); the overhead decays from "
            "per_neuron_overhead towards floor"
        )
