"""The TCN's ``"overlapped"`` mode (the authors' evaluation) and the kernel-split uncertainty.

The references here are written independently of :mod:`bioanchors.surrogate._tcn_cost`: the
authors' evaluation loop is transcribed from ``evaluate_CNN_test.py`` of
SelfishGene/neuron_as_deep_net and run on a small network in numpy, counting the MAC of every
layer's output positions from the arrays actually computed.
"""

from __future__ import annotations

import random
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors.errors import InvalidInputError
from bioanchors.surrogate import BENIAGUEV_2021_AMPA, BENIAGUEV_2021_L5PC, TCN
from bioanchors.surrogate.architecture import check_mode

L5PC = BENIAGUEV_2021_L5PC

# --------------------------------------------------------------------------- the authors' loop


def authors_overlap(filter_sizes: list[int], input_window_size: int) -> int:
    """As written in evaluate_CNN_test.py (lines 245-246 of the authors' file)."""
    time_window_t = (np.array(filter_sizes) - 1).sum() + 1
    return int(min(max(time_window_t + 1, min(150, input_window_size - 50)), 250))


class CountingTCN:
    """A numpy TCN (causal Conv1D -> ReLU, 1x1 heads) that counts every MAC it performs."""

    def __init__(self, net: TCN, seed: int) -> None:
        rng = np.random.default_rng(seed)
        c_in = net.inputs
        self.weights: list[np.ndarray] = []
        for c_out, k in zip(net.widths, net.kernels, strict=True):
            self.weights.append(rng.uniform(-1, 1, size=(k, c_in, c_out)))
            c_in = c_out
        self.heads = [rng.uniform(-1, 1, size=(1, c_in, o)) for o in net.heads]
        self.macs = 0

    def _conv(self, x: np.ndarray, w: np.ndarray) -> np.ndarray:
        k = w.shape[0]
        padded = np.vstack([np.zeros((k - 1, x.shape[1])), x])  # Keras padding='causal'
        taps = np.stack([padded[j : j + x.shape[0]] for j in range(k)], axis=1)  # (T, k, C_in)
        out: np.ndarray = np.einsum("tkc,kco->to", taps, w)
        self.macs += out.shape[0] * w.size  # positions x k x C_in x C_out, zeros included
        return out

    def run(self, x: np.ndarray) -> np.ndarray:
        for w in self.weights:
            x = np.maximum(self._conv(x, w), 0.0)
        outs = [self._conv(x, w) for w in self.heads]
        return np.hstack(outs) if outs else x


def authors_evaluation(net: TCN, x: np.ndarray, window: int) -> tuple[np.ndarray, int]:
    """The authors' prediction loop over overlapping windows; returns outputs and MAC."""
    model = CountingTCN(net, seed=7)
    overlap = authors_overlap(list(net.kernels), window)
    length = x.shape[0]
    y_hat = np.full((length, sum(net.heads) or net.widths[-1]), np.nan)
    num_splits = int(2 + (length - window) / (window - overlap))
    for k in range(num_splits):
        start = k * (window - overlap)
        end = start + window
        chunk = x[start:end]
        if chunk.shape[0] < window:
            chunk = np.vstack([chunk, np.zeros((window - chunk.shape[0], x.shape[1]))])
        pred = model.run(chunk)
        if k == 0:
            y_hat[:end] = pred[: min(end, length)]
        elif k == num_splits - 1:
            t0 = start + overlap
            y_hat[t0:] = pred[overlap : overlap + (length - t0)]
        else:
            t0 = start + overlap
            y_hat[t0:end] = pred[overlap:]
    return y_hat, model.macs


NETS = [
    TCN(3, [4, 3], [5, 4], [1, 2]),  # T = 8: overlap 150 (the floor), window 400 -> 250 new
    TCN(2, [3, 3, 2], [60, 50, 50], [1]),  # T = 158: overlap T + 1 = 159
    TCN(2, [2], [280], [1]),  # T = 280: overlap capped at 250
]


@pytest.mark.parametrize("net", NETS)
@pytest.mark.parametrize("window", [400, 300])
def test_overlapped_matches_the_authors_loop(net: TCN, window: int) -> None:
    if window <= authors_overlap(list(net.kernels), window) or window < net.receptive_field:
        pytest.skip("no new outputs for this window")
    new = window - authors_overlap(list(net.kernels), window)
    rng = np.random.default_rng(0)
    # the marginal cost of (window - overlap) more input steps is one more window
    lengths = [window + 3 * new, window + 4 * new]
    macs = []
    for length in lengths:
        x = (rng.random((length, net.inputs)) < 0.2).astype(float)
        y_hat, spent = authors_evaluation(net, x, window)
        assert not np.isnan(y_hat).any()  # every output step is filled
        macs.append(spent)
    marginal = (macs[1] - macs[0]) / (lengths[1] - lengths[0])
    assert net.macs_per_step(mode="overlapped", window=window) == pytest.approx(marginal)
    assert net.flop_per_step(mode="overlapped", window=window) == pytest.approx(2 * marginal)


def test_the_authors_windows_reproduce_the_stream_when_the_overlap_covers_the_field() -> None:
    net = NETS[1]
    rng = np.random.default_rng(3)
    x = (rng.random((1500, net.inputs)) < 0.2).astype(float)
    y_hat, _ = authors_evaluation(net, x, 400)
    stream = CountingTCN(net, seed=7).run(x)
    np.testing.assert_allclose(y_hat, stream, rtol=1e-9, atol=1e-9)


def test_l5pc_overlapped_golden_numbers() -> None:
    # T = 153, W = 400: overlap min(max(154, min(150, 350)), 250) = 154, 246 new outputs
    assert authors_overlap(list(L5PC.kernels), 400) == 154
    assert L5PC.flop_per_step(mode="overlapped") == pytest.approx(400 / 246 * 18_463_744)
    assert L5PC.flop_per_step(mode="overlapped", window=400) == pytest.approx(30_022_347.97)
    # the AMPA FCN (T = 43) sits on the 150-step floor: 250 new outputs per window
    ampa = BENIAGUEV_2021_AMPA
    assert ampa.flop_per_step(mode="overlapped") == pytest.approx(1.6 * ampa.flop_per_step())


@settings(deadline=None, max_examples=200)
@given(
    st.lists(st.integers(1, 90), min_size=1, max_size=4),
    st.integers(1, 3),
    st.integers(1, 1200),
)
def test_overlapped_between_streaming_and_window(
    kernels: list[int], width: int, window: int
) -> None:
    net = TCN(3, [width] * len(kernels), kernels, [1])
    overlap = authors_overlap(kernels, window)
    if window < net.receptive_field or window - overlap < 1:
        with pytest.raises(InvalidInputError, match="window"):
            net.flop_per_step(mode="overlapped", window=window)
        return
    streaming = net.flop_per_step()
    overlapped = net.flop_per_step(mode="overlapped", window=window)
    assert overlapped == pytest.approx(window / (window - overlap) * streaming)
    assert streaming < overlapped <= net.flop_per_step(mode="window", window=window)


def test_overlapped_refusals() -> None:
    with pytest.raises(InvalidInputError, match=r"overlaps consecutive windows by 154"):
        L5PC.flop_per_step(mode="overlapped", window=154)
    with pytest.raises(InvalidInputError, match=r"receptive_field \(153 steps\)"):
        L5PC.flop_per_step(mode="overlapped", window=100)
    with pytest.raises(InvalidInputError, match=r"input_events_per_step.*streaming"):
        L5PC.flop_per_step(mode="overlapped", input_events_per_step=1.0)
    assert L5PC.flop_per_step(mode="overlapped", window=155) == pytest.approx(
        155 * L5PC.flop_per_step()
    )


def test_an_architecture_must_opt_in_to_overlapped() -> None:
    with pytest.raises(InvalidInputError, match=r"ELM mode: expected one of .*'overlapped'"):
        check_mode("ELM", "overlapped", None, 1)
    assert check_mode("TCN", "overlapped", None, 153, supported=ba.surrogate.MODES) == 400


# --------------------------------------------------------------------------- scenario files

STEP = """name = "demo"
title = "demo"
output = "x"
unit = "FLOP / step"
frame = "emulation"

[[steps]]
name = "x"
unit = "FLOP / step"
architecture = {{ kind = "tcn", inputs = 1278, widths = [128, 128, 128, 128, 128, 128, 128], \
kernels = [45, 19, 19, 19, 19, 19, 19], heads = [1, 1, 20], {extra} }}
who = "test"
page = "a test"
"""


def _load(tmp_path: Path, extra: str) -> ba.Scenario:
    path = tmp_path / "demo.toml"
    path.write_text(STEP.format(extra=extra), encoding="utf-8")
    return ba.load_scenario(path)


def test_a_file_can_ask_for_the_authors_overlapped_windows(tmp_path: Path) -> None:
    est = _load(tmp_path, 'mode = "overlapped"').estimate()
    assert est.median.magnitude == pytest.approx(L5PC.flop_per_step(mode="overlapped"))
    est = _load(tmp_path, 'mode = "overlapped", window = 300').estimate()
    expected = L5PC.flop_per_step(mode="overlapped", window=300)  # overlap 154, 146 new
    assert est.median.magnitude == pytest.approx(expected)
    assert expected == pytest.approx(300 / 146 * L5PC.flop_per_step())


def test_an_unknown_mode_in_a_file_names_file_step_and_field(tmp_path: Path) -> None:
    with pytest.raises(ba.ScenarioError, match="overlapped") as info:
        _load(tmp_path, 'mode = "overlaped"')
    assert "demo.toml" in str(info.value.file)
    assert info.value.step == "x"
    assert info.value.field == "architecture.mode"


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ('mode = "overlapped", input_events_per_step = 2', "only defined for mode='streaming'"),
        ('mode = "window", input_events_per_step = 2', "only defined for mode='streaming'"),
        ('mode = "streaming", window = 400', "only used with mode='window'"),
    ],
)
def test_a_field_the_mode_does_not_use_is_refused_not_dropped(
    tmp_path: Path, extra: str, message: str
) -> None:
    # Regression: a file's input_events_per_step was dropped in the windowed modes (the dense
    # overlapped cost came back with exit code 0), and a window was dropped with streaming.
    with pytest.raises(ba.ScenarioError, match=message) as info:
        _load(tmp_path, extra)
    assert info.value.step == "x"
    assert info.value.field == "architecture"


def test_a_window_that_leaves_no_new_output_names_the_step(tmp_path: Path) -> None:
    with pytest.raises(ba.ScenarioError, match="no new output") as info:
        _load(tmp_path, 'mode = "overlapped", window = 154').estimate()
    assert info.value.step == "x"


# --------------------------------------------------------------------------- the kernel split


@settings(deadline=None, max_examples=200)
@given(st.integers(1, 147), st.randoms(use_true_random=False))
def test_the_7x128x153_cost_depends_only_on_the_first_kernel(k1: int, rnd: random.Random) -> None:
    # spread the remaining 153 - k1 steps of receptive field over six later kernels at random
    cuts = sorted(rnd.randint(0, 153 - k1) for _ in range(5))
    extra = [b - a for a, b in zip([0, *cuts], [*cuts, 153 - k1], strict=True)]
    kernels = [k1] + [1 + e for e in extra]
    net = TCN(1278, [128] * 7, kernels, [1, 1, 20])
    assert net.receptive_field == 153
    # first layer k1 * 1278 * 128, later sum(k) * 128 * 128 with sum(k) = 159 - k1, heads 128 * 22
    assert net.macs_per_step() == k1 * 1278 * 128 + (159 - k1) * 128 * 128 + 128 * 22
    assert net.macs_per_step() == 147_200 * k1 + 2_607_872


def _architecture_steps(name: str) -> dict[str, float]:
    return {
        s.name: s.quantity.estimate().median.magnitude
        for s in ba.load_scenario(name).steps
        if s.spec.architecture is not None and s.name.startswith("tcn_flop_per_step_k1_")
    }


@pytest.mark.parametrize("name", ["beniaguev-2021-tcn", "beniaguev-2021-cortex"])
def test_tcn_scenarios_carry_the_authors_convention_splits(name: str) -> None:
    bounds = _architecture_steps(name)
    lo, hi = bounds["tcn_flop_per_step_k1_21"], bounds["tcn_flop_per_step_k1_87"]
    # the splits [k1] + [k] * 6 with T = 153 and later kernels k = 12 .. 23
    splits = [[159 - 6 * k] + [k] * 6 for k in range(12, 24)]
    costs = [TCN(1278, [128] * 7, ks, [1, 1, 20]).flop_per_step() for ks in splits]
    assert min(costs) == lo
    assert max(costs) == hi
    assert L5PC.flop_per_step() in costs  # the third-party [45, 19 x 6] is one of them
    per_step = next(s for s in ba.load_scenario(name).steps if s.name == "tcn_flop_per_step")
    est = per_step.quantity.estimate(20_000, seed=1)
    assert est.median.magnitude == pytest.approx((lo + hi) / 2, rel=0.01)
    q05, q95 = (q.magnitude for q in est.interval(0.9))
    assert q05 == pytest.approx(lo + 0.05 * (hi - lo), rel=0.01)
    assert q95 == pytest.approx(lo + 0.95 * (hi - lo), rel=0.01)


# --------------------------------------------------------------------------- event-driven file


def _draws(scenario: ba.Scenario, name: str, n: int = 2000) -> np.ndarray:
    return np.asarray(scenario.step(name).quantity.sample(n, seed=5).magnitude)


def test_the_event_driven_scenario_is_the_tcn_event_driven_cost() -> None:
    scenario = ba.load_scenario("beniaguev-2021-tcn-event-driven")
    assert scenario.frame == "emulation"
    u = _draws(scenario, "kernel_split")
    e = _draws(scenario, "input_events_per_step")
    flop = _draws(scenario, "event_driven_flop_per_step")
    # an independent closed form: e spikes x k1 x 128 additions + 2 x (later layers + heads)
    k1 = 21 + 66 * u
    expected = e * 128 * k1 + 2 * ((159 - k1) * 128 * 128 + 128 * 22)
    np.testing.assert_allclose(flop, expected, rtol=1e-12)
    # and at integer first kernels it is the TCN class's own event-driven count
    for k in (21, 45, 87):
        net = TCN(1278, [128] * 7, [k] + [(159 - k) // 6] * 6, [1, 1, 20])
        assert net.receptive_field == 153
        assert net.flop_per_step(input_events_per_step=2.5) == pytest.approx(
            2.5 * 128 * k + 2 * ((159 - k) * 128 * 128 + 128 * 22)
        )
    assert e.min() > 0
    assert e.max() < 1278  # inside the event-driven layer's domain (one spike per channel)


def test_event_driven_saves_about_sixfold_over_dense() -> None:
    dense = ba.load_scenario("beniaguev-2021-tcn").estimate(20_000, seed=2).median.magnitude
    sparse = ba.load_scenario("beniaguev-2021-tcn-event-driven").estimate(20_000, seed=2)
    ratio = dense / sparse.median.magnitude
    assert 5 < ratio < 7.5
