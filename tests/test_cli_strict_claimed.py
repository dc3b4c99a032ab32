"""``audit --strict`` as a CI gate, and ``NAME:claimed`` wherever a scenario name goes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bioanchors.cli import main

# kokotajlod-2021's file: its source claims 1e17 FLOP/s for the total; its own steps
# (1e5 FLOP per neuron per 1 ms step, 1e11 neurons) multiply to 1e19.
KOKOTAJLOD_CLAIM = 1e17


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def _user_file(tmp_path: Path, claimed: str) -> Path:
    path = tmp_path / "mine.toml"
    path.write_text(
        'name = "mine"\ntitle = "t"\noutput = "total"\nunit = "FLOP/s"\nframe = "functional"\n'
        '[source]\nwho = "me"\nwhere = "my notes"\n'
        '[[steps]]\nname = "neurons"\nunit = "neuron"\nvalue = 1e11\npage = "1"\n'
        '[[steps]]\nname = "per"\nunit = "FLOP/s/neuron"\nvalue = 1e4\npage = "1"\n'
        f'[[steps]]\nname = "total"\nformula = "neurons * per"\nclaimed = "{claimed}"\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize("json_flag", [[], ["--json"]])
def test_strict_exits_1_on_a_mismatch_and_says_which(
    capsys: pytest.CaptureFixture[str], json_flag: list[str]
) -> None:
    code, out, err = run(capsys, "audit", "kokotajlod-2021", "--strict", *json_flag)
    assert code == 1
    assert "1 of 4 claims mismatch (total)" in err
    assert out  # the audit itself is printed as without --strict
    code_plain, out_plain, _ = run(capsys, "audit", "kokotajlod-2021", *json_flag)
    assert code_plain == 0
    assert out == out_plain


@pytest.mark.parametrize("name", ["kurzweil-2005", "carlsmith-2020-limit", "merkle-1989"])
def test_strict_exits_0_when_every_claim_agrees(
    capsys: pytest.CaptureFixture[str], name: str
) -> None:
    code, _, err = run(capsys, "audit", name, "--strict")
    assert (code, err) == (0, "")


def test_strict_gates_a_users_own_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "audit", str(_user_file(tmp_path, "1e15 FLOP/s")), "--strict")[0] == 0
    wrong = _user_file(tmp_path, "1e16 FLOP/s")  # one order of magnitude off
    assert run(capsys, "audit", str(wrong), "--strict")[0] == 1
    assert run(capsys, "audit", str(wrong), "--strict", "--tolerance", "1.01")[0] == 0


def test_strict_with_waterfall_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "audit", "kokotajlod-2021", "--strict", "--waterfall")
    assert code == 2
    assert "--strict" in err
    assert "--waterfall" in err


def test_run_takes_name_claimed(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "run", "kokotajlod-2021:claimed", "--json")
    assert code == 0
    record = json.loads(out)
    assert record["method"] == "analytic"  # a point: the claim itself
    assert record["percentiles"]["50"] == pytest.approx(KOKOTAJLOD_CLAIM, rel=1e-12)
    code, out, _ = run(capsys, "run", "kokotajlod-2021")
    assert "1.0e19" in out  # the recomputed value, for contrast


def test_report_and_plot_take_name_claimed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    argv = ["report", "--scenarios", "kokotajlod-2021", "kokotajlod-2021:claimed", "-n", "2000"]
    code, out, _ = run(capsys, *argv)
    assert code == 0
    rows = {line.split()[0]: line.split()[1] for line in out.splitlines() if "kokotajlod" in line}
    assert rows == {"kokotajlod-2021": "1.0e19", "kokotajlod-2021:claimed": "1.0e17"}
    figure = tmp_path / "forest.png"
    code, _, err = run(
        capsys, "plot", "kokotajlod-2021", "kokotajlod-2021:claimed", "--out", str(figure)
    )
    assert code == 0, err
    assert figure.stat().st_size > 0


@pytest.mark.parametrize(
    ("argv", "instead"),
    [
        (["audit", "kokotajlod-2021:claimed"], "bioanchors audit kokotajlod-2021"),
        (["audit", "kokotajlod-2021:claimed", "--waterfall"], "bioanchors audit kokotajlod-2021"),
        (["sweep", "kokotajlod-2021:claimed", "neurons", "1e10"], "bioanchors sweep kokotajlod"),
        (["run", "kokotajlod-2021:claimed", "--set", "neurons=1e10"], "inputs of 'kokotajlod"),
        (["show", "kokotajlod-2021:claimed"], "bioanchors show kokotajlod-2021"),
        (
            ["plot", "kokotajlod-2021:claimed", "--kind", "tornado", "--out", "x.png"],
            "--kind tornado",
        ),
        (["plot", "kokotajlod-2021:claimed", "--kind", "audit", "--out", "x.png"], "--kind audit"),
    ],
)
def test_name_claimed_where_it_means_nothing_says_why(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    instead: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, *argv)
    assert code == 2
    assert out == ""
    assert "takes no 'kokotajlod-2021:claimed'" in err
    assert instead in err
    assert len(err.splitlines()) == 1


def test_name_claimed_of_a_scenario_without_a_claim(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "run", "merkle-1989:claimed")
    assert code == 2
    assert "claims no value for its output step" in err
