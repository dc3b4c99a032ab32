"""The strict grammar for unit and quantity strings, read before pint sees them.

pint's own string parser evaluates arithmetic: ``"9**9**9 FLOP/s"`` computes a power tower for
minutes, ``"1e17–1e18 FLOP/s"`` becomes 1e35 and ``"100 000 parameter"`` becomes 0. Unit and
claim strings come from data files, so bioanchors reads them with this small grammar instead and
hands pint only unit names and exponents.

A unit expression is::

    unit     := "" | product
    product  := power (("*" | "/" | "per" | <space>) power)*
    power    := atom (("**" | "^") exponent)?
    atom     := NAME | "1" | "(" product ")"
    exponent := signed | "(" signed ["/" INTEGER] ")"
    signed   := ["+" | "-"] (INTEGER | DECIMAL)

Names are identifiers (``FLOP``, ``PFLOP``, ``µs``, ``ΔdegC``, ``°C``, ``%``); whether pint knows
them is pint's business (``UndefinedUnitError``). ``"dimensionless"`` is a name pint knows.
Operators go left to right as in Python, so ``FLOP / neuron / s`` is FLOP per neuron per second,
and a space between two names multiplies as in pint (``spike synapse``). Exponents are small
rationals: ``|p/q| <= 16`` with ``q <= 16`` for each exponent written and for each unit's total.
A decimal that rounds such a rational to six digits, like the ``0.333333`` pint prints for 1/3
or ``10.3333`` for 31/3, is read as that rational (it is within 1e-5 times ``max(1, |p/q|)``;
such rationals are more than 0.004 apart). ``s**2**3``, a power of a power without
parentheses, is refused.

A quantity is one real number (``37``, ``-1.5``, ``1e17``, ``1_000_000``; no thousands
separators, no ranges, no lists, no ``inf`` or ``nan``, nothing that overflows a float), then
whitespace, then a unit expression (possibly empty: a pure number). ``"5 1/s"`` is five per
second; ``"100 000 parameter"`` is refused.

Texts longer than :data:`MAX_LENGTH` characters or nested deeper than :data:`MAX_DEPTH`
parentheses are refused, so reading any string takes time linear in its length.
"""

from __future__ import annotations

import functools
import math
import re
from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction

from bioanchors.errors import UnitTextError

__all__ = [
    "MAX_DENOMINATOR",
    "MAX_DEPTH",
    "MAX_EXPONENT",
    "MAX_LENGTH",
    "QUANTITY_FORM",
    "UNIT_FORM",
    "QuantityText",
    "parse_quantity_text",
    "parse_unit_text",
]

MAX_LENGTH = 256
"""Longest unit or quantity text read, in characters."""
MAX_DEPTH = 8
"""Deepest nesting of parentheses."""
MAX_EXPONENT = 16
"""Largest ``|exponent|``, for each exponent written and each unit's total."""
MAX_DENOMINATOR = 16
"""Largest denominator of a rational exponent."""

UNIT_FORM = "a unit such as 'FLOP/s', 'FLOP / neuron / s', 'm**2' or 's**(1/2)'"
QUANTITY_FORM = "one number then a unit, like '1e17 FLOP/s' or '37 degC'"

Terms = tuple[tuple[str, Fraction], ...]
"""A unit as (name, exponent) pairs in order of first appearance, exponents nonzero."""

_SNAP = 1e-5

_TOKEN = re.compile(
    r"""
    (?P<space>\s+)
    | (?P<number>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
    | (?P<name>(?:[^\W\d]|°)(?:\w|°)*|%)
    | (?P<op>\*\*|[*/^()+-])
    """,
    re.VERBOSE,
)
_NUMBER = re.compile(
    r"[+-]?(?:[0-9]+(?:_[0-9]+)*(?:\.(?:[0-9]+(?:_[0-9]+)*)?)?|\.[0-9]+(?:_[0-9]+)*)"
    r"(?:[eE][+-]?[0-9]+)?"
)


@dataclass(frozen=True)
class _Token:
    kind: str  # "number", "name", "op" or "end"
    text: str
    position: int


@dataclass(frozen=True)
class QuantityText:
    """A quantity string read by :func:`parse_quantity_text`: a finite number and unit terms."""

    magnitude: float
    unit: Terms


def _show(text: str) -> str:
    return repr(text) if len(text) <= 80 else repr(text[:77] + "...")


def _fail(text: str, what: str, reason: str, expected: str) -> UnitTextError:
    return UnitTextError(f"cannot read {what} {_show(text)}: {reason}; expected {expected}")


def _check_text(text: object, what: str, expected: str) -> str:
    if not isinstance(text, str):
        raise UnitTextError(f"expected {what} as a string ({expected}), got {text!r}")
    if len(text) > MAX_LENGTH:
        raise _fail(
            text, what, f"it is {len(text)} characters long (at most {MAX_LENGTH})", expected
        )
    return text


def _tokenize(text: str, start: int, fail: Callable[[str], UnitTextError]) -> list[_Token]:
    """Tokens of ``text[start:]``; positions count from the start of ``text``."""
    tokens: list[_Token] = []
    position = start
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            raise fail(f"unexpected character {text[position]!r} at position {position}")
        kind = match.lastgroup or "op"
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        elif tokens and match.end() < len(text):
            tokens.append(_Token("space", " ", position))
        position = match.end()
    # A space only matters between two operands (implicit multiplication): drop the others.
    kept = [
        token
        for index, token in enumerate(tokens)
        if token.kind != "space" or _is_juxtaposition(tokens, index)
    ]
    kept.append(_Token("end", "", len(text)))
    return kept


def _is_juxtaposition(tokens: list[_Token], index: int) -> bool:
    before, after = tokens[index - 1], tokens[index + 1]
    ends_operand = before.kind in ("name", "number") or before.text == ")"
    starts_operand = after.kind == "name" or after.text == "("
    per = "per" in (before.text, after.text)
    return ends_operand and starts_operand and not per


class _Parser:
    def __init__(self, text: str, start: int, what: str, expected: str) -> None:
        self.text = text
        self.what = what
        self.expected = expected
        self.tokens = _tokenize(text, start, self.fail)
        self.index = 0

    def fail(self, reason: str) -> UnitTextError:
        return _fail(self.text, self.what, reason, self.expected)

    def peek(self) -> _Token:
        return self.tokens[self.index]

    def take(self) -> _Token:
        token = self.tokens[self.index]
        self.index += 1
        return token

    def at(self, token: _Token) -> str:
        return "the end" if token.kind == "end" else f"{token.text!r} at position {token.position}"

    def parse(self) -> dict[str, Fraction]:
        if self.peek().kind == "end":
            return {}
        terms = self.product(0)
        token = self.peek()
        if token.kind != "end":
            raise self.fail(f"unexpected {self.at(token)}")
        return terms

    def product(self, depth: int) -> dict[str, Fraction]:
        result = self.power(depth)
        while True:
            token = self.peek()
            if token.text in ("*", " "):
                sign = 1
            elif token.text in ("/", "per") and token.kind != "number":
                sign = -1
            else:
                return result
            self.take()
            _combine(result, self.power(depth), sign)

    def power(self, depth: int) -> dict[str, Fraction]:
        base = self.atom(depth)
        if self.peek().text not in ("**", "^"):
            return base
        self.take()
        exponent = self.exponent()
        if self.peek().text in ("**", "^"):
            raise self.fail(
                f"a power of a power at {self.at(self.peek())}; use parentheses, like '(m**2)**3'"
            )
        return {name: value * exponent for name, value in base.items()}

    def atom(self, depth: int) -> dict[str, Fraction]:
        token = self.take()
        if token.kind == "name" and token.text != "per":
            return {token.text: Fraction(1)}
        if token.kind == "number":
            if token.text == "1":
                return {}
            raise self.fail(f"a number ({token.text}) inside a unit at position {token.position}")
        if token.text == "(":
            if depth >= MAX_DEPTH:
                raise self.fail(f"parentheses nested deeper than {MAX_DEPTH}")
            inner = self.product(depth + 1)
            closing = self.take()
            if closing.text != ")":
                raise self.fail(f"expected ')' but found {self.at(closing)}")
            return inner
        raise self.fail(f"expected a unit name but found {self.at(token)}")

    def exponent(self) -> Fraction:
        parenthesized = self.peek().text == "("
        if parenthesized:
            self.take()
        sign = 1
        if self.peek().text in ("+", "-"):
            sign = -1 if self.take().text == "-" else 1
        token = self.take()
        if token.kind != "number":
            raise self.fail(f"expected an exponent but found {self.at(token)}")
        value = self._rational(token.text)
        if parenthesized and self.peek().text == "/" and "." not in token.text:
            self.take()
            below = self.take()
            if below.kind != "number" or not below.text.isdigit():
                raise self.fail(f"expected an integer denominator but found {self.at(below)}")
            if int(below.text) == 0:
                raise self.fail("an exponent divides by zero")
            value = value / self._rational(below.text)
        if parenthesized:
            closing = self.take()
            if closing.text != ")":
                raise self.fail(f"expected ')' after the exponent but found {self.at(closing)}")
        return _small_rational(sign * value, self.fail)

    def _rational(self, text: str) -> Fraction:
        if "e" in text.lower():
            raise self.fail(f"exponent {text} is not a plain integer or decimal")
        if len(text) > 20:
            raise self.fail(f"exponent {text} has too many digits")
        return Fraction(text)


def _combine(into: dict[str, Fraction], other: dict[str, Fraction], sign: int) -> None:
    for name, value in other.items():
        into[name] = into.get(name, Fraction(0)) + sign * value


def _small_rational(value: Fraction, fail: Callable[[str], UnitTextError]) -> Fraction:
    snapped = value.limit_denominator(MAX_DENOMINATOR)
    if abs(snapped - value) > _SNAP * max(Fraction(1), abs(snapped)):
        raise fail(
            f"exponent {float(value):g} is not a small rational p/q with q <= {MAX_DENOMINATOR}"
        )
    if abs(snapped) > MAX_EXPONENT:
        raise fail(f"exponent {snapped} is larger than {MAX_EXPONENT}")
    return snapped


def parse_unit_text(text: str, what: str = "unit") -> Terms:
    """Read a unit expression into (name, exponent) terms; ``()`` for dimensionless.

    Raises :class:`~bioanchors.errors.UnitTextError` for anything outside the grammar above
    (naming ``what`` and showing the text). Names are not checked against any registry here.
    """
    _check_text(text, what, UNIT_FORM)
    return _parse_unit_text(text, 0, what, UNIT_FORM)


@functools.lru_cache(maxsize=1024)
def _parse_unit_text(text: str, start: int, what: str, expected: str) -> Terms:
    parser = _Parser(text, start, what, expected)
    combined = parser.parse()
    for name, value in combined.items():
        if abs(value) > MAX_EXPONENT:
            raise parser.fail(f"unit {name} has total exponent {value} (at most {MAX_EXPONENT})")
    return tuple((name, value) for name, value in combined.items() if value != 0)


def parse_quantity_text(
    text: str, what: str = "quantity", *, number_required: bool = True
) -> QuantityText:
    """Read one number and a unit expression, like ``"1e17 FLOP/s"``.

    With ``number_required=False`` a text that does not start with a number followed by a space
    (or the end) is read as a unit with magnitude 1, as pint reads ``"FLOP/s"``.
    """
    _check_text(text, what, QUANTITY_FORM)
    start = len(text) - len(text.lstrip())
    match = _NUMBER.match(text, start)
    after = match.end() if match is not None else start
    number = match.group() if match is not None else ""
    if number and (after == len(text) or text[after].isspace()):
        magnitude = float(number.replace("_", ""))
        if not math.isfinite(magnitude):
            raise _fail(text, what, f"the number {number} is too large for a float", QUANTITY_FORM)
        if magnitude == 0.0 and re.search("[1-9]", re.split("[eE]", number)[0]):
            raise _fail(text, what, f"the number {number} is too small for a float", QUANTITY_FORM)
    elif number_required or (number and not re.match(r"1\s*[*/]", text[start:])):
        reason = "it does not start with a number followed by a space"
        if number:
            reason = f"unexpected {text[after]!r} right after the number {number}"
        raise _fail(text, what, reason, QUANTITY_FORM)
    else:
        magnitude, after, number = 1.0, start, ""
    rest = text[after:].lstrip()
    if number and _NUMBER.match(rest) and not re.match(r"1\s*/", rest):
        raise _fail(text, what, f"more than one number ({number}, then {rest!r})", QUANTITY_FORM)
    return QuantityText(magnitude, _parse_unit_text(text, after, what, QUANTITY_FORM))
