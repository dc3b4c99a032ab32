"""``tai_summary``: P(TAI by year) and the percentile years from one pass, bit for bit.

The references are the two functions it stands in for, ``prob_tai_by`` and
``year_percentiles`` (themselves checked against the sample-by-sample loop in
``test_timelines_fast.py``): equal with ``==`` for random parameters, years on and off the
yearly grid, any probabilities, affordable compute that falls, and each fallback.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from numpy.typing import ArrayLike, NDArray

from bioanchors.errors import InvalidInputError
from bioanchors.timelines import compare_brains
from bioanchors.timelines.cotra import affordability
from bioanchors.timelines.cotra.affordability import prob_tai_by, tai_summary, year_percentiles
from bioanchors.timelines.cotra.params import AffordabilityParams
from bioanchors.timelines.cotra.progress import LabelledRequirements
from tests.test_timelines_fast import _params  # random affordability parameters, as there

_probabilities = st.lists(st.floats(1e-6, 1.0), min_size=1, max_size=6)


def _labelled(seed: int, size: int, centre: float) -> LabelledRequirements:
    rng = np.random.default_rng(seed)
    labels = rng.integers(0, 7, size).astype(np.int8)
    samples = rng.normal(centre, 6.0, size)
    samples[labels == 6] = np.inf  # an anchor that never arrives
    return LabelledRequirements.build(samples, labels)


def _assert_summary(
    years: ArrayLike, samples: Any, probabilities: list[float], params: AffordabilityParams
) -> None:
    prob, pct = tai_summary(years, samples, probabilities, params)
    np.testing.assert_array_equal(prob, prob_tai_by(years, samples, params))
    np.testing.assert_array_equal(pct, year_percentiles(samples, probabilities, params))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    values=_params,
    seed=st.integers(0, 2**32 - 1),
    centre=st.floats(20.0, 50.0),
    size=st.integers(1, 3_000),
    probabilities=_probabilities,
    step=st.sampled_from([1.0, 3.0, 0.5, 7.25]),
)
def test_the_same_numbers_as_the_two_functions(
    values: dict[str, float],
    seed: int,
    centre: float,
    size: int,
    probabilities: list[float],
    step: float,
) -> None:
    params = AffordabilityParams(**values)
    years = np.arange(2020.0, 2200.0, step)  # on the yearly grid, or off it (0.5, 7.25)
    _assert_summary(years, _labelled(seed, size, centre), probabilities, params)


def test_forecasts_are_unchanged_numbers() -> None:
    # run_forecast takes tai_summary for Cotra's model: its rows are the two functions'.
    for forecast in compare_brains(["moravec-1998", "kokotajlod-2021"], n=20_001, seed=3):
        req = forecast.log10_training_flop
        params = forecast.model.affordability  # type: ignore[attr-defined]
        np.testing.assert_array_equal(forecast.prob_by_year, prob_tai_by(forecast.years, req))
        pct = year_percentiles(req, [0.1, 0.5, 0.9], params)
        assert [forecast.percentiles[q] for q in (10, 50, 90)] == pct.tolist()


def test_affordable_compute_that_falls(monkeypatch: pytest.MonkeyPatch) -> None:
    # Thresholds that do not grow with the year: the counts cannot come from the first year
    # met, and the percentiles still can.
    own = affordability.log10_affordable_flop

    def wavy(years: ArrayLike, params: AffordabilityParams) -> NDArray[np.float64]:
        y = np.asarray(years, dtype=np.float64)
        out: NDArray[np.float64] = own(y, params) - 4.0 * np.sin(y / 7.0) ** 2
        return out

    monkeypatch.setattr(affordability, "log10_affordable_flop", wavy)
    samples = _labelled(11, 5_000, 32.0)
    assert not np.all(np.diff(wavy(np.arange(2020.0, 2101.0), AffordabilityParams())) >= 0)
    _assert_summary(
        np.arange(2025.0, 2101.0), samples, [0.05, 0.5, 0.5, 1.0], AffordabilityParams()
    )


def test_plain_arrays_and_a_schedule_per_requirement_fall_back() -> None:
    samples = _labelled(5, 4_000, 30.0)
    plain = np.asarray(samples).copy()
    years = np.arange(2025.0, 2101.0)
    _assert_summary(years, plain, [0.1, 0.5, 0.9], AffordabilityParams())
    by_requirement = AffordabilityParams(algo_progress_by="requirement")
    _assert_summary(years, samples, [0.1, 0.5, 0.9], by_requirement)


def test_everything_met_at_once_and_nothing_ever() -> None:
    labels = np.array([0, 1, 2, 3, 4, 5, 6, 0], dtype=np.int8)
    early = LabelledRequirements.build(np.full(8, -1e6), labels)
    never = LabelledRequirements.build(np.full(8, 1e6), labels)
    for samples in (early, never):
        _assert_summary([2020.0, 2050.0, 2200.0], samples, [0.01, 0.5, 1.0], AffordabilityParams())


def test_bad_arguments_are_refused_as_the_two_functions_refuse_them() -> None:
    samples = _labelled(1, 100, 30.0)
    with pytest.raises(InvalidInputError, match="probabilities"):
        tai_summary([2030.0], samples, [0.0])
    with pytest.raises(InvalidInputError, match="years"):
        tai_summary([2019.0], samples, [0.5])
