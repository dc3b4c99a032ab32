"""The formula parser: Python's ``ast`` checked against a whitelist, into :mod:`.nodes`.

:func:`parse_formula` is the one way in. Anything outside the grammar (see
:mod:`bioanchors._scenarios.formula`) is refused with a :class:`~.errors.FormulaError` that
quotes the offending source text and says what is allowed instead.
"""

from __future__ import annotations

import ast
import difflib
import functools
import math
from collections.abc import Iterable, Mapping
from typing import Final

from bioanchors._scenarios.formula.errors import FormulaError, quote
from bioanchors._scenarios.formula.evaluator import Formula
from bioanchors._scenarios.formula.nodes import Binary, Call, Name, Node, Num, Unary

__all__ = ["MAX_DEPTH", "MAX_LENGTH", "formula_names", "parse_formula"]

MAX_LENGTH: Final = 2000
"""Longest accepted formula text, in characters."""

MAX_DEPTH: Final = 100
"""Deepest accepted expression nesting, counted in syntax-tree nodes from the root."""

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
    """Convert an ``ast`` expression into the whitelisted ``Node`` tree, or raise."""

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
        return self.error(f"{what} {quote(offending)} is not allowed{because}", offending)

    # -- conversion --------------------------------------------------------------------

    def convert(self, node: ast.expr, depth: int = 1) -> Node:
        if depth > MAX_DEPTH:
            raise self.too_deep()
        source = self.segment(node)
        if isinstance(node, ast.Constant):
            return self._number(node, source)
        if isinstance(node, ast.Name):
            self._check_identifier(node.id, source, "name")
            self.names.add(node.id)
            return Name(node.id, source)
        if isinstance(node, ast.BinOp):
            op_type = type(node.op)
            if op_type in _REFUSED_BINARY:
                raise self.refuse(f"operator {_REFUSED_BINARY[op_type]} in", source)
            left = self.convert(node.left, depth + 1)
            right = self.convert(node.right, depth + 1)
            if op_type not in _BINARY_SYMBOLS:  # pragma: no cover - future operators
                raise self.refuse("operator in", source)
            return Binary(_BINARY_SYMBOLS[op_type], left, right, source)
        if isinstance(node, ast.UnaryOp):
            unary_type = type(node.op)
            if unary_type not in _UNARY_SYMBOLS:
                what = _REFUSED_UNARY.get(unary_type, "unary operator")
                raise self.refuse(f"operator {what} in", source)
            operand = self.convert(node.operand, depth + 1)
            return Unary(_UNARY_SYMBOLS[unary_type], operand, source)
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

    def _number(self, node: ast.Constant, source: str) -> Num:
        value = node.value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise self.refuse(_describe_constant(value), source)
        try:
            number = float(value)
        except OverflowError:
            number = math.inf
        if not math.isfinite(number):
            raise self.error(
                f"number {quote(source)} is not finite (too large for a float)", source
            )
        mantissa = source.lower().split("e")[0]
        written_nonzero = any(digit in mantissa for digit in "123456789")
        if written_nonzero and number == 0.0:
            raise self.error(
                f"number {quote(source)} is below the smallest float (5e-324): it would read as 0",
                source,
            )
        return Num(number, source)

    def _check_identifier(self, identifier: str, source: str, kind: str) -> None:
        if identifier.startswith("__"):
            raise self.refuse(kind, source, "names may not start with '__'")
        if identifier != source:
            # Python NFKC-normalises identifiers; refuse look-alikes instead of silently
            # looking up a different name than the one written.
            raise self.error(
                f"{kind} {quote(source)} is not in normalised (NFKC) form;"
                f" write it as {quote(identifier)}",
                source,
            )

    def _call(self, node: ast.Call, source: str, depth: int) -> Call:
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
            raise self.error(f"unknown function {quote(func.id)}", name_source, matches)
        if node.keywords:
            keyword = node.keywords[0]
            what = "keyword argument" if keyword.arg is not None else "'**' argument"
            raise self.refuse(what, self.segment(keyword))
        args: list[Node] = []
        for arg in node.args:
            if isinstance(arg, ast.Starred):
                raise self.refuse("'*' argument", self.segment(arg))
            args.append(self.convert(arg, depth + 1))
        self.functions.add(func.id)
        return Call(func.id, tuple(args), source)


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
                f"statement {quote(source)} is not allowed; a formula is a single expression",
                source,
            )
    line = exc.text.rstrip("\r\n") if exc.text else ""
    offending: str | None = None
    where = ""
    if exc.offset is not None and 1 <= exc.offset <= len(line):
        offending = line[exc.offset - 1 :].strip()
        where = f" at {quote(offending)}"
    elif exc.offset is not None:
        multiline = "\n" in text or "\r" in text
        where = f" at the end of line {exc.lineno}" if multiline else " at the end"
    return validator.error(f"syntax error ({exc.msg}){where}", offending)


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
    return _parsed(text, allowed)


@functools.lru_cache(maxsize=4096)
def _parsed(text: str, allowed: frozenset[str] | None) -> Formula:
    """:func:`parse_formula` of a string, remembered (a Formula is frozen): rebuilding a
    scenario, as every row of a sweep does, parses each formula once. Errors are not kept."""
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
