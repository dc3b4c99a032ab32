"""Adjustments to a brain-compute estimate: irving's reversed control and multi-neuron
scaling, a shared template, steve2152's useful fraction; and the decorator that makes a
function callable from scenario formulas.

A public module (``from bioanchors.adjustments import reversed_control``); the functions live
in :mod:`bioanchors.methods.adjustments`, beside the other brain-domain formulas. A new
adjustment is one function with :func:`formula_function` on it, in one file:

>>> import bioanchors as ba
>>> from bioanchors.adjustments import formula_function, unregister_formula_function
>>> @formula_function()
... def halved(cost: ba.Uncertain) -> ba.Uncertain:
...     return cost / 2
>>> "halved" in formula_functions()
True
>>> unregister_formula_function("halved")
"""

from __future__ import annotations

from bioanchors._graph.functions import (
    formula_function,
    formula_functions,
    unregister_formula_function,
)
from bioanchors.methods.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)

__all__ = [
    "formula_function",
    "formula_functions",
    "multi_neuron_scaling",
    "reversed_control",
    "shared_template",
    "unregister_formula_function",
    "useful_fraction",
]
