"""Figures: where the estimates sit, how they spread, what drives them, where a derivation slips.

Every function needs the ``plot`` extra (matplotlib), imported inside the function, and returns
a :class:`matplotlib.figure.Figure` without touching pyplot's global state or calling ``show()``:
save it with ``fig.savefig("forest.png")``. In Jupyter a Figure left as a cell's last value is
drawn once the inline backend is active (``%matplotlib inline``, or after ``import
matplotlib.pyplot``); a bare kernel shows only its repr.

Every figure uses constrained layout (nothing is clipped when saved), labels every log axis
inside one decade too, and draws estimates in their own unit. One module per figure kind:
:mod:`.forest`, :mod:`.cdf`, :mod:`.tornado`, :mod:`.sweep`, :mod:`.audit`, :mod:`.timelines`;
what they share is in ``_layout`` (canvas, colours, accepted inputs), ``_axes`` (log axes) and
``_references`` (the reference lines).
"""

from __future__ import annotations

from bioanchors.plots.audit import audit_plot
from bioanchors.plots.cdf import cdf_plot
from bioanchors.plots.forest import (
    forest_plot,
    scenario_claims,
    scenario_estimates,
    scenario_frames,
)
from bioanchors.plots.sweep import sweep_plot
from bioanchors.plots.timelines import plot_timelines
from bioanchors.plots.tornado import tornado_plot

__all__ = [
    "PLOT_KINDS",
    "audit_plot",
    "cdf_plot",
    "forest_plot",
    "plot_timelines",
    "scenario_claims",
    "scenario_estimates",
    "scenario_frames",
    "sweep_plot",
    "tornado_plot",
]

PLOT_KINDS = ("forest", "cdf", "tornado", "audit")
