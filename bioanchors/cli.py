"""The ``bioanchors`` command (also ``python -m bioanchors``); a thin layer over the public API.

bioanchors report                  every bundled scenario side by side (the main job)
bioanchors list                    scenario names with one-line titles
bioanchors run NAME [--samples N] [--seed S] [--method M] [--json]
bioanchors audit NAME [--json] [--tolerance T]
bioanchors schema                  JSON Schema of the scenario file format
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Sequence
from typing import Any, TextIO

import pint

from bioanchors.catalog import load_scenario, scenarios
from bioanchors.errors import BioanchorsError
from bioanchors.estimate import format_number
from bioanchors.sampling import METHODS
from bioanchors.scenario import DEFAULT_TOLERANCE, Scenario, ScenarioSpec
from bioanchors.units import format_unit

__all__ = ["main"]

BASELINE_FLOPS = 1e15  # Carlsmith (2020)'s central estimate, the yardstick of the report


def _positive_int(text: str) -> int:
    try:
        value = int(float(text)) if "e" in text.lower() else int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, got {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a number >= 1, got {text!r}")
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}")
    return value


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="bioanchors",
        description="How much computation does it take to match a brain? Uncertain FLOP/s "
        "estimates from cited scenarios.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def sampling_options(command: argparse.ArgumentParser) -> None:
        command.add_argument("--samples", "-n", type=_positive_int, default=100_000)
        command.add_argument("--seed", type=_seed, default=0)

    report = commands.add_parser("report", help="every bundled scenario side by side")
    sampling_options(report)
    report.add_argument("--json", action="store_true", help="print JSON instead of a table")

    commands.add_parser("list", help="scenario names with their titles")

    run = commands.add_parser("run", help="estimate one scenario")
    run.add_argument("name", help="scenario name or path to a .toml file")
    sampling_options(run)
    run.add_argument("--method", choices=METHODS, default="auto")
    run.add_argument("--json", action="store_true")

    audit = commands.add_parser("audit", help="claimed vs recomputed, step by step")
    audit.add_argument("name", help="scenario name or path to a .toml file")
    audit.add_argument("--json", action="store_true")
    audit.add_argument(
        "--tolerance",
        type=float,
        default=DEFAULT_TOLERANCE,
        help="allowed disagreement in orders of magnitude (default %(default)s)",
    )

    commands.add_parser("schema", help="JSON Schema of the scenario file format")
    return parser


def _table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def _audit_flag(scenario: Scenario, samples: int, seed: int) -> tuple[str, list[str]]:
    rows = scenario.audit(n=min(samples, 20_000), seed=seed)
    claimed = [r for r in rows if r.claimed is not None]
    bad = [r.name for r in claimed if not r.ok]
    if not claimed:
        return "no claims", bad
    if not bad:
        return f"{len(claimed)} claims ok", bad
    return f"{len(bad)}/{len(claimed)} off: {', '.join(bad)}", bad


def _report(args: argparse.Namespace, out: TextIO) -> None:
    records: list[dict[str, Any]] = []
    for name in scenarios():
        scenario = load_scenario(name)
        estimate = scenario.estimate(args.samples, seed=args.seed).to("FLOP/s")
        lo, hi = estimate.interval(0.9)
        median = float(estimate.median.magnitude)
        flag, bad = _audit_flag(scenario, args.samples, args.seed)
        records.append(
            {
                "scenario": name,
                "title": scenario.title,
                "unit": "FLOP/s",
                "method": estimate.method,
                "median": median,
                "p5": float(lo.magnitude),
                "p95": float(hi.magnitude),
                "oom_above_1e15": math.log10(median / BASELINE_FLOPS) if median > 0 else None,
                "audit": flag,
                "audit_failures": bad,
            }
        )
    if args.json:
        json.dump({"n": args.samples, "seed": args.seed, "scenarios": records}, out, indent=2)
        out.write("\n")
        return
    rows = [
        [
            r["scenario"],
            format_number(r["median"]),
            f"{format_number(r['p5'])} – {format_number(r['p95'])}",
            "" if r["oom_above_1e15"] is None else f"{r['oom_above_1e15']:+.1f}",
            r["audit"],
        ]
        for r in records
    ]
    out.write(
        f"Brain compute by scenario (FLOP/s; n={args.samples}, seed={args.seed}; "
        "OOM = orders of magnitude above Carlsmith's 1e15)\n\n"
    )
    out.write(_table(["scenario", "median", "90% interval", "OOM", "audit"], rows, {1, 3}))
    out.write("\n")


def _list(out: TextIO) -> None:
    rows = [[name, load_scenario(name).title] for name in scenarios()]
    out.write(_table(["scenario", "title"], rows, set()) + "\n")


def _run(args: argparse.Namespace, out: TextIO) -> None:
    scenario = load_scenario(args.name)
    estimate = scenario.estimate(args.samples, seed=args.seed, method=args.method)
    if args.json:
        record = {
            "scenario": scenario.name,
            "unit": format_unit(estimate.unit),
            "n": estimate.n,
            "seed": estimate.seed,
            "method": estimate.method,
            "percentiles": {str(q): float(estimate.percentile(q).magnitude) for q in (5, 50, 95)},
            "mean": float(estimate.mean.magnitude),
        }
        json.dump(record, out, indent=2)
        out.write("\n")
        return
    out.write(f"{scenario.name}: {scenario.title}\n{estimate}\n")
    out.write(f"method={estimate.method} n={estimate.n} seed={estimate.seed}\n")


def _audit(args: argparse.Namespace, out: TextIO) -> None:
    if not (math.isfinite(args.tolerance) and args.tolerance >= 0):
        raise BioanchorsError(f"--tolerance must be a number >= 0, got {args.tolerance}")
    scenario = load_scenario(args.name)
    rows = scenario.audit(tolerance=args.tolerance)
    if args.json:
        json.dump({"scenario": scenario.name, "steps": [r.to_dict() for r in rows]}, out, indent=2)
        out.write("\n")
        return
    table = [
        [
            r.name,
            r.unit,
            "" if r.claimed is None else format_number(r.claimed),
            format_number(r.recomputed),
            "" if r.ratio is None else f"{r.ratio:.3g}",
            "ok" if r.ok else "MISMATCH",
        ]
        for r in rows
    ]
    out.write(f"Audit of {scenario.name} (tolerance {args.tolerance} orders of magnitude)\n\n")
    out.write(
        _table(["step", "unit", "claimed", "recomputed", "ratio", ""], table, {2, 3, 4}) + "\n"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input or failure)."""
    args = _parser().parse_args(argv)
    out = sys.stdout
    try:
        if args.command == "report":
            _report(args, out)
        elif args.command == "list":
            _list(out)
        elif args.command == "run":
            _run(args, out)
        elif args.command == "audit":
            _audit(args, out)
        else:
            json.dump(ScenarioSpec.model_json_schema(), out, indent=2)
            out.write("\n")
    except (BioanchorsError, pint.PintError, OSError) as error:
        print(f"bioanchors: error: {error}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
