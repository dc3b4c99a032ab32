"""The page's building blocks: escaped text, tables with header cells, numbers, links, ids.

Everything that comes from a file (names, titles, citations, quotes, notes, formulas) is
untrusted and passes through :func:`esc`; only these helpers write tags. The markup is also
well-formed XML (void elements closed, no named entities but XML's own), so a test can parse it.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bioanchors._format import format_number

__all__ = [
    "Cell",
    "anchor_id",
    "esc",
    "link",
    "number",
    "table",
]

_SAFE_SCHEMES = ("http://", "https://")
_NUM = ' class="num"'


def esc(text: object) -> str:
    """``text`` as HTML text (``<``, ``>``, ``&`` and both quotes escaped)."""
    return html.escape(str(text), quote=True)


def number(value: float | None, empty: str = "") -> str:
    """``format_number`` for a finite value; ``empty`` for None; "n/a" for NaN or infinity,
    which the page never shows as such."""
    if value is None:
        return empty
    if not math.isfinite(value):
        return "n/a"
    return format_number(value)


def anchor_id(prefix: str, name: str) -> str:
    """A fragment id for ``name``, e.g. ``scenario-kokotajlod-2021``: lowercase letters,
    digits, ``-``, ``_`` and ``.`` stay; any other character becomes ``X`` and its code point
    in six upper-case hex digits (``kokotajlod-2021:claimed`` -> ``...2021X00003Aclaimed``),
    which no scenario or step name contains, so two names never share an id (``x:claimed``
    and a scenario named ``x-claimed`` did)."""
    escaped = re.sub(r"[^a-z0-9_.-]", lambda m: f"X{ord(m.group()):06X}", name)
    return f"{prefix}-{escaped}"


def link(url: str | None, text: str) -> str:
    """``text`` linked to ``url`` when it is an http(s) address (a link the reader follows;
    the page loads nothing from it); other schemes (``javascript:``, ``file:``) stay text."""
    if url and url.strip().lower().startswith(_SAFE_SCHEMES):
        return f'<a href="{esc(url.strip())}" rel="noopener noreferrer">{esc(text)}</a>'
    return esc(text)


@dataclass(frozen=True)
class Cell:
    """A table cell: ``markup`` (already escaped HTML), numeric (right-aligned, tabular
    figures), a row header (``<th scope="row">``), or a flag (a class for its styling)."""

    markup: str
    numeric: bool = False
    header: bool = False
    css: str = ""

    @classmethod
    def text(cls, value: object, *, numeric: bool = False, header: bool = False) -> Cell:
        return cls(esc(value), numeric=numeric, header=header)

    def render(self) -> str:
        classes = " ".join(c for c in ("num" if self.numeric else "", self.css) if c)
        attr = f' class="{classes}"' if classes else ""
        if self.header:
            return f'<th scope="row"{attr}>{self.markup}</th>'
        return f"<td{attr}>{self.markup}</td>"


def table(
    caption: str,
    headers: Sequence[str],
    groups: Iterable[tuple[str | None, Sequence[Sequence[Cell]]]],
    *,
    numeric: Iterable[int] = (),
    css: str = "",
) -> str:
    """A ``<table>`` with a ``<caption>`` (markup), column headers (``<th scope="col">``) and
    one ``<tbody>`` per group; a group with a heading (markup) starts with a row header
    spanning the table (``<th scope="rowgroup">``)."""
    right = set(numeric)
    head = "".join(
        f'<th scope="col"{_NUM if i in right else ""}>{esc(h)}</th>' for i, h in enumerate(headers)
    )
    bodies = []
    for heading, rows in groups:
        lines = []
        if heading is not None:
            lines.append(
                f'<tr class="group"><th scope="rowgroup" colspan="{len(headers)}">'
                f"{heading}</th></tr>"
            )
        lines.extend("<tr>" + "".join(c.render() for c in row) + "</tr>" for row in rows)
        bodies.append("<tbody>" + "".join(lines) + "</tbody>")
    klass = f' class="{css}"' if css else ""
    return (
        f'<div class="table-wrap"><table{klass}><caption>{caption}</caption>'
        f"<thead><tr>{head}</tr></thead>" + "".join(bodies) + "</table></div>"
    )
