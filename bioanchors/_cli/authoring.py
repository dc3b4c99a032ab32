"""The authoring subcommands: ``show`` (a file's text), ``new`` (a template) and ``units``.

``show NAME`` prints a scenario file (bundled, on ``BIOANCHORS_PATH``, or a path) or, with
``--anchors`` or when no scenario has that name, a bundled anchors file (``cotra-2020``).
``new NAME`` writes ``NAME.toml`` in the current folder: a commented scenario that loads as it
is and shows each part of the format. ``units`` lists the units the library adds to pint's
(``units.txt``) with their dimensions.
"""

from __future__ import annotations

import argparse
import difflib
import os
import re
from pathlib import Path
from typing import TextIO

import bioanchors as ba
from bioanchors._cli.args import Commands, examples
from bioanchors._cli.names import refuse_claimed
from bioanchors._files import DataFileError, read_text
from bioanchors._format import text_table
from bioanchors._scenarios.catalog import found_files
from bioanchors._units import registry
from bioanchors._units.registry import as_unit
from bioanchors.timelines import default_anchors_path

__all__ = ["TEMPLATE", "add_parsers", "own_units"]

_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]*$")

TEMPLATE = '''\
# {name}.toml: a brain-compute scenario for bioanchors. Load it with
#     bioanchors run {name}.toml        or, in Python,  ba.load_scenario("{name}.toml")
# then check it with `bioanchors audit {name}.toml`. Every field is described by
# `bioanchors schema`; `bioanchors units` lists the brain units (neuron, synapse, spike, ...).
# Nothing in a scenario file is executed: formulas are read by a safe parser.

name = "{name}"                   # must match the file name ({name}.toml)
title = "My estimate of brain compute"
description = "Neurons times a per-neuron cost; replace with your own derivation."
output = "total"                  # the step whose value is the answer
unit = "FLOP/s"                   # the answer's unit
# frame: what the answer measures. "emulation": the cost of emulating the brain's neurons at
# some level of detail; "functional": compute that suffices for what the brain does, however it
# does it; "bound": a limit that brackets the others, not a best estimate.
frame = "functional"
# extends = "carlsmith-2020-mechanistic"   # or start from another scenario: its fields and
#                                          # steps are inherited, and a step named here
#                                          # replaces the parent's step of that name

# The default citation of every step: each step's who and where fall back to these.
[source]
who = "Your Name"
where = "Your notes"

# An input step: a value (value, between or distribution), its unit, and its citation: a
# quote (the source's words) or a page, with who and where when they differ from [source].
[[steps]]
name = "neurons"
unit = "neuron"
distribution = {{ kind = "normal", mean = 86.1e9, sd = 8.1e9 }}
who = "Azevedo et al. 2009"
where = "J Comp Neurol 513(5):532-541, abstract"
quote = """We find that the adult male human brain contains on average 86.1 ± 8.1 billion \\
NeuN-positive cells ("neurons")"""
note = "The ± is read as the spread between brains, so a normal with sd 8.1e9."

# An uncertain input: between = [lo, hi] is a 90 % interval (credibility = 0.9), lognormal
# unless shape says otherwise. shaky = true marks a number resting on little evidence (it needs
# a wide prior, never a single value). A number of your own that no source states is marked
# assumption = true (its citation: "assumption (who)"), with a note saying what it assumes.
[[steps]]
name = "flop_per_neuron"
unit = "FLOP / s / neuron"
between = [1e3, 1e5]
shaky = true
assumption = true
note = "What the number assumes: say it here (e.g. one FLOP per synapse per spike)."

# A formula step combines earlier steps (+ - * / **, exp, log, sqrt, min, max and the
# library's formula functions); units are checked as it is built. claimed is the value your
# source states for this step, with its unit: `bioanchors audit` compares it with the arithmetic.
[[steps]]
name = "total"
formula = "neurons * flop_per_neuron"
claimed = "8.6e14 FLOP/s"

# Optional: units of your own, a new dimension or a name for known units (never one of the
# library's: `bioanchors units` lists them). Uncomment to use them in steps and formulas.
# [units]
# compartment = "[compartment]"
# burst = "10 * spike"

# Optional: inputs that move together, by a correlation of their normal scores (-1 to 1), or
# `matrix = [[...]]` for three or more steps.
# [[correlations]]
# steps = ["neurons", "flop_per_neuron"]
# rho = 0.3
'''
"""The ``bioanchors new`` template; ``{name}`` is the scenario's name."""


def add_parsers(commands: Commands) -> None:
    """Add the authoring subcommands."""
    show = commands.add_parser(
        "show",
        help="print a scenario (or anchors) file's text",
        description="Print a scenario file's text (bundled, on BIOANCHORS_PATH, or a path) or a "
        "bundled anchors file's, with every citation, quote and note, to read it or to copy it "
        "as the start of your own.",
        epilog=examples("bioanchors show kokotajlod-2021", "bioanchors show cotra-2020 --anchors"),
    )
    show.add_argument("name", help="scenario name or path, or an anchors file's name")
    show.add_argument(
        "--anchors", action="store_true", help="an anchors file (cotra-2020), not a scenario"
    )
    show.set_defaults(handler=_show)

    new = commands.add_parser(
        "new",
        help="write a commented scenario template NAME.toml",
        description="Write NAME.toml in the current folder: a commented scenario that loads as "
        "it is and shows each part of the format (inputs with citations, an uncertain input, a "
        "formula with a claimed value). An existing file is never overwritten.",
        epilog=examples("bioanchors new my-estimate"),
    )
    new.add_argument("name", help="the scenario's name (lowercase letters, digits, . _ -)")
    new.set_defaults(handler=_new)

    units = commands.add_parser(
        "units",
        help="the library's own units and their dimensions",
        description="List the units the library adds to pint's (neuron, synapse, spike, FLOP, "
        "...), their aliases, dimensions and definitions: the words a scenario file's unit "
        "fields may use besides pint's own.",
        epilog=examples("bioanchors units"),
    )
    units.set_defaults(handler=_units)


def _anchors_files() -> dict[str, Path]:
    folder = default_anchors_path().parent
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def _show(args: argparse.Namespace, out: TextIO) -> None:
    name: str = args.name
    refuse_claimed(name, "show")
    anchors = _anchors_files()
    if name.endswith(".toml") or os.sep in name or "/" in name:
        path = Path(name)
    elif args.anchors:
        path = _pick(name, anchors, "anchors file")
    else:
        scenarios = found_files()  # a name in several folders: an error only if it is asked for
        if scenarios.file(name) is not None or name not in anchors:
            path = _pick(name, {**anchors, **scenarios.files}, "scenario or anchors file")
        else:
            path = anchors[name]
    try:
        text = read_text(path, what="a scenario or anchors file")
    except DataFileError as error:
        raise ba.ScenarioError(error.detail, file=str(path)) from None
    out.write(text if text.endswith("\n") else text + "\n")


def _pick(name: str, files: dict[str, Path], what: str) -> Path:
    if name in files:
        return files[name]
    close = difflib.get_close_matches(name, list(files), n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
    raise ba.ScenarioError(f"no {what} named {name!r}{hint} (known: {', '.join(sorted(files))})")


def _new(args: argparse.Namespace, out: TextIO) -> None:
    name: str = args.name.removesuffix(".toml")
    if not _NAME.match(name):
        raise ba.ScenarioError(
            f"a scenario name is lowercase letters, digits, '.', '_' and '-', starting with a "
            f"letter or digit; got {name!r}"
        )
    path = Path(f"{name}.toml")
    try:
        path.touch(exist_ok=False)  # created here, at once, or refused: never overwritten
    except FileExistsError:
        raise ba.ScenarioError(
            f"{path} exists already; nothing was written (choose another name or remove it)"
        ) from None
    path.write_text(TEMPLATE.format(name=name), encoding="utf-8")
    out.write(
        f"wrote {path}: edit it, then `bioanchors run {path}` and `bioanchors audit {path}`\n"
    )


def own_units() -> list[tuple[str, str, str, str]]:
    """The units ``units.txt`` adds to pint's: (name, aliases, dimension, definition)."""
    text = read_text(Path(registry.__file__).with_name("units.txt"), what="the units file")
    rows = []
    for line in text.splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" not in line:
            continue
        name, definition, *aliases = (part.strip() for part in line.split("="))
        shown = [alias for alias in aliases if alias != "_"]
        dimension = str(as_unit(name).dimensionality)
        base = definition.startswith("[")
        rows.append((name, ", ".join(shown), dimension, "a base dimension" if base else definition))
    return rows


def _units(args: argparse.Namespace, out: TextIO) -> None:
    rows = [list(row) for row in own_units()]
    out.write(text_table(["unit", "also", "dimension", "defined as"], rows, set()) + "\n")
    out.write(
        "\nEach [dimension] is a base dimension of its own, so a formula cannot pass a neuron "
        "count for a synapse count. pint's own units (s, Hz, J, W, K, ...) and SI prefixes "
        "(PFLOP/s) work too.\n"
    )
