"""The ``bioanchors`` command (also ``python -m bioanchors``); a thin layer over the public API.

bioanchors report      every bundled scenario side by side [--format F] [--scenarios NAME ...]
bioanchors list        scenario names with one-line titles
bioanchors run NAME    estimate one scenario [--method M] [--json]
bioanchors audit NAME  claimed vs recomputed, step by step [--tolerance T] [--json]
bioanchors plot        a forest, CDF, tornado or audit figure: [NAME ...] --out FILE.png [--kind K]
bioanchors timelines   TAI timelines with each brain scenario swapped in [--brain S ...] [--json]
bioanchors schema      JSON Schema of a file format: scenario (the default) or anchors

``report``, ``run``, ``plot`` and ``timelines`` take ``--samples N`` and ``--seed S``;
``report`` and ``timelines`` also ``--plot FILE.png``. Each command is a ``_name(args, out)``
function registered with ``set_defaults(handler=...)`` in :func:`_parser`: adding one is a
function and its ``add_parser`` lines.
"""

from __future__ import annotations

import argparse
import contextlib
import decimal
import importlib.util
import io
import math
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn, TextIO, cast

import pint

import bioanchors as ba
from bioanchors import catalog
from bioanchors._cli_io import FallbackWriter, sanitize_json_text, write_json
from bioanchors._format import text_table
from bioanchors._typing import METHODS
from bioanchors.estimate import format_number
from bioanchors.plots import PLOT_KINDS
from bioanchors.report import FORMATS, chunk_progress, format_report, report_rows

if TYPE_CHECKING:
    from bioanchors import Scenario

__all__ = ["main"]

Handler = Callable[[argparse.Namespace, TextIO], None]
"""What a command runs: the parsed arguments and the stream to print to."""

_PLOT_HINT = "plotting needs matplotlib: pip install 'bioanchors[plot]'"
_SCHEMAS = ("scenario", "anchors")


class _Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line: ``bioanchors run: error: ...`` (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _count(text: str) -> int:
    """A whole number of samples in [1, 10**12]: ``100000``, ``1e6`` or ``100_000``.

    Parsed exactly (:class:`decimal.Decimal`), so ``1e400``, ``inf``, ``nan`` and ``1.5`` are
    refused, and so is anything above the engine's ceiling before anything is allocated.
    """
    wanted = f"must be a whole number of samples from 1 to 10**12 (1e12), got {text!r}"
    try:
        value = decimal.Decimal(text.strip())
    except decimal.InvalidOperation:
        raise argparse.ArgumentTypeError(wanted) from None
    if not value.is_finite() or not 1 <= value <= catalog.MAX_SAMPLES:
        raise argparse.ArgumentTypeError(wanted)
    if value != value.to_integral_value():
        raise argparse.ArgumentTypeError(wanted)
    return int(value)


def _tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(
            f"must be a finite number of orders of magnitude >= 0, got {text!r}"
        )
    return value


def _seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}")
    return value


def _sampling_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--samples",
        "-n",
        type=_count,
        default=100_000,
        help="number of samples, a whole number up to 10**12 (1e6 is fine)",
    )
    command.add_argument("--seed", type=_seed, default=0)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="bioanchors",
        description="How much computation does it take to match a brain? Uncertain FLOP/s "
        "estimates from cited scenarios.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    report = commands.add_parser("report", help="every bundled scenario side by side")
    _sampling_options(report)
    report.add_argument("--format", choices=FORMATS, default="text")
    report.add_argument("--json", action="store_true", help="the same as --format json")
    report.add_argument(
        "--scenarios", nargs="+", metavar="NAME", help="only these scenarios (names or paths)"
    )
    report.add_argument("--plot", metavar="FILE.png", help="also write the forest plot here")
    report.set_defaults(handler=_report)

    plot = commands.add_parser("plot", help="draw scenarios as a figure")
    plot.add_argument("names", nargs="*", metavar="NAME", help="scenarios (default: all)")
    plot.add_argument("--out", required=True, metavar="FILE.png")
    plot.add_argument("--kind", choices=PLOT_KINDS, default="forest")
    _sampling_options(plot)
    plot.set_defaults(handler=_plot)

    listing = commands.add_parser("list", help="scenario names with their frames and titles")
    listing.set_defaults(handler=_list)

    run = commands.add_parser("run", help="estimate one scenario")
    run.add_argument("name", help="scenario name or path to a .toml file")
    _sampling_options(run)
    run.add_argument("--method", choices=METHODS, default="auto")
    run.add_argument("--json", action="store_true")
    run.set_defaults(handler=_run)

    audit = commands.add_parser("audit", help="claimed vs recomputed, step by step")
    audit.add_argument("name", help="scenario name or path to a .toml file")
    audit.add_argument("--json", action="store_true")
    audit.add_argument(
        "--tolerance",
        type=_tolerance,
        default=catalog.DEFAULT_TOLERANCE,
        help="allowed disagreement in orders of magnitude (default %(default)s)",
    )
    audit.set_defaults(handler=_audit)

    timelines = commands.add_parser(
        "timelines",
        help="TAI timelines (Cotra 2020) with each brain-compute scenario swapped in",
        description="Swap each brain-compute scenario into Cotra's (2020) biological anchors "
        "and compare the TAI timelines with her own brain input (log10 FLOP/s ~ N(15, 1.5)).",
    )
    timelines.add_argument(
        "--brain",
        nargs="+",
        metavar="SCENARIO",
        help="scenario names or .toml paths; NAME:claimed for a scenario's claimed output "
        "(default: every scenario, plus NAME:claimed where one claims its output, such as "
        "kokotajlod-2021:claimed)",
    )
    timelines.add_argument(
        "--anchors", metavar="FILE", help="anchor parameters (default: bundled cotra-2020.toml)"
    )
    _sampling_options(timelines)
    timelines.add_argument("--json", action="store_true", help="print JSON instead of a table")
    timelines.add_argument("--plot", metavar="FILE.png", help="also save a figure of the CDFs")
    timelines.set_defaults(handler=_timelines)

    schema = commands.add_parser(
        "schema", help="JSON Schema of the scenario (or anchors) file format"
    )
    schema.add_argument(
        "file_format",
        nargs="?",
        choices=_SCHEMAS,
        default="scenario",
        help="scenario files (the default) or the timelines anchors file",
    )
    schema.set_defaults(handler=_schema)
    return parser


def _chosen(names: Sequence[str] | None) -> list[Scenario]:
    return [catalog.load_scenario(name) for name in (names or catalog.scenarios())]


def _check_output(path: str) -> Path:
    target = Path(path)
    if not target.parent.is_dir():
        raise ba.BioanchorsError(
            f"cannot write {path!r}: the folder {str(target.parent)!r} does not exist"
        )
    if target.suffix.lower() not in (".png", ".svg", ".pdf", ".jpg", ".jpeg"):
        raise ba.BioanchorsError(f"cannot write {path!r}: use a .png, .svg, .pdf or .jpg file name")
    if importlib.util.find_spec("matplotlib") is None:  # say so before any sampling
        raise ba.BioanchorsError(f"cannot write {path!r}: {_PLOT_HINT}")
    return target


def _report(args: argparse.Namespace, out: TextIO) -> None:
    plot_path = _check_output(args.plot) if args.plot else None
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
        forest_plot(labelled, references=catalog.references()).savefig(plot_path, dpi=150)


def _plot(args: argparse.Namespace, out: TextIO) -> None:
    path = _check_output(args.out)
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
        labelled = plots.scenario_estimates(chosen, n=args.samples, seed=args.seed)
        if args.kind == "forest":
            figure = plots.forest_plot(labelled, references=catalog.references())
        else:
            figure = plots.cdf_plot(labelled, title="Brain compute by scenario")
    figure.savefig(path, dpi=150)


def _timelines(args: argparse.Namespace, out: TextIO) -> None:
    from bioanchors.timelines import compare_brains, timelines_table

    plot_path = _check_output(args.plot) if args.plot else None
    forecasts = compare_brains(args.brain, anchors=args.anchors, n=args.samples, seed=args.seed)
    out.write(timelines_table(forecasts, "json" if args.json else "text") + "\n")
    if plot_path is not None:
        from bioanchors.plots import plot_timelines

        plot_timelines(forecasts).savefig(plot_path, dpi=150)


def _list(args: argparse.Namespace, out: TextIO) -> None:
    loaded = [catalog.load_scenario(name) for name in catalog.scenarios()]
    rows = [[sc.name, sc.frame, sc.title] for sc in loaded]
    out.write(text_table(["scenario", "frame", "title"], rows, set()) + "\n")


def _run(args: argparse.Namespace, out: TextIO) -> None:
    scenario = catalog.load_scenario(args.name)
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
    out.write(f"method={estimate.method} n={estimate.n} seed={estimate.seed}\n")


def _audit(args: argparse.Namespace, out: TextIO) -> None:
    scenario = catalog.load_scenario(args.name)
    rows = scenario.audit(tolerance=args.tolerance)
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
    else:
        write_json(catalog.scenario_schema(), out)


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input or failure).

    Output goes to ``out`` (default ``sys.stdout``); characters it cannot encode (an ASCII-only
    locale) become ASCII fallbacks, "–" -> "-". A missing or closed standard output is a
    one-line error (exit 2); a reader that goes away (``bioanchors report | head -1``) ends the
    command silently with exit code 1.
    """
    args = _parser().parse_args(argv)
    handler: Handler = args.handler
    stream = sys.stdout if out is None else out
    if stream is None or getattr(stream, "closed", False):
        _say("bioanchors: error: standard output is closed or missing; nothing can be printed")
        return 2
    writer = cast(TextIO, FallbackWriter(stream))
    try:
        handler(args, writer)
        writer.flush()  # so that a closed pipe is noticed here, not at interpreter exit
    except BrokenPipeError:
        # The reader went away (e.g. `bioanchors report | head`): stop quietly, and point the
        # standard output at /dev/null so that Python's flush at exit does not complain.
        _silence(stream)
        return 1
    except (ba.BioanchorsError, pint.PintError, OSError, ImportError) as error:
        _say(f"bioanchors: error: {error}")
        return 2
    except KeyboardInterrupt:
        _say("bioanchors: interrupted")
        return 130
    except Exception as error:  # a bug: say so in one line (BIOANCHORS_DEBUG=1 shows the trace)
        if os.environ.get("BIOANCHORS_DEBUG"):
            raise
        _say(
            f"bioanchors: internal error: {type(error).__name__}: {error} (this is a bug; "
            "rerun with BIOANCHORS_DEBUG=1 for the traceback and please report it)"
        )
        return 1
    return 0


def _say(message: str) -> None:
    """One line to standard error, if there is one that still works."""
    if sys.stderr is None:  # print(file=None) would write to standard output
        return
    with contextlib.suppress(AttributeError, ValueError, OSError):
        print(message, file=sys.stderr)


def _silence(stream: TextIO) -> None:
    with contextlib.suppress(AttributeError, ValueError, OSError):  # not a real file (tests)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, stream.fileno())
        os.close(devnull)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
