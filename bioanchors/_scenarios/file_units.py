"""A scenario file's own units: the ``[units]`` table, checked and added to the one registry.

A file may say::

    [units]
    compartment = "[compartment]"      # a new base dimension, [compartment]
    synaptic_event = "spike"           # a new name for a product of known units
    burst = "10 * spike"               # ... times a positive factor

Nothing in the table is executed or handed to pint's definition parser: a definition is either
a bracketed dimension name or one optional number then a unit expression, read by the strict
unit-text grammar (:mod:`bioanchors._units.text`), and the unit is built from those parts
(:func:`~bioanchors._units.registry.define_unit`).

A name is an ASCII identifier that the registry does not know in any spelling: not a unit, a
prefixed or plural unit (``kneuron``, ``neurons``), a prefix, a constant (``c``), a unit in
another case (``hz``), a name pint reserves (``dimensionless``, ``delta_...``), and not a name
that a known unit would read as prefixed (``eter`` would make ``meter`` milli-eter). The
library's units are never redefined. The registry is shared by the whole process, so a name
defined by a file stays defined: loading the same file again, or another file with the same
definition, is fine; another definition of the name is refused, naming both files.

>>> from fractions import Fraction
>>> parse_definition("10 * spike")
(10.0, (('spike', Fraction(1, 1)),))
>>> parse_definition("[compartment]")
(1.0, '[compartment]')
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Final

import pint

from bioanchors._units.registry import define_unit, get_registry, is_offset
from bioanchors._units.text import Terms, parse_quantity_text, parse_unit_text
from bioanchors.errors import BioanchorsError, ScenarioError

__all__ = [
    "MAX_NAME_LENGTH",
    "UNITS_TABLE_DESCRIPTION",
    "UnitEntry",
    "check_name",
    "parse_definition",
    "register_units",
    "units_used",
]

MAX_NAME_LENGTH: Final = 64
"""Longest name a file may define."""

UNITS_TABLE_DESCRIPTION: Final = (
    "the file's own units, NAME = DEFINITION: '[NAME]' makes a new base dimension "
    '(compartment = "[compartment]"), and a unit expression with an optional positive factor '
    'defines a name in known units (synaptic_event = "spike", burst = "10 * spike"). Names are '
    "identifiers that are not already a unit, prefix or constant (the library's units are never "
    "redefined); a file that extends another inherits its units and may add new ones. Units are "
    "shared by every scenario loaded in the process: the same name with another definition in "
    "another file is refused. Definitions are read by the strict unit grammar, never executed"
)

UnitEntry = tuple[str, str, str]
"""``(name, definition, file)``: one entry of a file's ``[units]`` table."""

_NAME: Final = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_RESERVED: Final = frozenset({"dimensionless", "inf", "infinity", "nan", "none", "true", "false"})
_DIMENSION: Final = re.compile(r"\[([A-Za-z_][A-Za-z0-9_]*)\]")
_FACTOR: Final = re.compile(r"\s*([0-9][0-9._eE+-]*)\s*\*(?!\*)\s*")
_FORM: Final = (
    "'[NAME]' for a new dimension, or a unit with an optional positive factor, such as "
    "'spike', 'spike / s' or '10 * spike'"
)
_Canonical = tuple[float, Terms | str]
_Key = tuple[float, str | tuple[tuple[str, float], ...]]

_lock = threading.Lock()
_defined: dict[str, tuple[_Key, str]] = {}
"""The names files have defined in this process: their parsed definition and first file."""
_texts: dict[str, str] = {}
"""The definition of each name in :data:`_defined`, as its first file wrote it."""


def check_name(name: str) -> str | None:
    """Why ``name`` cannot be a file's unit, or ``None`` if it can (a name already defined by a
    file is not checked here: see :func:`register_units`)."""
    if not isinstance(name, str) or _NAME.fullmatch(name) is None:
        return "a unit name is an identifier: ASCII letters, digits and _, starting with a letter"
    if len(name) > MAX_NAME_LENGTH:
        return f"a unit name has at most {MAX_NAME_LENGTH} characters"
    try:
        if parse_unit_text(name) != ((name, Fraction(1)),):
            return f"{name!r} is a word of the unit grammar"
    except BioanchorsError:
        return f"{name!r} is a word of the unit grammar"
    registry = get_registry()
    if name.lower() in _RESERVED or name.startswith("delta_"):
        return f"{name!r} is reserved (pint gives it a meaning of its own)"
    if name in registry._prefixes:
        return f"{name!r} is a prefix of the library's units"
    if registry.parse_unit_name(name):
        known = ", ".join(sorted({"".join(parts) for parts in registry.parse_unit_name(name)}))
        return f"{name!r} is already a unit of the library ({known}); pick another name"
    if registry.parse_unit_name(name, case_sensitive=False):
        near = ", ".join(
            sorted({"".join(p) for p in registry.parse_unit_name(name, case_sensitive=False)})
        )
        return f"{name!r} differs only in case from the library's unit {near}; pick another name"
    clash = _shadowed(name)
    if clash is not None:
        return (
            f"{name!r} would make the library's unit {clash!r} ambiguous (a prefix and "
            f"{name!r}); pick another name"
        )
    return None


def _shadowed(name: str) -> str | None:
    """A known unit that ``name`` with a prefix or plural ending would spell, if any."""
    registry = get_registry()
    for prefix in registry._prefixes:
        for suffix in registry._suffixes:
            spelled = f"{prefix}{name}{suffix}"
            if spelled != name and spelled in registry._units:
                return spelled
    return None


def parse_definition(text: str) -> _Canonical:
    """``(factor, terms)`` of a definition; for a new base dimension, ``(1.0, "[name]")``.

    Raises :class:`ValueError` (a :class:`~bioanchors.errors.UnitTextError` for text outside
    the grammar) naming what is wrong.
    """
    if not isinstance(text, str):
        raise ValueError(f"a definition is a string, got {text!r}")
    stripped = text.strip()
    if stripped.startswith("["):
        if _DIMENSION.fullmatch(stripped) is None:
            raise ValueError(
                f"{text!r} is not a dimension such as '[compartment]' (an identifier in brackets)"
            )
        return 1.0, stripped
    factor = _FACTOR.match(stripped)  # "10 * spike" is read as "10 spike"
    if factor is not None:
        stripped = f"{factor.group(1)} {stripped[factor.end() :]}"
    try:
        parsed = parse_quantity_text(stripped, "unit definition", number_required=False)
    except BioanchorsError as error:
        reason = str(error).split(": ", 1)[-1].split("; expected", 1)[0]
        raise ValueError(f"cannot read {text!r} ({reason}); expected {_FORM}") from None
    if not parsed.unit:
        raise ValueError(f"{text!r} has no unit: define a name in known units, e.g. '10 * spike'")
    if not parsed.magnitude > 0:
        raise ValueError(f"the factor of {text!r} must be positive, got {parsed.magnitude!r}")
    return parsed.magnitude, parsed.unit


def register_units(entries: Sequence[UnitEntry]) -> list[ScenarioError]:
    """Define each entry's unit (in order: a parent's before its child's); the problems, each
    naming its file and the field ``units.NAME``, are returned, not raised."""
    problems: list[ScenarioError] = []
    for name, definition, file in entries:
        try:
            _register(name, definition, file)
        except ScenarioError as error:
            problems.append(error)
    return problems


def _register(name: str, definition: str, file: str) -> None:
    def refuse(message: str) -> ScenarioError:
        return ScenarioError(message, file=file, field=f"units.{name}")

    with _lock:
        try:
            factor, terms = parse_definition(definition)
        except ValueError as error:
            raise refuse(str(error)) from None
        earlier = _defined.get(name)
        reason = None if earlier is not None else check_name(name)
        if reason is not None:
            raise refuse(f"cannot define unit {name!r}: {reason}")
        reference = None if isinstance(terms, str) else _reference(terms, definition, refuse)
        # Compared by what it means: "spike / s" and "spike per second" are one definition.
        key: _Key = (
            factor,
            str(terms) if reference is None else tuple(sorted(reference.items())),
        )
        if earlier is not None:
            if earlier[0] != key:
                if earlier[1] == file:  # the file was edited since it was loaded
                    raise refuse(
                        f"unit {name!r} = {definition!r}: this file defined {name!r} otherwise "
                        "when it was loaded before in this process, and a unit keeps its first "
                        "definition; restart Python to load the new one (or rename the unit)"
                    )
                raise refuse(
                    f"unit {name!r} = {definition!r} differs from its definition in "
                    f"{earlier[1]}; units are shared by every scenario loaded, so one name has "
                    "one definition: rename one of them"
                )
            return
        if reference is None:
            dimension = str(terms)
            if dimension in get_registry()._dimensions:
                raise refuse(
                    f"{dimension} is already a dimension; a new base unit needs a new dimension "
                    f'(e.g. {name} = "[{name}]"), or define {name!r} in that dimension\'s '
                    "units"
                )
            if dimension[1:-1].lower() in _RESERVED:  # "[dimensionless]" would not be
                raise refuse(f"{dimension} is reserved: a new dimension needs a new name")
            define_unit(name, factor, None, dimension=dimension)
        else:
            define_unit(name, factor, reference)
        _defined[name] = (key, file)
        _texts[name] = definition


def _reference(
    terms: Terms, definition: str, refuse: Callable[[str], ScenarioError]
) -> dict[str, float]:
    registry = get_registry()
    reference: dict[str, float] = {}
    for unit_name, exponent in terms:
        try:
            known = registry.get_name(unit_name)
        except pint.UndefinedUnitError:
            raise refuse(
                f"{definition!r} uses {unit_name!r}, which is not a unit (a unit this table "
                "defines must come before the entries that use it)"
            ) from None
        if is_offset(known):
            raise refuse(f"{definition!r} uses the offset unit {unit_name!r}")
        reference[known] = reference.get(known, 0.0) + float(exponent)
    return {key: value for key, value in reference.items() if value != 0}


def defined_units() -> Mapping[str, str]:
    """The names files have defined in this process, with the first file that defined each."""
    with _lock:
        return {name: file for name, (_, file) in _defined.items()}


def units_used(units: Iterable[pint.Unit]) -> list[UnitEntry]:
    """The entries of the names files defined that ``units`` use (prefixed or not), with the
    file-defined names their definitions use, in the order they were defined: what a file
    written from a scenario built in Python needs in its ``[units]`` to load on its own."""
    registry = get_registry()
    with _lock:
        defined, texts = dict(_defined), dict(_texts)
    wanted: set[str] = set()
    todo = [name for unit in units for name in unit._units]
    while todo:
        name = todo.pop()
        for _, base, _ in registry.parse_unit_name(name) or (("", name, ""),):
            if base in defined and base not in wanted:
                wanted.add(base)
                terms = parse_definition(texts[base])[1]
                if not isinstance(terms, str):
                    todo.extend(term for term, _ in terms)
    return [(name, texts[name], defined[name][1]) for name in defined if name in wanted]
