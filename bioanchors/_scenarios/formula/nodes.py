"""The validated, immutable syntax tree of a formula: five small frozen node types.

The parser (:mod:`.parser`) builds it from Python's ``ast`` after checking every node against
the whitelist; the evaluator (:mod:`.evaluator`) walks it. Each node keeps the source text it
was parsed from, so that errors can quote it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

__all__ = ["Binary", "Call", "Name", "Node", "Num", "Unary", "operation"]


@dataclass(frozen=True, slots=True)
class Num:
    value: float
    source: str


@dataclass(frozen=True, slots=True)
class Name:
    id: str
    source: str


@dataclass(frozen=True, slots=True)
class Unary:
    op: str
    operand: Node
    source: str


@dataclass(frozen=True, slots=True)
class Binary:
    op: str
    left: Node
    right: Node
    source: str


@dataclass(frozen=True, slots=True)
class Call:
    func: str
    args: tuple[Node, ...]
    source: str


Node: TypeAlias = "Num | Name | Unary | Binary | Call"


def operation(node: Node) -> str:
    """The operator symbol or function name a node applies (``""`` for numbers and names)."""
    match node:
        case Call(func=func):
            return func
        case Unary(op=op) | Binary(op=op):
            return op
        case _:
            return ""
