"""``bioanchors schema``: every field of the scenario file format says what it means, down to
the distribution tables (keyed by ``kind``) and the architecture tables of every registered
kind, in every ``$defs`` entry."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

from bioanchors.catalog import scenario_schema
from bioanchors.cli import main
from bioanchors.surrogate.architecture import architecture_kinds


def _properties(node: Any, where: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every property schema anywhere below ``node``, with its path."""
    if isinstance(node, dict):
        for name, schema in (node.get("properties") or {}).items():
            yield f"{where}.{name}", schema
        for key, value in node.items():
            yield from _properties(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, f"{where}[{index}]")


def test_every_property_has_a_description() -> None:
    schema = scenario_schema()
    found = list(_properties(schema, "#"))
    missing = [path for path, prop in found if not str(prop.get("description", "")).strip()]
    assert missing == []
    assert len(found) > 80  # the walk reached the nested models


def test_the_walk_covers_every_distribution_and_architecture_kind() -> None:
    defs = scenario_schema()["$defs"]
    kinds = {
        d["properties"]["kind"].get("const")
        for d in defs.values()
        if "kind" in d.get("properties", {})
    }
    assert {"point", "normal", "lognormal", "uniform", "loguniform", "mixture"} <= kinds
    assert set(architecture_kinds()) <= kinds
    assert "CorrelationSpec" in defs
    assert "units" in scenario_schema()["properties"]


def test_a_property_without_a_description_is_caught() -> None:
    broken = {"$defs": {"X": {"properties": {"a": {"type": "number"}, "b": {"description": "b"}}}}}
    assert [p for p, s in _properties(broken, "#") if "description" not in s] == ["#/$defs/X.a"]


def test_the_cli_prints_the_described_schema() -> None:
    out = io.StringIO()
    assert main(["schema"], out=out) == 0
    printed = json.loads(out.getvalue())
    assert printed["properties"]["correlations"]["description"].startswith("inputs whose")
