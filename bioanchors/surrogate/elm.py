"""The Expressive Leaky Memory (ELM) neuron and its Branch-ELM variant: size and cost per step.

Spieler, Rahaman, Martius, Schölkopf & Levina (2024), "The Expressive Leaky Memory Neuron: an
Efficient and Expressive Phenomenological Neuron Model Can Solve Long-Horizon Tasks", ICLR 2024
(arXiv 2306.16922; code GitHub ``AaronSpieler/elmneuron``, read at commit ``52e68a6d``), fit
a small recurrent neuron model to the same NeuronIO data as Beniaguev et al. (2021): 1278
binary synaptic inputs of an L5PC, 1 ms steps, spike and soma-voltage outputs. The model, as
``ELM.dynamics`` in ``src/expressive_leaky_memory_neuron.py`` computes it for one step (the
version the released NeuronIO models use: their state dicts hold its ``tau_s``)::

    s_t = kappa_s * s_{t-1} + w_s * x_t               # one leaky trace per synapse
    b_t = sum of s_t over each branch's synapses     # branch inputs
    dm  = 1.7159 tanh(2/3 MLP([b_t, kappa_m * m_{t-1}]))
    m_t = kappa_m * m_{t-1} + lambda (1 - kappa_m) * dm   # d_m leaky memory units
    y_t = W_y m_t + b_y

The plain ELM gives every input its own branch (``branches = None``: one synapse per input);
the Branch-ELM routes inputs to ``branches`` branches of ``synapses_per_branch`` synapses each
(the NeuronIO models: 45 x 100). The MLP has ``mlp_layers`` hidden layers of ``mlp_hidden``
units (default ``2 * memory``, as in the code).

Parameters are the code's trainable tensors (``requires_grad``; the authors'
``get_num_trainable_params``): the synapse weights ``w_s``, the MLP's weights and biases, the
readout ``W_y, b_y``, and the memory time constants only if ``learn_memory_tau`` (the released
models keep them fixed). They reproduce the model table of the repository's README exactly
(Branch-ELM 45 x 100: d_m = 1 -> 4,601 ... 20 -> 8,002 ... 100 -> 54,002).

FLOP per step (FLOP = 2 x MAC, plus single operations) counts, for batch size 1:

* MAC: one per synapse trace (``kappa_s * s + (w_s x)``), the MLP and readout matrix-vector
  products, and one per memory unit (``kappa_m m + c * dm`` with the constant
  ``c = lambda (1 - kappa_m)``);
* 1 FLOP each: the synapse weight products ``w_s * x``, the branch-sum additions
  (``synapses_per_branch - 1`` per branch), the decay products ``kappa_m * m``, every bias, and
  the two scalings of the scaled tanh;
* not counted: the nonlinearities (ReLU or SiLU of the MLP, tanh;
  :attr:`ELM.nonlinearities_per_step`), the input routing (a gather and a 0/1 mask, the same as
  fixing padded synapse weights at zero), and the decay constants, computed once per sequence.

The authors' code recomputes ``kappa_m * m`` and ``lambda (1 - kappa_m)`` inside the step; that
literal reading adds ``3 * memory`` FLOP (60 for d_m = 20, 0.24 %).

>>> SPIELER_2024_BRANCH_ELM.parameters
8002
>>> SPIELER_2024_BRANCH_ELM.flop_per_step()
24997.0
"""

from __future__ import annotations

from itertools import pairwise
from typing import Any, Final, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from bioanchors.errors import InvalidInputError
from bioanchors.surrogate.architecture import (
    Architecture,
    ArchitectureStep,
    ImmutableNetwork,
    Mode,
    Size,
    architecture_kind,
    invalid_input,
    positive_int,
)
from bioanchors.surrogate.stateful import (
    STATEFUL_RECEPTIVE_FIELD,
    StatefulMode,
    stateful_steps,
)

__all__ = [
    "ELM",
    "SPIELER_2024_BEST_ELM",
    "SPIELER_2024_BRANCH_ELM",
    "BranchELMStep",
    "ELMStep",
]

_COUNTS: Final = (
    "inputs",
    "memory",
    "outputs",
    "branches",
    "synapses_per_branch",
    "mlp_layers",
    "mlp_hidden",
)


class _ELMShape(BaseModel):
    """The fields of an ELM neuron, their validation and every count; see :class:`ELM`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    inputs: Size = Field(description="synaptic input channels (1278 for NeuronIO)")
    memory: Size = Field(description="memory units d_m")
    outputs: Size = Field(
        default=2, description="readout outputs (2 for NeuronIO: spike and soma voltage)"
    )
    branches: Size | None = Field(
        default=None,
        description="Branch-ELM: the number of dendritic branches (45 for the NeuronIO models); "
        "a plain ELM has one branch per input",
    )
    synapses_per_branch: Size = Field(
        default=1, description="Branch-ELM: synapses summed into each branch (100 for NeuronIO)"
    )
    mlp_layers: Size = Field(default=1, description="hidden layers of the memory update's MLP")
    mlp_hidden: Size | None = Field(
        default=None, description="units of each MLP hidden layer (default 2 * memory)"
    )
    learn_memory_tau: bool = Field(
        default=False,
        description="whether the memory time constants are trained (then `memory` more "
        "parameters; the released models keep them fixed)",
    )

    @model_validator(mode="before")
    @classmethod
    def _validated(cls, data: Any) -> Any:
        """Check the counts with messages naming the field and value."""
        if not isinstance(data, dict):
            return data
        out = dict(data)
        for key in _COUNTS:
            if out.get(key) is not None:
                out[key] = positive_int("ELM", key, out[key])
        if out.get("branches") is None and out.get("synapses_per_branch", 1) != 1:
            raise InvalidInputError(
                "ELM synapses_per_branch: a plain ELM (branches not given) has one synapse per "
                f"input, got synapses_per_branch={out['synapses_per_branch']!r}; give branches "
                "for a Branch-ELM"
            )
        if "learn_memory_tau" in out and not isinstance(out["learn_memory_tau"], bool):
            raise InvalidInputError(
                f"ELM learn_memory_tau: expected a bool, got {out['learn_memory_tau']!r}"
            )
        return out

    # ------------------------------------------------------------------ structure

    @property
    def branch_count(self) -> int:
        """Branches: ``branches``, or one per input for a plain ELM."""
        return self.inputs if self.branches is None else self.branches

    @property
    def synapses(self) -> int:
        """Synapses (leaky traces with a weight): ``branch_count * synapses_per_branch``."""
        return self.branch_count * self.synapses_per_branch

    @property
    def hidden(self) -> int:
        """Units per MLP hidden layer: ``mlp_hidden``, or ``2 * memory`` as in the code."""
        return 2 * self.memory if self.mlp_hidden is None else self.mlp_hidden

    @property
    def receptive_field(self) -> int:
        """1: one input step per output step; the history is in the state (memory time
        constants up to 150 ms in the NeuronIO models)."""
        return STATEFUL_RECEPTIVE_FIELD

    def _dense(self) -> list[tuple[int, int]]:
        """``(fan_in, fan_out)`` of the MLP layers and the readout, in order."""
        sizes = [self.branch_count + self.memory, *([self.hidden] * self.mlp_layers)]
        return [*pairwise(sizes), (self.hidden, self.memory), (self.memory, self.outputs)]

    @property
    def parameters(self) -> int:
        """Trainable parameters, as the authors' ``get_num_trainable_params`` counts them.

        ``synapses`` weights, ``fan_in * fan_out + fan_out`` per MLP and readout layer, and
        ``memory`` time constants if ``learn_memory_tau``.

        >>> ELM(inputs=1278, memory=20, branches=45, synapses_per_branch=100).parameters
        8002
        """
        dense = sum(fan_in * fan_out + fan_out for fan_in, fan_out in self._dense())
        return self.synapses + dense + (self.memory if self.learn_memory_tau else 0)

    # ------------------------------------------------------------------ cost per step

    @property
    def elementwise_flop_per_step(self) -> int:
        """The single (non-MAC) FLOP of one step: ``w_s * x``, branch sums, ``kappa_m * m``,
        biases and the tanh scalings (see the module docstring)."""
        biases = sum(fan_out for _fan_in, fan_out in self._dense())
        branch_sums = self.branch_count * (self.synapses_per_branch - 1)
        return self.synapses + branch_sums + self.memory + biases + 2 * self.memory

    @property
    def nonlinearities_per_step(self) -> int:
        """Activation evaluations of one step (not counted as FLOP): ``mlp_layers * hidden``
        ReLU/SiLU and ``memory`` tanh."""
        return self.mlp_layers * self.hidden + self.memory

    def macs_per_step(self, mode: Mode = "streaming", window: int | None = None) -> int:
        """Multiply-accumulates of one output step: synapse traces, MLP, memory update and
        readout (``window`` x that in ``mode="window"``).

        >>> SPIELER_2024_BRANCH_ELM.macs_per_step()
        7960
        """
        steps = stateful_steps("ELM", mode, window, None)
        dense = sum(fan_in * fan_out for fan_in, fan_out in self._dense())
        return steps * (self.synapses + dense + self.memory)

    def flop_per_step(
        self,
        mode: Mode = "streaming",
        window: int | None = None,
        input_events_per_step: float | None = None,
    ) -> float:
        """FLOP of one output step: ``2 * MAC + elementwise`` (``window`` x that in window mode).

        >>> SPIELER_2024_BRANCH_ELM.flop_per_step(mode="window", window=500)
        12498500.0
        """
        steps = stateful_steps("ELM", mode, window, input_events_per_step)
        return float(steps * (2 * self.macs_per_step() + self.elementwise_flop_per_step))


class ELM(ImmutableNetwork, _ELMShape):
    """An ELM neuron (``branches=None``) or a Branch-ELM neuron, as in Spieler et al. (2024).

    Parameters
    ----------
    inputs:
        Synaptic input channels (1278 for NeuronIO).
    memory:
        Memory units ``d_m``.
    outputs:
        Readout outputs (2 for NeuronIO: spike and soma voltage).
    branches, synapses_per_branch:
        Branch-ELM routing (45 and 100 for the NeuronIO models); a plain ELM leaves
        ``branches`` unset and has one synapse per input.
    mlp_layers, mlp_hidden:
        Hidden layers of the MLP and their width (default ``2 * memory``).
    learn_memory_tau:
        Whether the memory time constants are trained (then ``memory`` more parameters).

    Immutable and validated; invalid values raise :class:`~bioanchors.errors.InvalidInputError`
    naming the field. It implements the
    :class:`~bioanchors.surrogate.architecture.Architecture` protocol.

    >>> ELM(inputs=4, memory=2).parameters  # 4 w_s + (6*4+4) + (4*2+2) + (2*2+2)
    48
    """

    def __init__(
        self,
        *,
        inputs: int,
        memory: int,
        outputs: int = 2,
        branches: int | None = None,
        synapses_per_branch: int = 1,
        mlp_layers: int = 1,
        mlp_hidden: int | None = None,
        learn_memory_tau: bool = False,
    ) -> None:
        try:
            super().__init__(
                inputs=inputs,
                memory=memory,
                outputs=outputs,
                branches=branches,
                synapses_per_branch=synapses_per_branch,
                mlp_layers=mlp_layers,
                mlp_hidden=mlp_hidden,
                learn_memory_tau=learn_memory_tau,
            )
        except ValidationError as error:
            raise invalid_input("ELM", error) from None


def _network(step: _ELMShape) -> Architecture:
    return ELM(
        inputs=step.inputs,
        memory=step.memory,
        outputs=step.outputs,
        branches=step.branches,
        synapses_per_branch=step.synapses_per_branch,
        mlp_layers=step.mlp_layers,
        mlp_hidden=step.mlp_hidden,
        learn_memory_tau=step.learn_memory_tau,
    )


@architecture_kind("elm")
class ELMStep(_ELMShape, ArchitectureStep):
    """A plain ELM in a scenario file: ``architecture = { kind = "elm", inputs = ..., ... }``."""

    kind: Literal["elm"] = Field(
        default="elm",
        description="an Expressive Leaky Memory neuron (Spieler et al. 2024), one branch per input",
    )
    mode: StatefulMode = Field(
        default="streaming",
        description="how the network is run for flop_per_step: 'streaming' (one state update "
        "per step) or 'window' (a fresh run over `window` steps for every output step)",
    )

    @model_validator(mode="before")
    @classmethod
    def _no_branches(cls, data: Any) -> Any:
        if isinstance(data, dict) and ("branches" in data or "synapses_per_branch" in data):
            raise InvalidInputError(
                'ELM branches: a kind = "elm" neuron has one branch per input; use '
                'kind = "branch_elm" for branches and synapses_per_branch'
            )
        return data

    def network(self) -> Architecture:
        return _network(self)


@architecture_kind("branch_elm")
class BranchELMStep(_ELMShape, ArchitectureStep):
    """A Branch-ELM in a scenario file: ``architecture = { kind = "branch_elm", inputs = ...,
    memory = ..., branches = ..., synapses_per_branch = ... }``."""

    kind: Literal["branch_elm"] = Field(
        default="branch_elm",
        description="a Branch-ELM neuron (Spieler et al. 2024): inputs routed to branches",
    )
    mode: StatefulMode = Field(
        default="streaming",
        description="how the network is run for flop_per_step: 'streaming' (one state update "
        "per step) or 'window' (a fresh run over `window` steps for every output step)",
    )

    @model_validator(mode="before")
    @classmethod
    def _branches_given(cls, data: Any) -> Any:
        if isinstance(data, dict):
            missing = [key for key in ("branches", "synapses_per_branch") if key not in data]
            if missing:
                raise InvalidInputError(
                    f"Branch-ELM {missing[0]}: required for kind = 'branch_elm' (missing {missing})"
                )
        return data

    def network(self) -> Architecture:
        return _network(self)


SPIELER_2024_BRANCH_ELM: Final[ELM] = ELM(
    inputs=1278, memory=20, outputs=2, branches=45, synapses_per_branch=100
)
"""The Branch-ELM with d_m = 20 of Spieler et al. (2024) on NeuronIO: 8,002 parameters, test
AUC 0.9922 (``models/num_memory_20`` in ``AaronSpieler/elmneuron``: 45 branches x 100 synapses,
MLP of one hidden layer of 40, memory time constants fixed in [1, 150] ms), the size the paper's
abstract calls "under ten thousand trainable parameters"."""

SPIELER_2024_BEST_ELM: Final[ELM] = ELM(
    inputs=1278, memory=100, outputs=2, branches=45, synapses_per_branch=100
)
"""The authors' "best effort" Branch-ELM (``models/best_elm_neuron``): d_m = 100, SiLU MLP,
54,002 parameters, test AUC 0.9946 (the activation does not change the counts here)."""
