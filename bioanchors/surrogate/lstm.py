"""A stacked LSTM with dense output heads, the recurrent baseline of the surrogate literature.

Spieler et al. (2024) set their ELM neuron beside LSTM baselines fitted to the NeuronIO data of
Beniaguev, Segev & London (2021), whose own released code (``SelfishGene/neuron_as_deep_net``)
holds TCNs only. This module counts an LSTM's size and cost per step in the Keras convention
(``LSTMCell.build``: a kernel ``(n, 4u)``, a recurrent kernel ``(u, 4u)`` and a bias ``(4u)``),
layer by layer:

* parameters of a layer with ``u`` units reading ``n`` inputs: ``4 * (u * (n + u) + u)`` (the
  input, forget, cell and output gates each have an ``n x u`` kernel, a ``u x u`` recurrent
  kernel and ``u`` biases); a dense head of ``o`` outputs on the last layer adds ``u * o + o``.
  PyTorch's ``nn.LSTM`` has two bias vectors, ``4 * u`` more per layer (not counted here).
* MAC per step: ``4 * u * (n + u)`` for the gate pre-activations, ``u`` for the cell update
  ``c = f * c + i * g`` (one multiply-add per unit), and ``u * o`` per head;
* 1 FLOP each: the ``4 * u`` gate biases, the ``u`` products ``f * c``, the ``u`` products
  ``o * tanh(c)``, and each head's ``o`` biases;
* not counted: the nonlinearities, ``3 * u`` sigmoids and ``2 * u`` tanh per layer
  (:attr:`LSTM.nonlinearities_per_step`).

FLOP = 2 x MAC + the single operations. An LSTM is stateful: see
:mod:`bioanchors.surrogate.stateful` for its modes.

>>> LSTM(inputs=1278, units=[64], heads=[2]).parameters  # 4 * (64 * 1342 + 64) + 64 * 2 + 2
343938
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bioanchors.surrogate.architecture import (
    Architecture,
    ArchitectureStep,
    Heads,
    ImmutableNetwork,
    Layers,
    Mode,
    Size,
    architecture_kind,
    int_tuple,
    invalid_input,
    positive_int,
)
from bioanchors.surrogate.stateful import (
    STATEFUL_RECEPTIVE_FIELD,
    StatefulMode,
    stateful_steps,
)

__all__ = ["LSTM", "LSTMStep"]


class _LSTMShape(BaseModel):
    """The fields of a stacked LSTM and every count; see :class:`LSTM`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    inputs: Size = Field(description="input channels (synapses)")
    units: Layers = Field(description="units of each stacked LSTM layer, first layer first")
    heads: Heads = Field(
        default=(), description="outputs of each dense head on the last layer, at every step"
    )

    @model_validator(mode="before")
    @classmethod
    def _validated(cls, data: Any) -> Any:
        """Check the fields with messages naming the field and value."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        if "inputs" in out:
            out["inputs"] = positive_int("LSTM", "inputs", out["inputs"])
        for key, allow_empty in (("units", False), ("heads", True)):
            if key in out:
                out[key] = int_tuple("LSTM", key, out[key], allow_empty=allow_empty)
        return out

    @property
    def receptive_field(self) -> int:
        """1: one input step per output step; the history is in the cell state."""
        return STATEFUL_RECEPTIVE_FIELD

    def _layers(self) -> list[tuple[int, int]]:
        """``(inputs, units)`` of each LSTM layer."""
        return list(zip((self.inputs, *self.units[:-1]), self.units, strict=True))

    @property
    def parameters(self) -> int:
        """Trainable parameters, counted as Keras does (one bias vector per gate).

        >>> LSTM(inputs=3, units=[2]).parameters  # 4 * (2 * (3 + 2) + 2)
        48
        """
        layers = sum(4 * (u * (n + u) + u) for n, u in self._layers())
        last = self.units[-1]
        return layers + sum(last * o + o for o in self.heads)

    @property
    def elementwise_flop_per_step(self) -> int:
        """Single FLOP of one step: ``6 * u`` per layer (biases, ``f * c``, ``o * tanh(c)``)
        and each head's biases."""
        return sum(6 * u for u in self.units) + sum(self.heads)

    @property
    def nonlinearities_per_step(self) -> int:
        """Activation evaluations of one step (not counted as FLOP): ``5 * u`` per layer."""
        return sum(5 * u for u in self.units)

    def macs_per_step(self, mode: Mode = "streaming", window: int | None = None) -> int:
        """Multiply-accumulates of one output step (``window`` x that in window mode).

        >>> LSTM(inputs=3, units=[2], heads=[1]).macs_per_step()  # 4*2*5 + 2 + 2*1
        44
        """
        steps = stateful_steps("LSTM", mode, window, None)
        layers = sum(4 * u * (n + u) + u for n, u in self._layers())
        return steps * (layers + self.units[-1] * sum(self.heads))

    def flop_per_step(
        self,
        mode: Mode = "streaming",
        window: int | None = None,
        input_events_per_step: float | None = None,
    ) -> float:
        """FLOP of one output step: ``2 * MAC + elementwise`` (``window`` x that in window mode).

        >>> LSTM(inputs=3, units=[2], heads=[1]).flop_per_step()  # 2 * 44 + 12 + 1
        101.0
        """
        steps = stateful_steps("LSTM", mode, window, input_events_per_step)
        return float(steps * (2 * self.macs_per_step() + self.elementwise_flop_per_step))


class LSTM(ImmutableNetwork, _LSTMShape):
    """A stack of LSTM layers (``units``, first layer first) reading ``inputs`` channels, with
    dense ``heads`` on the last layer's output at every step.

    Immutable and validated like :class:`~bioanchors.surrogate.TCN`; it implements the
    :class:`~bioanchors.surrogate.architecture.Architecture` protocol.

    >>> LSTM(inputs=3, units=(2, 2)).units
    (2, 2)
    """

    def __init__(self, *, inputs: int, units: Sequence[int], heads: Sequence[int] = ()) -> None:
        try:
            super().__init__(inputs=inputs, units=units, heads=heads)
        except ValidationError as error:
            raise invalid_input("LSTM", error) from None


@architecture_kind("lstm")
class LSTMStep(_LSTMShape, ArchitectureStep):
    """An LSTM in a scenario file: ``architecture = { kind = "lstm", inputs = ..., units = [...],
    heads = [...] }``."""

    kind: Literal["lstm"] = Field(
        default="lstm",
        description="a stack of LSTM layers with dense output heads",
    )
    mode: StatefulMode = Field(
        default="streaming",
        description="how the network is run for flop_per_step: 'streaming' (one state update "
        "per step) or 'window' (a fresh run over `window` steps for every output step)",
    )

    def network(self) -> Architecture:
        return LSTM(inputs=self.inputs, units=self.units, heads=self.heads)
