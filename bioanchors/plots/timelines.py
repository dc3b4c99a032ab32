"""The timelines plot: P(TAI by year) for each brain-compute estimate, one labelled curve each.

Curves differ by colour and marker (never two alike, however many brains) and by line style by
frame; the model's reference brain is the dashed black curve.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Final

from bioanchors._format import format_number
from bioanchors.errors import InvalidInputError
from bioanchors.plots._layout import CURVE_LINESTYLE, curve_style, figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors.forecast import TaiForecast

__all__ = ["plot_timelines"]

_TITLE_WIDTH: Final = 80
"""Characters of a title line (the default title is one line of 79): the axes are the figure
less the legend beside them."""

_SMALL_LEGEND_MAX: Final = 8
"""Most forecasts whose legend is set in small type; more get extra-small type."""


def _timelines_label(forecast: TaiForecast) -> str:
    return (
        f"{forecast.brain} ({format_number(forecast.brain_median_flops)} FLOP/s; "
        f"{forecast.frame_text}, penalty {forecast.penalty})"
    )


def _title(anchors: str) -> str:
    """The title, on two lines (the anchors on the second, wrapped at spaces only, never inside
    a name) when a variant's name (its --set list) would run past the axes."""
    head = "TAI timelines by brain-compute estimate"
    if len(head) + 1 + len(anchors) <= _TITLE_WIDTH:
        return f"{head} {anchors}"
    lines = textwrap.wrap(anchors, _TITLE_WIDTH, break_on_hyphens=False)
    return "\n".join([head, *lines])


def plot_timelines(forecasts: Sequence[TaiForecast] | TaiForecast) -> Figure:
    """Overlaid CDFs of P(TAI by year), one labelled line per brain; returns the Figure.

    Each line's label gives the brain, its median FLOP/s, its frame and the model penalty it
    got (``"kokotajlod-2021 (1.0e19 FLOP/s; emulation, penalty 0)"``). The model's reference
    row (Cotra's own brain input for the default model), if present, is drawn dashed in black;
    the others solid (functional), dash-dotted (emulation) or dotted (bound), each with its own
    colour and marker. The legend sits beside the axes, never over a curve. The title
    names the timelines model of the first forecast and its anchors (a variant by its name).
    One forecast works as well as a list.
    """
    from bioanchors.timelines.result import TaiForecast

    listed = [forecasts] if isinstance(forecasts, TaiForecast) else list(forecasts)
    if not listed:
        raise InvalidInputError("forecasts: need at least one TaiForecast to plot")
    many = len(listed) > _SMALL_LEGEND_MAX
    fig = figure(14.5 if many else 13.0, max(5.5, 0.19 * len(listed) + 1.2))
    ax = fig.add_subplot()
    others = 0
    for forecast in listed:
        label = _timelines_label(forecast)
        if forecast.is_reference:
            style: dict[str, Any] = {"color": "black", "linestyle": "--", "linewidth": 2.2}
        else:
            frame = forecast.frame or "functional"
            style = {**curve_style(others), "linestyle": CURVE_LINESTYLE[frame]}
            others += 1
        ax.plot(forecast.years, 100 * forecast.prob_by_year, label=label, **style)
    ax.axhline(50, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("year")
    ax.set_ylabel("P(TAI by year) (%)")
    ax.set_ylim(0, 100)
    model = listed[0].model
    ax.set_title(_title(f"({model.name}, {model.source_label})"))
    ax.grid(alpha=0.3)
    # The legend beside the axes, never over the curves (smaller type for many brains).
    ax.legend(fontsize="x-small" if many else "small", loc="upper left", bbox_to_anchor=(1.01, 1))
    return fig
