"""The tornado chart: the output with each input in turn at its 5th and 95th percentile.

Bars are coloured by direction (the output rises or falls as the input rises), named in a
legend with the labelled median line (every input at its median) and what the percentage beside
each bar means (its share of the variance of log10(output)).
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Final

from bioanchors._format import format_number
from bioanchors.errors import InvalidInputError
from bioanchors.plots._axes import readable_log_axis
from bioanchors.plots._layout import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors import Sensitivity

__all__ = ["tornado_plot"]

RISES: Final = "#2166ac"
FALLS: Final = "#b2182b"
_ROOM: Final = 0.14
"""Room beyond the longest bar for its percentage, as a fraction of the axis (log or linear)."""


def tornado_plot(table: Sensitivity, *, title: str = "") -> Figure:
    """One-at-a-time swings: the output with each input at its 5th and 95th percentile, in the
    unit of the estimate the table was computed from (``table.unit``)."""
    from matplotlib.patches import Patch

    if not table.rows:
        raise InvalidInputError("tornado_plot: the estimate has no uncertain inputs to swing")
    rows = sorted(table.rows, key=lambda r: r.swing if math.isfinite(r.swing) else 0.0)
    unit = table.unit or "dimensionless"
    fig = figure(8.0, 2.4 + 0.45 * len(rows))
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        lo, hi = sorted((row.low, row.high))
        color = RISES if row.high >= row.low else FALLS
        ax.barh(y, hi - lo, left=lo, color=color, height=0.6)
        ax.text(hi, y, f"  {row.share:.0%}", va="center", fontsize=8)
    median = ax.axvline(
        table.baseline,
        color="black",
        linewidth=1.2,
        label=f"every input at its median: {format_number(table.baseline)} {table.unit}".rstrip(),
    )
    ax.set_yticks(range(len(rows)), [row.name for row in rows])
    ax.set_ylim(-0.8, len(rows) - 0.4)
    values = [v for row in rows for v in (row.low, row.high)] + [table.baseline]
    positive = min(values) > 0
    if positive:
        ax.set_xscale("log")
        readable_log_axis(ax.xaxis)
    _make_room(ax, min(values), max(values), log=positive)
    ax.text(
        table.baseline,
        -0.75,
        f" median {format_number(table.baseline)}",
        va="bottom",
        ha="left",
        fontsize=8,
    )
    directions = {row.high >= row.low for row in rows}
    handles: list[Any] = [
        Patch(color=RISES if rises else FALLS, label=f"output {word} as the input rises")
        for rises, word in ((True, "rises"), (False, "falls"))
        if rises in directions
    ]
    handles.append(median)
    fig.legend(
        handles=handles,
        loc="outside lower center",
        ncols=2,
        fontsize=8,
        frameon=False,
        title="the % beside a bar: that input's share of the variance of log10(output)",
        title_fontsize=8,
    )
    ax.set_xlabel(
        f"Output ({unit}{', log scale' if positive else ''}) with one input at its "
        "5th–95th percentile,\nthe rest at their medians"
    )
    ax.set_title(title or f"What drives the estimate (baseline {format_number(table.baseline)})")
    return fig


def _make_room(ax: Any, lo: float, hi: float, *, log: bool) -> None:
    """Limits around ``[lo, hi]`` with room on the right for the bars' percentages."""
    if log:
        span = math.log10(hi / lo) or 1.0
        ax.set_xlim(lo / 10 ** (0.04 * span), hi * 10 ** (_ROOM * span))
    else:
        span = (hi - lo) or abs(hi) or 1.0
        ax.set_xlim(lo - 0.04 * span, hi + _ROOM * span)
