"""A resolved ``Brain`` is a brain too: it gives the forecast its name, label and frame give,
and its FLOP/s are checked as those of any other brain."""

from __future__ import annotations

import numpy as np
import pytest

import bioanchors as ba
from bioanchors.errors import InvalidInputError, OperandError
from bioanchors.timelines import Brain, compare_brains, tai_forecast
from bioanchors.timelines.brains import resolve


def test_a_resolved_brain_forecasts_as_its_name_does() -> None:
    brain = resolve("moravec-1998")
    by_name = tai_forecast("moravec-1998", n=5_000)
    by_brain = tai_forecast(brain, n=5_000)
    assert (by_brain.brain, by_brain.frame) == (by_name.brain, by_name.frame)
    np.testing.assert_array_equal(by_brain.prob_by_year, by_name.prob_by_year)
    rows = compare_brains([brain], n=5_000)
    assert [row.brain for row in rows] == ["cotra-2020", "moravec-1998"]


def test_a_brain_in_another_unit_or_of_another_type_is_refused() -> None:
    watts = Brain("hot", "a brain in watts", ba.point(20.0, "W"))
    with pytest.raises(InvalidInputError, match="FLOP/s"):
        tai_forecast(watts, n=1_000)
    odd = Brain("odd", "a number", 1e15)  # type: ignore[arg-type]
    with pytest.raises(OperandError, match="brain 'odd': flops must be"):
        tai_forecast(odd, n=1_000)
