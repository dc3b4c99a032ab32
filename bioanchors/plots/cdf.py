"""The CDF plot: overlaid cumulative distributions of several estimates on one value axis.

The legend sits beside the axes, never over a curve; every curve has its own (colour, marker)
pair (:func:`~bioanchors.plots._layout.curve_style`) and, with frames, a line style by frame;
the forest plot's reference lines can be drawn too (``references``), named in a legend below.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import numpy as np

from bioanchors._frames import Frame
from bioanchors._units.registry import format_unit
from bioanchors.plots._axes import scale_x
from bioanchors.plots._layout import (
    CURVE_LINESTYLE,
    EstimatesLike,
    curve_style,
    figure,
    in_one_unit,
    labelled,
    percentiles,
)
from bioanchors.plots._references import draw_references, near_references

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors._scenarios.references import Reference
    from bioanchors._typing import UnitLike

__all__ = ["cdf_plot"]


def cdf_plot(
    estimates: EstimatesLike,
    *,
    title: str = "",
    frames: Mapping[str, Frame] | None = None,
    references: Sequence[Reference] = (),
    reference_margin: float = 2.0,
    unit: UnitLike | None = None,
) -> Figure:
    """Overlaid cumulative distributions on a log x axis (one line per estimate).

    ``estimates`` as for :func:`~bioanchors.plots.forest_plot` (one estimate, pairs, a mapping),
    drawn in ``unit``, by default the first estimate's. With ``frames`` (label -> frame,
    :func:`~bioanchors.plots.scenario_frames`) each label names its frame and the line is
    styled by it (functional solid, emulation dash-dotted, bound dotted). ``references`` and
    ``reference_margin``: the vertical reference lines of the forest plot, chosen alike and
    styled by frame, in grey (the colours are the curves') and numbered as in their legend.
    The legend of the curves sits to the right of the axes, that of the references below.
    """
    rows, target = in_one_unit(labelled(estimates, "cdf_plot"), "cdf_plot", unit)
    unit_text = format_unit(target)
    fig = figure(10.5, 4.5 + (0.9 if references else 0.0) + max(0, len(rows) - 22) * 0.17)
    ax = fig.add_subplot()
    probabilities = np.linspace(0.5, 99.5, 199)
    every: list[float] = []
    central: list[float] = []  # the 5th and 95th percentiles: references chosen as the forest's
    curves = []
    for index, (label, est) in enumerate(rows):
        xs = percentiles(label, est, list(probabilities), "cdf_plot")
        every.extend((xs[0], xs[-1]))
        central.extend(percentiles(label, est, (5, 95), "cdf_plot"))
        style = "-"
        frame = None if frames is None else frames.get(label)
        if frame is not None:
            style = CURVE_LINESTYLE[frame]
            label = f"{label} [{frame}]"
        (line,) = ax.plot(
            xs, probabilities / 100, label=label, linestyle=style, **curve_style(index)
        )
        curves.append(line)
    grouped = near_references(references, central, target, reference_margin)
    scale = scale_x(ax, every + list(grouped), fit=False)
    lines = draw_references(ax, grouped, tagged=True)
    ax.set_xlabel(f"Value ({unit_text}, {scale})" if unit_text else f"Value ({scale})")
    ax.set_ylabel("P(value ≤ x)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    fig.legend(handles=curves, loc="outside right upper", fontsize=8)  # beside, never over
    if lines:
        fig.legend(handles=lines, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    ax.set_title(title or "Cumulative distributions")
    return fig
