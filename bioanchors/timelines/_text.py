"""How forecasts write years and probabilities (the text, HTML and JSON views share these)."""

from __future__ import annotations

import math
from typing import Final

__all__ = ["TABLE_YEARS", "json_number", "null_means", "pct", "year_key", "year_text"]

TABLE_YEARS: Final[tuple[int, int]] = (2040, 2050)
"""The years of the P(TAI by year) columns of :func:`~bioanchors.timelines.timelines_table`."""


def null_means(last_year: float) -> str:
    return (
        f"a year or shift of null is not reached by {last_year:.0f} "
        "(the last year the model covers)"
    )


def json_number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def year_key(year: float) -> str:
    return str(int(year)) if float(year).is_integer() else repr(float(year))


def year_text(year: float, last_year: float) -> str:
    return f"{year:.0f}" if math.isfinite(year) else f"after {last_year:.0f}"


def pct(p: float) -> str:
    return f"{100 * p:.1f}%"
