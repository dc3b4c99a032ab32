"""Named type aliases shared by every layer: what a unit, a method or a seed may be given as.

A low module (no bioanchors imports), so that signatures across the package say ``UnitLike``
or ``Method`` instead of ``Any`` or ``str``.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, get_args

import pint
from pint.facets.plain import PlainUnit

__all__ = ["METHODS", "Method", "UnitLike"]

Method: TypeAlias = Literal["auto", "analytic", "mc", "qmc"]
"""How an estimate is computed: ``"auto"`` (closed form when the graph allows it, else Monte
Carlo), ``"analytic"`` (closed form or an error), ``"mc"`` (Monte Carlo) or ``"qmc"``
(scrambled Sobol)."""

METHODS: Final[tuple[Method, ...]] = get_args(Method)
"""The allowed methods, in the order the CLI lists them."""

UnitLike: TypeAlias = "str | pint.Unit | PlainUnit | None"
"""A unit as users give it: text (``"FLOP/s"``), a pint Unit (of any registry), or None (a
plain number). A Quantity is not a unit: ``as_unit`` refuses it with an ``OperandError``."""
