"""The ``timelines`` subcommand: TAI timelines with each brain-compute scenario swapped in.

``--penalty auto|cotra|ORDERS`` picks the model penalty (default ``auto``: by each scenario's
frame) and ``--log10-flop-per-param cotra|emulation|auto|LOG10`` how parameter counts are inferred
(see :mod:`bioanchors.timelines.swap`). ``--set SECTION.FIELD=VALUE`` (repeatable) makes an
anchors variant from the command line, named by its changes, and ``--compare-anchors [FILE]``
shows the same brains under the default anchors and the variant side by side
(:mod:`bioanchors._cli.anchors`).
"""

from __future__ import annotations

import argparse
import itertools
import math
from collections.abc import Sequence
from typing import TextIO

from bioanchors._cli.anchors import COMPARE_YEARS, compare_anchors, variant_from_args
from bioanchors._cli.args import Commands, examples, sampling_options
from bioanchors._cli.formats import add_format_option, chosen_format
from bioanchors._cli.output import check_output
from bioanchors._cli.timelines_out import show_comparison, show_timelines
from bioanchors._cli_io import ProgressBar
from bioanchors.errors import BioanchorsError
from bioanchors.timelines import TaiForecast
from bioanchors.timelines._text import TABLE_YEARS

__all__ = ["add_parsers", "flop_per_param_arg", "penalty_arg", "year_arg"]


def _orders(text: str, wanted: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and -20.0 <= value <= 20.0):
        raise argparse.ArgumentTypeError(wanted)
    return value


def penalty_arg(text: str) -> str | float:
    """``auto``, ``cotra`` (or ``model``), or a number of orders of magnitude in [-20, 20]."""
    if text in ("auto", "cotra", "model"):
        return text
    return _orders(text, f"expected auto, cotra or a number of orders of magnitude, got {text!r}")


def flop_per_param_arg(text: str) -> str | float:
    """``cotra``, ``emulation``, ``auto``, or a log10 number in [-20, 20]."""
    if text in ("cotra", "emulation", "auto"):
        return text
    return _orders(text, f"expected cotra, emulation, auto or a log10 number, got {text!r}")


def add_parsers(commands: Commands) -> None:
    """Add ``timelines`` to the subcommands."""
    timelines = commands.add_parser(
        "timelines",
        help="TAI timelines (Cotra 2020) with each brain-compute scenario swapped in",
        description="Swap each brain-compute scenario into Cotra's (2020) biological anchors "
        "and compare the TAI timelines with her own brain input (log10 FLOP/s ~ N(15, 1.5)): "
        "each brain's frame, the model penalty it gets, its median TAI year, the shift against "
        "hers and P(TAI by each year of --years: 2040 and 2050 unless told). --set and "
        "--compare-anchors change the anchors.",
        epilog=examples(
            "bioanchors timelines",
            "bioanchors timelines --brain kokotajlod-2021 kokotajlod-2021:claimed",
            "bioanchors timelines --set affordability.hardware_halving_time_years=1.5 "
            "--compare-anchors",
        ),
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
        "--anchors",
        metavar="FILE",
        help="anchor parameters (default: bundled cotra-2020.toml); a variant file may say "
        'extends = "cotra-2020" and give only what changes, each with its own citation',
    )
    timelines.add_argument(
        "--set",
        action="append",
        metavar="SECTION.FIELD=VALUE",
        help="change one anchors parameter, e.g. affordability.hardware_halving_time_years=1.5 "
        "(repeatable; on top of --anchors; `bioanchors schema anchors` lists the fields); the "
        "variant is named by its changes",
    )
    timelines.add_argument(
        "--compare-anchors",
        nargs="?",
        const="",
        metavar="FILE",
        help="show the brains under the bundled default anchors and under the variant (FILE, "
        "or --anchors / --set) side by side: median TAI year, P(by 2030/2040/2050) and the "
        "shift; --plot draws the variant",
    )
    timelines.add_argument(
        "--penalty",
        type=penalty_arg,
        default="auto",
        metavar="auto|cotra|ORDERS",
        help="the model penalty added to each brain's log10 FLOP/s (default: %(default)s = by "
        "the scenario's frame: none for an emulation cost, which already holds digital "
        "hardware's inefficiency at being neurons, Cotra's Normal(1, 1) orders for a "
        "functional or bound estimate; cotra = hers for every brain; a number = exactly that "
        "many orders for every brain)",
    )
    timelines.add_argument(
        "--log10-flop-per-param",
        type=flop_per_param_arg,
        default="cotra",
        metavar="cotra|emulation|auto|LOG10",
        help="log10 FLOP per parameter per subjective second with which the neural-network "
        "anchors infer parameter counts (default: %(default)s = Cotra's 1.7, i.e. 1e16 FLOP/s "
        "for 2e14 parameters; emulation = a TCN surrogate's ~3.3, 2 FLOP per parameter per "
        "1 ms step, for every brain; auto = the TCN's for emulation brains, Cotra's for the "
        "others)",
    )
    sampling_options(timelines)
    timelines.add_argument("--json", action="store_true", help="print JSON instead of a table")
    add_format_option(timelines)
    timelines.add_argument(
        "--years",
        nargs="+",
        type=year_arg,
        metavar="YEAR",
        help="the P(TAI by year) columns, increasing (default: 2040 2050; with "
        "--compare-anchors 2030 2040 2050); the JSON always has every year's CDF",
    )
    timelines.add_argument("--plot", metavar="FILE.png", help="also save a figure of the CDFs")
    timelines.set_defaults(handler=_timelines)


def year_arg(text: str) -> float:
    """A finite year such as ``2035`` (checked against the model's range once it is known)."""
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"expected a year such as 2035, got {text!r}")
    return value


def _checked_years(years: Sequence[float], forecast: TaiForecast) -> list[float]:
    """``--years`` within the model's range and increasing, or an error naming ``--years``."""
    model = forecast.model
    first, last = model.first_year, model.last_year
    if any(not first <= y <= last for y in years):
        raise BioanchorsError(
            f"--years: each year must lie in [{first:g}, {last:g}] (the years {model.name} "
            f"covers), got {' '.join(f'{y:g}' for y in years)}"
        )
    if any(b <= a for a, b in itertools.pairwise(years)):
        raise BioanchorsError(
            f"--years: give the years in increasing order, each once; got "
            f"{' '.join(f'{y:g}' for y in years)}"
        )
    return list(years)


def _timelines(args: argparse.Namespace, out: TextIO) -> None:
    with ProgressBar("forecasting", unit="brain", quiet=args.quiet) as bar:
        _forecasts(args, out, bar)


def _forecasts(args: argparse.Namespace, out: TextIO, bar: ProgressBar) -> None:
    from bioanchors.timelines import compare_brains

    for option, value in (
        ("--penalty", args.penalty),
        ("--log10-flop-per-param", args.log10_flop_per_param),
    ):
        if isinstance(value, list):  # argparse turns "--penalty=--" into [] without its type
            raise BioanchorsError(f"{option}: expected a value, got '--'")
    plot_path = check_output(args.plot) if args.plot else None
    variant = variant_from_args(args)
    options = {
        "n": args.samples,
        "seed": args.seed,
        "penalty": args.penalty,
        "log10_flop_per_param": args.log10_flop_per_param,
        "progress": bar,
    }
    if args.compare_anchors is not None:
        if variant is None:
            raise BioanchorsError(
                "--compare-anchors: no variant to compare; give --compare-anchors FILE, "
                "--anchors FILE or --set SECTION.FIELD=VALUE"
            )
        comparison = compare_anchors(args.brain, variant, **options)
        years = _checked_years(args.years or COMPARE_YEARS, comparison.variant[0])
        show_comparison(comparison, years, chosen_format(args), out)
        forecasts = comparison.variant
    else:
        forecasts = compare_brains(args.brain, anchors=variant, **options)
        years = _checked_years(args.years or TABLE_YEARS, forecasts[0])
        show_timelines(forecasts, years, chosen_format(args), out)
    if plot_path is not None:
        from bioanchors.plots import plot_timelines

        plot_timelines(forecasts).savefig(plot_path, dpi=150)
