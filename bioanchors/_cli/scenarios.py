"""The scenario subcommands: ``report``, ``plot``, ``list``, ``run``, ``audit`` and ``schema``."""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import bioanchors as ba
from bioanchors import catalog
from bioanchors._cli.args import (
    METHOD_HELP,
    Commands,
    count,
    examples,
    sampling_options,
    seed,
    tolerance,
)
from bioanchors._cli.formats import (
    OUTPUT_NAMES,
    add_format_option,
    chosen_format,
    json_text,
    output_model,
)
from bioanchors._cli.names import load, refuse_claimed
from bioanchors._cli.output import PLOT_HINT, check_output
from bioanchors._cli.sweep import add_set_option, with_settings
from bioanchors._cli.views import show_audit, show_run, show_waterfall
from bioanchors._cli_io import ProgressBar, write_json
from bioanchors._format import text_table
from bioanchors._scenarios.catalog import load_or_skip
from bioanchors._typing import METHODS
from bioanchors.plots import PLOT_KINDS
from bioanchors.report import format_report, report_record, report_rows

if TYPE_CHECKING:
    from bioanchors import Scenario, StepAudit

__all__ = ["add_parsers"]

_SCHEMAS = ("scenario", "anchors", "references", *OUTPUT_NAMES)
"""File formats, then the JSON each results command prints (docs/json-output.md)."""
_NAME_HELP = "scenario name or path to a .toml file; NAME:claimed for its claimed output value"


def add_parsers(commands: Commands) -> None:
    """Add the scenario subcommands."""
    report = commands.add_parser(
        "report",
        help="every bundled scenario side by side",
        description="Estimate and audit every scenario (or those given with --scenarios) with the "
        "same samples and seed, and print them side by side, grouped by frame: each one's median "
        "and 90% interval in FLOP/s, how many orders of magnitude it sits above 1e15 FLOP/s, "
        "the chance it exceeds 1e21 FLOP/s, and whether its claimed values survive an audit.",
        epilog=examples(
            "bioanchors report",
            "bioanchors report --format markdown --scenarios kokotajlod-2021 moravec-1998",
            "bioanchors report -n 1e6 --plot forest.png",
        ),
    )
    sampling_options(report)
    add_format_option(report)
    report.add_argument("--json", action="store_true", help="the same as --format json")
    report.add_argument(
        "--scenarios",
        nargs="+",
        metavar="NAME",
        help="only these scenarios (names, paths or NAME:claimed; default: every scenario)",
    )
    report.add_argument("--plot", metavar="FILE.png", help="also write the forest plot here")
    report.add_argument(
        "--html",
        metavar="FILE.html",
        help="instead: write a self-contained HTML report here (tables, figures, citations)",
    )
    report.set_defaults(handler=_report)

    plot = commands.add_parser(
        "plot",
        help="draw scenarios as a figure",
        description="Draw scenarios as a figure and save it (.png, .svg, .pdf or .jpg): a forest "
        "plot of medians and 90% intervals beside published reference points, their CDFs, or, "
        "for one scenario, a tornado chart of what drives it or its audit, claimed against "
        "recomputed step by step.",
        epilog=examples(
            "bioanchors plot --out forest.png",
            "bioanchors plot carlsmith-2020-mechanistic --kind tornado --out tornado.png",
        ),
    )
    plot.add_argument(
        "names",
        nargs="*",
        metavar="NAME",
        help="scenarios: names, paths or NAME:claimed (default: every scenario)",
    )
    plot.add_argument(
        "--out", required=True, metavar="FILE.png", help="the figure file to write (required)"
    )
    plot.add_argument(
        "--kind",
        choices=PLOT_KINDS,
        default="forest",
        help="forest or cdf for several scenarios; tornado or audit for one",
    )
    sampling_options(plot)
    plot.set_defaults(handler=_plot)

    listing = commands.add_parser(
        "list",
        help="scenario names with their frames and titles",
        description="List every scenario the catalog finds (bundled, and on BIOANCHORS_PATH) with "
        "its frame (what its number measures: emulation, functional or bound) and its title; a "
        "file that cannot be loaded is named at the end.",
        epilog=examples("bioanchors list"),
    )
    listing.set_defaults(handler=_list)

    run = commands.add_parser(
        "run",
        help="estimate one scenario",
        description="Estimate one scenario: its output's median and 90% interval, with the "
        "method (closed form or sampling), samples, seed and frame that produced it. --set "
        "replaces an input step for this run only.",
        epilog=examples(
            "bioanchors run kokotajlod-2021",
            "bioanchors run kokotajlod-2021:claimed",
            "bioanchors run carlsmith-2020-mechanistic --method qmc -n 1e6 --json",
        ),
    )
    run.add_argument("name", help=_NAME_HELP)
    sampling_options(run)
    run.add_argument("--method", choices=METHODS, default="auto", help=METHOD_HELP)
    run.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    add_format_option(run)
    add_set_option(run)
    run.set_defaults(handler=_run)

    audit = commands.add_parser(
        "audit",
        help="claimed vs recomputed, step by step",
        description="Recompute every step of a scenario's derivation and compare it with the "
        "value its source claims: the ratio, and MISMATCH where they differ by more than the "
        "tolerance. With --strict the exit code is 1 when any claim mismatches, so a CI job can "
        "check your own scenario files.",
        epilog=examples(
            "bioanchors audit kokotajlod-2021",
            "bioanchors audit kokotajlod-2021 --strict",
            "bioanchors audit kokotajlod-2021 --waterfall",
        ),
    )
    audit.add_argument("name", help="scenario name or path to a .toml file")
    audit.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    add_format_option(audit)
    audit.add_argument(
        "--tolerance",
        type=tolerance,
        default=catalog.DEFAULT_TOLERANCE,
        help="allowed disagreement in orders of magnitude",
    )
    audit.add_argument(
        "--strict",
        action="store_true",
        help="exit with code 1 when any claim mismatches (0 when all agree), to gate a CI job",
    )
    audit.add_argument(
        "--waterfall",
        action="store_true",
        help="instead: the running median along the output's chain, factor by factor",
    )
    audit.add_argument(
        "--samples",
        "-n",
        type=count,
        default=20_000,
        metavar="N",
        help="samples of the joint draw of the steps",
    )
    audit.add_argument("--seed", type=seed, default=0, metavar="S", help="random seed, >= 0")
    audit.set_defaults(handler=_audit)

    schema = commands.add_parser(
        "schema",
        help="JSON Schema of a file format, or of a command's --format json output",
        description="Print the JSON Schema of a file format: every field, its type and what it "
        "means. Editors use it to check and complete scenario files as you write them. The "
        "name of a results command (report, run, audit, waterfall, sweep, timelines, "
        "timelines-compare) gives the schema of what its --format json prints "
        "(docs/json-output.md describes them).",
        epilog=examples(
            "bioanchors schema", "bioanchors schema anchors", "bioanchors schema timelines"
        ),
    )
    schema.add_argument(
        "file_format",
        nargs="?",
        choices=_SCHEMAS,
        default="scenario",
        help="scenario files, the timelines anchors file, the reference points file "
        "(references.toml), or a command's JSON output (report, run, audit, waterfall, sweep, "
        "timelines, timelines-compare)",
    )
    schema.set_defaults(handler=_schema)


def _chosen(names: Sequence[str] | None) -> list[Scenario]:
    if names:
        return [load(name) for name in names]
    loaded = (load_or_skip(name) for name in catalog.scenarios())  # a broken user file: skipped
    return [scenario for scenario in loaded if scenario is not None]


def _report(args: argparse.Namespace, out: TextIO) -> None:
    if args.html:
        _html_report(args, out)
        return
    plot_path = check_output(args.plot) if args.plot else None
    chosen = _chosen(args.scenarios)
    with ProgressBar("estimating", unit="scenario", quiet=args.quiet) as bar:
        rows, estimates = report_rows(chosen, n=args.samples, seed=args.seed, progress=bar)
    fmt = chosen_format(args)
    if fmt == "json":  # never NaN or Infinity in what the command prints
        record = report_record(rows, n=args.samples, seed=args.seed)
        out.write(json_text(record, output_model("report")))
    else:
        format_report(rows, fmt, n=args.samples, seed=args.seed, out=out)
    if plot_path is not None:
        from bioanchors.plots import forest_plot, scenario_claims

        labelled = [(row.scenario, est) for row, est in zip(rows, estimates, strict=True)]
        frames = {row.scenario: row.frame for row in rows}
        figure = forest_plot(
            labelled,
            references=catalog.references(),
            frames=frames,
            claims=scenario_claims(chosen),
        )
        figure.savefig(plot_path, dpi=150)


def _html_report(args: argparse.Namespace, out: TextIO) -> None:
    target = Path(args.html)  # checked before any sampling, as a figure's path is
    if target.suffix.lower() not in (".html", ".htm"):
        raise ba.BioanchorsError(f"cannot write {args.html!r}: use a .html file name")
    if not target.parent.is_dir():
        folder = str(target.parent)
        raise ba.BioanchorsError(f"cannot write {args.html!r}: no folder {folder!r}")
    if importlib.util.find_spec("matplotlib") is None:
        raise ba.BioanchorsError(f"cannot write {args.html!r}: {PLOT_HINT}")
    from bioanchors.html_report import write_html_report

    chosen = _chosen(args.scenarios)
    names = f" --scenarios {' '.join(args.scenarios)}" if args.scenarios else ""
    command = f"bioanchors report --html {args.html} -n {args.samples} --seed {args.seed}{names}"
    write_html_report(args.html, chosen, n=args.samples, seed=args.seed, command=command)
    out.write(f"wrote {args.html}: {len(chosen)} scenarios (n={args.samples}, seed={args.seed})\n")


def _plot(args: argparse.Namespace, out: TextIO) -> None:
    path = check_output(args.out)
    if args.kind in ("tornado", "audit"):
        for name in args.names:
            refuse_claimed(name, f"a{'n' if args.kind == 'audit' else ''} {args.kind} plot")
    chosen = _chosen(args.names)
    from bioanchors import plots

    if args.kind in ("tornado", "audit"):
        if len(chosen) != 1:
            got = f"got {len(chosen)}" if args.names else "none was named, so every one was"
            raise ba.BioanchorsError(
                f"--kind {args.kind} draws one scenario; {got}: name one, e.g. "
                f"'bioanchors plot carlsmith-2020-mechanistic --kind {args.kind} --out {args.out}'"
            )
        scenario = chosen[0]
        if args.kind == "tornado":
            table = ba.sensitivity(scenario.output, n=args.samples, seed=args.seed)
            figure = plots.tornado_plot(table, title=f"{scenario.name}: what drives it")
        else:
            figure = plots.audit_plot(scenario.audit(), title=f"Audit of {scenario.name}")
    else:
        chosen = sorted(chosen, key=lambda sc: ba.FRAMES.index(sc.frame))  # grouped by frame
        labelled = plots.scenario_estimates(chosen, n=args.samples, seed=args.seed)
        frames = plots.scenario_frames(chosen)
        if args.kind == "forest":
            references = catalog.references()
            claims = plots.scenario_claims(chosen)
            figure = plots.forest_plot(
                labelled, references=references, frames=frames, claims=claims
            )
        else:
            title = "Brain compute by scenario"
            figure = plots.cdf_plot(labelled, title=title, frames=frames)
    figure.savefig(path, dpi=150)


def _list(args: argparse.Namespace, out: TextIO) -> None:
    rows = []
    for name in catalog.scenarios():
        scenario = load_or_skip(name)  # a broken user file: one warning line, the rest listed
        if scenario is not None:
            rows.append([scenario.name, scenario.frame, scenario.title])
    out.write(text_table(["scenario", "frame", "title"], rows, set()) + "\n")


def _run(args: argparse.Namespace, out: TextIO) -> None:
    scenario = with_settings(
        load(args.name, refuse="--set" if args.settings else None), args.settings
    )
    with ProgressBar(f"sampling {scenario.name}", quiet=args.quiet) as bar:
        estimate = scenario.estimate(args.samples, seed=args.seed, method=args.method, progress=bar)
    show_run(scenario, estimate, chosen_format(args), out)


def _strict_code(args: argparse.Namespace, rows: Sequence[StepAudit]) -> int:
    """1 (and a line on standard error) when ``--strict`` and a claim mismatches, else 0."""
    failed = [row.name for row in rows if row.claimed is not None and not row.ok]
    if not (args.strict and failed):
        return 0
    claims = sum(row.claimed is not None for row in rows)
    print(
        f"bioanchors audit: {len(failed)} of {claims} claims mismatch ({', '.join(failed)}); "
        "--strict: exit code 1",
        file=sys.stderr,
    )
    return 1


def _audit(args: argparse.Namespace, out: TextIO) -> int:
    if args.strict and args.waterfall:
        raise ba.BioanchorsError(
            "--strict checks the audit's claims; --waterfall shows no claims (use one of them)"
        )
    scenario = load(args.name, refuse="audit")
    if args.waterfall:
        waterfall = scenario.waterfall(n=args.samples, seed=args.seed)
        show_waterfall(scenario, waterfall, chosen_format(args), out)
        return 0
    rows = scenario.audit(tolerance=args.tolerance, n=args.samples, seed=args.seed)
    show_audit(
        scenario,
        rows,
        tolerance=args.tolerance,
        n=args.samples,
        seed=args.seed,
        fmt=chosen_format(args),
        out=out,
    )
    return _strict_code(args, rows)


def _schema(args: argparse.Namespace, out: TextIO) -> None:
    if args.file_format == "anchors":
        from bioanchors.timelines import anchors_schema

        write_json(anchors_schema(), out)
    elif args.file_format == "references":
        write_json(catalog.references_schema(), out)
    elif args.file_format in OUTPUT_NAMES:
        write_json(output_model(args.file_format).model_json_schema(), out)
    else:
        write_json(catalog.scenario_schema(), out)
