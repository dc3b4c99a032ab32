"""The messages of a bad anchors parameter file: every problem pydantic found, one a line,
each naming the file, the table and the field (a single problem as one line)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra._fields import explain

__all__ = ["file_error"]


def file_error(
    path: str,
    error: ValidationError,
    data: dict[str, Any],
    sections: Mapping[str, Sequence[str]],
) -> InvalidInputError:
    """Every problem in the file, one a line (a single one as one line, as before)."""
    lines = list(dict.fromkeys(str(_one_error(path, e, data, sections)) for e in error.errors()))
    if len(lines) == 1:
        return InvalidInputError(lines[0])
    shown = "\n".join(f"  {line.removeprefix(path + ': ')}" for line in lines)
    return InvalidInputError(f"{path}: {len(lines)} problems:\n{shown}")


def _one_error(
    path: str, first: Any, data: dict[str, Any], sections: Mapping[str, Sequence[str]]
) -> InvalidInputError:
    loc = first["loc"]
    if not loc:
        return InvalidInputError(f"{path}: {first['msg']}")
    section = str(loc[0])
    if len(loc) == 1 and first["type"] == "extra_forbidden":
        return InvalidInputError(
            f"{path}: unknown top-level table {section!r} (expected {list(sections)})"
        )
    if len(loc) == 1 and first["type"] == "missing":
        return InvalidInputError(f"{path}: missing table [{section}]")
    if len(loc) == 1 and first["type"] in ("value_error", "model_type", "dict_type"):
        detail = str((first.get("ctx") or {}).get("error", "must be a table"))
        return InvalidInputError(f"{path}: [{section}] {detail}")
    problem = explain(first, data.get(section), fields=list(sections.get(section, ())), skip=1)
    return InvalidInputError(f"{path}: [{section}] {problem}")
