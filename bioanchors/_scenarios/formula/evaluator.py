"""A parsed formula and its evaluation over any operand type.

:class:`Formula` is what :func:`~.parser.parse_formula` returns; :meth:`Formula.evaluate` walks
its tree with names and functions supplied by the caller (floats in tests, lazy graph nodes in
the library), refusing results that a float cannot hold honestly.
"""

from __future__ import annotations

import difflib
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Generic, TypeVar

from bioanchors._scenarios.formula.errors import FormulaError, quote
from bioanchors._scenarios.formula.nodes import Binary, Call, Name, Node, Num, Unary, operation

__all__ = ["MATH_FUNCTIONS", "Formula"]

T = TypeVar("T")

_MAX_LISTED: Final = 12  # names listed in "available names: ..." error hints

MATH_FUNCTIONS: Final[Mapping[str, Callable[..., float]]] = MappingProxyType(
    {
        "abs": abs,
        "exp": math.exp,
        "log": math.log,
        "log10": math.log10,
        "log2": math.log2,
        "max": max,
        "min": min,
        "sqrt": math.sqrt,
    }
)
"""Read-only function table for evaluating formulas on plain floats.

It is a convenience for tests and examples; it knows nothing about other operand types.
"""

_BINARY_FUNCS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
_UNARY_FUNCS: Final[Mapping[str, Callable[[Any], Any]]] = {"-": operator.neg, "+": operator.pos}


@dataclass(frozen=True)
class Formula:
    """A parsed and validated formula. Create it with :func:`parse_formula`.

    Instances are immutable; equality and hashing use :attr:`text`.

    >>> from bioanchors._scenarios.formula import MATH_FUNCTIONS, parse_formula
    >>> f = parse_formula("-x ** 2 + max(x, y)")
    >>> f
    Formula('-x ** 2 + max(x, y)')
    >>> f.names == {"x", "y"}, f.functions == {"max"}
    (True, True)
    >>> f.evaluate({"x": 3.0, "y": 1.0}, MATH_FUNCTIONS)
    -6.0
    """

    text: str
    """The formula as written, with surrounding whitespace removed."""
    names: frozenset[str]
    """Names the formula refers to (not counting called function names)."""
    functions: frozenset[str]
    """Names of the functions the formula calls."""
    _root: Node = field(repr=False, compare=False)

    def __repr__(self) -> str:
        return f"Formula({self.text!r})"

    def __str__(self) -> str:
        return self.text

    def evaluate(
        self,
        names: Mapping[str, T],
        functions: Mapping[str, Callable[..., T]] | None = None,
    ) -> T | float:
        """Compute the formula, looking names up in ``names`` and calls in ``functions``.

        Works for any operand type supporting ``+ - * / **`` and unary ``-``/``+`` with
        floats on either side. Number literals are floats, and plain ``int`` values (from
        ``names`` or returned by functions) are converted to ``float``, so a formula can
        never trigger unbounded integer arithmetic such as ``9 ** 9 ** 9``.

        Raises :class:`FormulaError` for unknown names or functions (with close matches),
        and when an operation raises ``ArithmeticError``, ``ValueError`` or ``TypeError``,
        returns a complex number, or turns finite floats into ``inf``/``nan``; the message
        quotes the failing sub-expression and the original exception is chained.

        >>> from bioanchors._scenarios.formula import parse_formula
        >>> try:
        ...     parse_formula("neurons * rate").evaluate({"neurons": 1e11, "rates": 1.0})
        ... except FormulaError as err:
        ...     print(err)
        formula "neurons * rate": unknown name 'rate'; did you mean 'rates'?
        >>> try:
        ...     parse_formula("1 / (a - a)").evaluate({"a": 2.0})
        ... except FormulaError as err:
        ...     print(err)
        formula "1 / (a - a)": evaluating '1 / (a - a)' failed:
        ZeroDivisionError: float division by zero
        """
        return _Evaluator(self.text, names, functions or {}).run(self._root)


class _Evaluator(Generic[T]):
    def __init__(
        self, text: str, names: Mapping[str, T], functions: Mapping[str, Callable[..., T]]
    ) -> None:
        self.text = text
        self.names = names
        self.functions = functions

    def error(
        self,
        reason: str,
        offending: str | None,
        suggestions: Iterable[str] = (),
        hint: str | None = None,
    ) -> FormulaError:
        return FormulaError(
            reason, formula=self.text, offending=offending, suggestions=suggestions, hint=hint
        )

    def unknown(self, kind: str, name: str, available: Iterable[str]) -> FormulaError:
        choices = sorted(available)
        matches = difflib.get_close_matches(name, choices, n=3)
        hint = None
        if not matches:
            if not choices:
                hint = f"no {kind}s are available"
            else:
                listed = ", ".join(choices[:_MAX_LISTED])
                more = len(choices) - _MAX_LISTED
                suffix = f", ... ({more} more)" if more > 0 else ""
                hint = f"available {kind}s: {listed}{suffix}"
        return self.error(f"unknown {kind} {quote(name)}", name, matches, hint)

    def run(self, root: Node) -> T | float:
        value = self.value_of(root)
        return value  # type: ignore[no-any-return]

    def value_of(self, node: Node) -> Any:
        match node:
            case Num(value=value):
                return value
            case Name(id=name):
                try:
                    found: Any = self.names[name]
                except KeyError:
                    raise self.unknown("name", name, self.names) from None
                return self.coerce(found, node)
            case Unary(op=op, operand=operand):
                return self.apply(node, _UNARY_FUNCS[op], (self.value_of(operand),))
            case Binary(op=op, left=left, right=right):
                left_value = self.value_of(left)
                right_value = self.value_of(right)
                return self.apply(node, _BINARY_FUNCS[op], (left_value, right_value))
            case Call(func=name, args=args):
                try:
                    func = self.functions[name]
                except KeyError:
                    raise self.unknown("function", name, self.functions) from None
                return self.apply(node, func, tuple(self.value_of(arg) for arg in args))

    def coerce(self, value: Any, node: Node) -> Any:
        if isinstance(value, int):  # includes bool; never allow Python's big-int arithmetic
            try:
                return float(value)
            except OverflowError as exc:
                raise self.error(
                    f"value of {quote(node.source)} is too large for a float", node.source
                ) from exc
        return value

    def apply(self, node: Node, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        try:
            result = func(*args)
        except FormulaError:
            raise
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise self.error(
                f"evaluating {quote(node.source)} failed: {type(exc).__name__}: {exc}",
                node.source,
            ) from exc
        if isinstance(result, complex):
            raise self.error(
                f"evaluating {quote(node.source)} gave a complex number ({result!r})",
                node.source,
            )
        if (
            isinstance(result, float)
            and not math.isfinite(result)
            and all(math.isfinite(arg) for arg in args if isinstance(arg, float))
        ):
            raise self.error(
                f"evaluating {quote(node.source)} gave {result!r} from finite inputs",
                node.source,
            )
        if (
            isinstance(result, float)
            and result == 0.0
            and all(arg != 0 for arg in args if isinstance(arg, float))
            and operation(node) not in _MAY_BE_ZERO
        ):
            raise self.error(
                f"evaluating {quote(node.source)} gave 0.0 from non-zero numbers: it underflows "
                "below the smallest float",
                node.source,
            )
        return self.coerce(result, node)


# Constant operations whose exact zero is arithmetic, not underflow (1 - 1, log(1)).
_MAY_BE_ZERO = frozenset({"+", "-", "log", "log10", "min", "max"})
