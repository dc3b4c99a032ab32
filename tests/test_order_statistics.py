"""Order statistics without a sort, against numpy's sort and median (the functions they replace).

``percentile_years`` and the brain median of a forecast used ``np.sort`` and ``np.median``;
they now partition once per position (``order_statistics``). The answers must be the very same
numbers (``==``), for any sample: ties, ``inf`` (a requirement never met), odd and even sizes.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from bioanchors.errors import InvalidInputError
from bioanchors.timelines._years import order_statistics, percentile_years
from bioanchors.timelines.forecast import _median

_SAMPLES = st.lists(
    st.one_of(
        st.floats(1990.0, 2300.0),
        st.sampled_from([2020.0, 2050.5, np.inf]),
    ),
    min_size=1,
    max_size=400,
)
_PROBABILITIES = st.lists(st.floats(1e-6, 1.0), min_size=1, max_size=7)


def _sorted_percentiles(arrival: np.ndarray, p: list[float]) -> np.ndarray:
    """The former implementation: the inverted CDF read from a full sort."""
    ordered = np.sort(arrival)
    index = np.ceil(np.asarray(p) * ordered.size - 1e-9).astype(np.int64) - 1
    out: np.ndarray = ordered[np.clip(index, 0, ordered.size - 1)]
    return out


@given(_SAMPLES, _PROBABILITIES)
def test_percentile_years_are_those_of_a_full_sort(samples: list[float], p: list[float]) -> None:
    arrival = np.asarray(samples)
    before = arrival.copy()
    got = percentile_years(arrival, p)
    np.testing.assert_array_equal(got, _sorted_percentiles(arrival, p))
    np.testing.assert_array_equal(arrival, before)  # the input is not reordered


@given(st.lists(st.floats(-50.0, 50.0), min_size=1, max_size=500))
def test_the_median_is_numpy_s_bit_for_bit(values: list[float]) -> None:
    arr = np.asarray(values)
    assert _median(arr) == float(np.median(arr))


def test_positions_must_increase_within_the_sample() -> None:
    assert order_statistics([2.0, 1.0], [0, 1]).tolist() == [1.0, 2.0]
    with pytest.raises(InvalidInputError, match="positions"):
        order_statistics([2.0, 1.0], [1, 0])
    with pytest.raises(InvalidInputError, match="positions"):
        order_statistics([2.0, 1.0], [2])
