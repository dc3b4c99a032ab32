"""Domain formulas and adjustments, against hand arithmetic and the published numbers."""

from __future__ import annotations

import math

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors.methods import CellClass, landauer_limit, mechanistic, population, surrogate
from bioanchors.methods.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)
from bioanchors.surrogate import BENIAGUEV_2021_L5PC


def value(u: ba.Uncertain) -> float:
    return float(u.sample(1).magnitude[0])


def test_landauer_limit_matches_carlsmith() -> None:
    # 20 W / (k T ln 2) at 310 K is about 6.7e21 bit erasures per second (Carlsmith 2020).
    bound = landauer_limit(ba.point(20, "W"), ba.point(310, "K"))
    expected = 20 / (1.380649e-23 * 310 * math.log(2))
    assert value(bound) == pytest.approx(expected)
    assert expected == pytest.approx(6.7e21, rel=0.01)


def test_mechanistic_units_and_arithmetic() -> None:
    total = mechanistic(
        ba.point(1e14, "synapse"),
        ba.point(0.5, "spike / synapse / s"),
        ba.point(2, "FLOP / spike"),
        ba.point(86e9, "neuron"),
        ba.point(1.3e4, "FLOP / neuron / s"),
    ).to("FLOP/s")
    assert value(total) == pytest.approx(1e14 + 86e9 * 1.3e4)
    with pytest.raises(pint.DimensionalityError):
        mechanistic(
            ba.point(1e14, "synapse"),
            ba.point(0.5, "spike / neuron / s"),
            ba.point(2, "FLOP / spike"),
            ba.point(86e9, "neuron"),
            ba.point(1.3e4, "FLOP / neuron / s"),
        )


def test_surrogate_with_the_published_network() -> None:
    cost = surrogate(
        ba.point(86.1e9, "neuron"),
        ba.point(BENIAGUEV_2021_L5PC.flop_per_step(), "FLOP / step / neuron"),
        ba.point(1000, "step / s"),
    )
    assert value(cost) == pytest.approx(86.1e9 * 18_463_744 * 1000)


def test_population_sums_classes() -> None:
    total = population(
        [
            CellClass("pyramidal", ba.point(12e9, "neuron"), ba.point(1.8e10, "FLOP/neuron/s")),
            CellClass("granule", ba.point(69e9, "neuron"), ba.point(1.3e4, "FLOP/neuron/s")),
        ]
    )
    assert value(total) == pytest.approx(12e9 * 1.8e10 + 69e9 * 1.3e4)
    with pytest.raises(ba.InvalidInputError):
        population([])


def test_reversed_control_and_useful_fraction() -> None:
    cost = ba.point(1e21, "FLOP/s")
    assert value(reversed_control(cost, 10)) == pytest.approx(1e20)
    assert value(useful_fraction(cost, 0.01)) == pytest.approx(1e19)
    with pytest.raises(pint.DimensionalityError):
        reversed_control(cost, ba.point(10, "neuron"))


@given(
    overhead=st.floats(1.0, 1e4),
    n=st.floats(1.0, 1e12),
    alpha=st.floats(0.0, 2.0),
    floor=st.floats(0.0, 1.0),
)
def test_multi_neuron_scaling_between_floor_and_overhead(
    overhead: float, n: float, alpha: float, floor: float
) -> None:
    result = value(multi_neuron_scaling(overhead, ba.point(n, "neuron"), alpha, floor))
    assert floor - 1e-9 <= result <= overhead * (1 + 1e-12)
    expected = floor + (overhead - floor) * n ** (-alpha)
    assert result == pytest.approx(expected, rel=1e-9, abs=1e-12)


def test_multi_neuron_scaling_alpha_zero_keeps_overhead() -> None:
    assert value(multi_neuron_scaling(1000, ba.point(86e9, "neuron"), 0, 1)) == 1000


def test_shared_template() -> None:
    total = shared_template(
        ba.point(1e12, "FLOP/s"), ba.point(1e5, "FLOP / neuron / s"), ba.point(1e11, "neuron")
    )
    assert value(total) == pytest.approx(1e12 + 1e16)
