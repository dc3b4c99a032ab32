"""Adversarial tests for issue 9 (no silent wrong answers), domain slice.

Adjustments and methods refuse arguments outside their domain, sensitivity refuses too few
samples and reports the uncertainty of its estimated shares, the surrogate architecture
refuses bad or absurd sizes, and the report marks estimates with negative values.
"""

from __future__ import annotations

import io
import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._results.sensitivity import MIN_SAMPLES
from bioanchors.errors import BioanchorsWarning, InvalidInputError, SamplingError
from bioanchors.methods import CellClass, landauer_limit, mechanistic, population, surrogate
from bioanchors.methods.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)
from bioanchors.report import format_report, report_rows
from bioanchors.surrogate import TCN

COST = ba.point(1e21, "FLOP/s")

# --------------------------------------------------------------------------- item 7: domains


@pytest.mark.parametrize(
    ("build", "argument", "allowed"),
    [
        (lambda: useful_fraction(COST, -0.5), "fraction", "(0, 1]"),
        (lambda: useful_fraction(COST, 5), "fraction", "(0, 1]"),
        (lambda: useful_fraction(COST, 0), "fraction", "(0, 1]"),
        (lambda: useful_fraction(COST, ba.point(1.5)), "fraction", "(0, 1]"),
        (lambda: reversed_control(COST, -10), "reverse_overhead", "(0, inf)"),
        (lambda: reversed_control(COST, 0), "reverse_overhead", "(0, inf)"),
        (lambda: multi_neuron_scaling(100, 1e9, -0.1, 1), "alpha", "[0, inf)"),
        (lambda: multi_neuron_scaling(100, 0, 0.1, 1), "n_neurons", "[1, inf)"),
        (lambda: multi_neuron_scaling(100, 1e9, 0.1, -1), "floor", "[0, inf)"),
        (lambda: multi_neuron_scaling(-100, 1e9, 0.1, 1), "per_neuron_overhead", "(0, inf)"),
        (lambda: shared_template(-1, 1, 1), "shared_cost", "[0, inf)"),
        (lambda: shared_template(1, -1, 1), "per_neuron_cost", "[0, inf)"),
        (lambda: shared_template(1, 1, -1), "n_neurons", "[0, inf)"),
    ],
)
def test_adjustment_constants_outside_their_domain_are_refused(
    build: Callable[[], ba.Uncertain], argument: str, allowed: str
) -> None:
    with pytest.raises(InvalidInputError) as info:
        build()
    message = str(info.value)
    assert argument in message
    assert allowed in message


def test_floor_above_the_overhead_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="floor"):
        multi_neuron_scaling(1.0, 1e9, 0.1, 5.0)


def test_adjustments_inside_their_domain_still_work() -> None:
    assert useful_fraction(COST, 1).estimate().median.magnitude == pytest.approx(1e21)
    assert reversed_control(COST, 1).estimate().median.magnitude == pytest.approx(1e21)
    scaled = multi_neuron_scaling(896.0, ba.point(1.0, "neuron"), 0.2, 1.0)
    assert scaled.estimate().median.magnitude == pytest.approx(896.0)
    assert shared_template(0, 0, 0).estimate().median.magnitude == 0.0


def test_uncertain_leaf_that_can_leave_the_domain_warns_with_its_probability() -> None:
    fraction = ba.normal(0.05, 0.02, name="share")
    with pytest.warns(BioanchorsWarning) as record:
        useful_fraction(COST, fraction)
    message = str(record[0].message)
    assert "fraction" in message
    assert "share" in message
    # P(N(0.05, 0.02) <= 0) = Phi(-2.5) = 0.62 %
    assert "0.62%" in message


def test_uncertain_leaf_entirely_outside_the_domain_is_refused() -> None:
    with pytest.raises(InvalidInputError, match="reverse_overhead"):
        reversed_control(COST, ba.uniform(-2, -1))


def test_bounded_leaves_inside_the_domain_are_silent() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        useful_fraction(COST, ba.loguniform(0.001, 1.0))
        reversed_control(COST, ba.loguniform(1.0, 100.0))
        multi_neuron_scaling(1.0, ba.point(8.6e10, "neuron"), ba.uniform(0.0, 0.27), 1 / 896)


def test_methods_refuse_negative_counts_and_rates() -> None:
    with pytest.raises(InvalidInputError, match="neurons"):
        surrogate(ba.point(-86e9, "neuron"), ba.point(1e7, "FLOP/step/neuron"), 1000)
    with pytest.raises(InvalidInputError, match="synapses"):
        mechanistic(
            ba.point(-1e14, "synapse"),
            ba.point(1, "spike / synapse / s"),
            ba.point(1, "FLOP / spike"),
            ba.point(1e11, "neuron"),
            ba.point(1e4, "FLOP / neuron / s"),
        )
    with pytest.raises(InvalidInputError, match="count"):
        population([CellClass("granule", ba.point(-1.0, "neuron"), ba.point(1, "FLOP/neuron/s"))])
    with pytest.raises(InvalidInputError, match="temperature"):
        landauer_limit(ba.point(20, "W"), ba.point(0, "K"))


def test_normal_shaped_neuron_count_warns_at_build_time() -> None:
    neurons = ba.between(-2e16, 1e11, "neuron", shape="normal", name="neurons")
    with pytest.warns(BioanchorsWarning, match=r"neurons.*P\(neurons < 0\)"):
        surrogate(neurons, ba.point(1e7, "FLOP/step/neuron"), ba.point(1000, "step/s"))


@given(value=st.floats(allow_nan=False, allow_infinity=False, width=64))
@settings(max_examples=60)
def test_useful_fraction_is_right_or_refused(value: float) -> None:
    if 0 < value <= 1:
        assert useful_fraction(COST, value).estimate().median.magnitude == pytest.approx(
            1e21 * value
        )
    else:
        with pytest.raises(InvalidInputError, match="fraction"):
            useful_fraction(COST, value)


@st.composite
def _leaves(draw: st.DrawFn) -> ba.Uncertain:
    kind = draw(st.sampled_from(["normal", "uniform", "lognormal", "loguniform"]))
    if kind == "normal":
        return ba.normal(draw(st.floats(-2, 2)), draw(st.floats(0.001, 1)))
    lo = draw(st.floats(1e-4, 2))
    hi = lo * draw(st.floats(1.01, 100))
    if kind == "uniform":
        return ba.uniform(lo - draw(st.floats(0, 1)), hi)
    if kind == "lognormal":
        return ba.lognormal(lo, draw(st.floats(1.01, 10)))
    return ba.loguniform(lo, hi)


@given(fraction=_leaves())
@settings(max_examples=60)
def test_uncertain_fraction_is_inside_or_warned_or_refused(fraction: ba.Uncertain) -> None:
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        try:
            result = useful_fraction(ba.point(1.0, "FLOP/s"), fraction)
        except InvalidInputError as error:
            message = str(error)
            result = None
    if result is None:
        assert "fraction" in message
        return
    if any(issubclass(w.category, BioanchorsWarning) for w in record):
        return
    samples = result.sample(2000, seed=0).magnitude
    assert np.all(samples > 0)
    assert np.all(samples <= 1)


SCENARIO = """
name = "negative-neurons"
title = "A neuron count whose normal prior crosses zero"
output = "total"
unit = "FLOP/s"
frame = "functional"

[source]
who = "test"
where = "tests/test_adversarial_domain.py"

[[steps]]
name = "neurons"
unit = "neuron"
between = [-1e10, 1e11]
shape = "normal"
credibility = 0.9
page = "a made-up prior for the test"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
value = 1e6
page = "a made-up value for the test"

[[steps]]
name = "total"
unit = "FLOP/s"
formula = "neurons * cost"
"""


def test_report_marks_a_scenario_with_negative_values(tmp_path: Path) -> None:
    path = tmp_path / "negative-neurons.toml"
    path.write_text(SCENARIO, encoding="utf-8")
    with warnings.catch_warnings():
        # the engine may itself warn about negative samples; this test is about the report
        warnings.simplefilter("ignore", BioanchorsWarning)
        scenario = ba.load_scenario(path)
        rows, _ = report_rows([scenario], n=2000, seed=0)
    assert rows[0].negative
    out = io.StringIO()
    format_report(rows, "text", n=2000, seed=0, out=out)
    text = out.getvalue()
    assert any(line.startswith("negative-neurons !") for line in text.splitlines())
    assert "negative values: check the inputs" in text
    out = io.StringIO()
    format_report(rows, "markdown", n=2000, seed=0, out=out)
    assert "negative values: check the inputs" in out.getvalue()


def test_report_has_no_mark_for_positive_scenarios() -> None:
    scenario = ba.load_scenario("carlsmith-2020-mechanistic")
    rows, _ = report_rows([scenario], n=2000, seed=0)
    assert not rows[0].negative
    out = io.StringIO()
    format_report(rows, "text", n=2000, seed=0, out=out)
    assert "negative values" not in out.getvalue()


# --------------------------------------------------------------------------- item 9: sensitivity


def _sum_graph() -> ba.Uncertain:
    return ba.lognormal(1, 3, name="a") + ba.lognormal(2, 2, name="b")


@pytest.mark.parametrize("n", [2, 15, MIN_SAMPLES - 1])
def test_sensitivity_refuses_too_few_samples(n: int) -> None:
    with pytest.raises(SamplingError) as info:
        ba.sensitivity(_sum_graph(), n=n)
    assert str(n) in str(info.value)
    assert str(MIN_SAMPLES) in str(info.value)


def test_sensitivity_reports_share_uncertainty() -> None:
    table = ba.sensitivity(_sum_graph(), n=MIN_SAMPLES, seed=1)
    assert table.method == "first-order"
    for row in table:
        assert row.share_se > 0
        assert math.isfinite(row.share_se)
    assert "±" in str(table)
    assert "share_se" in table.to_dict()["inputs"][0]
    exact = ba.sensitivity(ba.lognormal(1, 3) * ba.lognormal(2, 2))
    assert all(row.share_se == 0.0 for row in exact)


def test_analytic_sensitivity_needs_no_minimum() -> None:
    table = ba.sensitivity(ba.lognormal(1, 3) * ba.lognormal(2, 2), n=10)
    assert sum(row.share for row in table) == pytest.approx(1.0)


@st.composite
def _sum_of_products(draw: st.DrawFn) -> ba.Uncertain:
    count = draw(st.integers(min_value=1, max_value=4))
    leaves: list[ba.Uncertain] = []
    for i in range(count):
        if draw(st.booleans()):
            leaves.append(ba.lognormal(draw(st.floats(0.1, 10.0)), draw(st.floats(1.1, 6.0))))
        else:
            lo = draw(st.floats(0.1, 10.0))
            leaves.append(ba.uniform(lo, lo * draw(st.floats(1.5, 100.0))))
        leaves[-1] = leaves[-1].named(f"x{i}")
    total: ba.Uncertain = leaves[0]
    for item in leaves[1:]:
        total = total + item if draw(st.booleans()) else total * item
    return total + ba.point(draw(st.floats(0.0, 5.0)))


@given(graph=_sum_of_products(), seed=st.integers(0, 1000))
@settings(max_examples=15)
def test_first_order_shares_are_bounded_within_their_error(graph: ba.Uncertain, seed: int) -> None:
    table = ba.sensitivity(graph, n=MIN_SAMPLES, seed=seed)
    total_se = math.sqrt(sum(row.share_se**2 for row in table))
    for row in table:
        assert -4 * row.share_se - 1e-12 <= row.share <= 1 + 4 * row.share_se + 1e-12
    assert sum(row.share for row in table) <= 1 + 4 * total_se + 0.02


@pytest.mark.parametrize("n", [MIN_SAMPLES, 20_000])
def test_first_order_shares_of_a_lognormal_product_match_closed_form(n: int) -> None:
    gsds = {"a": 3.0, "b": 2.0, "c": 1.5}
    inputs = [ba.lognormal(1.0, g, name=name) for name, g in gsds.items()]
    product = inputs[0] * inputs[1] * inputs[2]
    # exp(log(.)) hides the product from the analytic path, so the estimator is tested
    table = ba.sensitivity(ba.exp(ba.log(product)), n=n, seed=5)
    assert table.method == "first-order"
    weights = {name: math.log(g) ** 2 for name, g in gsds.items()}
    total = sum(weights.values())
    for row in table:
        expected = weights[row.name] / total
        assert abs(row.share - expected) <= 4 * row.share_se + 0.01, (row, expected)


def test_sensitivity_summary_is_exact_under_fixed_seed() -> None:
    graph = _sum_graph()  # one graph: a graph built anew is new inputs, with new draws
    first = ba.sensitivity(graph, n=MIN_SAMPLES, seed=2)
    second = ba.sensitivity(graph, n=MIN_SAMPLES, seed=2)
    assert [(r.share, r.share_se) for r in first] == [(r.share, r.share_se) for r in second]


# --------------------------------------------------------------------------- item 15: TCN


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"inputs": -5, "widths": [4], "kernels": [3]}, "inputs"),
        ({"inputs": 0, "widths": [4], "kernels": [3]}, "inputs"),
        ({"inputs": 2, "widths": [0], "kernels": [3]}, "widths"),
        ({"inputs": 2, "widths": [4], "kernels": [-3]}, "kernels"),
        ({"inputs": 2, "widths": [4], "kernels": [3], "heads": [-1]}, "heads"),
        ({"inputs": 2, "widths": [4], "kernels": [3, 3]}, "kernels"),
        ({"inputs": 2, "widths": [4], "kernels": [3], "batchnorm": 1}, "batchnorm"),
        ({"inputs": 10**30, "widths": [4], "kernels": [3]}, "inputs"),
        ({"inputs": 2, "widths": [10**30], "kernels": [3]}, "widths"),
        ({"inputs": 2, "widths": [4] * 100_001, "kernels": [3] * 100_001}, "widths"),
        ({"inputs": 2.5, "widths": [4], "kernels": [3]}, "inputs"),
    ],
)
def test_tcn_arguments_are_validated(kwargs: dict[str, Any], field: str) -> None:
    with pytest.raises(InvalidInputError) as info:
        TCN(**kwargs)
    assert field in str(info.value)


def test_tcn_from_dict_and_modes_raise_invalid_input() -> None:
    with pytest.raises(InvalidInputError, match="unknown keys"):
        TCN.from_dict({"inputs": 2, "widths": [4], "kernels": [3], "depth": 3})
    with pytest.raises(InvalidInputError, match="mode"):
        TCN(2, [4], [3]).flop_per_step(mode="fast")  # type: ignore[arg-type]
    with pytest.raises(InvalidInputError, match="window"):
        TCN(2, [4], [3]).flop_per_step(mode="window", window=10**30)
    with pytest.raises(InvalidInputError, match="input_events_per_step"):
        TCN(2, [4], [3]).flop_per_step(input_events_per_step=1e300)


_sizes = st.one_of(
    st.integers(-(10**3), 10**3),
    st.integers(-(2**70), 2**70),
    st.sampled_from([0, 1, -1, 10**9, 10**9 + 1, 10**18]),
)


@given(
    inputs=_sizes,
    widths=st.lists(_sizes, min_size=0, max_size=6),
    kernels=st.lists(_sizes, min_size=0, max_size=6),
    heads=st.lists(_sizes, max_size=3),
)
@settings(max_examples=200)
def test_tcn_is_right_or_refused(
    inputs: int, widths: list[int], kernels: list[int], heads: list[int]
) -> None:
    try:
        net = TCN(inputs, widths, kernels, heads)
    except InvalidInputError:
        return
    assert net.parameters >= 1
    for mode in ("streaming", "cone", "window"):
        window = None if mode != "window" else net.receptive_field
        flop = net.flop_per_step(mode=mode, window=window)
        assert math.isfinite(flop)
        assert flop > 0
        assert flop == float(2 * net.macs_per_step(mode=mode, window=window))
    assert np.isfinite(net.flop_per_step(input_events_per_step=float(net.inputs)))


# --------------------------------------------------------------------------- item 21: minima


def _floors() -> dict[str, tuple[int, ...]]:
    import re
    import tomllib

    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    with pyproject.open("rb") as handle:
        dependencies = tomllib.load(handle)["project"]["dependencies"]
    floors = {}
    for requirement in dependencies:
        # .ci/run pins each one to its floor to test the declared minima: only name>=X works
        match = re.fullmatch(r"([A-Za-z0-9_.-]+)>=([0-9][0-9.]*)", requirement)
        assert match is not None, requirement
        floors[match[1].lower()] = tuple(int(part) for part in match[2].split("."))
    return floors


def test_declared_minimum_versions_cover_the_apis_used() -> None:
    floors = _floors()
    assert set(floors) == {"numpy", "scipy", "pint", "pydantic", "tomli-w", "tqdm", "threadpoolctl"}
    # The engine calls qmc.Sobol(..., rng=generator): the rng keyword is SciPy 1.15's
    assert floors["scipy"] >= (1, 15)
    assert floors["numpy"] >= (1, 26)
    assert floors["pint"] >= (0, 23)
    assert floors["pydantic"] >= (2, 6)
