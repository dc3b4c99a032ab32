"""An override given in another unit of its step's dimension (``ba.lognormal(1000, 2,
"us/step")`` on a step in ms/step, ``ba.normal(37, 0.5, "degC")`` on one in K) is written by
``to_toml`` as the user gave it, with an ``input_unit``, and the file loads back to the same
numbers bit for bit; what a file cannot hold as one input is still a clear ScenarioError."""

from __future__ import annotations

import tempfile
import tomllib
import warnings
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._graph.distributions import Lognormal, Normal
from bioanchors._scenarios.converted import converted_from

KOKO = "kokotajlod-2021"  # step_duration in ms / step
LIMIT = "carlsmith-2020-limit"  # temperature in K
PERCENTILES = [0.5, 5, 25, 50, 75, 95, 99.5]


def same_numbers(a: ba.Estimate, b: ba.Estimate) -> None:
    """Bit for bit: every percentile, the mean and every sample (as test_roundtrip checks)."""
    assert a.unit == b.unit
    assert np.array_equal(a.percentile(PERCENTILES).magnitude, b.percentile(PERCENTILES).magnitude)
    assert a.mean.magnitude == b.mean.magnitude
    assert a.samples is not None
    assert b.samples is not None
    assert np.array_equal(a.samples.magnitude, b.samples.magnitude)


def saved(sc: ba.Scenario, folder: Path, name: str = "my-variant") -> ba.Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a saved file loads without a new warning
        return ba.load_scenario(sc.save(folder / f"{name}.toml"))


def written_step(sc: ba.Scenario, name: str) -> dict[str, object]:
    steps: list[dict[str, object]] = tomllib.loads(sc.to_toml())["steps"]
    return next(step for step in steps if step["name"] == name)


def test_a_distribution_in_another_unit_is_written_as_given(tmp_path: Path) -> None:
    sc = ba.load_scenario(KOKO).with_inputs(step_duration=ba.lognormal(1000, 2, "us/step"))
    step = written_step(sc, "step_duration")
    assert step["unit"] == "ms / step"  # the step's own unit: later steps are unchanged
    assert ba.ureg.Unit(str(step["input_unit"])) == ba.ureg.Unit("us / step")
    assert step["distribution"] == {"kind": "lognormal", "median": 1000.0, "gsd": 2.0}
    again = saved(sc, tmp_path)
    same_numbers(
        again.estimate(4_000, seed=1, method="mc"), sc.estimate(4_000, seed=1, method="mc")
    )
    assert again.step("step_duration").unit == ba.ureg.Unit("ms / step")
    assert again.step("step_duration").spec.distribution == Lognormal(median=1000.0, gsd=2.0)
    said = "lognormal, median 1000 µs/step, replacing the file's 1 ms / step"
    assert said in sc.step("step_duration").citation
    assert str(again.step("step_duration").spec.note).startswith(said)
    assert "step_duration = lognormal(median=1e3, gsd=2) µs/step [ms/step]" in str(again)
    # saved again, the file still says it: the same text, the same numbers
    assert saved(again, tmp_path, "my-variant-2").to_toml() == again.to_toml().replace(
        "my-variant", "my-variant-2"
    )


def test_a_point_in_another_unit_still_round_trips(tmp_path: Path) -> None:
    sc = ba.load_scenario(KOKO).with_inputs(step_duration=ba.point(1000, "us/step"))
    step = written_step(sc, "step_duration")
    assert (step["value"], step["unit"], "input_unit" in step) == (1.0, "ms / step", False)
    again = saved(sc, tmp_path)
    assert again.estimate(10_000).median == sc.estimate(10_000).median


def test_an_offset_unit_goes_through_pints_conversion(tmp_path: Path) -> None:
    sc = ba.load_scenario(LIMIT).with_inputs(temperature=ba.normal(37, 0.5, "degC"))
    step = written_step(sc, "temperature")
    assert (step["unit"], step["distribution"]) == (
        "K",
        {"kind": "normal", "mean": 37.0, "sd": 0.5},
    )
    assert ba.ureg.Unit(str(step["input_unit"])) == ba.ureg.Unit("degC")
    again = saved(sc, tmp_path)
    assert again.step("temperature").spec.distribution == Normal(mean=37.0, sd=0.5)
    same_numbers(
        again.estimate(4_000, seed=2, method="mc"), sc.estimate(4_000, seed=2, method="mc")
    )
    kelvin = again["temperature"].estimate(20_000, seed=0, method="mc").median.magnitude
    assert kelvin == pytest.approx(310.15, abs=0.02)  # 37 degC is 310.15 K, not 37 K or 37 * 1
    point = ba.load_scenario(LIMIT).with_inputs(temperature=ba.point(98.6, "degF"))
    assert written_step(point, "temperature")["value"] == 98.6
    assert saved(point, tmp_path, "my-point")["temperature"].estimate().median.magnitude == (
        pytest.approx(310.15)
    )


def test_the_override_draws_from_its_steps_stream() -> None:
    """Like an input in the step's own unit, one in another unit draws from the step's
    stream, which a file can name (not from its own, which a file cannot)."""
    sc = ba.load_scenario(KOKO)
    given = sc.with_inputs(step_duration=ba.lognormal(1000, 2, "us/step"))
    keyed = ba.lognormal(1000, 2, "us/step").keyed(f"{KOKO}/step_duration")
    expected = keyed.to("ms/step").sample(500, seed=4).magnitude
    assert np.array_equal(given["step_duration"].sample(500, seed=4).magnitude, expected)


@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (lambda: ba.lognormal(1, 2, "ms/step").to("s/step"), "derived quantity"),
        (lambda: ba.point(1e3, "us/step") * ba.between(1, 2), "derived quantity"),
        (lambda: ba.correlate([ba.between(1, 2, "us/step"), ba.between(1, 2)], 0.5)[0], "corr"),
    ],
    ids=["converted-twice", "derived", "correlated"],
)
def test_what_no_file_can_hold_is_a_clear_error(
    value: Callable[[], ba.Uncertain], kind: str
) -> None:
    sc = ba.load_scenario(KOKO).with_inputs(step_duration=value())
    with pytest.raises(ba.ScenarioError, match=f"'step_duration' is a {kind}") as error:
        sc.to_toml()
    assert "give a single input (ba.point, ba.between, ba.lognormal, ...)" in str(error.value)
    assert "or another of its dimension" in str(error.value)


HAND = """\
name = "hand"
title = "an input written in another unit"
output = "rate"
unit = "1/s"
frame = "functional"

[[steps]]
name = "period"
unit = "ms"
input_unit = "{unit}"
between = [500, 2000]
assumption = true
note = "a period"

[[steps]]
name = "rate"
formula = "1 / period"
"""


def test_a_file_step_with_an_input_unit(tmp_path: Path) -> None:
    path = tmp_path / "hand.toml"
    path.write_text(HAND.format(unit="us"), encoding="utf-8")
    sc = ba.load_scenario(path)
    assert sc.step("period").unit == ba.ureg.Unit("ms")
    expected = ba.between(500, 2000, "us").keyed("hand/period").to("ms").sample(300, seed=1)
    assert np.array_equal(sc["period"].sample(300, seed=1).magnitude, expected.magnitude)
    for unit, problem in [("neuron", "cannot be converted"), ("no_such_unit", "not defined")]:
        path.write_text(HAND.format(unit=unit), encoding="utf-8")
        with pytest.raises(ba.ScenarioError, match=problem) as error:
            ba.load_scenario(path)
        assert (error.value.step, error.value.field) == ("period", "input_unit")
    path.write_text(
        HAND.format(unit="us").replace(
            'formula = "1 / period"', 'formula = "1 / period"\ninput_unit = "s"'
        ),
        encoding="utf-8",
    )
    with pytest.raises(ba.ScenarioError, match="input_unit goes with value, between or dist"):
        ba.load_scenario(path)
    period = 'note = "a period"'
    shared = HAND.format(unit="us").replace(period, period + '\nstream = "hand/other"') + SHARING
    path.write_text(shared, encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match="same random stream as step 'period'"):
        ba.load_scenario(path)  # told for a step drawn in its input_unit too


SHARING = """
[[steps]]
name = "other"
unit = "s"
between = [1, 2]
stream = "hand/other"
assumption = true
note = "another input"
"""


def test_from_steps_takes_an_input_converted_to_another_unit(tmp_path: Path) -> None:
    period = ba.cite(ba.between(500, 2000, "us").to("ms"), "assumption", note="a period")
    sc = ba.Scenario.from_steps(
        "hand", title="t", frame="functional", output="rate", unit="1/s",
        steps={"period": period, "rate": "1 / period"},
    )  # fmt: skip
    assert sc.step("period").spec.input_unit == "µs"
    again = saved(sc, tmp_path, "hand")
    same_numbers(
        again.estimate(2_000, seed=3, method="mc"), sc.estimate(2_000, seed=3, method="mc")
    )


TIME_UNITS = ["us/step", "ns/step", "s/step", "ms/step", "min/step", "ms/step * percent"]
TEMPERATURE_UNITS = ["K", "degC", "degF", "degR", "mK"]
MAKERS: dict[str, Callable[[float, float, str], ba.Uncertain]] = {
    "point": lambda a, _, u: ba.point(a, u),
    "lognormal": lambda a, b, u: ba.lognormal(a, 1.0 + b, u),
    "normal": lambda a, b, u: ba.normal(a, b, u),
    "uniform": lambda a, b, u: ba.uniform(a, a + b, u),
    "between": lambda a, b, u: ba.between(a, a * (1.0 + b), u),
}


@settings(max_examples=40)
@given(
    where=st.sampled_from(
        [(KOKO, "step_duration", TIME_UNITS), (LIMIT, "temperature", TEMPERATURE_UNITS)]
    ),
    unit_index=st.integers(0, 5),
    kind=st.sampled_from(sorted(MAKERS)),
    a=st.floats(300.0, 2000.0),
    b=st.floats(0.01, 1.0),
    seed=st.integers(0, 2**32 - 1),
)
def test_any_override_in_any_unit_of_the_dimension_saves_to_the_same_numbers(
    where: tuple[str, str, list[str]], unit_index: int, kind: str, a: float, b: float, seed: int
) -> None:
    name, step, units = where
    unit = units[unit_index % len(units)]
    value = MAKERS[kind](a, b, unit)
    sc = ba.load_scenario(name).with_inputs(**{step: value})
    with tempfile.TemporaryDirectory() as folder:
        again = saved(sc, Path(folder))
    assert again.step(step).unit == sc.step(step).unit
    same_numbers(
        again.estimate(500, seed=seed, method="mc"), sc.estimate(500, seed=seed, method="mc")
    )
    written = again.step(step).spec
    if written.input_unit is not None:  # the file says the unit given
        assert ba.ureg.Unit(written.input_unit) == ba.ureg.Unit(unit)
    if kind != "point" and converted_from(sc[step]) is not None:
        assert written.input_unit is not None  # (a point may be exact in the step's unit)
