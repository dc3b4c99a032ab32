"""Tests for :mod:`bioanchors.surrogate` (deep-net surrogates of single neurons)."""

from __future__ import annotations

import math
import random
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.surrogate import (
    BENIAGUEV_2021_AMPA,
    BENIAGUEV_2021_L5PC,
    DEFAULT_WINDOW,
    MODES,
    TCN,
    Architecture,
)

L5PC = BENIAGUEV_2021_L5PC

# --------------------------------------------------------------------------- golden numbers


def test_l5pc_golden_numbers() -> None:
    assert L5PC.parameters == 9_234_582
    assert L5PC.receptive_field == 153
    assert L5PC.macs_per_step(mode="streaming") == 9_231_872
    assert L5PC.macs_per_step() == 9_231_872
    assert L5PC.flop_per_step() == 18_463_744
    assert isinstance(L5PC.flop_per_step(), float)
    assert isinstance(L5PC.macs_per_step(), int)
    assert isinstance(L5PC.parameters, int)
    assert L5PC.hidden_units == 896


def test_l5pc_cone_and_window_numbers() -> None:
    # cone: layer i computes p_i = 1 + 18 * (7 - i) positions, i = 1..7
    first = 45 * 1278 * 128
    rest = 19 * 128 * 128
    heads = 128 * 22
    cone = 109 * first + (91 + 73 + 55 + 37 + 19 + 1) * rest + heads
    assert cone == 888_300_032
    assert L5PC.macs_per_step(mode="cone") == cone
    assert L5PC.flop_per_step(mode="cone") == 2 * cone
    assert L5PC.macs_per_step(mode="window") == 400 * 9_231_872 == 3_692_748_800
    assert L5PC.flop_per_step(mode="window", window=400) == 7_385_497_600
    assert L5PC.flop_per_step(mode="window", window=153) == 153 * 18_463_744


def test_l5pc_event_driven_first_layer() -> None:
    e = 14.0
    expected = e * 45 * 128 + 2 * (6 * 19 * 128 * 128 + 128 * 22)
    assert L5PC.flop_per_step(mode="streaming", input_events_per_step=e) == expected == 3_821_824
    assert L5PC.flop_per_step(input_events_per_step=0.0) == 2 * (6 * 19 * 128 * 128 + 128 * 22)


def test_ampa_constant() -> None:
    a = BENIAGUEV_2021_AMPA
    assert a.receptive_field == 43
    assert a.hidden_units == 128
    assert a.parameters == 43 * 1278 * 128 + 128 + 2 * 128 + 2 * 129 + (128 * 30 + 30)
    assert a.macs_per_step() == 43 * 1278 * 128 + 128 * 32
    # a single layer has no caching to exploit: the cone is the streaming step
    assert a.macs_per_step(mode="cone") == a.macs_per_step()


@pytest.mark.parametrize(
    ("net", "name"),
    [(BENIAGUEV_2021_L5PC, "7x128x153"), (BENIAGUEV_2021_AMPA, "1x128x43")],
)
def test_constants_match_author_model_names(net: TCN, name: str) -> None:
    # authors' naming: DxWxT = depth x int(mean width) x (sum(k - 1) + 1)
    depth = len(net.widths)
    width = int(sum(net.widths) / depth)
    assert f"{depth}x{width}x{net.receptive_field}" == name
    assert net.inputs == 2 * 639
    assert net.batchnorm


# --------------------------------------------------------------------------- hand-counted net

TINY = TCN(inputs=2, widths=[3, 4], kernels=[3, 2], heads=[1, 2])


def test_tiny_network_by_hand() -> None:
    # layer 1: 3*2*3 weights + 3 bias + 6 BN; layer 2: 2*3*4 + 4 + 8 BN; heads 4*1+1, 4*2+2
    assert TINY.parameters == 21 + 6 + 28 + 8 + 5 + 10 == 78
    assert TCN(2, [3, 4], [3, 2], [1, 2], batchnorm=False).parameters == 64
    assert TINY.receptive_field == 4
    assert TINY.hidden_units == 7
    # streaming: 18 + 24 + heads 4*3
    assert TINY.macs_per_step() == 54
    # cone: layer 2 at 1 position (24), layer 1 at 2 positions (2*18), heads 12
    assert TINY.macs_per_step(mode="cone") == 72
    assert TINY.macs_per_step(mode="window", window=5) == 270
    assert TINY.flop_per_step(mode="window", window=5) == 540.0
    # event-driven: 2 spikes * 3 (k1) * 3 (C1) additions + 2 * (24 + 12)
    assert TINY.flop_per_step(input_events_per_step=2.0) == 18 + 72
    assert TINY.flop_per_step(input_events_per_step=0.5) == 4.5 + 72


def test_no_heads() -> None:
    net = TCN(3, [2], [4])
    assert net.heads == ()
    assert net.parameters == 4 * 3 * 2 + 2 + 4
    assert net.macs_per_step() == 24


# --------------------------------------------------------------------------- brute-force references
# These are written independently of the module: they simulate which (layer, position) outputs
# get computed, or literally run the convolutions with an operation counter.


def _layer_shapes(net: TCN) -> list[tuple[int, int, int]]:
    shapes = []
    c_in = net.inputs
    for c_out, k in zip(net.widths, net.kernels, strict=True):
        shapes.append((c_in, c_out, k))
        c_in = c_out
    return shapes


def ref_cone_macs(net: TCN) -> int:
    """Compute one output from scratch: collect the set of positions each layer needs."""
    shapes = _layer_shapes(net)
    needed = {0}
    macs = net.widths[-1] * sum(net.heads)
    for c_in, c_out, k in reversed(shapes):
        macs += len(needed) * k * c_in * c_out
        needed = {q for p in needed for q in range(p - k + 1, p + 1)}
    return macs


def ref_cached_macs(net: TCN, times: list[int]) -> int:
    """Produce the outputs at ``times`` in order, caching every computed activation (causal zero
    padding before t = 0); return the MAC spent on the last of them."""
    shapes = _layer_shapes(net)
    computed: list[set[int]] = [set() for _ in shapes]
    count = 0

    def ensure(layer: int, pos: int) -> None:
        nonlocal count
        if pos < 0 or pos in computed[layer]:
            return  # zero padding, or cached
        c_in, c_out, k = shapes[layer]
        if layer > 0:
            for q in range(pos - k + 1, pos + 1):
                ensure(layer - 1, q)
        count += k * c_in * c_out
        computed[layer].add(pos)

    last = 0
    for t in times:
        count = 0
        ensure(len(shapes) - 1, t)
        count += net.widths[-1] * sum(net.heads)
        last = count
    return last


def ref_streaming_macs(net: TCN, steps: int) -> int:
    """Steady-state cost of one step when outputs 0 .. steps-1 are produced in order."""
    return ref_cached_macs(net, list(range(steps)))


def ref_cold_macs(net: TCN) -> int:
    """Cost of one output far from the start with nothing cached (the causal cone)."""
    return ref_cached_macs(net, [2 * net.receptive_field])


Matrix = list[list[float]]


def _random_weights(net: TCN, rng: random.Random) -> list[list[list[list[float]]]]:
    """weights[layer][j][c_out][c_in] for kernel tap j (tap 0 = oldest input)."""
    return [
        [[[rng.uniform(-1, 1) for _ in range(c_in)] for _ in range(c_out)] for _ in range(k)]
        for c_in, c_out, k in _layer_shapes(net)
    ]


def _counting_causal_conv(x: Matrix, w: list[list[list[float]]], counter: list[int]) -> Matrix:
    """Keras 'causal' Conv1D (no bias) on x[t][c]; counts every multiplication."""
    k = len(w)
    c_out = len(w[0])
    out: Matrix = []
    for t in range(len(x)):
        row = [0.0] * c_out
        for j in range(k):
            src = t - (k - 1) + j
            xs = x[src] if src >= 0 else [0.0] * len(x[0])  # zero padding is multiplied too
            for o in range(c_out):
                for c, xv in enumerate(xs):
                    row[o] += w[j][o][c] * xv
                    counter[0] += 1
        out.append(row)
    return out


def ref_window_macs(net: TCN, window: int, seed: int = 0) -> int:
    """Literally run the network on one window of random input, counting multiplications."""
    rng = random.Random(seed)
    weights = _random_weights(net, rng)
    counter = [0]
    x: Matrix = [[float(rng.random() < 0.3) for _ in range(net.inputs)] for _ in range(window)]
    for w in weights:
        x = [[max(v, 0.0) for v in row] for row in _counting_causal_conv(x, w, counter)]
    for o in net.heads:
        head_w = [[[rng.uniform(-1, 1) for _ in range(len(x[0]))] for _ in range(o)]]
        _counting_causal_conv(x, head_w, counter)
    return counter[0]


@pytest.mark.parametrize(
    "net",
    [
        TINY,
        TCN(3, [2, 2, 3], [2, 3, 1], [1]),
        TCN(1, [1], [1], []),
        TCN(2, [2, 1, 2, 1], [4, 2, 2, 3], [2, 1, 1]),
    ],
)
def test_modes_against_brute_force(net: TCN) -> None:
    assert net.macs_per_step(mode="cone") == ref_cone_macs(net) == ref_cold_macs(net)
    steps = 3 * net.receptive_field + 2
    assert net.macs_per_step(mode="streaming") == ref_streaming_macs(net, steps)
    for window in (net.receptive_field, net.receptive_field + 3):
        assert net.macs_per_step(mode="window", window=window) == ref_window_macs(net, window)


def test_cone_equals_cold_start() -> None:
    net = TCN(2, [3, 2, 2], [3, 4, 2], [1, 1])
    assert net.macs_per_step(mode="cone") == ref_cold_macs(net) == ref_cone_macs(net)
    assert L5PC.macs_per_step(mode="cone") == ref_cold_macs(L5PC)
    assert L5PC.macs_per_step() == ref_streaming_macs(L5PC, 200)


def test_event_driven_first_layer_literal() -> None:
    """Accumulating kernel slices per input spike reproduces the dense first layer and costs
    k1 * C1 additions per spike."""
    rng = random.Random(1)
    net = TCN(5, [3, 2], [4, 2], [1])
    steps = 60
    w1 = _random_weights(net, rng)[0]  # [tap][c_out][c_in]
    k1, c1 = net.kernels[0], net.widths[0]
    x = [[float(rng.random() < 0.2) for _ in range(net.inputs)] for _ in range(steps)]

    dense = _counting_causal_conv(x, w1, [0])

    acc = [[0.0] * c1 for _ in range(steps + k1)]  # running pre-activations, incl. future
    additions = 0
    n_spikes = 0
    for t, row in enumerate(x):
        for c, spike in enumerate(row):
            if spike:
                n_spikes += 1
                for j in range(k1):  # the spike reaches outputs t .. t + k1 - 1
                    tap = k1 - 1 - j
                    for o in range(c1):
                        acc[t + j][o] += w1[tap][o][c]
                        additions += 1
    for t in range(steps):
        assert acc[t] == pytest.approx(dense[t])
    assert additions == n_spikes * k1 * c1

    e = n_spikes / steps
    rest_flop = 2 * (net.macs_per_step() - k1 * net.inputs * c1)
    assert net.flop_per_step(input_events_per_step=e) == pytest.approx(
        additions / steps + rest_flop
    )


# --------------------------------------------------------------------------- properties


@st.composite
def tcns(draw: st.DrawFn, max_kernel: int = 6) -> TCN:
    depth = draw(st.integers(1, 4))
    return TCN(
        inputs=draw(st.integers(1, 8)),
        widths=draw(st.lists(st.integers(1, 8), min_size=depth, max_size=depth)),
        kernels=draw(st.lists(st.integers(1, max_kernel), min_size=depth, max_size=depth)),
        heads=draw(st.lists(st.integers(1, 5), max_size=3)),
        batchnorm=draw(st.booleans()),
    )


@settings(deadline=None, max_examples=100)
@given(tcns())
def test_cone_at_least_streaming(net: TCN) -> None:
    assert net.macs_per_step(mode="cone") >= net.macs_per_step(mode="streaming")
    if any(k > 1 for k in net.kernels[1:]):
        assert net.macs_per_step(mode="cone") > net.macs_per_step(mode="streaming")


@settings(deadline=None, max_examples=50)
@given(tcns(max_kernel=1))
def test_cone_equals_streaming_for_pointwise_kernels(net: TCN) -> None:
    assert net.receptive_field == 1
    assert net.macs_per_step(mode="cone") == net.macs_per_step(mode="streaming")


@settings(deadline=None, max_examples=100)
@given(tcns(), st.integers(0, 50))
def test_window_is_w_times_streaming(net: TCN, extra: int) -> None:
    window = net.receptive_field + extra
    streaming = net.macs_per_step()
    assert net.macs_per_step(mode="window", window=window) == window * streaming
    assert net.flop_per_step(mode="window", window=window) == 2 * window * streaming


@settings(deadline=None, max_examples=100)
@given(tcns())
def test_flop_is_twice_mac(net: TCN) -> None:
    for mode in ("streaming", "cone"):
        assert net.flop_per_step(mode=mode) == 2 * net.macs_per_step(mode=mode)
    if net.receptive_field <= DEFAULT_WINDOW:
        assert net.flop_per_step(mode="window") == 2 * DEFAULT_WINDOW * net.macs_per_step()


@settings(deadline=None, max_examples=100)
@given(tcns(), st.data())
def test_parameters_grow_with_width(net: TCN, data: st.DataObject) -> None:
    i = data.draw(st.integers(0, len(net.widths) - 1))
    wider = list(net.widths)
    wider[i] += data.draw(st.integers(1, 4))
    bigger = TCN(net.inputs, wider, net.kernels, net.heads, net.batchnorm)
    assert bigger.parameters > net.parameters
    assert bigger.macs_per_step() > net.macs_per_step()
    more_inputs = TCN(net.inputs + 1, net.widths, net.kernels, net.heads, net.batchnorm)
    assert more_inputs.parameters > net.parameters


@settings(deadline=None, max_examples=100)
@given(tcns())
def test_receptive_field_formula(net: TCN) -> None:
    assert net.receptive_field == sum(net.kernels) - len(net.kernels) + 1
    # the output at time t depends on input t - (rf - 1) .. t: one input step per kernel tap
    needed = {0}
    for k in reversed(net.kernels):
        needed = {q for p in needed for q in range(p - k + 1, p + 1)}
    assert len(needed) == net.receptive_field


@settings(deadline=None, max_examples=50)
@given(tcns(max_kernel=4))
def test_modes_match_references_property(net: TCN) -> None:
    assert net.macs_per_step(mode="cone") == ref_cone_macs(net) == ref_cold_macs(net)
    assert net.macs_per_step() == ref_streaming_macs(net, 2 * net.receptive_field + 1)


@settings(deadline=None, max_examples=100)
@given(tcns(), st.floats(0, 1, allow_nan=False), st.floats(0, 1, allow_nan=False))
def test_event_driven_monotone_and_affine(net: TCN, e1: float, e2: float) -> None:
    # at most one spike per binary input channel and step
    lo, hi = sorted((e1 * net.inputs, e2 * net.inputs))
    f_lo = net.flop_per_step(input_events_per_step=lo)
    f_hi = net.flop_per_step(input_events_per_step=hi)
    assert f_lo <= f_hi
    assert f_lo <= net.flop_per_step()
    k1, c1 = net.kernels[0], net.widths[0]
    base = net.flop_per_step(input_events_per_step=0.0)
    assert base == net.flop_per_step() - 2 * k1 * net.inputs * c1
    assert f_hi == pytest.approx(base + hi * k1 * c1)


@settings(deadline=None, max_examples=100)
@given(tcns())
def test_dict_round_trip_and_hash(net: TCN) -> None:
    again = TCN.from_dict(net.to_dict())
    assert again == net
    assert hash(again) == hash(net)
    assert isinstance(net.widths, tuple)
    assert isinstance(net.kernels, tuple)
    assert isinstance(net.heads, tuple)


# --------------------------------------------------------------------------- construction


def test_lists_stored_as_tuples_and_frozen() -> None:
    net = TCN(inputs=1278, widths=[128] * 7, kernels=[45, 19, 19, 19, 19, 19, 19], heads=[1, 1, 20])
    assert net == L5PC
    assert hash(net) == hash(L5PC)
    assert net.widths == (128,) * 7
    assert {net, L5PC} == {L5PC}
    with pytest.raises(AttributeError):
        net.inputs = 3  # type: ignore[misc]


def test_tcn_is_an_architecture() -> None:
    assert isinstance(L5PC, Architecture)
    assert isinstance(TCN(2, [3], [2]), Architecture)
    assert not isinstance(object(), Architecture)


def test_from_dict() -> None:
    net = TCN.from_dict(
        {
            "inputs": 1278,
            "widths": [128] * 7,
            "kernels": [45] + [19] * 6,
            "heads": [1, 1, 20],
            "batchnorm": True,
        }
    )
    assert net == L5PC
    assert TCN.from_dict({"inputs": 2, "widths": [3], "kernels": [2]}) == TCN(2, [3], [2])


def test_from_dict_unknown_keys() -> None:
    with pytest.raises(ValueError, match=r"unknown keys.*'depth'.*'kind'"):
        TCN.from_dict({"inputs": 2, "widths": [3], "kernels": [2], "kind": "tcn", "depth": 1})


def test_from_dict_missing_keys() -> None:
    with pytest.raises(ValueError, match=r"missing required keys.*'kernels'"):
        TCN.from_dict({"inputs": 2, "widths": [3]})


def test_from_dict_not_a_mapping() -> None:
    with pytest.raises(ValueError, match="mapping"):
        TCN.from_dict([("inputs", 2)])  # type: ignore[arg-type]


_BAD: list[tuple[Callable[[], object], str]] = [
    (lambda: TCN(0, [1], [1]), r"inputs.*0"),
    (lambda: TCN(-3, [1], [1]), r"inputs.*-3"),
    (lambda: TCN(2.0, [1], [1]), r"inputs.*2\.0"),  # type: ignore[arg-type]
    (lambda: TCN(True, [1], [1]), r"inputs.*True"),
    (lambda: TCN(2, [], []), r"widths.*at least one layer"),
    (lambda: TCN(2, [3, 0], [1, 1]), r"widths.*0 at index 1"),
    (lambda: TCN(2, [3], [1.5]), r"kernels.*1\.5"),  # type: ignore[list-item]
    (lambda: TCN(2, "abc", [1]), r"widths.*sequence.*'abc'"),  # type: ignore[arg-type]
    (lambda: TCN(2, 3, [1]), r"widths.*sequence.*int"),  # type: ignore[arg-type]
    (lambda: TCN(2, [3], [1], [0]), r"heads.*0 at index 0"),
    (lambda: TCN(2, [3], [1], batchnorm=1), r"batchnorm.*bool.*1"),  # type: ignore[arg-type]
    (
        lambda: TCN(2, [128] * 7, [45] + [19] * 5),
        r"TCN kernels: expected one kernel size per layer \(7 widths\), got 6 kernels",
    ),
]


@pytest.mark.parametrize(("make", "message"), _BAD)
def test_invalid_construction(make: Callable[[], object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        make()


def test_numpy_like_integers_accepted() -> None:
    np = pytest.importorskip("numpy")
    net = TCN(np.int64(2), [np.int32(3)], (np.int64(2),))
    assert net == TCN(2, [3], [2])
    assert type(net.inputs) is int
    assert type(net.widths[0]) is int


# --------------------------------------------------------------------------- argument errors


def test_unknown_mode() -> None:
    with pytest.raises(ValueError, match=r"mode.*'streaming', 'cone', 'window'.*'batch'"):
        L5PC.flop_per_step(mode="batch")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="mode"):
        L5PC.macs_per_step(mode="Streaming")  # type: ignore[arg-type]
    assert MODES == ("streaming", "cone", "window", "overlapped")


@pytest.mark.parametrize("window", [0, -1, 152, 1])
def test_bad_window(window: int) -> None:
    with pytest.raises(ValueError, match=rf"window.*{window}"):
        L5PC.flop_per_step(mode="window", window=window)


def test_window_below_receptive_field_message() -> None:
    with pytest.raises(ValueError, match=r"receptive_field \(153 steps\)"):
        L5PC.macs_per_step(mode="window", window=100)


def test_window_default_and_type() -> None:
    assert L5PC.macs_per_step(mode="window") == DEFAULT_WINDOW * L5PC.macs_per_step()
    assert DEFAULT_WINDOW == 400
    with pytest.raises(ValueError, match="window"):
        L5PC.macs_per_step(mode="window", window=400.0)  # type: ignore[arg-type]


def test_window_only_with_window_mode() -> None:
    with pytest.raises(ValueError, match=r"window.*mode='window'"):
        L5PC.flop_per_step(mode="streaming", window=400)


@pytest.mark.parametrize("e", [-1.0, math.nan, math.inf, -math.inf])
def test_bad_input_events(e: float) -> None:
    with pytest.raises(ValueError, match="input_events_per_step"):
        L5PC.flop_per_step(input_events_per_step=e)


@pytest.mark.parametrize("mode", ["cone", "window"])
def test_input_events_only_streaming(mode: str) -> None:
    with pytest.raises(ValueError, match=r"input_events_per_step.*streaming"):
        L5PC.flop_per_step(mode=mode, input_events_per_step=1.0)  # type: ignore[arg-type]
