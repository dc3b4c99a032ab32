"""The unit registry: FLOP, neuron, synapse and friends."""

from __future__ import annotations

import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors.units import as_unit, conversion_factor, format_unit


def test_flop_takes_si_prefixes() -> None:
    assert ba.Q_(1, "PFLOP/s").to("FLOP/s").magnitude == pytest.approx(1e15)
    assert ba.Q_(1, "EFLOP").to("FLOP").magnitude == pytest.approx(1e18)
    assert ba.Q_(1, "ZFLOP").to("FLOP").magnitude == pytest.approx(1e21)
    assert ba.Q_(1, "kFLOP").to("FLOP").magnitude == pytest.approx(1e3)


def test_mac_is_two_flop() -> None:
    assert ba.Q_(1, "MAC").to("FLOP").magnitude == 2


@pytest.mark.parametrize(
    ("left", "right"),
    [
        ("neuron", "synapse"),
        ("FLOP", "neuron"),
        ("step", "s"),
        ("parameter", "FLOP"),
        ("spike", "neuron"),
    ],
)
def test_domain_dimensions_are_distinct(left: str, right: str) -> None:
    with pytest.raises(pint.DimensionalityError):
        ba.Q_(1, left).to(right)


def test_per_neuron_cost_times_synapses_is_not_flop_per_second() -> None:
    cost = ba.point(1e8, "FLOP / neuron / s") * ba.point(1e14, "synapse")
    with pytest.raises(pint.DimensionalityError):
        cost.to("FLOP/s")


def test_unknown_unit_is_undefined_unit_error() -> None:
    with pytest.raises(pint.UndefinedUnitError):
        ba.point(1, "flibbertigibbet")


def test_registry_is_one_object() -> None:
    assert ba.ureg is ba.ureg
    assert isinstance(ba.Q_(1, "s"), ba.ureg.Quantity)


def test_format_unit_is_compact() -> None:
    assert format_unit(as_unit("PFLOP/s")) == "PFLOP/s"
    assert format_unit(as_unit("FLOP / neuron / s")) == "FLOP/neuron/s"
    assert format_unit(as_unit(None)) == ""


@given(st.sampled_from(["FLOP/s", "PFLOP/s", "EFLOP/s", "GFLOP/ms", "MAC/s"]))
def test_conversion_factor_matches_pint(unit: str) -> None:
    expected = ba.Q_(1.0, unit).to("FLOP/s").magnitude
    assert conversion_factor(as_unit(unit), as_unit("FLOP/s")) == pytest.approx(expected)
