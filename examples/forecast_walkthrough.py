"""A forecaster's walk through the 2021 discussion, one argument at a time.

Each bundled scenario encodes one voice in the thread on Beniaguev, Segev & London (2021);
here they are estimated side by side, kokotajlod's derivation is audited, and the effect of
irving's and steve2152's objections is read off as orders of magnitude.
Run: python examples/forecast_walkthrough.py
"""

from __future__ import annotations

import math

import bioanchors as ba

N, SEED = 50_000, 0
baseline = ba.Q_(1e15, "FLOP/s")  # Carlsmith (2020): "more likely than not" enough


def orders_above_baseline(estimate: ba.Estimate) -> float:
    return math.log10((estimate.median / baseline).to("").magnitude)


print("1. Carlsmith's mechanistic method (synapses x spikes x FLOP per spike + firing):")
carlsmith = ba.load_scenario("carlsmith-2020-mechanistic").estimate(N, seed=SEED)
print(f"   {carlsmith}")

print("\n2. kokotajlod's back-of-envelope, audited step by step:")
for row in ba.load_scenario("kokotajlod-2021").audit():
    if row.claimed is not None:
        verdict = "ok" if row.ok else f"OFF by {row.ratio:.0f}x"
        numbers = f"claimed {row.claimed:.0e}  recomputed {row.recomputed:.0e}"
        print(f"   {row.name:<28} {numbers}  {verdict}")

print("\n3. The real Beniaguev network (7 layers x 128 units, 153 ms) on every neuron:")
tcn = ba.load_scenario("beniaguev-2021-tcn").estimate(N, seed=SEED)
print(f"   {tcn}  ({orders_above_baseline(tcn):+.1f} orders above 1e15)")

print("\n4. irving's two flaws (reversed control, multi-neuron scaling):")
irving = ba.load_scenario("irving-2021").estimate(N, seed=SEED)
print(f"   {irving}  ({orders_above_baseline(irving):+.1f} orders)")

print("\n5. steve2152: only a fraction of the I/O complexity is useful:")
steve = ba.load_scenario("steve2152-2021").estimate(N, seed=SEED)
print(f"   {steve}  ({orders_above_baseline(steve):+.1f} orders)")

print("\n6. A smaller surrogate of the same neuron (Branch-ELM, 2023):")
elm = ba.load_scenario("elm-2023").estimate(N, seed=SEED)
print(f"   {elm}  ({orders_above_baseline(elm):+.1f} orders)")

print("\nHow likely is each above Carlsmith's 'unlikely' 1e21 FLOP/s?")
for name, estimate in [
    ("carlsmith", carlsmith),
    ("tcn", tcn),
    ("irving", irving),
    ("steve", steve),
]:
    print(f"   {name:<10} P(> 1e21 FLOP/s) = {estimate.prob_above('1e21 FLOP/s'):.2f}")
