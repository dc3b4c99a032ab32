"""In-memory percentiles by one-kth partitions: bit for bit numpy's "linear" percentiles.

The summary partitions one position at a time and reads the interpolation neighbour as the
minimum of the segment after it; the reference is ``numpy.percentile`` / ``numpy.quantile`` on
a fresh copy, in any order of questions, with ties, tiny arrays and many percentiles (where
the summary switches to one sort).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._results.summaries import SampleSummary
from bioanchors.estimate import SUMMARY_PERCENTILES

_FLOATS = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False)
_LEVELS = st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=1, max_size=12)


def _bits(values: list[float]) -> list[int]:
    return [int(v) for v in np.array(values, dtype=np.float64).view(np.int64)]


@settings(max_examples=300, deadline=None)
@given(st.lists(_FLOATS, min_size=1, max_size=60), _LEVELS)
def test_matches_numpy_percentile_bit_for_bit(draws: list[float], qs: list[float]) -> None:
    values = np.array(draws, dtype=np.float64)
    summary = SampleSummary(values.copy())
    got = [summary.value(q) for q in qs]
    assert _bits(got) == _bits([float(np.percentile(values, q)) for q in qs])


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.sampled_from([-2.0, 0.0, 1.0, 1.0, 3.5]), min_size=1, max_size=40),
    _LEVELS,
)
def test_ties_match_numpy(draws: list[float], qs: list[float]) -> None:
    values = np.array(draws)
    summary = SampleSummary(values.copy())
    for q in qs:
        assert summary.value(q) == float(np.quantile(values, q / 100.0))


@pytest.mark.parametrize("size", [1, 2, 3, 1000, 100_001])
def test_summary_percentiles_in_any_order(size: int) -> None:
    rng = np.random.default_rng(size)
    values = rng.lognormal(0.0, 3.0, size)
    for order in (SUMMARY_PERCENTILES, tuple(reversed(SUMMARY_PERCENTILES))):
        summary = SampleSummary(values.copy())
        got = {q: summary.value(q) for q in order}
        assert got == {q: float(np.percentile(values, q)) for q in order}
    assert np.array_equal(summary.draws, values)  # the draws themselves are never reordered


def test_many_percentiles_switch_to_a_sort_with_the_same_answers() -> None:
    values = np.random.default_rng(7).standard_normal(20_011)
    qs = np.random.default_rng(8).uniform(0, 100, 500)
    summary = SampleSummary(values.copy())
    got = [summary.value(float(q)) for q in qs]
    assert summary._sorted  # the switch happened: the answers after it come from the sort
    assert got == [float(v) for v in np.percentile(values, qs)]


def test_an_estimate_answers_like_numpy() -> None:
    est = (ba.normal(5.0, 2.0, "s") + ba.uniform(0.0, 1.0, "s")).estimate(4097, seed=3)
    assert est.samples is not None
    samples = np.array(est.samples.magnitude)
    assert [est.percentile(q).magnitude for q in SUMMARY_PERCENTILES] == [
        float(v) for v in np.percentile(samples, SUMMARY_PERCENTILES)
    ]
