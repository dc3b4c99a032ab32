"""The one output system of the results commands: ``--format text|markdown|json|csv``.

Every command that prints results (``report``, ``run``, ``audit``, ``sweep``, ``timelines``)
adds the option with :func:`add_format_option` and prints through :func:`emit`, giving

* ``text``: its own aligned table (what a terminal shows);
* ``markdown`` and ``csv``: a :class:`Table`, whose rows always carry the unit, n, seed,
  method and frame (as columns in CSV; in Markdown as columns where they vary by row and in
  the line under the title where they do not);
* ``json``: one record, validated against the command's pydantic model
  (:mod:`bioanchors._cli.schemas`, documented in docs/json-output.md) and written with
  ``allow_nan=False``: a non-finite number becomes ``null`` first, and the model says what
  ``null`` means in that field.

The old ``--json`` flags stay, as aliases of ``--format json``.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

from pydantic import BaseModel, ValidationError

from bioanchors._cli_io import finite_json
from bioanchors._format import csv_text, markdown_table
from bioanchors.errors import BioanchorsError
from bioanchors.report import FORMATS

__all__ = [
    "FORMATS",
    "META_FIELDS",
    "Table",
    "add_format_option",
    "chosen_format",
    "emit",
    "json_text",
]

META_FIELDS = ("unit", "n", "seed", "method", "frame")
"""What every Markdown and CSV table keeps, so a pasted number still says what it is."""


def add_format_option(command: argparse.ArgumentParser) -> None:
    """``--format text|markdown|json|csv`` (default text) on ``command``."""
    command.add_argument(
        "--format",
        choices=FORMATS,
        default="text",
        help="how to print the results: text, markdown, json or csv",
    )


def chosen_format(args: argparse.Namespace) -> str:
    """``args.format``, or ``"json"`` when the command's ``--json`` alias was given (refused
    beside another ``--format``)."""
    if not getattr(args, "json", False):
        return str(args.format)
    if args.format not in ("text", "json"):
        raise BioanchorsError(
            f"--json means --format json; give one, not --json and --format {args.format}"
        )
    return "json"


@dataclass(frozen=True)
class Table:
    """A result as rows, for Markdown and CSV.

    ``headers``/``cells``: the Markdown columns (formatted text; ``right`` the right-aligned
    ones); ``meta``: values that hold for every row, said under the ``title``; ``fields`` and
    ``records``: the CSV columns and one record of raw values per row (every field of
    :data:`META_FIELDS` among them); ``notes``: lines after the Markdown table.
    """

    title: str
    headers: Sequence[str]
    cells: Sequence[Sequence[str]]
    fields: Sequence[str]
    records: Sequence[Mapping[str, Any]]
    meta: Mapping[str, Any] = field(default_factory=dict)
    right: frozenset[int] = frozenset()
    notes: Sequence[str] = ()

    def __post_init__(self) -> None:
        missing = [name for name in META_FIELDS if name not in self.fields]
        if missing:  # a table that would drop what a number means is a bug
            raise AssertionError(f"table {self.title!r} lacks the CSV columns {missing}")

    def markdown(self) -> str:
        meta = " · ".join(f"{key} {value}" for key, value in self.meta.items())
        parts = [f"**{self.title}**", *([meta] if meta else [])]
        table = markdown_table(self.headers, self.cells, set(self.right))
        notes = "".join(f"\n{note}\n" for note in self.notes)
        return "\n\n".join([*parts, table]) + "\n" + notes

    def csv(self) -> str:
        return csv_text(self.fields, self.records)


OUTPUT_NAMES: tuple[str, ...] = (
    "report",
    "run",
    "audit",
    "waterfall",
    "sweep",
    "timelines",
    "timelines-compare",
)
"""The names of the commands' JSON outputs (``bioanchors schema NAME``), in the order of
:data:`bioanchors._cli.schemas.OUTPUT_SCHEMAS`: known without building those pydantic models,
which only a command that prints JSON (or a schema) needs."""


def output_model(name: str) -> type[BaseModel]:
    """The JSON output model named ``name`` (a key of ``OUTPUT_SCHEMAS``), imported when asked
    for: building the output models is most of the start-up cost of the CLI's own code."""
    from bioanchors._cli.schemas import OUTPUT_SCHEMAS

    return OUTPUT_SCHEMAS[name]


def json_text(record: Any, model: type[BaseModel]) -> str:
    """``record`` as indented JSON, non-finite numbers as ``null``, checked against ``model``."""
    text = json.dumps(finite_json(record), indent=2, allow_nan=False)
    try:
        model.model_validate_json(text)
    except ValidationError as error:  # the command printed what its schema does not allow
        raise AssertionError(f"JSON output does not match {model.__name__}: {error}") from None
    return text + "\n"


def emit(
    fmt: str,
    out: TextIO,
    *,
    text: Callable[[], str],
    table: Callable[[], Table],
    record: Callable[[], Any],
    model: str,
) -> None:
    """Print one result in ``fmt``: ``text()``, ``table()`` or ``record()`` (see module doc),
    the JSON checked against the output model named ``model`` (:func:`output_model`)."""
    if fmt == "json":
        out.write(json_text(record(), output_model(model)))
    elif fmt == "markdown":
        out.write(table().markdown())
    elif fmt == "csv":
        out.write(table().csv())
    else:
        shown = text()
        out.write(shown if shown.endswith("\n") else shown + "\n")
