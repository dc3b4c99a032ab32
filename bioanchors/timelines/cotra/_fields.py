"""Field types of the Cotra (2020) parameter models, and their errors in the library's words.

:class:`Within` is a bound on a number: a pydantic validator whose message names the allowed
range and its unit (``"must be in [0.05, 1000] years (from ~3 weeks to a millennium), got
1e-20"``), and that also writes ``minimum`` / ``maximum`` into the JSON Schema. The bounds are
wide (what-if variants stay possible) but keep every parameter where the model means
something and where its arithmetic stays exact enough: a halving time of 1e-20 years or a
spread of 1e300 orders of magnitude is a typo, and would give a silently wrong year (or samples
that overflow to ``inf``, "never affordable").

:func:`explain` turns a pydantic ``ValidationError`` into one
:class:`~bioanchors.errors.InvalidInputError` message: ``"<field>: <problem>"`` for a model
built in Python, ``"<file>: [<section>] <field>: <problem>"`` for a parameter file.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, TypeAlias

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler, Strict
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema, ErrorDetails, core_schema

__all__ = ["Number", "Within", "clip", "explain", "increasing_pair"]


@dataclass(frozen=True, slots=True)
class Within:
    """``lo <= value <= hi`` (``lo < value`` when ``lo_open``, ``value < hi`` when ``hi_open``);
    ``what`` is the unit and why, e.g. ``"years (from ~3 weeks to a millennium)"``."""

    lo: float
    hi: float
    what: str
    lo_open: bool = False
    hi_open: bool = False

    @property
    def range_text(self) -> str:
        left, right = "(" if self.lo_open else "[", ")" if self.hi_open else "]"
        return f"{left}{self.lo:g}, {self.hi:g}{right}"

    def check(self, value: float) -> float:
        low_ok = value > self.lo if self.lo_open else value >= self.lo
        high_ok = value < self.hi if self.hi_open else value <= self.hi
        if not (low_ok and high_ok):
            raise ValueError(f"must be in {self.range_text} {self.what}, got {value!r}")
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        return core_schema.no_info_after_validator_function(self.check, handler(source))

    def __get_pydantic_json_schema__(
        self, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        out = handler(schema)
        out["exclusiveMinimum" if self.lo_open else "minimum"] = self.lo
        out["exclusiveMaximum" if self.hi_open else "maximum"] = self.hi
        out["description"] = self.what
        return out


Number: TypeAlias = Annotated[float, Strict()]
"""A finite real number (an int is accepted; a bool or a string is not)."""


def increasing_pair(pair: tuple[float, float]) -> tuple[float, float]:
    if not pair[0] < pair[1]:
        raise ValueError(f"must be two increasing numbers (lo, hi), got {pair!r}")
    return pair


# --------------------------------------------------------------------------- messages

_PAIR_ERRORS = frozenset({"missing", "too_short", "too_long", "tuple_type", "float_type"})


def clip(value: object, limit: int = 80) -> str:
    """``repr(value)``, at most ``limit`` characters."""
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's 4300-digit limit for str()
        return "a very large integer"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _lookup(data: object, loc: Sequence[int | str]) -> object:
    for key in loc:
        in_table = isinstance(data, Mapping) and key in data
        in_array = isinstance(data, list | tuple) and isinstance(key, int) and key < len(data)
        if not (in_table or in_array):
            return None
        data = data[key]  # type: ignore[index]
    return data


def _number_problem(kind: str, given: object, value_word: str) -> str:
    if kind == "finite_number":
        return f"{value_word}must be a finite number, got {clip(given)}"
    if isinstance(given, int) and not isinstance(given, bool):
        digits = int(given.bit_length() * math.log10(2)) + 1
        return f"{value_word}is an integer of about {digits} digits, too large for a float"
    return f"{value_word}must be a number, got {clip(given)}"


def _problem(error: ErrorDetails, rest: Sequence[int | str], value: Callable[[], object]) -> str:
    """What is wrong, for an error at ``rest`` below the field (``()``, ``(0,)``, ``("who",)``,
    ``("value", 1)``); ``value`` fetches the field's whole value from the input."""
    kind = error["type"]
    if rest and isinstance(rest[0], str):  # a key of a cited entry
        key = rest[0]
        if kind == "missing" and len(rest) == 1:
            return f"missing {key!r}"
        if kind == "extra_forbidden":
            return f"unknown key {key!r}"
        if key != "value":
            return f"{key!r} must be a non-empty string"
    ctx = error.get("ctx") or {}
    if kind == "value_error" and "error" in ctx:
        return str(ctx["error"])
    in_file = bool(rest) and rest[0] == "value"
    index = rest[1:] if in_file else rest
    value_word = "value " if in_file else ""
    if (index and kind in _PAIR_ERRORS) or kind == "tuple_type":
        return f"{value_word}must be an array of two numbers, got {clip(value())}"
    if kind in ("float_type", "finite_number"):
        return _number_problem(kind, error["input"], value_word)
    message = error["msg"]
    return f"{value_word}{message[:1].lower()}{message[1:]}, got {clip(error['input'])}"


def explain(
    first: ErrorDetails,
    data: object,
    *,
    fields: Sequence[str] = (),
    skip: int = 0,
) -> str:
    """The problem ``first`` (one of a ``ValidationError``'s ``errors()``) as ``"<field>:
    <problem>"``; ``data`` is the validated input (for quoting a field's whole value),
    ``fields`` the known field names (listed for an unknown one) and ``skip`` how many leading
    entries of the error's location lead to ``data`` (1 for a file's section). A model-level
    problem already names its fields."""
    loc = first["loc"][skip:]
    if not loc:
        return _problem(first, (), lambda: data)
    name = str(loc[0])
    if first["type"] == "extra_forbidden" and len(loc) == 1:
        return f"{name}: unknown field (expected one of {sorted(fields)})"
    if first["type"] == "missing" and len(loc) == 1:
        return f"{name}: missing field"
    if first["type"] in ("model_type", "dict_type") and len(loc) == 1:
        return f"{name}: must be a table with value, who, where and quote or page"
    path = [name, "value"] if loc[1:2] == ("value",) else [name]
    return f"{name}: {_problem(first, loc[1:], lambda: _lookup(data, path))}"
