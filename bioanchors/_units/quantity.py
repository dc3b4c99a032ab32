"""A float and a unit as a pint Quantity, built directly (the hot path of every answer).

An estimate answers each percentile and mean as a Quantity; pint's constructor dispatches on
the types of its arguments, which costs more than answering a percentile at small ``n``.
:func:`scalar_quantity` makes the same object (the registry's Quantity class, the magnitude and
the unit's container) without it; a test compares the two.

>>> from bioanchors._units.registry import as_unit, get_registry
>>> scalar_quantity(2.5, as_unit("FLOP/s")) == get_registry().Quantity(2.5, "FLOP/s")
True
"""

from __future__ import annotations

import pint

from bioanchors._units.registry import Quantity, get_registry

__all__ = ["scalar_quantity"]


def scalar_quantity(value: float, unit: pint.Unit) -> Quantity:
    """``get_registry().Quantity(value, unit)`` for a float ``value``."""
    quantity: Quantity = object.__new__(get_registry().Quantity)
    quantity._magnitude = value
    quantity._units = unit._units
    return quantity
