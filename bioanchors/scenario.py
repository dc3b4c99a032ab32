"""Scenarios: a published (or your own) derivation as named steps with citations.

A scenario file (TOML) lists steps in order. An *input* step holds a value or a distribution,
its unit and the citation it rests on; a *formula* step combines earlier steps; any step may
carry the value its source ``claimed``. :meth:`Scenario.audit` recomputes every step and flags
where the claim and the arithmetic disagree.

>>> import bioanchors as ba
>>> sc = ba.load_scenario("kokotajlod-2021")
>>> [(row.name, row.ok) for row in sc.audit()][-1]
('total', False)
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pint

from bioanchors._optional import require_pandas
from bioanchors.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)
from bioanchors.errors import BioanchorsError, ScenarioError
from bioanchors.estimate import Estimate, format_number
from bioanchors.formula import FormulaError, formula_names, parse_formula
from bioanchors.inputs import between, from_distribution, point
from bioanchors.scenario_spec import INPUT_KINDS, ScenarioSpec, Source, StepSpec
from bioanchors.sensitivity import Sensitivity, sensitivity
from bioanchors.uncertain import Leaf, Uncertain, exp, log, log10, maximum, minimum, sqrt
from bioanchors.units import Quantity, as_unit, conversion_factor, format_unit, get_registry

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors.sampling import Progress

__all__ = [
    "DEFAULT_TOLERANCE",
    "FORMULA_FUNCTIONS",
    "AuditTable",
    "Scenario",
    "Step",
    "StepAudit",
    "build_steps",
]

FORMULA_FUNCTIONS: Mapping[str, Any] = {
    "sqrt": sqrt,
    "exp": exp,
    "log": log,
    "log10": log10,
    "min": minimum,
    "max": maximum,
    "reversed_control": reversed_control,
    "multi_neuron_scaling": multi_neuron_scaling,
    "shared_template": shared_template,
    "useful_fraction": useful_fraction,
}
"""Functions a scenario formula may call (see :mod:`bioanchors.adjustments`)."""

DEFAULT_TOLERANCE = 0.05  # orders of magnitude


@dataclass(frozen=True)
class Step:
    """A built step: its spec, its quantity (an Uncertain) and its claimed value."""

    name: str
    spec: StepSpec
    quantity: Uncertain
    claimed: Quantity | None
    file: str
    source: Source | None

    @property
    def is_input(self) -> bool:
        return self.spec.is_input

    @property
    def unit(self) -> pint.Unit:
        return self.quantity.unit

    @property
    def citation(self) -> str:
        """``who, where: "quote"`` (empty for a formula step without one)."""
        who = self.spec.who or (self.source.who if self.source else None)
        where = self.spec.where or (self.source.where if self.source else None)
        parts = [p for p in (who, where) if p]
        text = ", ".join(parts)
        if self.spec.quote:
            text += f': "{self.spec.quote}"'
        if self.spec.page:
            text += (
                f" (p. {self.spec.page})"
                if self.spec.page[:1].isdigit()
                else f" ({self.spec.page})"
            )
        return text if (self.spec.quote or self.spec.page) else ""


@dataclass(frozen=True)
class StepAudit:
    """One row of an audit: the claim, what the arithmetic gives, and whether they agree."""

    name: str
    formula: str | None
    unit: str
    claimed: float | None
    recomputed: float
    ratio: float | None
    ok: bool

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "formula": self.formula,
            "unit": self.unit,
            "claimed": self.claimed,
            "recomputed": self.recomputed,
            "ratio": self.ratio,
            "ok": self.ok,
        }


class AuditTable(list[StepAudit]):
    """The rows of an audit (a list of :class:`StepAudit`), with notebook and table views."""

    def to_dict(self) -> list[dict[str, Any]]:
        return [row.to_dict() for row in self]

    def to_frame(self) -> Any:
        """The audit as a ``pandas.DataFrame`` indexed by step (needs pandas)."""
        return require_pandas().DataFrame(self.to_dict()).set_index("name")

    def _repr_html_(self) -> str:
        cells = []
        for row in self:
            claimed = "" if row.claimed is None else format_number(row.claimed)
            ratio = "" if row.ratio is None else f"{row.ratio:.3g}"
            verdict = "ok" if row.ok else "<b>MISMATCH</b>"
            cells.append(
                f"<tr><td>{html.escape(row.name)}</td>"
                f"<td><code>{html.escape(row.formula or '')}</code></td>"
                f"<td>{html.escape(row.unit)}</td><td>{claimed}</td>"
                f"<td>{format_number(row.recomputed)}</td><td>{ratio}</td><td>{verdict}</td></tr>"
            )
        return (
            "<table><tr><th>step</th><th>formula</th><th>unit</th><th>claimed</th>"
            "<th>recomputed</th><th>ratio</th><th></th></tr>" + "".join(cells) + "</table>"
        )


class Scenario:
    """A brain-compute estimate as a chain of cited steps. Load with ``ba.load_scenario``."""

    def __init__(
        self,
        spec: ScenarioSpec,
        steps: list[Step],
        *,
        path: Path | None,
        parents: tuple[str, ...] = (),
    ) -> None:
        self.spec = spec
        self.name = spec.name
        self.title = spec.title
        self.description = spec.description
        self.path = path
        self.parents = parents
        self.steps = steps
        self._by_name = {step.name: step for step in steps}
        output_name, unit_text = spec.output, spec.unit
        assert output_name is not None
        assert unit_text is not None
        file = str(path) if path else None
        if output_name not in self._by_name:
            raise ScenarioError(
                f"output {output_name!r} is not a step; steps are {', '.join(self._by_name)}",
                file=file,
                field="output",
            )
        try:
            self.unit = as_unit(unit_text)
            self.output = self._by_name[output_name].quantity.to(self.unit)
        except pint.UndefinedUnitError as error:
            raise ScenarioError(
                f"unknown unit {unit_text!r}: {error}", file=file, field="unit"
            ) from None
        except pint.DimensionalityError:
            got = format_unit(self._by_name[output_name].unit) or "dimensionless"
            raise ScenarioError(
                f"the output step {output_name!r} is in {got}, which cannot be expressed in the "
                f"declared unit {unit_text!r}",
                file=file,
                field="unit",
            ) from None

    @property
    def output_name(self) -> str:
        assert self.spec.output is not None
        return self.spec.output

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        try:
            return self._by_name[name]
        except KeyError:
            raise ScenarioError(
                f"no step {name!r} in scenario {self.name!r}; steps are {', '.join(self._by_name)}"
            ) from None

    def __getitem__(self, name: str) -> Uncertain:
        """The quantity of the step called ``name`` (``sc["neurons"]``)."""
        return self.step(name).quantity

    def estimate(
        self,
        n: int = 100_000,
        *,
        seed: int = 0,
        method: str = "auto",
        chunk_size: int | None = None,
        executor: Executor | None = None,
        max_in_memory: int | None = None,
        progress: Progress | None = None,
    ) -> Estimate:
        """Estimate of the scenario's output, in its declared unit (see
        :meth:`bioanchors.Uncertain.estimate` for the arguments)."""
        return self.output.estimate(
            n,
            seed=seed,
            method=method,
            chunk_size=chunk_size,
            executor=executor,
            max_in_memory=max_in_memory,
            progress=progress,
        )

    def audit(
        self, *, tolerance: float = DEFAULT_TOLERANCE, n: int = 20_000, seed: int = 0
    ) -> AuditTable:
        """Recompute every step and compare it with the value its source claimed.

        ``recomputed`` is the step's median (exact for point values); a step is ``ok`` when it
        makes no claim, or when |log10(recomputed / claimed)| <= ``tolerance`` (orders of
        magnitude).
        """
        if not (isinstance(tolerance, int | float) and tolerance >= 0 and math.isfinite(tolerance)):
            raise ScenarioError(f"audit tolerance must be a number >= 0, got {tolerance!r}")
        rows = AuditTable()
        for step in self.steps:
            recomputed = float(step.quantity.estimate(n, seed=seed).median.magnitude)
            claimed = None if step.claimed is None else float(step.claimed.magnitude)
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
                    formula=step.spec.formula,
                    unit=format_unit(step.unit),
                    claimed=claimed,
                    recomputed=recomputed,
                    ratio=ratio,
                    ok=ok,
                )
            )
        return rows

    def sensitivity(self, *, n: int = 100_000, seed: int = 0) -> Sensitivity:
        """Which inputs drive the output: see :func:`bioanchors.sensitivity`."""
        return sensitivity(self.output, n=n, seed=seed)

    def __repr__(self) -> str:
        return f"<Scenario {self.name!r}: {self.title}>"

    def _repr_html_(self) -> str:
        rows = []
        for step in self.steps:
            what = step.spec.formula or _describe_input(step.spec)
            rows.append(
                "<tr>"
                f"<td>{html.escape(step.name)}</td><td>{html.escape(what)}</td>"
                f"<td>{html.escape(format_unit(step.unit))}</td>"
                f"<td>{html.escape(step.citation)}</td></tr>"
            )
        return (
            f"<p><b>{html.escape(self.name)}</b>: {html.escape(self.title)}</p>"
            "<table><tr><th>step</th><th>value or formula</th><th>unit</th><th>source</th></tr>"
            + "".join(rows)
            + "</table>"
        )


def _describe_input(spec: StepSpec) -> str:
    if spec.value is not None:
        return format_number(spec.value)
    if spec.between is not None:
        lo, hi = spec.between
        return f"{format_number(lo)} to {format_number(hi)} ({spec.shape or 'lognormal'})"
    if spec.distribution is not None:
        return spec.distribution.kind
    if spec.architecture is not None:
        return f"{spec.architecture.kind} {spec.architecture.quantity}"
    return ""


def build_steps(
    specs: list[tuple[StepSpec, str, Source | None]],
) -> list[Step]:
    """Turn step specs (each with the file and default source it came from) into steps."""
    built: dict[str, Uncertain] = {}
    steps: list[Step] = []
    all_names = [spec.name for spec, _, _ in specs]
    for spec, file, source in specs:
        try:
            quantity = _build_quantity(spec, built)
        except FormulaError as error:
            detail = str(error.with_context(None, None))
            later = sorted(_names_in(spec.formula) & set(all_names) - set(built))
            if spec.name in later:
                detail = f"formula {spec.formula!r} refers to its own step {spec.name!r}"
            elif later:
                detail = (
                    f"formula {spec.formula!r} uses {', '.join(map(repr, later))}, which "
                    "come(s) later in the file; a formula may only use earlier steps"
                )
            raise ScenarioError(detail, file=file, step=spec.name, field="formula") from error
        except pint.UndefinedUnitError as error:
            raise ScenarioError(
                f"unknown unit: {error}", file=file, step=spec.name, field="unit"
            ) from None
        except pint.DimensionalityError as error:
            raise ScenarioError(str(error), file=file, step=spec.name, field="unit") from None
        except BioanchorsError as error:
            field = next(
                (k for k in (*INPUT_KINDS, "formula") if getattr(spec, k) is not None), None
            )
            raise ScenarioError(str(error), file=file, step=spec.name, field=field) from None
        except ValueError as error:  # an architecture that TCN refuses, for example
            field = "architecture" if spec.architecture is not None else None
            raise ScenarioError(str(error), file=file, step=spec.name, field=field) from None
        if isinstance(quantity.node, Leaf) and quantity.node.group is None:
            # A step's input draws from a stream named by its file and step, so the same
            # scenario gives the same numbers however often it is loaded.
            quantity = quantity.keyed(f"{Path(file).stem}/{spec.name}")
        quantity = quantity.named(spec.name)
        claimed = _claimed(spec, quantity, file)
        built[spec.name] = quantity
        steps.append(Step(spec.name, spec, quantity, claimed, file, source))
    return steps


def _names_in(formula: str | None) -> frozenset[str]:
    try:
        return formula_names(formula or "")
    except FormulaError:
        return frozenset()


def _build_quantity(spec: StepSpec, built: Mapping[str, Uncertain]) -> Uncertain:
    if spec.formula is not None:
        formula = parse_formula(spec.formula, allowed_functions=FORMULA_FUNCTIONS)
        value = formula.evaluate(built, FORMULA_FUNCTIONS)
        quantity = value if isinstance(value, Uncertain) else point(float(value))
        return quantity if spec.unit is None else quantity.to(spec.unit)
    unit = as_unit(spec.unit)
    if spec.value is not None:
        return point(spec.value, unit)
    if spec.between is not None:
        lo, hi = spec.between
        return between(
            lo,
            hi,
            unit,
            credibility=0.9 if spec.credibility is None else spec.credibility,
            shape=spec.shape or "lognormal",
        )
    if spec.distribution is not None:
        return from_distribution(spec.distribution, unit)
    assert spec.architecture is not None
    return point(spec.architecture.value(), unit)


def _claimed(spec: StepSpec, quantity: Uncertain, file: str) -> Quantity | None:
    if spec.claimed is None:
        return None
    registry = get_registry()
    try:
        if isinstance(spec.claimed, str):
            parsed: Any = registry.Quantity(spec.claimed)
            if not isinstance(parsed, registry.Quantity) or not isinstance(
                parsed.magnitude, int | float
            ):
                raise ValueError("not a number with a unit")
            value = float(parsed.magnitude) * conversion_factor(
                as_unit(str(parsed.units)), quantity.unit
            )
        else:
            value = float(spec.claimed)
    except pint.DimensionalityError:
        raise ScenarioError(
            f"claimed {spec.claimed!r} does not have the step's dimension "
            f"({format_unit(quantity.unit) or 'dimensionless'})",
            file=file,
            step=spec.name,
            field="claimed",
        ) from None
    except (pint.UndefinedUnitError, ValueError, TypeError, AttributeError) as error:
        raise ScenarioError(
            f"claimed {spec.claimed!r} is not a number with a unit such as '1e17 FLOP/s' ({error})",
            file=file,
            step=spec.name,
            field="claimed",
        ) from None
    if not math.isfinite(value):
        raise ScenarioError(
            f"claimed {spec.claimed!r} is not finite", file=file, step=spec.name, field="claimed"
        )
    return registry.Quantity(value, quantity.unit)
