"""The ``timelines`` subcommand: TAI timelines with each brain-compute scenario swapped in."""

from __future__ import annotations

import argparse
from typing import TextIO

from bioanchors._cli.args import Commands, sampling_options
from bioanchors._cli.output import check_output

__all__ = ["add_parsers"]


def add_parsers(commands: Commands) -> None:
    """Add ``timelines`` to the subcommands."""
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
    sampling_options(timelines)
    timelines.add_argument("--json", action="store_true", help="print JSON instead of a table")
    timelines.add_argument("--plot", metavar="FILE.png", help="also save a figure of the CDFs")
    timelines.set_defaults(handler=_timelines)


def _timelines(args: argparse.Namespace, out: TextIO) -> None:
    from bioanchors.timelines import compare_brains, timelines_table

    plot_path = check_output(args.plot) if args.plot else None
    forecasts = compare_brains(args.brain, anchors=args.anchors, n=args.samples, seed=args.seed)
    out.write(timelines_table(forecasts, "json" if args.json else "text") + "\n")
    if plot_path is not None:
        from bioanchors.plots import plot_timelines

        plot_timelines(forecasts).savefig(plot_path, dpi=150)
