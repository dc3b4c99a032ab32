"""Hypothesis strategies shared by the tests."""

from __future__ import annotations

from hypothesis import strategies as st

import bioanchors as ba

# Medians across many orders of magnitude, spreads from tight to very wide.
medians = st.floats(min_value=1e-6, max_value=1e20, allow_nan=False, allow_infinity=False)
gsds = st.floats(min_value=1.05, max_value=50.0, allow_nan=False, allow_infinity=False)
exponents = st.sampled_from([-2.0, -1.0, -0.5, 0.5, 1.0, 2.0, 3.0])
units = st.sampled_from(["FLOP", "neuron", "synapse", "s", "parameter / neuron", "step / s"])
positive_constants = st.floats(min_value=1e-3, max_value=1e3)


@st.composite
def lognormal_products(draw: st.DrawFn) -> ba.Uncertain:
    """A random product / quotient / power of 1-5 lognormal inputs and a positive constant."""
    count = draw(st.integers(min_value=1, max_value=5))
    result: ba.Uncertain = ba.point(draw(positive_constants))
    for _ in range(count):
        factor = ba.lognormal(draw(st.floats(0.1, 10.0)), draw(st.floats(1.1, 5.0)))
        power = draw(exponents)
        result = result * factor**power if draw(st.booleans()) else result / factor**power
    return result
