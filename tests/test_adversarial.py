"""Regression tests for the silent wrong answers of issue 9 (core: streams, numbers, results).

Each test names the case it pins; the first version returned a wrong number with exit code 0
for every one of them.
"""

from __future__ import annotations

import math

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import bioanchors as ba
from bioanchors.sampling import draw_many
from bioanchors.uncertain import Leaf

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
