"""Argument types and shared options of the command line: sample counts, seeds, tolerances.

Each type turns one command-line string into a checked value, or an ``ArgumentTypeError``
that argparse prints as a one-line usage error (exit 2). :class:`Parser` is the one parser
class of the command and its subcommands, and :class:`HelpFormatter` the one help layout:
descriptions and epilogs (the examples) as written, and every option's default shown readably
(``(default: 100,000)``).
"""

from __future__ import annotations

import argparse
import decimal
import math
import textwrap
from typing import Any, NoReturn, TypeAlias

from bioanchors import catalog

__all__ = [
    "METHOD_HELP",
    "Commands",
    "HelpFormatter",
    "Parser",
    "count",
    "examples",
    "readable_default",
    "sampling_options",
    "seed",
    "tolerance",
]


METHOD_HELP = (
    "auto = exact closed form for a product of lognormals and constants, else Monte Carlo; "
    "analytic = closed form or an error; mc = Monte Carlo; qmc = quasi-Monte Carlo (Sobol)"
)
"""The help of ``--method`` (``run``, ``sweep``)."""


def readable_default(value: object) -> str:
    """A default as the help shows it: ``100,000`` for a count, the text of anything else.

    >>> readable_default(100_000), readable_default(0.5), readable_default("auto")
    ('100,000', '0.5', 'auto')
    """
    if isinstance(value, int) and not isinstance(value, bool):
        return f"{value:,}"
    if isinstance(value, list | tuple):
        return " ".join(map(readable_default, value))
    return str(value)


def examples(*lines: str) -> str:
    """A subcommand's epilog: its example command lines, one per line, under ``examples:``."""
    return "examples:\n" + "\n".join(f"  {line}" for line in lines)


def _shows_default(action: argparse.Action) -> bool:
    default = action.default
    if default is None or default is argparse.SUPPRESS or isinstance(default, bool):
        return False
    return not (isinstance(default, list | tuple) and not default)


class HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Descriptions and examples as written; each option's help ends with its default.

    A help text that names its default itself (``%(default)s``) gets it readably
    (``100,000``); any other gets `` (default: ...)`` appended. Flags (``store_true``) and
    options without a default show none.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        """Paragraphs are wrapped to the terminal; an indented line (an example) is kept."""
        lines: list[str] = []
        prose: list[str] = []
        for line in [*text.splitlines(), ""]:
            if line.strip() and not line[0].isspace():
                prose.append(line)
                continue
            if prose:
                filled = textwrap.fill(
                    " ".join(prose), width, initial_indent=indent, subsequent_indent=indent
                )
                lines.append(filled)
                prose = []
            lines.append(indent + line if line.strip() else "")
        return "\n".join(lines).rstrip("\n")

    def _get_help_string(self, action: argparse.Action) -> str | None:
        text = action.help
        if text is None or "%(default)" in text or not _shows_default(action):
            return text
        return f"{text} (default: {readable_default(action.default).replace('%', '%%')})"

    def _expand_help(self, action: argparse.Action) -> str:
        saved = action.default
        if _shows_default(action):
            action.default = readable_default(saved)
        try:
            return super()._expand_help(action)
        finally:
            action.default = saved


class Parser(argparse.ArgumentParser):
    """argparse, with its errors on one line: ``bioanchors run: error: ...`` (exit 2), and
    :class:`HelpFormatter` for the command and every subcommand (they share this class)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", HelpFormatter)
        super().__init__(*args, **kwargs)

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
    """``--samples N``, ``--seed S`` and ``--quiet`` (no progress bar) on ``command``."""
    command.add_argument(
        "--samples",
        "-n",
        type=count,
        default=100_000,
        metavar="N",
        help="number of samples: a whole number up to 10**12, written 1000000, 1e6 or 1_000_000",
    )
    command.add_argument(
        "--seed",
        type=seed,
        default=0,
        metavar="S",
        help="random seed, an integer >= 0: the same seed gives the same numbers",
    )
    command.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help="no progress bar (one is drawn on standard error only when it is a terminal)",
    )
