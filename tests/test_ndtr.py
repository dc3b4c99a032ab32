"""The normal CDF of a few values (domain checks) by the standard library, against scipy's
``ndtr``; loading the scenarios with domain checks then imports no scipy.special."""

from __future__ import annotations

import subprocess
import sys

import numpy as np
from hypothesis import given
from hypothesis import strategies as st
from scipy.special import ndtr as scipy_ndtr

from bioanchors._graph.distributions import ndtr


@given(st.floats(min_value=-37.0, max_value=37.0))
def test_property_a_few_values_match_scipy(x: float) -> None:
    mine = float(ndtr(np.array([x]))[0])
    reference = float(scipy_ndtr(x))
    assert abs(mine - reference) <= 1e-13 * max(reference, 1e-300)


def test_shapes_nan_and_tails() -> None:
    values = np.array([[-np.inf, -37.5], [0.0, np.inf]])
    got = ndtr(values)
    assert got.shape == (2, 2)
    assert got[0, 0] == 0.0
    assert 0.0 < got[0, 1] < 1e-300  # no underflow to 0 in the tail
    assert (got[1, 0], got[1, 1]) == (0.5, 1.0)
    assert np.isnan(ndtr(np.array([np.nan]))[0])
    big = np.linspace(-5, 5, 101)
    np.testing.assert_array_equal(ndtr(big), scipy_ndtr(big))  # many values: scipy's own


def test_loading_every_scenario_imports_no_scipy_special() -> None:
    code = (
        "import sys, bioanchors as ba\n"
        "for name in ba.scenarios(): ba.load_scenario(name)\n"
        "print('scipy.special' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
