"""Inputs that draw from one stream are one random variable, whatever the method.

Regression: two inputs keyed by the same label drew identical numbers in Monte Carlo (one
stream) but were independent columns for the closed form and QMC, so ``method="auto"`` gave
a 90 % interval of ``a * b`` about ten times narrower at each end than Monte Carlo did for
the same graph (lognormal gsd 10: 0.0047-212 against 0.0005-1980).
"""

from __future__ import annotations

import math
from typing import Literal

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import bioanchors as ba


def _interval(estimate: ba.Estimate) -> tuple[float, float]:
    lo, hi = estimate.interval(0.9)
    return float(lo.magnitude), float(hi.magnitude)


def test_same_label_is_one_variable_by_every_method() -> None:
    a = ba.lognormal(1, 10).keyed("shared/x")
    b = ba.lognormal(1, 10).keyed("shared/x")
    # One variable: ln(a b) = 2 ln a ~ Normal(0, (2 ln 10)^2), scipy's closed form.
    want = tuple(stats.lognorm(s=2 * math.log(10)).ppf([0.05, 0.95]))
    assert _interval((a * b).estimate(100_000, method="analytic")) == pytest.approx(want, rel=1e-9)
    assert _interval((a * b).estimate(100_000, method="qmc")) == pytest.approx(want, rel=0.02)
    assert _interval((a * b).estimate(100_000, method="mc")) == pytest.approx(want, rel=0.05)


def test_independent_inputs_stay_independent() -> None:
    a = ba.lognormal(1, 10)
    b = ba.lognormal(1, 10)
    want = tuple(stats.lognorm(s=math.sqrt(2) * math.log(10)).ppf([0.05, 0.95]))
    assert _interval((a * b).estimate(100_000, method="analytic")) == pytest.approx(want, rel=1e-9)
    assert _interval((a * b).estimate(100_000, method="qmc")) == pytest.approx(want, rel=0.02)


@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_shared_stream_is_comonotone(method: Literal["mc", "qmc"]) -> None:
    """Different distributions on one stream share the normal score: equal ranks, and the
    product is the product of the two inputs sampled alone."""
    a = ba.lognormal(1, 10).keyed("shared/once")
    b = ba.between(2, 5).keyed("shared/once")
    samples_a = a.sample(1_000, seed=3, method=method).magnitude
    samples_b = b.sample(1_000, seed=3, method=method).magnitude
    product = (a * b).sample(1_000, seed=3, method=method).magnitude
    np.testing.assert_allclose(product, samples_a * samples_b, rtol=1e-12)
    assert (np.argsort(samples_a) == np.argsort(samples_b)).all()


@settings(max_examples=30, deadline=None)
@given(
    label=st.text(min_size=1, max_size=12),
    median=st.floats(0.01, 10),
    gsd=st.floats(1.5, 1e3),
    method=st.sampled_from(["analytic", "qmc"]),
)
def test_property_keyed_alike_is_one_variable(
    label: str, median: float, gsd: float, method: Literal["analytic", "qmc"]
) -> None:
    """For any label and spread, two inputs keyed alike multiply like one input squared
    (ln(a*b) = 2 ln a), by the closed form and by QMC as by Monte Carlo."""
    a = ba.lognormal(median, gsd).keyed(label)
    b = ba.lognormal(median, gsd).keyed(label)
    lo, hi = _interval((a * b).estimate(20_000, method=method))
    single_lo, single_hi = _interval(a.estimate(20_000, method=method))
    assert lo == pytest.approx(single_lo**2, rel=0.03)
    assert hi == pytest.approx(single_hi**2, rel=0.03)
