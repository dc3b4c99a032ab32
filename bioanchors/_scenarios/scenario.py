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
import warnings
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pint

from bioanchors._format import format_number
from bioanchors._graph.inputs import between, from_distribution, point
from bioanchors._graph.uncertain import Leaf, Uncertain, exp, log, log10, maximum, minimum, sqrt
from bioanchors._results.estimate import Estimate
from bioanchors._results.sensitivity import Sensitivity, sensitivity
from bioanchors._scenarios.audit import AuditedStep, AuditTable, StepAudit, audit_steps
from bioanchors._scenarios.formula import FormulaError, formula_names, parse_formula
from bioanchors._scenarios.spec import INPUT_KINDS, ScenarioSpec, Source, StepSpec
from bioanchors._units.registry import (
    Quantity,
    as_unit,
    conversion_factor,
    format_unit,
    get_registry,
)
from bioanchors.errors import BioanchorsError, BioanchorsWarning, ScenarioError
from bioanchors.methods.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors._engine import Progress

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
"""Functions a scenario formula may call (see :mod:`bioanchors.methods.adjustments`)."""

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
        file = str(path) if path else None
        if output_name is None or unit_text is None:
            key = "output" if output_name is None else "unit"
            raise ScenarioError(f"field {key!r} is required", file=file, field=key)
        if output_name not in self._by_name:
            raise ScenarioError(
                f"output {output_name!r} is not a step; steps are {listing(self._by_name)}",
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
        except (ValueError, TypeError) as error:  # "1e3 FLOP/s": a number, not a unit
            raise ScenarioError(
                f"{unit_text!r} is not a unit ({error})", file=file, field="unit"
            ) from None
        self._warn_unused(file)

    def _warn_unused(self, file: str | None) -> None:
        """Warn about steps the output does not use (a typo in a formula, a forgotten term)."""
        used: set[str] = set()
        todo = [self.output_name]
        while todo:
            name = todo.pop()
            if name not in used and name in self._by_name:
                used.add(name)
                todo.extend(_names_in(self._by_name[name].spec.formula))
        unused = [step.name for step in self.steps if step.name not in used]
        if unused:
            where = f"{file}: " if file else ""
            warnings.warn(
                f"{where}scenario {self.name!r}: step{'s' if len(unused) > 1 else ''} "
                f"{listing(unused)} {'are' if len(unused) > 1 else 'is'} not used by the output "
                f"{self.output_name!r}; remove {'them' if len(unused) > 1 else 'it'} or use "
                f"{'them' if len(unused) > 1 else 'it'} in a formula",
                BioanchorsWarning,
                stacklevel=4,
            )

    @property
    def output_name(self) -> str:
        assert self.spec.output is not None  # checked in __init__
        return self.spec.output

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        try:
            return self._by_name[name]
        except KeyError:
            raise ScenarioError(
                f"no step {name!r} in scenario {self.name!r}; steps are {listing(self._by_name)}"
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

        ``recomputed`` is the step's median (exact for closed forms and point values; all
        sampled steps come from one joint draw of ``n`` samples, see
        :mod:`bioanchors._scenarios.audit`); a step is ``ok`` when it makes no claim, or when
        |log10(recomputed / claimed)| <= ``tolerance`` (orders of magnitude). The output step
        is reported in the scenario's declared ``unit``, every other step in its own.
        """
        if not (
            isinstance(tolerance, int | float)
            and not isinstance(tolerance, bool)
            and tolerance >= 0
            and tolerance <= 1e300  # a Python int beyond float range is refused, not converted
            and math.isfinite(tolerance)
        ):
            raise ScenarioError(
                f"audit tolerance must be a finite number >= 0 (orders of magnitude), got "
                f"{tolerance if len(str(tolerance)) < 40 else str(tolerance)[:20] + '...'!r}"
            )
        entries = [
            AuditedStep(
                step.name,
                step.spec.formula,
                self.output if step.name == self.output_name else step.quantity,
                step.claimed,
                step.file,
            )
            for step in self.steps
        ]
        return audit_steps(entries, tolerance=float(tolerance), n=n, seed=seed)

    def sensitivity(self, *, n: int = 100_000, seed: int = 0) -> Sensitivity:
        """Which inputs drive the output: see :func:`bioanchors._results.sensitivity`."""
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
    *,
    output: str | None = None,
    unit: str | None = None,
) -> list[Step]:
    """Turn step specs (each with the file and default source it came from) into steps.

    ``output`` and ``unit`` are the scenario's: a bare-number ``claimed`` of the output step is
    read in ``unit`` unless the step has a ``unit`` of its own (see :func:`_claimed`).
    """
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
        except (ValueError, ArithmeticError) as error:  # e.g. an architecture TCN refuses
            field = "architecture" if spec.architecture is not None else None
            raise ScenarioError(
                f"{type(error).__name__}: {error}"
                if isinstance(error, ArithmeticError)
                else str(error),
                file=file,
                step=spec.name,
                field=field,
            ) from None
        if isinstance(quantity.node, Leaf) and quantity.node.group is None:
            # A step's input draws from a stream named by its file and step, so the same
            # scenario gives the same numbers however often it is loaded.
            quantity = quantity.keyed(f"{Path(file).stem}/{spec.name}")
        quantity = quantity.named(spec.name)
        claimed = _claimed(spec, quantity, file, unit if spec.name == output else None)
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


def _claimed(
    spec: StepSpec, quantity: Uncertain, file: str, scenario_unit: str | None = None
) -> Quantity | None:
    """The step's claim as a quantity in the step's unit.

    A claim with a unit (``"1e17 FLOP/s"``) is converted. A bare number is read in the step's
    own ``unit``; for the output step without one, in the scenario's ``unit``
    (``scenario_unit``); for a formula step whose unit only the formula gives, only when that
    unit is dimensionless: anything else would be a guess, so it is an error asking for the
    unit.
    """
    if spec.claimed is None:
        return None
    registry = get_registry()

    def refuse(message: str) -> ScenarioError:
        return ScenarioError(message, file=file, step=spec.name, field="claimed")

    try:
        if isinstance(spec.claimed, str):
            try:
                parsed: Any = registry.Quantity(spec.claimed)
            except (pint.PintError, ValueError, TypeError, AttributeError):
                raise  # explained below
            except Exception as error:  # pint's parser on odd text: TokenError, AssertionError
                raise refuse(
                    f"claimed {spec.claimed!r} is not a number with a unit such as "
                    f"'1e17 FLOP/s' ({type(error).__name__})"
                ) from None
            if not isinstance(parsed, registry.Quantity) or not isinstance(
                parsed.magnitude, int | float
            ):
                raise ValueError("not a number with a unit")
            value = float(parsed.magnitude) * conversion_factor(
                as_unit(str(parsed.units)), quantity.unit
            )
        elif spec.unit is not None or quantity.unit.dimensionless:
            value = float(spec.claimed)
        elif scenario_unit is not None:
            value = float(spec.claimed) * conversion_factor(as_unit(scenario_unit), quantity.unit)
        else:
            raise refuse(
                f"claimed = {spec.claimed!r} has no unit and the step has none of its own (its "
                f"formula gives {format_unit(quantity.unit)}); write the unit in the claim, "
                f'e.g. claimed = "{format_number(spec.claimed)} {format_unit(quantity.unit)}", '
                "or give the step a unit"
            )
    except ScenarioError:
        raise
    except pint.DimensionalityError:
        if not isinstance(spec.claimed, str) and scenario_unit is not None:
            raise refuse(
                f"claimed {spec.claimed!r} is read in the scenario's unit {scenario_unit!r}, "
                f"but the output step is in {format_unit(quantity.unit) or 'dimensionless'}"
            ) from None
        raise refuse(
            f"claimed {spec.claimed!r} does not have the step's dimension "
            f"({format_unit(quantity.unit) or 'dimensionless'})"
        ) from None
    except (pint.UndefinedUnitError, ValueError, TypeError, AttributeError) as error:
        raise refuse(
            f"claimed {spec.claimed!r} is not a number with a unit such as '1e17 FLOP/s' ({error})"
        ) from None
    except (ArithmeticError, RecursionError) as error:  # pint's parser on odd text
        raise refuse(
            f"claimed {spec.claimed!r} cannot be read as a number with a unit "
            f"({type(error).__name__})"
        ) from None
    if not math.isfinite(value):
        raise refuse(f"claimed {spec.claimed!r} is not finite")
    return registry.Quantity(value, quantity.unit)


def listing(names: Any, limit: int = 12) -> str:
    """``'a', 'b', ... (N more)``: names for a message, at most ``limit`` of them."""
    items = list(names)
    shown = ", ".join(repr(name) for name in items[:limit])
    more = len(items) - limit
    return f"{shown}, ... ({more} more)" if more > 0 else shown
