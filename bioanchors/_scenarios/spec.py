"""The scenario file format: typed models of what a TOML file may say, and its reader.

A file is untrusted input: it is parsed with the standard library's ``tomllib`` and validated
by these pydantic models (which also give its JSON Schema, ``bioanchors schema``); nothing in
it is executed. Every problem becomes a :class:`~bioanchors.ScenarioError` that names the
file, the step and the field.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Final, TypeAlias

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictStr,
    ValidationError,
    field_validator,
    model_validator,
)

import bioanchors.surrogate  # noqa: F401  (registers the architecture kinds)
from bioanchors._files import DataFileError, read_toml
from bioanchors._frames import FRAMES, Frame, frame_glossary_text
from bioanchors._graph.distributions import Distribution, Point
from bioanchors._graph.inputs import Shape
from bioanchors._scenarios.file_correlations import (
    CORRELATIONS_DESCRIPTION,
    CorrelationSpec,
    entry_field,
)
from bioanchors._scenarios.file_units import UNITS_TABLE_DESCRIPTION
from bioanchors._scenarios.problems import clip, combined, entry_of, plain_message
from bioanchors.errors import ScenarioError
from bioanchors.surrogate.architecture import (
    ArchitectureStep,
    architecture_kinds,
    architecture_union,
)

__all__ = [
    "INPUT_KINDS",
    "MAX_CREDIBILITY",
    "MIN_CREDIBILITY",
    "ArchitectureSpec",
    "CorrelationSpec",
    "ScenarioSpec",
    "Source",
    "StepSpec",
    "read_spec",
    "scenario_schema",
]

_STRICT = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
_NAME = r"^[a-z_][a-z0-9_]*$"
_STREAM = r"^[a-z0-9][a-z0-9._-]*/[a-z_][a-z0-9_]*$"
INPUT_KINDS = ("value", "between", "distribution", "architecture")

MIN_CREDIBILITY: Final = 0.01
"""Smallest ``credibility`` a file's ``between`` may have: a 1 % interval."""
MAX_CREDIBILITY: Final = 1.0 - 1e-9
"""Largest ``credibility`` (nine nines): closer to 1, ``lo`` and ``hi`` no longer set a spread
(at 0.9999999999999999 a normal's spread rounds to zero and the step becomes a constant)."""

# Numbers in a file are TOML integers or floats: never booleans or strings (pydantic's lax mode
# would read ``true`` as 1 and ``"1.2e3"`` as 1200).
Number = StrictFloat
_UNION_TAGS: Final = frozenset({"str", "float", "int", "bool"})
_REQUIRED: Final = re.compile(r"field '(\w+)' is required")


class Source(BaseModel):
    """Who said it and where: the default citation of a scenario's steps."""

    model_config = _STRICT
    who: str = Field(min_length=1, description="who said it: the author(s), e.g. 'Carlsmith'")
    where: str = Field(
        min_length=1, description="where they said it: the work's title, venue and year"
    )
    url: str | None = Field(default=None, description="a link to the source")
    date: str | None = Field(default=None, description="when it was published or read")


if TYPE_CHECKING:
    ArchitectureSpec: TypeAlias = ArchitectureStep
else:
    ArchitectureSpec = architecture_union()
"""A surrogate network described in a file, keyed by ``kind`` (without one: ``"tcn"``); its
size or cost becomes the step's value. One member per registered architecture kind."""


class StepSpec(BaseModel):
    """One step of a scenario file, as written (each field's meaning: its ``description``).

    Numbers are TOML integers or floats, never booleans or quoted strings.
    """

    model_config = _STRICT
    name: Annotated[
        str,
        Field(
            pattern=_NAME,
            description="the step's name (lowercase letters, digits, _), unique in the file; "
            "formulas refer to it. In a scenario that extends another, a step with a parent "
            "step's name replaces it",
        ),
    ]
    unit: StrictStr | None = Field(
        default=None,
        description='the step\'s unit: required for an input step ("" for a pure number); an '
        "architecture step's defaults to FLOP / step / neuron (flop_per_step) or parameter / "
        "neuron (parameters), and may drop the / neuron; a formula step's is the formula's",
    )
    input_unit: StrictStr | None = Field(
        default=None,
        description="the unit an input's value, between or distribution is written in when it "
        "is not the step's `unit` (of the same dimension): converted to `unit` on load as "
        "pint converts, so 20 degC is 293.15 K; Scenario.to_toml writes it for an override "
        "given in another unit",
    )
    value: Number | None = Field(
        default=None, description="an input's single value (a point: no uncertainty)"
    )
    between: tuple[Number, Number] | None = Field(
        default=None,
        description="an uncertain input as [lo, hi]: an interval holding `credibility` (0.9) "
        "of the probability, lognormal unless `shape` says otherwise",
    )
    credibility: (
        Annotated[
            Number,
            Field(
                ge=MIN_CREDIBILITY,
                le=MAX_CREDIBILITY,
            ),
        ]
        | None
    ) = Field(default=None, description="the probability inside [lo, hi] (default 0.9)")
    shape: Shape | None = Field(
        default=None, description="the distribution through [lo, hi]; default lognormal"
    )
    distribution: Distribution | None = Field(
        default=None, description="an input's full distribution, a table keyed by `kind`"
    )
    architecture: ArchitectureSpec | None = Field(
        default=None,
        description="a surrogate network (keyed by `kind`) whose parameters or FLOP per step "
        "become the input's value",
    )
    formula: StrictStr | None = Field(
        default=None,
        description="a formula over earlier steps (+ - * / **, parentheses, numbers and the "
        "formula functions: exp, log, sqrt, min, max, ...); units are checked. Parsed by a "
        "safe parser, never executed",
    )
    claimed: StrictStr | Number | None = Field(
        default=None,
        description="the value the source states for this step, checked by the audit: a "
        "number with its unit, e.g. '1e17 FLOP/s' (any unit of the step's dimension); a bare "
        "number is read in the step's unit, or for the output step without one in the "
        "scenario's unit; on another formula step without a unit, only if dimensionless",
    )
    who: StrictStr | None = Field(
        default=None, description="who said it; defaults to the scenario's [source] who"
    )
    where: StrictStr | None = Field(
        default=None, description="where they said it; defaults to the scenario's [source] where"
    )
    quote: StrictStr | None = Field(
        default=None,
        description="the source's own words for this value; an input step needs a quote or a "
        "page (its citation), or assumption = true",
    )
    page: StrictStr | None = Field(
        default=None, description="where in the source: a page, section, table or figure"
    )
    url: StrictStr | None = Field(default=None, description="a link to this step's source")
    shaky: StrictBool = Field(
        default=False,
        description="true for a number that rests on little evidence: it must then be a wide "
        "prior (between or a distribution), never a single value",
    )
    assumption: StrictBool = Field(
        default=False,
        description="true marks the number as a personal assumption (who defaults to [source]), "
        "the honest minimal citation when no source states it: it needs a note saying what it "
        "assumes, and is shown as 'assumption (who)'; with a quote or page, both are shown",
    )
    note: StrictStr | None = Field(
        default=None,
        description="the judgement calls: how the source's words became this number, and what "
        "the number means",
    )
    stream: Annotated[str, Field(pattern=_STREAM)] | None = Field(
        default=None,
        description="the random stream the step's input draws from, as 'scenario/step' "
        "(default: this file's name and the step's name); Scenario.to_toml writes it for a "
        "step inherited through extends or saved under another name, so that the file draws "
        "the same numbers as the scenario it was written from",
    )

    @field_validator("distribution", mode="before")
    @classmethod
    def _strict_distribution(cls, raw: Any) -> Any:
        _check_numbers(raw)
        return raw

    @model_validator(mode="after")
    def _one_kind(self) -> StepSpec:
        kinds = [k for k in (*INPUT_KINDS, "formula") if getattr(self, k) is not None]
        if len(kinds) != 1:
            found = ", ".join(kinds) if kinds else "none"
            raise ValueError(
                "a step needs exactly one of value, between, distribution, architecture or "
                f"formula; found {found}"
            )
        if (self.credibility is not None or self.shape is not None) and self.between is None:
            raise ValueError("credibility and shape go with between = [lo, hi]")
        if self.assumption and not (self.note or "").strip():
            raise ValueError("an assumption needs a note saying what it assumes")
        derived = self.formula is not None or self.architecture is not None
        if self.input_unit is not None and derived:
            raise ValueError("input_unit goes with value, between or distribution")
        if self.formula is None:
            if self.unit is None and self.architecture is None:
                raise ValueError('an input step needs a unit (use unit = "" for a pure number)')
            if not (self.quote or self.page or self.assumption):
                raise ValueError(
                    "an input step needs a citation: a quote or a page (who and where default "
                    "to the scenario's [source]), or assumption = true with a note saying what "
                    "it assumes"
                )
            if self.shaky and (
                self.value is not None
                or (self.distribution is not None and isinstance(self.distribution, Point))
            ):
                raise ValueError("a shaky input needs a wide prior, not a single value")
        return self

    @property
    def is_input(self) -> bool:
        return self.formula is None


class ScenarioSpec(BaseModel):
    """A scenario file, as written (before ``extends`` is resolved)."""

    model_config = _STRICT
    name: Annotated[
        str,
        Field(
            pattern=r"^[a-z0-9][a-z0-9._-]*$",
            description="the scenario's name; must match the file name (NAME.toml)",
        ),
    ]
    title: str = Field(min_length=1, description="a one-line title, shown in lists and tables")
    description: str = Field(
        default="", description="what the scenario argues, and what its result means"
    )
    output: str | None = Field(
        default=None,
        description="the step whose value is the scenario's answer (required unless inherited)",
    )
    unit: str | None = Field(
        default=None,
        description="the unit of the answer, e.g. 'FLOP/s' (required unless inherited)",
    )
    frame: Frame | None = Field(
        default=None,
        description="what the output measures (required unless inherited through extends): "
        + frame_glossary_text(),
    )
    extends: str | None = Field(
        default=None,
        description="the name of a scenario (bundled or on BIOANCHORS_PATH), or a path "
        "relative to this file ('./base.toml'), to start from: "
        "its steps are kept in order with their citations, a step here with a parent step's "
        "name replaces it in place, new steps come after (then output is required); output, "
        "unit and frame are inherited unless set here",
    )
    source: Source | None = Field(
        default=None,
        description="the default who and where of this file's steps (a parent's keep theirs)",
    )
    tags: list[str] = Field(default=[], description="free-form labels, for grouping")
    units: dict[str, StrictStr] = Field(default={}, description=UNITS_TABLE_DESCRIPTION)
    steps: list[StepSpec] = Field(
        default=[],
        description="the steps, in order: inputs (value, between, distribution or "
        "architecture, each cited) and formulas over earlier steps",
    )
    correlations: list[CorrelationSpec] = Field(default=[], description=CORRELATIONS_DESCRIPTION)

    @model_validator(mode="after")
    def _complete(self) -> ScenarioSpec:
        if self.extends is None:
            for key in ("output", "unit", "frame"):
                if getattr(self, key) is None:
                    raise ValueError(
                        f"field {key!r} is required (or extends = another scenario)"
                        + (f"; one of {', '.join(map(repr, FRAMES))}" if key == "frame" else "")
                    )
            if not self.steps:
                raise ValueError("a scenario needs at least one [[steps]] entry")
        counts = Counter(step.name for step in self.steps)
        duplicates = sorted(name for name, count in counts.items() if count > 1)
        if duplicates:
            raise ValueError(f"step names must be unique; repeated: {', '.join(duplicates)}")
        return self


def scenario_schema() -> dict[str, Any]:
    """The JSON Schema of the scenario file format (``bioanchors schema``), from the models."""
    return ScenarioSpec.model_json_schema()


def read_spec(path: Path) -> ScenarioSpec:
    """Read and validate one scenario file (no ``extends`` resolution)."""
    file = str(path)
    try:
        raw = read_toml(path, what="a scenario file")
    except DataFileError as error:
        raise ScenarioError(error.detail, file=file) from None
    name = raw.get("name") if isinstance(raw, dict) else None
    misnamed = (
        ScenarioError(
            f"name {name!r} must match the file name {path.stem!r}", file=file, field="name"
        )
        if isinstance(name, str) and name != path.stem
        else None
    )
    try:
        spec = ScenarioSpec.model_validate(raw)
    except ValidationError as error:
        found = _validation_error(error, raw, file).problems
        named = any(problem.field == "name" and problem.step is None for problem in found)
        extra = (misnamed,) if misnamed is not None and not named else ()
        raise combined([*found, *extra]) from None
    if misnamed is not None:
        raise misnamed
    return spec


def _validation_error(error: ValidationError, raw: Any, file: str) -> ScenarioError:
    """Every problem pydantic found (one per step and field), as one error."""
    problems: dict[tuple[str | None, str | None], ScenarioError] = {}
    for detail in error.errors():
        problem = _problem(detail, raw, file)
        problems.setdefault((problem.step, problem.field), problem)  # a union: one per field
    return combined(list(problems.values()))


def _problem(first: Any, raw: Any, file: str) -> ScenarioError:
    step, loc = entry_of(list(first["loc"]), raw, "steps")
    if len(loc) > 1 and loc[0] == "correlations" and isinstance(loc[1], int):
        loc = [entry_field(loc[1] + 1), *loc[2:]]  # "correlations #1.rho"
    while len(loc) > 1 and loc[-1] in _UNION_TAGS:  # "claimed.str": pydantic's union member
        loc = loc[:-1]
    if len(loc) > 1 and loc[0] == "architecture" and loc[1] in architecture_kinds():
        loc = [loc[0], *loc[2:]]  # "architecture.tcn.window": the kind is pydantic's tag
    field = ".".join(str(part) for part in loc) or None
    message = plain_message(first)
    required = _REQUIRED.match(message)
    if field is None and step is None and required:  # a whole-file check names its field
        field = required.group(1)
    if first["type"] not in ("extra_forbidden", "missing") and "input" in first and field:
        message = f"{message}; got {clip(repr(first['input']))}"
    return ScenarioError(message, file=file, step=step, field=field)


def _check_numbers(raw: Any) -> None:
    """Refuse booleans and strings where a distribution table holds numbers (``kind`` aside)."""
    if isinstance(raw, dict):
        for key, value in raw.items():
            if key == "kind":
                continue
            if isinstance(value, bool | str):
                raise ValueError(
                    f"{key} must be a number, got {clip(repr(value))} "
                    "(write numbers without quotes; true and false are not numbers)"
                )
            _check_numbers(value)
    elif isinstance(raw, list):
        for item in raw:
            if isinstance(item, bool | str):
                raise ValueError(f"expected numbers, got {clip(repr(item))}")
            _check_numbers(item)
