"""A scenario's audit: every step's claim next to what its arithmetic gives.

All steps are recomputed from one compiled plan, so an audit costs about one estimate of the
whole scenario, not one per step (a 10,000-step chain used to take minutes):

* a step that is a product of lognormals and constants (a closed form) gets its exact median;
* a constant gets its value by plain arithmetic;
* every other step is sampled, all of them in one joint draw: each random input has one column
  of normal scores shared by every step that uses it, as in one estimate of the output. The
  draw is made in batches of steps so that at most :data:`AUDIT_VALUES_IN_MEMORY` sampled
  values are held at once.
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any, Final, Literal

import numpy as np

from bioanchors._engine.draw import draw_many
from bioanchors._engine.logform import LogForm
from bioanchors._engine.plan import Plan, compile_plan
from bioanchors._format import format_number, text_table
from bioanchors._graph.uncertain import Uncertain
from bioanchors._optional import require_pandas
from bioanchors._results.estimate import Estimate
from bioanchors._units.registry import Quantity, format_unit
from bioanchors.errors import SamplingError, ScenarioError

__all__ = [
    "AUDIT_VALUES_IN_MEMORY",
    "DEFAULT_TOLERANCE",
    "AuditTable",
    "AuditedStep",
    "StepAudit",
    "audit_steps",
    "check_tolerance",
]

AUDIT_VALUES_IN_MEMORY: Final = 1 << 24
"""Sampled values an audit holds at once (128 MiB): steps are drawn in batches below it."""

DEFAULT_TOLERANCE: Final = 0.05
"""How far a recomputed step may lie from its claim and still be ``ok``, in orders of magnitude
(|log10(recomputed / claimed)|)."""


def check_tolerance(tolerance: object) -> float:
    """``tolerance`` as a float if it is a finite number >= 0, else a ScenarioError."""
    if not (
        isinstance(tolerance, int | float)
        and not isinstance(tolerance, bool)
        and tolerance >= 0
        and tolerance <= 1e300  # a Python int beyond float range is refused, not converted
        and math.isfinite(tolerance)
    ):
        raise ScenarioError(
            "audit tolerance must be a finite number >= 0 (orders of magnitude), got "
            + _shown(tolerance)
        )
    return float(tolerance)


@dataclass(frozen=True)
class StepAudit:
    """One row of an audit: the claim, what the arithmetic gives, and whether they agree.

    ``ok`` is False only for a mismatch: a step without a claim has nothing to disagree with
    and is ``ok`` (so ``all(row.ok for row in audit)`` asks "no mismatch?"). :attr:`verdict`
    tells the three cases apart, as tables show them: ``"ok"``, ``"MISMATCH"``, ``"no claim"``.
    """

    name: str
    formula: str | None
    unit: str
    claimed: float | None
    recomputed: float
    ratio: float | None
    ok: bool

    @property
    def verdict(self) -> Literal["ok", "MISMATCH", "no claim"]:
        """``"no claim"`` for a step that claims nothing, else ``"ok"`` or ``"MISMATCH"``."""
        if self.claimed is None:
            return "no claim"
        return "ok" if self.ok else "MISMATCH"

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "formula": self.formula,
            "unit": self.unit,
            "claimed": self.claimed,
            "recomputed": self.recomputed,
            "ratio": self.ratio,
            "ok": self.ok,
            "verdict": self.verdict,
        }


class AuditTable(list[StepAudit]):
    """The rows of an audit (a list of :class:`StepAudit`), with notebook and table views."""

    def to_dict(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self]

    def to_frame(self) -> Any:
        """The audit as a ``pandas.DataFrame`` indexed by step (needs pandas)."""
        return require_pandas().DataFrame(self.to_dict()).set_index("name")

    def _cells(self) -> list[list[str]]:
        return [
            [
                row.name,
                row.unit,
                "" if row.claimed is None else format_number(row.claimed),
                format_number(row.recomputed),
                "" if row.ratio is None else f"{row.ratio:.3g}",
                row.verdict,
            ]
            for row in self
        ]

    def __str__(self) -> str:
        """A plain-text table: step, unit, claimed, recomputed, ratio and the verdict."""
        headers = ["step", "unit", "claimed", "recomputed", "ratio", "verdict"]
        return text_table(headers, self._cells(), {2, 3, 4})

    def _repr_html_(self) -> str:
        body = []
        for row, cells in zip(self, self._cells(), strict=True):
            name, unit, claimed, recomputed, ratio, verdict = (html.escape(c) for c in cells)
            if row.verdict == "MISMATCH":
                verdict = f"<b>{verdict}</b>"
            elif row.verdict == "no claim":
                verdict = f"<i>{verdict}</i>"
            body.append(
                f"<tr><td>{name}</td><td><code>{html.escape(row.formula or '')}</code></td>"
                f"<td>{unit}</td><td>{claimed}</td><td>{recomputed}</td><td>{ratio}</td>"
                f"<td>{verdict}</td></tr>"
            )
        mismatches = sum(row.verdict == "MISMATCH" for row in self)
        claims = sum(row.claimed is not None for row in self)
        caption = f"Audit: {len(self)} steps, {claims} with a claim, {mismatches} mismatched"
        return (
            f"<table><caption>{caption}</caption><tr><th>step</th><th>formula</th><th>unit</th>"
            "<th>claimed</th><th>recomputed</th><th>ratio</th><th>verdict</th></tr>"
            + "".join(body)
            + "</table>"
        )


@dataclass(frozen=True)
class AuditedStep:
    """What the audit needs of a step: its quantity (in the unit to report) and its claim."""

    name: str
    formula: str | None
    quantity: Uncertain
    claimed: Quantity | None
    file: str | None = None


def audit_steps(steps: Sequence[AuditedStep], *, tolerance: float, n: int, seed: int) -> AuditTable:
    """Recompute ``steps`` jointly and compare each with its claim (see :mod:`this module
    <bioanchors._scenarios.audit>`); ``claimed`` is converted to the quantity's unit."""
    medians = _medians(steps, n=n, seed=seed)
    rows = AuditTable()
    for step, recomputed in zip(steps, medians, strict=True):
        claimed = (
            None if step.claimed is None else float(step.claimed.to(step.quantity.unit).magnitude)
        )
        ratio: float | None = None
        ok = True
        if claimed is not None:
            if claimed == 0 or recomputed == 0 or (claimed > 0) != (recomputed > 0):
                ok = claimed == recomputed
            else:
                ratio = recomputed / claimed
                ok = abs(math.log10(ratio)) <= tolerance
        rows.append(
            StepAudit(
                name=step.name,
                formula=step.formula,
                unit=format_unit(step.quantity.unit),
                claimed=claimed,
                recomputed=recomputed,
                ratio=ratio,
                ok=ok,
            )
        )
    return rows


def _medians(steps: Sequence[AuditedStep], *, n: int, seed: int) -> list[float]:
    quantities = [step.quantity for step in steps]
    plan = compile_plan(quantities)
    medians = [math.nan] * len(steps)
    constants: list[int] = []
    sampled: list[int] = []
    for index, quantity in enumerate(quantities):
        form = plan.forms.get(id(quantity.node))
        if form is None:
            sampled.append(index)
        elif not form.coefs:
            constants.append(index)  # plain arithmetic: exp(log(3)) is not exactly 3
        else:
            exact = Estimate.from_lognormal(
                form.const, _sigma(form, plan), quantity.unit, n=n, seed=seed
            )
            medians[index] = float(exact.median.magnitude)
    for indices, size in ((constants, 1), (sampled, n)):
        batch = max(1, AUDIT_VALUES_IN_MEMORY // size)
        for start in range(0, len(indices), batch):
            chosen = indices[start : start + batch]
            values = _draw(steps, chosen, plan, size, seed)
            for index, row in zip(chosen, values, strict=True):
                unit = quantities[index].unit
                estimate = Estimate.from_samples(
                    np.array(row), unit, n=n, seed=seed, method="mc", copy=False
                )
                medians[index] = float(estimate.median.magnitude)
    return medians


def _draw(
    steps: Sequence[AuditedStep], chosen: list[int], plan: Plan, size: int, seed: int
) -> np.ndarray[Any, np.dtype[np.float64]]:
    outputs = tuple(steps[i].quantity for i in chosen)
    try:
        return draw_many(outputs, size, seed=seed, plan=replace(plan, outputs=outputs))
    except SamplingError as error:
        # Name the first step whose own samples fail (the later ones fail because of it).
        for index in chosen:
            try:
                steps[index].quantity.estimate(size, seed=seed, method="mc")
            except SamplingError:
                raise ScenarioError(
                    str(error), file=steps[index].file, step=steps[index].name
                ) from error
        raise


def _sigma(form: LogForm, plan: Plan) -> float:
    """Standard deviation of ``log`` of a closed-form step (correlated inputs included)."""
    coefs = form.coefs
    if not any(column in coefs for _, columns in plan.groups for column in columns):
        return math.sqrt(math.fsum(a * a for a in coefs.values()))
    columns = list(coefs)
    where = {column: i for i, column in enumerate(columns)}
    corr = np.eye(len(columns))
    for matrix, group_columns in plan.groups:
        pairs = [(g, where[c]) for g, c in enumerate(group_columns) if c in where]
        if len(pairs) > 1:
            mine = [g for g, _ in pairs]
            local = [i for _, i in pairs]
            corr[np.ix_(local, local)] = matrix[np.ix_(mine, mine)]
    vector = np.array([coefs[c] for c in columns])
    return math.sqrt(max(float(vector @ corr @ vector), 0.0))


def _shown(value: object) -> str:
    try:
        text = str(value)
    except ValueError:  # an int past Python's digit limit for str()
        text = "a very large int..."
    return repr(value) if len(text) < 40 else repr(text[:20] + "...")
