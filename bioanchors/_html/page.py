"""The page: the head (its stylesheet inline), the title and run metadata, the table of
contents, the sections in order, and the footer. Nothing on it is loaded from elsewhere."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bioanchors._html.markup import anchor_id, esc
from bioanchors._html.style import CSS

__all__ = ["RunInfo", "page"]


@dataclass(frozen=True)
class RunInfo:
    """What the page says about how it was made."""

    version: str
    n: int
    detail_n: int
    sensitivity_n: int
    timelines_n: int | None
    seed: int
    generated: str
    command: str


def _metadata(info: RunInfo) -> str:
    items = [
        ("bioanchors", info.version),
        ("generated", info.generated),
        ("command", f"<code>{esc(info.command)}</code>"),
        ("samples (table, forest plot)", f"n = {info.n:,}"),
        ("samples (each scenario's audit and waterfall)", f"n = {info.detail_n:,}"),
        ("samples (each scenario's sensitivity)", f"n = {info.sensitivity_n:,}"),
        *(
            [("samples (timelines)", f"n = {info.timelines_n:,}")]
            if info.timelines_n is not None
            else []
        ),
        ("seed", str(info.seed)),
    ]
    return (
        '<dl class="run">'
        + "".join(f"<dt>{esc(k)}</dt><dd>{v if k == 'command' else esc(v)}</dd>" for k, v in items)
        + "</dl>"
    )


def _toc(names: Sequence[str], timelines: bool) -> str:
    scenarios = "".join(
        f'<li><a href="#{anchor_id("scenario", name)}">{esc(name)}</a></li>' for name in names
    )
    entries = [
        '<li><a href="#comparison">Comparison</a></li>',
        '<li><a href="#forest">Forest plot</a></li>',
        *(['<li><a href="#timelines">Timelines</a></li>'] if timelines else []),
        f'<li><a href="#scenarios">Scenarios</a><ol>{scenarios}</ol></li>',
    ]
    return (
        '<nav class="toc" aria-labelledby="toc-h"><h2 id="toc-h">Contents</h2><ol>'
        + "".join(entries)
        + "</ol></nav>"
    )


def page(
    *, title: str, lede: str, info: RunInfo, names: Sequence[str], sections: Sequence[str]
) -> str:
    """The whole document: ``sections`` (markup) in order, ``names`` the scenarios for the
    table of contents (a ``#timelines`` entry when a section has that id)."""
    timelines = any('id="timelines"' in section for section in sections)
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8"/>'
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>'
        f'<meta name="generator" content="bioanchors {esc(info.version)}"/>'
        f"<title>{esc(title)}</title><style>{CSS}</style></head>\n"
        f'<body><header><h1>{esc(title)}</h1><p class="lede">{esc(lede)}</p>'
        + _metadata(info)
        + "</header>\n"
        + _toc(names, timelines)
        + "\n<main>\n"
        + "\n".join(sections)
        + "\n</main>\n"
        f"<footer><p>Made by bioanchors {esc(info.version)} on {esc(info.generated)}. "
        "Every number on this page comes from the scenario files named above, with their "
        "citations; re-run the command to reproduce it.</p></footer>"
        "</body></html>\n"
    )
