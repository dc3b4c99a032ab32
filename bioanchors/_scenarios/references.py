"""The reference points file (``references.toml``): typed models of an entry, and its reader.

A reference point is a published figure drawn beside the scenarios (Carlsmith's 1e15 FLOP/s,
the Landauer limit, the WBE roadmap's levels), not a scenario. Like a scenario file, the file is
untrusted input, read with ``tomllib`` and validated by strict pydantic models: every entry
says what it measures (``frame``), who said it and where, and a ``quote`` or a ``page``; an
unknown field, a missing citation or a value that is not a FLOP/s quantity is refused with a
:class:`~bioanchors.ScenarioError` naming the file, the entry (its ``step`` attribute, as
for a scenario's step) and the field.

>>> from bioanchors._scenarios.references import read_references
>>> from bioanchors._files import data_dir
>>> points = read_references(data_dir() / "references.toml")
>>> [p.frame for p in points if p.name == "landauer-limit-310K"]
['bound']
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Final

import pint
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bioanchors._files import DataFileError, read_toml
from bioanchors._frames import Frame
from bioanchors._scenarios.problems import clip, combined, entry_of, plain_message
from bioanchors._units.registry import Quantity, get_registry
from bioanchors.errors import ScenarioError

__all__ = ["Reference", "ReferenceSpec", "ReferencesFile", "read_references", "references_schema"]

_STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
_NAME = r"^[A-Za-z0-9][A-Za-z0-9_.-]*$"
_TEXT = Annotated[str, Field(min_length=1)]
_UNIT: Final = "FLOP/s"


class ReferenceSpec(BaseModel):
    """One ``[[reference]]`` entry, as written."""

    model_config = _STRICT
    name: Annotated[str, Field(pattern=_NAME)]
    frame: Frame = Field(description="what the value measures: emulation, functional or bound")
    label: _TEXT = Field(description="the full label (legends, tables)")
    short: _TEXT | None = Field(default=None, description="a short label for plot lines")
    value: _TEXT = Field(description="a positive quantity in FLOP/s, e.g. '1e15 FLOP/s'")
    who: _TEXT
    where: _TEXT
    quote: _TEXT | None = Field(default=None, description="the source's exact words")
    page: _TEXT | None = Field(default=None, description="where in the source (a locator)")
    note: _TEXT | None = None

    @field_validator("value")
    @classmethod
    def _flops(cls, text: str) -> str:
        parse_value(text)
        return text

    @model_validator(mode="after")
    def _cited(self) -> ReferenceSpec:
        if self.quote is None and self.page is None:
            raise ValueError("a reference needs `quote` (the source's words) or `page` (where)")
        return self

    def quantity(self) -> Quantity:
        """The value as a pint quantity."""
        return parse_value(self.value)


class ReferencesFile(BaseModel):
    """The whole file: a list of ``[[reference]]`` tables with unique names."""

    model_config = _STRICT
    reference: Annotated[tuple[ReferenceSpec, ...], Field(min_length=1)]

    @model_validator(mode="after")
    def _unique(self) -> ReferencesFile:
        counts = Counter(entry.name for entry in self.reference)
        repeated = sorted(name for name, count in counts.items() if count > 1)
        if repeated:
            raise ValueError(f"reference names must be unique; repeated: {', '.join(repeated)}")
        return self


def parse_value(text: str) -> Quantity:
    """``text`` as a positive, finite quantity convertible to FLOP/s (``ValueError`` if not)."""
    registry = get_registry()
    try:
        value: Quantity = registry.Quantity(text)
    except (pint.PintError, ValueError, TypeError, AttributeError, SyntaxError) as error:
        raise ValueError(
            f"{clip(text)!r} is not a quantity such as '1e15 FLOP/s' ({error})"
        ) from None
    except Exception as error:  # pint's tokenizer on odd text
        raise ValueError(
            f"{clip(text)!r} is not a quantity such as '1e15 FLOP/s' ({type(error).__name__})"
        ) from None
    magnitude = value.magnitude
    if not isinstance(magnitude, int | float) or isinstance(magnitude, bool):
        raise ValueError(f"{clip(text)!r} must be one number with a unit")
    if not value.check("[computation] / [time]"):
        raise ValueError(f"{clip(text)!r} must be in {_UNIT} (or a unit convertible to it)")
    if not (math.isfinite(magnitude) and magnitude > 0):
        raise ValueError(f"{clip(text)!r} must be positive and finite")
    return value


@dataclass(frozen=True)
class Reference:
    """A reference point for reports and plots (not a scenario)."""

    name: str
    label: str
    value: Quantity
    citation: str
    short: str = ""
    frame: Frame = "functional"
    """What the value measures (see :data:`bioanchors.FRAME_GLOSSARY`)."""

    @classmethod
    def from_spec(cls, spec: ReferenceSpec) -> Reference:
        """The plotted form of a validated entry."""
        return cls(
            name=spec.name,
            label=spec.label,
            value=spec.quantity(),
            citation=f"{spec.who}, {spec.where}",
            short=spec.short if spec.short is not None else spec.label,
            frame=spec.frame,
        )


def read_references(path: Path) -> list[Reference]:
    """Read and validate a reference points file; a problem names the file, entry and field."""
    file = str(path)
    try:
        raw = read_toml(path, what="the reference points file")
    except DataFileError as error:
        raise ScenarioError(error.detail, file=file) from None
    try:
        parsed = ReferencesFile.model_validate(raw)
    except ValidationError as error:
        raise _validation_error(error, raw, file) from None
    return [Reference.from_spec(entry) for entry in parsed.reference]


def references_schema() -> dict[str, Any]:
    """The JSON Schema of the reference points file, from the models."""
    return ReferencesFile.model_json_schema()


def _validation_error(error: ValidationError, raw: Any, file: str) -> ScenarioError:
    """Every problem pydantic found (one per entry and field), as one error."""
    problems: dict[tuple[str | None, str | None], ScenarioError] = {}
    details = error.errors()
    for detail in details:
        loc = detail["loc"]
        if any(
            len(other["loc"]) > len(loc) and other["loc"][: len(loc)] == loc for other in details
        ):
            continue  # "at least 1 item" because its one item failed: a cascade, not a problem
        problem = _problem(detail, raw, file)
        problems.setdefault((problem.step, problem.field), problem)
    return combined(list(problems.values()))


def _problem(first: Any, raw: Any, file: str) -> ScenarioError:
    entry_name, loc = entry_of(list(first["loc"]), raw, "reference")
    field = ".".join(str(part) for part in loc) or None
    message = plain_message(first)
    if first["type"] == "literal_error" and "input" in first:
        message = f"{message}; got {clip(repr(first['input']))}"
    return ScenarioError(message, file=file, step=entry_name, field=field)
