"""Building a scenario in Python (``Scenario.from_steps``): inputs with citations, formulas.

Each step is given as a formula string over earlier steps, or as :func:`cite` of an input (an
:class:`~bioanchors.Uncertain` from ``ba.point``, ``ba.between``, ``ba.lognormal``, ...) or of
a formula, with its citation. The steps become the same plain data a scenario file holds and
go through the same checks (the file format's models, then units and formulas as a file's
steps are built), so a scenario built here is one a file can say: ``to_toml`` writes it and
the file loads back to the same numbers.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal, TypeAlias

from pydantic import ValidationError

from bioanchors._frames import Frame
from bioanchors._graph.uncertain import Uncertain
from bioanchors._scenarios.spec import ScenarioSpec, Source, _validation_error
from bioanchors._scenarios.steps import Step, build_steps
from bioanchors._scenarios.to_toml import document, step_value
from bioanchors._units.registry import format_unit
from bioanchors.errors import ScenarioError

__all__ = ["Citation", "Cited", "StepInput", "cite", "from_steps_parts", "origin"]

Citation: TypeAlias = "Source | Mapping[str, str] | Literal['assumption'] | None"
"""Who said it: a :class:`Source`, a dict of citation fields (``who``, ``where``, ``url``,
``quote``, ``page``), ``"assumption"`` for your own assumption (it then needs a ``note``), or
``None`` for the scenario's default ``source``."""

_FIELDS = ("who", "where", "url", "quote", "page")


@dataclass(frozen=True)
class Cited:
    """A step's value (an input, or a formula string) with its citation: see :func:`cite`."""

    value: Uncertain | str
    citation: dict[str, Any]


StepInput: TypeAlias = "str | Cited"
"""A step of :meth:`~bioanchors.Scenario.from_steps`: a formula string, or :func:`cite` of an
input or a formula."""


def cite(
    value: Uncertain | str,
    source: Citation = None,
    *,
    quote: str | None = None,
    page: str | None = None,
    note: str | None = None,
    claimed: str | float | None = None,
    shaky: bool = False,
    unit: str | None = None,
) -> Cited:
    """A step for :meth:`~bioanchors.Scenario.from_steps`: ``value`` with where it comes from.

    ``value`` is one input (``ba.point(8.6e10, "neuron")``, ``ba.between(...)``, ...) or a
    formula string. An input needs a quote or a page (``who`` and ``where`` default to the
    scenario's ``source``), or ``source="assumption"`` with a ``note`` saying what it assumes.
    ``claimed``, ``shaky``, ``note`` and ``unit`` (a formula's) mean what they mean in a file.

    >>> import bioanchors as ba
    >>> ba.cite(ba.point(8.6e10, "neuron"), {"who": "Azevedo et al.", "where": "2009"},
    ...         page="Table 1").citation["page"]
    'Table 1'
    """
    if source == "assumption":
        fields: dict[str, Any] = {"assumption": True}
    elif isinstance(source, Source):
        fields = {k: v for k, v in document(source).items() if k in _FIELDS}
    elif isinstance(source, Mapping):
        unknown = sorted(set(source) - set(_FIELDS))
        if unknown:
            raise ScenarioError(
                f"cite: unknown citation field(s) {', '.join(map(repr, unknown))}; a citation "
                f"may give {', '.join(_FIELDS)}"
            )
        fields = dict(source)
    elif source is None:
        fields = {}
    else:
        raise ScenarioError(
            f"cite: expected a Source, a dict of {', '.join(_FIELDS)}, 'assumption' or None as "
            f"the source, got {source!r}"
        )
    given = {"quote": quote, "page": page, "note": note, "claimed": claimed, "unit": unit}
    fields.update({k: v for k, v in given.items() if v is not None})
    if shaky:
        fields["shaky"] = True
    return Cited(value, fields)


def origin(name: str) -> str:
    """The file a scenario built in Python names in its errors (and its streams: the stem is
    the scenario's name, so that its saved file draws the same numbers)."""
    return f"<Scenario.from_steps>/{name}.toml"


def from_steps_parts(
    name: str,
    *,
    title: str,
    frame: Frame,
    output: str,
    unit: str,
    steps: Mapping[str, StepInput],
    source: Source | Mapping[str, str] | None = None,
    description: str = "",
    tags: Sequence[str] = (),
) -> tuple[ScenarioSpec, list[Step]]:
    """The spec and built steps of :meth:`~bioanchors.Scenario.from_steps`."""
    file = origin(name)
    for what, given in (("steps", steps), ("source", source)):
        if given is not None and not isinstance(given, Mapping | Source):
            raise ScenarioError(
                f"from_steps: {what} must be a dict (a Source for source), got "
                f"{type(given).__name__} {given!r}"[:300],
                file=file,
                field=what,
            )
    if isinstance(tags, str):
        raise ScenarioError(
            f"from_steps: tags is a list of strings, got the string {tags!r}",
            file=file,
            field="tags",
        )
    raw: dict[str, Any] = {
        "name": name,
        "title": title,
        "description": description,
        "output": output,
        "unit": unit,
        "frame": frame,
        "tags": list(tags),
        "steps": [_raw_step(step_name, step) for step_name, step in steps.items()],
    }
    if source is not None:
        raw["source"] = document(source) if isinstance(source, Source) else dict(source)
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as error:
        raise _validation_error(error, raw, file) from None
    entries = [(step, file, spec.source) for step in spec.steps]
    return spec, build_steps(entries, output=spec.output, unit=spec.unit)


def _raw_step(name: str, step: object) -> dict[str, Any]:
    if isinstance(step, str):
        return {"name": name, "formula": step}
    if isinstance(step, Cited):
        if isinstance(step.value, str):
            return {"name": name, "formula": step.value, **step.citation}
        if "unit" in step.citation:
            raise ScenarioError(
                "an input carries its own unit (ba.point(1e11, 'neuron')); "
                "unit= is for a formula step",
                step=name,
            )
        if not isinstance(step.value, Uncertain):
            raise ScenarioError(
                f"step {name!r}: cite() holds an input (ba.point(1e11, 'neuron'), "
                f"ba.between(...), ...) or a formula string, got {type(step.value).__name__} "
                f"{step.value!r}",
                step=name,
            )
        return {"name": name, **_input_fields(name, step.value), **step.citation}
    if isinstance(step, Uncertain):
        raise ScenarioError(
            "an input without a citation: give ba.cite(value, source, quote=... or page=...), "
            "or ba.cite(value, 'assumption', note=...) for your own assumption",
            step=name,
        )
    raise ScenarioError(
        f"expected a formula string or ba.cite(...) of an input, got "
        f"{type(step).__name__} {step!r}",
        step=name,
    )


def _input_fields(name: str, quantity: Uncertain) -> dict[str, Any]:
    try:
        fields = step_value(quantity, what=f"step {name!r}")
    except ScenarioError as error:
        raise ScenarioError(str(error), step=name) from None
    if fields["distribution"] is not None:
        fields["distribution"] = document(fields["distribution"])
    return {k: v for k, v in fields.items() if v is not None} | {"unit": format_unit(quantity.unit)}
