"""Scenario.with_inputs and ``bioanchors run --set``: replaced inputs against numbers computed
another way (closed forms of the bundled files' point values, numpy over the inputs' own
draws), and the safe reading of ``--set`` text."""

from __future__ import annotations

import io
import json
import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors.cli import main

KOKO = "kokotajlod-2021"
CARLSMITH = "carlsmith-2020-mechanistic"


def _cli(*argv: str) -> str:
    out = io.StringIO()
    assert main(list(argv), out=out) == 0
    return out.getvalue()


def test_kokotajlod_with_fewer_neurons_is_the_closed_form() -> None:
    # His file: 1e5 parameter/neuron x 1 FLOP/parameter/step x (1 / 1 ms) = 1e8 FLOP/neuron/s.
    sc = ba.load_scenario(KOKO)
    variant = sc.with_inputs(neurons=ba.point(1e10, "neuron"))
    assert variant.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e8 * 1e10, rel=1e-12)
    assert variant.estimate().method == "analytic"
    # the original is untouched
    assert sc.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e19, rel=1e-12)
    assert sc.overridden == ()
    assert variant is not sc


def test_a_quantity_in_another_unit_is_converted() -> None:
    sc = ba.load_scenario(KOKO).with_inputs(step_duration=ba.Q_(2e-3, "s / step"))
    # 1e5 FLOP per neuron-step, 500 steps per second, 1e11 neurons
    assert sc.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e5 * 500 * 1e11)
    assert sc["step_duration"].unit == ba.ureg.Unit("ms / step")


@settings(max_examples=30, deadline=None)
@given(st.floats(min_value=1e3, max_value=1e15))
def test_any_neuron_count_scales_kokotajlod_exactly(neurons: float) -> None:
    sc = ba.load_scenario(KOKO).with_inputs(neurons=neurons)
    got = sc.estimate().median.to("FLOP/s").magnitude
    assert got == pytest.approx(1e8 * neurons, rel=1e-12)


def test_other_inputs_draw_the_same_numbers_and_formulas_are_recomputed() -> None:
    sc = ba.load_scenario(CARLSMITH)
    variant = sc.with_inputs(neurons=5e10)
    n, seed = 4_000, 7

    def draws(name: str, of: ba.Scenario = sc) -> Any:
        samples = of[name].estimate(n, seed=seed, method="mc").samples
        assert samples is not None
        return samples

    synaptic = (
        draws("synapses")
        * draws("spikes_per_synapse_per_second")
        * draws("flop_per_spike_through_synapse")
    )
    neurons = ba.Q_(5e10, "neuron")
    firing = neurons * draws("firing_decision_flop_per_step") * draws("steps_per_second")
    expected = (synaptic + firing).to("FLOP/s").magnitude
    got = draws("total", variant).to("FLOP/s").magnitude
    np.testing.assert_allclose(got, expected, rtol=1e-12)  # draw by draw, not only in law
    np.testing.assert_array_equal(draws("synapses", variant).magnitude, draws("synapses").magnitude)


def test_the_override_is_a_recorded_uncited_assumption() -> None:
    sc = ba.load_scenario(KOKO).with_inputs(neurons=1e10)
    step = sc.step("neurons")
    assert step.citation.startswith("user override")
    assert step.citation.endswith('"1.0e10 neuron, replacing the file\'s 1.0e11 neuron"')
    assert step.claimed is None
    assert sc.overridden == ("neurons",)
    assert "variant" in repr(sc)
    assert "neurons" in repr(sc)
    assert "[variant: neurons = 1.0e10 neuron]" in sc.title
    assert "user override" in sc._repr_html_()
    # the audit and the waterfall still work; his last step is now 10x off, not 100x
    rows = {row.name: row for row in sc.audit()}
    assert rows["neurons"].claimed is None
    assert rows["neurons"].ok
    assert rows["total"].ratio == pytest.approx(10.0)
    assert sc.waterfall().rows[-1].median_after == pytest.approx(1e18)


def test_overrides_chain_and_later_ones_win() -> None:
    sc = (
        ba.load_scenario(KOKO)
        .with_inputs(neurons=1e10)
        .with_inputs(params_per_neuron=1e6, neurons=2e10)
    )
    assert sc.overridden == ("params_per_neuron", "neurons")
    assert sc.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e6 * 1e3 * 2e10)
    assert sc.title.count("[variant:") == 1
    cited = sc.step("neurons").citation
    assert cited.endswith('"2.0e10 neuron, replacing the file\'s 1.0e11 neuron"')
    assert (sc.step("neurons").spec.note or "").count("A user override") == 1
    assert sc.step("neurons").spec.value == 2e10  # shown as a value in the HTML table


def test_an_uncertain_override_keeps_its_distribution() -> None:
    between = ba.between(1e10, 1e12, "neuron")
    sc = ba.load_scenario(KOKO).with_inputs(neurons=between)
    est = sc.estimate(20_000, seed=1)
    assert est.method == "analytic"
    lo, hi = est.interval(0.9)
    assert lo.to("FLOP/s").magnitude == pytest.approx(1e8 * 1e10, rel=1e-9)
    assert hi.to("FLOP/s").magnitude == pytest.approx(1e8 * 1e12, rel=1e-9)
    assert sc.step("neurons").spec.distribution is not None


def test_a_dimension_mismatch_names_the_step_and_both_units() -> None:
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(KOKO).with_inputs(neurons=ba.point(1e11, "s"))
    message = str(caught.value)
    assert "'neurons'" in message
    assert "neuron" in message
    assert " s," in message


def test_unknown_names_get_close_matches() -> None:
    with pytest.raises(ba.ScenarioError, match=r"no step 'neuron'.*did you mean 'neurons'"):
        ba.load_scenario(KOKO).with_inputs(neuron=1e10)


def test_a_formula_step_is_refused() -> None:
    with pytest.raises(ba.ScenarioError, match=r"a formula .* not an input"):
        ba.load_scenario(KOKO).with_inputs(total=1e17)


@pytest.mark.parametrize("value", [True, None, [1e10], object()])
def test_values_of_other_types_are_refused(value: object) -> None:
    with pytest.raises(ba.ScenarioError, match="expected an Uncertain"):
        ba.load_scenario(KOKO).with_inputs(neurons=value)  # type: ignore[arg-type]


def test_no_overrides_is_the_same_scenario() -> None:
    sc = ba.load_scenario(KOKO)
    assert sc.with_inputs() is sc


def test_text_values_are_read_like_the_constructors() -> None:
    sc = ba.load_scenario(CARLSMITH)
    rate = "spikes_per_synapse_per_second"
    from_text = sc.with_inputs(**{rate: "between(0.1, 2, 'spike / synapse / s')"})
    from_python = sc.with_inputs(**{rate: ba.between(0.1, 2, "spike / synapse / s")})
    unit_left_out = sc.with_inputs(**{rate: "between(0.1, 2)"})
    a, b, c = (x.estimate(5_000, seed=2).to_dict() for x in (from_text, from_python, unit_left_out))
    assert a == b == c
    assert sc.with_inputs(neurons="2 * 5e10").estimate(5_000).to_dict() == (
        sc.with_inputs(neurons=1e11).estimate(5_000).to_dict()
    )


def test_run_set_equals_with_inputs_at_the_same_seed() -> None:
    rate = "spikes_per_synapse_per_second"
    printed = _cli(
        "run", CARLSMITH, "--json", "--seed", "3", "-n", "5000",
        "--set", "neurons=1e11", "--set", f"{rate}=lognormal(0.5, 3, 'Hz * spike / synapse')",
    )  # fmt: skip
    sc = ba.load_scenario(CARLSMITH).with_inputs(
        neurons=ba.point(1e11, "neuron"), **{rate: ba.lognormal(0.5, 3, "spike/synapse/s")}
    )
    expected = sc.estimate(5_000, seed=3).to_dict()  # run --json is exactly to_dict()
    assert json.loads(printed) == json.loads(json.dumps(expected))


def test_run_set_prints_the_variant() -> None:
    printed = _cli("run", KOKO, "--set", "neurons=1e10")
    assert "[variant: neurons = 1.0e10 neuron]" in printed
    assert "1.0e18 FLOP/s" in printed


@pytest.mark.parametrize(
    ("setting", "expected"),
    [
        ("neurons", "expected STEP=VALUE"),
        ("=1e10", "expected STEP=VALUE"),
        ("neuron=1e10", "did you mean 'neurons'"),
        ("total=1e17", "not an input"),
        ("neurons=point(1, 's')", "another dimension"),
        ("neurons=__import__('os')", "not allowed"),
        ("neurons=__import__('os').system('ls')", "not allowed"),
        ("neurons=open('x')", "unknown function 'open'"),
        ("neurons=exp(1)", "unknown function 'exp'"),
        ("neurons=lambda: 1", "not allowed"),
        ("neurons=[1e10]", "not allowed"),
        ("neurons=1e10 if 1 else 2", "not allowed"),
        ("neurons=(1).real", "not allowed"),
        ("neurons=between(1, 2, credibility=0.5)", "not allowed"),
        ("neurons=f'{1}'", "not a plain quoted unit"),
        ("neurons=b'neuron'", "not a plain quoted unit"),
        ("neurons='neu\\x72on'", "not a plain quoted unit"),
        ("neurons='neuron'", "a unit alone is not a value"),
        ("neurons=point('neuron')", "takes 1 number"),
        ("neurons=point(1e10, 2)", "must be a quoted unit"),
        ("neurons=point(1e10, 'neuron', 'neuron')", "must be a quoted unit"),
        ("neurons=point(1e10, 'no_such_unit')", "no_such_unit"),
        ("neurons=between(2, 1)", "neurons"),
        ("neurons=1e400", "not finite"),
        ("neurons=between(1, 2", "cannot be read"),
    ],
)
def test_bad_settings_are_errors_naming_the_text(
    setting: str, expected: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["run", KOKO, "--set", setting], out=io.StringIO()) == 2
    error = capsys.readouterr().err
    assert error.startswith(f"bioanchors: error: --set {setting!r}: "), error
    assert expected in error, error
    assert "internal error" not in error


@settings(max_examples=200, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(list("()'\",.=_ +-*/e1209abdnpotwlix[]{}:\\")), max_size=30)
)
def test_any_text_is_a_value_or_a_scenario_error(text: str) -> None:
    sc = ba.load_scenario(KOKO)
    try:
        variant = sc.with_inputs(neurons=text)
    except ba.ScenarioError:
        return
    assert variant["neurons"].unit == ba.ureg.Unit("neuron")


def test_an_unused_step_is_reported_once_at_load_not_per_override(tmp_path: Path) -> None:
    path = tmp_path / "unused.toml"
    path.write_text(
        textwrap.dedent(
            """
            name = "unused"
            title = "a x 2, with a step left over"
            output = "total"
            unit = "FLOP/s"
            frame = "functional"
            [source]
            who = "A tester"
            where = "tests/test_overrides.py"
            [[steps]]
            name = "a"
            unit = "FLOP/s"
            value = 1e15
            quote = "a value"
            [[steps]]
            name = "spare"
            unit = "neuron"
            value = 1
            quote = "not used"
            [[steps]]
            name = "total"
            formula = "2 * a"
            """
        ),
        encoding="utf-8",
    )
    with pytest.warns(ba.BioanchorsWarning, match="'spare' is not used"):
        sc = ba.load_scenario(path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        table = ba.sweep(sc, "a", [1e14, 1e16])
    assert [row.median for row in table.rows] == pytest.approx([2e14, 2e16])
