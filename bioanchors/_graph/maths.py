"""Functions of uncertain quantities: ``sqrt``, ``exp``, ``log``, ``log10``, ``minimum``,
``maximum`` (public as ``bioanchors.sqrt`` and so on).

Each takes numbers, pint Quantities and uncertain quantities alike and builds one graph node,
checking units at once: ``exp`` and the logarithms need a dimensionless argument, ``minimum``
and ``maximum`` arguments of one dimension.

>>> import bioanchors as ba
>>> ba.sqrt(ba.point(4.0, "m**2")).unit
<Unit('meter')>
"""

from __future__ import annotations

from collections.abc import Callable

import pint

from bioanchors._graph.nodes import Apply, Op
from bioanchors._graph.uncertain import Operand, Uncertain, as_uncertain, plain
from bioanchors._units.arithmetic import require_dimensionless, unit_power
from bioanchors._units.registry import check_arithmetic, get_registry, is_offset
from bioanchors.errors import InvalidInputError

__all__ = ["exp", "log", "log10", "maximum", "minimum", "sqrt"]


def _unary(op: Op, item: Operand, unit_rule: Callable[[pint.Unit], pint.Unit]) -> Uncertain:
    node = as_uncertain(item)
    return Uncertain(Apply(op, (node,)), unit_rule(node.unit))


def sqrt(x: Operand) -> Uncertain:
    """Square root; the unit's exponents are halved (``sqrt(m**2)`` is in m)."""
    node = as_uncertain(x)
    if is_offset(node.unit):
        check_arithmetic("**", node.unit, power=0.5)  # pint refuses degC ** 0.5
    return _unary(Op.SQRT, node, lambda unit: unit_power(unit, 0.5))


def _transcendental(op: Op, x: Operand) -> Uncertain:
    node = as_uncertain(x)
    require_dimensionless(node.unit, f"the argument of {op.value}")
    return Uncertain(Apply(op, (plain(node),)), get_registry().dimensionless)


def exp(x: Operand) -> Uncertain:
    """``e ** x`` of a dimensionless quantity."""
    return _transcendental(Op.EXP, x)


def log(x: Operand) -> Uncertain:
    """Natural logarithm of a dimensionless quantity."""
    return _transcendental(Op.LOG, x)


def log10(x: Operand) -> Uncertain:
    """Base-10 logarithm of a dimensionless quantity (divide by a unit first)."""
    return _transcendental(Op.LOG10, x)


def _extremum(op: Op, first: Operand, rest: tuple[Operand, ...]) -> Uncertain:
    result = as_uncertain(first)
    if not rest:
        raise InvalidInputError(f"{op.value}() needs at least two arguments")
    for other in rest:
        right = as_uncertain(other)
        if right.unit != result.unit:
            right = right.to(result.unit)  # DimensionalityError on a mismatch
        result = Uncertain(Apply(op, (result, right)), result.unit)
    return result


def minimum(first: Operand, *rest: Operand) -> Uncertain:
    """Sample-wise minimum of quantities of one dimension."""
    return _extremum(Op.MIN, first, rest)


def maximum(first: Operand, *rest: Operand) -> Uncertain:
    """Sample-wise maximum of quantities of one dimension."""
    return _extremum(Op.MAX, first, rest)
