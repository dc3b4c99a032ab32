"""Matplotlib figures as inline SVG that a page can hold many of, with their alt text.

Each figure is rendered with matplotlib's SVG backend (text kept as text, so it stays small and
searchable) and then made fit for inlining in HTML: the XML prolog, DOCTYPE and RDF metadata
go, the namespace declarations go (an inline ``<svg>`` in HTML needs none), ``xlink:href``
becomes SVG 2's ``href``, and every ``id`` (and each reference to it) gets a prefix unique to
the figure, since matplotlib names its elements alike in every file (``figure_1``,
``patch_1``) and one page must not hold two elements with one id. The root gets
``role="img"``, an ``aria-label`` and a ``<title>``: the figure's alt text.
"""

from __future__ import annotations

import html
import io
import re
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from matplotlib.figure import Figure

__all__ = ["inline_svg", "waterfall_figure"]

_PROLOG = re.compile(r"^.*?(?=<svg\b)", re.DOTALL)
_METADATA = re.compile(r"<metadata>.*?</metadata>\s*", re.DOTALL)
_NAMESPACES = re.compile(r'\s+xmlns(:\w+)?="[^"]*"')
_ID = re.compile(r'\bid="([^"]+)"')
_URL_REF = re.compile(r"url\(#([^)]+)\)")
_HREF_REF = re.compile(r'\b(?:xlink:)?href="#([^"]+)"')
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_FONTS = "'DejaVu Sans', 'Bitstream Vera Sans', Verdana, sans-serif"
_LONE_FONT = re.compile(r"'DejaVu Sans'(?=[;\"])")


def inline_svg(figure: Figure, *, prefix: str, label: str) -> str:
    """``figure`` as an inline ``<svg>`` element whose ids all start with ``prefix``, labelled
    ``label`` (its alt text); the figure is closed afterwards (it holds no pyplot state)."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": prefix}):
        figure.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = _COMMENT.sub("", _METADATA.sub("", _PROLOG.sub("", buffer.getvalue(), count=1)))
    text = _NAMESPACES.sub("", text)
    text = _ID.sub(lambda m: f'id="{prefix}-{m.group(1)}"', text)
    text = _URL_REF.sub(lambda m: f"url(#{prefix}-{m.group(1)})", text)
    text = _HREF_REF.sub(lambda m: f'href="#{prefix}-{m.group(1)}"', text)
    text = text.replace("xlink:href=", "href=")  # an embedded image's data: address, if any
    text = _LONE_FONT.sub(_FONTS, text)  # fonts of DejaVu's metrics where it is missing
    alt = html.escape(label)
    root = re.match(r"<svg\b([^>]*)>", text)
    if root is None:  # pragma: no cover - matplotlib always writes one root element
        raise RuntimeError("matplotlib wrote no <svg> element")
    attributes = re.sub(r'\s+(width|height)="[^"]*"', "", root.group(1))
    opened = (
        f'<svg{attributes} role="img" aria-label="{alt}" class="figure-svg"><title>{alt}</title>'
    )
    return opened + text[root.end() :].strip()


def waterfall_figure(rows: Any, *, unit: str, title: str) -> Figure:
    """The running median along a scenario's chain (a :class:`Waterfall`'s rows), one bar per
    step from the median before to the median after, on a log axis when every median is
    positive; a tick marks each median after, so a factor near 1 still shows. The step that
    moved the answer most is hatched and named in the legend."""
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    rows = list(rows)
    figure = Figure(figsize=(8.0, 1.3 + 0.42 * len(rows)), layout="constrained")
    ax = figure.add_subplot()
    values = [row.median_after for row in rows] + [
        row.median_before for row in rows if row.median_before is not None
    ]
    positive = all(value > 0 for value in values)
    for y, row in enumerate(rows):
        after = row.median_after
        before = after if row.median_before is None else row.median_before
        lo, hi = sorted((before, after))
        up = after >= before
        style: dict[str, Any] = {"color": "#2166ac" if up else "#b2182b", "height": 0.6}
        if row.largest:
            style.update(hatch="//", edgecolor="black")
        if row.median_before is not None and hi > lo:
            ax.barh(y, hi - lo, left=lo, **style)
        ax.plot([after], [y], marker="|", markersize=14, color="black")  # seen however small
    ax.set_yticks(range(len(rows)), [row.label for row in rows])
    ax.invert_yaxis()
    if positive:  # explicit limits: a bar's sticky left edge would otherwise clip a lower one
        ax.set_xscale("log")
        ax.set_xlim(min(values) / 2, max(values) * 2)
    else:
        span = (max(values) - min(values)) or abs(max(values)) or 1.0
        ax.set_xlim(min(values) - 0.05 * span, max(values) + 0.05 * span)
    scale = ", log scale" if positive else ""
    ax.set_xlabel(f"running median after each step, in that row's unit (the last: {unit}){scale}")
    ax.set_title(title, fontsize="medium")
    handles = [
        Patch(color="#2166ac", label="raises the median"),
        Patch(color="#b2182b", label="lowers the median"),
    ]
    if any(row.largest for row in rows):
        handles.append(Patch(facecolor="white", edgecolor="black", hatch="//", label="largest"))
    figure.legend(handles=handles, loc="outside lower center", ncols=len(handles), fontsize=8)
    return figure
