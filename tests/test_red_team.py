"""Regression tests from the red-team pass over issues 12 and 13 (one per class of bug found)."""

from __future__ import annotations

import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._scenarios.claimed import claimed_scenario
from bioanchors.errors import BioanchorsWarning
from bioanchors.html_report import _brains


def _claiming() -> list[str]:
    names = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BioanchorsWarning)
        for name in ba.scenarios():
            sc = ba.load_scenario(name)
            if sc.step(sc.output_name).claimed is not None:
                names.append(name)
    return names


CLAIMING = _claiming()


def test_some_bundled_scenarios_claim_their_output() -> None:
    assert "kokotajlod-2021" in CLAIMING


@pytest.mark.parametrize("name", CLAIMING)
def test_a_claimed_scenario_is_a_point_everywhere_its_steps_are_read(name: str) -> None:
    # Bug: NAME:claimed kept the output step's formula over steps it no longer had, so its
    # waterfall (and `report --html --scenarios NAME:claimed`) died with a KeyError.
    sc = ba.load_scenario(name)
    claimed = claimed_scenario(sc)
    claim = float(sc.step(sc.output_name).claimed.to(sc.unit).magnitude)  # type: ignore[union-attr]
    (step,) = claimed.steps
    assert step.spec.formula is None
    assert step.spec.value == claim
    (row,) = claimed.waterfall(n=200).rows
    assert row.median_after == pytest.approx(claim, rel=1e-12)
    assert claimed.estimate().median.magnitude == pytest.approx(claim, rel=1e-12)
    assert "=" in str(claimed)
    assert claimed._repr_html_()


def test_the_html_report_swaps_each_claimed_value_in_once() -> None:
    # Bug: `report --html --scenarios X X:claimed` drew X:claimed twice in the timelines.
    sc = ba.load_scenario("kokotajlod-2021")
    alone = [b.name for b in _brains([sc])]  # type: ignore[union-attr]
    both = [b.name for b in _brains([sc, claimed_scenario(sc)])]  # type: ignore[union-attr]
    assert alone == ["kokotajlod-2021", "kokotajlod-2021:claimed"]
    assert both == alone


@pytest.mark.parametrize("word", ["dimensionless", "none", "nan", "inf", "True"])
def test_a_new_dimension_may_not_take_a_reserved_word(word: str) -> None:
    # Bug: compartment = "[dimensionless]" made a dimensional unit whose dimension printed
    # as "[dimensionless]".
    from bioanchors._scenarios.file_units import register_units

    (problem,) = register_units([(f"red_{word.lower()}_unit", f"[{word}]", "mine.toml")])
    assert "reserved" in str(problem)
    assert "units.red_" in str(problem)


@given(big=st.floats(min_value=1e308, max_value=1.7e308), at=st.integers(0, 2))
@settings(max_examples=10, deadline=None)
def test_a_sweep_that_fails_names_the_value_that_failed(big: float, at: int) -> None:
    # Bug: a value that overflowed the output failed the whole sweep with "1 of 1 sampled
    # values are not finite", naming neither the step nor the value.
    sc = ba.load_scenario("kokotajlod-2021")
    values: list[float] = [1e10, 1e11]
    values.insert(at, big)
    with pytest.raises(ba.BioanchorsError, match=r"sweep of 'neurons' at \d\.\de308 neuron"):
        ba.sweep(sc, "neurons", values, n=500)
