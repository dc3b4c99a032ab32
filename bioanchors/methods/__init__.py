"""Domain formulas for brain compute, each citing its source.

- :mod:`~bioanchors.methods.mechanistic`: synapses x firing rate x FLOP per spike through a
  synapse, plus a per-neuron firing-decision budget (Carlsmith 2020).
- :mod:`~bioanchors.methods.surrogate`: neurons x FLOP per step of a per-neuron surrogate
  network x steps per second (Beniaguev, Segev & London 2021; kokotajlod 2021).
- :mod:`~bioanchors.methods.population`: a mix of cell classes, each with its own count and
  per-neuron cost.
- :mod:`~bioanchors.methods.limit`: the Landauer bound, power / (k T ln 2).
- :mod:`~bioanchors.methods.literature`: ``one_of``, several published sub-estimates read as
  one equal-weight mixture.

Each function takes uncertain quantities (or plain numbers and pint Quantities) and returns
an :class:`~bioanchors.Uncertain` in FLOP/s (or bit erasures per second for the limit).

Importing this package registers the formulas that take positional operands, and the
adjustments of :mod:`~bioanchors.methods.adjustments`, as formula functions: scenario files may
call ``mechanistic(...)``, ``surrogate(...)``, ``landauer_limit(power, temperature)``,
``one_of(...)``, ``reversed_control(...)`` and the other adjustments by name.
"""

from __future__ import annotations

import bioanchors.methods.adjustments  # noqa: F401  (registers the adjustments)
from bioanchors.methods.limit import landauer_limit
from bioanchors.methods.literature import one_of
from bioanchors.methods.mechanistic import mechanistic
from bioanchors.methods.population import CellClass, population
from bioanchors.methods.surrogate import surrogate

__all__ = ["CellClass", "landauer_limit", "mechanistic", "one_of", "population", "surrogate"]
