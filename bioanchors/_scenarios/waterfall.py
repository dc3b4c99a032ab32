"""A scenario's waterfall: the running median along the output's chain, factor by factor.

:meth:`bioanchors.Scenario.waterfall` answers "which judgement moved the answer most?". It
walks the output step's formula (the safe syntax tree of :mod:`.formula`) down its chain and
lists every step of it with the median before, the median after and the factor applied:

* **a product or quotient** ``a * b`` / ``a / b``: the chain of ``a``, then each stage of ``b``
  applied to it (``× b`` or ``÷ b``; when ``b`` is itself a chain written inline, such as
  ``reversed_control(useful_fraction(a, f), r)``, each of its stages is a row of its own; a ``b``
  holding a sum or a power, such as ``(1 - fraction)``, is one row, and so is a ``b`` that
  names a dimensionless formula step, such as irving-2021's ``flaw_two_factor``: one named
  judgement, one row);
* **a call** of a formula function (``reversed_control``, ``useful_fraction``,
  ``multi_neuron_scaling``, ...): the chain of its *carrier*, the first argument with the
  result's dimension (the cost being adjusted), then one row for the call;
* **a sum** ``a + b + c`` (a population mix, Carlsmith's synapses plus firing decisions):
  the chain of its largest term (by median), then one row ``+ the others`` whose factor says
  how much the smaller terms add; a difference ``a - b`` continues the chain of ``a``; a sum
  whose largest term is a plain value (``lo + share * (hi - lo)``) is one leaf;
* **a name** of a formula step is expanded in place; an input step, a number, a power's
  exponent, a negation and any other call start a chain (a leaf).

A ``× 1`` that only starts a sub-chain (``reversed_control(1, overhead)``) is left out, and a
call that pools or picks among its arguments (``one_of``, ``min``, ``max``) or a mathematical
function is a leaf. The chain is expanded at most :data:`MAX_DEPTH` levels deep; below that a
step is one leaf.

The medians come from one joint draw of ``n`` samples (the audit's: closed form where the
engine has one, see :mod:`.audit`), so the rows are consistent with each other. A factor is
``after / before``, the ratio of the running medians: how much that step moved the answer's
median. It is the factor's own median only for independent lognormal factors; otherwise the
two differ (irving-2021's ``flaw_two_factor`` has median 0.68 but moves the running median by
0.37, because it is smallest where flaw one's discount is smallest). When before and after
carry different units (``× neurons``) the factor carries the ratio of the units
(``factor_unit``), and its size depends on that unit. The row marked ``largest`` is the
*judgement* with the largest |log10 factor|: a dimensionless factor that is an adjustment
call, a ``shaky`` input or a dimensionless formula step (a derived discount). A cited input
(``detections_per_image``) is a fact, not a judgement, and a factor with a unit has no size
apart from its unit (``× neurons`` is 1e11 in neurons, 1 in brains); a chain without a
judgement marks none. A negative or zero running median is warned about (a cost cannot be
negative: check the formula).

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
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace
from typing import Any, Final

from bioanchors._format import format_number, text_table
from bioanchors._graph.uncertain import Uncertain
from bioanchors._optional import require_pandas
from bioanchors._scenarios.audit import AuditedStep, audit_steps
from bioanchors._scenarios.chain import MAX_DEPTH, Walker
from bioanchors._scenarios.steps import Step
from bioanchors._units.registry import as_unit, format_unit, get_registry
from bioanchors.errors import BioanchorsWarning

__all__ = ["MAX_DEPTH", "Waterfall", "WaterfallRow", "build_waterfall"]

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
            table += f"\n({_NONE_MARKED})"
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
        marked = "bold: the factor that moved it most" if self.largest is not None else _NONE_MARKED
        return (
            f"<table><caption>Waterfall of {html.escape(self.scenario)}: the running median "
            f"of {html.escape(self.output)} along its chain ({marked})</caption><tr>"
            "<th>applied</th><th>in step</th><th>median before</th><th>after</th><th>unit</th>"
            "<th>factor</th><th>note</th></tr>" + body + "</table>"
        )


_NONE_MARKED: Final = (
    "none marked as the largest: no factor on this chain is a judgement, i.e. an adjustment, "
    "a shaky input or a derived dimensionless factor"
)


def _factor_text(row: WaterfallRow) -> str:
    if row.factor is None:
        return ""
    factor = row.factor
    text = f"{float(f'{factor:.3g}'):g}" if 1e-3 <= abs(factor) < 1e4 else format_number(factor)
    return f"{text} {row.factor_unit}".strip()


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
    walker = Walker(steps, n, seed)
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
    negative = [row for row in rows if row.median_after <= 0]
    if negative:
        first = negative[0]
        warnings.warn(
            f"waterfall of {scenario!r}: the running median after {first.label!r} is "
            f"{format_number(first.median_after)} {first.unit}; a cost is not negative or zero: "
            "check the formula (its factors are not shown as a ratio there)",
            BioanchorsWarning,
            stacklevel=3,
        )
    judged = {i for i, s in enumerate(stages) if i and _is_judgement(s.name, s.op, walker)}
    marked = _mark_largest(rows, judged)
    return Waterfall(scenario, output, format_unit(target), tuple(marked), n, seed)


def _is_judgement(name: str, op: str, walker: Walker) -> bool:
    """Whether a row applies a judgement: an adjustment call, a shaky input, or a derived
    dimensionless factor (a formula step), not a cited fact or a term of a sum."""
    if op == "call":
        return True
    if op not in ("*", "/"):
        return False
    step = walker.steps.get(name)
    if step is None:  # an inline expression such as (1 - fraction): a derived factor
        return True
    return step.spec.shaky or step.spec.formula is not None


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


def _mark_largest(rows: list[WaterfallRow], judged: set[int]) -> list[WaterfallRow]:
    def size(row: WaterfallRow) -> float:
        if row.factor is None or row.factor <= 0:
            return -1.0
        return abs(math.log10(row.factor))

    candidates = [i for i in judged if rows[i].factor_unit == "" and size(rows[i]) > 0]
    if not candidates:
        return rows
    best = max(candidates, key=lambda i: size(rows[i]))
    rows[best] = replace(rows[best], largest=True)
    return rows
