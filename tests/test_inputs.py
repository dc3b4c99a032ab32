"""Constructors of inputs: between, lognormal, ..., mixture, correlate, from_quantiles."""

from __future__ import annotations

import math

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import bioanchors as ba
from bioanchors._engine.draw import draw_many


@given(
    lo=st.floats(1e-10, 1e20),
    ratio=st.floats(1.01, 1e8),
    credibility=st.floats(0.05, 0.995),
)
def test_between_lognormal_reproduces_interval_exactly(
    lo: float, ratio: float, credibility: float
) -> None:
    hi = lo * ratio
    est = ba.between(lo, hi, "FLOP/s", credibility=credibility).estimate(method="analytic")
    low, high = est.interval(credibility)
    assert low.magnitude == pytest.approx(lo, rel=1e-9)
    assert high.magnitude == pytest.approx(hi, rel=1e-9)


@pytest.mark.parametrize("shape", ["normal", "uniform", "loguniform", "lognormal"])
def test_between_every_shape_puts_lo_hi_at_the_quantiles(shape: str) -> None:
    x = ba.between(2.0, 50.0, "s", credibility=0.8, shape=shape)  # type: ignore[arg-type]
    lo, hi = x.estimate(2**16, method="qmc").interval(0.8)
    assert lo.magnitude == pytest.approx(2.0, rel=1e-3)
    assert hi.magnitude == pytest.approx(50.0, rel=1e-3)


def test_lognormal_matches_scipy() -> None:
    x = ba.lognormal(3e4, 2.5, "FLOP")
    reference = stats.lognorm(s=math.log(2.5), scale=3e4)
    est = x.estimate()
    for q in (1, 5, 50, 95, 99):
        assert est.percentile(q).magnitude == pytest.approx(reference.ppf(q / 100), rel=1e-12)
    assert est.mean.magnitude == pytest.approx(reference.mean(), rel=1e-12)
    assert est.prob_above("1e5 FLOP") == pytest.approx(reference.sf(1e5), rel=1e-12)


@pytest.mark.parametrize(
    ("make", "reference"),
    [
        (lambda: ba.normal(5.0, 2.0, "s"), stats.norm(5.0, 2.0)),
        (lambda: ba.uniform(1.0, 3.0, "s"), stats.uniform(1.0, 2.0)),
        (lambda: ba.loguniform(1.0, 1e4, "s"), stats.loguniform(1.0, 1e4)),
    ],
)
def test_sampled_distributions_match_scipy(make, reference) -> None:  # type: ignore[no-untyped-def]
    samples = make().sample(200_000, seed=5).magnitude
    result = stats.kstest(samples, reference.cdf)
    assert result.pvalue > 1e-3
    assert np.median(samples) == pytest.approx(reference.median(), rel=0.02)


def test_from_quantiles_two_points_exact() -> None:
    brain = ba.from_quantiles({0.5: 1e15, 0.9: 1e21}, "FLOP/s")
    est = brain.estimate()
    assert est.median.magnitude == pytest.approx(1e15, rel=1e-12)
    assert est.percentile(90).magnitude == pytest.approx(1e21, rel=1e-9)
    # An exact fit does not warn (warnings are errors in this suite).


def test_from_quantiles_least_squares_reports_misfit() -> None:
    given = {0.1: 1e13, 0.5: 1e15, 0.9: 1e18}
    with pytest.warns(ba.BioanchorsWarning, match="no lognormal passes through") as caught:
        brain = ba.from_quantiles(given, "FLOP/s")
    assert "0.33 orders of magnitude off" in str(caught[0].message)
    est = brain.estimate(method="analytic")
    residuals = [math.log10(est.percentile(100 * q).magnitude / v) for q, v in given.items()]
    assert max(abs(r) for r in residuals) == pytest.approx(0.333, abs=1e-3)
    # Least squares in log space: residuals sum to zero.
    assert sum(residuals) == pytest.approx(0.0, abs=1e-9)


@pytest.mark.parametrize(
    "quantiles",
    [
        {0.5: 1e15},
        {0.0: 1.0, 0.5: 2.0},
        {0.5: 1.0, 1.0: 2.0},
        {0.5: 2.0, 0.9: 1.0},
        {0.1: -1.0, 0.9: 2.0},
        {0.1: 1.0, 0.9: math.nan},
    ],
)
def test_from_quantiles_rejects_bad_input(quantiles: dict[float, float]) -> None:
    with pytest.raises(ba.InvalidInputError, match="from_quantiles"):
        ba.from_quantiles(quantiles, "FLOP/s")


@pytest.mark.parametrize(
    "make",
    [
        lambda: ba.between(2, 1),
        lambda: ba.between(1, 1),
        lambda: ba.between(0, 1),
        lambda: ba.between(-1, 1, shape="loguniform"),
        lambda: ba.between(1, 2, credibility=1.0),
        lambda: ba.between(1, 2, credibility=0.0),
        lambda: ba.between(1, 2, shape="triangle"),  # type: ignore[arg-type]
        lambda: ba.between(math.nan, 2),
        lambda: ba.between(1, math.inf),
        lambda: ba.lognormal(1, 1),
        lambda: ba.lognormal(0, 2),
        lambda: ba.lognormal(-3, 2),
        lambda: ba.normal(0, -1),
        lambda: ba.normal(math.nan, 1),
        lambda: ba.uniform(3, 2),
        lambda: ba.loguniform(0, 2),
        lambda: ba.point(math.inf),
        lambda: ba.point("12"),  # type: ignore[arg-type]
        lambda: ba.mixture([]),
        lambda: ba.mixture([ba.point(1), ba.point(2)], [1, -1]),
        lambda: ba.mixture([ba.point(1), ba.point(2)], [0, 0]),
        lambda: ba.mixture([ba.point(1), ba.point(2)], [1]),
        lambda: ba.mixture([ba.point(1), ba.point(2)], [1, math.nan]),
    ],
)
def test_bad_input_raises_bioanchors_error_naming_the_value(make) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ba.BioanchorsError) as info:
        make()
    assert isinstance(info.value, ValueError)
    assert str(info.value)


def test_error_message_names_value_and_expectation() -> None:
    with pytest.raises(ba.InvalidInputError, match=r"lo=5.0, hi=2.0"):
        ba.between(5, 2)
    with pytest.raises(ba.InvalidInputError, match=r"gsd=0.5.*greater than 1"):
        ba.lognormal(1, 0.5)


def test_mixture_of_different_dimensions_is_dimensionality_error() -> None:
    with pytest.raises(pint.DimensionalityError):
        ba.mixture([ba.between(1, 2, "neuron"), ba.between(1, 2, "synapse")])


def test_mixture_converts_units() -> None:
    m = ba.mixture([ba.point(1, "PFLOP/s"), ba.point(1e15, "FLOP/s")])
    assert m.unit == ba.ureg.Unit("PFLOP/s")
    samples = m.sample(1000).magnitude
    assert np.allclose(samples, 1.0)


def test_mixture_weights_are_respected() -> None:
    m = ba.mixture([ba.point(1.0), ba.point(2.0) + ba.normal(0, 1e-9)], [0.25, 0.75])
    samples = m.sample(100_000, seed=1).magnitude
    assert np.mean(samples < 1.5) == pytest.approx(0.25, abs=0.01)


def test_leaf_mixture_matches_its_cdf() -> None:
    m = ba.mixture([ba.lognormal(1, 2), ba.lognormal(100, 3)], [1, 3])
    samples = m.sample(100_000, seed=2).magnitude
    first = stats.lognorm(s=math.log(2), scale=1)
    second = stats.lognorm(s=math.log(3), scale=100)
    for x in (0.5, 1.0, 10.0, 100.0, 1000.0):
        cdf = 0.25 * first.cdf(x) + 0.75 * second.cdf(x)
        assert np.mean(samples <= x) == pytest.approx(cdf, abs=0.01)


@given(rho=st.floats(-0.95, 0.95))
def test_correlated_scores_have_requested_correlation(rho: float) -> None:
    a, b = ba.correlate([ba.between(1, 10, "s"), ba.lognormal(5, 3, "s")], rho)
    samples = draw_many([a, b], 20_000, seed=11)
    r = np.corrcoef(np.log(samples))[0, 1]
    assert r == pytest.approx(rho, abs=0.03)


def test_correlation_matrix_and_rank_correlation() -> None:
    corr = [[1.0, 0.5, -0.3], [0.5, 1.0, 0.2], [-0.3, 0.2, 1.0]]
    x = ba.correlate([ba.normal(0, 1), ba.uniform(0, 1), ba.between(1, 100)], corr)
    samples = draw_many(x, 100_000, seed=5)
    spearman = stats.spearmanr(samples, axis=1).statistic
    expected = 6 / math.pi * np.arcsin(np.array(corr) / 2)
    assert np.allclose(spearman, expected, atol=0.02)


def test_correlation_is_used_by_the_analytic_path() -> None:
    a, b = ba.correlate([ba.lognormal(1, math.e), ba.lognormal(1, math.e)], 0.6)
    analytic = (a * b).estimate(method="analytic")
    assert analytic.log_params == pytest.approx((0.0, math.sqrt(2 + 2 * 0.6)))
    sampled = (a * b).estimate(200_000, method="mc", seed=4)
    assert sampled.percentile(95).magnitude == pytest.approx(
        analytic.percentile(95).magnitude, rel=0.03
    )


def test_partial_group_in_a_graph_keeps_its_pair() -> None:
    a, _b, c = ba.correlate([ba.normal(0, 1), ba.normal(0, 1), ba.normal(0, 1)], 0.7)
    samples = draw_many([a, c], 50_000, seed=8)
    assert np.asarray(np.corrcoef(samples))[0, 1] == pytest.approx(0.7, abs=0.02)


@pytest.mark.parametrize(
    ("inputs", "corr"),
    [
        (lambda: [ba.normal(0, 1), ba.normal(0, 1)], 1.5),
        (lambda: [ba.normal(0, 1), ba.normal(0, 1)], [[1, 0.5], [0.4, 1]]),
        (lambda: [ba.normal(0, 1), ba.normal(0, 1)], [[1, 0.5, 0], [0.5, 1, 0], [0, 0, 1]]),
        (lambda: [ba.normal(0, 1)] * 3, [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]]),
        (
            lambda: [ba.normal(0, 1), ba.normal(0, 1), ba.normal(0, 1)],
            [[1, 0.9, -0.9], [0.9, 1, 0.9], [-0.9, 0.9, 1]],
        ),
        (lambda: [ba.normal(0, 1), ba.point(1)], 0.5),
        (lambda: [ba.normal(0, 1) * 2, ba.normal(0, 1)], 0.5),
        (lambda: [ba.normal(0, 1)], 0.5),
        (lambda: [ba.normal(0, 1), ba.normal(0, 1)], math.nan),
        (lambda: [ba.normal(0, 1), ba.normal(0, 1)], [[2, 0], [0, 1]]),
    ],
)
def test_bad_correlations(inputs, corr) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ba.CorrelationError):
        ba.correlate(inputs(), corr)


def test_same_input_cannot_be_correlated_twice() -> None:
    x = ba.normal(0, 1)
    with pytest.raises(ba.CorrelationError, match="twice"):
        ba.correlate([x, x], 0.5)
    a, _b = ba.correlate([ba.normal(0, 1), ba.normal(0, 1)], 0.5)
    with pytest.raises(ba.CorrelationError, match="already correlated"):
        ba.correlate([a, ba.normal(0, 1)], 0.2)


def test_perfect_correlation_is_allowed() -> None:
    a, b = ba.correlate([ba.normal(0, 1), ba.normal(0, 1)], 1.0)
    samples = draw_many([a, b], 1000, seed=0)
    assert np.allclose(samples[0], samples[1])
