"""Adjustments to a brain-compute estimate: irving's reversed control and multi-neuron
scaling, a shared template, steve2152's useful fraction.

A public module (``from bioanchors.adjustments import reversed_control``); the functions live
in :mod:`bioanchors.methods.adjustments`, beside the other brain-domain formulas.
"""

from __future__ import annotations

from bioanchors.methods.adjustments import (
    multi_neuron_scaling,
    reversed_control,
    shared_template,
    useful_fraction,
)

__all__ = ["multi_neuron_scaling", "reversed_control", "shared_template", "useful_fraction"]
