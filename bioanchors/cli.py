"""The ``bioanchors`` command (also ``python -m bioanchors``); a thin layer over the public API.

bioanchors report      every bundled scenario side by side [--format F] [--scenarios NAME ...]
bioanchors list        scenario names with one-line titles
bioanchors run NAME    estimate one scenario [--method M] [--json] [--set STEP=VALUE ...]
bioanchors sweep NAME STEP V1 V2 ...  the scenario across values of one input [--plot FILE.png]
bioanchors audit NAME  claimed vs recomputed, step by step [--tolerance T] [--json] [--strict]
bioanchors plot        a forest, CDF, tornado or audit figure: [NAME ...] --out FILE.png [--kind K]
bioanchors timelines   TAI timelines with each brain scenario swapped in [--brain S ...] [--json]
bioanchors schema      JSON Schema of a file format: scenario (the default), anchors or references
bioanchors show NAME   a scenario (or anchors) file's text [--anchors]
bioanchors new NAME    write NAME.toml, a commented scenario template that loads as it is
bioanchors units       the library's own units (neuron, synapse, spike, FLOP, ...), their dimensions
bioanchors --version   the installed version

``report``, ``run``, ``plot``, ``sweep`` and ``timelines`` take ``--samples N``, ``--seed S``
and ``--quiet`` (no progress bar; one is drawn on standard error only when it is a terminal);
``report`` and ``timelines`` also ``--plot FILE.png``. A scenario name may be ``NAME:claimed``
(the value NAME's source claims) wherever one is estimated. ``bioanchors COMMAND --help``
shows each option's default and examples. Each command is a ``_name(args, out)``
function in a module of :mod:`bioanchors._cli`, registered with ``set_defaults(handler=...)``
by that module's ``add_parsers``: adding one is a function and its ``add_parser`` lines.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.metadata
import os
import sys
import warnings
from collections.abc import Callable, Sequence
from typing import TextIO, cast

import pint

import bioanchors as ba
from bioanchors._cli import authoring, scenarios, sweep, timelines
from bioanchors._cli.args import Parser, examples
from bioanchors._cli_io import FallbackWriter, command_line_wording

__all__ = ["main"]

Handler = Callable[[argparse.Namespace, TextIO], "int | None"]
"""What a command runs: the parsed arguments and the stream to print to; it may return an
exit code (``audit --strict``: 1 when a claim mismatches), None meaning 0."""


def _parser() -> argparse.ArgumentParser:
    parser = Parser(
        prog="bioanchors",
        description="How much computation does it take to match a brain? Uncertain FLOP/s "
        "estimates from cited scenarios. 'bioanchors COMMAND --help' describes each command "
        "with an example.",
        epilog=examples(
            "bioanchors list",
            "bioanchors run kokotajlod-2021",
            "bioanchors audit kokotajlod-2021 --strict",
            "bioanchors report --format markdown",
            "bioanchors timelines --brain kokotajlod-2021 kokotajlod-2021:claimed",
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {_version()}", help="print the version"
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    scenarios.add_parsers(commands)
    sweep.add_parsers(commands)
    timelines.add_parsers(commands)
    authoring.add_parsers(commands)
    return parser


def _command_parser(parser: argparse.ArgumentParser, command: str) -> argparse.ArgumentParser:
    """The subcommand's parser (``bioanchors timelines``), else ``parser``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            found: argparse.ArgumentParser = action.choices.get(command, parser)
            return found
    return parser


def _version() -> str:
    """The installed package's version (its metadata), else the source tree's."""
    try:
        return importlib.metadata.version("bioanchors")
    except importlib.metadata.PackageNotFoundError:  # run from a source tree, not installed
        return ba.__version__


def main(argv: Sequence[str] | None = None, *, out: TextIO | None = None) -> int:
    """Run the command line; returns the exit code (0 ok, 2 bad input or failure, 1 a check
    that failed: ``audit --strict`` with a mismatch).

    Output goes to ``out`` (default ``sys.stdout``); characters it cannot encode (an ASCII-only
    locale) become ASCII fallbacks, "–" -> "-". An error or warning from the library is one
    line on standard error, worded for the command line (``--method``, not ``method=``:
    :func:`~bioanchors._cli_io.command_line_wording`). A missing or closed standard output is a
    one-line error (exit 2); a reader that goes away (``bioanchors report | head -1``) ends the
    command silently with exit code 1.
    """
    parser = _parser()
    args, extra = parser.parse_known_args(argv)
    if extra:  # said by the command's own parser, so that it points at the command's --help
        _command_parser(parser, args.command).error(f"unrecognized arguments: {' '.join(extra)}")
    handler: Handler = args.handler
    stream = sys.stdout if out is None else out
    if stream is None or getattr(stream, "closed", False):
        _say("bioanchors: error: standard output is closed or missing; nothing can be printed")
        return 2
    writer = cast(TextIO, FallbackWriter(stream))
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _warning_line(warnings.showwarning)
            code = handler(args, writer)
        writer.flush()  # so that a closed pipe is noticed here, not at interpreter exit
    except BrokenPipeError:
        # The reader went away (e.g. `bioanchors report | head`): stop quietly, and point the
        # standard output at /dev/null so that Python's flush at exit does not complain.
        _silence(stream)
        return 1
    except (ba.BioanchorsError, pint.PintError, OSError, ImportError) as error:
        _say(f"bioanchors: error: {command_line_wording(str(error))}")
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
    return code or 0


def _warning_line(fallback: Callable[..., None]) -> Callable[..., None]:
    """Show a :class:`~bioanchors.BioanchorsWarning` as one line, ``bioanchors: warning: ...``
    (not Python's file, line number and source line); other warnings as ``fallback`` does."""

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        if issubclass(category, ba.BioanchorsWarning):
            _say(f"bioanchors: warning: {command_line_wording(str(message))}")
        else:
            fallback(message, category, filename, lineno, file, line)

    return show


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
