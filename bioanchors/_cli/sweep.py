"""The ``sweep`` subcommand, and ``--set STEP=VALUE`` (shared with ``run``).

A value is read by the safe formula parser (never evaluated as Python): a bare number takes the
step's unit; ``between(0.1, 2, 'Hz')``, ``point``, ``lognormal``, ``loguniform``, ``uniform``
and ``normal`` with numbers and an optional quoted unit are the calls allowed.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING, TextIO

import bioanchors as ba
from bioanchors._cli.args import METHOD_HELP, Commands, examples, sampling_options
from bioanchors._cli.formats import add_format_option, chosen_format
from bioanchors._cli.names import load
from bioanchors._cli.output import check_output
from bioanchors._cli.views import show_sweep
from bioanchors._cli_io import ProgressBar
from bioanchors._typing import METHODS

if TYPE_CHECKING:
    from bioanchors import Scenario

__all__ = ["add_parsers", "add_set_option", "with_settings"]

_SET_HELP = (
    "replace an input step: STEP=VALUE, VALUE a number in the step's unit (neurons=1e11) or "
    "a call such as \"rate=between(0.1, 2, 'Hz')\" (point, between, lognormal, loguniform, "
    "uniform, normal); repeatable"
)


def add_set_option(command: argparse.ArgumentParser) -> None:
    """``--set STEP=VALUE`` (repeatable) on ``command``."""
    command.add_argument(
        "--set", action="append", default=[], metavar="STEP=VALUE", dest="settings", help=_SET_HELP
    )


def with_settings(scenario: Scenario, settings: Sequence[str]) -> Scenario:
    """``scenario`` with each ``STEP=VALUE`` of ``settings`` applied, in order."""
    for text in settings:
        name, sep, value = text.partition("=")
        name = name.strip()
        if not sep or not name or not value.strip():
            raise ba.ScenarioError(
                f"--set {text!r}: expected STEP=VALUE, e.g. neurons=1e11 or "
                "\"rate=between(0.1, 2, 'Hz')\""
            )
        try:
            scenario = scenario.with_inputs(**{name: value})
        except ba.ScenarioError as error:
            raise ba.ScenarioError(f"--set {text!r}: {error}") from None
    return scenario


def add_parsers(commands: Commands) -> None:
    """Add the ``sweep`` subcommand."""
    sweep = commands.add_parser(
        "sweep",
        help="one scenario across values of one input: median and 90 %% interval",
        description="Estimate one scenario with one input step set to each of several values in "
        "turn, with the same samples and seed: the output's median and 90% interval at each "
        "value, to see how much the answer depends on that input.",
        epilog=examples(
            "bioanchors sweep kokotajlod-2021 neurons 1e10 1e11 1e12",
            "bioanchors sweep kokotajlod-2021 neurons \"point(1e11, 'neuron')\" --json",
        ),
    )
    sweep.add_argument("name", help="scenario name or path to a .toml file")
    sweep.add_argument("step", help="the input step to vary")
    sweep.add_argument(
        "values",
        nargs="+",
        metavar="VALUE",
        help="values as for --set: a number in the step's unit, or e.g. \"point(1e11, 'neuron')\"",
    )
    sampling_options(sweep)
    sweep.add_argument("--method", choices=METHODS, default="auto", help=METHOD_HELP)
    add_set_option(sweep)
    sweep.add_argument("--json", action="store_true", help="print JSON (same as --format json)")
    add_format_option(sweep)
    sweep.add_argument("--plot", metavar="FILE.png", help="also draw the sweep here")
    sweep.set_defaults(handler=_sweep)


def _sweep(args: argparse.Namespace, out: TextIO) -> None:
    plot_path = check_output(args.plot) if args.plot else None
    scenario = with_settings(load(args.name, refuse="sweep"), args.settings)
    with ProgressBar(f"sweeping {args.step}", unit="value", quiet=args.quiet) as bar:
        table = ba.sweep(
            scenario,
            args.step,
            args.values,
            n=args.samples,
            seed=args.seed,
            method=args.method,
            progress=bar,
        )
    show_sweep(scenario, table, chosen_format(args), out)
    if plot_path is not None:
        from bioanchors.plots import sweep_plot

        sweep_plot(table).savefig(plot_path, dpi=150)
