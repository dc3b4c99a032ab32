"""Argument types and shared options of the command line: sample counts, seeds, tolerances.

Each type turns one command-line string into a checked value, or an ``ArgumentTypeError``
that argparse prints as a one-line usage error (exit 2).
"""

from __future__ import annotations

import argparse
import decimal
import math
from typing import NoReturn, TypeAlias

from bioanchors import catalog

__all__ = ["Commands", "Parser", "count", "sampling_options", "seed", "tolerance"]


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line: ``bioanchors run: error: ...`` (exit 2)."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


Commands: TypeAlias = "argparse._SubParsersAction[Parser]"
"""The subcommands of the ``bioanchors`` parser, to which each command module adds its own."""


def count(text: str) -> int:
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


def tolerance(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        value = math.nan
    if not (math.isfinite(value) and value >= 0):
        raise argparse.ArgumentTypeError(
            f"must be a finite number of orders of magnitude >= 0, got {text!r}"
        )
    return value


def seed(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected an integer seed >= 0, got {text!r}")
    return value


def sampling_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--samples",
        "-n",
        type=count,
        default=100_000,
        help="number of samples, a whole number up to 10**12 (1e6 is fine)",
    )
    command.add_argument("--seed", type=seed, default=0)
