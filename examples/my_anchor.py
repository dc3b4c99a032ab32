"""Adding your own anchor assumption, as a TOML file and as Python.

A scenario file states inputs with citations and formulas over them; put it in a folder on
BIOANCHORS_PATH (or load it by path) and it sits beside the bundled scenarios. The same
assumption written in Python gives the same numbers.
Run: python examples/my_anchor.py
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import bioanchors as ba

MY_SCENARIO = """
name = "my-dendritic-anchor"
title = "Each neuron as ~30 dendritic subunits, each a small point-neuron model"
output = "total"
unit = "FLOP/s"
frame = "functional"

[source]
who = "Me"
where = "examples/my_anchor.py"

[[steps]]
name = "neurons"
unit = "neuron"
distribution = { kind = "normal", mean = 86.1e9, sd = 8.1e9 }
who = "Azevedo et al. 2009"
where = "J Comp Neurol 513:532"
quote = "86.1 +/- 8.1 billion NeuN-positive cells"

[[steps]]
name = "subunits_per_neuron"
unit = "1 / neuron"
between = [10, 100]
shaky = true
quote = "my guess: tens of independent dendritic subunits per pyramidal cell"

[[steps]]
name = "flop_per_subunit_step"
unit = "FLOP / step"
between = [5, 1200]
shaky = true
quote = "from an Izhikevich-style model (~13 FLOP/ms) up to Hodgkin-Huxley (~1200)"

[[steps]]
name = "steps_per_second"
unit = "step / s"
value = 1000
quote = "1 ms resolution, as in Beniaguev et al. 2021"

[[steps]]
name = "total"
formula = "neurons * subunits_per_neuron * flop_per_subunit_step * steps_per_second"
"""

with tempfile.TemporaryDirectory() as folder:
    path = Path(folder) / "my-dendritic-anchor.toml"
    path.write_text(MY_SCENARIO, encoding="utf-8")

    # By path ...
    from_file = ba.load_scenario(path)
    print(f"From the file:     {from_file.estimate(50_000, seed=1)}")

    # ... or by name, once its folder is on BIOANCHORS_PATH.
    os.environ["BIOANCHORS_PATH"] = folder
    print(f"Listed by name:    {'my-dendritic-anchor' in ba.scenarios()}")
    del os.environ["BIOANCHORS_PATH"]

# The same assumption in Python.
neurons = ba.normal(86.1e9, 8.1e9, "neuron")
subunits = ba.between(10, 100, "1 / neuron")
flop_per_subunit = ba.between(5, 1200, "FLOP / step")
steps = ba.point(1000, "step / s")
total = (neurons * subunits * flop_per_subunit * steps).to("FLOP/s")
print(f"Written in Python: {total.estimate(50_000, seed=1)}")
