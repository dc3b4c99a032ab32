"""Issue 13 item 1: every results command in every format, JSON against its schema.

Each command runs in text, Markdown, JSON and CSV. JSON is parsed strictly (a ``NaN`` or
``Infinity`` token is an error) and validated twice: by the command's pydantic model and, as a
second implementation, by ``jsonschema`` against the JSON Schema that ``bioanchors schema NAME``
prints. CSV is read back with the csv module and must carry the unit, n, seed, method and frame
of every row.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._cli.formats import META_FIELDS, Table, json_text
from bioanchors._cli.schemas import OUTPUT_SCHEMAS, RunOutput
from bioanchors.cli import main

KOKO = "kokotajlod-2021"
CARLSMITH = "carlsmith-2020-mechanistic"
HALVING = "affordability.hardware_halving_time_years"

# name of the output schema -> the command line (without --format)
COMMANDS: dict[str, list[str]] = {
    "report": ["report", "-n", "2000", "--seed", "3", "--scenarios", KOKO, "irving-2021"],
    "run": ["run", CARLSMITH, "-n", "2000", "--seed", "3"],
    "audit": ["audit", KOKO, "-n", "2000", "--seed", "3"],
    "waterfall": ["audit", "irving-2021", "--waterfall", "-n", "2000", "--seed", "3"],
    "sweep": ["sweep", KOKO, "neurons", "1e10", "1e11", "-n", "2000", "--seed", "3"],
    "timelines": ["timelines", "--brain", KOKO, "-n", "2000", "--seed", "3"],
    "timelines-compare": [
        "timelines",
        "--brain",
        KOKO,
        "-n",
        "2000",
        "--seed",
        "3",
        "--set",
        f"{HALVING}=1.5",
        "--compare-anchors",
    ],
}
RUN_SET = ["run", CARLSMITH, "-n", "2000", "--seed", "3", "--set", "neurons=1e11"]
FORMATS = ("text", "markdown", "json", "csv")


def _cli(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def _reject(token: str) -> Any:
    raise AssertionError(f"not JSON: {token}")


def strict_json(text: str) -> Any:
    """Parsed JSON; NaN, Infinity and -Infinity are errors."""
    return json.loads(text, parse_constant=_reject)


def _check_schema(name: str, data: Any) -> None:
    OUTPUT_SCHEMAS[name].model_validate_json(json.dumps(data))
    jsonschema = pytest.importorskip("jsonschema")
    printed = json.loads(_cli("schema", name))
    jsonschema.validate(data, printed)


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("name", [*COMMANDS, "run --set"])
def test_every_command_prints_every_format(name: str, fmt: str) -> None:
    argv = RUN_SET if name == "run --set" else COMMANDS[name]
    out = _cli(*argv, "--format", fmt)
    assert out.strip(), "printed nothing"
    if fmt == "json":
        _check_schema("run" if name == "run --set" else name, strict_json(out))
    elif fmt == "csv":
        records = list(csv.DictReader(io.StringIO(out)))
        assert records
        for record in records:
            assert set(META_FIELDS) <= set(record)
            assert (record["n"], record["seed"]) == ("2000", "3")
            assert record["method"] in ("analytic", "mc", "qmc")
            assert record["frame"] in ba.FRAMES
            assert record["unit"]
    elif fmt == "markdown":
        assert "|---" in out
        assert "n 2000" in out
        assert "seed 3" in out
        assert any(frame in out for frame in ba.FRAMES)
        assert any(method in out for method in ("analytic", "mc"))
        assert "null" not in out  # JSON's word; a table says n/a or 'after 2200'
    else:
        assert "|---" not in out
        assert "2000" in out or name.startswith("audit")


@pytest.mark.parametrize("name", ["report", "run", "audit", "sweep", "timelines"])
def test_json_alias_equals_format_json(name: str) -> None:
    assert _cli(*COMMANDS[name], "--json") == _cli(*COMMANDS[name], "--format", "json")


def test_json_alias_beside_another_format_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*COMMANDS["run"], "--json", "--format", "csv"]) == 2
    assert "--json means --format json" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["auto", "mc", "qmc"])
def test_run_json_is_exactly_to_dict(method: str) -> None:
    printed = strict_json(
        _cli("run", CARLSMITH, "-n", "3000", "--seed", "5", "--method", method, "--format", "json")
    )
    estimate = ba.load_scenario(CARLSMITH).estimate(3000, seed=5, method=method)
    assert printed == json.loads(json.dumps(estimate.to_dict()))
    assert len(printed["percentiles"]) == 7
    assert ba.Estimate.from_dict(printed).percentile(50) == estimate.percentile(50)


def test_run_csv_holds_the_same_numbers_as_to_dict() -> None:
    record = next(csv.DictReader(io.StringIO(_cli(*COMMANDS["run"], "--format", "csv"))))
    estimate = ba.load_scenario(CARLSMITH).estimate(2000, seed=3)
    for q, value in estimate.to_dict()["percentiles"].items():
        assert float(record[f"p{q}"]) == value  # full precision, not the table's 2 figures
    assert (record["unit"], record["method"], record["frame"]) == ("FLOP/s", "mc", "functional")


def test_report_markdown_keeps_unit_n_seed_method_and_frame() -> None:
    out = _cli(*COMMANDS["report"], "--format", "markdown")
    assert "unit FLOP/s · n 2000 · seed 3" in out
    header = next(line for line in out.splitlines() if line.startswith("| scenario"))
    assert [c.strip() for c in header.strip("|").split("|")][-1] == "method"
    assert f"| {KOKO} | emulation |" in out
    assert "| analytic |" in out  # kokotajlod's closed form


def test_audit_csv_agrees_with_the_audit() -> None:
    records = list(csv.DictReader(io.StringIO(_cli(*COMMANDS["audit"], "--format", "csv"))))
    rows = ba.load_scenario(KOKO).audit(n=2000, seed=3)
    assert [r["name"] for r in records] == [row.name for row in rows]
    total = records[-1]
    assert (total["ok"], float(total["claimed"]), float(total["ratio"])) == ("false", 1e17, 100)
    assert records[0]["claimed"] == ""  # no claim: an empty cell, not "None"


# --------------------------------------------------------------------------- timelines --years


def test_timelines_years_choose_the_columns() -> None:
    argv = [*COMMANDS["timelines"], "--years", "2030", "2035", "2100"]
    text = _cli(*argv)
    header = next(line for line in text.splitlines() if line.startswith("brain"))
    assert "P(by 2030)  P(by 2035)  P(by 2100)" in header
    assert "2040" not in header
    default = _cli(*COMMANDS["timelines"])
    assert "P(by 2040)  P(by 2050)" in default  # the default columns stay
    records = list(csv.DictReader(io.StringIO(_cli(*argv, "--format", "csv"))))
    forecast = ba.timelines.compare_brains([KOKO], n=2000, seed=3)[1]
    assert float(records[1]["prob_by_2035"]) == forecast.prob_by(2035)
    markdown = _cli(*argv, "--format", "markdown")
    assert "P(TAI by 2035)" in markdown
    assert "P(TAI by 2040)" not in markdown
    data = strict_json(_cli(*argv, "--format", "json"))
    assert data["years"] == [2030, 2035, 2100]
    assert data["rows"][1]["prob_by"] == {str(y): forecast.prob_by(y) for y in (2030, 2035, 2100)}


def test_timelines_json_carries_every_years_cdf() -> None:
    data = strict_json(_cli(*COMMANDS["timelines"], "--years", "2033", "--format", "json"))
    forecasts = ba.timelines.compare_brains([KOKO], n=2000, seed=3)
    for row, forecast in zip(data["rows"], forecasts, strict=True):
        cdf = row["prob_by_year"]
        assert list(cdf) == [str(y) for y in range(2020, 2201)]  # Cotra's whole range
        # an independent reference: the share of draws whose arrival year is <= the year
        arrival = forecast.model.arrival_years(forecast.log10_training_flop)
        expected = [float(np.mean(arrival <= y)) for y in range(2020, 2201)]
        assert list(cdf.values()) == pytest.approx(expected, abs=1e-12)
        assert all(b >= a for a, b in itertools.pairwise(cdf.values()))


def test_compare_anchors_years() -> None:
    argv = [*COMMANDS["timelines-compare"], "--years", "2045"]
    data = strict_json(_cli(*argv, "--format", "json"))
    assert "prob_by_2045" in data["rows"][0]
    assert "prob_by_2030" not in data["rows"][0]
    assert "P(by 2045)" in _cli(*argv)
    default = strict_json(_cli(*COMMANDS["timelines-compare"], "--format", "json"))
    assert default["years"] == [2030, 2040, 2050]


@pytest.mark.parametrize(
    ("years", "wanted"),
    [(["2010"], "must lie in [2020, 2200]"), (["2050", "2040"], "increasing order")],
)
def test_timelines_refuses_bad_years(
    capsys: pytest.CaptureFixture[str], years: list[str], wanted: str
) -> None:
    assert main([*COMMANDS["timelines"], "--years", *years]) == 2
    err = capsys.readouterr().err
    assert "--years" in err
    assert wanted in err


# --------------------------------------------------------------------------- never NaN


def test_json_text_maps_non_finite_to_null_or_refuses() -> None:
    record = {"unit": "FLOP/s", "n": 5, "seed": 0, "method": "mc", "percentiles": {"50": 1.0}}
    text = json_text({**record, "mean": math.inf}, RunOutput)
    assert strict_json(text)["mean"] is None
    assert "Infinity" not in text
    with pytest.raises(AssertionError, match="RunOutput"):  # n may not be null: refused
        json_text({**record, "mean": 1.0, "n": math.nan}, RunOutput)


extreme = st.one_of(
    st.floats(min_value=1e-300, max_value=1e300, allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-308, 5e-324, 1.7e308, 1e200]),
)


@settings(max_examples=20)
@given(value=extreme, spread=st.sampled_from([1.01, 10.0, 1e6]))
def test_json_never_holds_nan_or_infinity(value: float, spread: float) -> None:
    for argv in (
        ["run", KOKO, "-n", "500", "--set", f"neurons={value!r}", "--format", "json"],
        ["run", KOKO, "-n", "500", "--set", f"neurons=lognormal({value!r}, {spread!r})",
         "--format", "json"],
        ["sweep", KOKO, "params_per_neuron", repr(value), "1", "-n", "500", "--format", "json"],
    ):  # fmt: skip
        out = io.StringIO()
        code = main(argv, out=out)
        text = out.getvalue()
        assert code in (0, 2), (argv, code)  # printed, or refused with a one-line error
        if code == 0:
            for token in ("NaN", "Infinity"):
                assert token not in text
            strict_json(text)


# --------------------------------------------------------------------------- the module


def test_a_table_without_the_meta_columns_is_a_bug() -> None:
    with pytest.raises(AssertionError, match="seed"):
        Table("t", ["a"], [["1"]], ["unit", "n", "method", "frame"], [{}])


def test_every_output_schema_is_documented() -> None:
    doc = (Path(__file__).parent.parent / "docs" / "json-output.md").read_text(encoding="utf-8")
    for name, model in OUTPUT_SCHEMAS.items():
        assert f"bioanchors schema {name}" in doc
        assert model.__name__ in doc
        assert json.loads(_cli("schema", name)) == model.model_json_schema()


# --------------------------------------------------------------------------- to_frame


def test_forecast_and_comparison_frames() -> None:
    pytest.importorskip("pandas")
    forecasts = ba.timelines.compare_brains([KOKO, f"{KOKO}:claimed"], n=2000, seed=3)
    assert isinstance(forecasts, list)
    assert len(forecasts) == 3
    frame = forecasts[1].to_frame()
    assert frame.index.name == "year"
    assert list(frame.index) == list(forecasts[1].years)
    assert frame.loc[2050.0, "prob_tai_by"] == forecasts[1].prob_by(2050)
    assert (frame.attrs["brain"], frame.attrs["n"], frame.attrs["seed"]) == (KOKO, 2000, 3)
    table = forecasts.to_frame(years=[2035])
    assert list(table.index) == ["cotra-2020", KOKO, f"{KOKO}:claimed"]
    assert table.loc[KOKO, "prob_by_2035"] == forecasts[1].prob_by(2035)
    assert table.loc["cotra-2020", "median_shift_years"] == 0.0
    assert table.loc[KOKO, "frame"] == "emulation"
    html = forecasts._repr_html_()
    assert html.count("<tr>") == 4
    assert "<th>brain</th>" in html
    assert KOKO in html
