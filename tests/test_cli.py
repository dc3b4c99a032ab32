"""The command line: report, list, run, audit, plot, schema, and clean errors."""

from __future__ import annotations

import csv
import inspect
import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import bioanchors as ba
import bioanchors.cli
import bioanchors.timelines
from bioanchors import catalog
from bioanchors.cli import main


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_report_lists_every_bundled_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--samples", "2000")
    assert code == 0
    for name in catalog.scenarios():
        assert name in out
    assert "off: total" in out  # kokotajlod-2021's claimed total does not survive the audit


def test_report_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--samples", "2000", "--json")
    assert code == 0
    data = json.loads(out)
    names = [row["scenario"] for row in data["scenarios"]]
    assert "irving-2021" in names
    kokotajlod = next(r for r in data["scenarios"] if r["scenario"] == "kokotajlod-2021")
    assert kokotajlod["audit_failures"] == ["total"]
    assert kokotajlod["oom_above_1e15"] == pytest.approx(4.0)


def test_list_has_one_row_per_scenario_with_its_frame_and_title(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0
    header, rule, *rows = out.splitlines()
    assert header.split() == ["scenario", "frame", "title"]
    assert set(rule) <= {"-", " "}
    names = catalog.scenarios()
    assert len(rows) == len(names)
    for row, name in zip(rows, names, strict=True):
        assert row.startswith(name)
        assert row.endswith(ba.load_scenario(name).title)
        assert row.split()[1] == ba.load_scenario(name).frame


def test_run_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "kokotajlod-2021", "--json")
    assert code == 0
    data = json.loads(out)
    # exactly Estimate.to_dict(): the same keys and one set of percentiles (issue 13)
    estimate = ba.load_scenario("kokotajlod-2021").estimate(100_000, seed=0)
    assert data == json.loads(json.dumps(estimate.to_dict()))
    assert ba.Estimate.from_dict(data).median == estimate.median
    assert {"unit", "n", "seed", "method", "percentiles", "mean"} <= set(data)
    assert data["unit"] == "FLOP/s"
    assert {"5", "50", "95"} <= set(data["percentiles"])
    assert data["percentiles"]["50"] == pytest.approx(1e19)


def test_run_text(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "irving-2021", "--samples", "5000", "--seed", "3")
    assert code == 0
    scenario = ba.load_scenario("irving-2021")
    estimate = scenario.estimate(5000, seed=3)
    assert out == (
        f"irving-2021: {scenario.title}\n{estimate}\n"
        f"method={estimate.method} n=5000 seed=3 frame=functional\n"
    )


def test_run_options(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(
        capsys,
        "run",
        "irving-2021",
        "--samples",
        "5000",
        "--seed",
        "3",
        "--method",
        "qmc",
        "--json",
    )
    assert code == 0
    data = json.loads(out)
    assert (data["n"], data["seed"], data["method"]) == (5000, 3, "qmc")


def test_audit_json_follows_the_contract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "kokotajlod-2021", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["scenario"] == "kokotajlod-2021"
    total = data["steps"][-1]
    # DESIGN's keys, and the verdict that tells "no claim" from "ok"
    assert set(total) == {
        "name",
        "formula",
        "unit",
        "claimed",
        "recomputed",
        "ratio",
        "ok",
        "verdict",
    }
    assert total["verdict"] == "MISMATCH"
    assert total["claimed"] == pytest.approx(1e17)
    assert total["recomputed"] == pytest.approx(1e19)
    assert total["ratio"] == pytest.approx(100)
    assert total["ok"] is False
    assert all(step["ok"] for step in data["steps"][:-1])


def test_audit_text_and_its_default_tolerance(capsys: pytest.CaptureFixture[str]) -> None:
    default = inspect.signature(ba.Scenario.audit).parameters["tolerance"].default
    assert default == catalog.DEFAULT_TOLERANCE
    code, out, _ = run(capsys, "audit", "kokotajlod-2021")
    assert code == 0
    assert out.startswith(f"Audit of kokotajlod-2021 (tolerance {default} orders of magnitude)")
    assert "MISMATCH" in out  # the claimed total is 100x off
    header = out.splitlines()[2].split()
    assert header == ["step", "unit", "claimed", "recomputed", "ratio", "verdict"]  # all named
    assert str(ba.load_scenario("kokotajlod-2021").audit()).split("\n")[0].split()[-1] == "verdict"
    code, loose, _ = run(capsys, "audit", "kokotajlod-2021", "--tolerance", "3")
    assert code == 0
    assert "MISMATCH" not in loose


def test_audit_waterfall_text_and_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "audit", "irving-2021", "--waterfall")
    assert code == 0
    assert out.startswith("Waterfall of irving-2021")
    lines = out.splitlines()
    assert any("reversed_control" in line for line in lines)
    (marked,) = [line for line in lines if "<- largest" in line]
    assert "multi_neuron_scaling" in marked or "reversed_control" in marked
    code, out, _ = run(capsys, "audit", "irving-2021", "--waterfall", "--json", "-n", "3000")
    assert code == 0
    data = json.loads(out)  # strict: NaN or Infinity would not parse back the same
    assert (data["scenario"], data["frame"], data["n"]) == ("irving-2021", "functional", 3000)
    steps = data["steps"]
    assert steps[0]["op"] == "start"
    assert steps[0]["median_before"] is None
    assert steps[-1]["unit"] == "FLOP/s"
    expected = ba.load_scenario("irving-2021").waterfall(n=3000).to_dict()["steps"]
    assert steps == expected


@pytest.mark.parametrize("argv", [["schema"], ["schema", "scenario"]])
def test_schema_is_the_scenario_schema(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    code, out, _ = run(capsys, *argv)
    assert code == 0
    schema = json.loads(out)
    assert schema == json.loads(json.dumps(catalog.scenario_schema()))
    assert "steps" in schema["properties"]


def test_schema_anchors(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "anchors")
    assert code == 0
    expected = bioanchors.timelines.anchors_schema()
    assert json.loads(out) == json.loads(json.dumps(expected))
    assert json.loads(out) != json.loads(json.dumps(catalog.scenario_schema()))


def test_schema_references(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "schema", "references")
    assert code == 0
    schema = json.loads(out)
    assert schema == json.loads(json.dumps(catalog.references_schema()))
    entry = schema["$defs"]["ReferenceSpec"]
    assert "frame" in entry["required"]


def test_the_module_docstring_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    listed = capsys.readouterr().out.split("COMMAND", 2)[2]
    commands = re.findall(r"^ {4}(\w+)(?: |$)", listed, flags=re.MULTILINE)
    assert {"report", "list", "run", "audit", "plot", "timelines", "schema"} <= set(commands)
    doc = bioanchors.cli.__doc__ or ""
    for command in commands:
        assert re.search(rf"^bioanchors {command}\b", doc, flags=re.MULTILINE), command


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["run", "kokotajlod-2012"], "did you mean 'kokotajlod-2021'"),
        (["audit", "nope"], "unknown scenario"),
        (["run", "/no/such.toml"], "no scenario file"),
    ],
)
def test_errors_are_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], argv: list[str], message: str
) -> None:
    code, _out, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
    assert err.startswith("bioanchors: error:")


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "x", "--samples", "0"],
        ["run", "x", "--method", "fast"],
        ["nonsense"],
        [],
        ["audit", "kokotajlod-2021", "--tolerance", "-1"],
        ["schema", "yaml"],
    ],
)
def test_argument_errors_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_python_dash_m() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "bioanchors", "run", "kokotajlod-2021", "--json"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["percentiles"]["50"] == pytest.approx(1e19)


@pytest.mark.parametrize("fmt", ["text", "markdown", "json", "csv"])
def test_report_formats(capsys: pytest.CaptureFixture[str], fmt: str) -> None:
    code, out, _ = run(
        capsys,
        "report",
        "--samples",
        "2000",
        "--format",
        fmt,
        "--scenarios",
        "elm-2023",
        "kokotajlod-2021",
    )
    assert code == 0
    assert "kokotajlod-2021" in out
    assert "beniaguev-2021-tcn" not in out
    if fmt == "json":
        data = json.loads(out)
        assert data["scenarios"][1]["p_above_1e21"] == 0.0
        assert [r["frame"] for r in data["scenarios"]] == ["emulation", "emulation"]
        assert data["frames"] == {"emulation": ba.FRAME_GLOSSARY["emulation"]}
        assert data["frames_note"] is None  # one frame: nothing to warn about
    if fmt == "csv":
        header = out.splitlines()[0].split(",")
        assert header[:3] == ["scenario", "title", "frame"]
        records = list(csv.DictReader(io.StringIO(out)))
        assert len(records) == 2
        assert all(r["frame"] == "emulation" and r["unit"] == "FLOP/s" for r in records)
        assert all((r["n"], r["seed"]) == ("2000", "0") for r in records)
    if fmt == "markdown":
        assert out.startswith("**Brain compute by scenario** (unit FLOP/s · n 2000 · seed 0;")
        assert "| scenario | frame |" in out
        assert "| elm-2023 | emulation |" in out
    assert "frames differ" not in out.lower()


def _report(capsys: pytest.CaptureFixture[str], fmt: str) -> str:
    names = ["irving-2021", "elm-2023", "carlsmith-2020-mechanistic", "kokotajlod-2021"]
    code, out, err = run(capsys, "report", "-n", "2000", "--format", fmt, "--scenarios", *names)
    assert code == 0, err
    return out


def test_report_groups_rows_by_frame_and_labels_a_mix(capsys: pytest.CaptureFixture[str]) -> None:
    grouped = ["elm-2023", "kokotajlod-2021", "irving-2021", "carlsmith-2020-mechanistic"]
    text = _report(capsys, "text")
    lines = text.splitlines()
    assert "frames differ: emulation costs and functional estimates" in lines[1]
    headings = [i for i, line in enumerate(lines) if line.startswith("[")]
    assert [lines[i].split("]")[0] for i in headings] == ["[emulation", "[functional"]
    assert lines[headings[1]] == f"[functional] {ba.FRAME_GLOSSARY['functional']}"
    order = [line.split()[0] for line in lines if line.split()[:1] and line.split()[0] in grouped]
    assert order == grouped
    row_of = {line.split()[0]: index for index, line in enumerate(lines) if line.split()}
    assert headings[0] < row_of["elm-2023"] < row_of["kokotajlod-2021"] < headings[1]
    assert headings[1] < row_of["irving-2021"]
    data = json.loads(_report(capsys, "json"))
    assert [row["scenario"] for row in data["scenarios"]] == grouped
    assert [row["frame"] for row in data["scenarios"]] == ["emulation"] * 2 + ["functional"] * 2
    assert data["frames_note"].startswith("frames differ")
    markdown = _report(capsys, "markdown")
    assert "**Frames differ" in markdown
    assert "| irving-2021 | functional |" in markdown
    csv_rows = _report(capsys, "csv").splitlines()[1:]
    assert [row.split(",")[0] for row in csv_rows] == grouped


def test_report_writes_the_forest_plot(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "forest.png"
    code, _, err = run(capsys, "report", "--samples", "2000", "--plot", str(target))
    assert code == 0, err
    assert target.stat().st_size > 10_000


@pytest.mark.parametrize("kind", ["forest", "cdf", "tornado", "audit"])
def test_plot_kinds(capsys: pytest.CaptureFixture[str], tmp_path: Path, kind: str) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / f"{kind}.png"
    names = ["kokotajlod-2021"] if kind in ("tornado", "audit") else ["elm-2023", "irving-2021"]
    if kind == "tornado":
        names = ["irving-2021"]
    code, _, err = run(
        capsys, "plot", *names, "--kind", kind, "--out", str(target), "--samples", "2000"
    )
    assert code == 0, err
    assert target.stat().st_size > 5_000


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["plot", "--out", "/no/such/folder/x.png"], "does not exist"),
        (["report", "--plot", "/no/such/folder/x.png"], "does not exist"),
        (["plot", "--out", "x.txt"], ".png"),
        (["plot", "nope-2021", "--out", "x.png"], "unknown scenario"),
        (["plot", "elm-2023", "irving-2021", "--kind", "audit", "--out", "x.png"], "one scenario"),
        (
            ["plot", "--kind", "audit", "--out", "x.png"],
            "--kind audit draws one scenario; none was named",
        ),
        (["plot", "elm-2023", "--kind", "audit", "--out", "x.png"], "claimed"),
        (["report", "--scenarios", "nope-2021"], "unknown scenario"),
    ],
)
def test_plot_and_report_errors(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    argv: list[str],
    message: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, *argv)
    assert code == 2
    assert message in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    "argv", [["plot", "--kind", "pie", "--out", "x.png"], ["report", "--format", "yaml"]]
)
def test_unknown_choices_exit_2(capsys: pytest.CaptureFixture[str], argv: list[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


def test_plot_without_matplotlib_is_a_clear_error(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # as if it were not installed
    code, _, err = run(capsys, "report", "--plot", str(tmp_path / "f.png"))
    assert code == 2
    assert "pip install 'bioanchors[plot]'" in err
    assert "Traceback" not in err


def test_an_unexpected_bug_is_one_line_not_a_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(catalog, "scenarios", broken)
    monkeypatch.delenv("BIOANCHORS_DEBUG", raising=False)
    code, _, err = run(capsys, "list")
    assert code == 1
    assert "internal error: RuntimeError: boom" in err
    assert "Traceback" not in err
    monkeypatch.setenv("BIOANCHORS_DEBUG", "1")
    with pytest.raises(RuntimeError):
        main(["list"])


@pytest.mark.filterwarnings("default::bioanchors.errors.BioanchorsWarning")
def test_a_library_warning_is_one_line_on_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Python's default shows the library's file, line number and source line
    # (".../catalog.py:110: BioanchorsWarning: ... return _build(...)")
    path = tmp_path / "unused.toml"
    path.write_text(
        'name = "unused"\ntitle = "t"\noutput = "a"\nunit = "FLOP/s"\nframe = "functional"\n'
        '[[steps]]\nname = "a"\nunit = "FLOP/s"\nvalue = 1e15\npage = "1"\n'
        '[[steps]]\nname = "b"\nunit = "FLOP/s"\nvalue = 1e15\npage = "1"\n',
        encoding="utf-8",
    )
    code, _, err = run(capsys, "run", str(path), "-n", "100")
    assert code == 0
    lines = err.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("bioanchors: warning: ")
    assert "step 'b' is not used" in lines[0]
    assert "catalog.py" not in err


@pytest.mark.filterwarnings("default::bioanchors.errors.BioanchorsWarning")
def test_list_shows_the_good_scenarios_and_names_a_broken_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "broken.toml").write_text('name = "broken"\ntitle = "t"\n', encoding="utf-8")
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    code, out, err = run(capsys, "list")
    assert code == 0  # skipped with a one-line warning, as report and timelines do
    assert "beniaguev-2021-tcn" in out  # the bundled ones are still listed
    assert "broken" not in out
    (line,) = err.splitlines()
    assert "warning: skipped scenario 'broken'" in line
    assert "broken.toml" in line


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["timelines", "--set", "affordability.hardware_halving_time_years", "1.5"], "timelines"),
        (["run", "kokotajlod-2021", "extra"], "run"),
    ],
)
def test_a_stray_argument_points_at_the_commands_own_help(
    capsys: pytest.CaptureFixture[str], argv: list[str], command: str
) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert err.startswith(f"bioanchors {command}: error: unrecognized arguments: {argv[-1]}")
    assert f"(see 'bioanchors {command} --help')" in err
