"""Uncertain: graph building, unit algebra at build time, refusals, shared draws."""

from __future__ import annotations

import math

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from tests.strategies import lognormal_products, units


def test_units_checked_at_build_time_not_after_sampling() -> None:
    a = ba.between(1, 2, "neuron")
    b = ba.between(1, 2, "synapse")
    with pytest.raises(pint.DimensionalityError):
        a + b
    with pytest.raises(pint.DimensionalityError):
        a - b


def test_compatible_units_are_converted_when_added() -> None:
    total = ba.point(1, "PFLOP/s") + ba.point(5e14, "FLOP/s")
    assert total.unit == ba.ureg.Unit("PFLOP/s")
    assert total.sample(3).magnitude == pytest.approx([1.5, 1.5, 1.5])


@given(units, units, st.floats(0.5, 2.0))
def test_unit_algebra_matches_pint(left: str, right: str, power: float) -> None:
    a, b = ba.point(2.0, left), ba.point(3.0, right)
    qa, qb = ba.Q_(2.0, left), ba.Q_(3.0, right)
    assert (a * b).unit == (qa * qb).units
    assert (a / b).unit == (qa / qb).units
    assert (a**power).unit == (qa**power).units
    product = (a * b / a**power).sample(1).magnitude[0]
    assert product == pytest.approx((qa * qb / qa**power).magnitude)


def test_to_converts_and_rejects_other_dimensions() -> None:
    x = ba.point(2e15, "FLOP/s").to("PFLOP/s")
    assert x.sample(1).magnitude[0] == pytest.approx(2.0)
    with pytest.raises(pint.DimensionalityError):
        ba.point(1, "FLOP/s").to("neuron")
    with pytest.raises(pint.UndefinedUnitError):
        ba.point(1, "FLOP/s").to("gigaflibs")


@given(lognormal_products())
def test_x_over_x_is_exactly_one_and_x_minus_x_exactly_zero(x: ba.Uncertain) -> None:
    ratio = (x / x).sample(1000, seed=1).magnitude
    difference = (x - x).sample(1000, seed=1).magnitude
    assert np.all(ratio == 1.0)
    assert np.all(difference == 0.0)


@pytest.mark.parametrize(
    "make",
    [
        lambda: ba.normal(3, 1),
        lambda: ba.uniform(1, 2),
        lambda: ba.between(1, 10, shape="loguniform"),
        lambda: ba.mixture([ba.normal(1, 1), ba.between(1, 2)]),
        lambda: ba.mixture([ba.normal(1, 1) + 1, ba.between(1, 2)]),
        lambda: ba.normal(3, 1) + ba.lognormal(2, 2),
    ],
)
def test_same_draw_for_every_kind_of_node(make) -> None:  # type: ignore[no-untyped-def]
    x = make()
    assert np.all((x / x).sample(500, seed=2).magnitude == 1.0)
    assert np.all((x - x).sample(500, seed=2).magnitude == 0.0)
    twice = (x + x - 2 * x).sample(500, method="qmc", seed=2).magnitude
    assert np.allclose(twice, 0.0, atol=1e-9)


def test_different_inputs_are_independent() -> None:
    a, b = ba.normal(0, 1), ba.normal(0, 1)
    samples = (a - b).sample(100_000, seed=0).magnitude
    assert np.std(samples) == pytest.approx(math.sqrt(2), rel=0.02)


@pytest.mark.parametrize(
    "use",
    [float, int, bool, lambda u: u < 1, lambda u: u > 1, lambda u: u <= 1, lambda u: u >= 1],
)
def test_refusals_name_the_alternative(use) -> None:  # type: ignore[no-untyped-def]
    x = ba.between(1, 2, "s")
    with pytest.raises(TypeError, match=r"estimate\(\)|prob_above") as info:
        use(x)
    assert isinstance(info.value, ba.UncertainValueError)


def test_truth_test_is_refused() -> None:
    with pytest.raises(TypeError, match="neither true nor false"):
        not ba.normal(0, 1)


def test_operands_plain_numbers_quantities_and_numpy_scalars() -> None:
    x = ba.point(2.0, "s")
    assert (3 * x).sample(1).magnitude[0] == 6.0
    assert (x * 3).sample(1).magnitude[0] == 6.0
    assert (np.float64(3.0) * x).unit == ba.ureg.Unit("s")
    assert (ba.Q_(3.0, "neuron") * x).unit == ba.ureg.Unit("neuron * s")
    assert (x * ba.Q_(3.0, "neuron")).sample(1).magnitude[0] == 6.0
    assert (1 / x).unit == ba.ureg.Unit("1/s")
    assert (-x).sample(1).magnitude[0] == -2.0
    with pytest.raises(TypeError):
        x * "3"  # type: ignore[operator, unused-ignore]


def test_uncertain_exponent_requires_dimensionless() -> None:
    y = 10 ** ba.normal(3, 0.1)
    assert y.unit.dimensionless
    with pytest.raises(pint.DimensionalityError):
        ba.point(2, "s") ** ba.normal(1, 0.1)
    with pytest.raises(pint.DimensionalityError):
        2 ** ba.normal(1, 0.1, "s")


def test_functions() -> None:
    x = ba.point(100.0, "m**2")
    assert ba.sqrt(x).unit == ba.ureg.Unit("m")
    assert ba.sqrt(x).sample(1).magnitude[0] == 10.0
    assert ba.log10(ba.point(1e15, "FLOP/s") / ba.Q_(1, "FLOP/s")).sample(1).magnitude[0] == 15
    assert ba.exp(ba.point(0.0)).sample(1).magnitude[0] == 1.0
    assert ba.log(ba.point(math.e)).sample(1).magnitude[0] == pytest.approx(1.0)
    low = ba.minimum(ba.point(1, "PFLOP/s"), ba.point(2e14, "FLOP/s"))
    assert low.sample(1).magnitude[0] == pytest.approx(0.2)
    assert ba.maximum(ba.point(1, "s"), ba.point(3, "s")).sample(1).magnitude[0] == 3
    with pytest.raises(pint.DimensionalityError):
        ba.log10(ba.point(1e15, "FLOP/s"))
    with pytest.raises(pint.DimensionalityError):
        ba.minimum(ba.point(1, "s"), ba.point(1, "neuron"))
    # A dimensionless ratio of different units is reduced before a function applies.
    assert ba.log10(ba.point(1, "s") / ba.point(1, "ms")).sample(1).magnitude[0] == pytest.approx(3)


def test_name_is_display_only() -> None:
    x = ba.normal(0, 1, name="neurons")
    y = x.named("other")
    assert "neurons" in repr(x)
    assert np.all((x - y).sample(100).magnitude == 0.0)


def test_inputs_lists_uncertain_leaves_once() -> None:
    a, b = ba.normal(1, 1), ba.lognormal(1, 2)
    graph = a * b + a * ba.point(2)
    assert graph.inputs() == [a, b]


def test_an_uncertain_quantity_is_immutable() -> None:
    # Regression: `x.unit = ureg.synapse` used to relabel the draws without a unit check.
    x = ba.between(1, 10, "neuron")
    with pytest.raises(ba.BioanchorsError, match=r"immutable.*\.to\(unit\)") as info:
        x.unit = ba.ureg.synapse
    assert isinstance(info.value, AttributeError)
    with pytest.raises(AttributeError, match="immutable"):
        x.name = "renamed"
    with pytest.raises(AttributeError, match="immutable"):
        x.extra = 1
    with pytest.raises(AttributeError, match="immutable"):
        del x.name
    assert x.unit == ba.ureg.neuron
    assert x.named("renamed").name == "renamed"
    assert x.to("kneuron").unit == ba.ureg.Unit("kneuron")


def test_copies_and_pickles_are_the_same_quantity() -> None:
    import copy
    import pickle

    a, b = ba.between(1, 10, "FLOP/s"), ba.normal(5, 1, "FLOP/s")
    graph = (a + b) * 2
    for clone in (pickle.loads(pickle.dumps(graph)), copy.deepcopy(graph), copy.copy(graph)):
        assert clone.unit == graph.unit
        assert np.array_equal(
            clone.sample(100, seed=4).magnitude, graph.sample(100, seed=4).magnitude
        )


def test_quantity_times_uncertain_is_uncertain() -> None:
    # pint hands the operation back (Uncertain is registered as a pint upcast type).
    x = ba.between(1, 10, "neuron")
    for product in (ba.Q_(2.0, "FLOP / neuron / s") * x, ba.Q_(2.0, "s") + ba.point(1, "s")):
        assert isinstance(product, ba.Uncertain)
