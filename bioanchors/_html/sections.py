"""The page's shared sections: the comparison table, the forest plot and the timelines.

The comparison table has the rows of ``bioanchors report`` (:func:`bioanchors.report.report_rows`),
grouped by frame as the text report is, each frame's group headed by its one-line meaning; the
timelines section has the swap table of ``bioanchors timelines`` (each brain through the
timelines model, from :func:`bioanchors.timelines.compare_brains`) and its CDF figure.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from bioanchors import FRAME_GLOSSARY, FRAMES, plots
from bioanchors._format import format_probability, format_signed
from bioanchors._html.figures import inline_svg
from bioanchors._html.markup import Cell, anchor_id, esc, number, table
from bioanchors.report import NEGATIVE_NOTE, ReportRow, frames_note
from bioanchors.timelines import timelines_table

if TYPE_CHECKING:
    from bioanchors import Estimate
    from bioanchors.catalog import Reference
    from bioanchors.timelines import TaiForecast

__all__ = ["TIMELINES_YEARS", "comparison_section", "forest_section", "timelines_section"]

TIMELINES_YEARS = (2030, 2040, 2050)
"""The years of the swap table's P(TAI by year) columns."""

_COMPARISON_HEADERS = (
    "scenario",
    "median (FLOP/s)",
    "5th percentile",
    "95th percentile",
    "OOM vs 1e15",
    "P(>1e21 FLOP/s)",
    "audit",
)


def _audit_cell(row: ReportRow) -> Cell:
    if row.audit_failures:
        return Cell(f'<strong class="flag">✗ MISMATCH</strong> {esc(row.audit)}', css="bad")
    if row.audit == "no claims":
        return Cell(esc("no claims"), css="muted")
    return Cell(f"✓ {esc(row.audit)}", css="good")


def _comparison_cells(row: ReportRow) -> list[Cell]:
    name = f'<a href="#{anchor_id("scenario", row.scenario)}">{esc(row.scenario)}</a>'
    if row.negative:
        name += ' <strong class="flag" title="negative values">!</strong>'
    oom = "" if row.oom_above_1e15 is None else format_signed(row.oom_above_1e15)
    return [
        Cell(name + f'<br/><span class="sub">{esc(row.title)}</span>', header=True),
        Cell(esc(number(row.median)), numeric=True),
        Cell(esc(number(row.p5)), numeric=True),
        Cell(esc(number(row.p95)), numeric=True),
        Cell(esc(oom), numeric=True),
        Cell(esc(format_probability(row.p_above_1e21, row.p_above_1e21_se, row.n)), numeric=True),
        _audit_cell(row),
    ]


def comparison_section(rows: Sequence[ReportRow], *, n: int, seed: int) -> str:
    """The comparison table, one group per frame (in :data:`bioanchors.FRAMES` order)."""
    groups = []
    for frame in FRAMES:
        members = [row for row in rows if row.frame == frame]
        if members:
            heading = f"{esc(frame)}: {esc(FRAME_GLOSSARY[frame])}"
            groups.append((heading, [_comparison_cells(row) for row in members]))
    caption = (
        f"Brain compute by scenario, in FLOP/s (n = {n:,}, seed = {seed}): the median and the "
        "90 % interval; OOM: orders of magnitude above Carlsmith (2020)'s 1e15 FLOP/s; "
        "P(&gt;1e21): the chance of exceeding his “unlikely” 1e21 FLOP/s; audit: whether "
        "the values the source claimed survive recomputation."
    )
    body = table(caption, _COMPARISON_HEADERS, groups, numeric=range(1, 6), css="comparison")
    notes = []
    note = frames_note([row.frame for row in rows])
    if note:
        notes.append(f'<p class="note"><strong>Note:</strong> {esc(note)}.</p>')
    if any(row.negative for row in rows):
        notes.append(f'<p class="note">{esc(NEGATIVE_NOTE)}</p>')
    return (
        '<section id="comparison" aria-labelledby="comparison-h"><h2 id="comparison-h">'
        "Comparison</h2>" + body + "".join(notes) + "</section>"
    )


def _figure(svg: str, caption: str, css: str = "chart") -> str:
    return f'<figure class="{css}">{svg}<figcaption>{caption}</figcaption></figure>'


def forest_section(
    rows: Sequence[ReportRow],
    estimates: Sequence[Estimate],
    references: Sequence[Reference],
    claims: Mapping[str, Any] | None = None,
) -> str:
    """The forest plot of every scenario, with the reference lines and the sources' claims."""
    labelled = [(row.scenario, est) for row, est in zip(rows, estimates, strict=True)]
    frames = {row.scenario: row.frame for row in rows}
    figure = plots.forest_plot(labelled, references=references, frames=frames, claims=claims)
    spread = ", ".join(f"{row.scenario} {number(row.median)}" for row in rows)
    alt = (
        "Forest plot: each scenario's median brain compute in FLOP/s on a log axis with its "
        f"90 % interval, marked by frame, beside published reference values. Medians: {spread}."
    )
    caption = (
        "Each scenario's median (marker) and 90 % interval (line), in FLOP/s on a log axis; "
        "marker shape and colour give the frame; vertical lines are published reference values. "
        "The numbers are those of the comparison table."
    )
    return (
        '<section id="forest" aria-labelledby="forest-h"><h2 id="forest-h">Forest plot</h2>'
        + _figure(inline_svg(figure, prefix="forest", label=alt), esc(caption))
        + "</section>"
    )


def _shift(forecast: TaiForecast, reference: TaiForecast) -> str:
    if not math.isfinite(reference.median_year):
        return "n/a"
    if not math.isfinite(forecast.median_year):
        return f"later than {forecast.model.last_year - reference.median_year:+.0f}"
    return format_signed(forecast.median_year - reference.median_year)


def _percent(p: float) -> str:
    return f"{100 * p:.1f} %" if math.isfinite(p) else "n/a"


def timelines_section(forecasts: Sequence[TaiForecast]) -> str:
    """The swap table (each brain through the model) and the P(TAI by year) figure."""
    reference = next((f for f in forecasts if f.is_reference), forecasts[0])
    headers = [
        "brain",
        "frame",
        "penalty",
        "brain FLOP/s (median)",
        "median TAI year",
        *(f"P(TAI by {year})" for year in TIMELINES_YEARS),
        f"shift vs {reference.brain} (years)",
    ]
    rows = [
        [
            Cell.text(f.brain, header=True),
            Cell.text(f.frame_text),
            Cell.text(str(f.penalty), numeric=True),
            Cell.text(number(f.brain_median_flops), numeric=True),
            Cell.text(f.year_text(f.median_year), numeric=True),
            *(Cell.text(_percent(f.prob_by(year)), numeric=True) for year in TIMELINES_YEARS),
            Cell.text(_shift(f, reference), numeric=True),
        ]
        for f in forecasts
    ]
    setup = timelines_table(forecasts).split("\n\n", 1)[0]  # its header: model, n, seed, rules
    caption = (
        f"TAI timelines with each brain swapped into {esc(reference.model.title)}. "
        f"{esc(' '.join(setup.splitlines()[1:]))}"
    )
    body = table(caption, headers, [(None, rows)], numeric=range(2, len(headers)), css="swap")
    medians = "; ".join(f"{f.brain} {f.year_text(f.median_year)}" for f in forecasts)
    alt = (
        "Line chart of P(TAI by year) in percent against the year, one curve per brain "
        f"estimate. Median TAI years: {medians}."
    )
    import matplotlib

    with matplotlib.rc_context({"font.size": 13}):  # its legend stays readable at page width
        svg = inline_svg(plots.plot_timelines(forecasts), prefix="timelines", label=alt)
    figure = _figure(
        svg,
        esc(
            "P(TAI by year) for each brain; the dashed black curve is the model's own brain "
            "input; the dotted grey line marks 50 % (the median year)."
        ),
        "chart wide",
    )
    return (
        '<section id="timelines" aria-labelledby="timelines-h"><h2 id="timelines-h">'
        "Timelines</h2>" + body + figure + "</section>"
    )
