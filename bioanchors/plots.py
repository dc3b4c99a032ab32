"""Figures: where the estimates sit, how they spread, what drives them, where a derivation slips.

Every function needs the ``plot`` extra (matplotlib), imported inside the function, and returns
a :class:`matplotlib.figure.Figure` without touching pyplot's global state or calling ``show()``:
save it with ``fig.savefig("forest.png")``. In Jupyter a Figure left as a cell's last value is
drawn once the inline backend is active (``%matplotlib inline``, or after ``import
matplotlib.pyplot``); a bare kernel shows only its repr.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from bioanchors._format import format_number
from bioanchors._frames import FRAME_GLOSSARY, FRAMES, Frame
from bioanchors._units.registry import format_unit
from bioanchors.errors import InvalidInputError

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors import Estimate, Scenario, Sensitivity, StepAudit
    from bioanchors._scenarios.sweep import SweepTable
    from bioanchors.catalog import Reference
    from bioanchors.forecast import TaiForecast

__all__ = [
    "PLOT_KINDS",
    "audit_plot",
    "cdf_plot",
    "forest_plot",
    "plot_timelines",
    "scenario_estimates",
    "scenario_frames",
    "sweep_plot",
    "tornado_plot",
]

PLOT_KINDS = ("forest", "cdf", "tornado", "audit")
_INSTALL_HINT = "plotting needs matplotlib: pip install 'bioanchors[plot]'"
# Colour-blind-friendly (Okabe-Ito), then a few more distinct ones, so lines stay apart.
_LINE_COLORS = (
    *("#000000", "#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7", "#999933"),
    *("#882255", "#44aa99", "#aa4499", "#332288"),
)


# One colour and marker per frame (Okabe-Ito), so a forest plot tells the frames apart.
_FRAME_STYLE: Mapping[Frame | None, tuple[str, str]] = {
    "emulation": ("#d55e00", "s"),
    "functional": ("#0072b2", "o"),
    "bound": ("#cc79a7", "D"),
    None: ("#7f7f7f", "o"),
}
_FRAME_LINESTYLE: Mapping[Frame, Any] = {"emulation": ":", "functional": "--", "bound": "-"}
"""Reference lines by frame (the forest plot)."""
_CURVE_LINESTYLE: Final[Mapping[Frame, str]] = {"functional": "-", "emulation": "-.", "bound": ":"}
"""Curves by their brain's frame, in the CDF and timelines plots alike."""


def _figure(width: float, height: float) -> Figure:
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(_INSTALL_HINT) from None
    return Figure(figsize=(width, height), layout="constrained")


def _labelled(estimates: Sequence[tuple[str, Estimate]], what: str) -> None:
    if not estimates:
        raise InvalidInputError(f"{what}: nothing to plot; pass at least one scenario")


def _in_flops(estimate: Estimate) -> Estimate:
    return estimate.to("FLOP/s")


def forest_plot(
    estimates: Sequence[tuple[str, Estimate]],
    *,
    references: Sequence[Reference] = (),
    reference_margin: float = 2.0,
    title: str = "How much computation does it take to match a brain?",
    frames: Mapping[str, Frame] | None = None,
) -> Figure:
    """Median, 50 % and 90 % intervals of each estimate on a log FLOP/s axis.

    ``estimates`` pairs a label with an :class:`~bioanchors.Estimate` in a FLOP/s unit;
    ``frames`` maps labels to their frame (:func:`scenario_frames`): each frame gets its colour
    and median marker, named with its meaning in a legend above, and a thin line parts
    neighbouring rows of different frames. ``references`` (see
    :func:`bioanchors.catalog.references`) are drawn as vertical lines, styled by their frame
    (functional dashed, emulation dotted, bound solid) and named in a legend below: those
    within ``reference_margin`` orders of magnitude of the estimates (the Landauer limit is
    always drawn, as the thick line). References sharing a value share a line.
    """
    _labelled(estimates, "forest_plot")
    rows = [(label, _in_flops(est)) for label, est in estimates]
    framed = [None if frames is None else frames.get(label) for label, _ in rows]
    fig = _figure(9.0, 2.9 + 0.45 * len(rows) + (0.5 if frames else 0.0))
    ax = fig.add_subplot()
    positions = np.arange(len(rows))[::-1]
    table = [_percentiles(label, est, (5, 25, 50, 75, 95), "forest_plot") for label, est in rows]
    for y, (p5, p25, p50, p75, p95), frame in zip(positions, table, framed, strict=True):
        color, marker = _FRAME_STYLE[frame] if frames is not None else ("#2166ac", "o")
        ax.plot([p5, p95], [y, y], color="#4d4d4d", linewidth=1.5, solid_capstyle="butt")
        ax.plot([p25, p75], [y, y], color=color, linewidth=6, solid_capstyle="butt")
        ax.plot([p50], [y], marker=marker, color="white", markeredgecolor=color, markersize=7)
    ax.set_yticks(positions, [label for label, _ in rows])
    if frames is not None:
        _frame_legend(fig, ax, positions, framed)
    data = [value for values in table for value in (values[0], values[-1])]
    positive = [value for value in data if value > 0]
    grouped: dict[float, list[Reference]] = {}
    for ref in references:
        if not ref.value.check("[computation] / [time]"):
            continue
        x = float(ref.value.to("FLOP/s").magnitude)
        near = bool(positive) and (
            math.log10(min(positive)) - reference_margin
            <= math.log10(x)
            <= math.log10(max(positive)) + reference_margin
        )
        if near or _is_physical(ref):
            grouped.setdefault(x, []).append(ref)
    values = data + list(grouped)
    scale = _scale_x(ax, values)
    for index, (x, refs) in enumerate(sorted(grouped.items())):
        physical = any(_is_physical(ref) for ref in refs)
        kinds = {ref.frame for ref in refs}
        named = " / ".join(f"{ref.short} [{ref.frame}]" for ref in refs)
        ax.axvline(
            x,
            color="#67001f" if physical else _LINE_COLORS[(index + 1) % len(_LINE_COLORS)],
            linestyle=_FRAME_LINESTYLE[kinds.pop()] if len(kinds) == 1 else "-.",
            linewidth=2.0 if physical else 1.2,
            alpha=0.9,
            label=f"{named} ({format_number(x)})",
        )
    if grouped:
        fig.legend(loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    ax.set_xlabel(f"Brain compute (FLOP/s, {scale}): median, 50 % and 90 % intervals")
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", which="major", alpha=0.3)
    ax.set_title(title)
    return fig


def _wrapped(text: str, width: int = 96) -> str:
    """A legend label on lines of at most ``width`` characters, so it never leaves the figure."""
    return "\n".join(textwrap.wrap(text, width))


def _frame_legend(fig: Any, ax: Any, positions: Any, framed: Sequence[Frame | None]) -> None:
    """The frames' legend above the axes, coloured tick labels, lines between frame groups."""
    from matplotlib.lines import Line2D

    for tick, frame in zip(ax.get_yticklabels(), framed, strict=True):
        tick.set_color(_FRAME_STYLE[frame][0])
    for index in range(1, len(framed)):
        if framed[index] != framed[index - 1]:
            y = (positions[index] + positions[index - 1]) / 2
            ax.axhline(y, color="#bbbbbb", linewidth=0.8)
    shown = [frame for frame in (*FRAMES, None) if frame in framed]
    handles = [
        Line2D(
            [],
            [],
            color=_FRAME_STYLE[frame][0],
            marker=_FRAME_STYLE[frame][1],
            markerfacecolor="white",
            linewidth=4,
            label=_wrapped(f"{frame}: {FRAME_GLOSSARY[frame]}") if frame else "frame not given",
        )
        for frame in shown
    ]
    heading = (
        "Frames differ: these answer different questions"
        if len([f for f in shown if f]) > 1
        else "Frame"
    )
    fig.legend(
        handles=handles,
        loc="outside upper center",
        fontsize=8,
        title=heading,
        title_fontsize=8,
        frameon=False,
    )


def _percentiles(label: str, estimate: Estimate, qs: Sequence[float], what: str) -> list[float]:
    values = [float(estimate.percentile(q).magnitude) for q in qs]
    if not all(math.isfinite(v) for v in values):
        raise InvalidInputError(
            f"{what}: {label!r} has percentiles that are not finite numbers "
            f"({', '.join(f'{v:g}' for v in values)}); every percentile must be finite to plot"
        )
    return values


def _scale_x(ax: Any, values: Sequence[float], *, fit: bool = True) -> str:
    """A log x axis over ``values`` (all > 0), else a symmetric-log one; returns its name.

    ``fit``: also set the limits of a log axis to whole decades around the values.
    """
    if min(values) > 0:
        ax.set_xscale("log")
        if fit:
            ax.set_xlim(
                10.0 ** math.floor(math.log10(min(values)) - 0.5),
                10.0 ** math.ceil(math.log10(max(values)) + 0.5),
            )
        return "log scale"
    # Zero or negative values (a normal input, a difference) have no place on a log axis:
    # linear within the smallest non-zero magnitude, logarithmic beyond it.
    magnitudes = [abs(v) for v in values if v != 0]
    threshold = min(magnitudes) if magnitudes else 1.0
    ax.set_xscale("symlog", linthresh=threshold)
    top = max(max(magnitudes, default=1.0), threshold)
    lo = -(10.0 ** math.ceil(math.log10(top) + 0.5)) if min(values) < 0 else -threshold
    ax.set_xlim(lo, 10.0 ** math.ceil(math.log10(top) + 0.5))
    return "symmetric log scale: values <= 0 present"


def _is_physical(ref: Reference) -> bool:
    return "landauer" in ref.name.lower()


def cdf_plot(
    estimates: Sequence[tuple[str, Estimate]],
    *,
    title: str = "",
    frames: Mapping[str, Frame] | None = None,
) -> Figure:
    """Overlaid cumulative distributions on a log x axis (one line per estimate); with
    ``frames`` (label -> frame, :func:`scenario_frames`) each label names its frame and the
    line is styled by it (emulation solid, functional dashed, bound dotted)."""
    _labelled(estimates, "cdf_plot")
    fig = _figure(10.5, 4.5)
    ax = fig.add_subplot()
    probabilities = np.linspace(0.5, 99.5, 199)
    unit = ""
    every: list[float] = []
    for index, (label, est) in enumerate(estimates):
        est = _in_flops(est) if est.unit.is_compatible_with("FLOP/s") else est
        unit = format_unit(est.unit)
        xs = _percentiles(label, est, list(probabilities), "cdf_plot")
        every.extend((xs[0], xs[-1]))
        style = "-" if index < len(_LINE_COLORS) else "--"
        frame = None if frames is None else frames.get(label)
        if frame is not None:
            style = _CURVE_LINESTYLE[frame]
            label = f"{label} [{frame}]"
        color = _LINE_COLORS[index % len(_LINE_COLORS)]
        ax.plot(xs, probabilities / 100, label=label, color=color, linestyle=style)
    scale = _scale_x(ax, every, fit=False)
    ax.set_xlabel(f"Value ({unit}, {scale})" if unit else f"Value ({scale})")
    ax.set_ylabel("P(value ≤ x)")
    ax.set_ylim(0, 1)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))  # beside, not over, lines
    ax.set_title(title or "Cumulative distributions")
    return fig


def tornado_plot(table: Sensitivity, *, title: str = "") -> Figure:
    """One-at-a-time swings: the output with each input at its 5th and 95th percentile."""
    if not table.rows:
        raise InvalidInputError("tornado_plot: the estimate has no uncertain inputs to swing")
    rows = sorted(table.rows, key=lambda r: r.swing if math.isfinite(r.swing) else 0.0)
    fig = _figure(8.0, 1.4 + 0.45 * len(rows))
    ax = fig.add_subplot()
    for y, row in enumerate(rows):
        lo, hi = sorted((row.low, row.high))
        color = "#2166ac" if row.high >= row.low else "#b2182b"
        ax.barh(y, hi - lo, left=lo, color=color, height=0.6)
        ax.text(hi, y, f"  {row.share:.0%}", va="center", fontsize=8)
    ax.axvline(table.baseline, color="black", linewidth=1)
    ax.set_yticks(range(len(rows)), [row.name for row in rows])
    positive = all(r.low > 0 and r.high > 0 for r in rows) and table.baseline > 0
    if positive:
        from matplotlib.ticker import NullFormatter

        ax.set_xscale("log")
        ax.xaxis.set_minor_formatter(NullFormatter())  # minor labels collide on short spans
    ax.set_xlabel(
        f"Output ({table.unit or 'dimensionless'}{', log scale' if positive else ''}) with one "
        "input at its 5th–95th percentile, the rest at their medians"
    )
    ax.set_title(title or f"What drives the estimate (baseline {format_number(table.baseline)})")
    return fig


def sweep_plot(table: SweepTable, *, title: str = "") -> Figure:
    """A sweep (``ba.sweep``): the output's median against the swept value, in its 5-95 % band."""
    from bioanchors._scenarios.sweep import draw_sweep

    fig = _figure(7.0, 4.5)
    draw_sweep(fig.add_subplot(), table, title=title)
    return fig


def audit_plot(rows: Sequence[StepAudit], *, title: str = "") -> Figure:
    """Claimed vs recomputed value of each step with a claim, as orders of magnitude apart."""
    claimed = [r for r in rows if r.claimed is not None and r.ratio is not None]
    if not claimed:
        raise InvalidInputError("audit_plot: no step of this derivation states a claimed value")
    fig = _figure(8.0, 1.4 + 0.5 * len(claimed))
    ax = fig.add_subplot()
    offsets = [math.log10(r.ratio) for r in claimed if r.ratio is not None]
    positions = np.arange(len(claimed))[::-1]
    colors = ["#1b7837" if r.ok else "#b2182b" for r in claimed]
    ax.barh(positions, offsets, color=colors, height=0.6)
    for y, row, offset in zip(positions, claimed, offsets, strict=True):
        claimed_text = format_number(row.claimed or 0.0)
        text = f"claimed {claimed_text}, recomputed {format_number(row.recomputed)} {row.unit}"
        ax.text(offset, y, f"  {text}", va="center", fontsize=8)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(positions, [r.name for r in claimed])
    span = max(1.0, *(abs(o) for o in offsets))
    ax.set_xlim(-span * 1.2, span * 3.2)
    ax.set_xlabel("log10(recomputed / claimed): 0 = the claim holds; 2 = off by 100x")
    ax.set_title(title or "Audit: claimed vs recomputed, step by step")
    return fig


def scenario_estimates(
    scenarios: Sequence[Scenario], *, n: int = 100_000, seed: int = 0
) -> list[tuple[str, Estimate]]:
    """``(name, estimate)`` pairs ready for :func:`forest_plot` and :func:`cdf_plot`."""
    return [(sc.name, sc.estimate(n, seed=seed)) for sc in scenarios]


def scenario_frames(scenarios: Sequence[Scenario]) -> dict[str, Frame]:
    """``{name: frame}`` of each scenario, for the ``frames`` of :func:`forest_plot` and
    :func:`cdf_plot`."""
    return {sc.name: sc.frame for sc in scenarios}


_LEGEND_INSIDE_MAX: Final = 8
"""Most forecasts whose legend fits inside the timelines axes; more go beside them."""


def _timelines_label(forecast: TaiForecast) -> str:
    return (
        f"{forecast.brain} ({format_number(forecast.brain_median_flops)} FLOP/s; "
        f"{forecast.frame_text}, penalty {forecast.penalty})"
    )


def plot_timelines(forecasts: Sequence[TaiForecast]) -> Figure:
    """Overlaid CDFs of P(TAI by year), one labelled line per brain; returns the Figure.

    Each line's label gives the brain, its median FLOP/s, its frame and the model penalty it
    got (``"kokotajlod-2021 (1.0e19 FLOP/s; emulation, penalty 0)"``). The model's reference
    row (Cotra's own brain input for the default model), if present, is drawn dashed in black;
    the others solid (functional), dash-dotted (emulation) or dotted (bound). With more than
    eight brains the legend sits beside the axes. The title names the timelines model of the
    first forecast and its anchors (a variant by its name).
    """
    forecasts = list(forecasts)
    if not forecasts:
        raise InvalidInputError("forecasts: need at least one TaiForecast to plot")
    outside = len(forecasts) > _LEGEND_INSIDE_MAX
    fig = _figure(14.5 if outside else 9.0, max(5.5, 0.19 * len(forecasts) + 1.2))
    ax = fig.add_subplot()
    others = 0
    for forecast in forecasts:
        label = _timelines_label(forecast)
        if forecast.is_reference:
            style: dict[str, Any] = {"color": "black", "linestyle": "--", "linewidth": 2.2}
        else:
            frame = forecast.frame or "functional"
            style = {"color": f"C{others % 10}", "linestyle": _CURVE_LINESTYLE[frame]}
            others += 1
        ax.plot(forecast.years, 100 * forecast.prob_by_year, label=label, **style)
    ax.axhline(50, color="grey", linewidth=0.8, linestyle=":")
    ax.set_xlabel("year")
    ax.set_ylabel("P(TAI by year) (%)")
    ax.set_ylim(0, 100)
    model = forecasts[0].model
    ax.set_title(f"TAI timelines by brain-compute estimate ({model.name}, {model.source_label})")
    ax.grid(alpha=0.3)
    if outside:  # many brains: the legend beside the axes, never over the curves
        ax.legend(fontsize="x-small", loc="upper left", bbox_to_anchor=(1.01, 1.0))
    else:
        ax.legend(fontsize="small", loc="upper left")
    return fig
