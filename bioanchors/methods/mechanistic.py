"""Carlsmith (2020)'s mechanistic method.

Joseph Carlsmith, "How Much Computational Power Does It Take to Match the Human Brain?"
(Open Philanthropy, 2020), section 2: the brain's compute is the FLOP/s needed for standard
neuron signalling, budgeted as spikes through synapses per second times FLOP per spike through
a synapse, plus FLOP/s for each neuron's firing decision (learning and other signalling are
left to the caller, as extra terms).
"""

from __future__ import annotations

from bioanchors._graph.domain import NON_NEGATIVE, check
from bioanchors._graph.functions import formula_function
from bioanchors._graph.uncertain import Operand, Uncertain

__all__ = ["mechanistic"]


@formula_function()
def mechanistic(
    synapses: Operand,
    spikes_per_synapse_per_second: Operand,
    flop_per_spike_through_synapse: Operand,
    neurons: Operand,
    flop_per_neuron_per_second: Operand,
) -> Uncertain:
    """Synaptic transmission plus firing decisions, in FLOP/s.

    ``synapses * spikes_per_synapse_per_second * flop_per_spike_through_synapse
    + neurons * flop_per_neuron_per_second``, with units checked (for example synapse,
    spike / synapse / s, FLOP / spike, neuron and FLOP / neuron / s). Every argument is a
    count or a rate, >= 0: a negative constant raises ``InvalidInputError`` and an input whose
    distribution can go negative (a normal count) warns with ``BioanchorsWarning``.

    >>> import bioanchors as ba
    >>> total = mechanistic(
    ...     ba.point(1e14, "synapse"), ba.point(1, "spike / synapse / s"),
    ...     ba.point(1, "FLOP / spike"), ba.point(1e11, "neuron"),
    ...     ba.point(1e4, "FLOP / neuron / s"))
    >>> print(total.to("FLOP/s").estimate())
    1.1e15 FLOP/s
    """
    where = "mechanistic"
    synaptic = (
        check(synapses, where, "synapses", NON_NEGATIVE)
        * check(spikes_per_synapse_per_second, where, "spikes_per_synapse_per_second", NON_NEGATIVE)
        * check(
            flop_per_spike_through_synapse, where, "flop_per_spike_through_synapse", NON_NEGATIVE
        )
    )
    firing = check(neurons, where, "neurons", NON_NEGATIVE) * check(
        flop_per_neuron_per_second, where, "flop_per_neuron_per_second", NON_NEGATIVE
    )
    return synaptic + firing
