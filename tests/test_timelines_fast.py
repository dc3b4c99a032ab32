"""The fast path of P(TAI by year) and the arrival years against the sample-by-sample loop.

The oracle is the implementation that the thresholds replaced (every sample tested in every
year), written plainly in benchmarks/timelines.py, which also times it. The fast path must
give the very same numbers: probabilities and arrival years compared with ``==``, not a
tolerance, on several brains, seeds, sample sizes, anchors variants and penalties, and for
random parameters (hypothesis).
No timing is asserted here (see ``benchmarks/run.py --timelines``).
"""

from __future__ import annotations

import importlib
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

from bioanchors.timelines import compare_brains, tai_forecast
from bioanchors.timelines.cotra import _exact, _thresholds, affordability
from bioanchors.timelines.cotra._growth import saturating_log10 as _saturating_log10
from bioanchors.timelines.cotra.affordability import (
    arrival_years,
    log10_affordable_flop,
    prob_tai_by,
)
from bioanchors.timelines.cotra.file import default_anchors_path, load_anchors_file
from bioanchors.timelines.cotra.model import Cotra2020
from bioanchors.timelines.cotra.params import AffordabilityParams
from bioanchors.timelines.cotra.progress import (
    LabelledRequirements,
    anchor_schedules,
)
from bioanchors.timelines.swap import NO_PENALTY, Penalty

_LOG10_2 = math.log10(2.0)
DEFAULT_YEARS = np.arange(2025.0, 2101.0)

# --------------------------------------------------------------------------- the oracle


# The loop the thresholds replaced, as benchmarks/timelines.py times it: one copy serves as
# the benchmark's "before" and as this test's oracle.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
_loop: Any = importlib.import_module("timelines")
sys.path.pop(0)
oracle_prob_tai_by = _loop.loop_prob_tai_by
oracle_arrival_years = _loop.loop_arrival_years


# --------------------------------------------------------------------------- helpers


def _requirements(
    model: Cotra2020, n: int, seed: int, penalty: Penalty | None = None, brain: float = 15.0
) -> NDArray[np.float64]:
    log10_brain = np.random.default_rng(seed).normal(brain, 1.5, n)
    return model.log10_requirements(
        log10_brain, rng=np.random.default_rng([seed, 2020]), penalty=penalty
    )


def _assert_same(samples: Any, params: AffordabilityParams, years: Any = DEFAULT_YEARS) -> None:
    years = np.asarray(years, dtype=np.float64)
    np.testing.assert_array_equal(
        prob_tai_by(years, samples, params), oracle_prob_tai_by(years, samples, params)
    )
    fast = arrival_years(samples, params)
    np.testing.assert_array_equal(fast, oracle_arrival_years(samples, params))
    assert not np.isnan(fast).any()


def _variant(values: dict[str, object]) -> Cotra2020:
    if not values:
        return Cotra2020.from_anchors()
    anchors = load_anchors_file(default_anchors_path())
    return Cotra2020.from_anchors(anchors.with_values(values, name="a test variant"))


VARIANTS: dict[str, dict[str, object]] = {
    "default": {},
    "fast hardware": {"affordability.hardware_halving_time_years": 1.5},
    "no GDP growth": {"affordability.gdp_growth_per_year": 0.0},
    "tiny caps": {
        "affordability.algo_max_oom_low": 0.01,
        "affordability.algo_max_oom_high": 0.02,
        "affordability.hardware_max_flop_per_usd": 1.1e17,
    },
    "slow everything": {
        "affordability.hardware_halving_time_years": 1000.0,
        "affordability.spend_doubling_time_years": 1000.0,
        "affordability.algo_halving_time_slow_years": 1000.0,
        "affordability.algo_halving_time_fast_years": 999.0,
    },
}


# --------------------------------------------------------------------------- same numbers


@pytest.mark.parametrize("variant", sorted(VARIANTS))
@pytest.mark.parametrize(
    ("seed", "n", "penalty", "brain"),
    [
        (0, 20_000, None, 15.0),
        (1, 3_001, NO_PENALTY, 19.0),
        (7, 50_000, Penalty(3.0, 0.5), 12.0),
    ],
)
def test_fast_path_matches_the_oracle(
    variant: str, seed: int, n: int, penalty: Penalty | None, brain: float
) -> None:
    model = _variant(VARIANTS[variant])
    req = _requirements(model, n, seed, penalty, brain)
    _assert_same(req, model.affordability)


@pytest.mark.parametrize(
    "years",
    [[2040.0], [2020.0, 2050.5, 2199.9], np.arange(2020.0, 2200.5, 0.5), [2030.0, 2200.0]],
)
def test_any_year_grid_matches_the_oracle(years: list[float]) -> None:
    model = Cotra2020.from_anchors()
    req = _requirements(model, 10_000, 3)
    years_arr = np.asarray(years)
    np.testing.assert_array_equal(
        model.prob_tai_by(years_arr, req), oracle_prob_tai_by(years_arr, req, model.affordability)
    )


def test_forecasts_of_scenarios_match_the_oracle() -> None:
    for forecast in compare_brains(["kokotajlod-2021:claimed", "moravec-1998"], n=20_000, seed=5):
        req = forecast.log10_training_flop
        params = forecast.model.affordability  # type: ignore[attr-defined]
        np.testing.assert_array_equal(
            forecast.prob_by_year, oracle_prob_tai_by(forecast.years, req, params)
        )
        assert forecast.prob_by(2061) == oracle_prob_tai_by(np.array([2061.0]), req, params)[0]


def test_per_requirement_schedules_and_plain_arrays_match_the_oracle() -> None:
    model = _variant({"affordability.algo_progress_by": "requirement"})
    req = _requirements(model, 20_000, 2)
    _assert_same(req, model.affordability)
    plain = np.asarray(req).copy()
    _assert_same(plain, Cotra2020.from_anchors().affordability)


def test_chunks_of_the_exact_path_change_no_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_exact, "CHUNK", 997)
    req = _requirements(Cotra2020.from_anchors(), 5_000, 4)
    _assert_same(req, _variant({"affordability.algo_progress_by": "requirement"}).affordability)
    _assert_same(req, Cotra2020.from_anchors().affordability)  # the fast path, chunked alike


def test_thresholds_that_do_not_settle_fall_back_to_the_exact_path(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []

    def unsettled(progress: Any, affordable: Any) -> None:
        calls.append(1)

    monkeypatch.setattr(affordability, "exact_thresholds", unsettled)
    model = Cotra2020.from_anchors()
    req = _requirements(model, 5_000, 6)
    _assert_same(req, model.affordability)
    assert calls  # the fast path was tried, refused and the exact one answered


def test_nothing_met_everything_met_and_none_samples() -> None:
    params = AffordabilityParams()
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 0], dtype=np.int8)
    values = np.array([10.0, 80.0, 25.0, 1e6, -1e6, 33.0, np.inf, np.inf])
    req = LabelledRequirements.build(values, labels)
    _assert_same(req, params)
    arrivals = arrival_years(req, params)
    assert arrivals[0] == params.base_year
    assert arrivals[4] == params.base_year
    assert np.isinf(arrivals[[1, 3, 6, 7]]).all()


# --------------------------------------------------------------------------- the pieces


@given(
    s=st.floats(0.0, 30.0),
    a=st.floats(-50.0, 80.0),
)
def test_exact_threshold_is_the_largest_double_met(s: float, a: float) -> None:
    t = _thresholds.exact_thresholds(np.array([s]), np.array([a]))
    assert t is not None
    value = float(t[0])
    assert value - s <= a
    assert not (math.nextafter(value, math.inf) - s <= a)


def test_exact_thresholds_refuse_non_finite_trends() -> None:
    assert _thresholds.exact_thresholds(np.array([np.inf]), np.array([1.0])) is None


@given(
    column=st.lists(st.sampled_from([-1.0, 0.0, 0.5, 1.0, 1.0 + 2**-52, 2.0, 7.5]), max_size=40),
    values=st.lists(st.sampled_from([-2.0, -1.0, 0.0, 0.25, 0.5, 1.0, 1.0 + 2**-52, 9.0])),
    extra=st.lists(st.floats(-3.0, 10.0), max_size=30),
)
def test_bucket_search_is_searchsorted(
    column: list[float], values: list[float], extra: list[float]
) -> None:
    col = np.sort(np.asarray(column, dtype=np.float64))
    if col.size == 0:
        col = np.array([0.0])
    vals = np.asarray(values + extra, dtype=np.float64)
    np.testing.assert_array_equal(
        _thresholds.first_at_or_above(col, vals), np.searchsorted(col, vals, side="left")
    )


@given(
    thresholds=st.lists(
        st.lists(st.floats(0.0, 10.0), min_size=3, max_size=3), min_size=1, max_size=15
    ),
    seed=st.integers(0, 2**32 - 1),
)
def test_counts_and_first_years_with_thresholds_that_fall(
    thresholds: list[list[float]], seed: int
) -> None:
    table = np.asarray(thresholds)  # rows: years; need not grow with the year
    rng = np.random.default_rng(seed)
    values = rng.uniform(-1.0, 11.0, 200)
    values[:50] = rng.choice(table.ravel(), 50)  # ties with the thresholds
    labels = rng.integers(0, 3, values.size).astype(np.int8)
    met = values[None, :] <= table[:, labels]  # (years, samples), by brute force
    np.testing.assert_array_equal(_thresholds.met_counts(values, labels, table), met.sum(axis=1))
    first = np.where(met.any(axis=0), met.argmax(axis=0), table.shape[0])
    np.testing.assert_array_equal(_thresholds.first_met(values, labels, table), first)


_params = st.fixed_dictionaries(
    {
        "hardware_halving_time_years": st.floats(0.05, 50.0),
        "spend_doubling_time_years": st.floats(0.05, 50.0),
        "gdp_growth_per_year": st.floats(0.0, 0.2),
        "max_gdp_fraction": st.floats(1e-6, 1.0),
        "algo_halving_time_slow_years": st.floats(0.05, 50.0),
        "algo_halving_time_fast_years": st.floats(0.05, 50.0),
        "algo_max_oom_low": st.floats(0.0, 10.0),
        "algo_max_oom_high": st.floats(0.0, 10.0),
        "hardware_max_flop_per_usd": st.floats(1.01e17, 1e30),
    }
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(values=_params, seed=st.integers(0, 2**32 - 1), centre=st.floats(20.0, 50.0))
def test_random_parameters_fast_equals_oracle_and_the_cdf_grows(
    values: dict[str, float], seed: int, centre: float
) -> None:
    params = AffordabilityParams(**values)
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, 2_000).astype(np.int8)
    samples = rng.normal(centre, 6.0, labels.size)
    samples[labels == 6] = np.inf
    req = LabelledRequirements.build(samples, labels)
    years = np.arange(2020.0, 2200.0, 3.0)
    prob = prob_tai_by(years, req, params)
    np.testing.assert_array_equal(prob, oracle_prob_tai_by(years, req, params))
    assert np.all(np.diff(prob) >= 0.0)
    np.testing.assert_array_equal(arrival_years(req, params), oracle_arrival_years(req, params))


def test_forecast_percentiles_come_from_the_same_arrivals() -> None:
    forecast = tai_forecast("moravec-1998", n=20_000)
    params = forecast.model.affordability  # type: ignore[attr-defined]
    arrivals = np.sort(oracle_arrival_years(forecast.log10_training_flop, params))
    index = math.ceil(0.5 * arrivals.size - 1e-9) - 1
    assert forecast.percentiles[50] == arrivals[index]


def test_samples_on_the_thresholds_are_counted_as_the_loop_counts_them() -> None:
    # Requirements within two doubles of a + s for every anchor and year: where a threshold
    # taken as a + s (without the exact step) would miscount.
    params = AffordabilityParams()
    years = DEFAULT_YEARS
    halving, cap = anchor_schedules(params)
    affordable = log10_affordable_flop(years, params)
    values, labels = [], []
    for i, year in enumerate(years):
        progress = _saturating_log10((year - params.base_year) * _LOG10_2 / halving, cap)
        for k in range(6):
            centre = affordable[i] + progress[k]
            for steps in range(-2, 3):
                value = centre
                for _ in range(abs(steps)):
                    value = math.nextafter(value, math.copysign(math.inf, steps))
                values.append(value)
                labels.append(k)
    req = LabelledRequirements.build(np.asarray(values), np.asarray(labels, dtype=np.int8))
    _assert_same(req, params, years)
