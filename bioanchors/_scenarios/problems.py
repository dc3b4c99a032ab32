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

from bioanchors.errors import ScenarioError

__all__ = ["combined"]


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
