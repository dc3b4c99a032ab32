"""The one pint unit registry of bioanchors.

Built on first use (not at import: building a registry takes a noticeable fraction of a
second) from pint's defaults plus ``units.txt`` beside this file, which documents why ``FLOP``,
``neuron``, ``synapse``, ``spike``, ``parameter`` and ``step`` are dimensions of their own.
"""

from __future__ import annotations

import functools
import math
from pathlib import Path
from typing import Any, TypeAlias

import pint

__all__ = [
    "Quantity",
    "Registry",
    "UnitLike",
    "as_unit",
    "conversion_factor",
    "format_unit",
    "get_registry",
]

Quantity: TypeAlias = "pint.Quantity[Any]"
"""A pint Quantity (scalar or array magnitude), for annotations."""
Registry: TypeAlias = "pint.UnitRegistry[Any]"

UnitLike: TypeAlias = "str | pint.Unit | None"
"""A unit as users write it: a string such as ``"FLOP/s"``, a pint Unit, or None (dimensionless)."""

_DEFINITIONS = Path(__file__).with_name("units.txt")
_UPCAST_NAME = "bioanchors.uncertain.Uncertain"


@functools.cache
def get_registry() -> Registry:
    """Return the registry, building it the first time it is asked for."""
    registry: Registry = pint.UnitRegistry(autoconvert_offset_to_baseunit=False)
    registry.load_definitions(str(_DEFINITIONS))
    _register_upcast()
    return registry


def _register_upcast() -> None:
    # Ask pint to return NotImplemented for ``Quantity * Uncertain`` so that Python falls back
    # to Uncertain.__rmul__ (pint's documented mechanism for wrapper types, "upcast types").
    import pint.compat

    from bioanchors.uncertain import Uncertain

    names: tuple[str, ...] = pint.compat.upcast_type_names
    pint.compat.upcast_type_names = (*names, _UPCAST_NAME)  # type: ignore[assignment]
    upcast: dict[str, type | None] = pint.compat.upcast_type_map  # type: ignore[assignment]
    upcast[_UPCAST_NAME] = Uncertain


def as_unit(unit: Any) -> pint.Unit:
    """Parse ``unit`` into a registry Unit.

    Raises pint's ``UndefinedUnitError`` for an unknown name and ``TypeError`` for something
    that is not a unit at all (a number or Quantity with a magnitude other than 1).
    """
    registry = get_registry()
    if unit is None:
        return registry.dimensionless
    if isinstance(unit, registry.Unit):
        return unit
    if isinstance(unit, pint.Unit):
        return registry.Unit(str(unit))
    if isinstance(unit, str):
        text = unit.strip()
        if not text or text == "1":
            return registry.dimensionless
        parsed = registry.parse_units(text)
        return registry.Unit(parsed)
    raise TypeError(f"expected a unit such as 'FLOP/s' or None, got {unit!r}")


def conversion_factor(source: pint.Unit, target: pint.Unit) -> float:
    """Multiply a magnitude in ``source`` by this to express it in ``target``.

    Raises pint's ``DimensionalityError`` if the dimensions differ.
    """
    if source == target:
        return 1.0
    registry = get_registry()
    factor = float(registry.Quantity(1.0, source).to(target).magnitude)
    if not math.isfinite(factor) or factor == 0.0:
        raise ValueError(f"cannot convert {source} to {target}: factor {factor}")
    return factor


def format_unit(unit: pint.Unit) -> str:
    """Short, compact spelling of a unit for tables: ``FLOP/s``, ``parameter/neuron``."""
    if unit.dimensionless and str(unit) in ("dimensionless", ""):
        return ""
    return f"{unit:~C}"
