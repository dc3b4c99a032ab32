"""The Cotra (2020) parameter file (``data/anchors/cotra-2020.toml``) as pydantic models.

Every parameter is a table ``[<section>.<field>]`` holding its ``value`` and the citation of
that value: ``who``, ``where`` and a ``quote`` (exact text of the source) or a ``page`` (a
locator), optionally ``unit``, ``tag``, ``note``, ``choice`` and ``alternatives``. The sections
are ``[anchors]``, ``[weights]`` and ``[affordability]``, one table per field of
:class:`~bioanchors.timelines.cotra.params.AnchorParams`,
:class:`~bioanchors.timelines.cotra.params.MixtureWeights` and
:class:`~bioanchors.timelines.cotra.params.AffordabilityParams`, with the same bounds; optional
``[meta]`` and ``[reproduction]`` (Cotra's own brain input and the headline numbers she
reports). A file may ``extends = "cotra-2020"`` (a bundled name or a path relative to it) and
give only what changes, each changed value with its own citation, and ``name`` itself (default:
its stem; see :mod:`~bioanchors.timelines.cotra.variants`); :meth:`AnchorsFile.with_values`
makes the same variant in Python. :func:`load_anchors_file` keeps the citations
(:class:`Cited`), :func:`load_anchor_params` the values; :func:`anchors_schema` is the JSON
Schema. Any problem raises :class:`~bioanchors.errors.InvalidInputError`
``"<file>: [<section>] <field>: <problem>"``.

>>> bundled = load_anchors_file(cotra_2020_params_path())
>>> cited = bundled.affordability.citation("spend_doubling_time_years")
>>> cited.value, cited.who
(2.5, "Jesse Hoogland and Peter Wildeford, ports of Cotra's (2020) best-guess spreadsheet")
>>> bundled.params().weights.medium
0.3
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Self

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    create_model,
    model_validator,
)

from bioanchors._files import data_dir, read_toml
from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra._cited import (
    Cited,
    CitedTable,
    Text,
    _Strict,
    cited_table,
    schema_table,
)
from bioanchors.timelines.cotra._fields import Number, Within
from bioanchors.timelines.cotra._file_errors import file_error
from bioanchors.timelines.cotra.params import (
    AffordabilityParams,
    AnchorParams,
    CotraParams,
    MixtureWeights,
)
from bioanchors.timelines.cotra.variants import (
    check_changes,
    check_dotted,
    merge,
    resolve_extends,
    value_text,
)

__all__ = [
    "AnchorsFile",
    "Cited",
    "Reproduction",
    "anchors_schema",
    "cotra_2020_params_path",
    "default_anchors_path",
    "load_anchor_params",
    "load_anchors_file",
]

if TYPE_CHECKING:
    AnchorsTable = CitedTable[AnchorParams]
    WeightsTable = CitedTable[MixtureWeights]
    AffordabilityTable = CitedTable[AffordabilityParams]
else:
    AnchorsTable = cited_table(AnchorParams)
    WeightsTable = cited_table(MixtureWeights)
    AffordabilityTable = cited_table(AffordabilityParams)


class Meta(BaseModel):
    """Free-form description of the file (title, the model it is for, its units)."""

    model_config = ConfigDict(frozen=True, extra="allow", protected_namespaces=())
    title: str | None = None
    model: str | None = None
    units: str | None = None


class Reproduction(BaseModel):
    """Not model parameters: Cotra's own brain input (log10 FLOP/s ~ Normal(median, sd)) and
    the headline numbers (``prob_by_2030``, ``median_year``, ...) that reproduce her report."""

    model_config = ConfigDict(
        frozen=True, extra="allow", allow_inf_nan=False, protected_namespaces=()
    )
    brain_log10_flops_median: (
        Annotated[Number, Within(-30.0, 100.0, "log10 FLOP/s (a finite number)")] | None
    ) = None
    brain_log10_flops_sd: (
        Annotated[
            Number, Within(0.0, 100.0, "orders of magnitude (a positive number)", lo_open=True)
        ]
        | None
    ) = None

    @model_validator(mode="after")
    def _both_or_neither(self) -> Self:
        if (self.brain_log10_flops_median is None) != (self.brain_log10_flops_sd is None):
            raise ValueError(
                "brain_log10_flops_median and brain_log10_flops_sd: give both or neither"
            )
        return self

    @property
    def brain(self) -> tuple[float, float] | None:
        """``(median, sd)`` of Cotra's brain input in log10 FLOP/s, if the file gives it."""
        median, sd = self.brain_log10_flops_median, self.brain_log10_flops_sd
        return None if median is None or sd is None else (median, sd)


def _one_line(text: str) -> str:
    if any(c in text for c in "\r\n\t") or len(text) > 200:
        raise ValueError("must be one line of at most 200 characters")
    return text


class AnchorsFile(_Strict):
    """A parsed anchors parameter file: the cited values of every section.

    ``name`` names the anchors in tables and plots (as loaded: the file's own, else its stem);
    ``extends`` is the name of the anchors a variant changes (None for a whole file).
    """

    name: Annotated[Text, AfterValidator(_one_line)] | None = Field(
        None, description="What tables and plots call these anchors (default: the file's stem)."
    )
    extends: Text | None = Field(
        None,
        description="The anchors this file changes: a bundled name ('cotra-2020') or a path "
        "relative to this file. Give only the fields that change, each with its own citation.",
    )
    meta: Meta | None = None
    anchors: AnchorsTable
    weights: WeightsTable
    affordability: AffordabilityTable
    reproduction: Reproduction | None = None

    def params(self) -> CotraParams:
        """The parameter values (the citations dropped)."""
        return CotraParams(
            anchors=AnchorParams(**self.anchors.values()),
            weights=MixtureWeights(**self.weights.values()),
            affordability=AffordabilityParams(**self.affordability.values()),
        )

    @property
    def variant_label(self) -> str | None:
        """How tables name a variant (``"fast-hardware (extends cotra-2020)"``; a name derived
        from its changes already says what it extends); None if it extends nothing."""
        if self.extends is None:
            return None
        name = self.name or "unnamed"
        return name if name.startswith(f"{self.extends} + ") else f"{name} (extends {self.extends})"

    def with_values(
        self,
        changes: Mapping[str, Any],
        *,
        name: str | None = None,
        where: str = "AnchorsFile.with_values",
    ) -> AnchorsFile:
        """A variant of these anchors with ``changes`` (dotted path -> value, e.g.
        ``{"affordability.hardware_halving_time_years": 1.5}``), checked as a file would be.

        Each changed value is recorded as the user's own assumption (``who = "the user"``,
        ``where``, no source); every other value keeps its citation. The variant ``extends``
        this file's name and is named ``name`` or ``"<name> + path=value + ..."``.

        >>> fast = load_anchors_file(default_anchors_path()).with_values(
        ...     {"affordability.hardware_halving_time_years": 1.5})
        >>> fast.name, fast.params().affordability.hardware_halving_time_years
        ('cotra-2020 + affordability.hardware_halving_time_years=1.5', 1.5)
        """
        if not changes:
            raise InvalidInputError(f"{where}: no changes given")
        base = self.name or "anchors"
        data = self.model_dump(exclude_none=True)
        shown = []
        for dotted, value in changes.items():
            section, field = check_dotted(dotted)
            text = value_text(value)
            shown.append(f"{dotted}={text}")
            data[section][field] = {
                "value": value,
                "who": "the user",
                "where": where,
                "page": f"{dotted}={text}",
                "note": "a user's assumption, set without a source",
            }
        data["name"] = name if name is not None else " + ".join([base, *shown])
        data["extends"] = base
        return _validated(where, data)


_SECTION_FIELDS: dict[str, list[str]] = {
    name: list(getattr(info.annotation, "model_fields", {}))
    for name, info in AnchorsFile.model_fields.items()
}
"""Each top-level table of the file with the fields it may hold (for the error messages)."""


def _validated(path: str, data: dict[str, Any]) -> AnchorsFile:
    try:
        return AnchorsFile.model_validate(data)
    except ValidationError as error:
        raise file_error(path, error, data, _SECTION_FIELDS) from None


_MAX_CHAIN = 20


def _read(path: str, chain: tuple[Path, ...] = ()) -> dict[str, Any]:
    """The file's document with its ``extends`` chain merged in (each parent checked whole,
    problems blamed on the file that has them)."""
    data = read_toml(path, what="an anchors parameter file")
    if "extends" not in data:
        return data
    parent = resolve_extends(data["extends"], path)
    here = (*chain, Path(path).resolve())
    if parent.resolve() in here or len(here) > _MAX_CHAIN:
        raise InvalidInputError(
            f"{path}: extends {data['extends']!r} makes a cycle or too long a chain"
        )
    check_changes(path, data)
    parent_data = _read(os.fspath(parent), here)
    parent_name = _validated(os.fspath(parent), parent_data).name or parent.stem
    return {**merge(parent_data, data), "extends": parent_name}


def load_anchors_file(path: str | os.PathLike[str]) -> AnchorsFile:
    """Read an anchors parameter file, keeping every value's citation (stdlib :mod:`tomllib`,
    never ``eval``; regular files only, size-capped, strict UTF-8). A variant's ``extends``
    chain is merged in; ``name`` defaults to the file's stem."""
    data = _read(os.fspath(path))
    found = _validated(os.fspath(path), data)
    return found if found.name is not None else found.model_copy(update={"name": Path(path).stem})


def load_anchor_params(path: str | os.PathLike[str]) -> CotraParams:
    """Read Cotra-model parameters from a TOML file: :func:`load_anchors_file` without the
    citations.

    Any missing or unknown field, wrong type, missing citation, value outside its bound or
    weights that do not sum to 1 raises ``ValueError``
    (:class:`~bioanchors.errors.InvalidInputError`) naming the file, the section and the field.

    >>> params = load_anchor_params(cotra_2020_params_path())
    >>> params.weights.medium, params.affordability.spend_doubling_time_years
    (0.3, 2.5)
    """
    return load_anchors_file(path).params()


def anchors_schema() -> dict[str, Any]:
    """The JSON Schema of an anchors parameter file (``bioanchors schema anchors``)."""
    return _schema_model().model_json_schema()


@functools.cache
def _schema_model() -> type[AnchorsFile]:
    """:class:`AnchorsFile` with its sections' schema tables (built on the first call)."""
    make: Callable[..., type[AnchorsFile]] = create_model
    return make(
        "AnchorsFile",
        __base__=AnchorsFile,
        __doc__=AnchorsFile.__doc__,
        anchors=(schema_table(AnchorParams), ...),
        weights=(schema_table(MixtureWeights), ...),
        affordability=(schema_table(AffordabilityParams), ...),
    )


def default_anchors_path() -> Path:
    """The bundled Cotra (2020) parameter file, ``data/anchors/cotra-2020.toml`` (source
    ``data/anchors/``, or wheel ``_data``)."""
    return data_dir() / "anchors" / "cotra-2020.toml"


cotra_2020_params_path = default_anchors_path
"""The same function under the name the model's modules first used."""
