"""Checks that numbers are finite floats: every number a user gives passes :func:`finite`
first, and :func:`finite_exp` computes ``exp`` only where the result is a normal float."""

from __future__ import annotations

import math
import numbers
import sys

from bioanchors.errors import InvalidInputError

__all__ = ["finite", "finite_exp"]

_LOG_MAX = math.log(sys.float_info.max)
_LOG_MIN = math.log(sys.float_info.min)


def finite(value: object, what: str) -> float:
    """``value`` as a float, or an :class:`~bioanchors.errors.InvalidInputError` naming
    ``what`` when it is not a real number (booleans included), not finite, or too large."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{what}: expected a real number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise InvalidInputError(
            f"{what}: {_abbreviated(value)} is too large for a float (largest 1.8e308)"
        ) from None
    if not math.isfinite(number):
        raise InvalidInputError(f"{what}: expected a finite number, got {value!r}")
    return number


def _abbreviated(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"


def finite_exp(log_value: float, what: str, credibility: float | None = None) -> float:
    """``exp`` that refuses to overflow or underflow, naming what it computes."""
    if log_value > _LOG_MAX or log_value < _LOG_MIN:
        hint = f" (credibility {credibility!r} is very small)" if credibility is not None else ""
        raise InvalidInputError(
            f"{what} would be 10**{log_value / math.log(10):.4g}, beyond float range{hint}"
        )
    return math.exp(log_value)
