"""The anchors file's validation tables against the one-class-per-field tables of its schema.

``AnchorsFile`` validates each section with one shared :class:`Cited` validator whose
``value`` is checked as the parameter model's field (``_cited.cited_table``); the JSON Schema
is built from a class ``Cited_<field>`` per field (``_cited.schema_table``, the way both were
built before). The second is the reference: for the bundled file and for any corruption of it,
both accept the same values or refuse with the same errors (location, type, message) in the
same order, and the messages the library prints are the same.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from bioanchors._files import read_toml
from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra import Cited
from bioanchors.timelines.cotra import file as anchors_file
from bioanchors.timelines.cotra._file_errors import file_error
from bioanchors.timelines.cotra.file import AnchorsFile, default_anchors_path, load_anchors_file

_BUNDLED = read_toml(str(default_anchors_path()), what="an anchors parameter file")
_SECTIONS = ("anchors", "weights", "affordability")
_FIELDS = {section: sorted(_BUNDLED[section]) for section in _SECTIONS}


def _outcome(model: type[BaseModel], data: dict[str, Any]) -> object:
    try:
        return model.model_validate(data).model_dump()
    except ValidationError as error:
        return [(e["loc"], e["type"], e["msg"]) for e in error.errors()]


def _message(model: type[AnchorsFile], data: dict[str, Any]) -> str | None:
    try:
        model.model_validate(data)
    except ValidationError as error:
        return str(file_error("f.toml", error, data, anchors_file._SECTION_FIELDS))
    return None


def test_the_bundled_file_validates_alike_and_each_entry_is_cited() -> None:
    reference = anchors_file._schema_model()
    assert _outcome(AnchorsFile, _BUNDLED) == _outcome(reference, _BUNDLED)
    found = load_anchors_file(default_anchors_path())
    entry = found.affordability.citation("spend_doubling_time_years")
    assert isinstance(entry, Cited)
    assert entry.value == 2.5


def test_the_schema_keeps_one_definition_per_field_with_its_bound() -> None:
    defs = anchors_file.anchors_schema()["$defs"]
    assert sum(name.startswith("Cited_") for name in defs) == sum(map(len, _FIELDS.values()))
    value = defs["Cited_spend_doubling_time_years"]["properties"]["value"]
    assert (value["minimum"], value["maximum"]) == (0.05, 1000.0)


def test_a_bad_value_names_the_file_the_table_and_the_field() -> None:
    data = copy.deepcopy(_BUNDLED)
    data["affordability"]["spend_doubling_time_years"]["value"] = 1e-20
    with pytest.raises(InvalidInputError, match=r"^f.toml: \[affordability\] "):
        anchors_file._validated("f.toml", data)
    assert _message(AnchorsFile, data) == _message(anchors_file._schema_model(), data)


_VALUES = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**400), 10**400),
    st.booleans(),
    st.text(max_size=5),
    st.none(),
    st.lists(st.floats(-1e3, 1e3), max_size=3),
    st.sampled_from(["anchor", "requirement", "x"]),
)
_KEYS = st.sampled_from(["value", "who", "where", "quote", "page", "note", "alternatives", "zz"])


@st.composite
def _corrupted(draw: st.DrawFn) -> dict[str, Any]:
    data = copy.deepcopy(_BUNDLED)
    for _ in range(draw(st.integers(1, 4))):
        section = draw(st.sampled_from(_SECTIONS))
        field = draw(st.sampled_from(_FIELDS[section]))
        key = draw(_KEYS)
        action = draw(st.sampled_from(["set", "delete", "drop-field"]))
        if action == "drop-field":
            data[section].pop(field, None)
        elif action == "delete":
            data[section].get(field, {}).pop(key, None)
        elif field in data[section]:
            data[section][field][key] = draw(_VALUES)
    return data


@settings(max_examples=150, deadline=None)
@given(_corrupted())
def test_any_corruption_is_refused_alike(data: dict[str, Any]) -> None:
    reference = anchors_file._schema_model()
    assert _outcome(AnchorsFile, data) == _outcome(reference, data)
    assert _message(AnchorsFile, data) == _message(reference, data)


def test_another_pydantic_schema_layout_falls_back_to_the_per_field_class() -> None:
    """If pydantic lays Cited's core schema out otherwise, the field is validated by a
    per-field ``Cited_<name>`` class (slower to build, the same checks), not refused."""

    from bioanchors.timelines.cotra._cited import _ValueOf

    built: list[Any] = []

    class Handler:
        def __call__(self, source: Any) -> dict[str, Any]:
            return {"type": "model"}

        def resolve_ref_schema(self, schema: dict[str, Any]) -> dict[str, Any]:
            return schema

        def generate_schema(self, cls: Any) -> dict[str, Any]:
            built.append(cls)
            return {"type": "sentinel"}

    schema = _ValueOf("halving_years", float).__get_pydantic_core_schema__(
        object,
        Handler(),  # type: ignore[arg-type]
    )
    assert schema == {"type": "sentinel"}
    assert built[0].__name__ == "Cited_halving_years"
    assert built[0].model_fields["value"].annotation is float
