"""A scenario built in Python, saved as a file and loaded back: the same scenario, the same number.

``ba.Scenario.from_steps`` takes the steps in order: an input is ``ba.cite(...)`` of a
``ba.point`` / ``ba.between`` / ... with who said it (or ``"assumption"`` and a note), a
formula step is a formula string over earlier steps. ``to_toml()`` (or ``save(folder)``)
writes a scenario file that ``ba.load_scenario`` reads back to the same steps, citations and
numbers. A bundled scenario with your own input saved the same way becomes your file: the
replaced step is marked as your assumption, and the other inputs draw the same numbers.
Run: python examples/round_trip.py
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import bioanchors as ba

mine = ba.Scenario.from_steps(
    "my-brain",
    title="Neurons times a per-neuron cost",
    frame="functional",
    output="total",
    unit="FLOP/s",
    source={"who": "Azevedo et al.", "where": "J. Comp. Neurol. 513 (2009)"},
    steps={
        "neurons": ba.cite(ba.between(7.8e10, 9.4e10, "neuron"), quote="86.1 +/- 8.1 billion"),
        "per_neuron": ba.cite(
            ba.lognormal(1e4, 10, "FLOP/s/neuron"),
            "assumption",
            note="my guess at one neuron's useful work: a median of 1e4 FLOP/s, 10x either way",
        ),
        "total": "neurons * per_neuron",
    },
)

with tempfile.TemporaryDirectory() as folder:
    path = mine.save(folder)  # my-brain.toml
    print(path.read_text(encoding="utf-8"))
    again = ba.load_scenario(path)
    print("built in Python:", mine.estimate(20_000).median)
    print("loaded back:    ", again.estimate(20_000).median)
    assert again.estimate(20_000).median == mine.estimate(20_000).median

    # A bundled scenario with your own neuron count, saved as your own file.
    variant = ba.load_scenario("carlsmith-2020-mechanistic").with_inputs(neurons=1e10)
    mine_too = ba.load_scenario(variant.save(Path(folder) / "few-neurons.toml"))
    print(repr(mine_too))
    print("the replaced step cites:", mine_too.step("neurons").citation)
    print("in memory:", variant.estimate(20_000).median, " from the file:", end=" ")
    print(mine_too.estimate(20_000).median)
