"""Safe parsing and evaluation of arithmetic formula strings.

Scenario files are untrusted input. Their formulas, such as
``"flop_per_second_per_neuron * neurons"`` or ``"sqrt(a) * 10 ** 3 / (b - c)"``, are parsed
with :func:`ast.parse` and checked against a small whitelist. Evaluation walks the checked
tree; nothing is ever passed to ``eval``, ``exec`` or ``compile``.

The grammar is a subset of Python expressions:

* number literals (``3``, ``2.5``, ``1e-3``, ``1_000``); they must be finite, and they are
  always converted to ``float``;
* names (``neurons``), except names that start with a double underscore or that Python
  would silently NFKC-normalise into a different name;
* binary ``+ - * / **`` and unary ``-`` and ``+`` with Python's precedence, so ``**`` is
  right-associative and binds tighter than unary minus (``-2 ** 2 == -4``);
* parentheses;
* calls ``f(x, y, ...)`` of a plain function name with positional arguments only.

Everything else (attributes, subscripts, strings, comparisons, lambdas, ``//``, ``%``, ...)
is refused with a :class:`FormulaError` that quotes the offending source text.

Evaluation is generic over the operand type: numbers in tests, lazy graph nodes in the
library. Operands only need the arithmetic dunder methods, with plain floats on either side.

>>> f = parse_formula("sqrt(a) * 10 ** 3 / (b - c)")
>>> sorted(f.names), sorted(f.functions)
(['a', 'b', 'c'], ['sqrt'])
>>> f.evaluate({"a": 4.0, "b": 3.0, "c": 1.0}, MATH_FUNCTIONS)
1000.0
>>> try:
...     parse_formula("__import__('os').system('ls')")
... except FormulaError as err:
...     print(err)
formula "__import__('os').system('ls')": attribute access '.system' is not allowed;
formulas may use numbers, step names, + - * / **, parentheses and function calls f(x, ...)
"""

from __future__ import annotations

import ast
import difflib
import math
import operator
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final, Generic, TypeAlias, TypeVar

from bioanchors.errors import BioanchorsError

__all__ = [
    "MATH_FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Formula",
    "FormulaError",
    "formula_names",
    "parse_formula",
]

T = TypeVar("T")

MAX_LENGTH: Final = 2000
"""Longest accepted formula text, in characters."""

MAX_DEPTH: Final = 100
"""Deepest accepted expression nesting, counted in syntax-tree nodes from the root."""

_MAX_LISTED: Final = 12  # names listed in "available names: ..." error hints
_MAX_QUOTED: Final = 120  # characters of a formula or segment quoted in a message

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


def _clip(text: str, limit: int = _MAX_QUOTED) -> str:
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quote_formula(text: str) -> str:
    text = _clip(text)
    if '"' not in text and "\\" not in text and text.isprintable():
        return f'"{text}"'
    return repr(text)


def _quote(text: str) -> str:
    return repr(_clip(text))


class FormulaError(BioanchorsError, ValueError):
    """A formula was refused at parse time or could not be evaluated.

    The message is built from structured attributes, so callers can inspect or extend them:

    * ``reason``: what is wrong, e.g. ``"attribute access '.b' is not allowed"``;
    * ``formula``: the formula text (``None`` if unknown);
    * ``offending``: the exact source segment at fault (``None`` if not applicable);
    * ``suggestions``: close matches for a misspelled name or function;
    * ``hint``: what is allowed instead;
    * ``file`` and ``step``: where the formula came from, see :meth:`with_context`.

    >>> err = FormulaError("unknown name 'neuronz'", formula="2 * neuronz",
    ...                    offending="neuronz", suggestions=("neurons",))
    >>> print(err)
    formula "2 * neuronz": unknown name 'neuronz'; did you mean 'neurons'?
    >>> err.context is None, err.offending
    (True, 'neuronz')
    >>> print(err.with_context("human.yaml", "brain_flops"))
    human.yaml, step 'brain_flops': formula "2 * neuronz": unknown name 'neuronz'; did you ...
    """

    def __init__(
        self,
        reason: str,
        *,
        formula: str | None = None,
        offending: str | None = None,
        suggestions: Iterable[str] = (),
        hint: str | None = None,
        file: str | None = None,
        step: str | None = None,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.formula = formula
        self.offending = offending
        self.suggestions: tuple[str, ...] = tuple(suggestions)
        self.hint = hint
        self.file = file
        self.step = step

    @property
    def context(self) -> str | None:
        """Where the formula came from, e.g. ``"human.yaml, step 'brain_flops'"``."""
        parts: list[str] = []
        if self.file is not None:
            parts.append(self.file)
        if self.step is not None:
            parts.append(f"step {self.step!r}")
        return ", ".join(parts) or None

    @property
    def message(self) -> str:
        """The full, human-readable message (also returned by ``str()``)."""
        text = self.reason
        if self.formula is not None:
            text = f"formula {_quote_formula(self.formula)}: {text}"
        context = self.context
        if context is not None:
            text = f"{context}: {text}"
        if self.suggestions:
            text += f"; did you mean {' or '.join(map(repr, self.suggestions))}?"
        if self.hint:
            text += f"; {self.hint}"
        return text

    def __str__(self) -> str:
        return self.message

    def with_context(self, file: str | None = None, step: str | None = None) -> FormulaError:
        """Return a copy that also names the source ``file`` and/or scenario ``step``.

        Arguments left as ``None`` keep the current value. The copy keeps ``__cause__``, so
        ``raise err.with_context(path, step) from err.__cause__`` preserves the chain.
        """
        new = FormulaError(
            self.reason,
            formula=self.formula,
            offending=self.offending,
            suggestions=self.suggestions,
            hint=self.hint,
            file=self.file if file is None else file,
            step=self.step if step is None else step,
        )
        new.__cause__ = self.__cause__
        return new


# --------------------------------------------------------------------------------------
# Validated, immutable syntax tree
# --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Num:
    value: float
    source: str


@dataclass(frozen=True, slots=True)
class _Name:
    id: str
    source: str


@dataclass(frozen=True, slots=True)
class _Unary:
    op: str
    operand: _Node
    source: str


@dataclass(frozen=True, slots=True)
class _Binary:
    op: str
    left: _Node
    right: _Node
    source: str


@dataclass(frozen=True, slots=True)
class _Call:
    func: str
    args: tuple[_Node, ...]
    source: str


_Node: TypeAlias = "_Num | _Name | _Unary | _Binary | _Call"

_BINARY_SYMBOLS: Final[Mapping[type[ast.operator], str]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.Pow: "**",
}
_REFUSED_BINARY: Final[Mapping[type[ast.operator], str]] = {
    ast.FloorDiv: "'//' (floor division)",
    ast.Mod: "'%' (modulo)",
    ast.MatMult: "'@' (matrix multiplication)",
    ast.LShift: "'<<' (bit shift)",
    ast.RShift: "'>>' (bit shift)",
    ast.BitOr: "'|' (bitwise or)",
    ast.BitXor: "'^' (bitwise xor; use ** for powers)",
    ast.BitAnd: "'&' (bitwise and)",
}
_UNARY_SYMBOLS: Final[Mapping[type[ast.unaryop], str]] = {ast.USub: "-", ast.UAdd: "+"}
_REFUSED_UNARY: Final[Mapping[type[ast.unaryop], str]] = {
    ast.Not: "'not'",
    ast.Invert: "'~' (bitwise inversion)",
}
_BINARY_FUNCS: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}
_UNARY_FUNCS: Final[Mapping[str, Callable[[Any], Any]]] = {"-": operator.neg, "+": operator.pos}

# Human-readable names of refused node types, for error messages.
_REFUSED_NODES: Final[Mapping[type[ast.AST], str]] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscript",
    ast.Slice: "slice",
    ast.Lambda: "lambda",
    ast.ListComp: "list comprehension",
    ast.SetComp: "set comprehension",
    ast.DictComp: "dict comprehension",
    ast.GeneratorExp: "generator expression",
    ast.List: "list",
    ast.Tuple: "tuple",
    ast.Set: "set",
    ast.Dict: "dict",
    ast.JoinedStr: "f-string",
    ast.FormattedValue: "f-string",
    ast.Compare: "comparison",
    ast.BoolOp: "boolean operator",
    ast.IfExp: "conditional expression",
    ast.NamedExpr: "assignment expression ':='",
    ast.Starred: "starred expression",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
}


def _describe_constant(value: object) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string literal"
    if isinstance(value, bytes):
        return "bytes literal"
    if isinstance(value, complex):
        return "complex number"
    if value is None:
        return "constant"
    if value is Ellipsis:
        return "ellipsis"
    return f"{type(value).__name__} literal"


class _Validator:
    """Convert an ``ast`` expression into the whitelisted ``_Node`` tree, or raise."""

    def __init__(self, text: str, allowed_functions: frozenset[str] | None) -> None:
        self.text = text
        self.allowed_functions = allowed_functions
        self.names: set[str] = set()
        self.functions: set[str] = set()

    # -- errors ------------------------------------------------------------------------

    def hint(self) -> str:
        base = "formulas may use numbers, step names, + - * / **, parentheses"
        if self.allowed_functions is None:
            return base + " and function calls f(x, ...)"
        if not self.allowed_functions:
            return base
        return base + " and the functions: " + ", ".join(sorted(self.allowed_functions))

    def segment(self, node: ast.AST) -> str:
        return ast.get_source_segment(self.text, node) or type(node).__name__

    def error(
        self, reason: str, offending: str | None, suggestions: Iterable[str] = ()
    ) -> FormulaError:
        return FormulaError(
            reason,
            formula=self.text,
            offending=offending,
            suggestions=suggestions,
            hint=self.hint(),
        )

    def refuse(self, what: str, offending: str, why: str = "") -> FormulaError:
        because = f" ({why})" if why else ""
        return self.error(f"{what} {_quote(offending)} is not allowed{because}", offending)

    # -- conversion --------------------------------------------------------------------

    def convert(self, node: ast.expr, depth: int = 1) -> _Node:
        if depth > MAX_DEPTH:
            raise self.too_deep()
        source = self.segment(node)
        if isinstance(node, ast.Constant):
            return self._number(node, source)
        if isinstance(node, ast.Name):
            self._check_identifier(node.id, source, "name")
            self.names.add(node.id)
            return _Name(node.id, source)
        if isinstance(node, ast.BinOp):
            op_type = type(node.op)
            if op_type in _REFUSED_BINARY:
                raise self.refuse(f"operator {_REFUSED_BINARY[op_type]} in", source)
            left = self.convert(node.left, depth + 1)
            right = self.convert(node.right, depth + 1)
            if op_type not in _BINARY_SYMBOLS:  # pragma: no cover - future operators
                raise self.refuse("operator in", source)
            return _Binary(_BINARY_SYMBOLS[op_type], left, right, source)
        if isinstance(node, ast.UnaryOp):
            unary_type = type(node.op)
            if unary_type not in _UNARY_SYMBOLS:
                what = _REFUSED_UNARY.get(unary_type, "unary operator")
                raise self.refuse(f"operator {what} in", source)
            operand = self.convert(node.operand, depth + 1)
            return _Unary(_UNARY_SYMBOLS[unary_type], operand, source)
        if isinstance(node, ast.Call):
            return self._call(node, source, depth)
        raise self._refuse_node(node, source)

    def _refuse_node(self, node: ast.expr, source: str) -> FormulaError:
        if isinstance(node, ast.Attribute):
            return self.refuse("attribute access", "." + node.attr)
        what = _REFUSED_NODES.get(type(node), f"expression type {type(node).__name__}")
        return self.refuse(what, source)

    def too_deep(self) -> FormulaError:
        return self.error(f"formula is nested more than {MAX_DEPTH} levels deep", None)

    def _number(self, node: ast.Constant, source: str) -> _Num:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(_describe_constant(value), source)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(
                f"number {_quote(source)} is not finite (too large for a float)", source
            )
        mantissa = source.lower().split("e")[0]
        written_nonzero = any(digit in mantissa for digit in "123456789")
        if written_nonzero and number == 0.0:
            raise self.error(
                f"number {_quote(source)} is below the smallest float (5e-324): it would read as 0",
                source,
            )
        return _Num(number, source)

    def _check_identifier(self, identifier: str, source: str, kind: str) -> None:
        if identifier.startswith("__"):
            raise self.refuse(kind, source, "names may not start with '__'")
        if identifier != source:
            # Python NFKC-normalises identifiers; refuse look-alikes instead of silently
            # looking up a different name than the one written.
            raise self.error(
                f"{kind} {_quote(source)} is not in normalised (NFKC) form;"
                f" write it as {_quote(identifier)}",
                source,
            )

    def _call(self, node: ast.Call, source: str, depth: int) -> _Call:
        func = node.func
        if not isinstance(func, ast.Name):
            if isinstance(func, ast.Attribute) or type(func) in _REFUSED_NODES:
                raise self._refuse_node(func, self.segment(func))  # e.g. "lambda"
            raise self.refuse(
                "call", source, "only plain function names can be called, as in f(x, y)"
            )
        name_source = self.segment(func)
        self._check_identifier(func.id, name_source, "function name")
        if self.allowed_functions is not None and func.id not in self.allowed_functions:
            matches = difflib.get_close_matches(func.id, sorted(self.allowed_functions), n=3)
            raise self.error(f"unknown function {_quote(func.id)}", name_source, matches)
        if node.keywords:
            keyword = node.keywords[0]
            what = "keyword argument" if keyword.arg is not None else "'**' argument"
            raise self.refuse(what, self.segment(keyword))
        args: list[_Node] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse("'*' argument", self.segment(arg))
            args.append(self.convert(arg, depth + 1))
        self.functions.add(func.id)
        return _Call(func.id, tuple(args), source)


def _syntax_error(text: str, validator: _Validator, exc: SyntaxError) -> FormulaError:
    """Explain a failed ``mode="eval"`` parse, naming statements where possible."""
    try:
        module = ast.parse(text, mode="exec")
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        module = None
    if module is not None:
        body = module.body
        if len(body) == 1 and isinstance(body[0], ast.Expr):
            # e.g. "yield x": valid as a statement only; report the refused construct.
            try:
                validator.convert(body[0].value)
            except FormulaError as err:
                return err
        elif len(body) > 1 and all(isinstance(stmt, ast.Expr) for stmt in body):
            return validator.error(
                "a formula must be a single expression, not several separated by ';'"
                " or line breaks",
                validator.segment(body[1]),
            )
        elif not body:
            return validator.error("formula is empty (it holds only a comment)", None)
        else:
            stmt = next(s for s in body if not isinstance(s, ast.Expr))
            source = validator.segment(stmt)
            return validator.error(
                f"statement {_quote(source)} is not allowed; a formula is a single expression",
                source,
            )
    line = exc.text.rstrip("\r\n") if exc.text else ""
    offending: str | None = None
    where = ""
    if exc.offset is not None and 1 <= exc.offset <= len(line):
        offending = line[exc.offset - 1 :].strip()
        where = f" at {_quote(offending)}"
    elif exc.offset is not None:
        multiline = "\n" in text or "\r" in text
        where = f" at the end of line {exc.lineno}" if multiline else " at the end"
    return validator.error(f"syntax error ({exc.msg}){where}", offending)


# --------------------------------------------------------------------------------------
# Public API
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Formula:
    """A parsed and validated formula. Create it with :func:`parse_formula`.

    Instances are immutable; equality and hashing use :attr:`text`.

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
    _root: _Node = field(repr=False, compare=False)

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
        return self.error(f"unknown {kind} {_quote(name)}", name, matches, hint)

    def run(self, root: _Node) -> T | float:
        value = self.value_of(root)
        return value  # type: ignore[no-any-return]

    def value_of(self, node: _Node) -> Any:
        if isinstance(node, _Num):
            return node.value
        if isinstance(node, _Name):
            try:
                value: Any = self.names[node.id]
            except KeyError:
                raise self.unknown("name", node.id, self.names) from None
            return self.coerce(value, node)
        if isinstance(node, _Unary):
            operand = self.value_of(node.operand)
            return self.apply(node, _UNARY_FUNCS[node.op], (operand,))
        if isinstance(node, _Binary):
            left = self.value_of(node.left)
            right = self.value_of(node.right)
            return self.apply(node, _BINARY_FUNCS[node.op], (left, right))
        try:
            func = self.functions[node.func]
        except KeyError:
            raise self.unknown("function", node.func, self.functions) from None
        args = tuple(self.value_of(arg) for arg in node.args)
        return self.apply(node, func, args)

    def coerce(self, value: Any, node: _Node) -> Any:
        if isinstance(value, int):  # includes bool; never allow Python's big-int arithmetic
            try:
                return float(value)
            except OverflowError as exc:
                raise self.error(
                    f"value of {_quote(node.source)} is too large for a float", node.source
                ) from exc
        return value

    def apply(self, node: _Node, func: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        try:
            result = func(*args)
        except FormulaError:
            raise
        except (ArithmeticError, ValueError, TypeError) as exc:
            raise self.error(
                f"evaluating {_quote(node.source)} failed: {type(exc).__name__}: {exc}",
                node.source,
            ) from exc
        if isinstance(result, complex):
            raise self.error(
                f"evaluating {_quote(node.source)} gave a complex number ({result!r})",
                node.source,
            )
        if (
            isinstance(result, float)
            and not math.isfinite(result)
            and all(math.isfinite(arg) for arg in args if isinstance(arg, float))
        ):
            raise self.error(
                f"evaluating {_quote(node.source)} gave {result!r} from finite inputs",
                node.source,
            )
        if (
            isinstance(result, float)
            and result == 0.0
            and all(arg != 0 for arg in args if isinstance(arg, float))
            and _operation(node) not in _MAY_BE_ZERO
        ):
            raise self.error(
                f"evaluating {_quote(node.source)} gave 0.0 from non-zero numbers: it underflows "
                "below the smallest float",
                node.source,
            )
        return self.coerce(result, node)


# Constant operations whose exact zero is arithmetic, not underflow (1 - 1, log(1)).
_MAY_BE_ZERO = frozenset({"+", "-", "log", "log10", "min", "max"})


def _operation(node: _Node) -> str:
    if isinstance(node, _Call):
        return node.func
    return node.op if isinstance(node, _Unary | _Binary) else ""


def parse_formula(text: str, allowed_functions: Iterable[str] | None = None) -> Formula:
    """Parse and validate ``text``; raise :class:`FormulaError` if anything is not allowed.

    If ``allowed_functions`` is given, calls of any other function are refused now rather
    than at evaluation time, and the allowed names are listed in error messages.

    >>> parse_formula("a * b + 2").names == {"a", "b"}
    True
    >>> parse_formula("sqrt(x)", allowed_functions=["sqrt", "log10"]).functions
    frozenset({'sqrt'})
    >>> try:
    ...     parse_formula("sqrtt(x)", allowed_functions=["sqrt", "log10"])
    ... except FormulaError as err:
    ...     print(err)
    ...     print(err.offending, err.suggestions)
    formula "sqrtt(x)": unknown function 'sqrtt'; did you mean 'sqrt'?; formulas may use
    numbers, step names, + - * / **, parentheses and the functions: log10, sqrt
    sqrtt ('sqrt',)
    """
    allowed = None if allowed_functions is None else frozenset(allowed_functions)
    if not isinstance(text, str):
        raise FormulaError(f"a formula must be a string, not {type(text).__name__}")
    if len(text) > MAX_LENGTH:
        raise FormulaError(
            f"formula is {len(text)} characters long; the limit is {MAX_LENGTH}",
            formula=text,
        )
    stripped = text.strip()
    validator = _Validator(stripped, allowed)
    if not stripped:
        raise validator.error("formula is empty", None)
    try:
        tree = ast.parse(stripped, mode="eval")
    except SyntaxError as exc:  # includes IndentationError
        raise _syntax_error(stripped, validator, exc) from None
    except (ValueError, UnicodeError) as exc:  # e.g. null bytes, lone surrogates
        raise validator.error(f"formula cannot be parsed: {exc}", None) from None
    except (RecursionError, MemoryError):
        raise validator.too_deep() from None
    root = validator.convert(tree.body)
    return Formula(stripped, frozenset(validator.names), frozenset(validator.functions), root)


def formula_names(text: str) -> frozenset[str]:
    """Return the names referenced by ``text`` (a convenience for ``parse_formula``).

    >>> sorted(formula_names("flop_per_second_per_neuron * neurons"))
    ['flop_per_second_per_neuron', 'neurons']
    """
    return parse_formula(text).names
