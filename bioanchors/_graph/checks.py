"""Checks on a finished sampling run: results that are computed right but likely unmeant.

An estimate of a count or rate (FLOP/s, neurons, synapses, spikes, ...) with negative samples
is arithmetic on an input that can go below zero (a normal neuron count, say): the answer is
right for the inputs as written, and wrong for the brain. It is flagged with a
:class:`~bioanchors.errors.BioanchorsWarning` naming the inputs that can cross zero.
"""

from __future__ import annotations

import warnings

import numpy as np
import pint

from bioanchors._graph.distributions import Point
from bioanchors._graph.uncertain import Leaf, Uncertain
from bioanchors._units.registry import format_unit
from bioanchors.errors import BioanchorsWarning

__all__ = ["COUNT_DIMENSIONS", "is_count_or_rate", "negative_inputs", "warn_if_negative"]

COUNT_DIMENSIONS = frozenset(
    {"[computation]", "[neuron]", "[synapse]", "[spike]", "[parameter]", "[step]", "[erasure]"}
)
"""The library's own dimensions (``units.txt``): quantities of these can never be negative."""


def is_count_or_rate(unit: pint.Unit) -> bool:
    """True for a count, a rate or a cost of one of the library's own dimensions."""
    return any(dimension in COUNT_DIMENSIONS for dimension in unit.dimensionality)


def negative_inputs(output: Uncertain) -> list[tuple[str, float]]:
    """The output's inputs that can be negative, with their probability of being so."""
    found = []
    for item in output.inputs():
        node = item.node
        if not isinstance(node, Leaf) or isinstance(node.dist, Point):
            continue
        below = float(np.asarray(node.dist.cdf(np.array([0.0])))[0])
        if below > 0.0:
            found.append((item.name or item.describe(), below))
    return found


def warn_if_negative(output: Uncertain, lowest: float, n: int, stacklevel: int = 4) -> None:
    """Warn when an estimate of a count or rate has a negative sample (``lowest`` < 0)."""
    if not lowest < 0 or not is_count_or_rate(output.unit):
        return
    culprits = negative_inputs(output)
    named = (
        "; inputs that can be negative: "
        + ", ".join(f"{name!r} (P(< 0) = {p:.2g})" for name, p in culprits)
        if culprits
        else ""
    )
    warnings.warn(
        BioanchorsWarning(
            f"the estimate of {output.name or output.describe()!r} in "
            f"{format_unit(output.unit)} has negative samples (lowest {lowest:.3g} of {n}), "
            f"which a count or rate cannot have{named}. Use a lognormal or a bounded shape "
            "for inputs that must stay positive."
        ),
        stacklevel=stacklevel,
    )
