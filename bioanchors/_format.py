"""Number and table formats shared by every layer that prints (results, reports, timelines).

A low module with no bioanchors imports, so that anything may format a number the same way.
"""

from __future__ import annotations

import csv
import io
import math
from collections.abc import Mapping, Sequence
from typing import Any

__all__ = [
    "csv_text",
    "format_exact",
    "format_number",
    "format_probability",
    "format_signed",
    "markdown_table",
    "text_table",
]


def format_signed(value: float, digits: int = 1) -> str:
    """``value`` with its sign and ``digits`` decimals, never ``-0.0`` for a value that rounds
    to zero.

    >>> format_signed(-0.04), format_signed(1.25), format_signed(-3.0, 0)
    ('+0.0', '+1.2', '-3')
    """
    return f"{round(value, digits) + 0.0:+.{digits}f}"


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


def format_exact(value: float, digits: int = 6) -> str:
    """A value someone wrote (a point input, an interval's end) as written, up to ``digits``
    significant figures, in :func:`format_number`'s style: 896 stays ``896`` (not ``900``),
    8.61e10 stays ``8.61e10``; a value of two figures looks as :func:`format_number` has it.

    >>> format_exact(896), format_exact(8.61e10), format_exact(1e11), format_exact(0.25)
    ('896', '8.61e10', '1.0e11', '0.25')
    >>> format_exact(1.0000000000000002e308), format_exact(-1.234567e-7)
    ('1.0e308', '-1.23457e-7')
    """
    short = format_number(value)
    if value == 0 or not math.isfinite(value) or float(short) == value:
        return short
    if 0.01 <= abs(value) < 10_000:
        return f"{value:.{digits}g}"
    mantissa, exponent = f"{value:.{digits - 1}e}".split("e")
    whole, _, decimals = mantissa.partition(".")
    return f"{whole}.{decimals.rstrip('0') or '0'}e{int(exponent)}"


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


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: set[int]) -> str:
    """A GitHub-flavoured Markdown table; columns in ``right`` are right-aligned, and a ``|``
    inside a cell is escaped.

    >>> print(markdown_table(["step", "value"], [["a|b", "1.0e3"]], {1}))
    | step | value |
    |---|---:|
    | a\\|b | 1.0e3 |
    """

    def line(cells: Sequence[str]) -> str:
        return "| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |"

    rule = "|" + "|".join("---:" if i in right else "---" for i in range(len(headers))) + "|"
    return "\n".join([line(headers), rule, *(line(r) for r in rows)])


def csv_text(fields: Sequence[str], records: Sequence[Mapping[str, Any]]) -> str:
    """``records`` as CSV with a header row of ``fields``: numbers at full precision (``repr``),
    ``None`` (and a non-finite number) as an empty cell, booleans as ``true``/``false``. Text
    that a spreadsheet would run as a formula (a title from a data file beginning with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return) is written with a leading ``'``, as OWASP
    advises against CSV injection.

    >>> print(csv_text(["a", "b", "ok"], [{"a": 0.1, "b": None, "ok": True}]), end="")
    a,b,ok
    0.1,,true
    >>> print(csv_text(["title"], [{"title": "=HYPERLINK(1)"}]), end="")
    title
    '=HYPERLINK(1)
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(fields)
    for record in records:
        writer.writerow([_csv_cell(record.get(field)) for field in fields])
    return buffer.getvalue()


def _csv_cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and not math.isfinite(value):
        return ""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
