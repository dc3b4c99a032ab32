"""The arguments of an Estimate's questions, checked: percentile levels and thresholds.

Each function turns what a user may pass (a number, a sequence, a Quantity, a string such as
``"1e17 FLOP/s"``) into plain floats for a summary, or raises an
:class:`~bioanchors.errors.InvalidInputError` naming the question and what it expects.
"""

from __future__ import annotations

import math
import numbers
from typing import Any, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._format import format_number
from bioanchors._units.registry import format_unit, parse_quantity
from bioanchors.errors import InvalidInputError

__all__ = ["credible_tail", "levels", "percentile_interval_levels", "threshold"]

FloatArray: TypeAlias = NDArray[np.float64]


def levels(qs: Any, upper: float, what: str) -> tuple[FloatArray, bool]:
    """``qs`` (one number or a sequence, each in ``[0, upper]``) as an array, and whether it
    was one number."""
    single = np.ndim(qs) == 0
    try:
        values = np.asarray(qs, dtype=np.float64).ravel()
    except (TypeError, ValueError):
        values = np.array([np.nan])
    if (
        isinstance(qs, bool)
        or values.size == 0
        or (single and not isinstance(qs, numbers.Real))
        or not np.all((values >= 0.0) & (values <= upper))
    ):
        raise InvalidInputError(
            f"{what}: q must be a number in [0, {upper:g}] or a sequence of them, got {qs!r}"
        )
    return values, single


def percentile_interval_levels(q: float, confidence: float, n: int) -> tuple[float, float]:
    """The percentiles whose order statistics bound the ``q``-th percentile's rank among ``n``
    samples with the binomial (normal-approximation) ``confidence``."""
    if not 0.0 < float(confidence) < 1.0:
        raise InvalidInputError(
            f"percentile_interval: confidence must be in (0, 1), got {confidence!r}"
        )
    from statistics import NormalDist

    p = float(q) / 100.0
    z = NormalDist().inv_cdf(0.5 + float(confidence) / 2.0)
    spread = z * math.sqrt(n * p * (1.0 - p))
    last = n - 1
    low = max(0.0, p * last - spread) / last * 100.0
    high = min(float(last), p * last + spread) / last * 100.0
    return low, high


def credible_tail(credibility: object) -> float:
    """The percentile below a central credible interval holding ``credibility``."""
    if (
        isinstance(credibility, bool)
        or not isinstance(credibility, numbers.Real)
        or not 0.0 < float(credibility) < 1.0
    ):
        raise InvalidInputError(f"interval: credibility must be in (0, 1), got {credibility!r}")
    # Rounded to 12 digits: (1 - 0.9) / 2 * 100 is 5.000000000000004, not the 5th percentile.
    return round((1.0 - float(credibility)) / 2.0 * 100.0, 12)


def threshold(x: Any, unit: pint.Unit, what: str) -> float:
    """A threshold (a Quantity, a string or, for a dimensionless ``unit``, a number) as a
    magnitude in ``unit``."""
    if isinstance(x, str):
        x = parse_quantity(x, what=f"{what} threshold")
    if isinstance(x, pint.Quantity):
        if np.ndim(x.magnitude) != 0:
            raise InvalidInputError(f"{what}: expected one threshold, got an array {x!r}")
        value = float(x.to(unit).magnitude)  # pint's conversion: offsets included
    elif isinstance(x, numbers.Real) and not isinstance(x, bool):
        if not unit.dimensionless:
            raise InvalidInputError(
                f"{what}: {x!r} has no unit; pass a Quantity or a string such as "
                f"'{format_number(float(x))} {format_unit(unit)}'"
            )
        value = float(x)
    else:
        raise InvalidInputError(f"{what}: expected a quantity like '1e17 FLOP/s', got {x!r}")
    if math.isnan(value):
        raise InvalidInputError(f"{what}: the threshold is NaN")
    return value
