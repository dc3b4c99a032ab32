"""Calling bioanchors' estimate functions directly from a script.

The domain formulas in ``bioanchors.methods`` take uncertain quantities with units and return
an uncertain FLOP/s; the surrogate architectures in ``bioanchors.surrogate`` count parameters
and FLOP per step of a network.
Run: python examples/estimate_functions.py
"""

from __future__ import annotations

import bioanchors as ba
from bioanchors.methods import CellClass, landauer_limit, mechanistic, population, surrogate
from bioanchors.surrogate import BENIAGUEV_2021_AMPA, BENIAGUEV_2021_L5PC

# Surrogate sizes and costs (Beniaguev et al. 2021, the authors' best full L5PC model).
l5pc = BENIAGUEV_2021_L5PC
print(f"L5PC TCN: {l5pc.parameters:,} parameters, receptive field {l5pc.receptive_field} ms")
for mode in ("streaming", "cone", "window"):
    print(f"  {mode:<9} {l5pc.flop_per_step(mode=mode):.3e} FLOP per 1 ms step")
sparse = l5pc.flop_per_step(input_events_per_step=14.0)
print(f"  event-driven first layer at 14 input spikes/ms: {sparse:.3e} FLOP per step")

neurons = ba.normal(86.1e9, 8.1e9, "neuron")  # Azevedo et al. 2009
per_step = ba.point(l5pc.flop_per_step(), "FLOP / step / neuron")
deep = surrogate(neurons, per_step, ba.point(1000, "step / s"))
print(f"\nEvery neuron as the L5PC TCN: {deep.estimate(50_000)}")

# Carlsmith (2020)'s mechanistic method with uncertain inputs.
synaptic = mechanistic(
    ba.between(1e14, 1e15, "synapse"),
    ba.between(0.1, 2, "spike / synapse / s"),
    ba.between(1, 100, "FLOP / spike"),
    neurons,
    ba.between(5e3, 1.3e6, "FLOP / neuron / s"),
)
print(f"Mechanistic method:             {synaptic.to('FLOP/s').estimate(50_000)}")

# A population: deep surrogates for cortical pyramidal cells, a shallow one for the rest.
mixed = population(
    [
        CellClass(
            "cortical pyramidal",
            ba.between(10e9, 14e9, "neuron"),
            ba.point(l5pc.flop_per_step() * 1000, "FLOP / neuron / s"),
        ),
        CellClass(
            "other",
            ba.between(68e9, 76e9, "neuron"),
            ba.point(BENIAGUEV_2021_AMPA.flop_per_step() * 1000, "FLOP / neuron / s"),
        ),
    ]
)
print(f"Population mix:                 {mixed.estimate(50_000)}")

bound = landauer_limit(ba.point(20, "W"), ba.point(310, "K"))
print(f"Landauer limit at 20 W, 310 K:  {bound.estimate()}")
