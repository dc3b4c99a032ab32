"""ba.sweep and ``bioanchors sweep``: medians and intervals against closed forms and against
per-value estimates made separately; the table's views and plot; JSON without NaN."""

from __future__ import annotations

import dataclasses
import io
import json
import math
import textwrap
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.stats import norm

import bioanchors as ba
from bioanchors.cli import main

KOKO = "kokotajlod-2021"
CARLSMITH = "carlsmith-2020-mechanistic"

PRODUCT = """
name = "product"
title = "a x b"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_sweep.py"
[[steps]]
name = "a"
unit = "FLOP/s/neuron"
between = [1e3, 1e5]
quote = "a 90 % interval"
[[steps]]
name = "b"
unit = "neuron"
value = 1e10
quote = "a value"
[[steps]]
name = "total"
formula = "a * b"
"""


def _cli(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def test_kokotajlod_neurons_from_1e10_to_1e12_is_the_closed_form() -> None:
    values = [1e10, 3e10, 1e11, 3e11, 1e12]
    table = ba.sweep(ba.load_scenario(KOKO), "neurons", values)
    assert [row.value for row in table.rows] == values
    for row, neurons in zip(table.rows, values, strict=True):
        # 1e5 parameter/neuron x 1 FLOP/parameter/step x 1000 step/s = 1e8 FLOP/neuron/s
        assert row.median == pytest.approx(1e8 * neurons, rel=1e-12)
        assert row.p5 == pytest.approx(row.median)
        assert row.p95 == pytest.approx(row.median)
        assert row.method == "analytic"
    assert (table.scenario, table.step, table.value_unit, table.unit) == (
        KOKO,
        "neurons",
        "neuron",
        "FLOP/s",
    )


def test_a_lognormal_graph_against_the_normal_quantiles(tmp_path: Path) -> None:
    path = tmp_path / "product.toml"
    path.write_text(textwrap.dedent(PRODUCT), encoding="utf-8")
    values = [1.0, 1e5, 1e10]
    table = ba.sweep(ba.load_scenario(path), "b", values)
    # a: lognormal with 5 % and 95 % at 1e3 and 1e5, so median 1e4 and sigma ln(10)/1.645
    sigma = math.log(10) / norm.ppf(0.95)
    for row, b in zip(table.rows, values, strict=True):
        assert row.median == pytest.approx(1e4 * b, rel=1e-9)
        assert row.p5 == pytest.approx(1e4 * b * math.exp(-norm.ppf(0.95) * sigma), rel=1e-9)
        assert row.p95 == pytest.approx(1e5 * b, rel=1e-9)


def test_sweep_medians_equal_estimates_made_one_by_one() -> None:
    sc = ba.load_scenario(CARLSMITH)
    values = [1e10, 8.6e10, 1e12]
    table = ba.sweep(sc, "neurons", values, n=20_000, seed=5)
    for row, neurons in zip(table.rows, values, strict=True):
        alone = sc.with_inputs(neurons=ba.point(neurons, "neuron")).estimate(20_000, seed=5)
        lo, hi = alone.interval(0.9)
        assert row.median == alone.median.to("FLOP/s").magnitude
        assert (row.p5, row.p95) == (lo.magnitude, hi.magnitude)
        assert row.method == alone.method
    # more neurons, more compute: with the same seed the other inputs are the same draws
    medians = [row.median for row in table.rows]
    assert medians == sorted(medians)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.floats(min_value=1e3, max_value=1e15), min_size=1, max_size=5))
def test_any_values_sweep_kokotajlod_exactly(values: list[float]) -> None:
    table = ba.sweep(ba.load_scenario(KOKO), "neurons", values, n=1_000)
    for row, neurons in zip(table.rows, values, strict=True):
        assert row.median == pytest.approx(1e8 * neurons, rel=1e-12)


def test_uncertain_and_text_values() -> None:
    sc = ba.load_scenario(KOKO)
    table = ba.sweep(sc, "neurons", [ba.between(1e10, 1e12, "neuron"), "point(1e11)", 1e11])
    first, text, number = table.rows
    assert first.value == pytest.approx(1e11, rel=1e-9)  # the input's median
    assert first.label.startswith("lognormal")
    assert first.p5 == pytest.approx(1e18, rel=1e-9)
    assert first.p95 == pytest.approx(1e20, rel=1e-9)
    assert text == number


def test_the_table_views_and_json_without_nan() -> None:
    table = ba.sweep(ba.load_scenario(KOKO), "neurons", [1e10, 1e12])
    record = table.to_dict()
    json.dumps(record, allow_nan=False)
    assert record["rows"][0] == {
        "value": 1e10,
        "label": "1.0e10 neuron",
        "median": pytest.approx(1e18),
        "p5": pytest.approx(1e18),
        "p95": pytest.approx(1e18),
        "method": "analytic",
    }
    text = str(table)
    assert "neurons (neuron)" in text
    assert "median (FLOP/s)" in text
    assert "1.0e20" in text
    assert "<table>" in table._repr_html_()
    assert "1.0e20" in table._repr_html_()
    frame = table.to_frame()
    assert list(frame.index) == [1e10, 1e12]
    assert frame["median"].tolist() == pytest.approx([1e18, 1e20])
    with pytest.raises(dataclasses.FrozenInstanceError):
        table.step = "x"  # type: ignore[misc]


def test_bad_sweeps_are_errors() -> None:
    sc = ba.load_scenario(KOKO)
    with pytest.raises(ba.InvalidInputError, match="no values"):
        ba.sweep(sc, "neurons", [])
    with pytest.raises(ba.ScenarioError, match="did you mean 'neurons'"):
        ba.sweep(sc, "neuron", [1e10])
    with pytest.raises(ba.ScenarioError, match="not an input"):
        ba.sweep(sc, "total", [1e10])
    with pytest.raises(ba.ScenarioError, match="another dimension"):
        ba.sweep(sc, "neurons", [ba.point(1, "s")])


def test_sweep_plot_has_log_axes_and_a_band(tmp_path: Path) -> None:
    from bioanchors.plots import sweep_plot

    table = ba.sweep(ba.load_scenario(CARLSMITH), "neurons", [1e10, 1e11, 1e12], n=5_000)
    fig = sweep_plot(table)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log"
    assert ax.get_yscale() == "log"
    assert [line.get_label() for line in ax.get_lines()] == ["median"]
    assert list(np.asarray(ax.get_lines()[0].get_ydata())) == [row.median for row in table.rows]
    fig.savefig(tmp_path / "sweep.png")
    assert (tmp_path / "sweep.png").stat().st_size > 1000


def test_cli_sweep_prints_the_table_and_json(tmp_path: Path) -> None:
    printed = _cli("sweep", KOKO, "neurons", "1e10", "1e11", "point(1e12, 'neuron')")
    assert "Sweep of kokotajlod-2021 over neurons" in printed
    assert "1.0e18" in printed
    assert "1.0e20" in printed
    plot = tmp_path / "s.png"
    record = json.loads(
        _cli(
            "sweep",
            CARLSMITH,
            "neurons",
            "1e10",
            "1e12",
            "--json",
            "-n",
            "5000",
            "--plot",
            str(plot),
        )
    )
    table = ba.sweep(ba.load_scenario(CARLSMITH), "neurons", [1e10, 1e12], n=5_000)
    assert record == {"frame": "functional", **json.loads(json.dumps(table.to_dict()))}
    assert plot.stat().st_size > 1000


def test_cli_sweep_with_set_applies_the_setting_first() -> None:
    record = json.loads(
        _cli("sweep", KOKO, "neurons", "1e10", "--set", "params_per_neuron=1e6", "--json")
    )
    assert record["rows"][0]["median"] == pytest.approx(1e6 * 1e3 * 1e10)


def test_cli_sweep_bad_value(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sweep", KOKO, "neurons", "1e10", "__import__('os')"], out=io.StringIO()) == 2
    assert "not allowed" in capsys.readouterr().err
