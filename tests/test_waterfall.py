"""Scenario.waterfall: the running median along the output's chain, against numbers computed
another way (closed forms of lognormal products, numpy over the steps' own samples)."""

from __future__ import annotations

import itertools
import json
import math
import textwrap
import warnings
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import bioanchors as ba

HEADER = """
name = "wf"
title = "A waterfall test"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_waterfall.py"
"""


def _scenario(tmp_path: Path, steps: list[dict[str, object]], name: str = "wf") -> ba.Scenario:
    lines = [HEADER.replace('"wf"', f'"{name}"', 1)]
    for step in steps:
        lines.append("[[steps]]")
        for key, value in step.items():
            lines.append(f"{key} = {json.dumps(value)}")
        if "formula" not in step:
            lines.append('quote = "a test input"')
    path = tmp_path / f"{name}.toml"
    path.write_text(textwrap.dedent("\n".join(lines)) + "\n")
    return ba.load_scenario(path)


def _ops(waterfall: object) -> list[tuple[str, str]]:
    return [(row.op, row.name) for row in waterfall]  # type: ignore[attr-defined]


def test_a_product_of_lognormals_has_exact_medians(tmp_path: Path) -> None:
    # between(lo, hi) is lognormal with median sqrt(lo * hi): 1e4, 0.1; a constant 4.
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "between": [1e3, 1e5]},
            {"name": "b", "unit": "dimensionless", "between": [0.01, 1.0], "shaky": True},
            {"name": "c", "unit": "dimensionless", "value": 4},
            {"name": "total", "formula": "a * b / c"},
        ],
    )
    waterfall = sc.waterfall(n=2_000, seed=3)
    assert _ops(waterfall) == [("start", "a"), ("*", "b"), ("/", "c")]
    medians = [row.median_after for row in waterfall]
    assert medians == pytest.approx([1e4, 1e3, 250.0], rel=1e-12)
    factors = [row.factor for row in waterfall]
    assert factors[0] is None
    assert factors[1:] == pytest.approx([0.1, 0.25], rel=1e-12)
    assert math.prod(f for f in factors if f is not None) == pytest.approx(250.0 / 1e4)
    largest = waterfall.largest
    assert largest is not None
    assert largest.name == "b"  # |log10 0.1| = 1 beats |log10 0.25| = 0.6
    assert [row.label for row in waterfall] == ["start: a", "× b", "÷ c"]
    assert repr(waterfall) == "<Waterfall of wf: 3 steps to total; largest factor: × b 0.1>"


def test_a_denominator_chain_divides_by_each_of_its_factors(tmp_path: Path) -> None:
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 1e6},
            {"name": "b", "unit": "dimensionless", "value": 10},
            {"name": "c", "unit": "dimensionless", "value": 4},
            {"name": "total", "formula": "a / (b * c)"},
        ],
    )
    waterfall = sc.waterfall()
    assert _ops(waterfall) == [("start", "a"), ("/", "b"), ("/", "c")]
    assert [row.median_after for row in waterfall] == pytest.approx([1e6, 1e5, 2.5e4])
    assert [row.step for row in waterfall] == ["a", "total", "total"]


def test_a_named_dimensionless_factor_is_one_row(tmp_path: Path) -> None:
    # A factor the file names (bc = b * c) is one judgement: one row, not re-walked (its own
    # chain may divide out stages shown elsewhere, as irving-2021's flaw_two_factor does).
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 1e6},
            {"name": "b", "unit": "dimensionless", "value": 10},
            {"name": "c", "unit": "dimensionless", "value": 4},
            {"name": "bc", "formula": "b * c"},
            {"name": "total", "formula": "a / bc"},
        ],
    )
    waterfall = sc.waterfall()
    assert _ops(waterfall) == [("start", "a"), ("/", "bc")]
    assert [row.median_after for row in waterfall] == pytest.approx([1e6, 2.5e4])
    assert [row.factor for row in waterfall][1] == pytest.approx(1 / 40)


def test_a_sum_follows_its_largest_term_then_adds_the_others(tmp_path: Path) -> None:
    sc = _scenario(
        tmp_path,
        [
            {"name": "small", "unit": "FLOP/s", "value": 1e3},
            {"name": "big", "unit": "FLOP/s", "value": 1e6},
            {"name": "share", "unit": "dimensionless", "value": 0.5},
            {"name": "total", "formula": "small + big * share"},
        ],
    )
    waterfall = sc.waterfall()
    assert _ops(waterfall) == [("start", "big"), ("*", "share"), ("+", "small")]
    assert [row.median_after for row in waterfall] == pytest.approx([1e6, 5e5, 5.01e5])
    assert waterfall.rows[-1].factor == pytest.approx(1.002)


def test_a_one_minus_fraction_factor_is_one_row(tmp_path: Path) -> None:
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 1e6},
            {"name": "f", "unit": "dimensionless", "value": 0.25},
            {"name": "total", "formula": "a * (1 - f)"},
        ],
    )
    waterfall = sc.waterfall()
    assert _ops(waterfall) == [("start", "a"), ("*", "(1 - f)")]
    assert waterfall.rows[-1].factor == pytest.approx(0.75)


def test_an_adjustment_call_is_a_row_applied_to_its_carrier(tmp_path: Path) -> None:
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 1e20},
            {"name": "share", "unit": "dimensionless", "value": 0.01},
            {"name": "r", "unit": "dimensionless", "value": 10},
            {"name": "total", "formula": "reversed_control(useful_fraction(a, share), r)"},
        ],
    )
    waterfall = sc.waterfall()
    assert _ops(waterfall) == [
        ("start", "a"),
        ("call", "useful_fraction"),
        ("call", "reversed_control"),
    ]
    assert [row.factor for row in waterfall][1:] == pytest.approx([0.01, 0.1])
    assert waterfall.largest is not None
    assert waterfall.largest.name == "useful_fraction"


def test_irving_against_numpy_over_the_steps_own_samples() -> None:
    # irving-2021 = the TCN total x flaw one (its own step) x flaw two (its own step): each
    # named dimensionless factor is one row, and the running medians are those of the
    # products of the steps' own joint samples.
    sc = ba.load_scenario("irving-2021")
    n = 20_000
    x = {
        name: np.broadcast_to(np.asarray(sc[name].sample(n, seed=0).magnitude, float), (n,))
        for name in (
            "tcn_flop_per_step",
            "steps_per_second",
            "neurons",
            "reverse_overhead",
            "scaling_alpha",
            "hidden_units_per_neuron",
        )
    }
    per_neuron = x["tcn_flop_per_step"] * x["steps_per_second"]
    total = per_neuron * x["neurons"]
    after_reversed = 1 / x["reverse_overhead"]
    floor = 1 / x["hidden_units_per_neuron"]
    # multi_neuron_scaling: floor + (overhead - floor) * N ** -alpha (methods/adjustments.py)
    overhead = floor + (after_reversed - floor) * x["neurons"] ** -x["scaling_alpha"]
    flaw_two = overhead / after_reversed
    running = (
        x["tcn_flop_per_step"],
        per_neuron,
        total,
        total * after_reversed,
        total * after_reversed * flaw_two,
    )
    expected = [np.median(v) for v in running]
    waterfall = sc.waterfall(n=n, seed=0)
    assert [row.label for row in waterfall] == [
        "start: tcn_flop_per_step",
        "× steps_per_second",
        "× neurons",
        "× overhead_after_reversed_control",
        "× flaw_two_factor",
    ]
    assert [row.median_after for row in waterfall] == pytest.approx(expected, rel=1e-9)
    assert waterfall.rows[-1].unit == "FLOP/s"
    assert waterfall.largest is not None
    assert waterfall.largest.name == "overhead_after_reversed_control"


@pytest.mark.parametrize("name", ba.scenarios())
def test_every_bundled_scenario_has_a_waterfall(name: str) -> None:
    sc = ba.load_scenario(name)
    waterfall = sc.waterfall(n=4_000, seed=1)
    rows = waterfall.rows
    assert rows
    assert rows[0].op == "start"
    assert rows[0].median_before is None
    # The last row is the output, the same median as the audit's (the same joint draw).
    output_row = next(row for row in sc.audit(n=4_000, seed=1) if row.name == sc.output_name)
    assert rows[-1].median_after == pytest.approx(output_row.recomputed, rel=1e-12)
    assert waterfall.unit == rows[-1].unit
    for before, row in itertools.pairwise(rows):
        assert row.median_before == before.median_after
        if row.factor is not None and row.factor_unit == "":
            assert row.factor * before.median_after == pytest.approx(row.median_after)
    assert sum(row.largest for row in rows) <= 1
    text = json.dumps(waterfall.to_dict(), allow_nan=False)  # no NaN or Infinity
    assert json.loads(text)["scenario"] == name
    assert name in str(waterfall)
    assert "<table>" in waterfall._repr_html_()


def test_to_frame_has_one_row_per_step() -> None:
    pd = pytest.importorskip("pandas")
    waterfall = ba.load_scenario("steve2152-2021").waterfall()
    frame = waterfall.to_frame()
    assert isinstance(frame, pd.DataFrame)
    assert list(frame["name"]) == [row.name for row in waterfall]
    assert {"median_before", "median_after", "factor", "unit", "formula"} <= set(frame.columns)


def test_a_long_chain_is_cut_to_a_bounded_table(tmp_path: Path) -> None:
    steps: list[dict[str, object]] = [{"name": "s0", "unit": "FLOP/s", "between": [1e3, 1e5]}]
    steps += [{"name": f"s{i}", "formula": f"s{i - 1} * 1.001"} for i in range(1, 1500)]
    steps.append({"name": "total", "formula": "s1499"})
    waterfall = _scenario(tmp_path, steps).waterfall(n=1_000)
    assert 10 < len(waterfall) < 200
    assert waterfall.rows[0].op == "start"
    assert waterfall.rows[0].name.startswith("s")
    assert waterfall.rows[-1].median_after == pytest.approx(1e4 * 1.001**1499, rel=1e-9)


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["*", "/"]),
            st.floats(-3, 3),
            st.floats(0.01, 2),
        ),
        min_size=1,
        max_size=5,
    )
)
def test_lognormal_chains_telescope_to_the_closed_form(
    tmp_path_factory: pytest.TempPathFactory, factors: list[tuple[str, float, float]]
) -> None:
    tmp_path = tmp_path_factory.mktemp("wf")
    steps: list[dict[str, object]] = [{"name": "a", "unit": "FLOP/s", "value": 1e10}]
    expected = [1e10]
    formula = "a"
    for index, (op, log_median, spread) in enumerate(factors):
        median = 10.0**log_median
        lo, hi = median / 10.0**spread, median * 10.0**spread
        steps.append({"name": f"f{index}", "unit": "dimensionless", "between": [lo, hi]})
        formula += f" {op} f{index}"
        centre = math.sqrt(lo * hi)
        expected.append(expected[-1] * centre if op == "*" else expected[-1] / centre)
    steps.append({"name": "total", "formula": formula})
    waterfall = _scenario(tmp_path, steps).waterfall(n=500)
    medians = [row.median_after for row in waterfall]
    assert medians == pytest.approx(expected, rel=1e-9)
    product = math.prod(row.factor for row in waterfall.rows[1:] if row.factor is not None)
    assert product == pytest.approx(medians[-1] / medians[0], rel=1e-9)


def _expressions() -> st.SearchStrategy[str]:
    leaves = st.sampled_from(["a", "b", "f", "2", "(1 - f)", "sqrt(f)", "useful_fraction(a, f)"])

    def grow(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
        return st.tuples(inner, st.sampled_from([" + ", " * ", " / ", " *\n  "]), inner).map(
            lambda parts: f"({''.join(parts)})"
        )

    return st.recursive(leaves, grow, max_leaves=6)


@settings(max_examples=30, deadline=None)
@given(_expressions())
def test_any_formula_gives_a_consistent_waterfall(
    tmp_path_factory: pytest.TempPathFactory, formula: str
) -> None:
    # Whatever the shape (sums, quotients, calls, line breaks), the table chains its medians,
    # ends at the output's median and holds no NaN.
    steps: list[dict[str, object]] = [
        {"name": "a", "unit": "FLOP/s", "between": [1e3, 1e5]},
        {"name": "b", "unit": "FLOP/s", "between": [10.0, 1e4]},
        {"name": "f", "unit": "dimensionless", "between": [0.01, 0.5]},
        {"name": "total", "formula": formula},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BioanchorsWarning)  # steps the formula leaves out
        try:
            sc = _scenario(tmp_path_factory.mktemp("wf"), steps)
        except ba.ScenarioError:  # "a + f": the units do not add up, the file is refused
            assume(False)
    waterfall = sc.waterfall(n=400, seed=2)
    rows = waterfall.rows
    assert rows[0].op == "start"
    for before, row in itertools.pairwise(rows):
        assert row.median_before == before.median_after
    output = next(r for r in sc.audit(n=400, seed=2) if r.name == "total").recomputed
    assert rows[-1].median_after == pytest.approx(output, rel=1e-12)
    json.dumps(waterfall.to_dict(), allow_nan=False)


def test_a_scenario_in_a_notebook_shows_its_frame() -> None:
    sc = ba.load_scenario("elm-2023")
    shown = sc._repr_html_()
    assert "Frame: <b>emulation</b>" in shown
    assert "digital hardware" in shown  # the frame's one-line meaning


def test_the_largest_is_a_judgement_not_a_cited_count(tmp_path: Path) -> None:
    # moravec-1998 marked its quoted detections_per_image (1e6) as the largest factor; a cited
    # input is a fact, a shaky input is a judgement
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 10.0},
            {"name": "count", "unit": "dimensionless", "value": 1e6},
            {"name": "guess", "unit": "dimensionless", "between": [0.1, 1.0], "shaky": True},
            {"name": "total", "formula": "a * count * guess"},
        ],
    )
    waterfall = sc.waterfall()
    assert waterfall.largest is not None
    assert waterfall.largest.name == "guess"
    facts = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 10.0},
            {"name": "count", "unit": "dimensionless", "value": 1e6},
            {"name": "total", "formula": "a * count"},
        ],
        name="facts",
    )
    assert facts.waterfall().largest is None
    assert "no factor on this chain is a judgement" in str(facts.waterfall())


def test_a_pooled_call_is_one_leaf_not_a_chain(tmp_path: Path) -> None:
    # one_of(f, g) is a mixture of f and g, not f adjusted by g (it showed "one_of x52.8")
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "dimensionless", "value": 2.0},
            {"name": "f", "unit": "FLOP/s", "value": 1e10},
            {"name": "g", "unit": "FLOP/s", "value": 1e14},
            {"name": "total", "formula": "a * one_of(f, g)"},
        ],
    )
    assert _ops(sc.waterfall()) == [("start", "a"), ("*", "one_of(f, g)")]
    pooled = ba.load_scenario("carlsmith-2020-functional").waterfall()
    assert len(pooled) == 1 or pooled.rows[-1].op != "call"


def test_a_negative_running_median_is_warned_about(tmp_path: Path) -> None:
    sc = _scenario(
        tmp_path,
        [
            {"name": "a", "unit": "FLOP/s", "value": 10.0},
            {"name": "b", "unit": "FLOP/s", "value": 30.0},
            {"name": "total", "formula": "a - b"},
        ],
    )
    with pytest.warns(ba.BioanchorsWarning, match="not negative or zero"):
        sc.waterfall()


def test_the_html_caption_promises_bold_only_when_a_row_is_bold() -> None:
    marked = ba.load_scenario("irving-2021").waterfall(n=2_000)
    assert marked.largest is not None
    assert "bold: the factor" in marked._repr_html_()
    assert 'style="font-weight:bold"' in marked._repr_html_()
    unmarked = ba.load_scenario("kokotajlod-2021").waterfall(n=2_000)  # no judgement on it
    assert unmarked.largest is None
    shown = unmarked._repr_html_()
    assert "bold" not in shown
    assert "none marked as the largest" in shown  # as the text says
    assert "<th></th>" not in shown  # every column has a header
