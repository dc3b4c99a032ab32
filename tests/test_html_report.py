"""The HTML report: one self-contained, accessible, escaped page (``report --html``).

The page is read back with the stdlib's HTML parser (tests/html_page.py) and with
xml.etree (it is well-formed), never by matching its markup as text.
"""

from __future__ import annotations

import itertools
import re
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors import catalog
from bioanchors._format import format_number
from bioanchors._html.markup import Cell, esc, link, table
from bioanchors.cli import main
from bioanchors.html_report import html_report, write_html_report
from bioanchors.report import report_rows
from tests.html_page import Page

pytest.importorskip("matplotlib")

HOSTILE = '<script>alert("x")</script>'
NAMES = ("kokotajlod-2021", "carlsmith-2020-functional")
N = 4_000

_HOSTILE_FILE = f"""
name = "hostile-user-file"
title = 'Title {HOSTILE}'
description = "A description that closes a tag: </p><img src=x onerror=alert(1)> & more"
output = "total"
unit = "FLOP/s"
frame = "functional"

[source]
who = "<b>Mallory</b>"
where = 'The <i>Journal</i> of {HOSTILE}'
url = "javascript:alert(1)"

[[steps]]
name = "neurons"
unit = "neuron"
between = [5e10, 2e11]
quote = '''{HOSTILE} & 'quotes' '''
page = "<a href='https://example.org/x'>p. 3</a>"
note = "<iframe src='https://example.org/frame'></iframe>"
url = "https://example.org/paper?a=1&b=<2>"

[[steps]]
name = "per_neuron"
unit = "FLOP/s/neuron"
between = [1e3, 1e6]
assumption = true
note = "an assumption with <style>body{{display:none}}</style>"

[[steps]]
name = "total"
unit = "FLOP/s"
formula = "neurons * per_neuron"
claimed = "1e13 FLOP/s"
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> ba.Scenario:
    path = tmp_path_factory.mktemp("user") / "hostile-user-file.toml"
    path.write_text(_HOSTILE_FILE, encoding="utf-8")
    return catalog.load_scenario(str(path))


@pytest.fixture(scope="module")
def text(hostile: ba.Scenario) -> str:
    return html_report([*NAMES, hostile], n=N, seed=3, command="pytest", generated="a date")


@pytest.fixture(scope="module")
def page(text: str) -> Page:
    return Page(text)


def test_every_scenario_has_its_article_and_a_contents_entry(page: Page) -> None:
    ids = set(page.ids)
    links = {a["href"] for a in page.by_tag("a") if a.get("href", "").startswith("#")}
    for name in (*NAMES, "hostile-user-file"):
        assert f"scenario-{name}" in ids
        assert f"#scenario-{name}" in links
    assert {"comparison", "forest", "timelines", "scenarios"} <= ids
    assert {link[1:] for link in links} <= ids  # no in-page link points nowhere
    assert len(page.ids) == len(ids), "an id is used twice (figures share matplotlib's ids?)"


def test_every_figure_is_a_labelled_non_empty_svg(page: Page) -> None:
    # the forest plot and the timelines; a waterfall for each scenario; a tornado for each with
    # uncertain inputs (not kokotajlod-2021's point values); an audit chart for each that
    # claims values (not carlsmith-2020-functional)
    assert len(page.figures) == 2 + 3 + 2 + 2
    for figure in page.figures:
        assert figure.attrs.get("role") == "img"
        label = figure.attrs.get("aria-label", "")
        assert len(label) > 40
        assert figure.title == label
        assert figure.children > 50
        assert any(t.strip() for t in figure.texts)
        assert "viewbox" in figure.attrs
        assert "width" not in figure.attrs


def test_nothing_is_loaded_from_outside(page: Page, text: str) -> None:
    for tag, attrs in page.tags:
        assert tag not in ("script", "link", "img", "iframe", "object", "embed", "base")
        for key in ("src", "srcset", "href", "xlink:href", "data", "poster", "action"):
            value = attrs.get(key)
            if value is None or value.startswith("#"):
                continue
            assert tag == "a"
            assert key == "href"
            assert value.startswith(("http://", "https://"))
    styles = re.findall(r"<style[^>]*>(.*?)</style>", text, re.DOTALL)
    for css in styles:
        assert "@import" not in css
        assert "url(" not in css
    assert all(u.startswith("url(#") for u in re.findall(r"url\([^)]*\)", text))


def test_every_reference_inside_the_page_resolves(page: Page, text: str) -> None:
    ids = set(page.ids)
    targets = {
        v[1:] for _, attrs in page.tags for k, v in attrs.items() if k == "href" and v[:1] == "#"
    }
    targets |= set(re.findall(r"url\(#([^)]+)\)", text))
    assert targets
    assert targets <= ids, sorted(targets - ids)[:5]


def test_the_page_is_well_formed_and_its_headings_nest(page: Page, text: str) -> None:
    root = ET.fromstring(text.removeprefix("<!DOCTYPE html>\n"))
    assert root.tag == "html"
    assert root.get("lang") == "en"
    levels = [level for level, _ in page.headings]
    assert levels.count(1) == 1
    assert levels[0] == 1
    assert all(b <= a + 1 for a, b in itertools.pairwise(levels)), levels
    for tab in root.iter("table"):
        assert tab.find("caption") is not None
        for body in tab.iter("tbody"):
            assert all(th.get("scope") in ("row", "rowgroup") for th in body.iter("th"))
        head = tab.find("thead")
        assert head is not None
        assert all(th.get("scope") == "col" for th in head.iter("th"))


def test_no_number_is_nan_or_infinite(page: Page) -> None:
    shown = page.all_text()
    assert not re.search(r"\b(nan|inf|infinity)\b", shown, re.IGNORECASE)


def test_file_text_is_shown_as_text_never_as_markup(page: Page) -> None:
    shown = page.all_text()
    assert HOSTILE in shown  # the title, the where: as text
    assert "</p><img src=x onerror=alert(1)> & more" in shown
    assert "<iframe src='https://example.org/frame'></iframe>" in shown
    assert "<style>body{display:none}</style>" in shown
    assert not [tag for tag, _ in page.tags if tag in ("script", "iframe", "img", "b", "i")]
    hrefs = [a["href"] for a in page.by_tag("a")]
    assert "https://example.org/paper?a=1&b=<2>" in hrefs  # the step's link, escaped
    assert not [h for h in hrefs if "javascript" in h or h == "https://example.org/x"]


def test_markers_and_mismatches_are_in_words(page: Page) -> None:
    shown = page.all_text()
    assert "✗ MISMATCH" in shown  # kokotajlod-2021's total: claimed 1e17, recomputed 1e19
    assert "assumption" in shown
    koko = ba.load_scenario("kokotajlod-2021").audit(n=N, seed=3)
    failed = [row.name for row in koko if row.claimed is not None and not row.ok]
    assert failed == ["total"]
    assert f"1 of {sum(r.claimed is not None for r in koko)} claimed values" in shown


def test_comparison_rows_are_the_text_reports(page: Page, hostile: ba.Scenario) -> None:
    scenarios = [*map(ba.load_scenario, NAMES), hostile]
    rows, _ = report_rows(scenarios, n=N, seed=3)
    shown = page.all_text()
    order = [shown.index(f"{row.scenario} {row.title}") for row in rows]
    assert order == sorted(order)  # grouped by frame, as the text report is
    for row in rows:
        assert format_number(row.median) in shown
    assert "functional: " + ba.FRAME_GLOSSARY["functional"] in shown


def test_metadata_says_how_the_page_was_made(page: Page) -> None:
    shown = page.all_text()
    for fact in (ba.__version__, "pytest", "a date", "n = 4,000", "seed"):
        assert fact in shown


def test_timelines_has_each_brain_and_the_claimed_rows(page: Page) -> None:
    shown = page.all_text()
    for brain in ("cotra-2020", "kokotajlod-2021:claimed", "hostile-user-file:claimed"):
        assert brain in shown


def test_write_html_report_refuses_a_missing_folder(tmp_path: Path) -> None:
    with pytest.raises(ba.InvalidInputError, match="does not exist"):
        write_html_report(tmp_path / "no" / "r.html", ["kurzweil-2005"], n=1_000)


def test_a_scenario_given_twice_is_refused() -> None:
    with pytest.raises(ba.InvalidInputError, match="given twice"):
        html_report(["kurzweil-2005", "kurzweil-2005"], n=1_000)


def test_cli_writes_the_page(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "report.html"
    argv = ["report", "--html", str(target), "--scenarios", "kurzweil-2005", "-n", "2000"]
    assert main(argv) == 0
    assert "wrote" in capsys.readouterr().out
    written = Page(target.read_text(encoding="utf-8"))
    assert "scenario-kurzweil-2005" in written.ids
    assert "bioanchors report --html" in written.all_text()
    assert main(["report", "--html", str(tmp_path / "r.txt")]) != 0
    assert ".html file name" in capsys.readouterr().err


def test_the_full_report_has_every_scenario() -> None:
    full = Page(html_report(n=2_000, timelines=False, generated="now"))
    for name in ba.scenarios():
        assert f"scenario-{name}" in full.ids
    assert all(figure.children > 20 for figure in full.figures)
    assert not re.search(r"\b(nan|inf|infinity)\b", full.all_text(), re.IGNORECASE)


@given(st.text(max_size=60), st.text(max_size=60))
def test_any_text_in_a_table_comes_back_as_that_text(caption: str, value: str) -> None:
    markup = table(esc(caption), ["h"], [(esc(value), [[Cell.text(value)]])])
    parsed = Page(markup)
    assert [tag for tag, _ in parsed.tags] == [
        *("div", "table", "caption", "thead", "tr", "th", "tbody", "tr", "th", "tr", "td")
    ]
    cleaned = "".join(parsed.text)
    assert cleaned == caption + "h" + value + value


@given(st.text(max_size=40), st.text(max_size=40))
def test_a_link_is_made_only_to_a_web_address(url: str, label: str) -> None:
    parsed = Page(link(url, label))
    anchors = parsed.by_tag("a")
    assert "".join(parsed.text) == label
    if anchors:
        assert anchors[0]["href"] == url.strip()
        assert url.strip().lower().startswith(("http://", "https://"))


@given(st.text(max_size=12), st.text(max_size=12))
def test_property_two_names_never_share_an_anchor_id(a: str, b: str) -> None:
    """Red team: `x:claimed` and a scenario named `x-claimed` shared one id."""
    from bioanchors._html.markup import anchor_id

    assert anchor_id("scenario", "x:claimed") != anchor_id("scenario", "x-claimed")
    if a != b:
        assert anchor_id("scenario", a) != anchor_id("scenario", b)
    assert re.fullmatch(r"[A-Za-z0-9_.-]+", anchor_id("scenario", a))
