"""What ``run``, ``audit`` (and ``audit --waterfall``) and ``sweep`` print, in each format.

Each ``show_*`` function prints one result through :func:`bioanchors._cli.formats.emit`: the
text view the command always had, a :class:`~bioanchors._cli.formats.Table` for Markdown and
CSV (with the unit, n, seed, method and frame), and the JSON record of its schema.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TextIO

from bioanchors._cli.formats import Table, emit
from bioanchors._format import format_number, text_table
from bioanchors.estimate import SUMMARY_PERCENTILES

if TYPE_CHECKING:
    from bioanchors import Estimate, Scenario
    from bioanchors._scenarios.audit import StepAudit
    from bioanchors._scenarios.sweep import SweepTable
    from bioanchors._scenarios.waterfall import Waterfall

__all__ = ["show_audit", "show_run", "show_sweep", "show_waterfall"]

_AUDIT_METHOD = "mc"  # an audit recomputes every step from one joint Monte Carlo draw


def show_run(scenario: Scenario, estimate: Estimate, fmt: str, out: TextIO) -> None:
    """``bioanchors run``: JSON is exactly ``estimate.to_dict()``."""

    def text() -> str:
        return (
            f"{scenario.name}: {scenario.title}\n{estimate}\n"
            f"method={estimate.method} n={estimate.n} seed={estimate.seed} "
            f"frame={scenario.frame}\n"
        )

    emit(
        fmt,
        out,
        text=text,
        table=lambda: _run_table(scenario, estimate),
        record=estimate.to_dict,
        model="run",
    )


def _run_table(scenario: Scenario, estimate: Estimate) -> Table:
    record = estimate.to_dict()
    unit = record["unit"]
    values = record["percentiles"]
    headers = ["scenario", "frame", *(f"p{q}" for q in SUMMARY_PERCENTILES), "mean"]
    cells = [
        scenario.name,
        scenario.frame,
        *(format_number(values[str(q)]) for q in SUMMARY_PERCENTILES),
        format_number(record["mean"]),
    ]
    row: dict[str, Any] = {
        "scenario": scenario.name,
        "frame": scenario.frame,
        "unit": unit,
        "n": estimate.n,
        "seed": estimate.seed,
        "method": estimate.method,
        **{f"p{q}": values[str(q)] for q in SUMMARY_PERCENTILES},
        "mean": record["mean"],
    }
    return Table(
        title=f"{scenario.name}: {scenario.title}",
        headers=headers,
        cells=[cells],
        fields=list(row),
        records=[row],
        meta=_meta(unit, estimate.n, estimate.seed, estimate.method, scenario.frame),
        right=frozenset(range(2, len(headers))),
    )


def _meta(unit: str, n: int, seed: int, method: str, frame: str) -> dict[str, Any]:
    return {"unit": unit or "1", "n": n, "seed": seed, "method": method, "frame": frame}


def show_audit(
    scenario: Scenario,
    rows: list[StepAudit],
    *,
    tolerance: float,
    n: int,
    seed: int,
    fmt: str,
    out: TextIO,
) -> None:
    """``bioanchors audit NAME``: each step's claim against its recomputed median."""
    headers = ["step", "unit", "claimed", "recomputed", "ratio", "verdict"]
    cells = [
        [
            r.name,
            r.unit,
            "" if r.claimed is None else format_number(r.claimed),
            format_number(r.recomputed),
            "" if r.ratio is None else f"{r.ratio:.3g}",
            r.verdict,
        ]
        for r in rows
    ]
    title = f"Audit of {scenario.name} (tolerance {tolerance} orders of magnitude)"
    common = {"scenario": scenario.name, "frame": scenario.frame, "tolerance": tolerance}
    runs = {"n": n, "seed": seed, "method": _AUDIT_METHOD}

    def table() -> Table:
        records = [{**common, **r.to_dict(), **runs} for r in rows]
        return Table(
            title=title,
            headers=["step", "unit", "claimed", "recomputed", "ratio", "verdict"],
            cells=cells,
            fields=[
                "scenario",
                "frame",
                "name",
                "formula",
                "unit",
                "claimed",
                "recomputed",
                "ratio",
                "ok",
                "verdict",
                "tolerance",
                "n",
                "seed",
                "method",
            ],
            records=records,
            meta={"unit": "each step's own", **runs, "frame": scenario.frame},
            right=frozenset({2, 3, 4}),
        )

    emit(
        fmt,
        out,
        text=lambda: f"{title}\n\n{text_table(headers, cells, {2, 3, 4})}\n",
        table=table,
        record=lambda: {**common, **runs, "steps": [r.to_dict() for r in rows]},
        model="audit",
    )


def show_waterfall(scenario: Scenario, waterfall: Waterfall, fmt: str, out: TextIO) -> None:
    """``bioanchors audit NAME --waterfall``: the running median along the output's chain."""
    runs = {"n": waterfall.n, "seed": waterfall.seed, "method": _AUDIT_METHOD}

    def table() -> Table:
        rows = [row.to_dict() for row in waterfall.rows]
        cells = [
            [
                row.label,
                row.step,
                "" if row.median_before is None else format_number(row.median_before),
                format_number(row.median_after),
                row.unit,
                "" if row.factor is None else format_number(row.factor),
                row.factor_unit,
                "largest" if row.largest else "",
            ]
            for row in waterfall.rows
        ]
        return Table(
            title=f"Waterfall of {scenario.name}: the running median along {waterfall.output}",
            headers=[
                "factor",
                "step",
                "median before",
                "median after",
                "unit",
                "x",
                "x unit",
                "note",
            ],
            cells=cells,
            fields=["scenario", "frame", *rows[0], "n", "seed", "method"]
            if rows
            else ["scenario", "frame", "unit", "n", "seed", "method"],
            records=[
                {"scenario": scenario.name, "frame": scenario.frame, **row, **runs} for row in rows
            ],
            meta={"unit": "each step's own", **runs, "frame": scenario.frame},
            right=frozenset({2, 3, 5}),
        )

    emit(
        fmt,
        out,
        text=lambda: f"{waterfall}\n",
        table=table,
        record=lambda: {"frame": scenario.frame, **waterfall.to_dict(), "method": _AUDIT_METHOD},
        model="waterfall",
    )


def show_sweep(scenario: Scenario, table: SweepTable, fmt: str, out: TextIO) -> None:
    """``bioanchors sweep``: the output's median and 90 % interval at each value."""

    def rows() -> Table:
        records = [
            {
                "scenario": table.scenario,
                "frame": scenario.frame,
                "step": table.step,
                **{"value_unit": table.value_unit, **row.to_dict()},
                "unit": table.unit,
                "n": table.n,
                "seed": table.seed,
            }
            for row in table.rows
        ]
        methods = sorted({row.method for row in table.rows})
        return Table(
            title=f"Sweep of {table.scenario} over {table.step}",
            headers=[
                f"{table.step} ({table.value_unit or '1'})",
                "value given",
                "median",
                "5 %",
                "95 %",
                "method",
            ],
            cells=[
                [
                    format_number(r.value),
                    r.label,
                    format_number(r.median),
                    format_number(r.p5),
                    format_number(r.p95),
                    r.method,
                ]
                for r in table.rows
            ],
            fields=[
                "scenario",
                "frame",
                "step",
                "value",
                "value_unit",
                "label",
                "median",
                "p5",
                "p95",
                "unit",
                "n",
                "seed",
                "method",
            ],
            records=records,
            meta=_meta(table.unit, table.n, table.seed, ", ".join(methods), scenario.frame),
            right=frozenset({0, 2, 3, 4}),
        )

    emit(
        fmt,
        out,
        text=lambda: f"{table}\n",
        table=rows,
        record=lambda: {"frame": scenario.frame, **table.to_dict()},
        model="sweep",
    )
