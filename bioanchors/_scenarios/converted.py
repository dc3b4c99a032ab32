"""An input in another unit: ``x.to(unit)`` of one input ``x``, and ``x`` found back from it.

A step's input may be given in another unit of the step's dimension: an override
(``with_inputs(step_duration=ba.lognormal(1000, 2, "us/step"))`` on a step in ms/step) or a
file step's ``input_unit``. The step holds ``x.to(unit)``, which
:meth:`~bioanchors.Uncertain.to` builds from pint's conversion ``(scale, offset)``
(:func:`~bioanchors._units.registry.affine`): ``SCALE(x, scale)``, and for an offset unit
(degC to K) ``ADD(SCALE(x, scale), offset)``. :func:`converted_from` recognises exactly that
shape, so that a file can say the input as it was given, and its ``input_unit``; loading the
file makes the same conversion, which draws the same numbers bit for bit.

>>> import bioanchors as ba
>>> x = ba.lognormal(1000, 2, "us/step")
>>> converted_from(x.to("ms/step")) is x
True
>>> converted_from(ba.point(20, "degC").to("K")).unit
<Unit('degree_Celsius')>
>>> converted_from(x * 2) is None
True
"""

from __future__ import annotations

import pint

from bioanchors._graph.distributions import Point
from bioanchors._graph.nodes import Apply, Leaf, Op
from bioanchors._graph.uncertain import Uncertain
from bioanchors._units.registry import affine
from bioanchors.errors import BioanchorsError

__all__ = ["as_given", "converted_from"]


def converted_from(quantity: Uncertain) -> Uncertain | None:
    """The input ``x`` with ``quantity`` being ``x.to(quantity.unit)``, else ``None`` (for an
    input itself, or any other expression)."""
    node = quantity.node
    offset = 0.0
    if isinstance(node, Apply) and node.op is Op.ADD:
        scaled, shift = node.args
        constant = shift.node
        if not (isinstance(constant, Leaf) and isinstance(constant.dist, Point)):
            return None
        if constant.group is not None or scaled.unit != quantity.unit:
            return None
        offset = constant.dist.value
        if offset == 0.0:
            return None  # .to adds no zero offset: this is some other sum
        node = scaled.node
    if not (isinstance(node, Apply) and node.op is Op.SCALE and isinstance(node.param, float)):
        return None
    (inner,) = node.args
    if not isinstance(inner.node, Leaf):
        return None
    try:
        expected = affine(inner.unit, quantity.unit)
    except (BioanchorsError, pint.PintError):
        return None
    return inner if expected == (node.param, offset) else None


def as_given(quantity: Uncertain) -> Uncertain:
    """The input as it was given (:func:`converted_from`), or ``quantity`` itself."""
    given = converted_from(quantity)
    return quantity if given is None else given
