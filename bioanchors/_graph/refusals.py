"""What an uncertain quantity refuses, and what to do instead.

:class:`Refusals` is the base of :class:`~bioanchors.Uncertain`. It has no single value:
``float(u)``, ``int(u)``, ``bool(u)`` and ``u < v`` raise
:class:`~bioanchors.errors.UncertainValueError`. It is immutable: ``u.unit = ...`` (or any
other assignment or deletion of an attribute) raises :class:`~bioanchors.errors.FrozenValueError`.
"""

from __future__ import annotations

from bioanchors._frozen import Frozen
from bioanchors.errors import UncertainValueError

__all__ = ["Refusals"]

_REFUSAL = (
    "an uncertain quantity has no single {what}; use .estimate() and read .median, "
    ".percentile(q) or .prob_above(x) from the result"
)


class Refusals(Frozen):
    """Refuses mutation, and the conversions and comparisons that need a single value."""

    __slots__ = ()
    _FROZEN_WHAT = "an uncertain quantity"
    _CHANGE_HINT = (
        "use .to(unit) for another unit, .named(name) for another display name, or arithmetic "
        "for a new quantity"
    )

    def __float__(self) -> float:
        raise UncertainValueError(_REFUSAL.format(what="float value"))

    def __int__(self) -> int:
        raise UncertainValueError(_REFUSAL.format(what="integer value"))

    def __index__(self) -> int:
        raise UncertainValueError(_REFUSAL.format(what="integer value"))

    def __bool__(self) -> bool:
        raise UncertainValueError(
            "an uncertain quantity is neither true nor false; use .estimate() and compare its "
            "percentiles, or .prob_above(x) for the probability of exceeding x"
        )

    def _compare(self, other: object) -> bool:
        raise UncertainValueError(
            "uncertain quantities cannot be ordered with <, <=, >, >=; use "
            "bioanchors.prob_greater(a, b) for P(a > b) from one joint draw, "
            ".estimate().prob_above(x) for P(value > x), or compare percentiles of .estimate()"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _compare
