"""The audit plot: each claimed step's recomputed value against its claim, in orders of magnitude.

Green bars are claims that hold (within the audit's tolerance), red ones claims that do not;
each bar says both numbers and the unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

import numpy as np

from bioanchors._format import format_number
from bioanchors.errors import InvalidInputError
from bioanchors.plots._layout import figure

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from bioanchors import StepAudit

__all__ = ["audit_plot"]

HOLDS: Final = "#1b7837"
FAILS: Final = "#b2182b"


def audit_plot(rows: Sequence[StepAudit] | StepAudit, *, title: str = "") -> Figure:
    """Claimed vs recomputed value of each step with a claim, as orders of magnitude apart
    (``rows``: :meth:`bioanchors.Scenario.audit`, or one of its rows)."""
    from matplotlib.patches import Patch

    from bioanchors._scenarios.audit import StepAudit

    listed = [rows] if isinstance(rows, StepAudit) else list(rows)
    claimed = [r for r in listed if r.claimed is not None and r.ratio is not None]
    if not claimed:
        raise InvalidInputError("audit_plot: no step of this derivation states a claimed value")
    fig = figure(8.0, 2.0 + 0.5 * len(claimed))
    ax = fig.add_subplot()
    offsets = [math.log10(r.ratio) for r in claimed if r.ratio is not None]
    positions = np.arange(len(claimed))[::-1]
    colors = [HOLDS if r.ok else FAILS for r in claimed]
    ax.barh(positions, offsets, color=colors, height=0.6)
    ax.scatter(offsets, positions, color=colors, marker="D", s=25, zorder=3)  # 0-length bars too
    for y, row, offset in zip(positions, claimed, offsets, strict=True):
        claimed_text = format_number(row.claimed or 0.0)
        text = f"claimed {claimed_text}, recomputed {format_number(row.recomputed)} {row.unit}"
        ax.text(offset, y, f"  {text}", va="center", fontsize=8)
    ax.axvline(0, color="black", linewidth=1)
    ax.set_yticks(positions, [r.name for r in claimed])
    span = max(1.0, *(abs(o) for o in offsets))
    ax.set_xlim(-span * 1.2, span * 3.2)
    ax.set_ylim(-0.7, len(claimed) - 0.3)
    ax.set_xlabel("log10(recomputed / claimed): 0 = the claim holds; 2 = off by 100x")
    shown = sorted({r.ok for r in claimed}, reverse=True)
    handles = [
        Patch(color=HOLDS if ok else FAILS, label="the claim holds" if ok else "the claim is off")
        for ok in shown
    ]
    fig.legend(handles=handles, loc="outside lower center", ncols=2, fontsize=8, frameon=False)
    ax.set_title(title or "Audit: claimed vs recomputed, step by step")
    return fig
