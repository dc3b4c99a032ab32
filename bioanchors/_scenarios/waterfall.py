"""A scenario's waterfall: the running median along the output's chain, factor by factor.

:meth:`bioanchors.Scenario.waterfall` answers "which judgement moved the answer most?". It
walks the output step's formula (the safe syntax tree of :mod:`.formula`) down its chain and
lists every step of it with the median before, the median after and the factor applied:

* **a product or quotient** ``a * b`` / ``a / b``: the chain of ``a``, then each stage of ``b``
  applied to it (``× b`` or ``÷ b``; when ``b`` is itself a chain, such as ``overhead_factor``
  built by two adjustments, each of its stages is a row of its own, applied to ``a``; a ``b``
  holding a sum or a power, such as ``(1 - fraction)``, is one row);
* **a call** of a formula function (``reversed_control``, ``useful_fraction``,
  ``multi_neuron_scaling``, ...): the chain of its *carrier*, the first argument with the
  result's dimension (the cost being adjusted), then one row for the call;
* **a sum** ``a + b + c`` (a population mix, Carlsmith's synapses plus firing decisions):
  the chain of its largest term (by median), then one row ``+ the others`` whose factor says
  how much the smaller terms add; a difference ``a - b`` continues the chain of ``a``;
* **a name** of a formula step is expanded in place; an input step, a number, a power's
  exponent, a negation and any other call start a chain (a leaf).

A ``× 1`` that only starts a sub-chain (``reversed_control(1, overhead)``) is left out. The
chain is expanded at most :data:`MAX_DEPTH` levels deep; below that a step is one leaf.

The medians come from one joint draw of ``n`` samples (the audit's: closed form where the
engine has one, see :mod:`.audit`), so the rows are consistent with each other. A factor is
``after / before``; when the two carry different units (``× neurons``) the factor carries the
ratio of the units (``factor_unit``), and its size depends on that unit. The row marked
``largest`` is the dimensionless factor (an adjustment, a fraction, a discount) with the
largest |log10 factor|; a factor with a unit has no size apart from its unit (``× neurons`` is
1e11 in neurons, 1 in brains), so a chain without a dimensionless factor marks none.

>>> import bioanchors as ba
>>> waterfall = ba.load_scenario("steve2152-2021").waterfall()
>>> [row.label for row in waterfall]
['start: tcn_flop_per_step', '× steps_per_second', '× neurons', 'useful_fraction']
>>> waterfall.largest.name
'useful_fraction'
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from bioanchors._format import format_number, text_table
from bioanchors._graph.functions import formula_functions
from bioanchors._graph.inputs import point
from bioanchors._graph.uncertain import Uncertain
from bioanchors._optional import require_pandas
from bioanchors._scenarios.audit import AuditedStep, audit_steps
from bioanchors._scenarios.formula import parse_formula
from bioanchors._scenarios.formula.nodes import Binary, Call, Name, Node, Num
from bioanchors._scenarios.steps import Step
from bioanchors._units.registry import as_unit, format_unit, get_registry
from bioanchors.errors import BioanchorsWarning

__all__ = ["MAX_DEPTH", "Waterfall", "WaterfallRow", "build_waterfall"]

MAX_DEPTH: Final = 120
"""Deepest expansion of the chain (formula nodes and step names), so a 10,000-step chain
gives a bounded table instead of exhausting the stack."""

_OPAQUE_FUNCTIONS: Final = frozenset({"exp", "log", "log10", "log2", "sqrt", "abs"})
_INVERSE: Final = {"*": "/", "/": "*"}
_SHOWN: Final = {"*": "×", "/": "÷"}


@dataclass(frozen=True)
class WaterfallRow:
    """One step of the chain: what it applies, and the running median before and after.

    ``op`` is ``"start"`` (the chain's first value), ``"*"``, ``"/"``, ``"+"`` or ``"-"``
    (the other terms of a sum), ``"**"`` or ``"call"`` (a formula function). ``step`` is the
    scenario step whose formula holds the operation; ``formula`` that step's formula (None for
    an input). ``median_before`` and ``factor`` are None on the first row (and ``factor`` when
    the median before is 0 or changes sign); ``factor_unit`` is ``""`` for a pure number.
    """

    name: str
    op: str
    step: str
    formula: str | None
    unit: str
    median_before: float | None
    median_after: float
    factor: float | None
    factor_unit: str
    largest: bool = False

    @property
    def label(self) -> str:
        """``× neurons``, ``reversed_control``, ``start: tcn_flop_per_step``."""
        if self.op == "start":
            return f"start: {self.name}"
        return self.name if self.op == "call" else f"{_SHOWN.get(self.op, self.op)} {self.name}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "op": self.op,
            "step": self.step,
            "formula": self.formula,
            "unit": self.unit,
            "median_before": self.median_before,
            "median_after": self.median_after,
            "factor": self.factor,
            "factor_unit": self.factor_unit,
            "largest": self.largest,
        }


@dataclass(frozen=True)
class Waterfall:
    """A scenario's waterfall (see :mod:`this module <bioanchors._scenarios.waterfall>`):
    rows in chain order, the last one the output in the scenario's unit. Iterate for rows."""

    scenario: str
    output: str
    unit: str
    rows: tuple[WaterfallRow, ...]
    n: int
    seed: int

    def __iter__(self) -> Iterator[WaterfallRow]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def __repr__(self) -> str:
        top = self.largest
        moved = f"; largest factor: {top.label} {_factor_text(top)}" if top else ""
        return f"<Waterfall of {self.scenario}: {len(self.rows)} steps to {self.output}{moved}>"

    @property
    def largest(self) -> WaterfallRow | None:
        """The row that moved the answer most (see the module notes), if any."""
        return next((row for row in self.rows if row.largest), None)

    def to_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "output": self.output,
            "unit": self.unit,
            "n": self.n,
            "seed": self.seed,
            "steps": [row.to_dict() for row in self.rows],
        }

    def to_frame(self) -> Any:
        """The waterfall as a ``pandas.DataFrame``, one row per step in chain order (needs
        pandas)."""
        return require_pandas().DataFrame([row.to_dict() for row in self.rows])

    def _cells(self) -> list[list[str]]:
        return [
            [
                row.label,
                row.step,
                "" if row.median_before is None else format_number(row.median_before),
                format_number(row.median_after),
                row.unit,
                _factor_text(row),
                "<- largest" if row.largest else "",
            ]
            for row in self.rows
        ]

    def __str__(self) -> str:
        headers = ["applied", "in step", "median before", "after", "unit", "factor", ""]
        title = (
            f"Waterfall of {self.scenario}: running median of {self.output!r} along its chain "
            f"(n={self.n}, seed={self.seed})"
        )
        table = text_table(headers, self._cells(), {2, 3, 5})
        if self.largest is None:
            table += "\n(no dimensionless factor on this chain: none is marked as the largest)"
        return title + "\n\n" + "\n".join(line.rstrip() for line in table.splitlines())

    def _repr_html_(self) -> str:
        body = "".join(
            "<tr"
            + (' style="font-weight:bold"' if row.largest else "")
            + ">"
            + "".join(f"<td>{html.escape(cell)}</td>" for cell in cells)
            + "</tr>"
            for row, cells in zip(self.rows, self._cells(), strict=True)
        )
        return (
            f"<table><caption>Waterfall of {html.escape(self.scenario)}: the running median "
            f"of {html.escape(self.output)} along its chain (bold: the factor that moved it "
            "most)</caption><tr><th>applied</th><th>in step</th><th>median before</th>"
            "<th>after</th><th>unit</th><th>factor</th><th></th></tr>" + body + "</table>"
        )


def _factor_text(row: WaterfallRow) -> str:
    if row.factor is None:
        return ""
    factor = row.factor
    text = f"{float(f'{factor:.3g}'):g}" if 1e-3 <= abs(factor) < 1e4 else format_number(factor)
    return f"{text} {row.factor_unit}".strip()


@dataclass(frozen=True)
class _Stage:
    name: str
    op: str
    step: str
    value: Uncertain
    constant_one: bool = False


class _Walker:
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

    def name_chain(self, name: str, depth: int) -> list[_Stage]:
        step = self.steps[name]
        formula = step.spec.formula
        if formula is None or depth >= MAX_DEPTH:
            return [_Stage(name, "start", name, step.quantity)]
        root = parse_formula(formula, self.functions)._root
        stages = self.chain(root, name, depth + 1)
        last = stages[-1]
        stages[-1] = _Stage(last.name, last.op, last.step, step.quantity)
        return stages

    def chain(self, node: Node, step: str, depth: int) -> list[_Stage]:
        if isinstance(node, Name) and node.id in self.steps:
            return self.name_chain(node.id, depth)
        if depth > MAX_DEPTH:
            return [self.leaf(node, step)]
        if isinstance(node, Binary) and node.op in ("*", "/"):
            return self.product(node, step, depth)
        if isinstance(node, Binary) and node.op in ("+", "-"):
            return self.sum(node, step, depth)
        if isinstance(node, Binary) and node.op == "**":
            power = _Stage(node.right.source, "**", step, self.value(node))
            return [*self.chain(node.left, step, depth + 1), power]
        if isinstance(node, Call):
            return self.call(node, step, depth)
        return [self.leaf(node, step)]

    def leaf(self, node: Node, step: str) -> _Stage:
        one = isinstance(node, Num) and node.value == 1.0
        return _Stage(node.source, "start", step, self.value(node), constant_one=one)

    def product(self, node: Binary, step: str, depth: int) -> list[_Stage]:
        left = self.chain(node.left, step, depth + 1)
        right = self.chain(node.right, step, depth + 1)
        base = left[-1].value
        symbol = node.op
        stages = list(left)
        if any(stage.op in ("+", "-", "**") for stage in right):
            # A sum or power inside a factor (1 - fraction) is one factor, not steps of the chain.
            name = node.right.source
            name = f"({name})" if isinstance(node.right, Binary) else name
            return [*stages, _Stage(name, symbol, step, self.value(node))]
        for index, stage in enumerate(right):
            if index == 0 and stage.constant_one and len(right) > 1:
                continue  # reversed_control(1, x): the 1 only starts the sub-chain
            value = base * stage.value if node.op == "*" else base / stage.value
            if stage.op == "start":
                stages.append(_Stage(stage.name, symbol, step, value))
            else:
                op = stage.op if node.op == "*" else _INVERSE.get(stage.op, stage.op)
                stages.append(_Stage(stage.name, op, stage.step, value))
        return stages

    def sum(self, node: Binary, step: str, depth: int) -> list[_Stage]:
        terms = _terms(node)
        positive = [term for sign, term in terms if sign == "+"]
        carrier = positive[0]
        if len(positive) > 1:
            carrier = positive[self._largest([self.value(term) for term in positive])]
        others = [(sign, term) for sign, term in terms if term is not carrier]
        text = " ".join(f"{sign} {term.source}" for sign, term in others)
        rest = _Stage(text[2:] if text.startswith("+ ") else text, "+", step, self.value(node))
        if text.startswith("- "):
            rest = _Stage(text[2:], "-", step, rest.value)
        return [*self.chain(carrier, step, depth + 1), rest]

    def _largest(self, values: list[Uncertain]) -> int:
        entries = [AuditedStep(f"term {i}", None, v, None) for i, v in enumerate(values)]
        rows = audit_steps(entries, tolerance=0.0, n=self.n, seed=self.seed)
        return max(range(len(rows)), key=lambda i: rows[i].recomputed)

    def call(self, node: Call, step: str, depth: int) -> list[_Stage]:
        result = self.value(node)
        if node.func not in _OPAQUE_FUNCTIONS:
            for arg in node.args:
                if self.value(arg).unit.dimensionality == result.unit.dimensionality:
                    applied = _Stage(node.func, "call", step, result)
                    return [*self.chain(arg, step, depth + 1), applied]
        return [_Stage(node.source, "start", step, result)]


def _terms(node: Node) -> list[tuple[str, Node]]:
    """The terms of ``a + b - c`` with their signs, left to right."""
    if isinstance(node, Binary) and node.op in ("+", "-"):
        right_sign = node.op
        return [*_terms(node.left), (right_sign, node.right)]
    return [("+", node)]


def build_waterfall(
    scenario: str,
    steps: Sequence[Step],
    output: str,
    output_quantity: Uncertain,
    *,
    n: int,
    seed: int,
) -> Waterfall:
    """The waterfall of ``output`` over ``steps`` (see the module notes)."""
    walker = _Walker(steps, n, seed)
    with warnings.catch_warnings():  # domain warnings were given when the scenario loaded
        warnings.simplefilter("ignore", BioanchorsWarning)
        stages = walker.name_chain(output, 0)
    target = output_quantity.unit
    values = [
        s.value.to(target) if s.value.unit.is_compatible_with(target) else s.value for s in stages
    ]
    values[-1] = output_quantity
    entries = [AuditedStep(s.name, None, v, None) for s, v in zip(stages, values, strict=True)]
    medians = [row.recomputed for row in audit_steps(entries, tolerance=0.0, n=n, seed=seed)]
    rows = []
    for index, (stage, value, after) in enumerate(zip(stages, values, medians, strict=True)):
        before = medians[index - 1] if index else None
        factor, factor_unit = None, ""
        if before is not None and before != 0 and (before > 0) == (after > 0):
            factor, factor_unit = _factor(after / before, value, values[index - 1])
        formula = walker.steps[stage.step].spec.formula
        rows.append(
            WaterfallRow(
                name=stage.name,
                op=stage.op,
                step=stage.step,
                formula=formula,
                unit=format_unit(value.unit),
                median_before=before,
                median_after=after,
                factor=factor,
                factor_unit=factor_unit,
            )
        )
    marked = _mark_largest(rows)
    return Waterfall(scenario, output, format_unit(target), tuple(marked), n, seed)


def _factor(ratio: float, after: Uncertain, before: Uncertain) -> tuple[float | None, str]:
    """The factor as a pure number when the units' ratio is dimensionless (kFLOP / FLOP is
    1000), else in the ratio of the units."""
    quantity = get_registry().Quantity(ratio, after.unit / before.unit)
    if quantity.dimensionless:
        quantity = quantity.to("dimensionless")
    factor = float(quantity.magnitude)
    if not math.isfinite(factor):
        return None, ""
    return factor, format_unit(as_unit(quantity.units))


def _mark_largest(rows: list[WaterfallRow]) -> list[WaterfallRow]:
    def size(row: WaterfallRow) -> float:
        if row.factor is None or row.factor <= 0:
            return -1.0
        return abs(math.log10(row.factor))

    candidates = [i for i, row in enumerate(rows) if row.factor_unit == "" and size(row) > 0]
    if not candidates:
        return rows
    best = max(candidates, key=lambda i: size(rows[i]))
    rows[best] = replace(rows[best], largest=True)
    return rows
