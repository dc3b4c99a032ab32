"""The Cotra (2020) reproduction against her own published curve, year by year.

Reference (an independent implementation: her spreadsheet, as copied by Epoch AI): the class
``BioAnchorsAGIDistribution`` in ``ftm/stats/distributions.py`` of Epoch AI's takeoff-model
repository, GitHub ``epoch-research/ftm``, commit 99dc907095fb127c5f5dd24e61a534a2871eaddd
(2025-06-02). Its docstring: "Taken from Ajeya Cotra's best guess scenario: [her Google
spreadsheet] (see the weighted average line in the graph)". The values below are its
``self.cdf`` (percent) for ``self.years`` 2024-2100, copied verbatim.

The per-anchor medians are Epoch AI's summary of the report (Anson Ho, "Grokking 'Forecasting
TAI with biological anchors'", Epoch AI 2022, as cited in ``data/anchors/cotra-2020.toml``):
short ~1e32, medium ~3e34, long ~1e37, genome ~1e33, lifetime ~1e28, evolution ~1e41 FLOP.

Monte Carlo noise: at n = 200,000 the standard error of one year's P(TAI) is at most
sqrt(0.25 / 200,000) = 0.11 points; over seeds 0-5 the largest difference over 2025-2100 ranges
from 1.42 to 1.69 points (1.55 at n = 400,000, docs/cotra-comparison.md), so the 2-point bound
holds with a margin of about three standard errors at the worst seed tried (at n = 50,000 the
worst of six seeds reaches 2.00: too close to test). The test uses seed 0. The two tests that
the bound is *missed* without each structural change use n = 50,000: their margins are wide.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.timelines import compare_brains
from bioanchors.timelines.cotra import AffordabilityParams, AnchorParams, CotraParams
from bioanchors.timelines.cotra.affordability import (
    _saturating_log10,
    arrival_years,
    log10_affordable_flop,
    prob_tai_by,
)
from bioanchors.timelines.cotra.anchors import sample_anchors
from bioanchors.timelines.cotra.progress import (
    LabelledRequirements,
    schedule,
    schedule_by_anchor,
)

EPOCH_FTM_COMMIT = "99dc907095fb127c5f5dd24e61a534a2871eaddd"
"""epoch-research/ftm commit whose ftm/stats/distributions.py holds the reference curve."""

YEARS = np.arange(2024, 2101, dtype=np.float64)

# BioAnchorsAGIDistribution.cdf, in percent, for 2024, 2025, ..., 2100 (77 values).
EPOCH_CDF_PERCENT = (
    *(2.00, 2.62, 3.33, 4.20, 5.23, 6.40, 7.72, 9.13, 10.64, 12.26),
    *(13.98, 15.78, 17.69, 19.66, 21.68, 23.78, 25.90, 28.06, 30.24),
    *(32.37, 34.48, 36.53, 38.52, 40.41, 42.27, 44.01, 45.68, 47.24),
    *(48.73, 50.14, 51.51, 52.80, 54.04, 55.23, 56.40, 57.50, 58.53),
    *(59.60, 60.60, 61.56, 62.52, 63.48, 64.37, 65.24, 66.10, 66.96),
    *(67.74, 68.52, 69.28, 70.00, 70.66, 71.32, 71.92, 72.47, 72.93),
    *(73.39, 73.81, 74.18, 74.50, 74.80, 75.04, 75.27, 75.46, 75.66),
    *(75.86, 76.02, 76.17, 76.34, 76.48, 76.63, 76.79, 76.95, 77.10),
    *(77.22, 77.38, 77.53, 77.65),
)
REFERENCE_CDF = 0.01 * np.array(EPOCH_CDF_PERCENT)

EPOCH_ANCHOR_MEDIANS_LOG10 = {
    "short": 32.0,
    "medium": float(np.log10(3e34)),
    "long": 37.0,
    "genome": 33.0,
    "lifetime": 28.0,
    "evolution": 41.0,
}

N = 200_000
N_SMALL = 50_000
SEED = 0


def _reference_row(anchors: CotraParams | None = None, n: int = N) -> np.ndarray:
    rows = compare_brains([], anchors=anchors, n=n, seed=SEED, years=YEARS)
    prob: np.ndarray = rows[0].prob_by_year
    return prob


def test_reference_curve_is_the_copied_one() -> None:
    assert len(EPOCH_CDF_PERCENT) == YEARS.size == 77
    assert np.all(np.diff(REFERENCE_CDF) > 0)
    assert (REFERENCE_CDF[0], REFERENCE_CDF[-1]) == pytest.approx((0.02, 0.7765))


def test_within_two_points_of_cotras_curve_every_year_2025_2100() -> None:
    diff = _reference_row() - REFERENCE_CDF
    in_range = YEARS >= 2025
    worst = float(np.max(np.abs(diff[in_range])))
    assert worst <= 0.02, (
        f"max |difference| {worst:.4f} in {YEARS[in_range][np.argmax(np.abs(diff[in_range]))]:.0f}"
    )


def test_per_sample_algorithmic_progress_misses_the_curve() -> None:
    # The structural cause of the old 4-point gap: reading the algorithmic-progress rule at
    # every sample rather than once per anchor. The test fails if that stops mattering.
    per_sample = CotraParams(affordability=AffordabilityParams(algo_progress_by="requirement"))
    diff = _reference_row(per_sample, N_SMALL) - REFERENCE_CDF
    assert float(np.max(np.abs(diff[YEARS >= 2025]))) > 0.035


def _medians() -> dict[str, float]:
    samples = sample_anchors(np.full(40_000, 15.0), rng=np.random.default_rng(1))
    return {name: float(np.median(values)) for name, values in samples.items()}


@pytest.mark.parametrize("name", list(EPOCH_ANCHOR_MEDIANS_LOG10))
def test_anchor_median_within_0_3_orders_of_epochs(name: str) -> None:
    # medium, long and genome get there through calibrated offsets (tag U in the file); short,
    # lifetime and evolution without one (lifetime's own adjustment is calibrated too).
    assert _medians()[name] == pytest.approx(EPOCH_ANCHOR_MEDIANS_LOG10[name], abs=0.3)


def test_without_the_offsets_the_curve_is_more_than_two_points_off() -> None:
    # What the three calibrated offsets do: without them the medium, long and genome medians
    # sit 0.45-1.14 orders higher and the curve runs ~4 points below Cotra's around 2048.
    anchors = AnchorParams(
        medium_adjustment_oom=0.0, long_adjustment_oom=0.0, genome_adjustment_oom=0.0
    )
    diff = _reference_row(CotraParams(anchors=anchors), N_SMALL) - REFERENCE_CDF
    assert float(np.min(diff[YEARS >= 2025])) < -0.03


def test_a_forecast_reads_its_samples_with_their_anchors_later_too() -> None:
    # prob_by(year) re-reads the stored requirement samples: it must use the same per-anchor
    # schedules as the table computed at the start (and the same after pickling).
    import pickle

    fc = compare_brains([], n=N_SMALL, seed=SEED, years=YEARS)[0]
    at = {2035: 11, 2050: 26, 2100: 76}
    for year, index in at.items():
        assert fc.prob_by(year) == fc.prob_by_year[index]
        assert pickle.loads(pickle.dumps(fc)).prob_by(year) == fc.prob_by_year[index]


@settings(deadline=None, max_examples=40)
@given(
    st.lists(st.tuples(st.floats(20.0, 50.0), st.integers(0, 5)), min_size=1, max_size=60),
    st.sampled_from(["anchor", "requirement"]),
)
def test_progress_per_distinct_schedule_equals_a_per_sample_oracle(
    samples: list[tuple[float, int]], rule: str
) -> None:
    # prob_tai_by and arrival_years compute each year's algorithmic progress once per distinct
    # (halving time, cap) and gather it; an oracle written differently computes it sample by
    # sample, with Python floats, from the same schedules.
    params = AffordabilityParams().model_copy(update={"algo_progress_by": rule})
    values = np.array([v for v, _ in samples])
    labels = np.array([a for _, a in samples], dtype=np.int8)
    req = LabelledRequirements.build(values, labels)
    if rule == "anchor":
        halving, cap = schedule_by_anchor(labels, params)
    else:
        halving, cap = schedule(values, params)
    years = np.array([2025.0, 2040.0, 2070.0, 2150.0])
    affordable = log10_affordable_flop(years, params)
    expected = []
    for year, budget in zip(years, affordable, strict=True):
        met = 0
        for value, h, c in zip(values, halving, cap, strict=True):
            growth = np.array([(year - params.base_year) * math.log10(2.0) / h])
            progress = float(_saturating_log10(growth, np.array([c]))[0])
            met += value - progress <= budget
        expected.append(met / len(values))
    assert prob_tai_by(years, req, params) == pytest.approx(expected, abs=0.0)
    arrived = arrival_years(req, params)
    assert [float(np.mean(arrived <= y)) for y in years] == pytest.approx(expected, abs=0.0)
