"""How scenarios and their steps are shown: citations, input descriptions, HTML, name lists.

Kept apart from building and auditing, so that a change of wording or layout touches one file.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Protocol

import pint

from bioanchors._format import format_exact
from bioanchors._frames import FRAME_GLOSSARY, Frame
from bioanchors._graph.display import describe_distribution
from bioanchors._scenarios.spec import Source, StepSpec
from bioanchors._units.registry import format_unit

__all__ = [
    "ShownStep",
    "citation",
    "describe_input",
    "listing",
    "scenario_html",
    "scenario_text",
    "step_text",
]


class ShownStep(Protocol):
    """What the HTML view needs of a built step."""

    @property
    def name(self) -> str: ...
    @property
    def spec(self) -> StepSpec: ...
    @property
    def unit(self) -> pint.Unit: ...
    @property
    def citation(self) -> str: ...


def citation(spec: StepSpec, source: Source | None) -> str:
    """``who, where: "quote"`` of a step (empty for a step without a quote or page); ``who``
    and ``where`` default to the scenario's ``[source]``. A marked personal assumption is
    ``assumption (who)``, followed by the quote or page it also gives."""
    who = spec.who or (source.who if source else None)
    if spec.assumption:
        marked = f"assumption ({who})" if who else "assumption"
        cited = citation(spec.model_copy(update={"assumption": False}), source)
        return f"{marked}; {cited}" if cited else marked
    where = spec.where or (source.where if source else None)
    parts = [p for p in (who, where) if p]
    text = ", ".join(parts)
    if spec.quote:
        text += f': "{spec.quote}"'
    if spec.page:
        text += f" (p. {spec.page})" if spec.page[:1].isdigit() else f" ({spec.page})"
    return text if (spec.quote or spec.page) else ""


def describe_input(spec: StepSpec) -> str:
    """An input step's value in a few words: ``1e5``, ``10 to 100 (lognormal)``,
    ``normal(mean=8.61e10, sd=8.1e9)``, ``tcn flop_per_step``; one given in another unit
    than the step's says it (``1e3 us / step``)."""
    said = _input_words(spec)
    return f"{said} {spec.input_unit}".strip() if spec.input_unit and said else said


def _input_words(spec: StepSpec) -> str:
    if spec.value is not None:
        return format_exact(spec.value)
    if spec.between is not None:
        lo, hi = spec.between
        return f"{format_exact(lo)} to {format_exact(hi)} ({spec.shape or 'lognormal'})"
    if spec.distribution is not None:  # its parameters, in the unit it is written in
        return describe_distribution(spec.distribution)
    if spec.architecture is not None:
        return f"{spec.architecture.kind} {spec.architecture.quantity}"
    return ""


def scenario_html(
    name: str, title: str, steps: Sequence[ShownStep], frame: Frame | None = None
) -> str:
    """A scenario as an HTML table of its steps (for notebooks), headed by its frame and the
    frame's one-line meaning."""
    rows = []
    for step in steps:
        what = step.spec.formula or describe_input(step.spec)
        rows.append(
            "<tr>"
            f"<td>{html.escape(step.name)}</td><td>{html.escape(what)}</td>"
            f"<td>{html.escape(format_unit(step.unit))}</td>"
            f"<td>{html.escape(step.citation)}</td></tr>"
        )
    shown = f"<br>Frame: <b>{frame}</b> ({html.escape(FRAME_GLOSSARY[frame])})" if frame else ""
    return (
        f"<p><b>{html.escape(name)}</b>: {html.escape(title)}{shown}</p>"
        "<table><tr><th>step</th><th>value or formula</th><th>unit</th><th>source</th></tr>"
        + "".join(rows)
        + "</table>"
    )


def step_text(step: ShownStep) -> str:
    """``neurons = normal(mean=8.61e10, sd=8.1e9) neuron`` (an input: its value or
    distribution, in its unit), ``total = a * b FLOP/s`` (a formula)."""
    what = step.spec.formula or describe_input(step.spec)
    unit = format_unit(step.unit)
    return f"{step.name} = {what}" + (f" [{unit}]" if unit else "")


def scenario_text(
    name: str, title: str, steps: Sequence[ShownStep], frame: Frame | None = None
) -> str:
    """A scenario as text (``print(scenario)``): its name, title and frame, then one line per
    step (:func:`step_text`)."""
    head = f"{name}: {title}" + (f" ({frame})" if frame else "")
    return "\n".join([head, *(f"  {step_text(step)}" for step in steps)])


def listing(names: Iterable[object], limit: int = 12) -> str:
    """``'a', 'b', ... (N more)``: names for a message, at most ``limit`` of them."""
    items = list(names)
    shown = ", ".join(repr(name) for name in items[:limit])
    more = len(items) - limit
    return f"{shown}, ... ({more} more)" if more > 0 else shown
