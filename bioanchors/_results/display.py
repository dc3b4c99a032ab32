"""An estimate's summary as text, a notebook table or a pandas frame (plain data in).

:class:`~bioanchors.Estimate` hands over its unit, provenance and the percentiles it shows, so
this module needs nothing of the results layer. A point value (an interval of zero width: every
percentile the same number) is shown as its value alone, ``1.0e11 neuron``, never as a
degenerate interval. A format spec (``format(est, ".2e")``) formats the median and the interval
ends and keeps the unit; its fill, alignment and width apply to the whole text (as for
``complex``).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bioanchors._format import format_exact, format_number
from bioanchors._graph.display import split_spec
from bioanchors._optional import require_pandas
from bioanchors.errors import InvalidInputError

__all__ = ["estimate_text", "summary_frame", "summary_html"]


def estimate_text(median: float, lo: float, hi: float, unit: str, spec: str = "") -> str:
    """``2.1e19 FLOP/s (90% CI 4.0e18 – 1.1e20)``, or ``1.0e11 neuron`` for a point value;
    ``spec`` as in the module notes (``""``: two significant figures)."""
    shown = split_spec(spec, "an Estimate")
    if shown.number.endswith("%") and unit:
        raise InvalidInputError(
            f"format spec {spec!r}: '%' shows a fraction as a percentage, but this estimate is "
            f"in {unit}, not dimensionless; use a float format such as '.2e' (or convert a "
            "dimensionless ratio first)"
        )

    def number(value: float) -> str:
        return format(value, shown.number) if shown.number else format_number(value)

    point = lo == hi == median
    shown_median = format_exact(median) if point and not shown.number else number(median)
    text = shown_median + (f" {unit}" if unit else "")
    if not point:
        text += f" (90% CI {number(lo)} – {number(hi)})"
    return shown.pad(text)


def summary_html(
    unit: str, method: str, n: int, seed: int, percentiles: Sequence[tuple[int, float]], mean: float
) -> str:
    """An HTML table: one column per ``(q, value)`` percentile and the mean; a point value (all
    percentiles equal) is one cell."""
    import html  # only notebooks ask: not worth its import time for everyone

    shown = html.escape(unit or "dimensionless")
    provenance = f"{html.escape(method)}, n={n}, seed={seed}"
    if len({value for _, value in percentiles}) == 1 and percentiles[0][1] == mean:
        return (
            f"<table><caption>Point value in {shown} ({provenance})</caption><tr><th>value</th>"
            f"</tr><tr><td>{format_exact(mean)}</td></tr></table>"
        )
    cells = "".join(f"<td>{format_number(value)}</td>" for _, value in percentiles)
    heads = "".join(f"<th>p{q}</th>" for q, _ in percentiles)
    return (
        f"<table><caption>Estimate in {shown} ({provenance})</caption><tr>{heads}<th>mean</th></tr>"
        f"<tr>{cells}<td>{format_number(mean)}</td></tr></table>"
    )


def summary_frame(percentiles: Sequence[tuple[int, float]], **attrs: Any) -> Any:
    """A ``pandas.DataFrame`` of ``value`` by ``percentile``, ``attrs`` in its ``attrs``."""
    pandas = require_pandas()
    frame = pandas.DataFrame(
        {"value": [value for _, value in percentiles]},
        index=pandas.Index([q for q, _ in percentiles], name="percentile"),
    )
    frame.attrs.update(attrs)
    return frame
