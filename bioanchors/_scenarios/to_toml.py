"""Writing a scenario back as a scenario file that loads to the same scenario (``to_toml``).

The file is the scenario's :class:`~bioanchors._scenarios.spec.ScenarioSpec`, dumped
generically: every field of every model, by its alias, leaving out ``None`` and defaults (but
never a ``kind`` tag, which picks the model), so a field added to the file format is written
without this module knowing it. Floats are written as ``repr`` writes them, which reads back
to the same float. What cannot be read from the spec alone is made explicit first
(:func:`file_spec`):

- a scenario that ``extends`` another is written merged, self-contained: every step, with no
  ``extends``; a step whose default ``[source]`` was its parent's gets its own ``who`` and
  ``where``;
- an input step draws from the random stream named by its file and step; a step that came
  from another file (a parent, or a scenario saved under another name) gets
  ``stream = "file/step"``, so the saved file draws the same numbers;
- a step replaced by ``with_inputs`` is written as the user's assumption
  (``assumption = true``, ``who = "user override"``, a note saying what it replaced); one
  given in another unit of the step's dimension is written as given, with ``input_unit``
  (:mod:`.converted`), which the file's load converts again, to the same numbers;
- the ``[units]`` and ``[[correlations]]`` of every file in the chain are written together; a
  correlation group keeps its ``stream``, and a step that left its group (replaced by a child
  file or an override) is not written in it.

The text is read back and compared with the spec before it is returned: a file that would
not load to the same spec is an error, never written.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import Any, Literal, get_args, get_origin

import tomli_w
from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo
from pydantic_core import to_jsonable_python

from bioanchors._format import format_number
from bioanchors._graph.distributions import Point
from bioanchors._graph.nodes import Apply, Leaf, Op
from bioanchors._graph.streams import label_key
from bioanchors._graph.uncertain import Uncertain
from bioanchors._scenarios.converted import as_given, converted_from
from bioanchors._scenarios.file_correlations import (
    CorrelationEntry,
    CorrelationSpec,
    group_stream,
)
from bioanchors._scenarios.file_units import UnitEntry
from bioanchors._scenarios.spec import ScenarioSpec, Source, StepSpec, _validation_error
from bioanchors._scenarios.steps import Step, stream_label
from bioanchors._units.registry import as_unit, format_unit
from bioanchors.errors import ScenarioError

__all__ = ["document", "dump_spec", "file_spec", "save_text", "scenario_file", "step_value"]

_REPLACING = ", replacing the file's "  # how an override's quote says what it replaced


def document(model: BaseModel) -> dict[str, Any]:
    """``model`` as plain TOML data: fields by alias, without ``None`` or defaults, tags kept."""
    out: dict[str, Any] = {}
    for name, field in type(model).model_fields.items():
        value = getattr(model, name)
        if value is None or (not _is_tag(field) and _is_default(field, value)):
            continue
        out[field.alias or name] = _plain(value)
    return out


def _is_tag(field: FieldInfo) -> bool:
    """A ``kind``-like field: a literal of one value, which picks the model of a union."""
    return get_origin(field.annotation) is Literal and len(get_args(field.annotation)) == 1


def _is_default(field: FieldInfo, value: object) -> bool:
    if field.is_required():
        return False
    default = field.get_default(call_default_factory=True)
    return type(value) is type(default) and repr(value) == repr(default)  # -0.0 is not 0.0


def _plain(value: object) -> Any:
    if isinstance(value, BaseModel):
        return document(value)
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, bool | int | float | str):
        return value
    return to_jsonable_python(value)


def dump_spec(spec: ScenarioSpec, *, comment: Sequence[str] = ()) -> str:
    """The TOML text of ``spec`` (with ``comment`` lines on top), checked to read back to it."""
    raw = document(spec)
    try:
        ScenarioSpec.model_validate(raw)  # e.g. a name that is not a file's
    except ValidationError as error:
        raise _validation_error(error, raw, f"{spec.name}.toml") from None
    text = tomli_w.dumps(raw)
    header = "".join(f"# {line}".rstrip() + "\n" for line in comment)
    full = f"{header}\n{text}" if header else text
    try:
        again = ScenarioSpec.model_validate(tomllib.loads(full))
    except (tomllib.TOMLDecodeError, ValidationError) as error:  # pragma: no cover - a bug
        raise ScenarioError(
            f"scenario {spec.name!r} cannot be written as a file that loads back ({error})"
        ) from None
    if again != spec:  # pragma: no cover - a bug in this module or in tomli_w
        raise ScenarioError(f"scenario {spec.name!r} does not read back to itself from TOML")
    return full


def file_spec(
    spec: ScenarioSpec,
    steps: Sequence[Step],
    *,
    overridden: Collection[str] = (),
    name: str | None = None,
    units: Sequence[UnitEntry] = (),
    correlations: Sequence[CorrelationEntry] = (),
) -> ScenarioSpec:
    """The self-contained spec of a built scenario: no ``extends``, its own ``name`` (default
    the scenario's), sources and streams made explicit, overrides as marked assumptions, the
    chain's ``units`` and ``correlations`` (parents first) merged."""
    target = spec.name if name is None else name
    top = _top_source(spec, steps)
    written = []
    for step in steps:
        own = _as_assumption(step) if step.name in overridden else step.spec
        written.append(_with_stream(_with_source(own, step.source, top), step, target))
    groups = [_group(entry, target, overridden) for entry in correlations]
    update = {
        "name": target,
        "extends": None,
        "source": top,
        "steps": written,
        "units": {unit: definition for unit, definition, _ in units} or dict(spec.units),
        "correlations": [group for group in groups if group is not None],
    }
    return spec.model_copy(update=update)


def scenario_file(
    spec: ScenarioSpec,
    steps: Sequence[Step],
    *,
    overridden: Collection[str] = (),
    parents: Sequence[str] = (),
    name: str | None = None,
    units: Sequence[UnitEntry] = (),
    correlations: Sequence[CorrelationEntry] = (),
) -> str:
    """The text of :meth:`Scenario.to_toml`: :func:`file_spec`, with a comment on top saying
    what wrote it, what it was merged with and which steps are the user's overrides."""
    written = file_spec(
        spec, steps, overridden=overridden, name=name, units=units, correlations=correlations
    )
    said = [f"Scenario {written.name!r}, written by bioanchors' Scenario.to_toml."]
    if parents:
        said.append(f"Self-contained: merged with what it extends ({', '.join(parents)}).")
    if overridden:
        said.append(f"Your overrides: {', '.join(overridden)}.")
    return dump_spec(written, comment=said)


def _group(
    entry: CorrelationEntry, target: str, overridden: Collection[str]
) -> CorrelationSpec | None:
    """A correlation entry as the merged file states it: the steps still in it (None when
    fewer than two are), its sub-matrix, and its stream where the default would differ."""
    spec = entry.spec
    left = {name for name, _ in entry.replaced} | set(overridden)
    kept = [i for i, name in enumerate(spec.steps) if name not in left]
    if len(kept) < 2:
        return None
    names = [spec.steps[i] for i in kept]
    stream = spec.stream or group_stream(Path(entry.file).stem, names)
    matrix = None if spec.matrix is None else [[spec.matrix[i][j] for j in kept] for i in kept]
    return spec.model_copy(
        update={
            "steps": names,
            "matrix": matrix,
            "stream": None if stream == group_stream(target, names) else stream,
        }
    )


def save_text(
    render: Callable[[str], str], name: str, path: str | os.PathLike[str], *, overwrite: bool
) -> Path:
    """Write ``render(stem)`` to ``path`` (a folder gets ``NAME.toml``) and return the path;
    an existing file is kept unless ``overwrite``."""
    target = Path(path)
    if target.is_dir():
        target = target / f"{name}.toml"
    if target.suffix != ".toml":
        raise ScenarioError(
            f"save: {str(target)!r} is neither a folder nor a .toml file", file=str(target)
        )
    if target.exists() and not overwrite:
        raise ScenarioError(
            "save: the file exists; pass overwrite=True to replace it", file=str(target)
        )
    text = render(target.stem)
    try:
        target.write_text(text, encoding="utf-8")
    except (OSError, UnicodeEncodeError) as error:
        raise ScenarioError(f"save: cannot write the file ({error})", file=str(target)) from None
    return target


def _top_source(spec: ScenarioSpec, steps: Sequence[Step]) -> Source | None:
    """The file's ``[source]``: the one every step shares, else the scenario's own, unless a
    step without a default source would then inherit one it never had."""
    sources = {step.source for step in steps}
    if len(sources) == 1:
        return sources.pop()
    top = spec.source
    for step in steps:
        if step.source is None and top is not None and not (step.spec.who and step.spec.where):
            return None
    return top


def _with_source(spec: StepSpec, source: Source | None, top: Source | None) -> StepSpec:
    if source == top or source is None:
        return spec
    who = spec.who if spec.who is not None else source.who
    where = spec.where if spec.where is not None else source.where
    return spec.model_copy(update={"who": who, "where": where})


def _with_stream(spec: StepSpec, step: Step, target: str) -> StepSpec:
    """``stream`` set when the step's input would otherwise draw from another stream (an
    input converted from another unit: that input's)."""
    node = (as_given(step.quantity) if step.is_input else step.quantity).node
    if not isinstance(node, Leaf) or node.group is not None or not node.key:
        return spec  # a point, a formula's expression, or a correlated input: no own stream
    if node.key == label_key(f"{target}/{step.name}"):
        return spec.model_copy(update={"stream": None})
    label = stream_label(step.spec, step.file)
    if node.key == label_key(label):
        return spec.model_copy(update={"stream": label})
    return spec


def _as_assumption(step: Step) -> StepSpec:
    """A step replaced by ``with_inputs``, as a file states a personal assumption."""
    spec = step.spec
    fields = step_value(step.quantity, what=f"the override of step {step.name!r}")
    unit = spec.unit if spec.unit is not None else format_unit(step.unit)
    said = spec.quote or ""
    if fields["value"] is not None and _REPLACING in said:  # a point, in the unit written
        written = f"{format_number(fields['value'])} {fields['input_unit'] or unit}".strip()
        said = written + said[said.index(_REPLACING) :]
    note = spec.note or "A user override, uncited."
    return spec.model_copy(
        update={
            **fields,
            "unit": unit,
            "assumption": True,
            "quote": None,
            "note": f"{said}. {note}" if said else note,
        }
    )


def step_value(quantity: Uncertain, *, what: str) -> dict[str, Any]:
    """The input fields (``value`` or ``distribution``, and ``input_unit``) of a single,
    independent input in its own unit, or converted from another (:mod:`.converted`: the
    input as given, in that unit); anything else is an error saying what to give instead."""
    node = quantity.node
    if isinstance(node, Apply) and node.op is Op.SCALE and isinstance(node.param, float):
        (inner,) = node.args
        base = inner.node if isinstance(inner, Uncertain) else None
        if isinstance(base, Leaf) and isinstance(base.dist, Point) and base.group is None:
            exact = base.dist.value * node.param  # as the scaled point evaluates
            return {"value": exact, "distribution": None, "input_unit": None}
    given = converted_from(quantity)
    if given is not None and isinstance(given.node, Leaf) and given.node.group is None:
        unit = format_unit(given.unit)
        if as_unit(unit) != given.unit:  # pragma: no cover - a unit its text does not say
            raise ScenarioError(
                f"{what} is in {unit!r}, a unit a scenario file cannot name exactly; give it "
                f"in the step's unit, {format_unit(quantity.unit) or 'dimensionless'}"
            )
        return {**step_value(given, what=what), "input_unit": unit}
    if isinstance(node, Leaf) and node.group is None:
        if isinstance(node.dist, Point):
            return {"value": node.dist.value, "distribution": None, "input_unit": None}
        return {"value": None, "distribution": node.dist, "input_unit": None}
    correlated = isinstance(node, Leaf) or (given is not None and isinstance(given.node, Leaf))
    kind = "a correlated input" if correlated else "a derived quantity"
    raise ScenarioError(
        f"{what} is {kind}, which a scenario file cannot hold as one input: give a single "
        "input (ba.point, ba.between, ba.lognormal, ...) in the step's unit or another of its "
        "dimension, or make it a formula step over earlier steps (a formula string such as "
        "'a * b')"
    )
