"""The formula-function registry: the functions a scenario formula may call.

A function becomes callable from scenario files by one decorator where it lives::

    @formula_function("reversed_control")
    def reversed_control(cost: Operand, reverse_overhead: Operand) -> Uncertain: ...

The math functions of :mod:`bioanchors._graph.uncertain` (``sqrt``, ``exp``, ``log``,
``log10``, ``min``, ``max``) are registered here; the brain-domain formulas of
:mod:`bioanchors.methods` register themselves when that package is imported (the scenarios
layer imports it before it reads a file). :func:`formula_functions` is a read-only view of the
table.

>>> "sqrt" in formula_functions()
True
>>> formula_function("not a name")
Traceback (most recent call last):
...
bioanchors.errors.InvalidInputError: formula_function: name 'not a name' is not an identifier \
(letters, digits and '_', not starting with a digit or '__', not a Python keyword)
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final, TypeAlias, TypeVar

from bioanchors._graph.maths import exp, log, log10, maximum, minimum, sqrt
from bioanchors._graph.uncertain import Uncertain
from bioanchors.errors import InvalidInputError

__all__ = [
    "FormulaFunction",
    "formula_function",
    "formula_functions",
    "unregister_formula_function",
]

FormulaFunction: TypeAlias = Callable[..., Uncertain]
"""A function a formula may call: positional operands (Uncertain, numbers) -> Uncertain."""

F = TypeVar("F", bound=Callable[..., Any])

_NAME: Final = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")
_REGISTRY: dict[str, FormulaFunction] = {}
_VIEW: Final[Mapping[str, FormulaFunction]] = MappingProxyType(_REGISTRY)


def _check_name(name: object) -> str:
    if (
        not isinstance(name, str)
        or not _NAME.match(name)
        or name.startswith("__")
        or keyword.iskeyword(name)
    ):
        raise InvalidInputError(
            f"formula_function: name {name!r} is not an identifier (letters, digits and '_', "
            "not starting with a digit or '__', not a Python keyword)"
        )
    return name


def _same(old: Callable[..., Any], new: Callable[..., Any]) -> bool:
    """The same function, or the same definition imported again (a module reload)."""
    return old is new or (
        getattr(old, "__module__", None) == getattr(new, "__module__", None)
        and getattr(old, "__qualname__", None) == getattr(new, "__qualname__", None)
    )


def register(name: str, function: FormulaFunction, *, replace: bool = False) -> None:
    """Make ``function`` callable from formulas as ``name`` (see :func:`formula_function`)."""
    name = _check_name(name)
    if not callable(function):
        raise InvalidInputError(
            f"formula_function {name!r}: expected a callable, got {type(function).__name__}"
        )
    old = _REGISTRY.get(name)
    if old is not None and not replace and not _same(old, function):
        where = f"{getattr(old, '__module__', '?')}.{getattr(old, '__qualname__', '?')}"
        raise InvalidInputError(
            f"formula_function: {name!r} is already registered (by {where}); pass "
            "replace=True to replace it, or choose another name"
        )
    _REGISTRY[name] = function


def formula_function(name: str | None = None, *, replace: bool = False) -> Callable[[F], F]:
    """Decorator: register the decorated function for formulas, as ``name`` (default: its own
    ``__name__``). The function is returned unchanged.

    Names are identifiers (no leading ``__``, no keywords). Registering a name twice is an
    :class:`~bioanchors.errors.InvalidInputError` unless ``replace=True``. A formula calls the
    function with positional arguments only: step quantities (:class:`~bioanchors.Uncertain`)
    and number literals (``float``).
    """
    if name is not None:
        _check_name(name)

    def decorate(function: F) -> F:
        register(
            name if name is not None else getattr(function, "__name__", ""),
            function,
            replace=replace,
        )
        return function

    return decorate


def unregister_formula_function(name: str) -> None:
    """Remove ``name`` from the table (for tests and plug-ins that clean up after themselves)."""
    if name not in _REGISTRY:
        raise InvalidInputError(f"formula_function: {name!r} is not registered")
    del _REGISTRY[name]


def formula_functions() -> Mapping[str, FormulaFunction]:
    """The registered functions by name: a read-only, live view."""
    return _VIEW


for _name, _function in (
    ("sqrt", sqrt),
    ("exp", exp),
    ("log", log),
    ("log10", log10),
    ("min", minimum),
    ("max", maximum),
):
    register(_name, _function)
