"""Your own number in a published scenario, and how the answer moves as it varies.

``with_inputs`` replaces input steps (the file is untouched; the new scenario records the
replacement as your uncited assumption); ``ba.sweep`` runs one input across values with the
same seed, so the rows differ only by that input. The same from the command line:
``bioanchors run kokotajlod-2021 --set neurons=1e10`` and
``bioanchors sweep carlsmith-2020-mechanistic neurons 1e10 1e11 1e12``.
Run: python examples/override_and_sweep.py
"""

from __future__ import annotations

import bioanchors as ba

sc = ba.load_scenario("kokotajlod-2021")
mine = sc.with_inputs(neurons=ba.point(1e10, "neuron"))  # a tenth of his 1e11
print(repr(mine))
print("his:", sc.estimate().median, " mine:", mine.estimate().median)
print("the replaced step cites:", mine.step("neurons").citation)

# an uncertain input, from Python or as text (read by the safe parser, never eval'd)
rate = "spikes_per_synapse_per_second"
carlsmith = ba.load_scenario("carlsmith-2020-mechanistic")
wider = carlsmith.with_inputs(**{rate: "between(0.05, 5, 'spike / synapse / s')"})
print(f"{rate} 0.05-5 Hz:", wider.estimate(20_000))

# "How does the answer move with the neuron count from 1e10 to 1e12?" in one line:
print(ba.sweep(carlsmith, "neurons", [1e10, 3e10, 1e11, 3e11, 1e12], n=20_000))

try:
    from bioanchors.plots import sweep_plot
except ImportError:  # pragma: no cover - without the plot extra
    pass
else:
    table = ba.sweep(carlsmith, "neurons", [1e10, 1e11, 1e12], n=20_000)
    sweep_plot(table).savefig("sweep.png", dpi=100)
    print("wrote sweep.png")
