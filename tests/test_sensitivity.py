"""Sensitivity: exact shares for lognormal products, first-order estimates otherwise, swings."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba


@given(
    gsds=st.lists(st.floats(1.1, 20.0), min_size=1, max_size=5),
    powers=st.lists(st.sampled_from([-2.0, -1.0, 0.5, 1.0, 3.0]), min_size=5, max_size=5),
)
def test_product_shares_are_exact_and_sum_to_one(gsds: list[float], powers: list[float]) -> None:
    inputs = [ba.lognormal(1.0 + i, g, name=f"x{i}") for i, g in enumerate(gsds)]
    output = ba.point(3.0, "FLOP/s")
    for item, power in zip(inputs, powers, strict=False):
        output = output * item**power
    table = ba.sensitivity(output)
    assert table.method == "analytic"
    assert sum(row.share for row in table) == pytest.approx(1.0)
    weights = [(p * math.log(g)) ** 2 for g, p in zip(gsds, powers, strict=False)]
    expected = {f"x{i}": w / sum(weights) for i, w in enumerate(weights)}
    for row in table:
        assert row.share == pytest.approx(expected[row.name], rel=1e-9)
    shares = [row.share for row in table]
    assert shares == sorted(shares, reverse=True)


def test_correlated_product_shares_sum_to_one() -> None:
    a, b = ba.correlate([ba.lognormal(1, 3, name="a"), ba.lognormal(1, 2, name="b")], 0.5)
    table = ba.sensitivity(a * b)
    assert sum(row.share for row in table) == pytest.approx(1.0)


def test_first_order_matches_variance_decomposition() -> None:
    # log10 of exp(X1 + X2) is additive: the first-order shares are var_i / total.
    x1, x2 = ba.normal(0, 1, name="x1"), ba.normal(0, 2, name="x2")
    table = ba.sensitivity(ba.exp(x1 + x2), n=200_000, seed=3)
    assert table.method == "first-order"
    shares = {row.name: row.share for row in table}
    assert shares["x1"] == pytest.approx(0.2, abs=0.02)
    assert shares["x2"] == pytest.approx(0.8, abs=0.02)
    assert table.interactions == pytest.approx(0.0, abs=0.03)


def test_first_order_sees_interactions() -> None:
    # Y = X1 * X2 with zero-mean inputs: no first-order effect at all, all interaction.
    x1, x2 = ba.normal(0, 1, name="x1"), ba.normal(0, 1, name="x2")
    table = ba.sensitivity(x1 * x2, n=100_000, seed=1)
    assert all(row.share < 0.02 for row in table)
    assert table.interactions > 0.95


def test_inert_input_gets_no_share() -> None:
    signal = ba.between(1, 100, name="signal")
    inert = ba.uniform(0.999, 1.001, name="inert")
    table = ba.sensitivity(signal + inert, n=50_000, seed=2)
    shares = {row.name: row.share for row in table}
    assert shares["signal"] > 0.95
    assert shares["inert"] < 0.01


def test_swings_for_a_product() -> None:
    a = ba.between(1, 100, "neuron", name="a")
    b = ba.point(2.0, "FLOP / neuron / s")
    table = ba.sensitivity(a * b)
    (row,) = table.rows
    assert table.baseline == pytest.approx(20.0)
    assert row.low == pytest.approx(2.0, rel=1e-9)
    assert row.high == pytest.approx(200.0, rel=1e-9)
    assert row.input_low == pytest.approx(1.0, rel=1e-9)
    assert row.input_high == pytest.approx(100.0, rel=1e-9)
    assert row.swing == pytest.approx(2.0)


def test_scenario_sensitivity_and_displays() -> None:
    scenario = ba.load_scenario("irving-2021")
    table = scenario.sensitivity(n=20_000)
    names = [row.name for row in table]
    assert "reverse_overhead" in names
    assert "<table>" in table._repr_html_()
    assert "share" in str(table)
    assert table.to_dict()["inputs"][0]["name"] == names[0]


def test_to_frame() -> None:
    pytest.importorskip("pandas")
    frame = ba.load_scenario("carlsmith-2020-mechanistic").sensitivity(n=10_000).to_frame()
    assert "share" in frame.columns
    audit = ba.load_scenario("kokotajlod-2021").audit().to_frame()
    assert audit.loc["total", "ok"] == False  # noqa: E712


def test_bad_n() -> None:
    with pytest.raises(ba.SamplingError):
        ba.sensitivity(ba.normal(0, 1) + 1, n=0)
