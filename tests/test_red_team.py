"""Regression tests from the red-team pass over issues 12 and 13 (one per class of bug found)."""

from __future__ import annotations

import math
import warnings
from pathlib import Path

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


def _two_inputs(folder: Path, first: str | None, second: str | None) -> Path:
    def stream(label: str | None) -> str:
        return "" if label is None else f'stream = "{label}"\n'

    path = folder / "twin.toml"
    path.write_text(
        'name = "twin"\ntitle = "t"\noutput = "total"\nunit = "FLOP/s"\nframe = "bound"\n'
        '[source]\nwho = "me"\nwhere = "notes"\n'
        '[[steps]]\nname = "a"\nunit = "FLOP/s"\nbetween = [1, 100]\nassumption = true\n'
        f'note = "n"\n{stream(first)}'
        '[[steps]]\nname = "b"\nunit = ""\nbetween = [1, 100]\nassumption = true\n'
        f'note = "n"\n{stream(second)}'
        '[[steps]]\nname = "total"\nformula = "a * b"\n',
        encoding="utf-8",
    )
    return path


LABELS = st.sampled_from([None, "twin/a", "twin/b", "other/a", "other/x"])


@given(first=LABELS, second=LABELS)
@settings(max_examples=25, deadline=None)
def test_two_inputs_of_a_file_never_silently_share_a_random_stream(
    tmp_path_factory: pytest.TempPathFactory, first: str | None, second: str | None
) -> None:
    # Bug: `stream = "twin/a"` on step b drew b from a's stream: the same draws, a perfect
    # correlation nobody wrote (a * b then had a's spread doubled in log space, silently).
    path = _two_inputs(tmp_path_factory.mktemp("twin"), first, second)
    streams = (first or "twin/a", second or "twin/b")
    if streams[0] == streams[1]:
        with pytest.raises(ba.ScenarioError, match=r"step 'b'.*'stream'.*same random stream"):
            ba.load_scenario(path)
        return
    sc = ba.load_scenario(path)
    est = sc.estimate(20_000, method="mc")
    lo, hi = (float(q.magnitude) for q in est.interval(0.9))
    # independent lognormals, each with log10 90 % half-width 1: the product's is sqrt(2)
    assert math.log10(hi / lo) / 2 == pytest.approx(math.sqrt(2), rel=0.05)
