"""The sweep plot (``ba.sweep``): the output's median against the swept value, in its 5-95 % band.

The drawing itself is :func:`bioanchors._scenarios.sweep.draw_sweep`, beside the sweep; this
module gives it a figure and makes its log axes readable (labelled ticks inside one decade too).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bioanchors.plots._axes import readable_log_axis
from bioanchors.plots._layout import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors._scenarios.sweep import SweepTable

__all__ = ["sweep_plot"]


def sweep_plot(table: SweepTable, *, title: str = "") -> Figure:
    """A sweep (``ba.sweep``): the output's median against the swept value, in its 5-95 % band."""
    from bioanchors._scenarios.sweep import draw_sweep

    fig = figure(7.0, 4.5)
    ax = fig.add_subplot()
    draw_sweep(ax, table, title=title)
    for axis, scale in ((ax.xaxis, ax.get_xscale()), (ax.yaxis, ax.get_yscale())):
        if scale == "log":
            readable_log_axis(axis)
    return fig
