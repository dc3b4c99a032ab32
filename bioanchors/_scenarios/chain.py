"""Walking a scenario's output formula down its chain of factors, for :mod:`.waterfall`.

The rules (what is a row, what is a leaf) are described in :mod:`.waterfall`; this module
holds the walk: :class:`Walker` turns the output step's formula tree into :class:`Stage`
values, each the running quantity after one operation.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bioanchors._graph.functions import formula_functions
from bioanchors._graph.inputs import point
from bioanchors._graph.uncertain import Uncertain
from bioanchors._scenarios.audit import AuditedStep, audit_steps
from bioanchors._scenarios.formula import parse_formula
from bioanchors._scenarios.formula.nodes import Binary, Call, Name, Node, Num
from bioanchors._scenarios.steps import Step

__all__ = ["MAX_DEPTH", "Stage", "Walker"]

MAX_DEPTH: Final = 120
"""Deepest expansion of the chain (formula nodes and step names), so a 10,000-step chain
gives a bounded table instead of exhausting the stack."""

_OPAQUE_FUNCTIONS: Final = frozenset(
    {"exp", "log", "log10", "log2", "sqrt", "abs", "min", "max", "one_of"}
)
"""Calls that start a chain rather than adjust a carrier: maths, and the functions that pool
or pick among their arguments (``one_of(a, b)`` is a mixture, not ``a`` adjusted by ``b``)."""
_INVERSE: Final = {"*": "/", "/": "*"}


@dataclass(frozen=True)
class Stage:
    name: str
    op: str
    step: str
    value: Uncertain
    constant_one: bool = False


class Walker:
    """Builds the stages of the chain; one per scenario, over its built steps."""

    def __init__(self, steps: Sequence[Step], n: int, seed: int) -> None:
        self.steps: Mapping[str, Step] = {step.name: step for step in steps}
        self.values = {step.name: step.quantity for step in steps}
        self.functions = formula_functions()
        self.n, self.seed = n, seed

    def value(self, node: Node) -> Uncertain:
        if isinstance(node, Name):
            return self.values[node.id]
        text = f"({node.source})"  # a sub-expression may span lines: parentheses keep it one
        result = parse_formula(text, self.functions).evaluate(self.values, self.functions)
        return result if isinstance(result, Uncertain) else point(float(result))

    def name_chain(self, name: str, depth: int) -> list[Stage]:
        step = self.steps[name]
        formula = step.spec.formula
        if formula is None or depth >= MAX_DEPTH:
            return [Stage(name, "start", name, step.quantity)]
        root = parse_formula(formula, self.functions)._root
        stages = self.chain(root, name, depth + 1)
        if len(stages) == 1 and stages[0].op == "start":  # a step that starts a chain: its name
            return [Stage(name, "start", name, step.quantity)]
        last = stages[-1]
        stages[-1] = Stage(last.name, last.op, last.step, step.quantity)
        return stages

    def chain(self, node: Node, step: str, depth: int) -> list[Stage]:
        if isinstance(node, Name) and node.id in self.steps:
            return self.name_chain(node.id, depth)
        if depth > MAX_DEPTH:
            return [self.leaf(node, step)]
        if isinstance(node, Binary) and node.op in ("*", "/"):
            return self.product(node, step, depth)
        if isinstance(node, Binary) and node.op in ("+", "-"):
            return self.sum(node, step, depth)
        if isinstance(node, Binary) and node.op == "**":
            power = Stage(node.right.source, "**", step, self.value(node))
            return [*self.chain(node.left, step, depth + 1), power]
        if isinstance(node, Call):
            return self.call(node, step, depth)
        return [self.leaf(node, step)]

    def leaf(self, node: Node, step: str) -> Stage:
        one = isinstance(node, Num) and node.value == 1.0
        return Stage(node.source, "start", step, self.value(node), constant_one=one)

    def product(self, node: Binary, step: str, depth: int) -> list[Stage]:
        left = self.chain(node.left, step, depth + 1)
        if self._named_factor(node.right):
            right = [self.leaf(node.right, step)]
        else:
            right = self.chain(node.right, step, depth + 1)
        base = left[-1].value
        symbol = node.op
        stages = list(left)
        if any(stage.op in ("+", "-", "**") for stage in right):
            # A sum or power inside a factor (1 - fraction) is one factor, not steps of the chain.
            name = node.right.source
            name = f"({name})" if isinstance(node.right, Binary) else name
            return [*stages, Stage(name, symbol, step, self.value(node))]
        for index, stage in enumerate(right):
            if index == 0 and stage.constant_one and len(right) > 1:
                continue  # reversed_control(1, x): the 1 only starts the sub-chain
            value = base * stage.value if node.op == "*" else base / stage.value
            if stage.op == "start":
                stages.append(Stage(stage.name, symbol, step, value))
            else:
                op = stage.op if node.op == "*" else _INVERSE.get(stage.op, stage.op)
                stages.append(Stage(stage.name, op, stage.step, value))
        return stages

    def _named_factor(self, node: Node) -> bool:
        """A dimensionless formula step used as a factor (``total * flaw_two_factor``): one
        judgement, shown as one row under its own name rather than re-walked (its inner chain
        may divide out stages shown elsewhere, as irving-2021's second flaw does)."""
        if not isinstance(node, Name) or node.id not in self.steps:
            return False
        step = self.steps[node.id]
        return step.spec.formula is not None and step.quantity.unit.dimensionless

    def sum(self, node: Binary, step: str, depth: int) -> list[Stage]:
        terms = _terms(node)
        positive = [term for sign, term in terms if sign == "+"]
        carrier = positive[0]
        if len(positive) > 1:
            carrier = positive[self._largest([self.value(term) for term in positive])]
        others = [(sign, term) for sign, term in terms if term is not carrier]
        text = " ".join(f"{sign} {term.source}" for sign, term in others)
        rest = Stage(text[2:] if text.startswith("+ ") else text, "+", step, self.value(node))
        if text.startswith("- "):
            rest = Stage(text[2:], "-", step, rest.value)
        chain = self.chain(carrier, step, depth + 1)
        if len(chain) == 1:  # a sum of plain values (an interpolation, 1 - f): one leaf
            return [Stage(f"({node.source})", "start", step, self.value(node))]
        return [*chain, rest]

    def _largest(self, values: list[Uncertain]) -> int:
        entries = [AuditedStep(f"term {i}", None, v, None) for i, v in enumerate(values)]
        rows = audit_steps(entries, tolerance=0.0, n=self.n, seed=self.seed)
        return max(range(len(rows)), key=lambda i: rows[i].recomputed)

    def call(self, node: Call, step: str, depth: int) -> list[Stage]:
        result = self.value(node)
        if node.func not in _OPAQUE_FUNCTIONS:
            for arg in node.args:
                if self.value(arg).unit.dimensionality == result.unit.dimensionality:
                    applied = Stage(node.func, "call", step, result)
                    return [*self.chain(arg, step, depth + 1), applied]
        return [Stage(node.source, "start", step, result)]


def _terms(node: Node) -> list[tuple[str, Node]]:
    """The terms of ``a + b - c`` with their signs, left to right."""
    if isinstance(node, Binary) and node.op in ("+", "-"):
        right_sign = node.op
        return [*_terms(node.left), (right_sign, node.right)]
    return [("+", node)]
