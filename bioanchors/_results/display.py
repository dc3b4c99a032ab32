"""An estimate's summary as a notebook table or a pandas frame (plain data in, no Estimate).

:class:`~bioanchors.Estimate` hands over its unit, provenance and the percentiles it shows, so
this module needs nothing of the results layer.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from bioanchors._format import format_number
from bioanchors._optional import require_pandas

__all__ = ["summary_frame", "summary_html"]


def summary_html(
    unit: str, method: str, n: int, seed: int, percentiles: Sequence[tuple[int, float]], mean: float
) -> str:
    """An HTML table: one column per ``(q, value)`` percentile and the mean."""
    import html  # only notebooks ask: not worth its import time for everyone

    shown = html.escape(unit or "dimensionless")
    cells = "".join(f"<td>{format_number(value)}</td>" for _, value in percentiles)
    heads = "".join(f"<th>p{q}</th>" for q, _ in percentiles)
    return (
        f"<table><caption>Estimate in {shown} ({html.escape(method)}, n={n}, "
        f"seed={seed})</caption><tr>{heads}<th>mean</th></tr>"
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
