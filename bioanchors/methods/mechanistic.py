"""Carlsmith (2020)'s mechanistic method.

Joseph Carlsmith, "How Much Computational Power Does It Take to Match the Human Brain?"
(Open Philanthropy, 2020), section 2: the brain's compute is the FLOP/s needed for standard
neuron signalling, budgeted as spikes through synapses per second times FLOP per spike through
a synapse, plus FLOP/s for each neuron's firing decision (learning and other signalling are
left to the caller, as extra terms).
"""

from __future__ import annotations

from bioanchors.uncertain import Operand, Uncertain, _lift

__all__ = ["mechanistic"]


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
    spike / synapse / s, FLOP / spike, neuron and FLOP / neuron / s).

    >>> import bioanchors as ba
    >>> total = mechanistic(
    ...     ba.point(1e14, "synapse"), ba.point(1, "spike / synapse / s"),
    ...     ba.point(1, "FLOP / spike"), ba.point(1e11, "neuron"),
    ...     ba.point(1e4, "FLOP / neuron / s"))
    >>> print(total.to("FLOP/s").estimate())
    1.1e15 FLOP/s (90% CI 1.1e15 – 1.1e15)
    """
    synaptic = (
        _lift(synapses)
        * _lift(spikes_per_synapse_per_second)
        * _lift(flop_per_spike_through_synapse)
    )
    firing = _lift(neurons) * _lift(flop_per_neuron_per_second)
    return synaptic + firing
