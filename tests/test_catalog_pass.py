"""Loading every scenario in one pass (``load_every_or_skip``, the default brains of
``bioanchors timelines``): the same scenarios as loading each by name, each file read once."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

import bioanchors as ba
from bioanchors._scenarios import catalog as private
from bioanchors._scenarios.spec import ScenarioSpec, read_spec


def test_one_pass_gives_what_loading_each_name_gives() -> None:
    every = private.load_every_or_skip()
    assert [name for name, _ in every] == ba.scenarios()
    for name, scenario in every:
        alone = ba.load_scenario(name)
        assert scenario.to_toml() == alone.to_toml()
        assert scenario.parents == alone.parents
        assert scenario.estimate(2_000, seed=1).median == alone.estimate(2_000, seed=1).median


def test_a_parent_extended_by_several_scenarios_is_read_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: Counter[Path] = Counter()
    real = read_spec

    def counted(path: Path) -> ScenarioSpec:
        reads[path.resolve()] += 1
        return real(path)

    monkeypatch.setattr(private, "read_spec", counted)
    private.load_every_or_skip()
    assert reads, "read_spec was not used"
    assert max(reads.values()) == 1
    parents = Counter(p for _, s in private.load_every_or_skip() for p in s.parents)
    assert parents["beniaguev-2021-tcn"] >= 3  # a shared parent (else this shows nothing)


def test_a_broken_bundled_file_raises_in_one_pass_too(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(path: Path) -> ScenarioSpec:
        raise ba.ScenarioError("broken", file=str(path))

    monkeypatch.setattr(private, "read_spec", refuse)
    with pytest.raises(ba.ScenarioError, match="broken"):
        private.load_every_or_skip()
