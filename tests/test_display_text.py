"""How values read as text: an Uncertain's expression (checked by handing it to Python's own
parser), point values without a degenerate interval, format specs on Estimate (against
Python's float formatting of the percentiles), and audits' "no claim"."""

from __future__ import annotations

import math
import operator
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import bioanchors as ba

# -- an Uncertain's expression ----------------------------------------------------------------


def test_a_derived_quantity_shows_its_expression_not_its_last_operator() -> None:
    neurons = ba.between(7.8e10, 9.4e10, "neuron", name="neurons")
    synapses = ba.between(1e3, 1e4, "synapse / neuron", name="synapses_per_neuron")
    assert repr(neurons * synapses) == "<Uncertain neurons * synapses_per_neuron [synapse]>"
    unnamed = ba.point(1e11, "neuron") * ba.lognormal(1e4, 3, "synapse/neuron")
    assert repr(unnamed) == "<Uncertain 1e11 * lognormal(median=1e4, gsd=3) [synapse]>"
    assert repr(neurons) == "<Uncertain neurons [neuron]>"  # a named value: its name


@pytest.mark.parametrize(
    ("source", "target"),
    [("FLOP/s", "PFLOP/s"), ("ms", "s"), ("neuron", "kneuron"), ("FLOP/s", "EFLOP/s")],
)
def test_a_unit_conversion_shows_its_factor_so_every_number_is_right(
    source: str, target: str
) -> None:
    # The leaf's median is in its own unit: the factor shown must be pint's (Q_(1).to()).
    shown = repr(ba.lognormal(10, 2, source).to(target))
    factor = float(re.fullmatch(r"<Uncertain lognormal\(.*\) \* (\S+) \[.*\]>", shown)[1])  # type: ignore[index]
    expected = ba.Q_(1.0, source).to(target).magnitude
    assert math.isclose(factor, expected, rel_tol=5e-3)


def test_deep_graphs_are_shown_fast_and_short() -> None:
    chain = ba.between(1, 2)
    for _ in range(1_000):
        chain = chain * ba.between(1, 2) + 1
    shared = ba.between(1, 2)
    for _ in range(1_000):
        shared = shared + shared  # 2**1000 paths through a 1,000-node graph
    for value in (chain, shared):
        start = time.perf_counter()
        text = repr(value)
        assert time.perf_counter() - start < 0.05
        assert len(text) <= 130
        assert "…" in text
        assert text.endswith(" [dimensionless]>")
    many = ba.mixture([ba.between(1, 2) for _ in range(50)])
    assert repr(many).count("lognormal") <= 4


_NAMES = ("a", "b", "c")
_VALUES = {"a": 1.5, "b": 1.25, "c": 1.75}
_INFIX: dict[str, Callable[[float, float], float]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
}


@st.composite
def _trees(draw: st.DrawFn, depth: int = 0) -> tuple[ba.Uncertain, float]:
    """An Uncertain and its value with a=1.5, b=1.25, c=1.75, built side by side."""
    choice = draw(
        st.sampled_from(
            ["leaf", "const"] if depth >= 3 else [*list(_INFIX), "neg", "pow", "leaf", "const"]
        )
    )
    if choice == "leaf":
        name = draw(st.sampled_from(_NAMES))
        return ba.point(_VALUES[name], name=name), _VALUES[name]
    if choice == "const":
        value = draw(st.sampled_from([-2.0, 0.5, 3.0]))
        return ba.point(value), value
    left, x = draw(_trees(depth + 1))
    if choice == "neg":
        return -left, -x
    if choice == "pow":
        power = draw(st.sampled_from([2, 3, -1]))
        return left**power, x**power
    right, y = draw(_trees(depth + 1))
    assume(not (choice == "/" and y == 0))
    combined: ba.Uncertain = _INFIX[choice](left, right)  # type: ignore[arg-type,assignment]
    return combined, _INFIX[choice](x, y)


@settings(max_examples=300, deadline=None)
@given(_trees())
def test_the_expression_reads_back_as_the_same_arithmetic_in_python(
    tree: tuple[ba.Uncertain, float],
) -> None:
    # Python's parser is the independent reference for precedence and parentheses.
    value, expected = tree
    text = repr(value).removeprefix("<Uncertain ").removesuffix(" [dimensionless]>")
    assume("…" not in text and math.isfinite(expected) and abs(expected) < 1e12)
    got = eval(text, {"__builtins__": {}}, dict(_VALUES))  # only numbers and names a, b, c
    assert math.isclose(got, expected, rel_tol=1e-9, abs_tol=1e-9), text


def test_an_uncertain_takes_a_width_but_refuses_a_number_format() -> None:
    x = ba.between(1, 10, "FLOP/s", name="x")
    assert f"{x}" == repr(x)
    assert f"{x:>40}" == f"{x!r:>40}"
    assert f"{x:*^40}" == f"{x!r:*^40}"
    with pytest.raises(ValueError, match=r"estimate\(\):\.2e"):
        f"{x:.2e}"
    with pytest.raises(ba.InvalidInputError):
        format(x, "d")


# -- point values and format specs on Estimate ------------------------------------------------


@pytest.mark.parametrize("method", ["auto", "mc", "qmc"])
def test_a_point_value_prints_without_a_degenerate_interval(method: str) -> None:
    est = ba.point(1e11, "neuron").estimate(n=2_000, method=method)
    assert str(est) == "1.0e11 neuron"
    assert repr(est).startswith("<Estimate 1.0e11 neuron method=")
    assert "CI" not in repr(est)
    assert f"{est:.3e}" == "1.000e+11 neuron"
    spread = ba.between(1e14, 1e16, "FLOP/s").estimate()
    assert str(spread) == "1.0e15 FLOP/s (90% CI 1.0e14 – 1.0e16)"  # unchanged


def test_a_format_spec_formats_the_median_and_interval_and_keeps_the_unit() -> None:
    est = ba.between(1e14, 1e16, "FLOP/s").estimate(n=5_000, method="mc", seed=4)
    med, lo, hi = (est.percentile(q).magnitude for q in (50, 5, 95))
    assert format(est, ".2e") == f"{med:.2e} FLOP/s (90% CI {lo:.2e} – {hi:.2e})"
    assert f"{est:,.0f}" == f"{med:,.0f} FLOP/s (90% CI {lo:,.0f} – {hi:,.0f})"
    assert f"{est}" == format(est, "") == str(est)
    assert f"{est:>70}" == f"{est!s:>70}"  # a width pads the whole text, as for complex
    assert f"{est:_<70.1e}" == f"{format(est, '.1e'):_<70}"
    assert " PFLOP/s (90% CI " in format(est.to("PFLOP/s"), ".3g")


@settings(max_examples=200, deadline=None)
@given(st.integers(0, 10), st.sampled_from("eEgG"), st.sampled_from(["", "+", " "]))
def test_formatted_numbers_read_back_within_their_precision(
    precision: int, kind: str, sign: str
) -> None:
    est = ba.lognormal(3.7e15, 4, "FLOP/s").estimate()
    text = format(est, f"{sign}.{precision}{kind}")
    shown = text.replace("(90% CI", "")
    numbers = [float(t) for t in re.findall(r"[-+ ]?\d[\d.]*(?:[eE][-+]\d+)?", shown)]
    assert len(numbers) == 3
    truth = [est.percentile(q).magnitude for q in (50, 5, 95)]
    digits = max(precision, 1) if kind in "gG" else precision + 1
    for got, want in zip(numbers, truth, strict=True):
        # rounded to ``digits`` significant figures: at most half a unit of the last one
        assert math.isclose(got, want, rel_tol=0.5 * 10.0 ** (1 - digits) * (1 + 1e-9))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="<>=^+- z#0123456789,_.eEfFgGdsxn%", max_size=6))
def test_a_spec_python_refuses_for_a_float_is_refused_for_an_estimate(spec: str) -> None:
    est = ba.between(1, 10, "FLOP/s").estimate()
    try:
        format(1.0, spec)
    except ValueError:
        with pytest.raises(ba.InvalidInputError):  # a BioanchorsError and a ValueError
            format(est, spec)
        return
    if "0" in spec or "=" in spec:  # zero padding and '=' alignment may be refused
        return
    if spec.endswith("%"):  # a percentage of FLOP/s means nothing: refused
        with pytest.raises(ba.InvalidInputError, match="not dimensionless"):
            format(est, spec)
        return
    assert "FLOP/s" in format(est, spec)


# -- audits and scenarios as text -------------------------------------------------------------


def test_steps_without_a_claim_are_no_claim_in_the_audit_text_and_still_ok() -> None:
    audit = ba.load_scenario("kokotajlod-2021").audit(n=2_000)
    verdicts = {row.name: row.verdict for row in audit}
    assert verdicts["neurons"] == "no claim"
    assert verdicts["total"] == "MISMATCH"
    assert verdicts["steps_per_second"] == "ok"
    unclaimed = [row for row in audit if row.claimed is None]
    assert unclaimed
    assert all(row.ok is True for row in unclaimed)
    lines = {line.split()[0]: line for line in str(audit).splitlines()[2:]}
    assert lines["neurons"].endswith("no claim")
    assert lines["total"].endswith("MISMATCH")
    assert lines["steps_per_second"].endswith("ok")


def test_the_cli_audit_says_no_claim(capsys: pytest.CaptureFixture[str]) -> None:
    from bioanchors.cli import main

    assert main(["audit", "kokotajlod-2021", "--samples", "2000"]) == 0
    out = capsys.readouterr().out
    neurons = next(line for line in out.splitlines() if line.startswith("neurons "))
    assert neurons.rstrip().endswith("no claim")


def test_a_scenario_prints_its_steps_with_distribution_parameters(tmp_path: Path) -> None:
    sc = ba.load_scenario("irving-2021")
    text = str(sc)
    assert text.splitlines()[0].startswith("irving-2021: ")
    assert "  neurons = normal(mean=8.61e10, sd=8.1e9) [neuron]" in text.splitlines()
    assert repr(sc.step("neurons")) == "<Step neurons = normal(mean=8.61e10, sd=8.1e9) [neuron]>"
    assert "reverse_overhead = loguniform(lo=1, hi=100)" in text
