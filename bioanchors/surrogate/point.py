"""Point-neuron models priced as Izhikevich (2004) priced them: FLOP per 1 ms of simulated time.

Izhikevich, "Which model to use for cortical spiking neurons?", IEEE Transactions on Neural
Networks 15(5):1063-1070 (2004), ranks spiking models by "the number of floating-point
operations (addition, multiplication, etc.) needed to simulate the model during a 1 ms time
span" (Section I, p. 1063), summarised in his Fig. 2 (row "# of FLOPS"). Three of them:

============================  ==========  =============================================
model (``model = ...``)       FLOP / ms   what the figure counts
============================  ==========  =============================================
``"integrate_and_fire"``      5           ``v' = I + a - b v``, reset at threshold
``"izhikevich"``              13          ``v' = 0.04 v^2 + 5 v + 140 - u + I``,
                                          ``u' = a (b v - u)``, reset ``v <- c, u += d``
``"hodgkin_huxley"``          1200        the 4-variable HH equations at a 0.1 ms step
============================  ==========  =============================================

One step here is 1 ms (the surrogates' step), so ``flop_per_step`` is the figure times
``compartments`` (Hodgkin-Huxley's figure is per compartment; a multi-compartment model costs
this per compartment, axial coupling not counted). Synaptic input is not included: each
incoming spike costs an addition at the synapse, which the synapse-level methods count.

``parameters`` is not a count of trained weights (nothing here is trained on an I/O task): it
is the number of free constants of the equations, per compartment, that one fits to a cell
type: integrate-and-fire ``a, b, c`` and the threshold (4); Izhikevich ``a, b, c, d`` (4; the
0.04, 5 and 140 are fixed for cortical cells); Hodgkin-Huxley ``C_m, g_Na, g_K, g_L, E_Na, E_K,
E_L`` (7; the rate functions' constants are those of Hodgkin & Huxley 1952). A neuron's
synaptic weights belong to its synapses and are not counted.

>>> PointNeuron(model="izhikevich").flop_per_step()
13.0
>>> PointNeuron(model="hodgkin_huxley", compartments=10).flop_per_step()
12000.0
"""

from __future__ import annotations

from types import MappingProxyType
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
    "IZHIKEVICH_2004_FLOP_PER_MS",
    "POINT_MODELS",
    "PointModel",
    "PointNeuron",
    "PointNeuronStep",
]

PointModel = Literal["integrate_and_fire", "izhikevich", "hodgkin_huxley"]
"""The point-neuron models offered."""

POINT_MODELS: Final[tuple[str, ...]] = ("integrate_and_fire", "izhikevich", "hodgkin_huxley")

IZHIKEVICH_2004_FLOP_PER_MS: Final = MappingProxyType(
    {"integrate_and_fire": 5, "izhikevich": 13, "hodgkin_huxley": 1200}
)
"""FLOP per 1 ms of simulated time (per compartment), Izhikevich (2004), Fig. 2."""

_CONSTANTS: Final = MappingProxyType(
    {"integrate_and_fire": 4, "izhikevich": 4, "hodgkin_huxley": 7}
)


class _PointShape(BaseModel):
    """The fields of a point-neuron model; see :class:`PointNeuron`."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    model: PointModel = Field(
        description="the equations, priced as Izhikevich (2004, Fig. 2) priced them: "
        "'integrate_and_fire' (5 FLOP/ms), 'izhikevich' (13) or 'hodgkin_huxley' (1200 per "
        "compartment)"
    )
    compartments: Size = Field(
        default=1, description="compartments, each costing the model's FLOP (coupling not counted)"
    )

    @model_validator(mode="before")
    @classmethod
    def _validated(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        out = dict(data)
        if "model" in out and out["model"] not in POINT_MODELS:
            raise InvalidInputError(
                f"PointNeuron model: expected one of {list(POINT_MODELS)}, got {out['model']!r}"
            )
        if "compartments" in out:
            out["compartments"] = positive_int("PointNeuron", "compartments", out["compartments"])
        return out

    @property
    def receptive_field(self) -> int:
        """1: the model integrates its input into its state one step at a time."""
        return STATEFUL_RECEPTIVE_FIELD

    @property
    def parameters(self) -> int:
        """Free constants of the equations (4, 4 or 7 per compartment; module docstring).

        >>> PointNeuron(model="hodgkin_huxley", compartments=2).parameters
        14
        """
        return _CONSTANTS[self.model] * self.compartments

    def flop_per_step(
        self,
        mode: Mode = "streaming",
        window: int | None = None,
        input_events_per_step: float | None = None,
    ) -> float:
        """FLOP per 1 ms step: Izhikevich's figure x ``compartments`` (``window`` x that in
        window mode)."""
        steps = stateful_steps("PointNeuron", mode, window, input_events_per_step)
        return float(steps * IZHIKEVICH_2004_FLOP_PER_MS[self.model] * self.compartments)


class PointNeuron(ImmutableNetwork, _PointShape):
    """A point-neuron model (``model``) of ``compartments`` compartments, 1 ms per step.

    It implements the :class:`~bioanchors.surrogate.architecture.Architecture` protocol.

    >>> PointNeuron(model="integrate_and_fire").parameters
    4
    """

    def __init__(self, *, model: PointModel, compartments: int = 1) -> None:
        try:
            super().__init__(model=model, compartments=compartments)
        except ValidationError as error:
            raise invalid_input("PointNeuron", error) from None


@architecture_kind("point_neuron")
class PointNeuronStep(_PointShape, ArchitectureStep):
    """A point neuron in a scenario file: ``architecture = { kind = "point_neuron",
    model = "izhikevich", compartments = 1 }``."""

    kind: Literal["point_neuron"] = Field(
        default="point_neuron",
        description="a point-neuron model priced per 1 ms step",
    )
    mode: StatefulMode = Field(
        default="streaming",
        description="how the network is run for flop_per_step: 'streaming' (one state update "
        "per step) or 'window' (a fresh run over `window` steps for every output step)",
    )

    def network(self) -> Architecture:
        return PointNeuron(model=self.model, compartments=self.compartments)
