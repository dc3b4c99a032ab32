"""Figures render, carry labels and are not blank; bad requests are errors."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import bioanchors as ba

pytest.importorskip("matplotlib")
from matplotlib.image import imread

from bioanchors import plots
from bioanchors.catalog import references


def not_blank(path: Path) -> None:
    pixels = imread(path)
    assert pixels.shape[0] > 100
    assert pixels.shape[1] > 100
    assert float(np.std(pixels)) > 0.05


@pytest.fixture(scope="module")
def estimates() -> list[tuple[str, ba.Estimate]]:
    names = ["carlsmith-2020-mechanistic", "kokotajlod-2021", "irving-2021"]
    return plots.scenario_estimates([ba.load_scenario(n) for n in names], n=5_000)


def test_forest_plot(tmp_path: Path, estimates: list[tuple[str, ba.Estimate]]) -> None:
    figure = plots.forest_plot(estimates, references=references())
    axis = figure.axes[0]
    assert "FLOP/s" in axis.get_xlabel()
    assert axis.get_xscale() == "log"
    labels = [t.get_text() for t in axis.get_yticklabels()]
    assert "kokotajlod-2021" in labels
    (legend,) = figure.legends
    texts = " ".join(t.get_text() for t in legend.get_texts())
    assert "Landauer" in texts
    assert "Carlsmith" in texts
    assert "metabolome" not in texts  # 1e25 is more than 2 orders beyond every estimate
    figure.savefig(tmp_path / "forest.png")
    not_blank(tmp_path / "forest.png")


def test_forest_plot_shows_each_frame(tmp_path: Path) -> None:
    scenarios = [ba.load_scenario(n) for n in ("elm-2023", "irving-2021", "kokotajlod-2021")]
    estimates = plots.scenario_estimates(scenarios, n=2_000)
    frames = plots.scenario_frames(scenarios)
    assert frames == {
        "elm-2023": "emulation",
        "irving-2021": "functional",
        "kokotajlod-2021": "emulation",
    }
    figure = plots.forest_plot(estimates, references=references(), frames=frames)
    frame_legend, reference_legend = figure.legends
    named = [t.get_text() for t in frame_legend.get_texts()]
    assert [" ".join(text.split()) for text in named] == [
        f"{f}: {ba.FRAME_GLOSSARY[f]}" for f in ("emulation", "functional")
    ]  # wrapped onto lines, the words unchanged
    assert "differ" in frame_legend.get_title().get_text()  # mixed frames are labelled so
    lines = " ".join(t.get_text() for t in reference_legend.get_texts())
    assert "Landauer limit (1 FLOP/bit) [bound]" in lines
    assert "[functional]" in lines
    axis = figure.axes[0]
    colours = {t.get_text(): t.get_color() for t in axis.get_yticklabels()}
    assert colours["elm-2023"] == colours["kokotajlod-2021"] != colours["irving-2021"]
    # the median markers: a square per emulation row, a circle per functional row
    markers = [
        str(line.get_marker())
        for line in axis.get_lines()
        if line.get_marker() not in ("None", None, "")
    ]
    assert sorted(markers) == ["o", "s", "s"]
    figure.savefig(tmp_path / "forest-frames.png")
    not_blank(tmp_path / "forest-frames.png")
    single = plots.forest_plot(estimates[:1], frames=frames)
    assert single.legends[0].get_title().get_text() == "Frame"


def test_cdf_plot_names_the_frames(estimates: list[tuple[str, ba.Estimate]]) -> None:
    frames = {"irving-2021": "functional", "kokotajlod-2021": "emulation"}
    figure = plots.cdf_plot(estimates, frames=frames)  # type: ignore[arg-type]
    labels = [line.get_label() for line in figure.axes[0].get_lines()]
    assert labels == [
        "carlsmith-2020-mechanistic",
        "kokotajlod-2021 [emulation]",
        "irving-2021 [functional]",
    ]


def test_cdf_plot(tmp_path: Path, estimates: list[tuple[str, ba.Estimate]]) -> None:
    figure = plots.cdf_plot(estimates)
    assert "FLOP/s" in figure.axes[0].get_xlabel()
    assert len(figure.axes[0].get_lines()) == len(estimates)
    figure.savefig(tmp_path / "cdf.png")
    not_blank(tmp_path / "cdf.png")


def test_tornado_plot(tmp_path: Path) -> None:
    table = ba.load_scenario("carlsmith-2020-mechanistic").sensitivity(n=5_000)
    figure = plots.tornado_plot(table)
    assert "FLOP/s" in figure.axes[0].get_xlabel()
    figure.savefig(tmp_path / "tornado.png")
    not_blank(tmp_path / "tornado.png")


def test_audit_plot(tmp_path: Path) -> None:
    figure = plots.audit_plot(ba.load_scenario("kokotajlod-2021").audit())
    labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert "total" in labels
    figure.savefig(tmp_path / "audit.png")
    not_blank(tmp_path / "audit.png")


def test_empty_plots_are_errors() -> None:
    with pytest.raises(ba.InvalidInputError, match="nothing to plot"):
        plots.forest_plot([])
    with pytest.raises(ba.InvalidInputError):
        plots.cdf_plot([])
    with pytest.raises(ba.InvalidInputError, match="claimed"):
        plots.audit_plot(ba.load_scenario("elm-2023").audit())
    with pytest.raises(ba.InvalidInputError):
        plots.tornado_plot(ba.sensitivity(ba.point(1.0) * 2))


def test_plots_do_not_touch_pyplot_state() -> None:
    import subprocess
    import sys

    code = (
        "import sys, bioanchors as ba\n"
        "from bioanchors import plots\n"
        "figure = plots.cdf_plot([('x', ba.lognormal(1, 2, 's').estimate())])\n"
        "figure.savefig('/dev/null', format='png')\n"
        "assert 'matplotlib.pyplot' not in sys.modules\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_a_label_without_a_frame_is_named_so(estimates: list[tuple[str, ba.Estimate]]) -> None:
    figure = plots.forest_plot(estimates, frames={"irving-2021": "functional"})
    named = [" ".join(t.get_text().split()) for t in figure.legends[0].get_texts()]
    assert named == [f"functional: {ba.FRAME_GLOSSARY['functional']}", "frame not given"]


def test_the_forest_plot_of_every_scenario_stays_inside_its_canvas() -> None:
    # Regression: a longer frame glossary ran the frame legend off both sides of the figure.
    scenarios = [ba.load_scenario(name) for name in ba.scenarios()]
    estimates = plots.scenario_estimates(scenarios, n=2_000)
    figure = plots.forest_plot(
        estimates, references=references(), frames=plots.scenario_frames(scenarios)
    )
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    canvas_agg = FigureCanvasAgg(figure)
    canvas_agg.draw()  # type: ignore[no-untyped-call]
    renderer = canvas_agg.get_renderer()  # type: ignore[no-untyped-call]
    canvas = figure.bbox
    for artist in [*figure.legends, *figure.axes[0].get_yticklabels()]:
        box = artist.get_window_extent(renderer)
        assert box.x0 >= canvas.x0 - 1, artist
        assert box.x1 <= canvas.x1 + 1, artist
        assert box.y0 >= canvas.y0 - 1, artist
        assert box.y1 <= canvas.y1 + 1, artist
