"""Size and per-step cost of deep networks that emulate one biological neuron.

One way to anchor "how much compute does a neuron do?" is to ask how large an artificial
network must be to reproduce a detailed biophysical neuron model's input/output behaviour.
Beniaguev, Segev & London (2021), "Single cortical neurons as deep artificial neural
networks", *Neuron* 109(17):2727-2739 (code: GitHub ``SelfishGene/neuron_as_deep_net``),
trained temporal convolutional networks (TCNs) to predict, millisecond by millisecond, the
somatic spikes, somatic voltage and dendritic voltages of a layer-5 pyramidal cell (L5PC)
driven by 1278 binary synaptic inputs. Their best model of the full cell with NMDA synapses
has 7 layers of 128 channels and a 153 ms receptive field (about 9.2 million parameters and
18 million FLOP per simulated millisecond when run in streaming fashion).

This module describes such networks (:class:`TCN`) and counts

* their trainable parameters (Keras convention, as the authors' Keras code reports them), and
* the multiply-accumulates (MAC) and floating-point operations (FLOP = 2 x MAC) needed to
  produce one output step (1 ms of simulated time), under four evaluation strategies
  (``"streaming"``, ``"cone"``, ``"window"`` and the authors' own ``"overlapped"`` windows;
  see :meth:`TCN.macs_per_step`; the counting itself is in :mod:`._tcn_cost`) and an
  optional event-driven first layer that exploits the sparse binary input.

The architecture, as built by ``create_temporaly_convolutional_model`` in the authors'
``fit_CNN.py``: every hidden layer is a causal ``Conv1D(width, kernel)`` with stride 1,
dilation 1 and a bias, followed by ReLU and BatchNorm; the last hidden layer feeds 1x1
convolution output heads for spike probability (1), somatic voltage (1) and the dendritic
voltage principal components (20 for the NMDA cell, 30 for the AMPA-only cell). Networks were
trained on 400 ms windows and evaluated on overlapping 400 ms windows (``"overlapped"``).

Biases, ReLU and BatchNorm (which folds into an affine map at inference time) cost O(width)
operations per step and are ignored in the FLOP counts; they are < 0.1 % of the total for the
networks here. The module is pure Python and returns plain ``int``/``float`` values.

>>> BENIAGUEV_2021_L5PC.parameters
9234582
>>> BENIAGUEV_2021_L5PC.flop_per_step()
18463744.0
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

import bioanchors.surrogate._tcn_cost as _cost
from bioanchors.errors import InvalidInputError
from bioanchors.surrogate.architecture import (
    DEFAULT_WINDOW,
    MAX_LAYERS,
    MAX_SIZE,
    MODES,
    Architecture,
    ArchitectureStep,
    Heads,
    ImmutableNetwork,
    Layers,
    Mode,
    Size,
    architecture_kind,
    check_mode,
    int_tuple,
    invalid_input,
    positive_int,
)

__all__ = [
    "BENIAGUEV_2021_AMPA",
    "BENIAGUEV_2021_L5PC",
    "DEFAULT_WINDOW",
    "MAX_LAYERS",
    "MAX_SIZE",
    "MODES",
    "TCN",
    "Mode",
    "TCNStep",
]

_FIELDS: Final[tuple[str, ...]] = ("inputs", "widths", "kernels", "heads", "batchnorm")
_REQUIRED: Final[tuple[str, ...]] = ("inputs", "widths", "kernels")


class _TCNShape(BaseModel):
    """The fields of a TCN, their validation and every count; see :class:`TCN`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    inputs: Size = Field(description="input channels (synapses; 1278 for the L5PC data)")
    widths: Layers = Field(description="channels of each hidden causal convolution, first first")
    kernels: Layers = Field(
        description="kernel length in steps (1 ms) of each hidden layer, one per width"
    )
    heads: Heads = Field(
        default=(),
        description="outputs of each 1x1 output head on the last layer (e.g. [1, 1, 20]: "
        "spike, soma voltage, 20 dendritic principal components)",
    )
    batchnorm: bool = Field(
        default=True,
        description="whether each hidden layer has BatchNorm (2 parameters per channel; no FLOP)",
    )

    @model_validator(mode="before")
    @classmethod
    def _validated(cls, data: Any) -> Any:
        """Check the network's fields, in order, with messages naming the field and value."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        if "inputs" in out:
            out["inputs"] = positive_int(
                "TCN", "inputs", out["inputs"], "a positive int number of input channels"
            )
        for key, allow_empty in (("widths", False), ("kernels", False), ("heads", True)):
            if key in out:
                out[key] = int_tuple("TCN", key, out[key], allow_empty=allow_empty)
        if "widths" in out and "kernels" in out and len(out["kernels"]) != len(out["widths"]):
            raise InvalidInputError(
                f"TCN kernels: expected one kernel size per layer ({len(out['widths'])} widths), "
                f"got {len(out['kernels'])} kernels"
            )
        if "batchnorm" in out and not isinstance(out["batchnorm"], bool):
            raise InvalidInputError(f"TCN batchnorm: expected a bool, got {out['batchnorm']!r}")
        return out

    # ------------------------------------------------------------------ structure

    @property
    def hidden_units(self) -> int:
        """Total channels over the hidden layers, ``sum(widths)`` (heads not included).

        >>> BENIAGUEV_2021_L5PC.hidden_units
        896
        """
        return sum(self.widths)

    @property
    def receptive_field(self) -> int:
        """Steps of input history one output depends on: ``sum(k_i - 1) + 1``.

        This is the ``T`` of the authors' ``DxWxT`` model names (153 ms for the L5PC model).

        >>> BENIAGUEV_2021_L5PC.receptive_field
        153
        """
        return sum(k - 1 for k in self.kernels) + 1

    @property
    def parameters(self) -> int:
        """Trainable parameters, counted as Keras does.

        Each hidden layer contributes ``k * C_in * C_out`` weights plus ``C_out`` biases, and
        ``2 * C_out`` BatchNorm parameters (gamma, beta) if ``batchnorm``; BatchNorm's moving
        mean and variance are not trainable and not counted. Each head contributes
        ``C_last * o + o``.

        >>> BENIAGUEV_2021_L5PC.parameters
        9234582
        """
        total = 0
        for c_in, c_out, k in self._layers():
            total += k * c_in * c_out + c_out
            if self.batchnorm:
                total += 2 * c_out
        c_last = self.widths[-1]
        total += sum(c_last * o + o for o in self.heads)
        return total

    def _layers(self) -> list[tuple[int, int, int]]:
        """``(C_in, C_out, kernel)`` for each hidden layer."""
        c_ins = (self.inputs, *self.widths[:-1])
        return list(zip(c_ins, self.widths, self.kernels, strict=True))

    def _head_macs(self) -> int:
        """MAC of all heads at one time position."""
        return self.widths[-1] * sum(self.heads)

    # ------------------------------------------------------------------ cost per step

    def macs_per_step(self, mode: Mode = "streaming", window: int | None = None) -> int | float:
        """Multiply-accumulates (MAC) to produce one output step (all heads).

        ``mode`` selects how the network is run on an unbounded input stream:

        ``"streaming"``
            Activations of earlier steps are cached; each layer computes only its newest
            output position: ``sum_i k_i * C_in_i * C_out_i + sum_heads C_last * o``.
            The cheapest exact evaluation.
        ``"cone"``
            Nothing is cached; every step recomputes from the raw input just the positions
            its one output depends on (its causal cone). Layer ``i`` of ``L`` must produce
            ``p_i = 1 + sum_{j > i} (k_j - 1)`` positions, so the cost is
            ``sum_i p_i * k_i * C_in_i * C_out_i`` plus the heads at one position.
        ``"window"``
            The most wasteful way to run the trained network: the whole window of ``window``
            steps (default :data:`DEFAULT_WINDOW` = 400) is recomputed for every single output
            step, every layer and head at all ``window`` positions (causal padding), i.e.
            ``window`` x the streaming cost. ``window`` must be >= :attr:`receptive_field`.
            An upper bound, not what the authors did.
        ``"overlapped"``
            As the authors evaluate the network (``evaluate_CNN_test.py``,
            ``evaluate_CNN_valid.py`` and ``main_figure_replication.py`` of
            SelfishGene/neuron_as_deep_net): the input is cut into windows of ``W = window``
            steps (default 400, the training window) that overlap by
            ``min(max(T + 1, min(150, W - 50)), 250)`` steps (``T`` = :attr:`receptive_field`);
            each window is run whole (``W`` x the per-position cost) and keeps its last
            ``W - overlap`` outputs, so one output step costs ``W / (W - overlap)`` x
            streaming (steady state; the first window keeps all ``W``). A float. ``window``
            must be >= the receptive field and leave at least one new output.

        Biases, ReLU and BatchNorm are not counted (O(width) per step).

        >>> BENIAGUEV_2021_L5PC.macs_per_step()
        9231872
        >>> BENIAGUEV_2021_L5PC.macs_per_step(mode="cone")
        888300032
        >>> BENIAGUEV_2021_L5PC.macs_per_step(mode="window", window=400)
        3692748800
        >>> round(BENIAGUEV_2021_L5PC.macs_per_step(mode="overlapped", window=400))  # 400 / 246
        15011174
        """
        rf = self.receptive_field
        w = check_mode("TCN", mode, window, rf, supported=MODES)
        layers = self._layers()
        heads = self._head_macs()
        if mode == "streaming":
            return _cost.streaming_macs(layers, heads)
        if mode == "window":
            return _cost.window_macs(layers, heads, w)
        if mode == "overlapped":
            return _cost.overlapped_macs(layers, heads, w)
        return _cost.cone_macs(layers, heads)

    def flop_per_step(
        self,
        mode: Mode = "streaming",
        window: int | None = None,
        input_events_per_step: float | None = None,
    ) -> float:
        """Floating-point operations to produce one output step, FLOP = 2 x MAC.

        ``mode`` and ``window`` are as in :meth:`macs_per_step`.

        Event-driven first layer: with ``input_events_per_step=e`` (mean number of input
        spikes per step over all ``inputs`` channels; only with ``mode="streaming"``) the
        first layer exploits that its input is binary and sparse. Each input spike adds the
        corresponding ``k_1 x C_1`` slice of the first-layer kernel into the running
        pre-activations of the next ``k_1`` output positions, costing ``k_1 * C_1`` additions
        (1 FLOP each, no multiplication) instead of the dense ``k_1 * C_in * C_1`` MAC. The rest
        of the network is dense streaming as usual (2 FLOP per MAC)::

            flop = e * k_1 * C_1 + 2 * (MAC of layers 2..L + heads)

        Biases, ReLU and BatchNorm are not counted (O(width) per step).

        >>> BENIAGUEV_2021_L5PC.flop_per_step()
        18463744.0
        >>> BENIAGUEV_2021_L5PC.flop_per_step(mode="window", window=400)
        7385497600.0
        >>> round(BENIAGUEV_2021_L5PC.flop_per_step(mode="overlapped", window=400))
        30022348
        >>> BENIAGUEV_2021_L5PC.flop_per_step(input_events_per_step=14.0)
        3821824.0
        """
        macs = self.macs_per_step(mode=mode, window=window)
        if input_events_per_step is None:
            return float(2 * macs)
        if mode != "streaming":
            raise InvalidInputError(
                "TCN input_events_per_step: the event-driven first layer is only defined for "
                f"mode='streaming', got mode={mode!r}"
            )
        return _cost.event_driven_flop(self._layers(), self._head_macs(), input_events_per_step)


class TCN(ImmutableNetwork, _TCNShape):
    """A causal temporal convolutional network with 1x1 output heads.

    Parameters
    ----------
    inputs:
        Number of input channels (1278 binary synapse channels in Beniaguev et al. 2021).
    widths:
        Output channels (filters) of each hidden ``Conv1D`` layer, first layer first.
    kernels:
        Temporal kernel size (steps) of each hidden layer; one per entry of ``widths``.
    heads:
        Output channels of each 1x1 convolution head reading the last hidden layer
        (``(1, 1, 20)``: spike, soma voltage, 20 dendritic-voltage principal components).
        May be empty.
    batchnorm:
        Whether each hidden layer is followed by BatchNorm (adds 2 trainable parameters per
        channel; no FLOP counted).

    A validated, immutable model (pydantic): sequences are stored as tuples, instances are
    hashable, and assigning a field raises ``AttributeError``. Invalid values raise
    :class:`~bioanchors.errors.InvalidInputError` (a ``ValueError``) naming the argument, the
    value and the allowed range: sizes are ints in [1, :data:`MAX_SIZE`] (1e9), at most
    :data:`MAX_LAYERS` layers and heads, so every count is finite as a float. It implements
    the :class:`~bioanchors.surrogate.architecture.Architecture` protocol.

    >>> net = TCN(inputs=4, widths=[3, 2], kernels=[5, 3], heads=[1])
    >>> net.widths, net.receptive_field, net.hidden_units
    ((3, 2), 7, 5)
    """

    def __init__(
        self,
        inputs: int,
        widths: Sequence[int],
        kernels: Sequence[int],
        heads: Sequence[int] = (),
        batchnorm: bool = True,
    ) -> None:
        try:
            super().__init__(
                inputs=inputs, widths=widths, kernels=kernels, heads=heads, batchnorm=batchnorm
            )
        except ValidationError as error:
            raise invalid_input("TCN", error) from None

    # ------------------------------------------------------------------ construction

    @classmethod
    def from_dict(cls, mapping: Mapping[str, Any]) -> TCN:
        """Build a :class:`TCN` from a mapping with keys ``inputs``, ``widths``, ``kernels``
        and optionally ``heads`` (default none) and ``batchnorm`` (default ``True``).

        Unknown or missing keys raise :class:`~bioanchors.errors.InvalidInputError`.

        >>> TCN.from_dict({"inputs": 2, "widths": [4], "kernels": [3]}).parameters
        36
        """
        if not isinstance(mapping, Mapping):
            raise InvalidInputError(
                f"TCN.from_dict: expected a mapping, got {type(mapping).__name__}"
            )
        unknown = sorted(str(key) for key in mapping if key not in _FIELDS)
        if unknown:
            raise InvalidInputError(
                f"TCN.from_dict: unknown keys {unknown}; expected keys among {list(_FIELDS)}"
            )
        missing = [key for key in _REQUIRED if key not in mapping]
        if missing:
            raise InvalidInputError(f"TCN.from_dict: missing required keys {missing}")
        return cls(
            inputs=mapping["inputs"],
            widths=mapping["widths"],
            kernels=mapping["kernels"],
            heads=mapping.get("heads", ()),
            batchnorm=mapping.get("batchnorm", True),
        )

    def to_dict(self) -> dict[str, Any]:
        """Return the fields as a plain dict (lists for sequences); inverse of :meth:`from_dict`.

        >>> TCN(2, [4], [3]).to_dict()
        {'inputs': 2, 'widths': [4], 'kernels': [3], 'heads': [], 'batchnorm': True}
        """
        return {
            "inputs": self.inputs,
            "widths": list(self.widths),
            "kernels": list(self.kernels),
            "heads": list(self.heads),
            "batchnorm": self.batchnorm,
        }


@architecture_kind("tcn")
class TCNStep(_TCNShape, ArchitectureStep):
    """A TCN in a scenario file: ``architecture = { kind = "tcn", inputs = ..., ... }``."""

    kind: Literal["tcn"] = Field(
        default="tcn",
        description="a temporal convolutional network (Beniaguev, Segev & London 2021)",
    )

    def network(self) -> Architecture:
        return TCN(self.inputs, self.widths, self.kernels, self.heads, batchnorm=self.batchnorm)


BENIAGUEV_2021_L5PC: Final[TCN] = TCN(1278, (128,) * 7, (45, 19, 19, 19, 19, 19, 19), (1, 1, 20))
"""Best full-L5PC (NMDA synapses) surrogate of Beniaguev, Segev & London (2021).

Model ``NMDA_TCN__DxWxT_7x128x153`` (depth 7, width 128, 153 ms receptive field), the NMDA model
used in the authors' ``main_figure_replication.py``. Heads: spike (1), soma voltage (1),
20 dendritic-voltage principal components. The per-layer kernels ``[45, 19 x 6]`` are not
stated by the authors (they give depth x width x temporal extent only); they are chosen
because they give exactly the 153 ms receptive field, as a third-party fork of the code uses.
With every layer 128 wide, the streaming cost depends on the split only through the first
kernel ``k_1`` (``147200 * k_1 + 2607872`` MAC); the bundled TCN scenarios carry ``k_1``
uniform on 22-54 instead of this point (see ``data/scenarios/beniaguev-2021-tcn.toml``).
"""

BENIAGUEV_2021_AMPA: Final[TCN] = TCN(1278, (128,), (43,), (1, 1, 30))
"""AMPA-only L5PC surrogate ``AMPA_FCN__DxWxT_1x128x43`` of Beniaguev et al. (2021).

One hidden layer of 128 channels with a 43 ms kernel; the AMPA-only cell has 30
dendritic-voltage principal-component heads (plus spike and soma voltage).
"""
