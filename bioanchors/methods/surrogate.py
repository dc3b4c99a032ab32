"""The surrogate method: one deep network per neuron, run at the network's time resolution.

After Beniaguev, Segev & London (2021), "Single cortical neurons as deep artificial neural
networks", Neuron 109(17):2727-2739, and the brain-wide reading of it by kokotajlod (EA Forum
comment, 2021-09-15): FLOP/s = neurons x FLOP per step of the per-neuron surrogate x steps per
second (1000 at the paper's 1 ms resolution).
"""

from __future__ import annotations

from bioanchors._graph.domain import NON_NEGATIVE, check
from bioanchors._graph.functions import formula_function
from bioanchors._graph.uncertain import Operand, Uncertain

__all__ = ["surrogate"]


@formula_function()
def surrogate(
    neurons: Operand, flop_per_step_per_neuron: Operand, steps_per_second: Operand
) -> Uncertain:
    """Neurons x FLOP per step of each neuron's surrogate x steps per second.

    Each argument is >= 0: a negative constant raises ``InvalidInputError`` and an input whose
    distribution can go negative (a normal count) warns with ``BioanchorsWarning``.

    >>> import bioanchors as ba
    >>> from bioanchors.surrogate.tcn import BENIAGUEV_2021_L5PC
    >>> cost = surrogate(ba.point(86e9, "neuron"),
    ...                  ba.point(BENIAGUEV_2021_L5PC.flop_per_step(), "FLOP / step / neuron"),
    ...                  ba.point(1000, "step / s"))
    >>> print(cost.estimate())
    1.6e21 FLOP/s
    """
    where = "surrogate"
    return (
        check(neurons, where, "neurons", NON_NEGATIVE)
        * check(flop_per_step_per_neuron, where, "flop_per_step_per_neuron", NON_NEGATIVE)
        * check(steps_per_second, where, "steps_per_second", NON_NEGATIVE)
    )
