"""Tables of scenarios side by side, in text, Markdown, JSON or CSV.

The report answers "how far apart are these brain-compute estimates?": for each scenario its
median and 90 % interval in FLOP/s, how many orders of magnitude it sits above Carlsmith
(2020)'s 1e15 FLOP/s, the chance it exceeds his "unlikely" 1e21 FLOP/s, and whether its
derivation's claimed values survive an audit. A brain's compute cannot be negative: a
scenario whose estimate has negative samples (or a 5th percentile <= 0), e.g. from a normal
neuron count that crosses zero, is marked ``!`` with the footnote :data:`NEGATIVE_NOTE`
(``negative`` in JSON and CSV).

Rows are grouped by *frame* (what the number measures, :data:`bioanchors.FRAMES` order:
emulation, functional, bound), the given order kept within a frame: the text table has a
heading line per frame with its one-line meaning, Markdown a ``frame`` column, JSON and CSV a
``frame`` field. A report that mixes frames says so (:func:`frames_note`): the numbers may sit
side by side, but they answer different questions.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any, TextIO

from bioanchors._cli_io import finite_json
from bioanchors._format import (
    csv_text,
    format_number,
    format_probability,
    format_signed,
    markdown_table,
    text_table,
)
from bioanchors._frames import FRAME_GLOSSARY, FRAMES, Frame

if TYPE_CHECKING:
    from bioanchors import Estimate, Scenario
    from bioanchors._engine.options import Progress

__all__ = [
    "CSV_FIELDS",
    "FORMATS",
    "NEGATIVE_NOTE",
    "ReportRow",
    "format_report",
    "frames_note",
    "report_record",
    "report_rows",
    "text_table",
]

FORMATS = ("text", "markdown", "json", "csv")
BASELINE_FLOPS = 1e15  # Carlsmith (2020): "more likely than not that 1e15 FLOP/s is enough"
NEGATIVE_NOTE = "! negative values: check the inputs (the estimate has samples <= 0 FLOP/s)"
HIGH_FLOPS = 1e21  # Carlsmith (2020): "unlikely (<10%) that more than 1e21 FLOP/s is required"


@dataclass(frozen=True)
class ReportRow:
    """One scenario's line in the report (numbers in FLOP/s).

    ``frame``: what the number measures (see :data:`bioanchors.FRAME_GLOSSARY`).
    ``negative``: the estimate has negative samples or a 5th percentile <= 0, which no count
    or rate can have; the inputs need checking.
    """

    scenario: str
    title: str
    frame: Frame
    method: str
    median: float
    p5: float
    p95: float
    oom_above_1e15: float | None
    p_above_1e21: float
    audit: str
    audit_failures: tuple[str, ...]
    p_above_1e21_se: float = 0.0  # its Monte Carlo standard error (0 when exact)
    n: int = 0
    negative: bool = False
    seed: int = 0


def _audit_summary(scenario: Scenario, n: int, seed: int) -> tuple[str, tuple[str, ...]]:
    rows = scenario.audit(n=min(n, 20_000), seed=seed)
    claimed = [row for row in rows if row.claimed is not None]
    failures = tuple(row.name for row in claimed if not row.ok)
    if not claimed:
        return "no claims", failures
    if not failures:
        plural = "s" if len(claimed) > 1 else ""
        return f"{len(claimed)} claim{plural} ok", failures
    return f"{len(failures)}/{len(claimed)} off: {', '.join(failures)}", failures


def report_rows(
    scenarios: Sequence[Scenario],
    *,
    n: int = 100_000,
    seed: int = 0,
    progress: Progress | None = None,
) -> tuple[list[ReportRow], list[Estimate]]:
    """Estimate and audit each scenario; returns the rows and the estimates (in FLOP/s).

    ``progress(done, total)`` is called after each scenario (the command line draws a
    progress bar with it)."""
    rows, estimates = [], []
    for index, scenario in enumerate(scenarios, start=1):
        estimate = scenario.estimate(n, seed=seed).to("FLOP/s")
        lo, hi = estimate.interval(0.9)
        median = float(estimate.median.magnitude)
        flag, failures = _audit_summary(scenario, n, seed)
        rows.append(
            ReportRow(
                scenario=scenario.name,
                title=scenario.title,
                frame=scenario.frame,
                method=estimate.method,
                median=median,
                p5=float(lo.magnitude),
                p95=float(hi.magnitude),
                oom_above_1e15=math.log10(median / BASELINE_FLOPS) if median > 0 else None,
                p_above_1e21=estimate.prob_above(f"{HIGH_FLOPS} FLOP/s"),
                p_above_1e21_se=estimate.prob_above_se(f"{HIGH_FLOPS} FLOP/s"),
                n=n,
                seed=seed,
                audit=flag,
                audit_failures=failures,
                negative=float(estimate.percentile(0).magnitude) < 0 or float(lo.magnitude) <= 0,
            )
        )
        estimates.append(estimate)
        if progress is not None:
            progress(index, len(scenarios))
    order = sorted(range(len(rows)), key=lambda i: FRAMES.index(rows[i].frame))
    return [rows[i] for i in order], [estimates[i] for i in order]


_FRAME_NOUNS = {"emulation": "emulation costs", "functional": "functional estimates"}


def frames_note(frames: Sequence[Frame]) -> str | None:
    """``"frames differ: emulation costs and functional estimates answer different
    questions ..."`` when ``frames`` holds more than one frame, else None.

    >>> print(frames_note(["functional", "emulation", "functional"]))
    ... # doctest: +NORMALIZE_WHITESPACE
    frames differ: emulation costs and functional estimates answer different questions;
    compare within a frame, or across frames knowing what each measures
    >>> frames_note(["bound"]) is None
    True
    """
    present = [frame for frame in FRAMES if frame in frames]
    if len(present) < 2:
        return None
    nouns = [_FRAME_NOUNS.get(frame, "bounds") for frame in present]
    listed = " and ".join(nouns) if len(nouns) == 2 else f"{', '.join(nouns[:-1])} and {nouns[-1]}"
    return (
        f"frames differ: {listed} answer different questions; compare within a frame, or "
        "across frames knowing what each measures"
    )


_HEADERS = ("scenario", "median", "90% interval", "OOM vs 1e15", "P(>1e21)", "audit")


def _cells(row: ReportRow) -> list[str]:
    oom = "" if row.oom_above_1e15 is None else format_signed(row.oom_above_1e15)
    return [
        f"{row.scenario} !" if row.negative else row.scenario,
        format_number(row.median),
        f"{format_number(row.p5)} – {format_number(row.p95)}",
        oom,
        format_probability(row.p_above_1e21, row.p_above_1e21_se, row.n),
        row.audit,
    ]


def report_record(rows: Sequence[ReportRow], *, n: int, seed: int) -> dict[str, Any]:
    """The report as a JSON-ready record (``bioanchors report --format json``; the schema is
    ``bioanchors schema report``), rows grouped by frame; never NaN or Infinity."""
    rows = sorted(rows, key=lambda row: FRAMES.index(row.frame))
    frames = [frame for frame in FRAMES if any(row.frame == frame for row in rows)]
    record: dict[str, Any] = finite_json(
        {
            "unit": "FLOP/s",
            "n": n,
            "seed": seed,
            "frames": {frame: FRAME_GLOSSARY[frame] for frame in frames},
            "frames_note": frames_note(frames),
            "scenarios": [_json_record(row) for row in rows],
        }
    )
    return record


CSV_FIELDS: tuple[str, ...] = (
    *(f for f in ReportRow.__dataclass_fields__ if f != "audit_failures"),
    "unit",
)
"""The columns of the CSV report: every :class:`ReportRow` field but the failures list (the
``audit`` text names them), and the unit of the numbers."""


def format_report(rows: Sequence[ReportRow], fmt: str, *, n: int, seed: int, out: TextIO) -> None:
    """Write the report in ``fmt`` (one of :data:`FORMATS`), rows grouped by frame. Every
    format says the unit (FLOP/s), n, seed, each row's method and frame."""
    rows = sorted(rows, key=lambda row: FRAMES.index(row.frame))
    frames = [frame for frame in FRAMES if any(row.frame == frame for row in rows)]
    note = frames_note(frames)
    if fmt == "json":
        record = report_record(rows, n=n, seed=seed)
        out.write(json.dumps(record, indent=2, allow_nan=False) + "\n")
    elif fmt == "csv":
        out.write(csv_text(CSV_FIELDS, [{**asdict(row), "unit": "FLOP/s"} for row in rows]))
    elif fmt == "markdown":
        headers = [_HEADERS[0], "frame", *_HEADERS[1:], "method"]
        cells = [[c[0], row.frame, *c[1:], row.method] for row, c in ((r, _cells(r)) for r in rows)]
        out.write(
            f"**Brain compute by scenario** (unit FLOP/s · n {n} · seed {seed}; OOM: orders "
            "of magnitude above Carlsmith's 1e15; P(>1e21): chance of exceeding his "
            "'unlikely' 1e21)\n\n"
        )
        out.write(markdown_table(headers, cells, {2, 4, 5}) + "\n")
        out.write("\n" + "".join(f"- **{f}**: {FRAME_GLOSSARY[f]}\n" for f in frames))
        if note:
            out.write(f"\n**{note[0].upper()}{note[1:]}.**\n")
        if any(row.negative for row in rows):
            out.write(f"\n{NEGATIVE_NOTE}\n")
    else:
        out.write(
            f"Brain compute by scenario, FLOP/s (n={n}, seed={seed}). OOM: orders of magnitude "
            "above Carlsmith's 1e15; P(>1e21): chance of exceeding his 'unlikely' 1e21.\n"
        )
        out.write(f"Note: {note}.\n\n" if note else "\n")
        out.write(_grouped_table(rows) + "\n")
        if any(row.negative for row in rows):
            out.write(f"\n{NEGATIVE_NOTE}\n")


def _grouped_table(rows: Sequence[ReportRow]) -> str:
    """One aligned table, a heading line (frame: meaning) before each frame's rows."""
    header, rule, *lines = text_table(_HEADERS, [_cells(row) for row in rows], {1, 3, 4}).split(
        "\n"
    )
    result = [header, rule]
    for index, (row, line) in enumerate(zip(rows, lines, strict=True)):
        if index == 0 or rows[index - 1].frame != row.frame:
            result.append(f"[{row.frame}] {FRAME_GLOSSARY[row.frame]}")
        result.append(line)
    return "\n".join(result)


def _json_record(row: ReportRow) -> dict[str, Any]:
    record = asdict(row)
    record["audit_failures"] = list(row.audit_failures)
    record["unit"] = "FLOP/s"
    return record
