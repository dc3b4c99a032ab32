"""Estimate: percentiles, mean, intervals, probabilities, conversions, display."""

from __future__ import annotations

import copy
import json
import math
import pickle

import numpy as np
import pint
import pytest
from scipy import stats

import bioanchors as ba
from bioanchors._typing import Method
from bioanchors.estimate import SUMMARY_PERCENTILES


def test_analytic_matches_closed_form() -> None:
    est = ba.lognormal(1e15, 10, "FLOP/s").estimate()
    assert est.method == "analytic"
    reference = stats.lognorm(s=math.log(10), scale=1e15)
    assert est.percentile(5).magnitude == pytest.approx(reference.ppf(0.05), rel=1e-12)
    assert est.mean.magnitude == pytest.approx(reference.mean(), rel=1e-12)
    assert est.prob_above(ba.Q_(1e17, "FLOP/s")) == pytest.approx(reference.sf(1e17), rel=1e-12)
    assert est.prob_above("100 PFLOP/s") == pytest.approx(reference.sf(1e17), rel=1e-12)
    assert est.prob_below("100 PFLOP/s") == pytest.approx(reference.cdf(1e17), rel=1e-12)


def test_sampled_percentiles_and_probabilities() -> None:
    x = ba.normal(10, 2, "s")
    est = x.estimate(200_000, seed=1)
    assert est.method == "mc"
    assert est.n == 200_000
    assert est.seed == 1
    assert est.median.magnitude == pytest.approx(10, abs=0.03)
    assert est.mean.magnitude == pytest.approx(10, abs=0.02)
    lo, hi = est.interval(0.9)
    assert lo.magnitude == pytest.approx(10 - 1.645 * 2, abs=0.05)
    assert hi.magnitude == pytest.approx(10 + 1.645 * 2, abs=0.05)
    assert est.prob_above("12 s") == pytest.approx(stats.norm(10, 2).sf(12), abs=0.005)
    assert est.prob_above("12000 ms") == est.prob_above("12 s")


def test_to_converts_estimates() -> None:
    est = ba.lognormal(2e15, 3, "FLOP/s").estimate()
    assert est.to("PFLOP/s").median.magnitude == pytest.approx(2.0)
    sampled = ba.normal(2e15, 1e14, "FLOP/s").estimate(1000)
    assert sampled.to("PFLOP/s").median.magnitude == pytest.approx(sampled.median.magnitude / 1e15)
    with pytest.raises(pint.DimensionalityError):
        est.to("neuron")


@pytest.mark.parametrize("q", [-1, 100.5, math.nan, "50", True])
def test_percentile_out_of_range(q: object) -> None:
    est = ba.normal(0, 1).estimate(100)
    with pytest.raises(ba.InvalidInputError, match="q must be"):
        est.percentile(q)  # type: ignore[arg-type]


def test_percentile_edges() -> None:
    est = ba.normal(0, 1).estimate(100)
    assert est.percentile(0).magnitude == est.samples.magnitude.min()  # type: ignore[union-attr]
    assert est.percentile(100).magnitude == est.samples.magnitude.max()  # type: ignore[union-attr]


def test_prob_above_needs_a_unit_for_dimensional_estimates() -> None:
    est = ba.lognormal(1e15, 10, "FLOP/s").estimate()
    with pytest.raises(ba.InvalidInputError, match="FLOP/s"):
        est.prob_above(1e17)
    with pytest.raises(pint.DimensionalityError):
        est.prob_above("1e17 neuron")
    assert ba.lognormal(1, 2).estimate().prob_above(1) == pytest.approx(0.5)


def test_interval_rejects_bad_credibility() -> None:
    est = ba.normal(0, 1).estimate(100)
    for bad in (0, 1, 1.5, -0.1):
        with pytest.raises(ba.InvalidInputError):
            est.interval(bad)


def test_str_matches_documented_format() -> None:
    est = ba.between(4.0e18, 1.1e20, "FLOP/s").estimate()
    assert str(est) == "2.1e19 FLOP/s (90% CI 4.0e18 – 1.1e20)"
    assert "method=analytic" in repr(est)


def test_to_dict_is_json_ready() -> None:
    data = ba.normal(5, 1, "s").estimate(1000, seed=7).to_dict()
    text = json.dumps(data)
    assert json.loads(text)["unit"] == "s"
    assert data["n"] == 1000
    assert data["seed"] == 7
    assert data["method"] == "mc"
    assert list(data["percentiles"]) == [str(q) for q in SUMMARY_PERCENTILES]


def test_html_repr() -> None:
    html = ba.lognormal(1e15, 3, "FLOP/s").estimate()._repr_html_()
    assert html.startswith("<table>")
    assert "FLOP/s" in html
    assert html.count("<th>p") == len(SUMMARY_PERCENTILES)  # the same set as to_dict
    assert all(f"<th>p{q}</th>" in html for q in SUMMARY_PERCENTILES)


def test_named_constructors_make_the_same_estimates() -> None:
    x = ba.lognormal(1e15, 10, "FLOP/s")
    made = ba.Estimate.from_lognormal(math.log(1e15), math.log(10), x.unit, n=5, seed=1)
    assert made.percentile(95) == x.estimate(5, seed=1).percentile(95)
    assert (made.n, made.seed, made.method, made.source) == (5, 1, "analytic", None)
    values = np.array([3.0, 1.0, 2.0])
    held = ba.Estimate.from_samples(values, ba.ureg.s, n=3, seed=0, method="mc")
    values[0] = 100.0  # copied: the caller's array is the caller's
    assert held.median.magnitude == 2.0
    assert held.percentile(100).magnitude == 3.0
    assert not held.streamed


def test_conversions_keep_the_source_and_leave_the_original_alone() -> None:
    x = ba.between(1, 10, "FLOP/s", name="x") * ba.between(1, 10, name="y")
    est = x.estimate()
    peta = est.to("PFLOP/s")
    assert est.source is x
    assert peta.source is not None
    assert str(peta.source.unit) == str(ba.ureg.Unit("PFLOP/s"))
    assert str(est.unit) == str(ba.ureg.Unit("FLOP/s"))


def test_point_estimate() -> None:
    est = ba.point(3.0, "s").estimate()
    assert est.median.magnitude == 3.0
    assert est.prob_above("2 s") == 1.0
    assert est.prob_above("4 s") == 0.0
    assert str(est) == "3 s"  # a point value has no interval to show


def test_samples_are_read_only_draws_in_draw_order() -> None:
    x = ba.normal(0, 1, "s")
    est = x.estimate(1000, method="mc", seed=3)
    samples = est.samples
    assert samples is not None
    assert np.array_equal(samples.magnitude, x.sample(1000, seed=3).magnitude)
    assert not samples.magnitude.flags.writeable
    assert ba.lognormal(1, 2).estimate().samples is None


def test_estimate_sensitivity_uses_its_source() -> None:
    a = ba.between(1, 10, "neuron", name="a")
    b = ba.between(1, 1000, "FLOP / neuron / s", name="b")
    est = (a * b).estimate()
    table = est.sensitivity()
    assert [row.name for row in table] == ["b", "a"]
    assert sum(row.share for row in table) == pytest.approx(1.0)
    converted = est.to("kFLOP/s").sensitivity()
    assert converted.unit == "kFLOP/s"
    assert converted.baseline == pytest.approx(table.baseline / 1000)
    sampled = (a * b + ba.point(1, "FLOP/s")).estimate(5_000, seed=3).sensitivity()
    assert sampled.method == "first-order"
    assert sampled.seed == 3


def test_estimate_to_frame() -> None:
    pytest.importorskip("pandas")
    frame = ba.lognormal(1e15, 10, "FLOP/s").estimate().to_frame()
    assert frame.loc[50, "value"] == pytest.approx(1e15)
    assert frame.attrs["unit"] == "FLOP/s"
    assert frame.attrs["method"] == "analytic"


def test_max_in_memory_reaches_the_engine() -> None:
    x = ba.normal(10, 1, "s") + ba.uniform(0, 1, "s")
    streamed = x.estimate(50_000, max_in_memory=10_000, chunk_size=10_000)
    assert streamed.samples is None
    scenario = ba.load_scenario("elm-2023")
    assert scenario.estimate(20_000, max_in_memory=5_000, chunk_size=5_000).samples is None


@pytest.mark.parametrize("method", ["analytic", "mc"])
def test_an_estimate_is_immutable(method: Method) -> None:
    est = ba.between(1, 10, "FLOP/s").estimate(1000, seed=1, method=method)
    for name, value in [("unit", ba.ureg.second), ("n", 5), ("seed", 2), ("extra", 1)]:
        with pytest.raises(ba.FrozenValueError, match=rf"cannot set '{name}'.*\.to\(unit\)"):
            setattr(est, name, value)
    with pytest.raises(AttributeError, match="cannot delete 'n'"):
        del est.n
    assert (est.n, est.seed, est.unit) == (1000, 1, ba.ureg("FLOP/s").units)


@pytest.mark.parametrize("method", ["analytic", "mc"])
def test_an_estimate_survives_pickle_and_copy(method: Method) -> None:
    est = ba.between(1, 10, "FLOP/s").estimate(1000, seed=1, method=method)
    for back in (pickle.loads(pickle.dumps(est)), copy.copy(est), copy.deepcopy(est)):
        assert back.to_dict() == est.to_dict()
        assert back.source is not None
