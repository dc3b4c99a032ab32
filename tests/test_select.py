"""Order statistics counted in ranges of bit keys (``BinnedRanks``) against ``np.sort``.

The reference is numpy's sort: every answer is exactly ``np.sort(values)[k]``, for any
doubles: both signs, both zeros, infinities, subnormals, ties and atoms. An estimate's
percentiles read through the bins equal those of the partitioning path bit for bit.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

import bioanchors as ba
from bioanchors._engine.select import BINNED_FROM, BinnedRanks
from bioanchors._results.summaries import SampleSummary

_doubles = st.floats(allow_nan=False, allow_infinity=True, allow_subnormal=True)


@settings(max_examples=300, deadline=None)
@given(
    values=hnp.arrays(np.float64, st.integers(1, 400), elements=_doubles),
    data=st.data(),
)
def test_each_answer_is_the_sorted_value(values: np.ndarray, data: st.DataObject) -> None:
    bins = BinnedRanks.of(values)
    assert bins is not None
    assert bins.size == values.size
    ordered = np.sort(values)
    k = data.draw(st.integers(0, values.size - 1))
    count = 2 if k + 1 < values.size and data.draw(st.booleans()) else 1
    found = bins.order_statistics(values, k, count)
    assert found == ordered[k : k + count].tolist()  # == also for -0.0 against +0.0


@given(values=hnp.arrays(np.float64, st.integers(1, 200), elements=st.floats(-1e3, 1e3)))
def test_every_position_of_small_arrays(values: np.ndarray) -> None:
    bins = BinnedRanks.of(values)
    assert bins is not None
    ordered = np.sort(values)
    for k in range(values.size):
        assert bins.order_statistics(values, k) == [ordered[k]]


def test_nan_and_empty_are_not_binned() -> None:
    assert BinnedRanks.of(np.array([1.0, np.nan])) is None
    assert BinnedRanks.of(np.array([], dtype=np.float64)) is None


def test_an_atom_and_a_wide_spread() -> None:
    rng = np.random.default_rng(4)
    atom = np.concatenate([np.full(50_000, 3.0), rng.lognormal(0.0, 30.0, 50_000)])
    for values in (atom, -atom, rng.standard_normal(100_000) * 1e-300):
        bins = BinnedRanks.of(values)
        assert bins is not None
        ordered = np.sort(values)
        for k in (0, 1, 25_000, 49_999, 50_000, 77_777, values.size - 2):
            assert bins.order_statistics(values, k, 2) == ordered[k : k + 2].tolist()


def _partitioned(values: np.ndarray, q: float) -> float:
    summary = SampleSummary(values.copy())
    summary._bins = False  # the partitioning path, as before the bins
    return summary.value(q)


def test_percentiles_of_an_estimate_are_the_partitioned_ones_bit_for_bit() -> None:
    assert BINNED_FROM <= 200_000
    est = (ba.lognormal(1e15, 30.0) * ba.between(0.5, 2.0)).estimate(200_001, method="mc")
    assert est.samples is not None
    draws = np.asarray(est.samples.magnitude)
    for q in (0.0, 0.1, 5.0, 33.3, 50.0, 95.0, 99.99, 100.0):
        assert est.percentile(q).magnitude == _partitioned(draws, q)
        assert est.percentile(q).magnitude == float(np.percentile(draws, q))
    np.testing.assert_array_equal(draws, est.samples.magnitude)  # nothing reordered


def test_signed_zeros_beside_each_other() -> None:
    values = np.concatenate([np.full(40_000, -0.0), np.full(40_000, 0.0), np.arange(1.0, 1e4)])
    summary = SampleSummary(values.copy())
    assert summary.value(50.0) == _partitioned(values, 50.0) == 0.0
    assert summary.value(99.0) == _partitioned(values, 99.0)


def test_timelines_order_statistics_through_the_bins_are_the_sorted_values() -> None:
    from bioanchors.timelines._years import order_statistics

    rng = np.random.default_rng(8)
    values = rng.normal(2050.0, 30.0, BINNED_FROM + 1)
    values[:1000] = np.inf  # never arrives
    positions = [0, 5, BINNED_FROM // 2, BINNED_FROM // 2 + 1, BINNED_FROM]
    expected = np.sort(values)[positions]
    np.testing.assert_array_equal(order_statistics(values, positions), expected)
    values[7] = np.nan  # placed last, as a sort places it (the partitions answer)
    np.testing.assert_array_equal(
        order_statistics(values, [0, BINNED_FROM]), np.sort(values)[[0, BINNED_FROM]]
    )
