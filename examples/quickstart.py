"""Quickstart: one brain-wide FLOP/s estimate, stated with uncertainty and units.

The question from the 2021 discussion of Beniaguev, Segev & London: if every neuron needs a
deep surrogate network of its own, how much computation is the whole brain?
Run: python examples/quickstart.py
"""

from __future__ import annotations

import bioanchors as ba

# Azevedo et al. 2009: 86.1 +/- 8.1 billion neurons (mean +/- sd), read as a normal.
neurons = ba.normal(86.1e9, 8.1e9, "neuron", name="neurons")
# kokotajlod guessed 1e5 parameters per surrogate; the authors' best model has ~9.2e6.
# State that disagreement as a wide 90 % interval.
parameters = ba.between(1e5, 1e7, "parameter / neuron", name="parameters per neuron")
# One multiply-accumulate (2 FLOP) per parameter per 1 ms step.
flop_per_parameter = ba.point(2, "FLOP / parameter / step")
steps_per_second = ba.point(1000, "step / s")

total = (neurons * parameters * flop_per_parameter * steps_per_second).to("FLOP/s")
estimate = total.estimate(n=200_000, seed=0)

print("Brain-wide cost of one surrogate DNN per neuron:")
print(f"  {estimate}")
print(f"  P(> 1e15 FLOP/s, Carlsmith's median)  = {estimate.prob_above('1e15 FLOP/s'):.3f}")
print(f"  P(> 1e21 FLOP/s, Carlsmith's 90th pct) = {estimate.prob_above('1e21 FLOP/s'):.3f}")

# kokotajlod's point values, for comparison: 1e5 x 1 FLOP x 1000/s x 1e11 = 1e19, not 1e17.
point_values = (
    ba.point(1e5, "parameter / neuron")
    * ba.point(1, "FLOP / parameter / step")
    * ba.point(1000, "step / s")
    * ba.point(1e11, "neuron")
).to("FLOP/s")
print(f"  kokotajlod's numbers multiply to {point_values.estimate().median:.1e~C}")
