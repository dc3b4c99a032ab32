"""The forest plot: each estimate's median and 50 % / 90 % intervals on one log axis.

With the scenarios' frames (:func:`scenario_frames`) each frame gets a colour and a median
marker, named with its meaning above the plot; with their claims (:func:`scenario_claims`) each
claimed value is a cross on its row, joined to the recomputed median, so a claim two orders of
magnitude off (kokotajlod-2021: 1e17 claimed, about 1e19 recomputed) shows at a glance.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from bioanchors._frames import FRAME_GLOSSARY, FRAMES, Frame
from bioanchors._units.registry import format_unit
from bioanchors.errors import InvalidInputError
from bioanchors.plots._axes import scale_x
from bioanchors.plots._layout import (
    FRAME_STYLE,
    EstimatesLike,
    figure,
    in_one_unit,
    labelled,
    percentiles,
    wrapped,
)
from bioanchors.plots._references import draw_references, near_references

if TYPE_CHECKING:
    import pint
    from matplotlib.figure import Figure

    from bioanchors import Estimate, Scenario
    from bioanchors._scenarios.references import Reference
    from bioanchors._typing import UnitLike

__all__ = ["forest_plot", "scenario_claims", "scenario_estimates", "scenario_frames"]

CLAIM_COLOR: Final = "#b2182b"
"""The colour of a claimed value's cross (and of nothing else in the forest plot)."""


def forest_plot(
    estimates: EstimatesLike,
    *,
    references: Sequence[Reference] = (),
    reference_margin: float = 2.0,
    title: str = "How much computation does it take to match a brain?",
    frames: Mapping[str, Frame] | None = None,
    claims: Mapping[str, pint.Quantity[Any] | float] | None = None,
    unit: UnitLike | None = None,
) -> Figure:
    """Median, 50 % and 90 % intervals of each estimate on a log axis.

    ``estimates`` pairs labels with :class:`~bioanchors.Estimate` values (one estimate, a
    mapping or bare estimates work too); they are drawn in ``unit``, by default the first
    estimate's (an estimate in PFLOP/s is drawn in PFLOP/s).
    ``frames`` maps labels to their frame (:func:`scenario_frames`): each frame gets its colour
    and median marker, named with its meaning in a legend above, and a thin line parts
    neighbouring rows of different frames. ``claims`` maps labels to the value the source
    claimed (:func:`scenario_claims`; a bare number is read in the plot's unit): a red cross on
    the row, joined to the median by a dotted line. ``references`` (see
    :func:`bioanchors.catalog.references`) are drawn as vertical lines, styled by their frame
    (functional dashed, emulation dotted, bound solid) and named in a legend below: those
    within ``reference_margin`` orders of magnitude of the estimates (the Landauer limit is
    always drawn, as the thick line). References sharing a value share a line.
    """
    rows, target = in_one_unit(labelled(estimates, "forest_plot"), "forest_plot", unit)
    unit_text = format_unit(target)
    framed = [None if frames is None else frames.get(label) for label, _ in rows]
    fig = figure(9.0, 2.9 + 0.45 * len(rows) + (0.5 if frames else 0.0))
    ax = fig.add_subplot()
    positions = np.arange(len(rows))[::-1]
    table = [percentiles(label, est, (5, 25, 50, 75, 95), "forest_plot") for label, est in rows]
    for y, (p5, p25, p50, p75, p95), frame in zip(positions, table, framed, strict=True):
        color, marker = FRAME_STYLE[frame] if frames is not None else ("#2166ac", "o")
        ax.plot([p5, p95], [y, y], color="#4d4d4d", linewidth=1.5, solid_capstyle="butt")
        ax.plot([p25, p75], [y, y], color=color, linewidth=6, solid_capstyle="butt")
        ax.plot([p50], [y], marker=marker, color="white", markeredgecolor=color, markersize=7)
    ax.set_yticks(positions, [label for label, _ in rows])
    if frames is not None:
        _frame_legend(fig, ax, positions, framed)
    data = [value for values in table for value in (values[0], values[-1])]
    claimed = _claimed_values(claims or {}, rows, target)
    grouped = near_references(references, data, target, reference_margin)
    scale = scale_x(ax, data + list(claimed.values()) + list(grouped))
    handles = draw_references(ax, grouped)
    if claimed:
        handles.append(_draw_claims(ax, claimed, rows, positions, table))
    if handles:
        fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    what = "Brain compute" if target.is_compatible_with("FLOP/s") else "Value"
    ax.set_xlabel(f"{what} ({unit_text}, {scale}): median, 50 % and 90 % intervals")
    ax.set_ylim(-0.7, len(rows) - 0.3)
    ax.grid(axis="x", which="major", alpha=0.3)
    ax.set_title(title)
    return fig


def _claimed_values(
    claims: Mapping[str, pint.Quantity[Any] | float],
    rows: Sequence[tuple[str, Estimate]],
    target: pint.Unit,
) -> dict[str, float]:
    labels = {label for label, _ in rows}
    values: dict[str, float] = {}
    for label, claim in claims.items():
        if label not in labels:
            continue  # a claim of a scenario not drawn here
        if isinstance(claim, int | float):
            value = float(claim)
        elif claim.is_compatible_with(target):
            value = float(claim.to(target).magnitude)
        else:
            raise InvalidInputError(
                f"forest_plot: the claim of {label!r} is in {claim.units:~P}, which "
                f"does not convert to the plot's {format_unit(target)}"
            )
        if not value > 0 or value == float("inf"):
            raise InvalidInputError(
                f"forest_plot: the claim of {label!r} is {value:g}; a claim to mark must be a "
                "positive, finite number"
            )
        values[label] = value
    return values


def _draw_claims(
    ax: Any,
    claimed: Mapping[str, float],
    rows: Sequence[tuple[str, Estimate]],
    positions: Any,
    table: Sequence[Sequence[float]],
) -> Any:
    handle = None
    for (label, _), y, values in zip(rows, positions, table, strict=True):
        if label not in claimed:
            continue
        x = claimed[label]
        ax.plot([x, values[2]], [y, y], color=CLAIM_COLOR, linestyle=":", linewidth=1.2)
        (handle,) = ax.plot(
            [x],
            [y],
            marker="X",
            linestyle="None",
            color=CLAIM_COLOR,
            markeredgecolor="white",
            markersize=9,
            label="claimed by the source (dotted: to the median)",
        )
    return handle


def _frame_legend(fig: Any, ax: Any, positions: Any, framed: Sequence[Frame | None]) -> None:
    """The frames' legend above the axes, coloured tick labels, lines between frame groups."""
    from matplotlib.lines import Line2D

    for tick, frame in zip(ax.get_yticklabels(), framed, strict=True):
        tick.set_color(FRAME_STYLE[frame][0])
    for index in range(1, len(framed)):
        if framed[index] != framed[index - 1]:
            y = (positions[index] + positions[index - 1]) / 2
            ax.axhline(y, color="#bbbbbb", linewidth=0.8)
    shown = [frame for frame in (*FRAMES, None) if frame in framed]
    handles = [
        Line2D(
            [],
            [],
            color=FRAME_STYLE[frame][0],
            marker=FRAME_STYLE[frame][1],
            markerfacecolor="white",
            linewidth=4,
            label=wrapped(f"{frame}: {FRAME_GLOSSARY[frame]}") if frame else "frame not given",
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


def scenario_estimates(
    scenarios: Sequence[Scenario], *, n: int = 100_000, seed: int = 0
) -> list[tuple[str, Estimate]]:
    """``(name, estimate)`` pairs ready for :func:`forest_plot` and :func:`cdf_plot`."""
    return [(sc.name, sc.estimate(n, seed=seed)) for sc in scenarios]


def scenario_frames(scenarios: Sequence[Scenario]) -> dict[str, Frame]:
    """``{name: frame}`` of each scenario, for the ``frames`` of :func:`forest_plot` and
    :func:`cdf_plot`."""
    return {sc.name: sc.frame for sc in scenarios}


def scenario_claims(scenarios: Sequence[Scenario]) -> dict[str, pint.Quantity[Any]]:
    """``{name: claimed value}`` of each scenario whose output step states one (in its file's
    ``claimed``), for the ``claims`` of :func:`forest_plot`.

    >>> import bioanchors as ba
    >>> claims = scenario_claims([ba.load_scenario("kokotajlod-2021")])
    >>> claim = claims["kokotajlod-2021"]
    >>> float(claim.to("FLOP/s").magnitude)
    1e+17
    """
    claims = {}
    for sc in scenarios:
        claim = sc.step(sc.output_name).claimed
        if claim is not None:
            claims[sc.name] = claim
    return claims
