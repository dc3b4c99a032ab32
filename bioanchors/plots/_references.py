"""Reference lines (``references.toml``: Carlsmith's 1e15, the Landauer limit, ...) on a value axis.

The forest and CDF plots draw the same lines the same way: those within ``margin`` orders of
magnitude of the data (the Landauer limit always, as the thick line), converted to the unit the
figure is drawn in, styled by their frame, references sharing a value on one line.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bioanchors._format import format_number
from bioanchors.plots._layout import FRAME_LINESTYLE, PALETTE

if TYPE_CHECKING:
    import pint

    from bioanchors._scenarios.references import Reference

__all__ = ["draw_references", "near_references"]


def _is_physical(ref: Reference) -> bool:
    return "landauer" in ref.name.lower()


def near_references(
    references: Sequence[Reference], data: Sequence[float], unit: pint.Unit, margin: float
) -> dict[float, list[Reference]]:
    """The references worth drawing beside ``data`` (values in ``unit``), by their value in
    ``unit``: those of ``unit``'s dimension within ``margin`` orders of magnitude of the
    positive data, and the physical limit wherever it is."""
    positive = [value for value in data if value > 0]
    grouped: dict[float, list[Reference]] = {}
    for ref in references:
        if not ref.value.is_compatible_with(unit):
            continue
        x = float(ref.value.to(unit).magnitude)
        near = bool(positive) and (
            math.log10(min(positive)) - margin
            <= math.log10(x)
            <= math.log10(max(positive)) + margin
        )
        if near or _is_physical(ref):
            grouped.setdefault(x, []).append(ref)
    return grouped


def draw_references(
    ax: Any, grouped: dict[float, list[Reference]], *, tagged: bool = False
) -> list[Any]:
    """One vertical line per value of ``grouped`` on ``ax`` (in the axis's unit, which the
    axis label names); returns the lines, for a legend.

    ``tagged``: grey lines numbered at the top of the axes and in their labels (``"2: ..."``),
    for figures whose curves already use the palette (the CDF plot); else coloured lines.
    """
    lines = []
    for index, (x, refs) in enumerate(sorted(grouped.items())):
        physical = any(_is_physical(ref) for ref in refs)
        kinds = {ref.frame for ref in refs}
        named = " / ".join(f"{ref.short} [{ref.frame}]" for ref in refs)
        color = "#67001f" if physical else PALETTE[index % len(PALETTE)]
        label = f"{named} ({format_number(x)})"
        if tagged:
            color = "#67001f" if physical else "#555555"
            label = f"{index + 1}: {label}"
            ax.text(
                x,
                0.99,
                str(index + 1),
                transform=ax.get_xaxis_transform(),
                ha="center",
                va="top",
                fontsize=7,
                color=color,
                bbox={"boxstyle": "round,pad=0.15", "facecolor": "white", "edgecolor": color},
            )
        line = ax.axvline(
            x,
            color=color,
            linestyle=FRAME_LINESTYLE[kinds.pop()] if len(kinds) == 1 else "-.",
            linewidth=2.0 if physical else 1.2,
            alpha=0.9,
            label=label,
        )
        lines.append(line)
    return lines
