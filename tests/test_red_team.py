"""Regression tests from the red-team pass over issues 12 and 13 (one per class of bug found)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
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
    with pytest.raises(ba.BioanchorsError, match=r"sweep of 'neurons' at \d\.\d+e308 neuron"):
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


@given(
    order=st.permutations([0, 1, 2, 3]),
    coefs=st.lists(st.floats(-3, 3), min_size=4, max_size=4),
)
@settings(max_examples=30, deadline=None)
def test_a_log_form_pairs_each_coefficient_with_its_own_column(
    order: list[int], coefs: list[float]
) -> None:
    from bioanchors._engine.interpret import _from_form
    from bioanchors._engine.logform import LogForm
    from bioanchors._engine.program import FormStep

    z = np.random.default_rng(0).standard_normal((4, 50))
    form = LogForm(0.5, {column: coefs[i] for i, column in enumerate(order)})
    expected = np.exp(0.5 + sum(coef * z[column] for column, coef in form.coefs.items()))
    step = FormStep(target=0, form=form)
    np.testing.assert_allclose(_from_form(step, z), expected, rtol=1e-12)


KINDS = st.sampled_from(["point", "between", "lognormal", "normal", "quantiles", "mixture"])


def _value(kind: str, scale: float) -> ba.Uncertain | float:
    if kind == "point":
        return 5.0 * scale
    if kind == "between":
        return ba.between(scale, 10 * scale)
    if kind == "lognormal":
        return ba.lognormal(5 * scale, 3)
    if kind == "normal":
        return ba.normal(5 * scale, scale)
    if kind == "quantiles":
        return ba.from_quantiles({0.1: 2 * scale, 0.5: 6 * scale, 0.9: 30 * scale})
    return ba.mixture([ba.point(scale), ba.between(scale, 10 * scale)], weights=[0.3, 0.7])


@given(
    kinds=st.lists(KINDS, min_size=2, max_size=5),
    step=st.sampled_from(["b", "c"]),
    method=st.sampled_from(["mc", "qmc", "auto"]),
)
@settings(max_examples=15, deadline=None)
def test_every_sweep_row_is_its_one_by_one_estimate_to_the_last_bit(
    tmp_path_factory: pytest.TempPathFactory, kinds: list[str], step: str, method: str
) -> None:
    # Bug: the joint plan of a sweep numbered its columns otherwise, and a log-linear part was
    # summed in column order, so a row could differ from with_inputs(...).estimate() in the
    # last bits (603.632390652722 against 603.6323906527218).
    path = tmp_path_factory.mktemp("sweep") / "trio.toml"
    path.write_text(
        'name = "trio"\ntitle = "t"\noutput = "total"\nunit = "FLOP/s"\nframe = "bound"\n'
        '[source]\nwho = "me"\nwhere = "notes"\n'
        '[[steps]]\nname = "a"\nunit = "FLOP/s"\nbetween = [1, 100]\nassumption = true\n'
        'note = "n"\n'
        '[[steps]]\nname = "b"\nunit = ""\nbetween = [1, 100]\nassumption = true\nnote = "n"\n'
        '[[steps]]\nname = "c"\nunit = ""\ndistribution = { kind = "normal", mean = 5, sd = 1 }\n'
        'assumption = true\nnote = "n"\n'
        '[[steps]]\nname = "total"\nformula = "a * b * c"\n'
        '[[correlations]]\nsteps = ["c", "a", "b"]\n'
        "matrix = [[1.0, 0.9, 0.0], [0.9, 1.0, -0.3], [0.0, -0.3, 1.0]]\n",
        encoding="utf-8",
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", BioanchorsWarning)  # a swept step leaves its group
        sc = ba.load_scenario(path)
        values = [_value(kind, 10.0 if step == "b" else 0.2) for kind in kinds]
        table = ba.sweep(sc, step, values, n=800, seed=7, method=method)
        for value, row in zip(values, table.rows, strict=True):
            alone = sc.with_inputs(**{step: value}).estimate(800, seed=7, method=method)
            lo, hi = (float(q.magnitude) for q in alone.interval(0.9))
            assert (row.median, row.p5, row.p95) == (float(alone.median.magnitude), lo, hi)


def test_the_timelines_description_names_the_years_it_prints(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Bug: the description promised P(TAI by 2030/2040/2050); the table has 2040 and 2050.
    import contextlib

    from bioanchors.cli import main

    with contextlib.suppress(SystemExit):
        main(["timelines", "--help"])
    described = " ".join(capsys.readouterr().out.split("options:")[0].split())
    main(["timelines", "--brain", "moravec-1998", "-n", "200", "-q", "--format", "csv"])
    header = capsys.readouterr().out.splitlines()[0].split(",")
    years = [int(col.removeprefix("prob_by_")) for col in header if col.startswith("prob_by_")]
    assert "2030/2040/2050" not in described
    assert f"{years[0]} and {years[1]} unless told" in described


WRONG_TYPES = st.one_of(
    st.integers(), st.floats(allow_nan=False), st.text(max_size=5), st.lists(st.integers())
)


@given(value=WRONG_TYPES)
@settings(max_examples=25, deadline=None)
def test_from_steps_and_sweep_refuse_wrong_types_with_their_own_errors(value: object) -> None:
    # Bug: cite(1.0, ...), source="me", steps=[...] and sweep("name", ...) or sweep(..., 5)
    # reached the user as AttributeError, ValueError or TypeError; tags="abc" became three
    # tags, "a", "b" and "c".
    src = {"who": "me", "where": "notes"}
    common: dict[str, Any] = {
        "title": "t",
        "frame": "bound",
        "output": "y",
        "unit": "FLOP/s",
    }
    good = {"y": ba.cite(ba.point(1.0, "FLOP/s"), src, quote="q")}
    attempts: list[Callable[[], object]] = [
        lambda: ba.Scenario.from_steps("x", **common, steps={"y": ba.cite(value, src, quote="q")}),  # type: ignore[arg-type]
        lambda: ba.Scenario.from_steps("x", **common, steps=good, source=value),  # type: ignore[arg-type]
        lambda: ba.Scenario.from_steps("x", **common, steps=value),  # type: ignore[arg-type]
        lambda: ba.sweep(value, "neurons", [1e11]),  # type: ignore[arg-type]
    ]
    if not isinstance(value, list):
        attempts.append(lambda: ba.sweep(ba.load_scenario("kokotajlod-2021"), "neurons", value))  # type: ignore[arg-type]
    if isinstance(value, str):
        attempts.append(lambda: ba.Scenario.from_steps("x", **common, steps=good, tags=value))
    for attempt in attempts:
        with pytest.raises(ba.BioanchorsError):
            attempt()


LEAVES = st.one_of(
    st.floats(-1e3, 1e3, allow_nan=False).map(lambda v: ba.point(v)),
    st.just(ba.between(1, 2)),
)
OPS = st.sampled_from(["neg", "mul", "sub", "add", "pow"])


@given(start=LEAVES, ops=st.lists(st.tuples(OPS, LEAVES), max_size=5))
@settings(max_examples=100, deadline=None)
def test_an_expression_never_shows_two_signs_in_a_row(
    start: ba.Uncertain, ops: list[tuple[str, ba.Uncertain]]
) -> None:
    # Bug: -ba.point(-2) showed as "--2", x - (-y) as "x - -y".
    value = start
    for op, other in ops:
        if op == "neg":
            value = -value
        elif op == "mul":
            value = value * other
        elif op == "sub":
            value = value - other
        elif op == "add":
            value = value + other
        else:
            value = value**-2
    text = repr(value)
    for twice in ("--", "- -", "+ -", "* -", "/ -", "** -"):
        assert twice not in text, text


@given(factor=st.floats(0.9, 1.1).filter(lambda f: f != 1.0))
def test_a_factor_near_one_is_not_shown_as_one(factor: float) -> None:
    # Bug: x * 1.0001 showed as "x * 1", which reads as no change at all.
    text = repr(ba.between(1, 2) * factor)
    shown = text.split(" * ")[-1].split(" [")[0]
    assert float(shown) != 1.0


@pytest.mark.parametrize(
    "unit", ["red_compartment", "kred_compartment", "FLOP/s/red_compartment", "red_burst/s"]
)
def test_a_python_scenario_in_a_files_unit_saves_a_file_that_loads_alone(
    tmp_path: Path, unit: str
) -> None:
    # Bug: Scenario.from_steps in a unit another file defined saved no [units]: the file
    # loaded in the same process but not in a fresh one ("'compartment' is not defined").
    import subprocess
    import sys

    units = tmp_path / "defines.toml"
    units.write_text(
        'name = "defines"\ntitle = "t"\noutput = "x"\nunit = "red_compartment"\n'
        'frame = "bound"\n[source]\nwho = "me"\nwhere = "notes"\n'
        '[units]\nred_compartment = "[red_compartment]"\nred_burst = "10 * red_compartment"\n'
        '[[steps]]\nname = "x"\nunit = "red_compartment"\nvalue = 1\npage = "1"\n',
        encoding="utf-8",
    )
    ba.load_scenario(units)
    src = {"who": "me", "where": "notes"}
    sc = ba.Scenario.from_steps(
        "saved-alone",
        title="t",
        frame="bound",
        output="y",
        unit=unit,
        steps={"x": ba.cite(ba.between(1, 10, unit), src, quote="q"), "y": "x * 2"},
    )
    path = sc.save(tmp_path / "saved-alone.toml")
    code = (
        "import sys, bioanchors as ba; "
        "print(ba.load_scenario(sys.argv[1]).estimate(1000, seed=3).to_dict()['percentiles'])"
    )
    fresh = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=False
    )
    assert fresh.returncode == 0, fresh.stderr
    assert fresh.stdout.strip() == str(sc.estimate(1000, seed=3).to_dict()["percentiles"])


@given(
    unit=st.sampled_from(["red_cell", "kred_cell", "FLOP/s/red_cell", "red_cell**2"]),
    in_claim=st.booleans(),
)
@settings(max_examples=12, deadline=None)
def test_a_file_may_not_lean_on_another_files_units(
    tmp_path_factory: pytest.TempPathFactory, unit: str, in_claim: bool
) -> None:
    # Bug: a file in a unit only another file's [units] defined loaded, or not, by the order
    # in which files happened to load (after that file: yes; in a fresh process: no).
    folder = tmp_path_factory.mktemp("lean")
    owner = folder / "owner.toml"
    owner.write_text(
        'name = "owner"\ntitle = "t"\noutput = "x"\nunit = "red_cell"\nframe = "bound"\n'
        '[source]\nwho = "me"\nwhere = "notes"\n[units]\nred_cell = "[red_cell]"\n'
        'red_pulse = "10 * spike"\n'
        '[[steps]]\nname = "x"\nunit = "red_cell"\nvalue = 1\npage = "1"\n',
        encoding="utf-8",
    )
    ba.load_scenario(owner)
    leaning = folder / "leaning.toml"
    step_unit, claim = ("spike", 'claimed = "0.3 red_pulse"\n') if in_claim else (unit, "")
    out_unit = step_unit
    leaning.write_text(
        f'name = "leaning"\ntitle = "t"\noutput = "x"\nunit = "{out_unit}"\nframe = "bound"\n'
        '[source]\nwho = "me"\nwhere = "notes"\n'
        f'[[steps]]\nname = "x"\nunit = "{step_unit}"\nvalue = 3\npage = "1"\n{claim}',
        encoding="utf-8",
    )
    with pytest.raises(ba.ScenarioError, match=r"unit 'red_(cell|pulse)' is defined by the \[u"):
        ba.load_scenario(leaning)
    # defining it itself (the same definition) is the remedy
    text = leaning.read_text(encoding="utf-8")
    own = '[units]\nred_cell = "[red_cell]"\nred_pulse = "10 * spike"\n'
    leaning.write_text(text + own, encoding="utf-8")
    assert ba.load_scenario(leaning).name == "leaning"
