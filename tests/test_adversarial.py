"""Regression tests for the silent wrong answers of issue 9 (core: streams, numbers, results).

Each test names the case it pins; the first version returned a wrong number with exit code 0
for every one of them.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import bioanchors as ba
from bioanchors._engine.draw import draw_many
from bioanchors._graph.distributions import Mixture
from bioanchors._graph.uncertain import Leaf

N = 100_000


def _lognormal_pair_truth(a: ba.Uncertain, b: ba.Uncertain) -> float:
    """P(a > b) for independent lognormal leaves, in closed form."""
    params = []
    for x in (a, b):
        assert isinstance(x.node, Leaf)
        log_params = x.node.dist.log_params()
        assert log_params is not None
        params.append(log_params)
    (mu_a, s_a), (mu_b, s_b) = params
    return float(stats.norm.cdf((mu_a - mu_b) / math.hypot(s_a, s_b)))


# -- item 1: separate calls draw independent inputs independently ---------------------------


def test_separate_calls_of_independent_inputs_are_independent() -> None:
    a = ba.between(1, 10)
    b = ba.between(2, 20)
    truth = _lognormal_pair_truth(a, b)
    observed = float(np.mean(a.sample(N, seed=0).magnitude > b.sample(N, seed=0).magnitude))
    assert observed == pytest.approx(truth, abs=4 * math.sqrt(truth * (1 - truth) / N))


def test_inputs_built_alike_are_still_two_inputs() -> None:
    x = ba.normal(0, 1)
    y = ba.normal(0, 1)
    observed = float(np.mean(x.sample(N, seed=5).magnitude > y.sample(N, seed=5).magnitude))
    assert observed == pytest.approx(0.5, abs=0.01)


def test_estimates_samples_are_joint_draws_across_calls() -> None:
    a = ba.between(1, 10, "s")
    b = ba.between(2, 20, "s")
    est_a, est_b = a.estimate(N, method="mc"), b.estimate(N, method="mc")
    assert est_a.samples is not None
    assert est_b.samples is not None
    observed = float(np.mean(est_a.samples.magnitude > est_b.samples.magnitude))
    assert observed == pytest.approx(_lognormal_pair_truth(a, b), abs=0.01)


def test_a_shared_input_is_one_draw_in_every_call() -> None:
    x = ba.between(1, 10, "s")
    assert np.all((x / x).sample(1000, seed=2).magnitude == 1.0)
    doubled = (2 * x).sample(1000, seed=2).magnitude
    np.testing.assert_allclose(doubled, 2 * x.sample(1000, seed=2).magnitude, rtol=1e-13)


@given(seed=st.integers(0, 2**32), n=st.integers(1, 3000))
@settings(max_examples=25)
def test_the_same_call_is_bit_reproducible(seed: int, n: int) -> None:
    x = ba.normal(3, 1, "s") * ba.between(1, 10) + ba.uniform(0, 1, "s")
    first = x.sample(n, seed=seed).magnitude
    assert np.array_equal(first, x.sample(n, seed=seed).magnitude)


def test_a_column_does_not_depend_on_the_rest_of_the_graph() -> None:
    a = ba.between(1, 10)
    b = ba.uniform(0, 1)
    alone = a.sample(5000, seed=9).magnitude
    together = draw_many([b, a * 1.0, b * a], 5000, seed=9)
    assert np.array_equal(together[1], alone)


def test_correlated_members_draw_alike_with_or_without_their_partners() -> None:
    a, b, c = ba.correlate([ba.normal(0, 1), ba.normal(0, 1), ba.normal(0, 1)], 0.6)
    joint = draw_many([a, b, c], N, seed=4)
    assert np.array_equal(joint[1], b.sample(N, seed=4).magnitude)
    observed: np.ndarray = np.asarray(np.corrcoef(joint))
    assert observed[0, 1] == pytest.approx(0.6, abs=0.01)
    assert observed[1, 2] == pytest.approx(0.6, abs=0.01)
    # separate calls: still the group's joint draw
    assert np.corrcoef(a.sample(N, seed=4).magnitude, c.sample(N, seed=4).magnitude)[
        0, 1
    ] == pytest.approx(0.6, abs=0.01)


def test_keyed_inputs_draw_the_same_numbers_wherever_they_are_built() -> None:
    first = ba.between(1, 10).keyed("model/x")
    second = ba.between(1, 10).keyed("model/x")
    other = ba.between(1, 10).keyed("model/y")
    assert np.array_equal(first.sample(100, seed=1).magnitude, second.sample(100, seed=1).magnitude)
    assert not np.array_equal(first.sample(100, seed=1).magnitude, other.sample(100).magnitude)
    with pytest.raises(ba.InvalidInputError, match="label"):
        ba.between(1, 10).keyed("")
    with pytest.raises(ba.InvalidInputError, match="inputs"):
        (first * 2).keyed("model/z")


def test_a_scenario_loaded_twice_gives_the_same_numbers() -> None:
    one = ba.load_scenario("irving-2021").estimate(2000, seed=3, method="mc")
    two = ba.load_scenario("irving-2021").estimate(2000, seed=3, method="mc")
    assert one.samples is not None
    assert two.samples is not None
    assert np.array_equal(one.samples.magnitude, two.samples.magnitude)


def test_prob_greater_is_one_joint_draw_with_units_checked() -> None:
    a = ba.between(1, 10, "s")
    b = ba.between(2000, 20000, "ms")
    truth = _lognormal_pair_truth(a, ba.between(2, 20, "s"))
    assert ba.prob_greater(a, b, n=N, seed=1) == pytest.approx(truth, abs=0.01)
    assert ba.prob_greater(a, a, n=1000) == 0.0
    assert ba.prob_greater(a * 2, a, n=1000) == 1.0
    with pytest.raises(pint.DimensionalityError):
        ba.prob_greater(a, ba.point(1, "FLOP"))


def test_the_comparison_refusal_names_prob_greater() -> None:
    with pytest.raises(ba.UncertainValueError, match="prob_greater"):
        _ = ba.between(1, 2) > ba.between(1, 3)


def test_estimate_samples_are_read_only() -> None:
    est = ba.normal(1e15, 1e14, "FLOP/s").estimate(1000)
    samples = est.samples
    assert samples is not None
    median = est.median
    magnitudes = samples.magnitude
    with pytest.raises(ValueError, match="read-only"):
        magnitudes /= 1e15
    assert est.median == median


# -- item 2: offset units are converted, not multiplied -------------------------------------


def test_offset_units_convert_through_pint() -> None:
    assert ba.point(37, "degC").to("K").estimate().median.magnitude == pytest.approx(310.15)
    body = ba.between(36, 38, "degC", shape="normal").estimate(N, method="mc")
    assert body.prob_above("310.15 K") == pytest.approx(0.5, abs=0.01)
    assert body.prob_above(ba.Q_(37, "degC")) == pytest.approx(0.5, abs=0.01)
    assert body.to("K").median.magnitude == pytest.approx(310.15, abs=0.05)
    assert body.to("degF").median.magnitude == pytest.approx(98.6, abs=0.1)
    analytic = ba.between(36, 38, "degC").estimate()
    assert analytic.to("K").percentile(5).magnitude == pytest.approx(309.15)


def test_offset_arithmetic_is_what_pint_allows() -> None:
    with pytest.raises(pint.errors.OffsetUnitCalculusError):
        ba.point(37, "degC") * 2
    with pytest.raises(pint.errors.OffsetUnitCalculusError):
        ba.point(37, "degC") + ba.point(1, "K")
    difference = (ba.point(37, "degC") - ba.point(300, "K")).estimate()
    assert difference.median.magnitude == pytest.approx(10.15)
    assert difference.unit == ba.ureg.delta_degC
    warmer = ba.point(37, "degC") + ba.point(2, "delta_degC")
    assert warmer.estimate().median.magnitude == pytest.approx(39.0)


@given(st.floats(-200, 1000), st.sampled_from(["degC", "degF", "K", "degR"]))
@settings(max_examples=40)
def test_conversions_agree_with_pint(value: float, target: str) -> None:
    expected = ba.Q_(value, "degC").to(target).magnitude
    got = ba.point(value, "degC").to(target).estimate().median.magnitude
    assert got == pytest.approx(expected, rel=1e-12, abs=1e-9)


# -- item 3: a Quantity exponent keeps its unit scale ---------------------------------------


def test_quantity_exponent_is_converted_to_a_number() -> None:
    x = ba.between(1, 2)
    assert (x ** ba.Q_(2000, "ms/s")).estimate().median.magnitude == pytest.approx(2.0)
    assert (ba.point(3) ** ba.Q_(2000, "ms/s")).estimate().median.magnitude == pytest.approx(9)


# -- item 4: overflow and underflow are errors, never NaN, inf or 0 -------------------------


def test_a_huge_power_is_an_error_not_nan() -> None:
    est = (ba.between(0.5, 2) ** 1e200).estimate()
    assert est.median.magnitude == 1.0
    with pytest.raises(ba.OutOfRangeError, match="5th percentile"):
        str(est)
    with pytest.raises(ba.OutOfRangeError):
        est.to_dict()


@pytest.mark.parametrize("method", ["auto", "mc"])
def test_underflow_is_an_error_not_zero(method: str) -> None:
    tiny = ba.lognormal(1e-200, 10, "FLOP/s") * ba.lognormal(1e-200, 10)
    with pytest.raises(ba.OutOfRangeError, match="smallest float"):
        str(tiny.estimate(10_000, method=method))


def test_mean_of_huge_samples_does_not_overflow() -> None:
    values = np.full(1000, 1.5e308)
    assert ba.Estimate.from_samples(
        values, ba.ureg.dimensionless, n=1000, seed=0, method="mc"
    ).mean.magnitude == pytest.approx(1.5e308)
    huge = ba.uniform(1e308, 1.7e308, "FLOP")
    assert huge.estimate(10_000).mean.magnitude == pytest.approx(1.35e308, rel=1e-2)
    streamed = huge.estimate(20_000, max_in_memory=10_000, chunk_size=5_000)
    assert streamed.mean.magnitude == pytest.approx(1.35e308, rel=1e-2)


def test_converting_beyond_float_range_is_an_error() -> None:
    est = ba.uniform(1e300, 1e302, "EFLOP").estimate(1000)
    with pytest.raises(ba.OutOfRangeError):
        _ = est.to("FLOP").median
    with pytest.raises(ba.OutOfRangeError):
        _ = ba.between(1e300, 1e302, "EFLOP").estimate().to("FLOP").median


def test_between_works_in_log_space() -> None:
    est = ba.between(1e200, 1e201).estimate()
    assert est.percentile(5).magnitude == pytest.approx(1e200)
    assert est.percentile(95).magnitude == pytest.approx(1e201)
    tiny = ba.between(1e-300, 1e-290).estimate()
    assert tiny.percentile(5).magnitude == pytest.approx(1e-300)
    wide = ba.between(-1.5e308, 1.5e308, credibility=0.999999, shape="normal").estimate(1000)
    assert math.isfinite(wide.median.magnitude)


def test_estimates_json_never_holds_nan_or_infinity() -> None:
    import json

    for x in (ba.between(1, 10), ba.normal(0, 1) * ba.between(1, 1e3), ba.point(3)):
        text = json.dumps(x.estimate(2000).to_dict(), allow_nan=False)
        assert "NaN" not in text


# -- item 5: mixtures ------------------------------------------------------------------------


def test_mixture_weights_that_overflow_their_sum() -> None:
    mixed = ba.mixture([ba.point(1), ba.point(2)], [1e308, 1e308])
    assert mixed.estimate(N).prob_above(1.5) == pytest.approx(0.5, abs=0.01)
    leaves = ba.mixture([ba.between(1, 2), ba.between(3, 4)], [1e308, 1e308])
    assert leaves.estimate(N).prob_above(2.5) == pytest.approx(0.5, abs=0.01)


@pytest.mark.parametrize("scale", [1e-200, 1e-160, 1.0, 1e160, 1e200])
def test_mixture_inverse_cdf_at_any_scale(scale: float) -> None:
    def dist(x: ba.Uncertain) -> Mixture:
        assert isinstance(x.node, Leaf)
        assert isinstance(x.node.dist, Mixture)
        return x.node.dist

    u = np.array([0.001, 0.05, 0.5, 0.95, 0.999])
    reference = dist(ba.mixture([ba.between(1, 2), ba.between(4, 8)])).ppf(u)
    scaled = dist(ba.mixture([ba.between(1 * scale, 2 * scale), ba.between(4 * scale, 8 * scale)]))
    np.testing.assert_allclose(scaled.ppf(u), reference * scale, rtol=1e-9)
    np.testing.assert_allclose(scaled.cdf(scaled.ppf(u)), u, rtol=1e-9)


# -- item 12: sample counts are bounded before anything is allocated ------------------------


@pytest.mark.parametrize("n", [1e99, 10**13, 1e400, float("inf")])
def test_absurd_sample_counts_are_refused_at_once(n: float) -> None:
    with pytest.raises(ba.SamplingError, match="n must"):
        ba.between(1, 2).estimate(n)  # type: ignore[arg-type]
    with pytest.raises(ba.SamplingError):
        ba.between(1, 2).sample(n)  # type: ignore[arg-type]


def test_many_small_chunks_build_no_list() -> None:
    from bioanchors._engine.draw import chunk_tasks
    from bioanchors._engine.plan import compile_plan

    tasks = chunk_tasks(
        compile_plan(ba.between(1, 2) * ba.normal(1, 0.1)).program, 10**12, 0, "mc", 1
    )
    assert len(tasks) == 10**12  # counted, not built


# -- item 15 (core): builtin exceptions become the library's --------------------------------


@pytest.mark.parametrize(
    "make",
    [
        lambda: ba.between(1, 2, credibility=1e-300),
        lambda: ba.between(1, 2, credibility=5e-324, shape="uniform"),
        lambda: ba.between(1e-300, 1e300, credibility=1e-10),
        lambda: ba.point(10**400),
        lambda: ba.normal(10**400, 1),
        lambda: ba.from_quantiles({0.5: 1, 0.5000000001: 1e308}),
        lambda: ba.from_quantiles({0.1: 1, 0.9: 1 + 1e-16}),
        lambda: ba.mixture([ba.between(1, 2)], [0.0]),
        lambda: ba.mixture([ba.between(1, 2)], [float("inf")]),
    ],
)
def test_bad_constructions_raise_the_librarys_errors(make: object) -> None:
    with pytest.raises(ba.BioanchorsError):
        make()  # type: ignore[operator]


def test_closed_form_extreme_percentiles_are_errors_not_overflow() -> None:
    est = ba.from_quantiles({0.5: 1, 0.9: 1e200}).estimate()
    with pytest.raises(ba.OutOfRangeError):
        est.percentile(99.9)
    with pytest.raises(ba.OutOfRangeError, match="100th"):
        ba.lognormal(1, 2).estimate().percentile(100)
    assert ba.lognormal(1, 2).estimate().percentile(0).magnitude == 0.0


def test_credibility_next_to_one_is_not_a_constant() -> None:
    x = ba.between(1, 3, credibility=0.9999999999999999, shape="normal")
    est = x.estimate(1000)
    assert est.percentile(95).magnitude > est.percentile(5).magnitude


def test_qmc_beyond_sobol_dimensions_is_refused_clearly() -> None:
    total = ba.point(0.0)
    for _ in range(21_202):
        total = total + ba.uniform(0, 1)
    with pytest.raises(ba.SamplingError, match="method='mc'"):
        total.estimate(16, method="qmc")


# -- item 7 (engine): negative counts and rates warn ----------------------------------------


def test_negative_flops_warn_naming_the_input() -> None:
    neurons = ba.normal(1e9, 1e9, "neuron", name="neurons")
    total = neurons * ba.point(1e6, "FLOP / neuron / s")
    with pytest.warns(ba.BioanchorsWarning, match="neurons"):
        total.estimate(10_000)
    temperature_change = ba.normal(0, 1, "delta_degC")
    temperature_change.estimate(1000)  # a difference may be negative: no warning


# -- items 18-20: pickling, dict round trip, MC error, quantiles ----------------------------


def test_estimates_inputs_and_scenarios_pickle() -> None:
    import pickle

    est = ba.between(1, 10, "FLOP/s").estimate(1000, method="mc")
    back = pickle.loads(pickle.dumps(est))
    assert back.median == est.median
    assert back.samples is not None
    graph = ba.between(1, 10, "FLOP/s") * ba.normal(1, 0.1)
    again = pickle.loads(pickle.dumps(graph))
    assert np.array_equal(again.sample(100).magnitude, graph.sample(100).magnitude)
    scenario = pickle.loads(pickle.dumps(ba.load_scenario("kokotajlod-2021")))
    assert scenario.estimate().median.magnitude == pytest.approx(1e19)


@pytest.mark.parametrize("method", ["auto", "mc", "qmc"])
def test_from_dict_inverts_to_dict(method: str) -> None:
    import json

    est = (ba.between(1e14, 1e16, "FLOP/s") * ba.between(1, 3)).estimate(4096, method=method)
    back = ba.Estimate.from_dict(json.loads(json.dumps(est.to_dict())))
    assert back.to_dict() == est.to_dict()
    assert back.unit == est.unit
    with pytest.raises(ba.InvalidInputError):
        ba.Estimate.from_dict({"unit": "FLOP/s"})


def test_tail_probabilities_carry_their_error() -> None:
    est = ba.normal(0, 1).estimate(10_000, method="mc")
    p, se = est.prob_above(2.0), est.prob_above_se(2.0)
    assert se == pytest.approx(math.sqrt(p * (1 - p) / 10_000), rel=0.05)
    assert est.prob_above_se(100.0) > 0  # no sample above: still an error bar
    assert ba.lognormal(1, 2).estimate().prob_above_se(3.0) == 0.0
    lo, hi = est.percentile_interval(99)
    assert lo.magnitude < est.percentile(99).magnitude < hi.magnitude
    assert lo.magnitude < stats.norm.ppf(0.99) < hi.magnitude


def test_quantile_takes_fractions_and_both_take_sequences() -> None:
    est = ba.normal(0, 1).estimate(10_000, method="mc")
    assert est.quantile(0.05) == est.percentile(5)
    both = est.quantile([0.05, 0.5, 0.95]).magnitude
    assert list(both) == list(est.percentile([5, 50, 95]).magnitude)
    with pytest.raises(ba.InvalidInputError):
        est.quantile(5)


# -- found by the red-team pass ---------------------------------------------------------------


def test_separate_qmc_estimates_are_not_one_design() -> None:
    a, b = ba.between(1, 10), ba.between(1, 10)
    ea, eb = a.estimate(1024, method="qmc"), b.estimate(1024, method="qmc")
    assert ea.samples is not None
    assert eb.samples is not None
    assert not np.array_equal(ea.samples.magnitude, eb.samples.magnitude)
    assert float(np.mean(ea.samples.magnitude > eb.samples.magnitude)) == pytest.approx(
        0.5, abs=0.06
    )


def test_chunks_are_sized_by_bytes_for_many_inputs() -> None:
    from bioanchors._engine.draw import chunk_tasks
    from bioanchors._engine.options import SCORE_BYTES
    from bioanchors._engine.plan import compile_plan

    total = ba.point(0.0)
    for _ in range(1000):
        total = total + ba.between(1, 2)
    tasks = chunk_tasks(compile_plan(total).program, 10**6, 0, "mc", None)
    assert tasks.size * 1000 * 8 <= SCORE_BYTES


def test_literals_and_constants_that_underflow_to_zero_are_refused(tmp_path: Path) -> None:
    from bioanchors._scenarios.formula import parse_formula

    a = {"a": ba.point(1, "FLOP/s")}
    for text in ("a * 1e-400", "a * (1e-300 * 1e-300)", "a * 2 ** -2000"):
        with pytest.raises(ba.FormulaError, match="0"):
            parse_formula(text).evaluate(a, {})
    assert parse_formula("a * (1 - 1)").evaluate(a, {}) is not None  # an exact zero is fine
    path = tmp_path / "under.toml"
    path.write_text(
        'name = "under"\ntitle = "t"\noutput = "total"\nunit = "FLOP/s"\n'
        '[source]\nwho = "me"\nwhere = "here"\n'
        '[[steps]]\nname = "total"\nvalue = 1e-400\nunit = "FLOP/s"\nquote = "q"\n',
        encoding="utf-8",
    )
    with pytest.raises(ba.BioanchorsError, match="smallest float"):
        ba.load_scenario(path)


def test_extreme_tail_probabilities_print_sensibly() -> None:
    from bioanchors.estimate import format_probability

    assert format_probability(1.0, 0.01, 99) == "> 1 - 1e-02"
    assert format_probability(0.0, 0.01, 99) == "< 1e-02"
    assert format_probability(1.0, 0.3, 3) == "3 of 3"
    assert format_probability(0.0, 0.3, 1) == "0 of 1"
    constant = ba.point(1e19, "FLOP/s").estimate(n=10)
    assert constant.prob_above_se("1e21 FLOP/s") == 0.0


def test_sqrt_of_an_offset_unit_is_refused() -> None:
    with pytest.raises(pint.errors.OffsetUnitCalculusError):
        ba.sqrt(ba.point(20, "degC"))


def test_offset_conversions_keep_the_samples() -> None:
    est = ba.normal(300, 1, "K").estimate(1000, method="mc")
    converted = est.to("degC")
    assert converted.samples is not None
    assert est.samples is not None
    np.testing.assert_allclose(converted.samples.magnitude, est.samples.magnitude - 273.15)


def test_from_dict_refuses_contradictory_records() -> None:
    record = ba.between(1, 10).estimate().to_dict()
    record["log_params"] = {"mu": 100.0, "sigma": 1.0}
    with pytest.raises(ba.InvalidInputError, match="log_params"):
        ba.Estimate.from_dict(record)
    sampled = ba.between(1, 10).estimate(1000, method="mc").to_dict()
    sampled["percentiles"]["5.0"] = 3.0
    with pytest.raises(ba.InvalidInputError, match="twice"):
        ba.Estimate.from_dict(sampled)
    sampled["percentiles"] = {"abc": 1.0}
    with pytest.raises(ba.InvalidInputError, match="numbers"):
        ba.Estimate.from_dict(sampled)
    back = ba.Estimate.from_dict(ba.between(1, 10, "FLOP/s").estimate(100, method="mc").to_dict())
    assert "90% CI" in str(back)


def test_derived_adjustment_arguments_are_checked_when_sampled() -> None:
    from bioanchors.methods.adjustments import useful_fraction

    cost = ba.between(1e20, 1e21, "FLOP/s")
    fraction = ba.uniform(0.1, 0.5)
    with pytest.raises(ba.InvalidInputError, match="useful_fraction: fraction must lie in"):
        useful_fraction(cost, fraction + 1).estimate(1000)
    inside = useful_fraction(cost, fraction * 2).estimate(1000)
    assert inside.median.magnitude < cost.estimate().median.magnitude


@pytest.mark.parametrize(
    "call",
    [
        lambda: ba.between(1, 10, "FLOP/s") * 10**400,
        lambda: ba.load_scenario("kokotajlod-2021").audit(tolerance=10**400),
        lambda: ba.between(1, 10).to(5),  # type: ignore[arg-type]
        lambda: ba.between(1, 10) * "2000 ms/s",
        lambda: ba.between(1, 2, ba.Q_(3, "ms")),  # type: ignore[arg-type]
        lambda: ba.between(1, 10).estimate(100).percentile_interval([5, 50]),  # type: ignore[arg-type]
        lambda: (
            ba.between(1, 10, "FLOP/s").estimate().prob_above(ba.Q_(np.array([1.0, 2.0]), "FLOP/s"))
        ),
    ],
)
def test_wrong_types_and_sizes_raise_the_librarys_errors(call: object) -> None:
    with pytest.raises(ba.BioanchorsError):
        call()  # type: ignore[operator]
