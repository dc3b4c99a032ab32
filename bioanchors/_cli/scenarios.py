"""The scenario subcommands: ``report``, ``plot``, ``list``, ``run``, ``audit`` and ``schema``."""

from __future__ import annotations

import argparse
import importlib.util
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

import bioanchors as ba
from bioanchors import catalog
from bioanchors._cli.args import Commands, count, sampling_options, seed, tolerance
from bioanchors._cli.output import PLOT_HINT, check_output
from bioanchors._cli.sweep import add_set_option, with_settings
from bioanchors._cli_io import sanitize_json_text, write_json
from bioanchors._format import text_table
from bioanchors._scenarios.catalog import load_or_skip
from bioanchors._typing import METHODS
from bioanchors.estimate import format_number
from bioanchors.plots import PLOT_KINDS
from bioanchors.report import FORMATS, chunk_progress, format_report, report_rows

if TYPE_CHECKING:
    from bioanchors import Scenario

__all__ = ["add_parsers"]

_SCHEMAS = ("scenario", "anchors", "references")


def add_parsers(commands: Commands) -> None:
    """Add the scenario subcommands."""
    report = commands.add_parser("report", help="every bundled scenario side by side")
    sampling_options(report)
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--json", action="store_true", help="the same as --format json")
    report.add_argument(
        "--scenarios", nargs="+", metavar="NAME", help="only these scenarios (names or paths)"
    )
    report.add_argument("--plot", metavar="FILE.png", help="also write the forest plot here")
    report.add_argument(
        "--html",
        metavar="FILE.html",
        help="instead: write a self-contained HTML report here (tables, figures, citations)",
    )
    report.set_defaults(handler=_report)

    plot = commands.add_parser("plot", help="draw scenarios as a figure")
    plot.add_argument("names", nargs="*", metavar="NAME", help="scenarios (default: all)")
    plot.add_argument("--out", required=True, metavar="FILE.png")
    plot.add_argument("--kind", choices=PLOT_KINDS, default="forest")
    sampling_options(plot)
    plot.set_defaults(handler=_plot)

    listing = commands.add_parser("list", help="scenario names with their frames and titles")
    listing.set_defaults(handler=_list)

    run = commands.add_parser("run", help="estimate one scenario")
    run.add_argument("name", help="scenario name or path to a .toml file")
    sampling_options(run)
    run.add_argument("--method", choices=METHODS, default="auto")
    run.add_argument("--json", action="store_true")
    add_set_option(run)
    run.set_defaults(handler=_run)

    audit = commands.add_parser("audit", help="claimed vs recomputed, step by step")
    audit.add_argument("name", help="scenario name or path to a .toml file")
    audit.add_argument("--json", action="store_true")
    audit.add_argument(
        "--tolerance",
        type=tolerance,
        default=catalog.DEFAULT_TOLERANCE,
        help="allowed disagreement in orders of magnitude (default %(default)s)",
    )
    audit.add_argument(
        "--waterfall",
        action="store_true",
        help="instead: the running median along the output's chain, factor by factor",
    )
    audit.add_argument(
        "--samples", "-n", type=count, default=20_000, help="samples of the joint draw"
    )
    audit.add_argument("--seed", type=seed, default=0)
    audit.set_defaults(handler=_audit)

    schema = commands.add_parser(
        "schema", help="JSON Schema of the scenario (or anchors) file format"
    )
    schema.add_argument(
        "file_format",
        nargs="?",
        choices=_SCHEMAS,
        default="scenario",
        help="scenario files (the default), the timelines anchors file, or the reference "
        "points file (references.toml)",
    )
    schema.set_defaults(handler=_schema)


def _chosen(names: Sequence[str] | None) -> list[Scenario]:
    if names:
        return [catalog.load_scenario(name) for name in names]
    loaded = (load_or_skip(name) for name in catalog.scenarios())  # a broken user file: skipped
    return [scenario for scenario in loaded if scenario is not None]


def _report(args: argparse.Namespace, out: TextIO) -> None:
    if args.html:
        _html_report(args, out)
        return
    plot_path = check_output(args.plot) if args.plot else None
    chosen = _chosen(args.scenarios)
    rows, estimates = report_rows(chosen, n=args.samples, seed=args.seed)
    fmt = "json" if args.json else args.format
    if fmt == "json":  # never NaN or Infinity in what the command prints
        buffer = io.StringIO()
        format_report(rows, fmt, n=args.samples, seed=args.seed, out=buffer)
        out.write(sanitize_json_text(buffer.getvalue()))
    else:
        format_report(rows, fmt, n=args.samples, seed=args.seed, out=out)
    if plot_path is not None:
        from bioanchors.plots import forest_plot

        labelled = [(row.scenario, est) for row, est in zip(rows, estimates, strict=True)]
        frames = {row.scenario: row.frame for row in rows}
        figure = forest_plot(labelled, references=catalog.references(), frames=frames)
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
    chosen = _chosen(args.names)
    from bioanchors import plots

    if args.kind in ("tornado", "audit"):
        if len(chosen) != 1:
            raise ba.BioanchorsError(f"a {args.kind} plot shows one scenario; got {len(chosen)}")
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
            figure = plots.forest_plot(labelled, references=references, frames=frames)
        else:
            title = "Brain compute by scenario"
            figure = plots.cdf_plot(labelled, title=title, frames=frames)
    figure.savefig(path, dpi=150)


def _list(args: argparse.Namespace, out: TextIO) -> None:
    rows, broken = [], []
    for name in catalog.scenarios():
        try:
            scenario = catalog.load_scenario(name)
        except ba.ScenarioError as error:  # one bad user file does not hide the others
            broken.append(str(error))
            continue
        rows.append([scenario.name, scenario.frame, scenario.title])
    out.write(text_table(["scenario", "frame", "title"], rows, set()) + "\n")
    if broken:
        count = f"{len(broken)} scenario file{'s' if len(broken) > 1 else ''}"
        raise ba.ScenarioError(f"{count} could not be loaded: " + "; ".join(broken))


def _run(args: argparse.Namespace, out: TextIO) -> None:
    scenario = with_settings(catalog.load_scenario(args.name), args.settings)
    estimate = scenario.estimate(
        args.samples,
        seed=args.seed,
        method=args.method,
        progress=chunk_progress(f"sampling {scenario.name}"),
    )
    if args.json:
        write_json({"scenario": scenario.name, **estimate.to_dict()}, out)
        return
    out.write(f"{scenario.name}: {scenario.title}\n{estimate}\n")
    out.write(
        f"method={estimate.method} n={estimate.n} seed={estimate.seed} frame={scenario.frame}\n"
    )


def _audit(args: argparse.Namespace, out: TextIO) -> None:
    scenario = catalog.load_scenario(args.name)
    if args.waterfall:
        waterfall = scenario.waterfall(n=args.samples, seed=args.seed)
        if args.json:
            write_json({"frame": scenario.frame, **waterfall.to_dict()}, out)
        else:
            out.write(f"{waterfall}\n")
        return
    rows = scenario.audit(tolerance=args.tolerance, n=args.samples, seed=args.seed)
    if args.json:
        write_json({"scenario": scenario.name, "steps": [r.to_dict() for r in rows]}, out)
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
    headers = ["step", "unit", "claimed", "recomputed", "ratio", ""]
    out.write(text_table(headers, table, {2, 3, 4}) + "\n")


def _schema(args: argparse.Namespace, out: TextIO) -> None:
    if args.file_format == "anchors":
        from bioanchors.timelines import anchors_schema

        write_json(anchors_schema(), out)
    elif args.file_format == "references":
        write_json(catalog.references_schema(), out)
    else:
        write_json(catalog.scenario_schema(), out)
