"""The unit registry: FLOP, neuron, synapse and friends."""

from __future__ import annotations

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._units.registry import (
    affine,
    as_unit,
    check_arithmetic,
    conversion_factor,
    convert,
    format_unit,
    result_unit,
)
from bioanchors.errors import InvalidInputError


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


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("1/s", "s**-1"),
        ("s^-1", "s**(-1)"),
        ("spike per s", "spike/s"),
        ("spike synapse", "spike*synapse"),
        ("FLOP / neuron s", "FLOP*s/neuron"),  # left to right, as pint reads it
        ("s^(1/2)", "s**0.5"),
        ("s ** 2", "s*s"),
        ("(m/s)**2", "m**2/s**2"),
        ("°C", "degC"),
        ("Δ°C/s", "delta_degC/s"),
        ("1 / neuron", "neuron**-1"),
        ("FLOP/FLOP", ""),
        ("dimensionless * s", "s"),
    ],
)
def test_unit_spellings(text: str, same_as: str) -> None:
    assert as_unit(text) == as_unit(same_as)


def test_unit_of_another_registry_is_read_by_name() -> None:
    other: pint.UnitRegistry[float] = pint.UnitRegistry()
    assert as_unit(other.Unit("m / s**2")) == as_unit("m/s**2")


def test_convert_keeps_the_kind_of_value() -> None:
    degc, kelvin = as_unit("degC"), as_unit("K")
    assert isinstance(convert(37, degc, kelvin), float)
    values = np.array([0.0, 100.0])
    converted = convert(values, degc, kelvin)
    assert converted is not values
    np.testing.assert_allclose(converted, [273.15, 373.15])
    np.testing.assert_array_equal(values, [0.0, 100.0])
    assert convert(values, degc, degc) is values


def test_affine_of_offset_units() -> None:
    scale, offset = affine("degC", "degF")
    assert scale == pytest.approx(1.8, rel=1e-14)
    assert offset == pytest.approx(32.0, rel=1e-14)
    assert affine("PFLOP/s", "FLOP/s") == (1e15, 0.0)


def test_result_unit_refuses_unknown_operations() -> None:
    with pytest.raises(InvalidInputError, match="unknown operation"):
        result_unit("%", "s", "s")
    with pytest.raises(pint.DimensionalityError):
        check_arithmetic("+", "s", "FLOP")


def test_strings_read_by_the_registry_give_float_magnitudes() -> None:
    assert ba.ureg("3 m").magnitude == 3.0
    assert ba.Q_("1e17 FLOP/s").to("PFLOP/s").magnitude == pytest.approx(100.0)
    assert ba.Q_("FLOP/s") == ba.Q_(1.0, "FLOP/s")  # pint's reading of a bare unit
