"""Operation counts of a causal TCN per output step, one function per evaluation strategy.

Plain arithmetic on a network given as ``layers`` (``(C_in, C_out, kernel)`` per hidden layer,
first layer first) and ``head_macs`` (MAC of all 1x1 heads at one time position); no
validation (:class:`~bioanchors.surrogate.TCN` checks its arguments and then calls these).
One multiply-accumulate (MAC) is 2 FLOP; biases, activations and BatchNorm are not counted.

* :func:`streaming_macs`: cached history, one new position per layer and step;
* :func:`cone_macs`: nothing cached, the causal cone of one output recomputed per step;
* :func:`window_macs`: a whole window recomputed for every step;
* :func:`overlap_size`, :func:`overlapped_macs`: the authors' own evaluation, overlapping
  windows that each yield ``window - overlap`` new outputs;
* :func:`event_driven_flop`: streaming with a first layer that adds kernel slices per input spike.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Sequence
from typing import Final

from bioanchors.errors import InvalidInputError

__all__ = [
    "MAX_OVERLAP",
    "MIN_OVERLAP",
    "OVERLAP_MARGIN",
    "cone_macs",
    "event_driven_flop",
    "overlap_size",
    "overlapped_macs",
    "per_position_macs",
    "streaming_macs",
    "window_macs",
]

Layer = tuple[int, int, int]

MIN_OVERLAP: Final[int] = 150
"""The overlap the authors' evaluation aims for when the receptive field is short (steps)."""
OVERLAP_MARGIN: Final[int] = 50
"""New outputs the authors' rule keeps per window at least, before the receptive field (steps)."""
MAX_OVERLAP: Final[int] = 250
"""The largest overlap the authors' rule allows (steps), whatever the receptive field."""


def per_position_macs(layers: Sequence[Layer], head_macs: int) -> int:
    """MAC of every layer and head at one time position: ``sum k * C_in * C_out + heads``."""
    return sum(k * c_in * c_out for c_in, c_out, k in layers) + head_macs


def streaming_macs(layers: Sequence[Layer], head_macs: int) -> int:
    """Each layer computes only its newest position (earlier activations are cached)."""
    return per_position_macs(layers, head_macs)


def cone_macs(layers: Sequence[Layer], head_macs: int) -> int:
    """Recompute, from the raw input, just the positions one output depends on.

    Walking back from the output, layer ``i`` must produce ``1 + sum_{j > i} (k_j - 1)``
    positions.
    """
    total = head_macs
    positions = 1
    for c_in, c_out, k in reversed(layers):
        total += positions * k * c_in * c_out
        positions += k - 1
    return total


def window_macs(layers: Sequence[Layer], head_macs: int, window: int) -> int:
    """Every layer and head at all ``window`` positions (causal zero padding)."""
    return window * per_position_macs(layers, head_macs)


def overlap_size(receptive_field: int, window: int) -> int:
    """The overlap between consecutive windows in the authors' evaluation code.

    ``min(max(T + 1, min(150, W - 50)), 250)`` with ``T`` the receptive field ("temporal
    extent", ``sum(k_i - 1) + 1``) and ``W`` the window, as in ``evaluate_CNN_test.py``,
    ``evaluate_CNN_valid.py`` and ``main_figure_replication.py`` of SelfishGene/neuron_as_deep_net.

    >>> overlap_size(153, 400), overlap_size(43, 400), overlap_size(300, 400)
    (154, 150, 250)
    """
    return min(max(receptive_field + 1, min(MIN_OVERLAP, window - OVERLAP_MARGIN)), MAX_OVERLAP)


def overlapped_macs(layers: Sequence[Layer], head_macs: int, window: int) -> float:
    """MAC per new output when overlapping windows are evaluated as the authors do.

    Each window of ``W`` steps is run whole (``W`` x the per-position cost) and keeps its last
    ``W - overlap`` outputs; the steady-state cost per output step is the ratio. A window
    that leaves no new output is refused.
    """
    receptive_field = sum(k - 1 for _, _, k in layers) + 1
    overlap = overlap_size(receptive_field, window)
    new = window - overlap
    if new < 1:
        raise InvalidInputError(
            f"TCN window: mode='overlapped' with window={window} and receptive_field="
            f"{receptive_field} overlaps consecutive windows by {overlap} steps, leaving no new "
            "output; expected a window with window - overlap >= 1"
        )
    return window_macs(layers, head_macs, window) / new


def event_driven_flop(layers: Sequence[Layer], head_macs: int, events: float) -> float:
    """Streaming FLOP when each of ``events`` input spikes adds a ``k_1 x C_1`` kernel slice.

    ``events * k_1 * C_1`` additions (1 FLOP each) replace the dense first layer; the rest of
    the network is dense streaming (2 FLOP per MAC). ``events`` must be a real number in
    [0, C_in of the first layer] (at most one spike per binary channel and step).
    """
    c_in, c_out, k = layers[0]
    if (
        isinstance(events, bool)
        or not isinstance(events, numbers.Real)
        or not math.isfinite(float(events))
        or not 0 <= float(events) <= c_in
    ):
        raise InvalidInputError(
            "TCN input_events_per_step: expected a number of input spikes per step in "
            f"[0, inputs = {c_in}] (at most one per binary channel), got {events!r}"
        )
    return float(events) * k * c_out + 2.0 * streaming_macs(layers[1:], head_macs)
