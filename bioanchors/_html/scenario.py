"""One scenario's part of the page: its steps with their citations, its audit, its waterfall
and its sensitivity, each a table (the numbers as text) and, where one exists, a figure.

A mismatch between a claimed and a recomputed value is flagged in words (``✗ MISMATCH``) and by
its style, never by colour alone; judgement calls carry their markers (assumption, shaky,
replaced by a user override) in words as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from bioanchors import FRAME_GLOSSARY, BioanchorsError, plots
from bioanchors._html.figures import inline_svg, waterfall_figure
from bioanchors._html.markup import Cell, anchor_id, esc, link, number, table
from bioanchors._scenarios.present import describe_input
from bioanchors._units.registry import format_unit

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors import Scenario
    from bioanchors._scenarios.steps import Step

__all__ = ["scenario_article"]


def _source_markup(step: Step) -> str:
    spec, source = step.spec, step.source
    who = spec.who or (source.who if source else None)
    where = spec.where or (source.where if source else None)
    url = spec.url or (source.url if source else None)
    parts = []
    if who:
        parts.append(f'<span class="who">{esc(who)}</span>')
    if where:
        parts.append(f"<cite>{link(url, where)}</cite>")
    elif url:
        parts.append(link(url, "source"))
    text = ", ".join(parts)
    if spec.quote:
        text += f': <q class="quote">{esc(spec.quote)}</q>'
    if spec.page:
        page = f"p. {spec.page}" if spec.page[:1].isdigit() else spec.page
        text += f' <span class="page">({esc(page)})</span>'
    if not (spec.quote or spec.page or spec.assumption):
        return '<span class="muted">computed from the steps above</span>' if spec.formula else text
    return text


def _markers(step: Step, scenario: Scenario) -> str:
    marks = []
    if step.spec.assumption:
        marks.append('<span class="mark">assumption</span>')
    if step.spec.shaky:
        marks.append('<span class="mark">shaky: wide prior</span>')
    if step.name in scenario.overridden:
        marks.append('<span class="mark">replaced by a user override</span>')
    note = f'<p class="step-note">{esc(step.spec.note)}</p>' if step.spec.note else ""
    return " ".join(marks) + note


def _steps_table(scenario: Scenario) -> str:
    rows = []
    for step in scenario.steps:
        what = step.spec.formula or describe_input(step.spec)
        shown = f"<code>{esc(what)}</code>" if step.spec.formula else esc(what)
        claimed = "" if step.claimed is None else number(float(step.claimed.magnitude))
        output = step.name == scenario.output_name
        name = esc(step.name) + (' <span class="mark">output</span>' if output else "")
        rows.append(
            [
                Cell(name, header=True),
                Cell(shown),
                Cell.text(format_unit(step.unit) or "1"),
                Cell.text(claimed, numeric=True),
                Cell(_source_markup(step), css="source"),
                Cell(_markers(step, scenario), css="notes"),
            ]
        )
    headers = ["step", "value or formula", "unit", "claimed", "source", "notes"]
    caption = f"The steps of {esc(scenario.name)}, in order, with who said each number and where."
    return table(caption, headers, [(None, rows)], numeric=[3], css="steps")


def _figure(make: Callable[[], Figure], prefix: str, alt: str, caption: str) -> str:
    """A figure, or a visible note when this one cannot be drawn (no claims, no inputs)."""
    try:
        svg = inline_svg(make(), prefix=prefix, label=alt)
    except BioanchorsError as error:
        return f'<p class="note">No figure: {esc(error)}</p>'
    return f'<figure class="chart">{svg}<figcaption>{esc(caption)}</figcaption></figure>'


def _audit(scenario: Scenario, index: int, n: int, seed: int) -> str:
    rows = scenario.audit(n=n, seed=seed)
    cells = []
    for row in rows:
        if row.claimed is None:
            verdict = Cell('<span class="muted">no claim</span>')
        elif row.ok:
            verdict = Cell("✓ ok", css="good")
        else:
            verdict = Cell('<strong class="flag">✗ MISMATCH</strong>', css="bad")
        ratio = "" if row.ratio is None else f"{row.ratio:.3g}"
        cells.append(
            [
                Cell.text(row.name, header=True),
                Cell.text(row.unit or "1"),
                Cell.text(number(row.claimed), numeric=True),
                Cell.text(number(row.recomputed), numeric=True),
                Cell.text(ratio, numeric=True),
                verdict,
            ]
        )
    claims = [row for row in rows if row.claimed is not None]
    failed = [row.name for row in claims if not row.ok]
    if not claims:
        summary = "The source claims no values, so there is nothing to check."
    elif failed:
        summary = (
            f"{len(failed)} of {len(claims)} claimed values fail recomputation: "
            f"{', '.join(failed)}."
        )
    else:
        summary = f"All {len(claims)} claimed values survive recomputation."
    headers = ["step", "unit", "claimed", "recomputed", "ratio", "verdict"]
    caption = (
        f"Audit of {esc(scenario.name)}: each step's claimed value against its recomputed "
        f"median (n = {n:,}, seed = {seed}); ratio = recomputed / claimed."
    )
    flag = "bad" if failed else "good"
    summary_markup = f'<p class="summary {flag}">{"✗ " if failed else ""}{esc(summary)}</p>'
    alt = f"Bar chart of log10(recomputed / claimed) for each claimed step of {scenario.name}. "
    figure = (
        _figure(
            lambda: plots.audit_plot(rows, title=f"Audit of {scenario.name}"),
            f"s{index}-audit",
            alt + summary,
            "Orders of magnitude between recomputed and claimed values; 0 means the claim holds.",
        )
        if claims
        else ""
    )
    return (
        f'<h4 id="{anchor_id("audit", scenario.name)}">Audit</h4>'
        + summary_markup
        + table(caption, headers, [(None, cells)], numeric=[2, 3, 4], css="audit")
        + figure
    )


def _waterfall(scenario: Scenario, index: int, n: int, seed: int) -> str:
    waterfall = scenario.waterfall(n=n, seed=seed)
    cells = []
    for row in waterfall.rows:
        factor = "" if row.factor is None else f"{number(row.factor)} {row.factor_unit}".strip()
        largest = '<strong class="flag">largest</strong>' if row.largest else ""
        cells.append(
            [
                Cell.text(row.label, header=True),
                Cell.text(row.step),
                Cell.text(number(row.median_before), numeric=True),
                Cell.text(number(row.median_after), numeric=True),
                Cell.text(row.unit or "1"),
                Cell.text(factor, numeric=True),
                Cell(largest),
            ]
        )
    headers = ["applied", "in step", "median before", "median after", "unit", "factor", ""]
    caption = (
        f"Waterfall of {esc(scenario.name)}: the running median of {esc(waterfall.output)} "
        f"along its chain, factor by factor (n = {n:,}, seed = {seed})."
    )
    top = waterfall.largest
    alt = (
        f"Waterfall chart of {scenario.name}: the running median step by step "
        f"({len(waterfall.rows)} rows), ending at {number(waterfall.rows[-1].median_after)} "
        f"{waterfall.unit}" + (f"; the largest factor is {top.label}." if top else ".")
        if waterfall.rows
        else f"Waterfall chart of {scenario.name}"
    )
    figure = (
        _figure(
            lambda: waterfall_figure(
                waterfall.rows, unit=waterfall.unit, title=f"Waterfall of {scenario.name}"
            ),
            f"s{index}-waterfall",
            alt,
            "Each bar runs from the median before a step to the median after it.",
        )
        if waterfall.rows
        else ""
    )
    return (
        f'<h4 id="{anchor_id("waterfall", scenario.name)}">Waterfall</h4>'
        + table(caption, headers, [(None, cells)], numeric=[2, 3, 5], css="waterfall")
        + figure
    )


def _sensitivity(scenario: Scenario, index: int, n: int, seed: int) -> str:
    heading = f'<h4 id="{anchor_id("sensitivity", scenario.name)}">Sensitivity</h4>'
    result = scenario.sensitivity(n=n, seed=seed)
    if not result.rows:
        return heading + '<p class="note">No uncertain inputs: nothing to swing.</p>'
    cells = [
        [
            Cell.text(row.name, header=True),
            Cell.text(f"{100 * row.share:.0f} %", numeric=True),
            Cell.text(number(row.low), numeric=True),
            Cell.text(number(row.high), numeric=True),
            Cell.text(
                f"{number(row.input_low)} – {number(row.input_high)} {row.input_unit}".strip()
            ),
        ]
        for row in result.rows
    ]
    headers = ["input", "share of variance", "output at input's 5th", "at its 95th", "input range"]
    caption = (
        f"What drives {esc(scenario.name)}: each input's share of the variance of log10(output) "
        f"({esc(result.method)}), and the output ({esc(result.unit)}) with that input at its 5th "
        "and 95th percentile, the others at their medians."
    )
    first = result.rows[0]
    alt = (
        f"Tornado chart for {scenario.name}: the output with each input swung from its 5th to "
        f"95th percentile; {first.name} drives most ({100 * first.share:.0f} % of the variance)."
    )
    figure = _figure(
        lambda: plots.tornado_plot(result, title=f"{scenario.name}: what drives it"),
        f"s{index}-tornado",
        alt,
        "The bars span the output with one input at its 5th and at its 95th percentile.",
    )
    return heading + table(caption, headers, [(None, cells)], numeric=[1, 2, 3]) + figure


def _part(render: Callable[[], str], title: str) -> str:
    try:
        return render()
    except BioanchorsError as error:  # one part that cannot be computed does not hide the rest
        return f'<h4>{esc(title)}</h4><p class="note">Could not be computed: {esc(error)}</p>'


def scenario_article(
    scenario: Scenario, index: int, *, n: int, sensitivity_n: int, seed: int
) -> str:
    """The ``<article>`` of one scenario (id ``scenario-NAME``): the audit and waterfall with
    ``n`` samples, the sensitivity with ``sensitivity_n``."""
    ident = anchor_id("scenario", scenario.name)
    source = scenario.spec.source
    cited = ""
    if source is not None:
        date = f" ({esc(source.date)})" if source.date else ""
        cited = (
            f'<p class="meta">Source: <span class="who">{esc(source.who)}</span>, '
            f"<cite>{link(source.url, source.where)}</cite>{date}</p>"
        )
    frame = scenario.frame
    file = f"; file {esc(scenario.path.name)}" if scenario.path else ""
    described = bool(scenario.description)
    return (
        f'<article class="scenario" id="{ident}" aria-labelledby="{ident}-h">'
        f'<h3 id="{ident}-h">{esc(scenario.name)}: {esc(scenario.title)}</h3>'
        f'<p class="meta">Frame: <strong>{esc(frame)}</strong>: {esc(FRAME_GLOSSARY[frame])}; '
        f"output {esc(scenario.output_name)} in {esc(format_unit(scenario.unit))}{file}</p>"
        + cited
        + (f'<p class="description">{esc(scenario.description)}</p>' if described else "")
        + f'<h4 id="{anchor_id("steps", scenario.name)}">Steps</h4>'
        + _steps_table(scenario)
        + _part(lambda: _audit(scenario, index, n, seed), "Audit")
        + _part(lambda: _waterfall(scenario, index, n, seed), "Waterfall")
        + _part(lambda: _sensitivity(scenario, index, sensitivity_n, seed), "Sensitivity")
        + "</article>"
    )
