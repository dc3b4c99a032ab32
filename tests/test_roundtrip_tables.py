"""``to_toml`` with ``[units]`` and ``[[correlations]]``: a file, a child that extends it and
an override all write self-contained files that load back to the same numbers; and a formula
that is a bare name is its step, not an independent copy."""

from __future__ import annotations

import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest

import bioanchors as ba

BASE = """\
name = "rt-base"
title = "a unit of its own, and two correlated inputs"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "me"
where = "tests/test_roundtrip_tables.py"

[units]
rtcompartment = "[rtcompartment]"
rtburst = "10 * spike"

[[steps]]
name = "compartments"
unit = "rtcompartment"
between = [1e12, 1e14]
assumption = true
note = "test"

[[steps]]
name = "rate"
unit = "rtburst / s / rtcompartment"
between = [0.1, 10]
assumption = true
note = "test"

[[steps]]
name = "cost"
unit = "FLOP / spike"
between = [1, 100]
assumption = true
note = "test"

[[steps]]
name = "total"
formula = "compartments * rate * cost"
unit = "FLOP/s"

[[correlations]]
steps = ["compartments", "rate", "cost"]
matrix = [[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]]
"""

CHILD = """\
name = "rt-child"
extends = "./rt-base.toml"
title = "the child replaces the rate"

[units]
rtspark = "2 * rtburst"

[[steps]]
name = "rate"
unit = "rtspark / s / rtcompartment"
between = [0.05, 5]
assumption = true
note = "test"
"""


def _numbers(sc: ba.Scenario) -> np.ndarray:
    estimate = sc.estimate(4_000, seed=3, method="mc")
    assert estimate.samples is not None
    return np.asarray(estimate.samples.magnitude)


def _saved(sc: ba.Scenario, folder: Path, name: str | None = None) -> ba.Scenario:
    folder.mkdir(exist_ok=True)
    path = sc.save(folder / f"{name or sc.name}.toml")
    return ba.load_scenario(path)


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "rt-base.toml").write_text(BASE, "utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the child's rate leaves its group, with a warning
        (tmp_path / "rt-child.toml").write_text(CHILD, "utf-8")
    return tmp_path


def test_units_and_correlations_round_trip(files: Path) -> None:
    base = ba.load_scenario(files / "rt-base.toml")
    again = _saved(base, files / "out")
    text = base.to_toml()
    assert "[units]" in text
    assert "[[correlations]]" in text
    assert again.spec.units == base.spec.units
    np.testing.assert_array_equal(_numbers(again), _numbers(base))
    renamed = _saved(base, files / "renamed", "rt-other")
    np.testing.assert_array_equal(_numbers(renamed), _numbers(base))  # the group's stream kept


def test_a_child_is_written_with_the_chains_units_and_what_is_left_of_the_group(
    files: Path,
) -> None:
    with pytest.warns(ba.BioanchorsWarning, match="leaves"):
        child = ba.load_scenario(files / "rt-child.toml")
    text = child.to_toml()
    assert "rtspark" in text
    assert "rtburst" in text  # the parent's unit, which the child's unit is defined by
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the written group holds only the steps still in it
        again = _saved(child, files / "out")
    assert [c.spec.steps for c in again.correlations] == [["compartments", "cost"]]
    np.testing.assert_array_equal(_numbers(again), _numbers(child))


def test_an_override_of_a_correlated_step_round_trips(files: Path) -> None:
    base = ba.load_scenario(files / "rt-base.toml")
    with pytest.warns(ba.BioanchorsWarning, match="leaves"):
        variant = base.with_inputs(cost=ba.point(10, "FLOP/spike"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        again = _saved(variant, files / "out")
    np.testing.assert_array_equal(_numbers(again), _numbers(variant))


def test_a_formula_that_is_a_bare_name_is_the_same_variable(tmp_path: Path) -> None:
    """Regression: ``y = "x"`` was re-keyed onto a stream of its own, an independent copy of
    x, so y / x spread from 0.18 to 5.1 instead of being exactly 1."""
    text = textwrap.dedent(
        """\
        name = "bare"
        title = "y is x"
        output = "ratio"
        unit = ""
        frame = "functional"
        [source]
        who = "me"
        where = "tests"
        [[steps]]
        name = "x"
        unit = "FLOP/s"
        between = [1, 100]
        assumption = true
        note = "test"
        [[steps]]
        name = "y"
        formula = "x"
        [[steps]]
        name = "ratio"
        formula = "y / x"
        """
    )
    (tmp_path / "bare.toml").write_text(text, "utf-8")
    estimate = ba.load_scenario(tmp_path / "bare.toml").estimate(2_000, method="mc")
    lo, hi = estimate.interval(0.9)
    assert (lo.magnitude, hi.magnitude) == (1.0, 1.0)
