"""A scenario name defined in several files on ``BIOANCHORS_PATH`` is an error only where it is
used: asked for by name, extended, or loaded with every scenario (where it is skipped with a
warning naming its files, as a broken user file is); every other name and any path still work.
"""

from __future__ import annotations

import os
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
import bioanchors.timelines
from bioanchors import catalog
from bioanchors._scenarios import catalog as private
from bioanchors.cli import main

SCENARIO = """\
name = "{name}"
title = "A test scenario"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_ambiguous_names.py"

[[steps]]
name = "neurons"
unit = "neuron"
value = 1e11
page = "1"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
value = 1e4
page = "2"

[[steps]]
name = "total"
formula = "neurons * cost"
"""

CHILD = """\
name = "{name}"
title = "A child"
extends = "{parent}"
"""


def write(folder: Path, name: str, text: str | None = None) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    body = SCENARIO.format(name=name) if text is None else text
    path.write_text(body, encoding="utf-8")
    return path


@pytest.fixture
def twins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, Path]:
    """'mine' in two folders on BIOANCHORS_PATH."""
    first, second = write(tmp_path / "a", "mine"), write(tmp_path / "b", "mine")
    monkeypatch.setenv(catalog.ENV_VAR, os.pathsep.join([str(first.parent), str(second.parent)]))
    return first, second


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_other_names_and_paths_load(
    capsys: pytest.CaptureFixture[str], twins: tuple[Path, Path]
) -> None:
    first, second = twins
    assert ba.load_scenario("kokotajlod-2021").name == "kokotajlod-2021"
    assert ba.load_scenario(second).estimate().median == ba.load_scenario(first).estimate().median
    for argv in (
        ["run", "kokotajlod-2021", "-n", "1000"],
        ["run", str(first), "-n", "1000"],
        ["show", "kokotajlod-2021"],
        ["audit", "kokotajlod-2021"],
    ):
        code, out, err = run(capsys, *argv)
        assert (code, err) == (0, ""), argv
        assert out


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "mine"],
        ["show", "mine"],
        ["audit", "mine"],
        ["run", "mine:claimed"],
        ["report", "--scenarios", "mine", "-n", "1000"],
        ["timelines", "--brain", "mine", "-n", "1000"],
    ],
)
def test_the_name_asked_for_is_the_error_naming_both_files(
    capsys: pytest.CaptureFixture[str], twins: tuple[Path, Path], argv: list[str]
) -> None:
    code, _, err = run(capsys, *argv)
    assert code == 2
    (line,) = err.splitlines()
    first, second = twins
    assert f"scenario 'mine' is defined twice: {first} and {second}; rename one" in line
    assert "sc.save('folder/my-name.toml')" in line


def test_python_names_both_files(twins: tuple[Path, Path]) -> None:
    with pytest.raises(ba.ScenarioError, match="defined twice") as error:
        ba.load_scenario("mine")
    assert all(str(path) in str(error.value) for path in twins)
    assert "mine" in ba.scenarios()  # listed: only using it is the error


@pytest.mark.filterwarnings("default::bioanchors.errors.BioanchorsWarning")
def test_list_shows_the_others_and_warns_about_the_twin(
    capsys: pytest.CaptureFixture[str], twins: tuple[Path, Path]
) -> None:
    code, out, err = run(capsys, "list")
    assert code == 0
    assert "kokotajlod-2021" in out
    assert "mine" not in out
    (line,) = err.splitlines()
    assert line.startswith("bioanchors: warning: skipped scenario 'mine', which cannot be loaded")
    assert all(str(path) in line for path in twins)
    assert "shows the full error" not in line  # the warning is the whole error already


def test_every_scenario_skips_the_twin_with_a_warning(twins: tuple[Path, Path]) -> None:
    with pytest.warns(ba.BioanchorsWarning, match="skipped scenario 'mine'.*defined twice"):
        every = [name for name, _ in private.load_every_or_skip()]
    assert "mine" not in every
    assert every == [name for name in ba.scenarios() if name != "mine"]
    with pytest.warns(ba.BioanchorsWarning, match="skipped scenario 'mine'"):
        brains = ba.timelines.default_brains()
    assert "kokotajlod-2021:claimed" in brains
    assert "mine" not in brains
    with pytest.warns(ba.BioanchorsWarning, match="skipped scenario 'mine'"):
        assert private.load_or_skip("mine") is None


def test_extending_the_twin_is_the_error_in_the_extending_file(
    tmp_path: Path, twins: tuple[Path, Path]
) -> None:
    child = write(tmp_path / "c", "child", CHILD.format(name="child", parent="mine"))
    with pytest.raises(ba.ScenarioError, match="extends 'mine', but scenario 'mine'") as error:
        ba.load_scenario(child)
    assert (error.value.file, error.value.field) == (str(child), "extends")
    assert all(str(path) in str(error.value) for path in twins)


def test_a_saved_bundled_parent_skips_its_bundled_children_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A variant saved under a bundled parent's name makes that name ambiguous for the bundled
    files extending it as well: skipped with warnings (the user's file is the cause, not a
    bundled file's bug), and an error when one of them is asked for."""
    saved = ba.load_scenario("beniaguev-2021-tcn").with_inputs(neurons=1e10).save(tmp_path)
    monkeypatch.setenv(catalog.ENV_VAR, str(tmp_path))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        every = {name for name, _ in private.load_every_or_skip()}
    skipped = {"beniaguev-2021-tcn", "irving-2021-reversed-control", "irving-2021"}
    assert skipped | {"steve2152-2021"} <= set(ba.scenarios()) - every
    assert "kokotajlod-2021" in every
    assert all(issubclass(w.category, ba.BioanchorsWarning) for w in caught)
    assert all(str(saved) in str(w.message) for w in caught)
    with pytest.raises(ba.ScenarioError, match="extends 'beniaguev-2021-tcn', but") as error:
        ba.load_scenario("irving-2021")
    assert error.value.file is not None
    assert error.value.file.endswith("irving-2021-reversed-control.toml")


FOLDERS = st.lists(
    st.sets(st.sampled_from(["mine", "yours", "moravec-1998"]), max_size=3), min_size=1, max_size=3
)


@settings(max_examples=30)
@given(folders=FOLDERS, repeat=st.booleans())
def test_a_name_is_an_error_exactly_when_several_files_define_it(
    folders: list[set[str]], repeat: bool
) -> None:
    """Any folders of files: every name is listed; a name in one file (a folder listed twice
    being one file) loads, a name in several raises naming each file in path order; loading
    every scenario skips exactly the ambiguous names, with a warning."""
    with tempfile.TemporaryDirectory() as root, pytest.MonkeyPatch.context() as patch:
        paths = [Path(root) / str(index) for index in range(len(folders))]
        for folder, names in zip(paths, folders, strict=True):
            folder.mkdir()
            for name in sorted(names):
                write(folder, name)
        listed = paths + paths[:1] if repeat else paths
        patch.setenv(catalog.ENV_VAR, os.pathsep.join(map(str, listed)))
        files: dict[str, list[Path]] = {"moravec-1998": [catalog.data_dir() / "scenarios"]}
        for folder, names in zip(paths, folders, strict=True):
            for name in names:
                files.setdefault(name, []).append(folder)
        ambiguous = {name for name, where in files.items() if len(where) > 1}

        assert set(files) <= set(ba.scenarios())
        for name, where in files.items():
            if name in ambiguous:
                with pytest.raises(ba.ScenarioError, match=f"scenario '{name}' is defined") as e:
                    ba.load_scenario(name)
                shown = [str(e.value).index(str(folder / f"{name}.toml")) for folder in where]
                assert shown == sorted(shown)
            else:
                assert ba.load_scenario(name).name == name
        assert ba.load_scenario("kokotajlod-2021").name == "kokotajlod-2021"

        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            every = [name for name, _ in private.load_every_or_skip()]
        assert every == [name for name in ba.scenarios() if name not in ambiguous]
        warned = {name for name in ambiguous if any(f"'{name}'" in str(w.message) for w in caught)}
        assert (len(caught), warned) == (len(ambiguous), ambiguous)
