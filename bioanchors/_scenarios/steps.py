"""Building a scenario's steps: each spec becomes an :class:`~bioanchors.Uncertain`.

An input step becomes a leaf (a point, an interval, a distribution or a surrogate
architecture's size or cost); a formula step is parsed and evaluated over the steps before it,
with the functions of the formula-function registry (:mod:`bioanchors._graph.functions`, filled
by the domain modules). Every problem becomes a :class:`~bioanchors.ScenarioError` naming the
file, the step and the field.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pint

import bioanchors.methods  # noqa: F401  (the domain formulas register their formula functions)
from bioanchors._format import format_number
from bioanchors._graph.functions import formula_functions
from bioanchors._graph.inputs import between, from_distribution, point
from bioanchors._graph.uncertain import Leaf, Uncertain
from bioanchors._scenarios.converted import as_given
from bioanchors._scenarios.file_correlations import CorrelationEntry, correlate_steps
from bioanchors._scenarios.file_units import UnitEntry, register_units
from bioanchors._scenarios.formula import FormulaError, formula_names, parse_formula
from bioanchors._scenarios.present import citation, listing, step_text
from bioanchors._scenarios.problems import combined
from bioanchors._scenarios.spec import INPUT_KINDS, Source, StepSpec
from bioanchors._units.registry import (
    Quantity,
    affine,
    as_unit,
    conversion_factor,
    format_unit,
    get_registry,
)
from bioanchors.errors import BioanchorsError, ScenarioError
from bioanchors.surrogate.architecture import ARCHITECTURE_UNITS

__all__ = ["Step", "build_steps", "names_in", "stream_label"]


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
        return citation(self.spec, self.source)

    def __repr__(self) -> str:
        return f"<Step {step_text(self)}>"


def build_steps(
    specs: list[tuple[StepSpec, str, Source | None]],
    *,
    output: str | None = None,
    unit: str | None = None,
    overrides: Mapping[str, Uncertain] | None = None,
    units: Sequence[UnitEntry] = (),
    correlations: Sequence[CorrelationEntry] = (),
) -> list[Step]:
    """Turn step specs (each with the file and default source it came from) into steps.

    ``output`` and ``unit`` are the scenario's: a bare-number ``claimed`` of the output step is
    read in ``unit`` unless the step has a ``unit`` of its own (see :func:`_claimed`).
    ``overrides`` gives, by step name, a quantity used instead of what the spec says (already
    checked and in the step's unit: see :mod:`bioanchors._scenarios.overrides`). ``units``
    (the files' ``[units]`` entries) are defined first; ``correlations`` (their
    ``[[correlations]]``) bind the built inputs, and the steps are built again over the bound
    ones (an overridden step leaves its group: :mod:`bioanchors._scenarios.file_correlations`).

    A problem in one step does not hide a problem in another: every step is tried, and the
    problems are raised together (:func:`~bioanchors._scenarios.problems.combined`); a formula
    step that uses a failed step is skipped, not reported (its failure is the other's).
    """
    built: dict[str, Uncertain] = {}
    steps: list[Step] = []
    failed: set[str] = set()
    problems: list[ScenarioError] = register_units(units)
    all_names = [spec.name for spec, _, _ in specs]
    drawn: dict[object, tuple[str, Leaf]] = {}  # stream key -> the first step drawing it
    for spec, file, source in specs:
        used = names_in(spec.formula)
        unknown = sorted(used - set(all_names))
        if used & failed or (unknown and failed):
            # A formula over a failed step is a cascade of an earlier problem, not a problem
            # of its own; but a name no step has is this formula's own problem, told against
            # every step's name (the evaluator would list only the steps that built).
            failed.add(spec.name)
            if unknown:
                problems.append(
                    ScenarioError(
                        f"formula {spec.formula!r}: unknown name(s) "
                        f"{', '.join(map(repr, unknown))}{_close(unknown[0], all_names)}; "
                        f"the steps are {listing(all_names)}",
                        file=file,
                        step=spec.name,
                        field="formula",
                    )
                )
            continue
        try:
            given = overrides.get(spec.name) if overrides is not None else None
            quantity = _step_quantity(spec, file, built, all_names, given)
        except ScenarioError as error:
            problems.append(error)
            failed.add(spec.name)
            continue
        try:
            claimed = _claimed(spec, quantity, file, unit if spec.name == output else None)
        except ScenarioError as error:  # the step's value stands; only its claim is wrong
            problems.append(error)
            claimed = None
        node = (as_given(quantity) if spec.is_input else quantity).node  # in its input_unit
        if isinstance(node, Leaf) and node.key:
            first = drawn.setdefault(node.key, (spec.name, node))
            if first[1] is not node:  # two inputs, one stream: they would draw alike
                problems.append(
                    ScenarioError(
                        f"step {spec.name!r} draws from the same random stream as step "
                        f"{first[0]!r}, so the two would be the same draws, perfectly "
                        "correlated; give each input its own stream (leave out `stream`), "
                        "or correlate them with [[correlations]]",
                        file=file,
                        step=spec.name,
                        field="stream",
                    )
                )
        built[spec.name] = quantity
        steps.append(Step(spec.name, spec, quantity, claimed, file, source))
    correlated: dict[str, Uncertain] = {}
    if correlations:
        formulas = frozenset(spec.name for spec, _, _ in specs if not spec.is_input)
        replaced = {name: "a user override (with_inputs or --set)" for name in overrides or {}}
        correlated, found = correlate_steps(
            correlations, built, formulas, known=frozenset(all_names), replaced=replaced
        )
        problems.extend(found)
    if problems:
        raise combined(problems)
    if correlated:
        every = {**(overrides or {}), **correlated}
        return build_steps(specs, output=output, unit=unit, overrides=every)
    return steps


def _step_quantity(
    spec: StepSpec,
    file: str,
    built: Mapping[str, Uncertain],
    all_names: list[str],
    given: Uncertain | None = None,
) -> Uncertain:
    """One step's quantity (``given``, a user's override, in place of the spec's), named and
    keyed; any problem as a ScenarioError naming the step."""
    if spec.architecture is not None and given is None:
        _check_architecture_unit(spec, file)
    converted = spec.input_unit is not None and given is None
    if converted:
        _check_input_unit(spec, file)
    try:
        quantity = _build_quantity(spec, built) if given is None else given
    except FormulaError as error:
        detail = str(error.with_context(None, None))
        later = sorted(names_in(spec.formula) & set(all_names) - set(built))
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
        field = next((k for k in (*INPUT_KINDS, "formula") if getattr(spec, k) is not None), None)
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
    node = quantity.node
    fresh = not any(node is earlier.node for earlier in built.values())
    if fresh and isinstance(node, Leaf) and node.group is None:
        # A step's input (or a formula's new input, one_of's mixture) draws from a stream
        # named by its file and step (or by its `stream`), so the same scenario gives the
        # same numbers however often it is loaded. A formula that is a bare name (`y = "x"`)
        # is x itself, not a fresh copy of it.
        quantity = quantity.keyed(stream_label(spec, file))
    if converted:  # drawn in input_unit, then pint's conversion (an offset unit's included)
        quantity = quantity.to(as_unit(spec.unit))
    return quantity.named(spec.name)


def stream_label(spec: StepSpec, file: str) -> str:
    """The label of the random stream a step's input draws from: its ``stream``, else its
    file's name and its own (``kokotajlod-2021/neurons``)."""
    return spec.stream or f"{Path(file).stem}/{spec.name}"


def _check_input_unit(spec: StepSpec, file: str) -> None:
    """A step's ``input_unit`` must convert to its ``unit``: known, of the same dimension."""
    try:
        unit = as_unit(spec.unit)
    except (pint.PintError, BioanchorsError) as error:
        unknown = isinstance(error, pint.UndefinedUnitError)
        detail = f"unknown unit: {error}" if unknown else str(error)
        raise ScenarioError(detail, file=file, step=spec.name, field="unit") from None
    try:
        given = as_unit(spec.input_unit)
        affine(given, unit)  # refuses another dimension, and a logarithmic unit
    except (pint.PintError, BioanchorsError) as error:
        raise ScenarioError(
            f"input_unit {spec.input_unit!r} cannot be converted to the step's unit "
            f"{spec.unit!r} ({error}); give the input in a unit of the step's dimension "
            f"({format_unit(unit) or 'dimensionless'})",
            file=file,
            step=spec.name,
            field="input_unit",
        ) from None


def _check_architecture_unit(spec: StepSpec, file: str) -> None:
    """An architecture gives FLOP per step or parameters, per neuron or for one network: a
    file's ``unit`` must say one of those (``FLOP/s`` on a FLOP-per-step step is refused)."""
    if spec.architecture is None or spec.unit is None:
        return
    own = as_unit(ARCHITECTURE_UNITS[spec.architecture.quantity])
    try:
        unit = as_unit(spec.unit)
    except (pint.PintError, BioanchorsError, ValueError, TypeError):
        return  # an unknown unit is reported, with its own message, when the step is built
    per_network = own * as_unit("neuron")
    if unit.dimensionality not in (own.dimensionality, per_network.dimensionality):
        quantity = spec.architecture.quantity
        raise ScenarioError(
            f"an architecture's {quantity} is in {format_unit(own)} (or "
            f"{format_unit(per_network)} for one network), got unit {spec.unit!r}; leave the "
            "unit out for the default",
            file=file,
            step=spec.name,
            field="unit",
        )


def _close(name: str, names: Sequence[str]) -> str:
    """``"; did you mean 'x'?"`` for the closest of ``names`` to ``name``, else ``""``."""
    close = difflib.get_close_matches(name, list(names), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def names_in(formula: str | None) -> frozenset[str]:
    """The names a formula refers to (none for an input step or an unparsable formula)."""
    try:
        return formula_names(formula or "")
    except FormulaError:
        return frozenset()


def _build_quantity(spec: StepSpec, built: Mapping[str, Uncertain]) -> Uncertain:
    if spec.formula is not None:
        functions = formula_functions()
        formula = parse_formula(spec.formula, allowed_functions=functions)
        value = formula.evaluate(built, functions)
        quantity = value if isinstance(value, Uncertain) else point(float(value))
        return quantity if spec.unit is None else quantity.to(spec.unit)
    if spec.architecture is not None:
        own = ARCHITECTURE_UNITS[spec.architecture.quantity]
        return point(spec.architecture.value(), as_unit(own if spec.unit is None else spec.unit))
    unit = as_unit(spec.unit if spec.input_unit is None else spec.input_unit)
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
    raise ScenarioError(  # the file format's models refuse such a step before it gets here
        "a step needs exactly one of value, between, distribution, architecture or formula"
    )


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
