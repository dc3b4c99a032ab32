"""A shareable HTML report: one self-contained page of every scenario, for a forum post.

:func:`html_report` returns the page as a string, :func:`write_html_report` writes it
(``bioanchors report --html report.html`` on the command line). The page holds the comparison
table of ``bioanchors report`` (grouped by frame), the forest plot, the timelines swap table and
its P(TAI by year) figure, and for each scenario its steps with their citations and quotes, its
audit (claimed against recomputed, mismatches flagged in words), its waterfall and its
sensitivity (a tornado chart).

It is one file that loads nothing: the stylesheet is inline, the figures are inline SVG (drawn
by :mod:`bioanchors.plots`, with alt text), and links in citations are links a reader may
follow, never resources the page fetches. Text from scenario files is escaped, so a citation
holding ``<script>`` shows as text. The comparison table and the forest plot use ``n``
samples; the per-scenario parts and the timelines use ``min(n, detail_n)`` (default 20,000;
10,000 for the sensitivity),
as the page says, so that a report of every scenario takes seconds. Needs the ``plot`` extra
(matplotlib).

>>> page = html_report(["kokotajlod-2021"], n=2_000, timelines=False, generated="today")
>>> page.startswith("<!DOCTYPE html>") and 'id="scenario-kokotajlod-2021"' in page
True
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Sequence
from pathlib import Path

from bioanchors import Scenario, __version__, catalog, plots
from bioanchors._html.page import RunInfo, page
from bioanchors._html.scenario import scenario_article
from bioanchors._html.sections import comparison_section, forest_section, timelines_section
from bioanchors._scenarios.catalog import load_or_skip
from bioanchors._scenarios.claimed import CLAIMED_SUFFIX, claimed_scenario
from bioanchors.errors import InvalidInputError
from bioanchors.report import report_rows
from bioanchors.timelines import BrainLike, compare_brains

__all__ = ["DETAIL_N", "SENSITIVITY_N", "html_report", "write_html_report"]

DETAIL_N = 20_000
"""Most samples for each scenario's audit and waterfall (as ``bioanchors audit``, and the audit
column of the comparison table) and for the timelines."""
SENSITIVITY_N = 10_000
"""Most samples for each scenario's sensitivity table and tornado chart (the first-order
shares' cost grows faster than n; 10,000 is ten times the fewest it accepts)."""


def _load(scenarios: Sequence[Scenario | str | os.PathLike[str]] | None) -> list[Scenario]:
    if scenarios is None:  # every scenario that loads; a broken user file is warned and skipped
        loaded = (load_or_skip(name) for name in catalog.scenarios())
        return [scenario for scenario in loaded if scenario is not None]
    chosen = [s if isinstance(s, Scenario) else catalog.load_scenario(s) for s in scenarios]
    if not chosen:
        raise InvalidInputError("scenarios: need at least one scenario for a report")
    names = [scenario.name for scenario in chosen]
    twice = sorted({name for name in names if names.count(name) > 1})
    if twice:
        raise InvalidInputError(
            f"scenarios: each scenario may appear once on the page; given twice: {twice}"
        )
    return chosen


def _brains(scenarios: Sequence[Scenario]) -> list[BrainLike]:
    """Each scenario, and ``NAME:claimed`` beside it when its output step claims a value."""
    brains: list[BrainLike] = []
    given = {scenario.name for scenario in scenarios}
    for scenario in scenarios:
        brains.append(scenario)
        claimed = scenario.step(scenario.output_name).claimed is not None
        if claimed and scenario.name + CLAIMED_SUFFIX not in given:  # not twice
            brains.append(claimed_scenario(scenario))
    return brains


def html_report(
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None = None,
    *,
    n: int = 100_000,
    seed: int = 0,
    detail_n: int = DETAIL_N,
    sensitivity_n: int = SENSITIVITY_N,
    timelines: bool = True,
    command: str | None = None,
    generated: str | None = None,
) -> str:
    """The report as one HTML page (a string; see the module notes).

    ``scenarios``: Scenario objects, names or paths (default: every scenario that loads).
    ``n`` and ``seed``: the samples and seed of the comparison table and forest plot;
    ``detail_n``: at most this many samples for each scenario's audit and waterfall and for
    the timelines; ``sensitivity_n``: at most this many for each sensitivity table.
    ``timelines=False`` leaves out the timelines section. ``command`` is shown as the command
    that made the page, ``generated`` as its date (default: now, in UTC).
    """
    chosen = _load(scenarios)
    detail, swings = min(n, detail_n), min(n, sensitivity_n)
    rows, estimates = report_rows(chosen, n=n, seed=seed)
    by_name = {scenario.name: scenario for scenario in chosen}
    ordered = [by_name[row.scenario] for row in rows]  # grouped by frame, as the table is
    sections = [
        comparison_section(rows, n=n, seed=seed),
        forest_section(rows, estimates, catalog.references(), plots.scenario_claims(chosen)),
    ]
    if timelines:
        forecasts = compare_brains(_brains(ordered), n=detail, seed=seed)
        sections.append(timelines_section(forecasts))
    articles = [
        scenario_article(scenario, index, n=detail, sensitivity_n=swings, seed=seed)
        for index, scenario in enumerate(ordered, start=1)
    ]
    sections.append(
        '<section id="scenarios" aria-labelledby="scenarios-h"><h2 id="scenarios-h">'
        "Scenarios</h2>" + "\n".join(articles) + "</section>"
    )
    when = generated or datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC")
    info = RunInfo(
        version=__version__,
        n=n,
        detail_n=detail,
        sensitivity_n=swings,
        timelines_n=detail if timelines else None,
        seed=seed,
        generated=when,
        command=command or f"bioanchors.html_report.html_report(n={n}, seed={seed})",
    )
    count = f"{len(chosen)} scenario{'s' if len(chosen) != 1 else ''}"
    lede = (
        f"{count} of the compute a human brain performs, side by side: what each estimate "
        "says, where its numbers come from, whether its claims survive recomputation, what "
        "drives it, and what it implies for AI timelines."
    )
    return page(
        title="Brain compute estimates: a bioanchors report",
        lede=lede,
        info=info,
        names=[scenario.name for scenario in ordered],
        sections=sections,
    )


def write_html_report(
    path: str | os.PathLike[str],
    scenarios: Sequence[Scenario | str | os.PathLike[str]] | None = None,
    **options: object,
) -> Path:
    """Write :func:`html_report` (``options`` are its keyword arguments) to ``path`` as UTF-8;
    returns the path."""
    target = Path(path)
    if not target.parent.is_dir():
        raise InvalidInputError(
            f"cannot write {str(path)!r}: the folder {str(target.parent)!r} does not exist"
        )
    text = html_report(scenarios, **options)  # type: ignore[arg-type]
    target.write_text(text, encoding="utf-8")
    return target
