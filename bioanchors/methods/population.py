"""The population method: a brain as a mix of cell classes, each with its own cost.

Not every neuron is a layer 5 pyramidal cell: about 80 % of the human brain's 86 billion
neurons are small cerebellar granule cells (Azevedo et al. 2009, J Comp Neurol 513:532), so a
deep per-neuron surrogate for every cell overstates the cost. Each class has a count and a
per-neuron cost; the total is their sum.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bioanchors._graph.domain import NON_NEGATIVE, check
from bioanchors._graph.uncertain import Operand, Uncertain
from bioanchors.errors import InvalidInputError

__all__ = ["CellClass", "population"]


@dataclass(frozen=True)
class CellClass:
    """A class of neurons: how many, and what each costs (e.g. FLOP / neuron / s)."""

    name: str
    count: Operand
    cost_per_neuron: Operand


def population(classes: Sequence[CellClass]) -> Uncertain:
    """Sum over cell classes of count x per-neuron cost (each >= 0, checked as in
    :func:`~bioanchors.methods.mechanistic`).

    >>> import bioanchors as ba
    >>> total = population([
    ...     CellClass("pyramidal", ba.point(12e9, "neuron"), ba.point(1e10, "FLOP/neuron/s")),
    ...     CellClass("granule", ba.point(69e9, "neuron"), ba.point(1e4, "FLOP/neuron/s")),
    ... ])
    >>> print(total.estimate())
    1.2e20 FLOP/s
    """
    if not classes:
        raise InvalidInputError("population: expected at least one cell class, got none")
    terms = [
        (
            check(c.count, "population", f"count of {c.name!r}", NON_NEGATIVE)
            * check(c.cost_per_neuron, "population", f"cost_per_neuron of {c.name!r}", NON_NEGATIVE)
        ).named(c.name)
        for c in classes
    ]
    total = terms[0]
    for term in terms[1:]:
        total = total + term
    return total
