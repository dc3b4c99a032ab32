"""Several problems of one file as one :class:`~bioanchors.ScenarioError`, one a line.

A file is checked whole (every field by pydantic, every step as it is built), so that a user
fixes all of its problems in one pass; :func:`combined` makes the one error they read.

>>> from bioanchors.errors import ScenarioError
>>> error = combined([
...     ScenarioError("unknown unit", file="a.toml", step="x", field="unit"),
...     ScenarioError("needs a citation", file="a.toml", step="y"),
... ])
>>> print(error)
file a.toml: 2 problems:
  step 'x', field 'unit': unknown unit
  step 'y': needs a citation
>>> [(p.step, p.field) for p in error.problems], error.step
([('x', 'unit'), ('y', None)], 'x')
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from bioanchors.errors import ScenarioError

__all__ = ["MAX_QUOTED", "clip", "combined", "entry_of", "plain_message"]

MAX_QUOTED: Final = 80
"""Characters of a bad value quoted in a message."""


def clip(text: str) -> str:
    """``text``, cut to :data:`MAX_QUOTED` characters with ``...``."""
    return text if len(text) <= MAX_QUOTED else text[: MAX_QUOTED - 3] + "..."


def entry_of(loc: list[Any], raw: Any, table: str) -> tuple[str | None, list[Any]]:
    """For a pydantic error at ``loc`` inside the array of tables ``table`` (``[[steps]]``,
    ``[[reference]]``): the entry's ``name`` (``#3`` without one) and the rest of ``loc``;
    ``(None, loc)`` for an error outside it."""
    if len(loc) < 2 or loc[0] != table or not isinstance(loc[1], int):
        return None, loc
    entries = raw.get(table) if isinstance(raw, dict) else None
    entry = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    return (name if isinstance(name, str) else f"#{loc[1] + 1}"), loc[2:]


def plain_message(detail: Any) -> str:
    """A pydantic error's message in the file format's words (an unknown or missing field)."""
    if detail["type"] == "extra_forbidden":
        return "unknown field (check the spelling against the documented format)"
    if detail["type"] == "missing":
        return "required field is missing"
    return str(detail["msg"]).removeprefix("Value error, ")


def combined(problems: Sequence[ScenarioError]) -> ScenarioError:
    """One error for several problems: each on its own line, with its step and field (and its
    file, when they are not all in one); ``problems`` keeps them, ``step``/``field`` the first's.
    """
    if len(problems) == 1:
        return problems[0]
    first = problems[0]
    files = {problem.file for problem in problems}
    file = first.file if len(files) == 1 else None
    lines = []
    for problem in problems:
        where = [f"file {problem.file}"] if file is None and problem.file is not None else []
        where += [f"step {problem.step!r}"] if problem.step is not None else []
        where += [f"field {problem.field!r}"] if problem.field is not None else []
        lines.append(f"  {', '.join(where)}: {problem.detail}" if where else f"  {problem.detail}")
    return ScenarioError(
        f"{len(problems)} problems:\n" + "\n".join(lines),
        file=file,
        step=first.step,
        field=first.field,
        problems=tuple(problems),
    )
