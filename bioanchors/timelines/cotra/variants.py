"""Anchor variants: an anchors file that ``extends`` another and gives only what changes.

A variant file says ``extends = "cotra-2020"`` (a bundled name, see :func:`bundled_anchors`,
or a path, relative to the file that says it) and, optionally, ``name = "..."`` (default: the
file's stem). Each cited table it gives (``[anchors]``, ``[weights]``, ``[affordability]``)
replaces the parent's entry for that field *whole*: a changed value carries its own citation
(``value``, ``who``, ``where`` and a ``quote`` or a ``page``), and every field it does not give
keeps the parent's value and citation. ``[meta]`` and ``[reproduction]`` are merged key by key.

The same change from the command line is a dotted path and a value,
``affordability.hardware_halving_time_years=1.5`` (:func:`parse_set`): the path is checked
against the parameter models (a typo gets the close matches, :func:`check_dotted`) and the
value is read strictly by the field's type (a number, a pair ``lo,hi``, or one of a field's
words), never evaluated. :meth:`~bioanchors.timelines.cotra.file.AnchorsFile.with_values` applies
such changes to a loaded file.

>>> try:
...     check_dotted("affordability.hardware_halving_years")
... except ValueError as error:
...     print(error)  # doctest: +NORMALIZE_WHITESPACE
unknown anchors parameter 'affordability.hardware_halving_years' (did you mean
'affordability.hardware_halving_time_years' or 'affordability.hardware_max_flop_per_usd' or
'affordability.algo_halving_time_slow_years'?)
>>> parse_set("affordability.hardware_halving_time_years=1.5")
('affordability.hardware_halving_time_years', 1.5)
"""

from __future__ import annotations

import difflib
import re
import typing
from collections.abc import Mapping
from pathlib import Path
from typing import Any, Final

from pydantic import BaseModel

from bioanchors._files import data_dir
from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra._fields import clip
from bioanchors.timelines.cotra.params import AffordabilityParams, AnchorParams, MixtureWeights

__all__ = [
    "CITED_SECTIONS",
    "bundled_anchors",
    "check_changes",
    "check_dotted",
    "known_fields",
    "merge",
    "parse_set",
    "resolve_extends",
    "value_text",
]

_MODELS: Final[dict[str, type[BaseModel]]] = {
    "anchors": AnchorParams,
    "weights": MixtureWeights,
    "affordability": AffordabilityParams,
}
CITED_SECTIONS: Final[tuple[str, ...]] = tuple(_MODELS)
"""The sections whose every field is a cited table."""

_MERGED_KEY_BY_KEY: Final = ("meta", "reproduction")
_NUMBER: Final = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_CITATION: Final = "its own citation: value, who, where and a quote or a page"


def known_fields() -> dict[str, tuple[str, ...]]:
    """Every cited section and its field names."""
    return {section: tuple(model.model_fields) for section, model in _MODELS.items()}


def _every_dotted() -> list[str]:
    return [f"{s}.{f}" for s, fields in known_fields().items() for f in fields]


def check_dotted(dotted: str) -> tuple[str, str]:
    """``(section, field)`` of a dotted anchors parameter path such as
    ``"affordability.hardware_halving_time_years"``; an unknown one raises
    :class:`~bioanchors.errors.InvalidInputError` with the close matches."""
    section, _, name = dotted.partition(".")
    if name in known_fields().get(section, ()):
        return section, name
    every = _every_dotted()
    close = difflib.get_close_matches(dotted, every, n=3, cutoff=0.6)
    close += [d for d in every if d.split(".")[1] == dotted and d not in close]  # no section
    if not close:
        close = difflib.get_close_matches(name or section, every, n=3, cutoff=0.5)
    hint = (
        " (did you mean " + " or ".join(repr(c) for c in close) + "?)"
        if close
        else f"; expected SECTION.FIELD with SECTION one of {list(CITED_SECTIONS)} "
        "(`bioanchors schema anchors` lists the fields)"
    )
    raise InvalidInputError(f"unknown anchors parameter {dotted!r}{hint}")


def _parse_number(dotted: str, text: str) -> float:
    if not _NUMBER.fullmatch(text.strip()):
        raise InvalidInputError(f"{dotted}: expected a number, got {text!r}")
    return float(text)


def parse_set(text: str) -> tuple[str, Any]:
    """A command-line change ``"SECTION.FIELD=VALUE"`` as ``(dotted path, value)``: the path
    checked (:func:`check_dotted`), the value read by the field's type (a decimal number;
    ``lo,hi`` for a pair; a field's word, such as ``anchor``), never evaluated."""
    dotted, equals, raw = text.partition("=")
    dotted, raw = dotted.strip(), raw.strip()
    if not equals or not dotted or not raw:
        raise InvalidInputError(
            f"--set: expected SECTION.FIELD=VALUE (e.g. "
            f"affordability.hardware_halving_time_years=1.5), got {text!r}"
        )
    section, name = check_dotted(dotted)
    hint = typing.get_type_hints(_MODELS[section], include_extras=True)[name]
    base = typing.get_args(hint)[0] if typing.get_origin(hint) is typing.Annotated else hint
    if typing.get_origin(base) is typing.Literal:
        words = typing.get_args(base)
        if raw not in words:
            raise InvalidInputError(f"{dotted}: expected one of {list(words)}, got {raw!r}")
        return dotted, raw
    if typing.get_origin(base) is tuple:
        parts = raw.removeprefix("[").removesuffix("]").split(",")
        if len(parts) != 2:
            raise InvalidInputError(f"{dotted}: expected two numbers LO,HI, got {raw!r}")
        return dotted, tuple(_parse_number(dotted, part) for part in parts)
    return dotted, _parse_number(dotted, raw)


def value_text(value: object) -> str:
    """A changed value as a variant's name shows it (``1.5``, ``32,44``, ``anchor``)."""
    if isinstance(value, tuple | list):
        return ",".join(value_text(v) for v in value)
    return repr(value) if isinstance(value, float) else str(value)


# --------------------------------------------------------------------------- files


def bundled_anchors() -> dict[str, Path]:
    """The bundled anchors files by name (``{"cotra-2020": .../cotra-2020.toml}``)."""
    folder = data_dir() / "anchors"
    return {path.stem: path for path in sorted(folder.glob("*.toml"))}


def resolve_extends(value: object, file: str) -> Path:
    """The file ``extends = value`` (said in ``file``) names: a bundled anchors name, or a
    path relative to ``file``'s folder."""
    bundled = bundled_anchors()
    if not isinstance(value, str) or not value.strip():
        raise InvalidInputError(
            f"{file}: extends: expected a bundled anchors name {sorted(bundled)} or a path to "
            f"an anchors .toml file, got {clip(value)}"
        )
    if value in bundled:
        return bundled[value]
    path = Path(value).expanduser()
    if not path.is_absolute():
        path = Path(file).parent / path
    if not path.is_file():
        raise InvalidInputError(
            f"{file}: extends = {value!r}: no bundled anchors of that name {sorted(bundled)} "
            f"and no file {str(path)!r}"
        )
    return path


def check_changes(file: str, data: Mapping[str, Any]) -> None:
    """Refuse a variant's cited entry that is not a whole table with its own citation, or
    names an unknown field (each problem names ``file`` and the dotted field)."""
    for section in CITED_SECTIONS:
        table = data.get(section)
        if table is None:
            continue
        if not isinstance(table, Mapping):
            raise InvalidInputError(f"{file}: [{section}] must be a table, got {clip(table)}")
        for name, entry in table.items():
            dotted = f"{section}.{name}"
            try:
                check_dotted(dotted)
            except InvalidInputError as error:
                raise InvalidInputError(f"{file}: {error}") from None
            if not isinstance(entry, Mapping):
                raise InvalidInputError(
                    f"{file}: {dotted}: a changed value is a table with {_CITATION} "
                    f"(e.g. {{ value = ..., who = ..., where = ..., quote = ... }}), "
                    f"got {clip(entry)}"
                )
            missing = [key for key in ("value", "who", "where") if key not in entry]
            if "quote" not in entry and "page" not in entry:
                missing.append("a quote or a page")
            if missing:
                raise InvalidInputError(
                    f"{file}: {dotted}: a changed value needs {_CITATION} (the parent's "
                    f"citation is for the parent's value); missing {', '.join(missing)}"
                )


def merge(parent: Mapping[str, Any], child: Mapping[str, Any]) -> dict[str, Any]:
    """``child`` over ``parent``: a cited field's entry replaced whole, ``[meta]`` and
    ``[reproduction]`` key by key; the parent's ``name`` and ``extends`` dropped."""
    merged = {k: v for k, v in parent.items() if k not in ("name", "extends")}
    for key, value in child.items():
        below = merged.get(key)
        mergeable = key in (*CITED_SECTIONS, *_MERGED_KEY_BY_KEY)
        if mergeable and isinstance(below, Mapping) and isinstance(value, Mapping):
            merged[key] = {**below, **value}
        else:
            merged[key] = value
    return merged
