"""Number and table formats shared by every layer that prints (results, reports, timelines).

A low module with no bioanchors imports, so that anything may format a number the same way.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

__all__ = ["format_number", "format_probability", "text_table"]


def format_probability(p: float, se: float = 0.0, n: int | None = None) -> str:
    """A probability for a table, never a bare ``0.00`` for a tail that a few samples reached.

    ``se`` is its Monte Carlo standard error and ``n`` the number of samples (None or ``se``
    0 for an exact probability). No sample above: ``< 1e-05`` (one in n); a small tail: the
    value with its error, ``3.1e-04 ± 6e-05``; otherwise two decimals.

    >>> format_probability(0.0, 5e-6, 100_000), format_probability(3.1e-4, 6e-5, 100_000)
    ('< 1e-05', '3.1e-04 ± 6e-05')
    >>> format_probability(0.07, 8e-4, 100_000), format_probability(1.0, 5e-6, 100_000)
    ('0.07', '> 1 - 1e-05')
    """
    sampled = n is not None and se > 0
    if p == 0.0 and not sampled:
        return "0"
    if sampled and n is not None and (p <= 0.0 or p >= 1.0):
        if n < 10:  # too few samples for a bound worth printing
            return f"{round(p * n)} of {n}"
        return f"< {1 / n:.0e}" if p <= 0.0 else f"> 1 - {1 / n:.0e}"
    error = f" ± {se:.0e}" if sampled else ""
    if 0.0 < p < 0.005:
        return f"{p:.1e}{error}"
    if 0.995 < p < 1.0:  # enough decimals to show the distance from 1
        digits = min(17, math.ceil(-math.log10(1.0 - p)) + 1)
        return f"{p:.{digits}f}{error}"
    return f"{p:.2f}"


def format_number(value: float) -> str:
    """Two significant figures: ``2.1e19``, ``4.0e-3``; plain between 0.01 and 10,000 (``270``)."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 0.01 <= abs(value) < 10_000:
        return f"{float(f'{value:.2g}'):g}"
    mantissa, exponent = f"{value:.1e}".split("e")
    return f"{mantissa}e{int(exponent)}"


def text_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """An aligned plain-text table; columns in ``right`` are right-aligned."""
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        parts = [
            c.rjust(w) if i in right else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ]
        return "  ".join(parts).rstrip()

    rule = "  ".join("-" * w for w in widths)
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])
