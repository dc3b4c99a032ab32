"""The sweep's derived variants (issue 14 item 3): two variants built, the rest derived by
swapping the swept input's node, every row bit for bit ``with_inputs(...).estimate(...)``.

The reference is the variant built from the file for each value, estimated alone: an
independent path through the builder, the plan and the engine. Where deriving is not known to
give the same graph (a value used as an exponent, a formula function over the swept step, a
distribution among the values) the sweep builds every variant, and the rows still agree.
"""

from __future__ import annotations

import math
import warnings
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.draw import draw
from bioanchors._scenarios import sweep as sweep_module
from bioanchors._scenarios.substitute import same_graph, substituted

_SOURCE = {"who": "a test", "where": "here"}


def _spy(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Records, per sweep, whether its variants were derived."""
    seen: list[bool] = []
    real = sweep_module._derived_outputs

    def spying(*args: Any) -> Any:
        result = real(*args)
        seen.append(result is not None)
        return result

    monkeypatch.setattr(sweep_module, "_derived_outputs", spying)
    return seen


def _rows_equal_alone(sc: ba.Scenario, step: str, values: list[Any], n: int, method: str) -> None:
    table = ba.sweep(sc, step, values, n=n, seed=3, method=method)
    for row, value in zip(table.rows, values, strict=True):
        alone = sc.with_inputs(**{step: value}).estimate(n, seed=3, method=method)
        lo, hi = alone.interval(0.9)
        assert (row.median, row.p5, row.p95, row.method) == (
            alone.median.magnitude,
            lo.magnitude,
            hi.magnitude,
            alone.method,
        ), (sc.name, step, value)


@pytest.mark.parametrize("name", ba.scenarios())
def test_every_bundled_scenario_and_input_step(name: str) -> None:
    """Each input step of each bundled scenario swept over three points around its median:
    derived or built, every row equals the variant estimated alone (Monte Carlo)."""
    sc = ba.load_scenario(name)
    for step in (s for s in sc.steps if s.is_input):
        median = float(step.quantity.estimate(2_000, seed=0).median.magnitude)
        base = median if median > 0 and math.isfinite(median) else 1.0
        values = [base * 0.5, base, base * 2.0]
        with warnings.catch_warnings():  # values far from the file's may warn alike
            warnings.simplefilter("ignore", ba.BioanchorsWarning)
            if any(_refused(sc, step.name, value) for value in values):
                with pytest.raises(ba.BioanchorsError):  # refused alone: refused in the sweep
                    ba.sweep(sc, step.name, values, n=600, seed=3, method="mc")
            else:
                _rows_equal_alone(sc, step.name, values, 600, "mc")


def test_the_benchmark_sweep_is_derived(monkeypatch: pytest.MonkeyPatch) -> None:
    seen = _spy(monkeypatch)
    sc = ba.load_scenario("carlsmith-2020-mechanistic")
    values = [float(v) for v in np.geomspace(1e14, 1e15, 12)]
    for method in ("mc", "auto", "qmc"):
        _rows_equal_alone(sc, "synapses", values, 2_000, method)
    assert seen == [True, True, True]


def _refused(sc: ba.Scenario, step: str, value: float) -> bool:
    try:
        sc.with_inputs(**{step: value}).estimate(600, seed=3, method="mc")
    except ba.BioanchorsError:
        return True
    return False


def _two_step(formula: str, swept: Any, other: Any) -> ba.Scenario:
    return ba.Scenario.from_steps(
        "derived-test",
        title="a test",
        frame="functional",
        output="out",
        unit="",
        source=_SOURCE,
        steps={
            "x": ba.cite(swept, "assumption", note="a value to sweep"),
            "k": ba.cite(other, "assumption", note="an uncertain factor"),
            "y": "x * 3",
            "out": formula,
        },
    )


@pytest.mark.parametrize(
    ("formula", "derived"),
    [
        ("y * k + x", True),
        ("k ** 2 / y", True),
        ("k ** y", True),  # an exponent computed from the point: a node of the graph
        ("k ** x + y", False),  # the point itself as exponent: a constant of the graph
        ("exp(y) * k", False),  # a formula function over the swept step
        ("x ** 2 * k - y", True),
    ],
)
def test_deriving_only_where_it_gives_the_built_graph(
    monkeypatch: pytest.MonkeyPatch, formula: str, derived: bool
) -> None:
    seen = _spy(monkeypatch)
    sc = _two_step(formula, ba.point(0.5), ba.lognormal(1.5, 2))
    values = [0.25, 0.5, 0.75, 1.0]
    _rows_equal_alone(sc, "x", values, 1_000, "mc")
    assert seen == [derived]


def test_a_distribution_among_the_values_builds_every_variant(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seen = _spy(monkeypatch)
    sc = _two_step("y * k + x", ba.point(0.5), ba.lognormal(1.5, 2))
    values: list[Any] = [0.25, ba.between(0.4, 0.6), 1.0]
    _rows_equal_alone(sc, "x", values, 1_000, "mc")
    assert seen == [False]


# -- the graph operations themselves ----------------------------------------------------

_BINARY = st.sampled_from(["+", "-", "*", "/"])


@st.composite
def _expressions(draw_: st.DrawFn) -> tuple[Any, Any, Any]:
    """A random expression over a point ``p`` and two lognormals, built for two values of p
    (the same lognormal nodes in both), and ``p``'s two nodes."""
    p1, p2 = ba.point(draw_(st.floats(0.5, 2.0))), ba.point(draw_(st.floats(2.5, 4.0)))
    a, b = ba.lognormal(1, 2), ba.lognormal(3, 1.5)
    plan = draw_(st.lists(st.tuples(_BINARY, st.integers(0, 3), st.integers(0, 3)), max_size=6))
    exponent = draw_(st.sampled_from([None, 2, 0.5]))

    def build(p: Any) -> Any:
        values = [p, a, b, p * a]
        for op, i, j in plan:
            left, right = values[i % len(values)], values[j % len(values)]
            values.append(
                {"+": left + right, "-": left - right, "*": left * right, "/": left / right}[op]
            )
        top = values[-1]
        return top if exponent is None else (top**exponent).to("")

    return build(p1), build(p2), (p1.node, p2.node)


@settings(max_examples=60, deadline=None)
@given(_expressions())
def test_substituting_the_point_gives_the_graph_built_with_the_other(case: Any) -> None:
    first, second, (old, new) = case
    derived = substituted(first, old, new)
    assert same_graph(derived, second)
    uses_p = any(item.node is old for item in first.walk())
    assert same_graph(first, second) is not uses_p  # p's two values differ
    try:
        want = draw(second, 500, seed=9, method="mc")
    except ba.SamplingError:  # a - a / (b - b): refused alike
        with pytest.raises(ba.SamplingError):
            draw(derived, 500, seed=9, method="mc")
        return
    assert np.array_equal(draw(derived, 500, seed=9, method="mc"), want)


def test_same_graph_tells_parameters_and_keys_apart() -> None:
    a = ba.lognormal(1, 2)
    assert same_graph(a * 2, a * 2)
    assert not same_graph(a**2, a**3)
    assert not same_graph(a * 2, a + 2)
    assert not same_graph(a, ba.lognormal(1, 2))  # another stream
    assert same_graph(a.keyed("t/a"), ba.lognormal(1, 2).keyed("t/a"))
    assert not same_graph(a.named("x"), a)
    assert not same_graph(a.to("percent"), a)
