"""Unit rules the graph applies when it combines quantities, all answered by pint.

:func:`offset_sum` says what ``left + right`` or ``left - right`` is when an offset unit takes
part (``degC - degC`` is a ``delta_degC``); :func:`unit_power`, :func:`require_dimensionless` and
:func:`exponent_magnitude` are the rules for powers and for the arguments of ``exp`` and
``log``; :func:`scalar_magnitude` refuses an array where one number is meant.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, TypeAlias

import numpy as np
import pint

from bioanchors._units.registry import Quantity, check_arithmetic, get_registry, result_unit
from bioanchors.errors import InvalidInputError

__all__ = [
    "Additive",
    "AffineSum",
    "dimensionless",
    "exponent_magnitude",
    "offset_sum",
    "require_dimensionless",
    "scalar_magnitude",
    "unit_power",
]

Additive: TypeAlias = Literal["+", "-"]


@dataclass(frozen=True, slots=True)
class AffineSum:
    """pint's ``left op right`` as ``left_coef * left + right_coef * right + constant``."""

    unit: pint.Unit
    left_coef: float
    right_coef: float
    constant: float


def offset_sum(op: Additive, left: pint.Unit, right: pint.Unit) -> AffineSum:
    """What pint gives for ``left op right`` on magnitudes in these units, offsets included.

    ``degC + K`` is refused (``OffsetUnitCalculusError``), ``degC - degC`` is a ``delta_degC``,
    ``degC + delta_degC`` a ``degC``. pint's answer is affine in both magnitudes, so it is read
    off pint at three points.
    """
    check_arithmetic(op, left, right)  # OffsetUnitCalculusError where pint refuses
    unit = result_unit(op, left, right)
    registry = get_registry()

    def pint_value(x: float, y: float) -> float:
        a, b = registry.Quantity(x, left), registry.Quantity(y, right)
        result = a + b if op == "+" else a - b
        return float(result.to(unit).magnitude)

    constant = pint_value(0.0, 0.0)
    left_coef = pint_value(1.0, 0.0) - constant
    right_coef = pint_value(0.0, 1.0) - constant
    return AffineSum(unit, left_coef, right_coef, constant)


def unit_power(unit: pint.Unit, power: float) -> pint.Unit:
    """``unit ** power`` (``m**2`` to the 0.5 is ``m``)."""
    result: pint.Unit = unit**power  # type: ignore[assignment]
    return result


def require_dimensionless(unit: pint.Unit, role: str) -> None:
    """Raise pint's ``DimensionalityError`` naming ``role`` unless ``unit`` is dimensionless."""
    if not unit.dimensionless:
        raise pint.DimensionalityError(unit, "dimensionless", extra_msg=f" ({role})")


def dimensionless() -> pint.Unit:
    """The registry's dimensionless unit."""
    unit: pint.Unit = get_registry().dimensionless
    return unit


def scalar_magnitude(quantity: Quantity) -> object:
    """The magnitude of a scalar Quantity; an array is refused."""
    magnitude = quantity.magnitude
    if np.ndim(magnitude) != 0:
        raise InvalidInputError(
            f"expected a scalar quantity, got an array of shape {np.shape(magnitude)}; "
            "use a distribution to describe many values"
        )
    scalar: object = magnitude
    return scalar


def exponent_magnitude(quantity: Quantity) -> object:
    """A dimensionless Quantity used as an exponent, as a plain number (through pint's
    conversion: 2000 ms/s is the number 2, not 2000)."""
    if not quantity.dimensionless:
        raise InvalidInputError(f"an exponent must be dimensionless, got {quantity!r}")
    magnitude: object = quantity.to(dimensionless()).magnitude
    return magnitude
