"""Figures a reader can read: labelled log ticks, legends that name every colour and stay off
the data, the estimate's own unit, claims beside recomputed values, curves that never look alike,
and one estimate wherever a list is expected."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba

pytest.importorskip("matplotlib")
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_hex
from matplotlib.figure import Figure

from bioanchors import plots
from bioanchors.catalog import references
from bioanchors.plots._axes import log_ticks, tick_text
from bioanchors.plots._layout import curve_style
from bioanchors.timelines import compare_brains

KOKO = "kokotajlod-2021"
CARLSMITH = "carlsmith-2020-mechanistic"


def _drawn(figure: Figure) -> Any:
    canvas = FigureCanvasAgg(figure)
    canvas.draw()  # type: ignore[no-untyped-call]
    return canvas.get_renderer()  # type: ignore[no-untyped-call]


def _labelled_ticks(axis: Any, view: tuple[float, float]) -> list[str]:
    lo, hi = sorted(view)
    return [
        tick.label1.get_text()
        for tick in axis.get_major_ticks()
        if lo <= tick.get_loc() <= hi and tick.label1.get_visible() and tick.label1.get_text()
    ]


def _one_decade() -> ba.Uncertain:
    return ba.between(2e15, 6e15, "FLOP/s", name="rate") * ba.between(0.9, 1.1, name="factor")


def _x(line: Any) -> list[float]:
    return [float(v) for v in np.asarray(line.get_xdata())]


def _y(line: Any) -> list[float]:
    return [float(v) for v in np.asarray(line.get_ydata())]


def _curves(figure: Figure) -> list[Any]:
    return [
        line for line in figure.axes[0].get_lines() if not str(line.get_label()).startswith("_")
    ]


# ------------------------------------------------------------------------- log ticks


def test_a_tornado_inside_one_decade_has_labelled_ticks() -> None:
    table = ba.sensitivity(_one_decade(), n=5_000)
    assert min(r.low for r in table.rows) > 1e15
    assert max(r.high for r in table.rows) < 1e16
    figure = plots.tornado_plot(table)
    _drawn(figure)
    ax = figure.axes[0]
    assert ax.get_xscale() == "log"
    labels = _labelled_ticks(ax.xaxis, ax.get_xlim())
    assert len(labels) >= 2, labels
    assert len(set(labels)) == len(labels)


def test_a_cdf_inside_one_decade_has_labelled_ticks() -> None:
    figure = plots.cdf_plot(_one_decade().estimate(5_000))
    _drawn(figure)
    ax = figure.axes[0]
    assert len(_labelled_ticks(ax.xaxis, ax.get_xlim())) >= 2


@settings(max_examples=200, deadline=None)
@given(
    st.floats(min_value=-30, max_value=30),
    st.floats(min_value=1e-3, max_value=25),
)
def test_every_log_range_gets_two_distinct_labelled_ticks(log_lo: float, decades: float) -> None:
    lo, hi = 10.0**log_lo, 10.0 ** (log_lo + decades)
    ticks = log_ticks(lo, hi)
    span = hi - lo
    inside = [t for t in ticks if lo - 1e-9 * span <= t <= hi + 1e-9 * span]
    assert len(inside) >= 2, (lo, hi, ticks)
    assert len(ticks) <= 12
    labels = [tick_text(t) for t in inside]
    assert len(set(labels)) == len(labels), labels


def test_tick_labels_read_as_numbers() -> None:
    assert tick_text(1e15) == "$\\mathdefault{10^{15}}$"
    assert tick_text(2e15) == "$\\mathdefault{2\\times10^{15}}$"
    assert tick_text(2.5e-7) == "$\\mathdefault{2.5\\times10^{-7}}$"
    assert tick_text(20.0) == "20"
    assert log_ticks(2e15, 6e15) == [2e15, 3e15, 4e15, 5e15, 6e15]
    assert log_ticks(1.5e15, 2.5e16) == [2e15, 5e15, 1e16, 2e16]  # 1-2-5 when they give 3
    assert log_ticks(1.1e15, 9.5e15) == [2e15, 4e15, 6e15, 8e15]  # at most six labels
    assert log_ticks(1e10, 1e13) == [1e10, 1e11, 1e12, 1e13]
    assert log_ticks(3.1e15, 3.9e15) == [3.2e15, 3.4e15, 3.6e15, 3.8e15]


# ------------------------------------------------------------------------- tornado


def test_the_tornado_names_its_colours_and_its_median_line() -> None:
    work = ba.between(1e15, 1e17, "FLOP/s", name="work")
    table = ba.sensitivity(work / ba.between(1, 100, name="split"), n=5_000)
    figure = plots.tornado_plot(table)
    (legend,) = figure.legends
    texts = [t.get_text() for t in legend.get_texts()]
    assert texts[:2] == ["output rises as the input rises", "output falls as the input rises"]
    assert texts[2].startswith("every input at its median: ")
    assert "share of the variance of log10(output)" in legend.get_title().get_text()
    bar_colours = {to_hex(p.get_facecolor()) for p in figure.axes[0].patches}
    handle_colours = {to_hex(h.get_facecolor()) for h in legend.get_patches()}
    assert bar_colours == handle_colours  # both directions drawn, both named
    (median,) = [line for line in figure.axes[0].get_lines() if line.get_label() == texts[2]]
    assert _x(median) == [table.baseline, table.baseline]
    assert any(t.get_text().startswith(" median ") for t in figure.axes[0].texts)
    only_rises = plots.tornado_plot(ba.load_scenario(CARLSMITH).sensitivity(n=2_000))
    first = only_rises.legends[0].get_texts()[0]
    assert first.get_text() == "output rises as the input rises"
    assert len(only_rises.legends[0].get_texts()) == 2  # no colour that is not drawn


# ------------------------------------------------------------------------- CDF


@pytest.fixture(scope="module")
def every_estimate() -> list[tuple[str, ba.Estimate]]:
    scenarios = [ba.load_scenario(name) for name in ba.scenarios()]
    return plots.scenario_estimates(scenarios, n=2_000)


def _legends_cover_no_curve(figure: Figure) -> None:
    renderer = _drawn(figure)
    curves = _curves(figure)
    per_axes = [ax.get_legend() for ax in figure.axes]
    legends = [*figure.legends, *(legend for legend in per_axes if legend is not None)]
    assert legends
    for legend in legends:
        box = legend.get_window_extent(renderer)
        for line in curves:
            points = line.get_transform().transform(line.get_xydata())
            inside = (
                (points[:, 0] >= box.x0)
                & (points[:, 0] <= box.x1)
                & (points[:, 1] >= box.y0)
                & (points[:, 1] <= box.y1)
            )
            assert not inside.any(), (line.get_label(), box.bounds)


def test_the_cdf_legend_covers_no_curve(every_estimate: list[tuple[str, ba.Estimate]]) -> None:
    figure = plots.cdf_plot(every_estimate, references=references())
    curves = _curves(figure)
    assert len(curves) == len(every_estimate) + len(figure.legends[1].get_texts())
    _legends_cover_no_curve(figure)
    _legends_cover_no_curve(plots.cdf_plot(every_estimate[:3]))


def test_the_timelines_legend_covers_no_curve() -> None:
    for brains in (["moravec-1998", KOKO], None):
        _legends_cover_no_curve(plots.plot_timelines(compare_brains(brains, n=1_000)))


def test_the_cdf_draws_the_forest_plots_reference_lines(
    every_estimate: list[tuple[str, ba.Estimate]],
) -> None:
    chosen = every_estimate[:4]
    forest = plots.forest_plot(chosen, references=references())
    cdf = plots.cdf_plot(chosen, references=references())
    forest_lines = [t.get_text() for t in forest.legends[0].get_texts()]
    cdf_lines = [t.get_text() for t in cdf.legends[1].get_texts()]
    assert cdf_lines == [f"{i}: {text}" for i, text in enumerate(forest_lines, start=1)]
    tags = [t.get_text() for t in cdf.axes[0].texts]
    assert tags == [str(i) for i in range(1, len(forest_lines) + 1)]
    assert any("Landauer" in text for text in cdf_lines)
    assert len(plots.cdf_plot(chosen).legends) == 1  # no references unless asked


# ------------------------------------------------------------------------- units


def test_plots_draw_an_estimate_in_its_own_unit() -> None:
    flops = ba.load_scenario(CARLSMITH).estimate(5_000)
    peta = flops.to("PFLOP/s")
    median = float(flops.median.to("FLOP/s").magnitude) / 1e15
    forest = plots.forest_plot(peta, references=references())
    ax = forest.axes[0]
    assert "(PFLOP/s, log scale)" in ax.get_xlabel()
    (marker,) = [line for line in ax.get_lines() if line.get_marker() == "o"]
    assert _x(marker)[0] == pytest.approx(median, rel=1e-9)
    landauer = next(
        t.get_text() for t in forest.legends[0].get_texts() if "Landauer" in t.get_text()
    )
    assert landauer.endswith("(6.7e6)")  # 6.7e21 FLOP/s in PFLOP/s
    cdf = plots.cdf_plot(peta)
    assert "PFLOP/s" in cdf.axes[0].get_xlabel()
    (curve,) = _curves(cdf)
    xs, ps = curve.get_xdata(), curve.get_ydata()
    assert float(np.interp(0.5, ps, xs)) == pytest.approx(median, rel=1e-6)
    tornado = plots.tornado_plot(peta.sensitivity(n=2_000))
    assert "Output (PFLOP/s, log scale)" in tornado.axes[0].get_xlabel()
    mixed = plots.forest_plot([("peta", peta), ("flops", flops)])
    rows = [_x(line)[0] for line in mixed.axes[0].get_lines() if line.get_marker() == "o"]
    assert rows == pytest.approx([median, median], rel=1e-9)  # the second converted to PFLOP/s
    assert "FLOP/s," in plots.forest_plot(peta, unit="FLOP/s").axes[0].get_xlabel()
    with pytest.raises(ba.InvalidInputError, match="'seconds' is in s, which does not convert"):
        plots.cdf_plot([("flops", flops), ("seconds", ba.lognormal(1, 2, "s").estimate(100))])


# ------------------------------------------------------------------------- one or many


def test_one_estimate_works_where_a_list_is_expected() -> None:
    est = ba.lognormal(1e15, 10, "FLOP/s").estimate(2_000)
    for plot in (plots.cdf_plot, plots.forest_plot):
        for given_as in (est, [est], ("brain", est), [("brain", est)], {"brain": est}):
            figure = plot(given_as)
            assert isinstance(figure, Figure)
            labels = [t.get_text() for t in figure.axes[0].get_yticklabels()]
            if plot is plots.cdf_plot:
                labels = [str(line.get_label()) for line in _curves(figure)]
            expected = "estimate" if given_as is est or given_as == [est] else "brain"
            assert expected in labels, (plot, given_as, labels)
    pair = [est, est.to("PFLOP/s")]
    assert [line.get_label() for line in _curves(plots.cdf_plot(pair))] == [
        "estimate 1",
        "estimate 2",
    ]
    with pytest.raises(ba.InvalidInputError, match=r"\(label, estimate\) pairs"):
        plots.cdf_plot([("a", est, "extra")])  # type: ignore[list-item]
    (row,) = [r for r in ba.load_scenario(KOKO).audit() if r.name == "total"]
    assert [t.get_text() for t in plots.audit_plot(row).axes[0].get_yticklabels()] == ["total"]
    (forecast,) = compare_brains([KOKO], n=1_000, reference=False)
    assert len(_curves(plots.plot_timelines(forecast))) == 1


# ------------------------------------------------------------------------- claims


def test_the_forest_plot_marks_a_claim_beside_its_recomputed_median() -> None:
    scenarios = [ba.load_scenario(name) for name in (CARLSMITH, KOKO, "elm-2023")]
    claims = plots.scenario_claims(scenarios)
    assert set(claims) == {KOKO}  # carlsmith and elm-2023 claim no output value
    figure = plots.forest_plot(
        plots.scenario_estimates(scenarios, n=2_000),
        frames=plots.scenario_frames(scenarios),
        claims=claims,
        references=references(),
    )
    ax = figure.axes[0]
    (cross,) = [line for line in ax.get_lines() if line.get_marker() == "X"]
    koko_row = [t.get_text() for t in ax.get_yticklabels()].index(KOKO)
    y = ax.get_yticks()[koko_row]
    assert (_x(cross)[0], _y(cross)[0]) == (1e17, y)
    (median,) = [
        line
        for line in ax.get_lines()
        if line.get_marker() == "s" and _y(line)[0] == y  # kokotajlod is emulation
    ]
    assert math.log10(_x(median)[0] / 1e17) == pytest.approx(2.0, abs=0.05)
    bottom = figure.legends[-1]
    assert any(t.get_text().startswith("claimed by the source") for t in bottom.get_texts())
    with pytest.raises(ba.InvalidInputError, match="claim of 'x' is in s"):
        plots.forest_plot([("x", ba.point(1, "FLOP/s").estimate())], claims={"x": ba.Q_(1, "s")})
    with pytest.raises(ba.InvalidInputError, match="positive, finite"):
        plots.forest_plot([("x", ba.point(1, "FLOP/s").estimate())], claims={"x": -1.0})


# ------------------------------------------------------------------------- distinct curves


def _styles(figure: Figure) -> list[tuple[Any, ...]]:
    return [
        (line.get_color(), line.get_linestyle(), str(line.get_marker())) for line in _curves(figure)
    ]


def test_no_two_cdf_curves_look_alike(every_estimate: list[tuple[str, ba.Estimate]]) -> None:
    many = every_estimate + [(f"{label} again", est) for label, est in every_estimate]
    assert len(many) > 40
    for frames in (None, {label: "functional" for label, _ in many}):
        styles = _styles(plots.cdf_plot(many, frames=frames))  # type: ignore[arg-type]
        assert len(styles) == len(many)
        assert len(set(styles)) == len(styles)


def test_no_two_timelines_curves_look_alike() -> None:
    forecasts = compare_brains(n=1_000)
    assert len(forecasts) >= 25
    styles = _styles(plots.plot_timelines(forecasts))
    assert len(styles) == len(forecasts)
    assert len(set(styles)) == len(styles)


def test_the_first_hundred_curve_styles_differ() -> None:
    pairs = {(curve_style(i)["color"], curve_style(i)["marker"]) for i in range(100)}
    assert len(pairs) == 100
