"""Authoring scenario files: every problem at once, show/new/units, schema descriptions,
broken user files skipped, and marked personal assumptions."""

from __future__ import annotations

import re
import textwrap
import tomllib
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import bioanchors as ba
from bioanchors import catalog
from bioanchors._scenarios.spec import ScenarioSpec, _validation_error
from bioanchors._units.registry import as_unit
from bioanchors.cli import main
from bioanchors.timelines.cotra.file import default_anchors_path, load_anchors_file

HEAD = """
name = "{name}"
title = "An authoring test"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_authoring.py"
"""

GOOD_STEPS = """
[[steps]]
name = "neurons"
unit = "neuron"
value = 1e11
page = "1"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
between = [1e3, 1e5]
page = "2"

[[steps]]
name = "total"
formula = "neurons * cost"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def problems_of(path: Path) -> list[tuple[str | None, str | None]]:
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    return [(p.step, p.field) for p in caught.value.problems]


def test_three_validation_problems_are_all_reported(tmp_path: Path) -> None:
    text = HEAD.format(name="three") + GOOD_STEPS
    text = text.replace('page = "1"', 'page = "1"\nquot = "typo"')  # 1: an unknown field
    text = text.replace('page = "2"\n', "")  # 2: an input without a citation
    text += "claimed = true\n"  # 3: a claim that is not a number or a string
    path = write(tmp_path, "three", text)
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    error = caught.value
    assert [(p.step, p.field) for p in error.problems] == [
        ("neurons", "quot"),
        ("cost", None),
        ("total", "claimed"),
    ]
    assert (error.step, error.field, error.file) == ("neurons", "quot", str(path))
    lines = str(error).splitlines()
    assert lines[0] == f"file {path}: 3 problems:"
    assert lines[1].startswith("  step 'neurons', field 'quot': unknown field")
    assert "needs a citation" in lines[2]
    assert lines[3].startswith("  step 'total', field 'claimed':")


def test_one_problem_reads_as_before(tmp_path: Path) -> None:
    text = (HEAD.format(name="one") + GOOD_STEPS).replace('unit = "neuron"', 'unit = "nooron"')
    path = write(tmp_path, "one", text)
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    error = caught.value
    assert error.problems == (error,)
    assert str(error).startswith(f"file {path}, step 'neurons', field 'unit': unknown unit")
    assert "\n" not in str(error)


def test_build_problems_in_different_steps_are_collected_without_cascades(
    tmp_path: Path,
) -> None:
    text = HEAD.format(name="built") + textwrap.dedent("""
        [[steps]]
        name = "neurons"
        unit = "nooron"
        value = 1e11
        page = "1"

        [[steps]]
        name = "rate"
        unit = "Hz"
        between = [1, 10]
        page = "1"

        [[steps]]
        name = "broken"
        formula = "rate * (("

        [[steps]]
        name = "uses_neurons"
        formula = "neurons * rate"

        [[steps]]
        name = "uses_broken"
        formula = "broken * 2"

        [[steps]]
        name = "total"
        formula = "rate * 1"
        unit = "FLOP/s"
        """)
    path = write(tmp_path, "built", text)
    # a unit error, a formula error and a unit mismatch; the two steps that use a failed step
    # are not reported (they fail only because the earlier one did)
    assert problems_of(path) == [("neurons", "unit"), ("broken", "formula"), ("total", "unit")]


def test_an_unknown_name_is_reported_beside_a_failed_step_it_also_uses(tmp_path: Path) -> None:
    """A formula over a failed step is not re-reported, but a name no step has is its own
    problem: `a * bogus` with `a` broken still says 'bogus' is unknown."""
    text = HEAD.format(name="unknown") + textwrap.dedent("""
        [[steps]]
        name = "a"
        unit = "FLOP/s"
        between = [10, 1]
        page = "1"

        [[steps]]
        name = "total"
        formula = "a * bogus"
        """)
    path = write(tmp_path, "unknown", text)
    assert problems_of(path) == [("a", "between"), ("total", "formula")]
    with pytest.raises(ba.ScenarioError, match=r"unknown name.*'bogus'"):
        ba.load_scenario(path)


def test_a_misspelt_name_of_a_failed_step_is_told_against_every_step(tmp_path: Path) -> None:
    """`neurons * cst` with `cost` broken: the hint names `cost`, which the evaluator (that
    sees only the steps that built) could not suggest."""
    text = HEAD.format(name="misspelt") + GOOD_STEPS.replace("[1e3, 1e5]", "[1e5, 1e3]")
    path = write(tmp_path, "misspelt", text.replace("neurons * cost", "neurons * cst"))
    assert problems_of(path) == [("cost", "between"), ("total", "formula")]
    with pytest.raises(ba.ScenarioError, match=r"unknown name.*'cst' \(did you mean 'cost'\?\)"):
        ba.load_scenario(path)


def test_a_wrong_output_is_told_beside_the_steps_problems(tmp_path: Path) -> None:
    """A misspelt `output` is one more problem of the same pass, not the next pass's."""

    def head(name: str) -> str:
        return HEAD.format(name=name).replace('output = "total"', 'output = "totl"')

    broken = GOOD_STEPS.replace("[1e3, 1e5]", "[1e5, 1e3]")
    path = write(tmp_path, "output", head("output") + broken)
    assert problems_of(path) == [("cost", "between"), (None, "output")]
    with pytest.raises(ba.ScenarioError, match=r"'totl' is not a step \(did you mean 'total'"):
        ba.load_scenario(path)
    alone = write(tmp_path, "alone", head("alone") + GOOD_STEPS)
    with pytest.raises(ba.ScenarioError, match="'totl' is not a step") as error:
        ba.load_scenario(alone)  # the only problem: Scenario() says it, as before
    assert error.value.field == "output"


def test_a_bad_claim_does_not_hide_a_later_step(tmp_path: Path) -> None:
    text = HEAD.format(name="claims") + GOOD_STEPS
    text = text.replace('page = "1"', 'page = "1"\nclaimed = "1e11 s"')
    text = text.replace('formula = "neurons * cost"', 'formula = "neurons * nothing"')
    path = write(tmp_path, "claims", text)
    assert problems_of(path) == [("neurons", "claimed"), ("total", "formula")]


def test_name_mismatch_is_reported_with_the_others(tmp_path: Path) -> None:
    text = (HEAD.format(name="other") + GOOD_STEPS).replace('unit = "neuron"\n', "")
    path = write(tmp_path, "mine", text)
    assert problems_of(path) == [("neurons", None), (None, "name")]


_DEFECTS = {
    "unknown field": ('page = "{i}"', 'page = "{i}"\nquot = "x"'),
    "no citation": ('page = "{i}"', ""),
    "bad credibility": ('page = "{i}"', 'page = "{i}"\ncredibility = 2.0'),
    "string number": ("between = [1, 10]", 'between = ["1", 10]'),
}


@settings(max_examples=25)
@given(st.lists(st.sampled_from(sorted(_DEFECTS)), min_size=1, max_size=5))
def test_every_defective_step_is_reported(defects: list[str]) -> None:
    """Property: a file with k steps, each with one defect, reports exactly those k steps."""
    steps = []
    for i, defect in enumerate(defects):
        step = f'[[steps]]\nname = "s{i}"\nunit = "Hz"\nbetween = [1, 10]\npage = "{i}"\n'
        old, new = _DEFECTS[defect]
        steps.append(step.replace(old.format(i=i), new.format(i=i)))
    steps.append('[[steps]]\nname = "total"\nformula = "s0 * 1"\n')
    text = HEAD.format(name="k").replace('"FLOP/s"', '"Hz"') + "\n".join(steps)
    data = tomllib.loads(text)
    with pytest.raises(ValidationError) as caught:
        ScenarioSpec.model_validate(data)
    error = _validation_error(caught.value, data, "k.toml")
    assert [p.step for p in error.problems] == [f"s{i}" for i in range(len(defects))]


def test_references_file_reports_every_problem(tmp_path: Path) -> None:
    from bioanchors._scenarios.references import read_references

    path = tmp_path / "references.toml"
    path.write_text(
        textwrap.dedent("""
            [[reference]]
            name = "a"
            frame = "functional"
            label = "A"
            value = "1e15 FLOP"
            who = "x"
            where = "y"
            page = "1"

            [[reference]]
            name = "b"
            frame = "sideways"
            label = "B"
            value = "1e15 FLOP/s"
            who = "x"
            where = "y"
            page = "2"

            [[reference]]
            name = "c"
            frame = "bound"
            label = "C"
            value = "1e15 FLOP/s"
            who = "x"
            where = "y"
            """),
        encoding="utf-8",
    )
    with pytest.raises(ba.ScenarioError) as caught:
        read_references(path)
    assert [(p.step, p.field) for p in caught.value.problems] == [
        ("a", "value"),
        ("b", "frame"),
        ("c", None),
    ]


def test_anchors_file_reports_every_problem(tmp_path: Path) -> None:
    text = default_anchors_path().read_text(encoding="utf-8")
    broken = text.replace("[weights.short]", "[weights.heavy]\nvalue = 1.0\n\n[weights.short]")
    broken = broken.replace(
        "\n[reproduction]", "\n[affordability.speed]\nvalue = 2.0\n\n[reproduction]", 1
    )
    assert broken != text
    assert broken.count("[affordability.speed]") == 1
    path = tmp_path / "mine.toml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(ValueError, match="2 problems") as caught:
        load_anchors_file(path)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert "[weights]" in lines[1]
    assert "heavy" in lines[1]
    assert "[affordability]" in lines[2]
    assert "speed" in lines[2]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_show_prints_a_scenario_or_an_anchors_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(capsys, "show", "kurzweil-2005")
    assert code == 0
    assert out == (catalog.data_dir() / "scenarios" / "kurzweil-2005.toml").read_text("utf-8")
    code, out, _ = run_cli(capsys, "show", "cotra-2020")
    assert code == 0
    assert out == default_anchors_path().read_text("utf-8")
    code, out, _ = run_cli(capsys, "show", "--anchors", "cotra-2020")
    assert out == default_anchors_path().read_text("utf-8")
    code, _, err = run_cli(capsys, "show", "kurzweil")
    assert code == 2
    assert "did you mean 'kurzweil-2005'" in err
    code, _, err = run_cli(capsys, "show", "--anchors", "kurzweil-2005")
    assert code == 2
    assert "no anchors file named 'kurzweil-2005'" in err


def test_show_a_path_and_a_user_folder(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path, "mine", HEAD.format(name="mine") + GOOD_STEPS)
    monkeypatch.setenv(catalog.ENV_VAR, str(tmp_path))
    for argv in (["show", "mine"], ["show", str(path)]):
        code, out, _ = run_cli(capsys, *argv)
        assert code == 0
        assert out == path.read_text("utf-8")


def test_new_writes_a_template_that_loads_without_warnings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = run_cli(capsys, "new", "my-brain")
    assert code == 0
    assert "my-brain.toml" in out
    text = (tmp_path / "my-brain.toml").read_text("utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scenario = ba.load_scenario("my-brain.toml")
        rows = scenario.audit()
    assert scenario.name == "my-brain"
    assert scenario.frame == "functional"
    assert all(row.ok for row in rows)  # the template's claim agrees with its arithmetic
    inputs = [step for step in scenario.steps if step.is_input]
    assert inputs
    assert all(step.citation for step in inputs)
    assert scenario.step("flop_per_neuron").citation == "assumption (Your Name)"
    azevedo = scenario.step("neurons").spec.quote
    bundled = ba.load_scenario("carlsmith-2020-mechanistic").step("neurons").spec.quote
    assert azevedo == bundled  # the template quotes the source as the bundled files do
    for teaches in (
        "frame",
        "[source]",
        "quote",
        "formula",
        "claimed",
        "shaky",
        "extends",
        "assumption",
    ):
        assert teaches in text
    # the optional tables load once uncommented (a unit of its own, a correlated pair)
    lines = text.splitlines()
    start = lines.index("# [units]")
    uncommented = lines[:start] + [
        line[2:] if re.match(r"# (\[|\w+ = )", line) else line for line in lines[start:]
    ]
    (tmp_path / "optional").mkdir()
    (tmp_path / "optional" / "my-brain.toml").write_text("\n".join(uncommented), "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        full = ba.load_scenario("optional/my-brain.toml")
    assert [c.spec.steps for c in full.correlations] == [["neurons", "flop_per_neuron"]]
    assert str(ba.point(2, "burst").estimate().median.to("spike").magnitude) == "20.0"
    # refusing to overwrite: the file is left as it was
    (tmp_path / "my-brain.toml").write_text("# mine\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "new", "my-brain")
    assert code == 2
    assert "exists already" in err
    assert (tmp_path / "my-brain.toml").read_text("utf-8") == "# mine\n"
    code, _, err = run_cli(capsys, "new", "My Brain")
    assert code == 2
    assert "lowercase" in err
    assert not (tmp_path / "My Brain.toml").exists()


def test_units_lists_the_brain_units_with_their_dimensions(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(capsys, "units")
    assert code == 0
    rows = {line.split()[0]: line for line in out.splitlines()[2:] if line.strip()}
    expected = {
        "neuron": "[neuron]",
        "synapse": "[synapse]",
        "spike": "[spike]",
        "step": "[step]",
        "parameter": "[parameter]",
        "FLOP": "[computation]",
        "bit_erasure": "[erasure]",
    }
    for unit, dimension in expected.items():
        assert dimension in rows[unit]
        assert str(as_unit(unit).dimensionality) == dimension  # the registry's own
    assert "2 * FLOP" in rows["MAC"]


def test_every_field_of_the_scenario_format_has_a_description() -> None:
    schema = catalog.scenario_schema()
    models = {"ScenarioSpec": schema, **schema["$defs"]}
    checked = 0
    for model in ("ScenarioSpec", "Source", "StepSpec"):
        properties = models[model]["properties"]
        assert properties
        for field, entry in properties.items():
            assert entry.get("description"), f"{model}.{field} has no description"
            checked += 1
    assert checked >= 30
    steps = models["StepSpec"]["properties"]
    assert "quote or a page" in steps["quote"]["description"]
    assert "[source]" in steps["who"]["description"]
    assert "wide prior" in steps["shaky"]["description"]
    assert "unit" in steps["claimed"]["description"]
    assert "file name" in schema["properties"]["name"]["description"]
    assert "replaces" in schema["properties"]["extends"]["description"]


@pytest.fixture
def broken_user_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    text = (HEAD.format(name="broken") + GOOD_STEPS).replace('page = "1"', 'page = "1"\nquot = "x"')
    text = text.replace('page = "2"\n', "")
    path = write(tmp_path, "broken", text)
    write(tmp_path, "fine", HEAD.format(name="fine") + GOOD_STEPS)
    monkeypatch.setenv(catalog.ENV_VAR, str(tmp_path))
    return path


@pytest.mark.filterwarnings("default::bioanchors.errors.BioanchorsWarning")
def test_report_skips_a_broken_user_file_with_one_line(
    capsys: pytest.CaptureFixture[str], broken_user_file: Path
) -> None:
    code, out, err = run_cli(capsys, "report", "--samples", "500", "--format", "csv")
    assert code == 0
    assert "fine" in out
    assert "broken" not in out
    assert "kurzweil-2005" in out
    warning = [line for line in err.splitlines() if "broken" in line]
    assert len(warning) == 1
    assert warning[0].startswith("bioanchors: warning: skipped scenario 'broken'")
    assert str(broken_user_file) in warning[0]
    assert "field 'cost'" not in warning[0]  # one line: the first problem, and a count
    assert "and 1 more problem" in warning[0]
    # asked for by name, the full error: every problem
    for argv in (["run", "broken"], ["report", "--scenarios", "broken"]):
        code, _, err = run_cli(capsys, *argv)
        assert code == 2
        assert "2 problems" in err
        assert "step 'cost'" in err


def test_timelines_default_brains_skip_a_broken_user_file(broken_user_file: Path) -> None:
    with pytest.warns(ba.BioanchorsWarning, match=r"skipped scenario 'broken'.*'quot'"):
        names = ba.timelines.default_brains()
    assert "fine" in names
    assert "broken" not in names
    assert "kokotajlod-2021:claimed" in names


def test_a_broken_bundled_file_is_not_skipped(monkeypatch: pytest.MonkeyPatch) -> None:
    from bioanchors._scenarios import catalog as private

    def refuse(name: str) -> None:
        raise ba.ScenarioError("broken", file=name)

    monkeypatch.setattr(private, "load_scenario", refuse)
    with pytest.raises(ba.ScenarioError, match="broken"):
        private.load_or_skip("kurzweil-2005")


ASSUMED = """
[[steps]]
name = "neurons"
unit = "neuron"
value = 1e11
assumption = true
note = "a round 1e11; I have not checked a count"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
between = [1e3, 1e5]
who = "Someone Else"
assumption = true
page = "7"
note = "their guess, which I take as mine"

[[steps]]
name = "total"
formula = "neurons * cost"
"""


def test_a_marked_assumption_is_a_citation(tmp_path: Path) -> None:
    path = write(tmp_path, "assumed", HEAD.format(name="assumed") + ASSUMED)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        scenario = ba.load_scenario(path)
    assert scenario.step("neurons").citation == "assumption (A tester)"
    assert scenario.step("cost").citation == (
        "assumption (Someone Else); Someone Else, tests/test_authoring.py (p. 7)"
    )
    assert scenario.step("total").citation == ""
    assert "assumption (A tester)" in scenario._repr_html_()


@pytest.mark.parametrize("note", ["", "note = '   '\n"])
def test_an_assumption_needs_a_note(tmp_path: Path, note: str) -> None:
    text = (HEAD.format(name="bare") + ASSUMED).replace(
        'note = "a round 1e11; I have not checked a count"\n', note
    )
    path = write(tmp_path, "bare", text)
    with pytest.raises(ba.ScenarioError, match="assumption needs a note") as caught:
        ba.load_scenario(path)
    assert caught.value.step == "neurons"


def test_an_uncited_input_is_told_about_assumptions(tmp_path: Path) -> None:
    text = (HEAD.format(name="uncited") + ASSUMED).replace("assumption = true\n", "", 1)
    path = write(tmp_path, "uncited", text)
    with pytest.raises(ba.ScenarioError, match="or assumption = true with a note") as caught:
        ba.load_scenario(path)
    assert caught.value.step == "neurons"


def test_the_schema_documents_assumptions() -> None:
    steps = catalog.scenario_schema()["$defs"]["StepSpec"]["properties"]
    text = steps["assumption"]["description"]
    assert "note" in text
    assert "assumption (who)" in text


def test_a_saved_override_beside_its_bundled_original_says_how_to_rename_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`sc.with_inputs(...).save(folder)` keeps the bundled name; on BIOANCHORS_PATH that is a
    second 'kokotajlod-2021', and loading it says how to give the variant its own name."""
    variant = ba.load_scenario("kokotajlod-2021").with_inputs(neurons=1e10)
    saved = variant.save(tmp_path)
    monkeypatch.setenv(catalog.ENV_VAR, str(tmp_path))
    with pytest.raises(ba.ScenarioError, match="defined twice") as error:
        ba.load_scenario("kokotajlod-2021")
    assert ba.load_scenario("moravec-1998").name == "moravec-1998"  # the other names load
    assert str(saved) in str(error.value)
    assert "sc.save('folder/my-name.toml')" in str(error.value)
    assert variant.save(tmp_path / "my-koko.toml").name == "my-koko.toml"
    saved.unlink()
    assert "my-koko" in ba.scenarios()
    assert ba.load_scenario("my-koko").estimate().median == variant.estimate().median
