"""A reading of an HTML page for the tests: its tags, ids, links, headings, figures and text."""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset({"meta", "br", "hr", "img", "input", "link", "area", "base", "col", "wbr"})


@dataclass
class Figure:
    attrs: dict[str, str]
    title: str = ""
    children: int = 0
    texts: list[str] = field(default_factory=list)


class Page(HTMLParser):
    """Everything the tests ask of a page, gathered in one pass of the stdlib parser."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.ids: list[str] = []
        self.headings: list[tuple[int, str]] = []
        self.figures: list[Figure] = []
        self.text: list[str] = []  # every text node, SVG text included
        self._stack: list[str] = []
        self._heading: list[str] | None = None
        self._in_title = False
        self.feed(text)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        self.tags.append((tag, values))
        if "id" in values:
            self.ids.append(values["id"])
        if tag == "svg" and "svg" not in self._stack:
            self.figures.append(Figure(values))
        elif "svg" in self._stack:
            self.figures[-1].children += 1
            self._in_title = tag == "title" and self._stack[-1] == "svg"
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            self._heading = []
        if tag not in VOID:
            self._stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID:
            self._stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        if not self._stack or self._stack[-1] != tag:
            raise ValueError(f"</{tag}> closes {self._stack[-1:]}: the page is not well nested")
        self._stack.pop()
        if tag in ("h1", "h2", "h3", "h4", "h5", "h6") and self._heading is not None:
            self.headings.append((int(tag[1]), "".join(self._heading)))
            self._heading = None
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if "style" in self._stack[-1:]:
            return
        self.text.append(data)
        if self._heading is not None:
            self._heading.append(data)
        if self._stack and "svg" in self._stack:
            figure = self.figures[-1]
            if self._in_title:
                figure.title += data
            else:
                figure.texts.append(data)

    def all_text(self) -> str:
        return " ".join(self.text)

    def by_tag(self, name: str) -> list[dict[str, str]]:
        return [attrs for tag, attrs in self.tags if tag == name]
