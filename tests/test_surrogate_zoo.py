"""Tests for the surrogate zoo: ELM and Branch-ELM, LSTM, point neurons, and their file kinds.

References, each independent of the formulas under test:

* the model table of ``AaronSpieler/elmneuron`` (README.md and ``models/*/model_stats.json``,
  commit 52e68a6d): trainable parameters of the released Branch-ELM models;
* forward passes written here in numpy that count every operation they execute, checked to
  compute the same outputs as a plain transcription of the authors' ``ELM.dynamics`` (and of
  Keras's LSTM cell);
* Keras's ``LSTMCell.build`` weight shapes ``(n, 4u)``, ``(u, 4u)``, ``(4u,)``;
* Izhikevich (2004), Fig. 2, and an operation count of the Euler updates written here.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import bioanchors as ba
from bioanchors.cli import main
from bioanchors.surrogate import (
    ELM,
    IZHIKEVICH_2004_FLOP_PER_MS,
    LSTM,
    SPIELER_2024_BEST_ELM,
    SPIELER_2024_BRANCH_ELM,
    Architecture,
    PointNeuron,
)

Array = NDArray[np.float64]

# --------------------------------------------------------------------------- the authors' table

# README.md of AaronSpieler/elmneuron at 52e68a6d: Branch-ELM, 45 branches x 100 synapses, 1278
# inputs, 2 outputs (models/num_memory_*/model_config.json), "#params" row.
AUTHORS_TABLE = {
    1: 4601,
    2: 4708,
    3: 4823,
    5: 5077,
    7: 5363,
    10: 5852,
    15: 6827,
    20: 8002,
    25: 9377,
    30: 10952,
    40: 14702,
    50: 19252,
    75: 34127,
    100: 54002,
}


@pytest.mark.parametrize(("memory", "parameters"), sorted(AUTHORS_TABLE.items()))
def test_branch_elm_parameters_match_the_authors_table(memory: int, parameters: int) -> None:
    net = ELM(inputs=1278, memory=memory, outputs=2, branches=45, synapses_per_branch=100)
    assert net.parameters == parameters


def test_presets() -> None:
    assert SPIELER_2024_BRANCH_ELM.parameters == 8002
    assert SPIELER_2024_BEST_ELM.parameters == 54002  # models/best_elm_neuron/model_stats.json
    assert SPIELER_2024_BRANCH_ELM.flop_per_step() == 24_997.0
    assert SPIELER_2024_BRANCH_ELM.macs_per_step() == 7960
    assert SPIELER_2024_BRANCH_ELM.nonlinearities_per_step == 60
    assert SPIELER_2024_BEST_ELM.flop_per_step() == 117_157.0
    for net in (SPIELER_2024_BRANCH_ELM, SPIELER_2024_BEST_ELM):
        assert isinstance(net, Architecture)
        assert net.receptive_field == 1


@given(
    memory=st.integers(1, 300),
    branches=st.integers(1, 200),
    per_branch=st.integers(1, 200),
    outputs=st.integers(1, 5),
)
def test_elm_parameters_closed_form(
    memory: int, branches: int, per_branch: int, outputs: int
) -> None:
    # Expanded by hand from the tensors' shapes: w_s (B*S), MLP Linear(B+m, 2m) and
    # Linear(2m, m), readout Linear(m, o): B*S + 4m^2 + (2B + 3 + o)m + o.
    expected = branches * per_branch + 4 * memory**2 + (2 * branches + 3 + outputs) * memory
    expected += outputs
    net = ELM(
        inputs=7, memory=memory, outputs=outputs, branches=branches, synapses_per_branch=per_branch
    )
    assert net.parameters == expected
    learned = ELM(inputs=7, memory=memory, branches=branches, learn_memory_tau=True)
    assert learned.parameters == ELM(inputs=7, memory=memory, branches=branches).parameters + memory


# --------------------------------------------------------------------------- counted forward passes


class Ops:
    """numpy arithmetic that counts what it executes: MAC (matrix-vector and fused) and single
    FLOP; activations are applied outside it and not counted."""

    def __init__(self) -> None:
        self.mac = 0
        self.single = 0

    @property
    def flop(self) -> int:
        return 2 * self.mac + self.single

    def mul(self, a: Array | float, b: Array) -> Array:
        self.single += b.size
        return np.asarray(a * b)

    def add(self, a: Array, b: Array) -> Array:
        self.single += a.size
        return a + b

    def fma(self, a: Array, b: Array, c: Array) -> Array:
        self.mac += b.size
        return a * b + c

    def matvec(self, weight: Array, x: Array) -> Array:
        self.mac += weight.size
        return weight @ x

    def branch_sums(self, x: Array, branches: int) -> Array:
        grouped = x.reshape(branches, -1)
        self.single += branches * (grouped.shape[1] - 1)
        return np.asarray(grouped.sum(axis=1), dtype=float)


def _elm_weights(net: ELM, rng: np.random.Generator) -> dict[str, list[Array]]:
    sizes = [net.branch_count + net.memory, *([net.hidden] * net.mlp_layers), net.memory]
    mlp = [rng.normal(size=(b, a)) / np.sqrt(a) for a, b in pairwise(sizes)]
    return {
        "w_s": [rng.uniform(0, 1, net.synapses)],
        "kappa_s": [np.full(net.synapses, np.exp(-1 / 5))],
        "kappa_m": [np.exp(-1 / np.logspace(0, np.log10(150), net.memory))],
        "mlp_w": mlp,
        "mlp_b": [rng.normal(size=b) for b in sizes[1:]],
        "w_y": [rng.normal(size=(net.outputs, net.memory))],
        "b_y": [rng.normal(size=net.outputs)],
    }


def _elm_literal(net: ELM, p: dict[str, list[Array]], xs: Array, lam: float) -> Array:
    """A plain transcription of the authors' ELM.dynamics (v1), step by step."""
    s = np.zeros(net.synapses)
    m = np.zeros(net.memory)
    ys = []
    for x in xs:
        s = p["kappa_s"][0] * s + p["w_s"][0] * x
        syn_input = s.reshape(net.branch_count, -1).sum(axis=1)
        z = np.concatenate([syn_input, p["kappa_m"][0] * m])
        for w, b in zip(p["mlp_w"][:-1], p["mlp_b"][:-1], strict=True):
            z = np.maximum(w @ z + b, 0.0)
        delta = np.tanh((p["mlp_w"][-1] @ z + p["mlp_b"][-1]) * 2 / 3) * 1.7159
        m = p["kappa_m"][0] * m + lam * (1 - p["kappa_m"][0]) * delta
        ys.append(p["w_y"][0] @ m + p["b_y"][0])
    return np.array(ys)


def _elm_counted(net: ELM, p: dict[str, list[Array]], xs: Array, lam: float) -> tuple[Array, Ops]:
    """The same dynamics through :class:`Ops`, with the per-sequence constants hoisted."""
    ops = Ops()
    kappa_m = p["kappa_m"][0]
    c = lam * (1 - kappa_m)  # computed once per sequence: not counted
    s = np.zeros(net.synapses)
    m = np.zeros(net.memory)
    ys = []
    for x in xs:
        s = ops.fma(p["kappa_s"][0], s, ops.mul(p["w_s"][0], x))
        branch = ops.branch_sums(s, net.branch_count)
        decayed = ops.mul(kappa_m, m)
        z = np.concatenate([branch, decayed])
        for w, b in zip(p["mlp_w"][:-1], p["mlp_b"][:-1], strict=True):
            z = np.maximum(ops.add(ops.matvec(w, z), b), 0.0)
        pre = ops.add(ops.matvec(p["mlp_w"][-1], z), p["mlp_b"][-1])
        delta = ops.mul(1.7159, np.tanh(ops.mul(2 / 3, pre)))
        m = ops.fma(c, delta, decayed)
        ys.append(ops.add(ops.matvec(p["w_y"][0], m), p["b_y"][0]))
    return np.array(ys), ops


ELM_SHAPES = st.builds(
    lambda inputs, memory, branches, per, layers, hidden, outputs: ELM(
        inputs=inputs,
        memory=memory,
        outputs=outputs,
        branches=branches,
        synapses_per_branch=per if branches is not None else 1,
        mlp_layers=layers,
        mlp_hidden=hidden,
    ),
    st.integers(1, 12),
    st.integers(1, 8),
    st.none() | st.integers(1, 6),
    st.integers(1, 5),
    st.integers(1, 3),
    st.none() | st.integers(1, 9),
    st.integers(1, 3),
)


@settings(max_examples=40)
@given(net=ELM_SHAPES, seed=st.integers(0, 2**32 - 1), steps=st.integers(1, 4))
def test_elm_flop_equals_a_counted_forward_pass(net: ELM, seed: int, steps: int) -> None:
    rng = np.random.default_rng(seed)
    p = _elm_weights(net, rng)
    xs = (rng.uniform(size=(steps, net.synapses)) < 0.3).astype(float)
    ys, ops = _elm_counted(net, p, xs, lam=5.0)
    np.testing.assert_allclose(ys, _elm_literal(net, p, xs, lam=5.0), rtol=1e-10, atol=1e-12)
    assert ops.flop == steps * net.flop_per_step()
    assert ops.mac == steps * net.macs_per_step()


def test_branch_elm_preset_counted() -> None:
    rng = np.random.default_rng(0)
    net = SPIELER_2024_BRANCH_ELM
    p = _elm_weights(net, rng)
    xs = (rng.uniform(size=(2, net.synapses)) < 0.01).astype(float)
    ys, ops = _elm_counted(net, p, xs, lam=5.0)
    np.testing.assert_allclose(ys, _elm_literal(net, p, xs, lam=5.0), rtol=1e-9, atol=1e-12)
    assert ops.flop == 2 * 24_997


# --------------------------------------------------------------------------- LSTM


def _sigmoid(x: Array) -> Array:
    return np.asarray(1 / (1 + np.exp(-x)))


def _lstm_keras(
    kernels: list[tuple[Array, Array, Array]], heads: list[tuple[Array, Array]], xs: Array
) -> Array:
    """Keras's LSTM cell (gates i, f, c, o; kernel (n, 4u), recurrent (u, 4u), bias (4u))."""
    hs = [np.zeros(k[1].shape[0]) for k in kernels]
    cs = [np.zeros(k[1].shape[0]) for k in kernels]
    out = []
    for x in xs:
        inp = x
        for layer, (kernel, recurrent, bias) in enumerate(kernels):
            z = inp @ kernel + hs[layer] @ recurrent + bias
            i, f, g, o = np.split(z, 4)
            cs[layer] = _sigmoid(f) * cs[layer] + _sigmoid(i) * np.tanh(g)
            hs[layer] = _sigmoid(o) * np.tanh(cs[layer])
            inp = hs[layer]
        out.append(np.concatenate([inp @ w + b for w, b in heads] or [np.zeros(0)]))
    return np.array(out)


def _lstm_counted(
    kernels: list[tuple[Array, Array, Array]], heads: list[tuple[Array, Array]], xs: Array
) -> tuple[Array, Ops]:
    ops = Ops()
    stacked = [np.vstack([k, r]).T for k, r, _b in kernels]  # one (4u, n + u) matrix per layer
    hs = [np.zeros(k[1].shape[0]) for k in kernels]
    cs = [np.zeros(k[1].shape[0]) for k in kernels]
    out = []
    for x in xs:
        inp = x
        for layer, (weight, (_k, _r, bias)) in enumerate(zip(stacked, kernels, strict=True)):
            z = ops.add(ops.matvec(weight, np.concatenate([inp, hs[layer]])), bias)
            i, f, g, o = np.split(z, 4)
            kept = ops.mul(_sigmoid(f), cs[layer])
            cs[layer] = ops.fma(_sigmoid(i), np.tanh(g), kept)
            hs[layer] = ops.mul(_sigmoid(o), np.tanh(cs[layer]))
            inp = hs[layer]
        parts = [ops.add(ops.matvec(w.T, inp), b) for w, b in heads]
        out.append(np.concatenate(parts or [np.zeros(0)]))
    return np.array(out), ops


LSTM_SHAPES = st.builds(
    lambda inputs, units, heads: LSTM(inputs=inputs, units=units, heads=heads),
    st.integers(1, 10),
    st.lists(st.integers(1, 6), min_size=1, max_size=3),
    st.lists(st.integers(1, 3), max_size=2),
)


@settings(max_examples=40)
@given(net=LSTM_SHAPES, seed=st.integers(0, 2**32 - 1))
def test_lstm_against_keras_shapes_and_a_counted_pass(net: LSTM, seed: int) -> None:
    rng = np.random.default_rng(seed)
    fan_ins = (net.inputs, *net.units[:-1])
    kernels = [
        (rng.normal(size=(n, 4 * u)), rng.normal(size=(u, 4 * u)), rng.normal(size=4 * u))
        for n, u in zip(fan_ins, net.units, strict=True)
    ]
    heads = [(rng.normal(size=(net.units[-1], o)), rng.normal(size=o)) for o in net.heads]
    # Keras counts the weights it builds: kernel, recurrent kernel and bias of each layer
    assert net.parameters == sum(k.size + r.size + b.size for k, r, b in kernels) + sum(
        w.size + b.size for w, b in heads
    )
    xs = rng.normal(size=(3, net.inputs))
    ys, ops = _lstm_counted(kernels, heads, xs)
    np.testing.assert_allclose(ys, _lstm_keras(kernels, heads, xs), rtol=1e-10, atol=1e-12)
    assert ops.flop == 3 * net.flop_per_step()


def test_lstm_keras_formula() -> None:
    # 4 * (units * (inputs + units) + units), Keras's count for one LSTM layer
    assert LSTM(inputs=1, units=[50]).parameters == 10_400
    assert LSTM(inputs=1278, units=[64], heads=[2]).parameters == 4 * (64 * 1342 + 64) + 130
    assert LSTM(inputs=3, units=[2]).flop_per_step() == 2 * (40 + 2) + 12


# --------------------------------------------------------------------------- point neurons


class CountedFloat:
    """A float that counts arithmetic and comparisons on a shared tally (exp costs ``exp``)."""

    def __init__(self, value: float, tally: list[int]) -> None:
        self.value = value
        self.tally = tally

    def _op(self, result: float) -> CountedFloat:
        self.tally[0] += 1
        return CountedFloat(result, self.tally)

    @staticmethod
    def _v(other: CountedFloat | float) -> float:
        return other.value if isinstance(other, CountedFloat) else other

    def __add__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self.value + self._v(o))

    __radd__ = __add__

    def __sub__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self.value - self._v(o))

    def __rsub__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self._v(o) - self.value)

    def __mul__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self.value * self._v(o))

    __rmul__ = __mul__

    def __truediv__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self.value / self._v(o))

    def __rtruediv__(self, o: CountedFloat | float) -> CountedFloat:
        return self._op(self._v(o) / self.value)

    def __ge__(self, o: CountedFloat | float) -> bool:
        self.tally[0] += 1
        return self.value >= self._v(o)

    def exp(self, cost: int) -> CountedFloat:
        self.tally[0] += cost
        return CountedFloat(float(np.exp(self.value)), self.tally)


def _count(update: Callable[[list[int]], object]) -> int:
    tally = [0]
    update(tally)
    return tally[0]


def _integrate_and_fire(tally: list[int]) -> None:  # v' = I + a - b v; 1 ms Euler step
    v, current = CountedFloat(-60.0, tally), 1.0
    v = v + ((0.1 - 0.02 * v) + current)
    _ = v >= 30.0


def _izhikevich(tally: list[int]) -> None:  # Izhikevich (2003), 1 ms Euler step
    v, u, current = CountedFloat(-65.0, tally), CountedFloat(-13.0, tally), 10.0
    dv = 0.04 * v * v + 5 * v + 140 - u + current
    du = 0.02 * (0.2 * v - u)
    v, u = v + dv, u + du
    _ = v >= 30.0


def _hodgkin_huxley(tally: list[int]) -> None:  # one 0.1 ms Euler step, exp = 10 FLOP
    v, n, m, h = (CountedFloat(x, tally) for x in (-65.0, 0.32, 0.05, 0.6))
    dt, e = 0.1, 10
    a_n = 0.01 * (v + 55) / (1 - (-0.1 * (v + 55)).exp(e))
    b_n = 0.125 * (-0.0125 * (v + 65)).exp(e)
    a_m = 0.1 * (v + 40) / (1 - (-0.1 * (v + 40)).exp(e))
    b_m = 4 * (-0.0556 * (v + 65)).exp(e)
    a_h = 0.07 * (-0.05 * (v + 65)).exp(e)
    b_h = 1 / (1 + (-0.1 * (v + 35)).exp(e))
    n = n + dt * (a_n * (1 - n) - b_n * n)
    m = m + dt * (a_m * (1 - m) - b_m * m)
    h = h + dt * (a_h * (1 - h) - b_h * h)
    i_na = 120 * (m * m * m * h) * (v - 50)
    i_k = 36 * (n * n * n * n) * (v + 77)
    i_l = 0.3 * (v + 54.4)
    v = v + dt * (10.0 - i_na - i_k - i_l) / 1.0


def test_point_neurons_izhikevich_figures_and_own_counts() -> None:
    assert dict(IZHIKEVICH_2004_FLOP_PER_MS) == {
        "integrate_and_fire": 5,
        "izhikevich": 13,
        "hodgkin_huxley": 1200,
    }
    # Counting the Euler updates (the threshold test included) reproduces the simple models
    # exactly, and HH (10 steps of 0.1 ms, exp at 10 FLOP) within 10 %.
    assert _count(_integrate_and_fire) == PointNeuron(model="integrate_and_fire").flop_per_step()
    assert _count(_izhikevich) == PointNeuron(model="izhikevich").flop_per_step()
    hh = 10 * _count(_hodgkin_huxley)
    assert 0.9 * 1200 <= hh <= 1.1 * 1200
    three = PointNeuron(model="hodgkin_huxley", compartments=3)
    assert (three.flop_per_step(), three.parameters) == (3600.0, 21)
    assert isinstance(three, Architecture)


# --------------------------------------------------------------------------- properties


NETWORKS = (
    ELM_SHAPES
    | LSTM_SHAPES
    | st.builds(
        lambda model, c: PointNeuron(model=model, compartments=c),
        st.sampled_from(sorted(IZHIKEVICH_2004_FLOP_PER_MS)),
        st.integers(1, 50),
    )
)


@given(net=NETWORKS, window=st.integers(1, 2000))
def test_window_is_w_times_streaming_and_cone_is_refused(net: Architecture, window: int) -> None:
    assert net.flop_per_step(mode="window", window=window) == window * net.flop_per_step()
    with pytest.raises(ba.InvalidInputError, match=r"mode: expected one of \['streaming', 'wi"):
        net.flop_per_step(mode="cone")
    with pytest.raises(ba.InvalidInputError, match=r"input_events_per_step: .*no event-driven"):
        net.flop_per_step(input_events_per_step=1.0)


@given(
    net=ELM_SHAPES,
    field=st.sampled_from(["memory", "mlp_layers", "mlp_hidden", "outputs", "branches", "per"]),
)
def test_elm_grows_with_every_size(net: ELM, field: str) -> None:
    fields = {**net.model_dump(), "mlp_hidden": net.hidden}
    if net.branches is None:  # a plain ELM grows with its inputs (one branch each)
        field = {"branches": "inputs", "per": "inputs"}.get(field, field)
    key = "synapses_per_branch" if field == "per" else field
    bigger = ELM(**{**fields, key: fields[key] + 1})
    assert bigger.parameters > net.parameters
    assert bigger.flop_per_step() > net.flop_per_step()
    assert bigger.macs_per_step() > net.macs_per_step()


@given(net=LSTM_SHAPES, layer=st.integers(0, 2))
def test_lstm_grows_with_units_and_inputs(net: LSTM, layer: int) -> None:
    units = list(net.units)
    units[layer % len(units)] += 1
    for bigger in (
        LSTM(inputs=net.inputs, units=units, heads=net.heads),
        LSTM(inputs=net.inputs + 1, units=net.units, heads=net.heads),
    ):
        assert bigger.parameters > net.parameters
        assert bigger.flop_per_step() > net.flop_per_step()


# --------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: ELM(inputs=0, memory=2), r"ELM inputs: expected a positive int"),
        (lambda: ELM(inputs=4, memory=True), r"ELM memory: expected a positive int"),
        (lambda: ELM(inputs=4, memory=2, synapses_per_branch=3), r"one synapse per input"),
        (lambda: LSTM(inputs=3, units=[]), r"LSTM units: expected at least one layer"),
        (lambda: PointNeuron(model="adex"), r"PointNeuron model: expected one of"),  # type: ignore[arg-type]
        (lambda: PointNeuron(model="izhikevich", compartments=0), r"compartments"),
    ],
)
def test_invalid_construction(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ba.InvalidInputError, match=message):
        make()


def test_immutable() -> None:
    with pytest.raises(AttributeError, match="ELM is immutable"):
        SPIELER_2024_BRANCH_ELM.memory = 3  # type: ignore[misc]
    with pytest.raises(AttributeError, match="LSTM is immutable"):
        LSTM(inputs=1, units=[1]).units = (2,)  # type: ignore[misc]


# --------------------------------------------------------------------------- scenario files

SCENARIO = """
name = "zoo"
title = "A zoo test scenario"
output = "total"
unit = "FLOP/s"
frame = "emulation"
[source]
who = "A tester"
where = "tests/test_surrogate_zoo.py"

[[steps]]
name = "cost"
unit = "FLOP / step"
architecture = {{ {architecture} }}
page = "1"

[[steps]]
name = "rate"
unit = "step / s"
value = 1000
page = "1"

[[steps]]
name = "total"
unit = "FLOP/s"
formula = "cost * rate"
"""

BRANCH_ELM = (
    'kind = "branch_elm", inputs = 1278, memory = 20, branches = 45, synapses_per_branch = 100'
)


def _load(tmp_path: Path, architecture: str) -> ba.Scenario:
    path = tmp_path / "zoo.toml"
    path.write_text(textwrap.dedent(SCENARIO.format(architecture=architecture)), encoding="utf-8")
    return ba.load_scenario(path)


@pytest.mark.parametrize(
    ("architecture", "expected"),
    [
        (BRANCH_ELM, SPIELER_2024_BRANCH_ELM.flop_per_step()),
        (BRANCH_ELM + ', mode = "window", window = 500', 500 * 24_997.0),
        ('kind = "elm", inputs = 4, memory = 2', ELM(inputs=4, memory=2).flop_per_step()),
        ('kind = "lstm", inputs = 3, units = [2], heads = [1]', 101.0),
        ('kind = "point_neuron", model = "hodgkin_huxley", compartments = 2', 2400.0),
    ],
)
def test_kinds_load_from_files(tmp_path: Path, architecture: str, expected: float) -> None:
    scenario = _load(tmp_path, architecture)
    assert scenario["cost"].estimate().median.magnitude == expected


@pytest.mark.parametrize(
    ("architecture", "field", "message"),
    [
        (BRANCH_ELM + ", dendrites = 3", "architecture.dendrites", "unknown field"),
        (
            'kind = "lstm", inputs = 3, units = [2], depth = 2',
            "architecture.depth",
            "unknown field",
        ),
        ('kind = "elm", inputs = 4, memory = 2, branches = 2', "architecture", "branch_elm"),
        ('kind = "branch_elm", inputs = 4, memory = 2', "architecture", "branches"),
        (BRANCH_ELM + ', mode = "cone"', "architecture.mode", "'streaming' or 'window'"),
    ],
)
def test_file_errors_name_file_step_and_field(
    tmp_path: Path, architecture: str, field: str, message: str
) -> None:
    with pytest.raises(ba.ScenarioError, match=message) as info:
        _load(tmp_path, architecture)
    assert str(info.value.file).endswith("zoo.toml")
    assert (info.value.step, info.value.field) == ("cost", field)


def test_schema_lists_the_kinds(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema"]) == 0
    schema = json.loads(capsys.readouterr().out)
    kinds = {
        definition["properties"]["kind"]["const"]
        for definition in schema["$defs"].values()
        if "const" in definition.get("properties", {}).get("kind", {})
    }
    assert {"tcn", "elm", "branch_elm", "lstm", "point_neuron"} <= kinds


def test_elm_2023_uses_the_branch_elm() -> None:
    scenario = ba.load_scenario("elm-2023")
    assert scenario.frame == "emulation"
    architecture = scenario.step("elm_flop_per_step").spec.architecture
    assert architecture is not None
    assert architecture.kind == "branch_elm"
    assert architecture.network() == SPIELER_2024_BRANCH_ELM
    assert scenario["elm_flop_per_step"].estimate().median.magnitude == 24_997.0
    median = scenario.estimate(20_000, seed=1).median.magnitude
    assert median == pytest.approx(24_997 * 1000 * 86.1e9, rel=0.01)


_UNIT_FILE = """
name = "{name}"
title = "An architecture step's unit"
output = "x"
unit = "FLOP / step / neuron"
frame = "emulation"
[[steps]]
name = "x"
{unit}architecture = {{ kind = "point_neuron", model = "izhikevich" }}
page = "a test"
"""


@pytest.mark.parametrize("unit", ["FLOP/s", "parameter / neuron", "", "neuron"])
def test_an_architecture_steps_unit_must_be_its_quantitys(tmp_path: Path, unit: str) -> None:
    # Regression: unit = "FLOP/s" on a FLOP-per-step architecture ran and printed
    # "13 FLOP/s" (exit code 0); the unit is now checked against the quantity.
    path = tmp_path / "arch.toml"
    path.write_text(_UNIT_FILE.format(name="arch", unit=f'unit = "{unit}"\n'), encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match="FLOP/neuron/step") as info:
        ba.load_scenario(path)
    assert (info.value.step, info.value.field) == ("x", "unit")


def test_an_architecture_steps_unit_defaults_to_its_quantitys(tmp_path: Path) -> None:
    path = tmp_path / "arch.toml"
    path.write_text(_UNIT_FILE.format(name="arch", unit=""), encoding="utf-8")
    estimate = ba.load_scenario(path).estimate()
    assert estimate.median.magnitude == 13.0
    assert estimate.unit == ba.ureg.Unit("FLOP / step / neuron")


def test_a_parameter_count_loads_in_parameters_per_neuron(tmp_path: Path) -> None:
    text = _UNIT_FILE.format(name="params", unit="").replace(
        'kind = "point_neuron", model = "izhikevich"', BRANCH_ELM + ', quantity = "parameters"'
    )
    path = tmp_path / "params.toml"
    path.write_text(text.replace('unit = "FLOP / step / neuron"', 'unit = "parameter / neuron"'))
    estimate = ba.load_scenario(path).estimate()
    assert estimate.median.magnitude == 8002.0
    assert estimate.unit == ba.ureg.Unit("parameter / neuron")
