"""Every result type's notebook view (``_repr_html_``): it parses, it holds the numbers the
result holds (computed here from the result's own attributes), and text from a file is escaped
(a ``<script>`` in a title, a citation or a name stays text)."""

from __future__ import annotations

import textwrap
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest

import bioanchors as ba
from bioanchors.estimate import format_number
from bioanchors.timelines import compare_brains, tai_forecast

SCRIPT = "<script>alert(1)</script>"
VOID = {"br", "hr", "img", "meta", "link", "input", "col", "wbr"}


class _Checked(HTMLParser):
    """Collects the text and the tags, and checks every non-void tag is closed in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.text: list[str] = []
        self.open: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        if tag not in VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open[-1:] == [tag], f"</{tag}> closes {self.open[-1:]}"
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(page: str) -> tuple[list[str], str]:
    """The tags and the text of ``page``, which must be balanced and script-free."""
    checker = _Checked()
    checker.feed(page)
    checker.close()
    assert checker.open == [], f"unclosed tags {checker.open}"
    assert "script" not in checker.tags
    return checker.tags, " ".join(checker.text)


def _scenario(tmp_path: Path) -> ba.Scenario:
    path = tmp_path / "xss.toml"
    path.write_text(
        textwrap.dedent(
            f"""
            name = "xss"
            title = "A title with {SCRIPT}"
            output = "total"
            unit = "FLOP/s"
            frame = "functional"
            [source]
            who = "A tester {SCRIPT}"
            where = "tests/test_display_html.py"
            [[steps]]
            name = "neurons"
            unit = "neuron"
            distribution = {{ kind = "normal", mean = 86.1e9, sd = 8.1e9 }}
            quote = "a quote with {SCRIPT}"
            [[steps]]
            name = "rate"
            unit = "FLOP/s/neuron"
            between = [1e3, 1e5]
            quote = "a rate"
            [[steps]]
            name = "total"
            formula = "neurons * rate"
            claimed = 1e14
            """
        )
    )
    return ba.load_scenario(path)


def test_an_estimate_shows_its_percentiles_mean_and_provenance() -> None:
    est = ba.between(1e14, 1e16, "FLOP/s").estimate(n=5_000, seed=2, method="mc")
    tags, text = parsed(est._repr_html_())
    assert "table" in tags
    assert "caption" in tags
    for q in (5, 50, 95):
        assert format_number(est.percentile(q).magnitude) in text
    assert format_number(est.mean.magnitude) in text
    assert "n=5000" in text
    assert "seed=2" in text
    assert "FLOP/s" in text


@pytest.mark.parametrize("method", ["auto", "mc"])
def test_a_point_estimate_is_one_value_not_a_row_of_equal_percentiles(method: str) -> None:
    est = ba.point(1e11, "neuron").estimate(n=2_000, method=method)
    _, text = parsed(est._repr_html_())
    assert text.count("1.0e11") == 1
    assert "p5" not in text
    assert "Point value in neuron" in text


def test_a_scenario_shows_its_steps_parameters_and_escapes_its_citations(
    tmp_path: Path,
) -> None:
    sc = _scenario(tmp_path)
    page = sc._repr_html_()
    _, text = parsed(page)
    assert SCRIPT in text  # shown as text, not run
    assert "<script>" not in page
    assert "normal(mean=8.61e10, sd=8.1e9)" in text  # the distribution's parameters
    assert "1000 to 1.0e5 (lognormal)" in text
    assert "neurons * rate" in text


def test_an_audit_marks_each_verdict_and_escapes_names(tmp_path: Path) -> None:
    audit = _scenario(tmp_path).audit(n=2_000)
    _, text = parsed(audit._repr_html_())
    total = audit[-1]
    assert total.verdict == "MISMATCH"  # 8.6e10 neurons x 1e4 is 8.6e14, not 1e14
    assert format_number(total.recomputed) in text
    assert "1.0e14" in text
    assert text.count("no claim") == 2
    assert text.count("MISMATCH") == 1
    assert "3 steps, 1 with a claim, 1 mismatched" in text
    row = ba.StepAudit(SCRIPT, SCRIPT, "FLOP/s", None, 1.0, None, ok=True)
    page = type(audit)([row])._repr_html_()
    assert parsed(page)[1].count(SCRIPT) == 2
    assert "<script>" not in page


def test_a_waterfall_and_a_sweep_show_their_medians_and_escape_names(tmp_path: Path) -> None:
    sc = _scenario(tmp_path)
    waterfall = sc.waterfall(n=2_000)
    _, text = parsed(waterfall._repr_html_())
    for row in waterfall:
        assert format_number(row.median_after) in text
    table = ba.sweep(sc, "rate", [1e3, 1e4], n=2_000)
    _, text = parsed(table._repr_html_())
    for sweep_row in table.rows:
        assert format_number(sweep_row.median) in text
        assert format_number(sweep_row.p5) in text
        assert format_number(sweep_row.p95) in text
    hostile = replace(waterfall, scenario=SCRIPT, output=SCRIPT)
    assert SCRIPT in parsed(hostile._repr_html_())[1]
    hostile_sweep = replace(table, scenario=SCRIPT, step=SCRIPT)
    assert SCRIPT in parsed(hostile_sweep._repr_html_())[1]


def test_sensitivity_shows_shares_and_escapes_input_names() -> None:
    a = ba.between(1, 100, name=SCRIPT)
    b = ba.between(1, 10, name="b")
    table = ba.sensitivity(a * b, n=2_000)
    _, text = parsed(table._repr_html_())
    assert SCRIPT in text
    for row in table.rows:
        assert f"{row.share:.1%}" in text
        assert format_number(row.low) in text
        assert format_number(row.high) in text


def test_a_forecast_shows_its_year_and_probabilities_and_escapes_the_brain() -> None:
    brain = ba.lognormal(1e15, 10, "FLOP/s", name=SCRIPT)
    forecast = tai_forecast(brain, n=2_000)
    page = forecast._repr_html_()
    _, text = parsed(page)
    assert SCRIPT in text
    assert "<script>" not in page
    assert forecast.year_text(forecast.median_year) in text
    assert f"{100 * forecast.prob_by(2040):.1f}%" in text


def test_every_forecast_of_a_comparison_has_an_html_view() -> None:
    rows = compare_brains(["kokotajlod-2021", "kokotajlod-2021:claimed"], n=2_000)
    for row in rows:
        _, text = parsed(row._repr_html_())
        assert row.brain in text
