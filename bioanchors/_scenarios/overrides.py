"""Replacing a scenario's input steps: the checks, the recorded assumption, and ``--set`` text.

:meth:`bioanchors.Scenario.with_inputs` rebuilds a scenario from its step specs with some
input steps replaced. This module holds what that needs and does not touch the scenario
itself: the names are checked (an unknown one gets close matches; a formula step is refused,
since replacing it would leave its inputs unused: replace the inputs instead), each value is
made an :class:`~bioanchors.Uncertain` in the step's unit (a bare number takes the step's
unit; another dimension is an error naming the step and both units), and the step's spec is
rewritten as an uncited *user override* that says what it replaced.

Text from the command line (``neurons=1e11``, ``rate=between(0.1, 2, 'Hz')``) is read by the
safe formula parser (:mod:`bioanchors._scenarios.formula`) with only the input constructors
callable; quoted unit strings are the one addition, swapped for placeholder names before
parsing. Nothing is evaluated as Python.

>>> neurons = parse_value("between(5e10, 2e11, 'neuron')", "neuron", what="--set neurons=...")
>>> neurons.unit
<Unit('neuron')>
>>> try:
...     parse_value("__import__('os')", "neuron", what="--set x=__import__('os')")
... except ScenarioError as error:
...     print(str(error).split(":")[0])
--set x=__import__('os')
"""

from __future__ import annotations

import difflib
import io
import tokenize
from collections.abc import Callable, Mapping
from typing import Any, TypeAlias

import pint

from bioanchors._format import format_exact, format_number
from bioanchors._graph.inputs import between, lognormal, loguniform, normal, point, uniform
from bioanchors._graph.nodes import Leaf
from bioanchors._graph.uncertain import Uncertain
from bioanchors._scenarios.converted import as_given
from bioanchors._scenarios.formula import FormulaError, parse_formula
from bioanchors._scenarios.present import describe_input
from bioanchors._scenarios.spec import StepSpec
from bioanchors._scenarios.steps import Step, stream_label
from bioanchors._scenarios.to_toml import step_value
from bioanchors._units.registry import Quantity, as_unit, format_unit
from bioanchors.errors import BioanchorsError, ScenarioError

__all__ = [
    "CONSTRUCTORS",
    "OverrideValue",
    "as_override",
    "check_overridable",
    "describe",
    "override_spec",
    "parse_value",
]

OverrideValue: TypeAlias = "Uncertain | Quantity | float | str"
"""What a step may be replaced by: an Uncertain, a pint Quantity, a number (in the step's unit)
or text read by :func:`parse_value` (``"1e11"``, ``"between(0.1, 2, 'Hz')"``)."""

CONSTRUCTORS = ("between", "point", "lognormal", "loguniform", "uniform", "normal")
"""The functions ``--set`` text may call (and nothing else): the input constructors."""

_BUILDERS: dict[str, Callable[..., Uncertain]] = {
    "between": between,
    "point": point,
    "lognormal": lognormal,
    "loguniform": loguniform,
    "uniform": uniform,
    "normal": normal,
}
_ARITY = {"point": 1, "between": 2, "lognormal": 2, "loguniform": 2, "uniform": 2, "normal": 2}
_PLACEHOLDER = "unit_text_"
_WHO = "user override"
_REPLACING = ", replacing the file's "


def check_overridable(steps: Mapping[str, Step], name: str, scenario: str) -> Step:
    """The input step ``name``; an unknown name (with close matches) or a formula step is an
    error."""
    if name not in steps:
        close = difflib.get_close_matches(name, list(steps), n=3, cutoff=0.5)
        hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
        inputs = [step.name for step in steps.values() if step.is_input]
        raise ScenarioError(
            f"no step {name!r} in scenario {scenario!r}{hint} Its input steps are "
            f"{', '.join(map(repr, inputs))}"
        )
    step = steps[name]
    if not step.is_input:
        raise ScenarioError(
            f"a formula ({step.spec.formula!r}) of scenario {scenario!r}, not an input: replace "
            "the inputs it uses instead",
            step=name,
        )
    return step


def as_override(step: Step, value: object) -> Uncertain:
    """``value`` as an Uncertain in ``step``'s unit (a bare number takes that unit); one input
    given in another unit draws from the step's stream before it is converted."""
    unit = step.unit
    if isinstance(value, Uncertain):
        quantity = value
    elif isinstance(value, pint.Quantity):
        quantity = point(float(value.magnitude), as_unit(str(value.units)))
    elif isinstance(value, str):
        quantity = parse_value(value, unit, what=f"step {step.name!r} = {value!r}")
    elif isinstance(value, int | float) and not isinstance(value, bool):
        quantity = point(float(value), unit)
    else:
        raise ScenarioError(
            "expected an Uncertain (e.g. ba.point(1e11, 'neuron')), a "
            f"Quantity or a number in {format_unit(unit) or 'dimensionless'}, got "
            f"{type(value).__name__} {value!r}",
            step=step.name,
        )
    if quantity.unit.dimensionality != unit.dimensionality:
        raise ScenarioError(
            f"the step is in {format_unit(unit) or 'dimensionless'}, but the value given for it "
            f"is in {format_unit(quantity.unit) or 'dimensionless'}, another dimension; give it "
            f"in {format_unit(unit) or 'dimensionless'} (or a unit of the same dimension)",
            step=step.name,
        )
    node = quantity.node
    if isinstance(node, Leaf) and node.group is None and quantity.unit != unit:
        # drawn from the step's stream, as an input in the step's own unit is (build_steps),
        # then converted: a file can say this input, its unit and the same stream
        quantity = quantity.keyed(stream_label(step.spec, step.file))
    return quantity.to(unit)


def describe(quantity: Uncertain) -> str:
    """A few words for a value: ``1e+10 neuron`` or ``lognormal, median 3e+10 neuron`` (one
    input converted to a step's unit: as it was given)."""
    quantity = as_given(quantity)
    unit = format_unit(quantity.unit)
    node = quantity.node
    if isinstance(node, Leaf) and node.dist.kind == "point":
        return f"{format_exact(node.dist.median)} {unit}".strip()
    median = quantity.estimate(2_000, seed=0).median.magnitude
    kind = node.dist.kind if isinstance(node, Leaf) else "expression"
    return f"{kind}, median {format_number(float(median))} {unit}".strip()


def override_spec(spec: StepSpec, quantity: Uncertain) -> StepSpec:
    """``spec`` rewritten as an uncited user assumption: no claim (the source's claim was about
    the value replaced), ``who = "user override"``, and a note saying what it replaced."""
    fields: dict[str, Any]
    try:  # the input as a file states it (one given in another unit: in that unit)
        fields = step_value(quantity, what="the override")
    except ScenarioError:  # derived, or correlated: an input's distribution is kept
        node = quantity.node
        dist = node.dist if isinstance(node, Leaf) else None
        value = dist.median if dist is not None and dist.kind == "point" else None
        fields = {"value": value, "distribution": None if value is not None else dist}
        fields["input_unit"] = None
    if spec.who == _WHO and spec.quote and _REPLACING in spec.quote:  # replaced again
        was_value = spec.quote.split(_REPLACING, 1)[1]
        note = spec.note
    else:
        unit = "" if spec.input_unit else spec.unit or ""  # an input_unit is said already
        was_value = f"{describe_input(spec)} {unit}".strip()
        note = f"A user override, uncited. The scenario's own step: {spec.note or ''}".strip()
    return spec.model_copy(
        update={
            **fields,
            "between": None,
            "credibility": None,
            "shape": None,
            "architecture": None,
            "claimed": None,
            "who": _WHO,
            "where": "not from the source",
            "quote": f"{describe(quantity)}{_REPLACING}{was_value}",
            "page": None,
            "url": None,
            "shaky": False,
            "note": note,
        }
    )


def parse_value(text: str, unit: pint.Unit | str, *, what: str) -> Uncertain:
    """A number (in ``unit``) or a call of an input constructor, read by the safe parser.

    The constructors' unit argument is optional (``unit`` is its default) and must be a quoted
    string; numbers may be written as arithmetic (``2 * 1e10``).
    """
    default = as_unit(unit) if isinstance(unit, str) else unit
    expected = (
        f"expected a number (read in {format_unit(default) or 'dimensionless'}) or a call of "
        f"{', '.join(CONSTRUCTORS)} with numbers and a quoted unit, e.g. between(0.1, 2, 'Hz')"
    )
    source, units = _swap_strings(text, what, expected)
    try:
        formula = parse_formula(source, allowed_functions=CONSTRUCTORS)
        names: dict[str, Any] = {name: _Unit(unit_text) for name, unit_text in units.items()}
        result = formula.evaluate(names, _functions(default))
    except FormulaError as error:
        raise ScenarioError(f"{what}: {_unswap(str(error), units)}; {expected}") from None
    except (BioanchorsError, pint.PintError) as error:
        raise ScenarioError(f"{what}: {_unswap(str(error), units)}") from None
    if isinstance(result, _Unit):
        raise ScenarioError(f"{what}: a unit alone is not a value; {expected}")
    if isinstance(result, Uncertain):
        return result
    return point(float(result), default)


class _Unit(str):
    """A quoted unit string of ``--set`` text (only the constructors accept one)."""

    __slots__ = ()


def _functions(default: pint.Unit) -> dict[str, Callable[..., Uncertain]]:
    def make(name: str) -> Callable[..., Uncertain]:
        arity = _ARITY[name]

        def build(*args: object) -> Uncertain:
            numbers, rest = args[:arity], args[arity:]
            if len(numbers) < arity or any(not isinstance(x, float) for x in numbers):
                raise ValueError(f"{name}() takes {arity} number(s) and then an optional unit")
            if len(rest) > 1 or (rest and not isinstance(rest[0], _Unit)):
                raise ValueError(f"{name}()'s last argument must be a quoted unit, as in 'Hz'")
            unit = as_unit(str(rest[0])) if rest else default
            return _BUILDERS[name](*numbers, unit)

        return build

    return {name: make(name) for name in CONSTRUCTORS}


def _swap_strings(text: str, what: str, expected: str) -> tuple[str, dict[str, str]]:
    """``text`` with each quoted string replaced by a placeholder name, and the strings."""
    units: dict[str, str] = {}
    pieces: list[str] = []
    last = 0
    lines = text.splitlines(keepends=True) or [""]
    if len(lines) > 1:
        raise ScenarioError(f"{what}: one line expected; {expected}")
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(text).readline))
    except (tokenize.TokenError, SyntaxError) as error:
        raise ScenarioError(f"{what}: cannot be read ({error}); {expected}") from None
    for token in tokens:
        if token.type != tokenize.STRING:
            continue
        raw = token.string
        if raw[:1] not in "'\"" or raw[:3] in ("'''", '"""') or "\\" in raw:
            raise ScenarioError(
                f"{what}: {raw} is not a plain quoted unit such as 'Hz'; {expected}"
            )
        name = f"{_PLACEHOLDER}{len(units)}"
        units[name] = raw[1:-1]
        start, end = token.start[1], token.end[1]
        pieces.extend((text[last:start], name))
        last = end
    pieces.append(text[last:])
    return "".join(pieces), units


def _unswap(message: str, units: Mapping[str, str]) -> str:
    for name, unit_text in units.items():
        message = message.replace(name, repr(unit_text))
    return message
