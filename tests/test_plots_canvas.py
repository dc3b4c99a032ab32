"""Every figure kind, saved, keeps every text, legend and tick label inside its canvas.

Each public plot function is drawn for the cases that stress its layout (many rows, many
curves, long labels, a range inside one decade, negative values) by the Agg backend, and the
window extent of every visible artist that carries text is checked against the canvas. The
checker itself is shown to catch a clipped figure.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import pytest

import bioanchors as ba

pytest.importorskip("matplotlib")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from bioanchors import plots
from bioanchors.catalog import references
from bioanchors.timelines import compare_brains
from bioanchors.timelines.cotra import default_anchors_path, load_anchors_file

KOKO = "kokotajlod-2021"
CARLSMITH = "carlsmith-2020-mechanistic"


def _text_artists(figure: Figure) -> Iterator[Any]:
    """Every visible artist of ``figure`` that shows text: legends, titles, axis labels, texts
    and the tick labels that are drawn (those inside the view)."""
    yield from figure.legends
    yield from figure.texts
    for ax in figure.axes:
        yield from (ax.title, ax.xaxis.label, ax.yaxis.label, *ax.texts)
        if ax.get_legend() is not None:
            yield ax.get_legend()
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted((lo, hi))
            span = high - low
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                if low - 1e-9 * span <= tick.get_loc() <= high + 1e-9 * span:
                    yield from (tick.label1, tick.label2)


def outside_canvas(figure: Figure) -> list[str]:
    """What of ``figure``, rendered to PNG by Agg, lies (more than a pixel) outside its canvas."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    bounds = figure.bbox
    problems = []
    for artist in _text_artists(figure):
        if not artist.get_visible():
            continue
        if hasattr(artist, "get_text") and not artist.get_text():
            continue
        box = artist.get_window_extent(renderer)
        if (
            box.x0 < bounds.x0 - 1
            or box.y0 < bounds.y0 - 1
            or box.x1 > bounds.x1 + 1
            or box.y1 > bounds.y1 + 1
        ):
            text = artist.get_text() if hasattr(artist, "get_text") else type(artist).__name__
            problems.append(f"{text!r:.60} at {box.bounds} outside {bounds.bounds}")
    tight = figure.get_tightbbox(renderer)
    assert tight is not None
    inches = figure.bbox_inches
    if tight.x0 < -0.01 or tight.y0 < -0.01 or tight.x1 > inches.x1 + 0.01:
        problems.append(f"the drawn content {tight.bounds} leaves the canvas {inches.bounds}")
    if tight.y1 > inches.y1 + 0.01:
        problems.append(f"the drawn content {tight.bounds} leaves the canvas {inches.bounds}")
    return problems


def overlapping_tick_labels(figure: Figure) -> list[tuple[str, str]]:
    """Pairs of drawn tick labels of one axis whose boxes overlap (unreadable numbers)."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    renderer = canvas.get_renderer()  # type: ignore[no-untyped-call]
    clashes = []
    for ax in figure.axes:
        for axis, (lo, hi) in ((ax.xaxis, ax.get_xlim()), (ax.yaxis, ax.get_ylim())):
            low, high = sorted((lo, hi))
            labels = [
                tick.label1
                for tick in axis.get_major_ticks()
                if low <= tick.get_loc() <= high and tick.label1.get_text()
            ]
            boxes = [label.get_window_extent(renderer) for label in labels]
            for i in range(len(labels)):
                for j in range(i + 1, len(labels)):
                    if boxes[i].overlaps(boxes[j]):
                        clashes.append((labels[i].get_text(), labels[j].get_text()))
    return clashes


@cache
def _scenarios() -> tuple[ba.Scenario, ...]:
    return tuple(ba.load_scenario(name) for name in ba.scenarios())


def _all_estimates() -> list[tuple[str, ba.Estimate]]:
    return plots.scenario_estimates(list(_scenarios()), n=2_000)


def _forest_everything() -> Figure:
    scenarios = list(_scenarios())
    return plots.forest_plot(
        _all_estimates(),
        references=references(),
        frames=plots.scenario_frames(scenarios),
        claims=plots.scenario_claims(scenarios),
    )


def _forest_negative() -> Figure:
    with pytest.warns(ba.BioanchorsWarning):
        straddles = ba.normal(1e15, 2e15, "FLOP/s").estimate(2_000, seed=1)
    return plots.forest_plot([("straddles zero", straddles)], references=references())


def _one_decade() -> ba.Uncertain:
    return ba.between(2e15, 6e15, "FLOP/s", name="rate") * ba.between(0.9, 1.1, name="factor")


def _tornado_falls() -> Figure:
    quantity = ba.between(1e15, 1e17, "FLOP/s", name="work") / ba.between(1, 100, name="split")
    return plots.tornado_plot(ba.sensitivity(quantity, n=2_000), title="")


def _tornado_linear() -> Figure:
    quantity = ba.normal(0, 1, "FLOP/s", name="noise") + ba.normal(1, 1, "FLOP/s", name="b")
    table = ba.sensitivity(quantity, n=2_000)
    assert min(min(row.low, row.high) for row in table.rows) < 0
    return plots.tornado_plot(table)


FIGURES: dict[str, tuple[str, Callable[[], Figure]]] = {
    "forest, every scenario, frames, references and claims": ("forest_plot", _forest_everything),
    "forest, a value below zero": ("forest_plot", _forest_negative),
    "forest, PFLOP/s": (
        "forest_plot",
        lambda: plots.forest_plot(ba.load_scenario(CARLSMITH).estimate(2_000).to("PFLOP/s")),
    ),
    "cdf, every scenario with frames and references": (
        "cdf_plot",
        lambda: plots.cdf_plot(
            _all_estimates(),
            frames=plots.scenario_frames(list(_scenarios())),
            references=references(),
            title="Brain compute by scenario",
        ),
    ),
    "cdf, one estimate inside one decade": (
        "cdf_plot",
        lambda: plots.cdf_plot(_one_decade().estimate(2_000)),
    ),
    "tornado, carlsmith": (
        "tornado_plot",
        lambda: plots.tornado_plot(
            ba.load_scenario(CARLSMITH).sensitivity(n=2_000), title=f"{CARLSMITH}: what drives it"
        ),
    ),
    "tornado, inside one decade": (
        "tornado_plot",
        lambda: plots.tornado_plot(ba.sensitivity(_one_decade(), n=2_000)),
    ),
    "tornado, an input that lowers the output": ("tornado_plot", _tornado_falls),
    "tornado, linear axis": ("tornado_plot", _tornado_linear),
    "sweep": (
        "sweep_plot",
        lambda: plots.sweep_plot(
            ba.sweep(ba.load_scenario(CARLSMITH), "neurons", [1e10, 1e11, 1e12], n=2_000)
        ),
    ),
    "audit, kokotajlod": ("audit_plot", lambda: plots.audit_plot(ba.load_scenario(KOKO).audit())),
    "timelines, three brains": (
        "plot_timelines",
        lambda: plots.plot_timelines(compare_brains([KOKO, f"{KOKO}:claimed"], n=2_000)),
    ),
    "timelines, an anchors variant set by a long --set": (
        "plot_timelines",
        lambda: plots.plot_timelines(
            compare_brains(
                [KOKO],
                anchors=load_anchors_file(default_anchors_path()).with_values(
                    {"affordability.hardware_halving_time_years": 1.5}
                ),
                n=2_000,
            )
        ),
    ),
    "timelines, every brain": (
        "plot_timelines",
        lambda: plots.plot_timelines(compare_brains(n=2_000)),
    ),
}


def test_every_public_plot_function_is_covered() -> None:
    functions = {
        name
        for name in plots.__all__
        if inspect.isfunction(getattr(plots, name))
        and inspect.signature(getattr(plots, name)).return_annotation in ("Figure", Figure)
    }
    assert functions == {function for function, _ in FIGURES.values()}
    assert len(functions) == 6


@pytest.mark.parametrize("case", FIGURES)
def test_the_saved_figure_stays_inside_its_canvas(case: str) -> None:
    _, build = FIGURES[case]
    figure = build()
    assert isinstance(figure, Figure)
    assert outside_canvas(figure) == []
    assert overlapping_tick_labels(figure) == []


def test_the_checker_catches_a_clipped_label() -> None:
    figure = Figure(figsize=(3, 2))  # no layout engine: a long label runs off the canvas
    ax = figure.add_subplot()
    ax.set_xlabel("Output with one input at its 5th-95th percentile, the rest at their medians")
    problems = outside_canvas(figure)
    assert len(problems) >= 1
    assert "Output with one input" in problems[0]


def test_the_checker_catches_tick_labels_that_run_into_each_other() -> None:
    figure = Figure(figsize=(3, 2), layout="constrained")
    ax = figure.add_subplot()
    ax.set_xlim(0, 1)
    ax.set_xticks([0.1 * i for i in range(11)], [f"label {i}" for i in range(11)])
    assert len(overlapping_tick_labels(figure)) >= 5


def test_a_long_timelines_title_breaks_between_words_never_inside_a_name() -> None:
    changed = load_anchors_file(default_anchors_path()).with_values(
        {"affordability.hardware_halving_time_years": 1.5}
    )
    title = plots.plot_timelines(compare_brains([KOKO], anchors=changed, n=2_000)).axes[0]
    lines = title.get_title().split("\n")
    assert lines[0] == "TAI timelines by brain-compute estimate"
    assert "affordability.hardware_halving_time_years=1.5" in " ".join(lines)  # one piece
    assert all(not line.endswith("-") for line in lines)
