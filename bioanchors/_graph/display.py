"""How a graph value is shown: its expression in a few words, and format specs split in two.

:func:`expression` writes the operation tree of an :class:`~bioanchors.Uncertain` in infix
form, with named nodes by name and unnamed inputs by their distribution (its numbers in the
input's own unit, to three significant figures)::

    neurons * lognormal(median=1e4, gsd=3)

It stays short for any graph: below :data:`MAX_DEPTH` levels a subtree is ``…``, an operation
with many arguments shows the first few, and the text is cut at ``limit`` characters with an
ellipsis (so a 10,000-node chain is shown in well under a millisecond). A unit conversion is
its factor: ``between(1, 10, "FLOP/s").to("PFLOP/s")`` reads ``lognormal(...) * 1e-15``.

:func:`split_spec` splits a format spec as ``complex`` does: the fill, alignment and width
apply to the whole text, the rest (sign, ``#``, grouping, precision, type) to each number.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Final, Protocol, Self, TypeVar

from bioanchors._graph.distributions import Distribution, Mixture, Point
from bioanchors._graph.nodes import Apply, Leaf, Mix, Op
from bioanchors.errors import InvalidInputError

__all__ = ["ELLIPSIS", "MAX_DEPTH", "Spec", "describe_distribution", "expression", "split_spec"]

ELLIPSIS: Final = "…"
MAX_DEPTH: Final = 6
"""Levels of the operation tree shown below the root; deeper subtrees are ``…``."""
MAX_ARGS: Final = 4
"""Arguments of one operation or mixture shown before ``…``."""

_INFIX: Final = {Op.ADD: 1, Op.SUB: 1, Op.MUL: 2, Op.DIV: 2, Op.POW: 4, Op.POW_UNCERTAIN: 4}
_ATOM: Final = 9
_EXPONENT: Final = re.compile(r"e\+?(-?)0*(\d)")


class Shown(Protocol):
    """What :func:`expression` needs of a value: its node and its display name."""

    @property
    def node(self) -> Leaf | Apply[Self] | Mix[Self]: ...
    @property
    def name(self) -> str | None: ...


Value = TypeVar("Value", bound=Shown)


def _short(value: float) -> str:
    """Three significant figures, the exponent without ``+`` and leading zeros (``8.6e10``)."""
    return _EXPONENT.sub(r"e\1\2", f"{value:.3g}")


def _factor(value: float) -> str:
    """A scale factor or exponent: :func:`_short`, unless that would read as 1, -1 or 0 when
    the factor is not (``* 1.0001`` must not show as ``* 1``, which reads as no change)."""
    short = _short(value)
    return repr(value) if float(short) in (1.0, -1.0, 0.0) and float(short) != value else short


def describe_distribution(dist: Distribution, number: Callable[[float], str] = _short) -> str:
    """``lognormal(median=1e4, gsd=3)``; a mixture lists its components and weights; a point
    is its value."""
    if isinstance(dist, Point):
        return number(dist.value)
    if isinstance(dist, Mixture):
        parts = [describe_distribution(c, number) for c in dist.components[:MAX_ARGS]]
        if len(dist.components) > MAX_ARGS:
            parts.append(ELLIPSIS)
        weights = ", ".join(_short(w) for w in dist.weights[:MAX_ARGS])
        more = ", …" if len(dist.weights) > MAX_ARGS else ""
        return f"mixture({', '.join(parts)}; weights {weights}{more})"
    fields = dist.model_dump(exclude={"kind"})
    text = ", ".join(
        f"{key}={number(value) if isinstance(value, float) else value}"
        for key, value in fields.items()
        if isinstance(value, float | int | str)
    )
    return f"{dist.kind}({text})"


def expression(item: Value, limit: int = 120) -> str:
    """The operation tree of ``item`` in infix form, at most ``limit`` characters."""
    text = _text(item, 0, root=True)[0]
    return text if len(text) <= limit else text[: max(limit - 1, 0)] + ELLIPSIS


def _text(item: Value, depth: int, *, root: bool = False) -> tuple[str, int]:
    """The text of ``item`` and its precedence (:data:`_ATOM` binds tightest)."""
    if item.name and not root:
        return item.name, _ATOM
    node = item.node
    if isinstance(node, Leaf):  # a negative constant binds as a negation: (-2) ** 2
        if isinstance(node.dist, Point):
            return _factor(node.dist.value), 3 if node.dist.value < 0 else _ATOM
        return describe_distribution(node.dist), _ATOM
    if depth >= MAX_DEPTH:
        return ELLIPSIS, _ATOM
    if isinstance(node, Mix):
        return f"mixture({_listed(node.components, depth)})", _ATOM
    if node.op is Op.CHECK:  # a domain check: the value itself
        return _text(node.args[0], depth + 1)
    if node.op is Op.SCALE:  # a unit conversion: its factor, so every number shown is right
        inner, rank = _text(node.args[0], depth + 1)
        if node.param == 1.0:
            return inner, rank
        return (inner if rank >= 2 else f"({inner})") + f" * {_factor(node.param)}", 2
    if node.op is Op.NEG:  # -(-2), not --2
        inner, rank = _text(node.args[0], depth + 1)
        return "-" + (inner if rank >= 3 and not inner.startswith("-") else f"({inner})"), 3
    if node.op in _INFIX:
        rank = _INFIX[node.op]
        left, left_rank = _text(node.args[0], depth + 1)
        if node.op is Op.POW:
            right, right_rank = _factor(node.param), _ATOM
        else:
            right, right_rank = _text(node.args[1], depth + 1)
        # a - (b - c), a / (b * c), (a ** b) ** c: the side that does not associate keeps ( )
        if left_rank < rank or (rank == 4 and left_rank == 4):
            left = f"({left})"
        same_rank = right_rank == rank and node.op in (Op.SUB, Op.DIV)
        if right_rank < rank or same_rank or right.startswith("-"):  # a - (-b), not a - -b
            right = f"({right})"
        symbol = "**" if rank == 4 else node.op.value
        return f"{left} {symbol} {right}", rank
    return f"{node.op.value}({_listed(node.args, depth)})", _ATOM


def _listed(values: Sequence[Value], depth: int) -> str:
    parts = [_text(value, depth + 1)[0] for value in values[:MAX_ARGS]]
    if len(values) > MAX_ARGS:
        parts.append(ELLIPSIS)
    return ", ".join(parts)


# -- format specs ---------------------------------------------------------------------------

_SPEC: Final = re.compile(
    r"(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<number>[-+ ]?z?#?)(?P<zero>0)?(?P<width>\d+)?"
    r"(?P<rest>[,_]?(?:\.\d+)?[a-zA-Z%]?)",
    re.DOTALL,
)


@dataclass(frozen=True)
class Spec:
    """A format spec in two parts: ``number`` for each number, ``box`` for the whole text."""

    number: str
    box: str

    def pad(self, text: str) -> str:
        return format(text, self.box) if self.box else text


def split_spec(spec: str, what: str) -> Spec:
    """``spec`` split as ``complex`` splits it (see the module notes), checked on a float.

    Refused (an :class:`~bioanchors.errors.InvalidInputError`, a ValueError): what Python
    refuses for a float, and zero padding or ``=`` alignment, which mean nothing for a text of
    several numbers.
    """
    if not isinstance(spec, str):
        raise InvalidInputError(f"format spec for {what}: expected a str, got {spec!r}")
    try:
        format(1.0, spec)  # what Python refuses for a float is refused here
    except ValueError as error:
        raise InvalidInputError(
            f"format spec {spec!r} for {what}: {error} (expected a float format such as '.2e')"
        ) from None
    match = _SPEC.fullmatch(spec)
    if match is None or match["zero"] or match["align"] == "=":
        raise InvalidInputError(
            f"format spec {spec!r} for {what}: expected a float format such as '.2e' or '.3g', "
            "optionally with a fill, alignment and width for the whole text ('>40.2e'); zero "
            "padding and '=' alignment are refused"
        )
    number = match["number"] + match["rest"]
    align = match["align"] or (">" if match["width"] else "")  # numbers align right
    box = f"{match['fill'] or ''}{align}{match['width'] or ''}"
    return Spec(number=number, box=box)


def pad_only(text: str, spec: str, what: str, hint: str) -> str:
    """``text`` filled, aligned and widened as ``spec`` says (``''``: as it is); a number part
    in ``spec`` is refused, with ``hint`` saying what to format instead."""
    if not spec:
        return text
    shown = split_spec(spec, what)
    if shown.number:
        raise InvalidInputError(f"format spec {spec!r} for {what}: {hint}")
    return shown.pad(text)
