"""What every figure shares: the canvas, the colours and styles, and what a plot accepts.

One place decides the look: a constrained-layout :class:`~matplotlib.figure.Figure` (so nothing
is clipped when saved), the curve palette with marker cycling (so no two curves look alike, however
many there are), the styles of the frames, and how the estimates a plot was given are read: one
estimate or many, labelled or not, drawn in the unit of the first one.
"""

from __future__ import annotations

import math
import textwrap
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, TypeAlias

from bioanchors._frames import Frame
from bioanchors._results.estimate import Estimate
from bioanchors._units.registry import as_unit, format_unit
from bioanchors.errors import InvalidInputError

if TYPE_CHECKING:
    import pint
    from matplotlib.figure import Figure

    from bioanchors._typing import UnitLike

__all__ = [
    "CURVE_LINESTYLE",
    "FRAME_LINESTYLE",
    "FRAME_STYLE",
    "PALETTE",
    "EstimatesLike",
    "curve_style",
    "figure",
    "in_one_unit",
    "labelled",
    "percentiles",
    "wrapped",
]

INSTALL_HINT: Final = "plotting needs matplotlib: pip install 'bioanchors[plot]'"

PALETTE: Final = (
    *("#e69f00", "#56b4e9", "#009e73", "#d55e00", "#0072b2", "#cc79a7", "#999933"),
    *("#882255", "#332288", "#7f7f7f"),
)
"""Ten colours for curves and reference lines: Okabe-Ito (colour-blind friendly) without its
black (kept for medians and the reference forecast) and yellow (too pale on white), then three
of Paul Tol's. Beyond ten curves, markers tell them apart (:func:`curve_style`)."""

_MARKERS: Final = ("", "o", "s", "^", "D", "v", "P", "X", "*", "<")
"""The marker of each round of ten curves: none for the first ten, then one shape per ten."""

FRAME_STYLE: Final[Mapping[Frame | None, tuple[str, str]]] = {
    "emulation": ("#d55e00", "s"),
    "functional": ("#0072b2", "o"),
    "bound": ("#cc79a7", "D"),
    None: ("#7f7f7f", "o"),
}
"""One colour and median marker per frame (Okabe-Ito), so a forest plot tells them apart."""

FRAME_LINESTYLE: Final[Mapping[Frame, str]] = {"emulation": ":", "functional": "--", "bound": "-"}
"""Reference lines by frame (forest and CDF plots)."""

CURVE_LINESTYLE: Final[Mapping[Frame, str]] = {"functional": "-", "emulation": "-.", "bound": ":"}
"""Curves by their brain's frame, in the CDF and timelines plots alike."""

EstimatesLike: TypeAlias = (
    "Estimate | tuple[str, Estimate] | Mapping[str, Estimate] "
    "| Sequence[tuple[str, Estimate] | Estimate]"
)
"""What the estimate plots accept: one estimate, one ``(label, estimate)`` pair, a mapping of
labels to estimates, or a sequence of pairs or bare estimates (bare ones are labelled
``"estimate"``, or ``"estimate 1"``, ``"estimate 2"``, ... when there are several)."""


def figure(width: float, height: float) -> Figure:
    """An empty figure with constrained layout (every label and legend inside the canvas)."""
    try:
        from matplotlib.figure import Figure
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(INSTALL_HINT) from None
    return Figure(figsize=(width, height), layout="constrained")


def curve_style(index: int) -> dict[str, Any]:
    """The colour and marker of the ``index``-th curve: ten colours, then the ten again with
    a marker, and so on, so the first 100 curves never share a (colour, marker) pair.
    Markers are spaced along the line (``markevery``) and staggered from curve to curve."""
    color = PALETTE[index % len(PALETTE)]
    marker = _MARKERS[(index // len(PALETTE)) % len(_MARKERS)]
    if not marker:
        return {"color": color, "marker": "None"}
    start = 0.013 * (index % len(PALETTE))
    return {"color": color, "marker": marker, "markersize": 5, "markevery": (start, 0.12)}


def wrapped(text: str, width: int = 96) -> str:
    """``text`` on lines of at most ``width`` characters, so it never leaves the figure."""
    return "\n".join(textwrap.wrap(text, width))


def labelled(estimates: EstimatesLike, what: str) -> list[tuple[str, Estimate]]:
    """``estimates`` as ``(label, estimate)`` pairs, whichever accepted shape it came in."""
    items: list[Any]
    if isinstance(estimates, Estimate):
        items = [estimates]
    elif isinstance(estimates, Mapping):
        items = list(estimates.items())
    elif (
        isinstance(estimates, tuple)
        and len(estimates) == 2
        and isinstance(estimates[0], str)
        and not isinstance(estimates[1], str | tuple)
    ):
        items = [estimates]
    else:
        items = list(estimates)
    if not items:
        raise InvalidInputError(f"{what}: nothing to plot; pass at least one scenario")
    bare = sum(1 for item in items if not isinstance(item, tuple))
    pairs: list[tuple[str, Estimate]] = []
    for item in items:
        if isinstance(item, tuple):
            if len(item) != 2 or not isinstance(item[0], str):
                raise InvalidInputError(
                    f"{what}: expected (label, estimate) pairs, got {item!r:.80}"
                )
            pairs.append((item[0], item[1]))
        else:
            pairs.append(("estimate" if bare == 1 else f"estimate {len(pairs) + 1}", item))
    return pairs


def in_one_unit(
    rows: Sequence[tuple[str, Estimate]], what: str, unit: UnitLike | None = None
) -> tuple[list[tuple[str, Estimate]], pint.Unit]:
    """Every estimate converted to ``unit`` (default: the first estimate's own unit, so an
    estimate in PFLOP/s is drawn in PFLOP/s); a unit of another dimension is an error."""
    target = as_unit(unit) if unit is not None else rows[0][1].unit
    converted = []
    for label, est in rows:
        if not est.unit.is_compatible_with(target):
            raise InvalidInputError(
                f"{what}: {label!r} is in {format_unit(est.unit)}, which does not convert to "
                f"{format_unit(target)}; one figure draws one dimension"
            )
        converted.append((label, est if est.unit == target else est.to(target)))
    return converted, target


def percentiles(label: str, estimate: Estimate, qs: Sequence[float], what: str) -> list[float]:
    """The ``qs`` percentiles of ``estimate`` as floats; a non-finite one is an error."""
    values = [float(estimate.percentile(q).magnitude) for q in qs]
    if not all(math.isfinite(v) for v in values):
        raise InvalidInputError(
            f"{what}: {label!r} has percentiles that are not finite numbers "
            f"({', '.join(f'{v:g}' for v in values)}); every percentile must be finite to plot"
        )
    return values
