"""The HTML report in a real browser: headless Chromium (Debian's ``chromium``) loads the page
from a file with the network off, and its DOM has every scenario and every figure drawn.

Marked ``chromium``; skipped where Chromium is not on PATH (``pytest -m "not chromium"`` leaves
it out everywhere).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from bioanchors.html_report import write_html_report
from tests.html_page import Page

pytest.importorskip("matplotlib")
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = [
    pytest.mark.chromium,
    pytest.mark.skipif(CHROMIUM is None, reason="chromium is not on PATH"),
]
NAMES = ("kokotajlod-2021", "kurzweil-2005")


def _chromium(profile: Path, *options: str, timeout: float = 180) -> str:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        f"--user-data-dir={profile}",
        *options,
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, check=False)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("chromium")
    return write_html_report(folder / "report.html", NAMES, n=4_000, command="pytest")


def test_the_rendered_dom_has_every_scenario_and_drawn_figures(report: Path) -> None:
    dom = Page(_chromium(report.parent / "profile-dom", "--dump-dom", report.as_uri()))
    for name in NAMES:
        assert f"scenario-{name}" in dom.ids
    assert {"comparison", "forest", "timelines"} <= set(dom.ids)
    # forest, timelines; each scenario's waterfall; kurzweil's tornado; both audits
    assert len(dom.figures) == 2 + 2 + 1 + 2
    for figure in dom.figures:
        assert figure.attrs.get("role") == "img"
        assert figure.attrs.get("aria-label")
        assert figure.children > 50


def test_a_screenshot_and_a_print_are_not_blank(report: Path) -> None:
    from PIL import Image

    shot = report.parent / "top.png"
    size = "--window-size=1400,1800"
    _chromium(report.parent / "profile-png", size, f"--screenshot={shot}", report.as_uri())
    with Image.open(shot) as image:
        assert image.size == (1400, 1800)
        colours = image.convert("L").getcolors(maxcolors=256 * 256)
        assert colours is not None
        assert len(colours) > 20
    pdf = report.parent / "report.pdf"
    _chromium(report.parent / "profile-pdf", f"--print-to-pdf={pdf}", report.as_uri())
    data = pdf.read_bytes()
    assert data.startswith(b"%PDF")
    assert len(data) > 30_000
    assert data.count(b"/Type /Page") - data.count(b"/Type /Pages") >= 3  # a page per scenario
