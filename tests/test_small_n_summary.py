"""The small-n paths of an in-memory estimate (issue 14 item 3) answer as before, bit for bit.

Up to ``SORT_UP_TO`` samples the first percentile sorts the working copy; above it, one-kth
partitions. Both are checked against ``numpy.percentile`` on a fresh copy (an independent
implementation), on both sides of the switch and with the switch forced either way; the mean,
now taken when first asked, is ``numpy.mean`` whatever was asked before it.
"""

from __future__ import annotations

from unittest import mock

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._results import summaries
from bioanchors._results.summaries import SORT_UP_TO, SampleSummary
from bioanchors.estimate import SUMMARY_PERCENTILES

_FLOATS = st.floats(-1e6, 1e6, allow_nan=False, allow_subnormal=False).map(lambda v: v or 0.0)
_LEVELS = st.lists(st.floats(0.0, 100.0, allow_nan=False), min_size=1, max_size=12)


@pytest.mark.parametrize("size", [SORT_UP_TO - 1, SORT_UP_TO, SORT_UP_TO + 1, 3 * SORT_UP_TO])
def test_both_sides_of_the_switch_match_numpy(size: int) -> None:
    values = np.random.default_rng(size).lognormal(0.0, 2.0, size)
    qs = (5.0, 50.0, 95.0, 0.0, 100.0, 33.3, *SUMMARY_PERCENTILES)
    summary = SampleSummary(values.copy())
    assert [summary.value(q) for q in qs] == [float(np.percentile(values, q)) for q in qs]
    assert summary._sorted == (size <= SORT_UP_TO)


@settings(max_examples=200, deadline=None)
@given(st.lists(_FLOATS, min_size=1, max_size=80), _LEVELS, st.booleans())
def test_sort_and_partition_paths_agree_with_numpy(
    draws: list[float], qs: list[float], sort: bool
) -> None:
    values = np.array(draws, dtype=np.float64)
    with mock.patch.object(summaries, "SORT_UP_TO", SORT_UP_TO if sort else 0):
        summary = SampleSummary(values.copy())
        got = [summary.value(q) for q in qs]
    assert got == [float(np.percentile(values, q)) for q in qs]


@settings(max_examples=100, deadline=None)
@given(st.lists(_FLOATS, min_size=1, max_size=80), _LEVELS)
def test_the_mean_does_not_depend_on_what_was_asked_first(
    draws: list[float], qs: list[float]
) -> None:
    values = np.array(draws, dtype=np.float64)
    asked = SampleSummary(values.copy())
    for q in qs:
        asked.value(q)
    assert asked.mean() == SampleSummary(values.copy()).mean() == float(np.mean(values))


@pytest.mark.parametrize(
    "samples",
    [
        np.arange(1.0, 11.0),
        np.arange(1.0, 11.0).reshape(2, 5),
        np.arange(1.0, 11.0, dtype=np.float32),
        list(range(1, 11)),
    ],
)
def test_from_samples_takes_any_array_like(samples: object) -> None:
    for copy in (True, False):
        est = ba.Estimate.from_samples(
            samples,  # type: ignore[arg-type]
            ba.lognormal(1, 2, "s").unit,
            n=10,
            seed=0,
            method="mc",
            copy=copy,
        )
        assert est.percentile(50).magnitude == 5.5
        assert est.mean.magnitude == 5.5
        assert est.samples is not None
        assert est.samples.magnitude.shape == (10,)


def test_estimates_at_small_n_match_numpy() -> None:
    x = ba.normal(10, 2, "s") * ba.lognormal(1, 1.5) + ba.uniform(0, 1, "s")
    for n in (1, 2, 999, 1000, SORT_UP_TO + 7):
        est = x.estimate(n, seed=5, method="mc")
        assert est.samples is not None
        drawn = np.array(est.samples.magnitude)
        assert [est.percentile(q).magnitude for q in (5, 50, 95)] == [
            float(v) for v in np.percentile(drawn, [5, 50, 95])
        ]
        assert est.mean.magnitude == float(np.mean(drawn))


def test_remembered_options_are_the_checked_ones() -> None:
    from bioanchors._engine.options import SAMPLING_METHODS, SamplingOptions

    first = SamplingOptions.of(1234, seed=5, method="auto")
    assert SamplingOptions.of(1234, seed=5, method="auto") is first
    assert first == SamplingOptions(1234, 5, "auto")
    with pytest.raises(ba.SamplingError, match="unknown method"):  # other allowed methods
        SamplingOptions.of(1234, seed=5, method="auto", allowed=SAMPLING_METHODS)
    with pytest.raises(ba.SamplingError):
        SamplingOptions.of(0, seed=5, method="auto")
    assert SamplingOptions.of(1234.0, seed=5, method="auto") == first  # checked, not remembered
    chunked = SamplingOptions.of(1234, seed=5, method="auto", chunk_size=100)
    assert chunked.chunk_size == 100
    assert SamplingOptions.of(1234, seed=5, method="auto").chunk_size is None
