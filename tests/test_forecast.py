"""Tests of the timelines forecast: brain-compute scenarios swapped into Cotra's (2020) timelines.

Golden case: Cotra's own brain input (log10 FLOP/s ~ Normal(15, 1.5), the ``[reproduction]``
table of ``data/anchors/cotra-2020.toml``) reproduces her headline numbers (Cotra 2020 via Epoch
AI 2022 and ACX 2022: P(TAI by 2030/2050/2100) ~8/47/78 %, median ~2052) through this API too.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from numpy.typing import NDArray

import bioanchors as ba
from bioanchors.cli import main
from bioanchors.timelines import (
    CLAIMED_SUFFIX,
    NO_PENALTY,
    REFERENCE_NAME,
    Brain,
    Cotra2020,
    Penalty,
    TaiForecast,
    TimelinesModel,
    anchors_schema,
    compare_brains,
    default_anchors_path,
    default_brains,
    reference_brain,
    tai_forecast,
    timelines_table,
)
from bioanchors.timelines.cotra import CotraParams, MixtureWeights

REPRO: dict[str, Any] = tomllib.loads(default_anchors_path().read_text(encoding="utf-8"))[
    "reproduction"
]
SMALL = 4_000  # samples for tests that compare, not reproduce


def _flops(value: float, name: str) -> ba.Uncertain:
    return ba.point(value, "FLOP/s", name=name)


@pytest.fixture(scope="module")
def kokotajlod_rows() -> list[TaiForecast]:
    return compare_brains(["kokotajlod-2021", "kokotajlod-2021:claimed"], n=20_000, seed=3)


# ------------------------------------------------------------------------- golden case


def test_cotra_brain_reproduces_her_headline() -> None:
    fc = tai_forecast(reference_brain(), n=100_000, seed=0)
    tol = REPRO["tolerance_prob"]
    assert fc.prob_by(2030) == pytest.approx(REPRO["prob_by_2030"], abs=tol)
    assert fc.prob_by(2050) == pytest.approx(REPRO["prob_by_2050"], abs=tol)
    assert fc.prob_by(2100) == pytest.approx(REPRO["prob_by_2100"], abs=tol)
    assert fc.median_year == pytest.approx(REPRO["median_year"], abs=REPRO["tolerance_years"])
    assert fc.brain == REFERENCE_NAME
    assert fc.brain_median_flops == pytest.approx(1e15, rel=0.05)
    # the tabulated CDF and prob_by agree on the grid
    i = int(np.flatnonzero(fc.years == 2050.0)[0])
    assert fc.prob_by_year[i] == fc.prob_by(2050)


def test_reference_brain_is_normal_15_1_5_in_log10() -> None:
    log10 = np.log10(reference_brain().sample(50_000, seed=1).magnitude)
    assert float(np.mean(log10)) == pytest.approx(REPRO["brain_log10_flops_median"], abs=0.03)
    assert float(np.std(log10)) == pytest.approx(REPRO["brain_log10_flops_sd"], abs=0.03)


# ------------------------------------------------------------------------- monotonicity


def test_bigger_brain_gives_later_timelines() -> None:
    rows = [tai_forecast(_flops(10.0**b, f"1e{b}"), n=SMALL, seed=5) for b in (13, 15, 17, 19, 21)]
    medians = [row.median_year for row in rows]
    assert medians == sorted(medians)
    assert medians[0] < medians[2] < medians[3]
    by_2050 = [row.prob_by(2050) for row in rows]
    assert by_2050 == sorted(by_2050, reverse=True)


@settings(max_examples=25, deadline=None)
@given(st.floats(8.0, 24.0), st.floats(0.0, 6.0))
def test_more_brain_flops_never_bring_tai_earlier(log10_flops: float, extra: float) -> None:
    # Common random numbers: the anchors' draws are the same for both brains at one seed, and
    # every anchor's requirement is non-decreasing in the brain's FLOP/s.
    low = tai_forecast(_flops(10.0**log10_flops, "low"), n=1_000, seed=2)
    high = tai_forecast(_flops(10.0 ** (log10_flops + extra), "high"), n=1_000, seed=2)
    assert np.all(high.prob_by_year <= low.prob_by_year)
    for q in (10, 50, 90):
        assert high.percentiles[q] >= low.percentiles[q]


def test_kokotajlod_recomputed_is_later_than_claimed(
    kokotajlod_rows: list[TaiForecast],
) -> None:
    ref, recomputed, claimed = kokotajlod_rows
    assert [r.brain for r in kokotajlod_rows] == [
        REFERENCE_NAME,
        "kokotajlod-2021",
        "kokotajlod-2021" + CLAIMED_SUFFIX,
    ]
    assert recomputed.brain_median_flops == pytest.approx(1e19)
    assert claimed.brain_median_flops == pytest.approx(1e17)
    assert ref.median_year < claimed.median_year < recomputed.median_year
    assert recomputed.prob_by(2050) < claimed.prob_by(2050) < ref.prob_by(2050)


def test_default_brains_are_every_scenario_plus_claims() -> None:
    names = default_brains()
    assert [n for n in names if not n.endswith(CLAIMED_SUFFIX)] == ba.scenarios()
    assert "kokotajlod-2021:claimed" in names
    assert names.index("kokotajlod-2021:claimed") == names.index("kokotajlod-2021") + 1


def test_brain_as_scenario_path_or_uncertain_gives_the_same_numbers() -> None:
    scenario = ba.load_scenario("elm-2023")
    assert scenario.path is not None
    by_name = tai_forecast("elm-2023", n=SMALL)
    by_object = tai_forecast(scenario, n=SMALL)
    by_path = tai_forecast(str(scenario.path), n=SMALL)
    # The bare output carries no frame: given elm-2023's, it is the same brain.
    by_output = tai_forecast(scenario.output.to("PFLOP/s"), n=SMALL, frame="emulation")
    for other in (by_object, by_path, by_output):
        np.testing.assert_array_equal(other.prob_by_year, by_name.prob_by_year)
    assert by_name.label == scenario.title
    assert by_output.brain == "total"  # the output step's name
    # Without a frame it is taken as functional (and says so): Cotra's penalty, as for the
    # scenario itself with penalty="cotra".
    assumed = tai_forecast(scenario.output, n=SMALL)
    assert (assumed.frame, assumed.frame_assumed) == ("functional", True)
    assert assumed.frame_text == "functional (assumed)"
    np.testing.assert_array_equal(
        assumed.prob_by_year, tai_forecast("elm-2023", n=SMALL, penalty="cotra").prob_by_year
    )


def test_same_seed_same_numbers_and_seeds_differ() -> None:
    a = tai_forecast("carlsmith-2020-mechanistic", n=SMALL, seed=7)
    b = tai_forecast("carlsmith-2020-mechanistic", n=SMALL, seed=7)
    c = tai_forecast("carlsmith-2020-mechanistic", n=SMALL, seed=8)
    np.testing.assert_array_equal(a.log10_training_flop, b.log10_training_flop)
    assert not np.array_equal(a.log10_training_flop, c.log10_training_flop)
    assert (a.n, a.seed) == (SMALL, 7)


def test_very_wide_brain_distributions_are_accepted() -> None:
    # Carlsmith's two statements as a lognormal: ~4.7 orders per sd, tails past 1e30 FLOP/s.
    wide = ba.from_quantiles({0.5: 1e15, 0.9: 1e21}, "FLOP/s").named("carlsmith-quantiles")
    fc = tai_forecast(wide, n=100_000)
    assert 0 < fc.prob_by(2100) < 1


def test_forecast_is_read_only() -> None:
    fc = tai_forecast(_flops(1e16, "x"), n=500, years=[2030, 2040])
    with pytest.raises(ValueError, match="read-only"):
        fc.prob_by_year[0] = 1.0
    with pytest.raises(AttributeError):
        fc.brain = "y"  # type: ignore[misc]
    with pytest.raises(TypeError):
        fc.percentiles[50] = 2000.0  # type: ignore[index]


# ------------------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    "years",
    [[2019, 2030], [2030, 2201], [2050, 2040], [2030, 2030], [math.nan], []],
)
def test_bad_years_raise_naming_the_field(years: list[float]) -> None:
    with pytest.raises(ba.InvalidInputError, match="years"):
        tai_forecast(_flops(1e15, "x"), n=100, years=years)
    with pytest.raises(ba.InvalidInputError, match="years"):
        compare_brains(["kokotajlod-2021"], n=100, years=years)


def test_prob_by_rejects_years_outside_the_model() -> None:
    fc = tai_forecast(_flops(1e15, "x"), n=500)
    for year in (2019, 2201, math.nan):
        with pytest.raises(ba.InvalidInputError, match="year"):
            fc.prob_by(year)


def _variant(tmp_path: Path, old: str, new: str) -> Path:
    text = default_anchors_path().read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "variant.toml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_weights_not_summing_to_one_name_each_weight(tmp_path: Path) -> None:
    path = _variant(tmp_path, "[weights.long]\nvalue = 0.20", "[weights.long]\nvalue = 0.25")
    with pytest.raises(
        ba.InvalidInputError, match=r"variant\.toml.*\[weights\].*long=0\.25.*1\.05"
    ):
        tai_forecast("kokotajlod-2021", anchors=path, n=100)
    with pytest.raises(ba.InvalidInputError, match=r"long=0\.25"):
        compare_brains(anchors=str(path), n=100)


def test_negative_doubling_time_names_the_field(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "[affordability.spend_doubling_time_years]\nvalue = 2.5",
        "[affordability.spend_doubling_time_years]\nvalue = -2.5",
    )
    with pytest.raises(
        ba.InvalidInputError,
        match=r"variant\.toml.*spend_doubling_time_years: must be in \[0\.05, 1000\]",
    ):
        tai_forecast("kokotajlod-2021", anchors=path, n=100)


def test_variant_anchor_file_changes_the_answer(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "[affordability.spend_doubling_time_years]\nvalue = 2.5",
        "[affordability.spend_doubling_time_years]\nvalue = 4.0",
    )
    slow = tai_forecast("carlsmith-2020-mechanistic", anchors=path, n=SMALL)
    base = tai_forecast("carlsmith-2020-mechanistic", n=SMALL)
    assert slow.median_year > base.median_year
    assert slow.anchors == str(path)


def test_anchors_as_params_and_bad_anchors(tmp_path: Path) -> None:
    only_lifetime = MixtureWeights(
        short=0, medium=0, long=0, genome=0, lifetime=1, evolution=0, none=0
    )
    fc = tai_forecast(_flops(1e15, "x"), anchors=CotraParams(weights=only_lifetime), n=SMALL)
    assert fc.prob_by(2100) > 0.9
    with pytest.raises(ba.InvalidInputError, match=r"missing\.toml"):
        tai_forecast(_flops(1e15, "x"), anchors=tmp_path / "missing.toml")
    with pytest.raises(TypeError, match="anchors"):
        tai_forecast(_flops(1e15, "x"), anchors=3)  # type: ignore[arg-type]


def test_reproduction_table_of_a_variant_sets_the_reference(tmp_path: Path) -> None:
    moved = _variant(tmp_path, "brain_log10_flops_median = 15.0", "brain_log10_flops_median = 16.0")
    est = reference_brain(moved).estimate()
    assert est.median.magnitude == pytest.approx(1e16)
    rows = compare_brains([], anchors=moved, n=500)
    assert "Normal(16, 1.5)" in rows[0].label
    bad = _variant(tmp_path, "brain_log10_flops_sd = 1.5", "brain_log10_flops_sd = -1.5")
    with pytest.raises(ba.InvalidInputError, match=r"\[reproduction\] brain_log10_flops_sd"):
        reference_brain(bad)


def test_brain_not_in_flops_raises_naming_unit() -> None:
    with pytest.raises(ba.InvalidInputError, match=r"'per-neuron' is in 'FLOP/neuron/s'.*FLOP/s"):
        tai_forecast(ba.point(1e8, "FLOP / neuron / s", name="per-neuron"))
    with pytest.raises(ba.InvalidInputError, match=r"'FLOP'"):
        tai_forecast(ba.point(1e24, "FLOP"))


SCENARIO_PER_NEURON = """
name = "per-neuron"
title = "A cost per neuron, not a brain"
output = "cost"
unit = "FLOP / neuron / s"
frame = "functional"

[source]
who = "test"
where = "tests/test_forecast.py"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
value = 1e8
quote = "a test value"
claimed = "1e8 FLOP / neuron / s"
"""


def test_scenario_not_in_flops_raises_naming_scenario_and_unit(tmp_path: Path) -> None:
    path = tmp_path / "per-neuron.toml"
    path.write_text(SCENARIO_PER_NEURON, encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match=r"scenario 'per-neuron'.*'FLOP/neuron/s'") as info:
        tai_forecast(str(path))
    assert info.value.field == "unit"
    assert "per-neuron.toml" in str(info.value)


def test_unknown_brains_and_missing_claims() -> None:
    with pytest.raises(ba.ScenarioError, match=r"unknown scenario 'kokotajlod'.*did you mean"):
        compare_brains(["carlsmith-2020-mechanistic", "kokotajlod"], n=100)
    with pytest.raises(ba.ScenarioError, match=r"elm-2023.*claims no value"):
        tai_forecast("elm-2023:claimed")
    with pytest.raises(TypeError, match="brain must be"):
        tai_forecast(1e15)  # type: ignore[arg-type]


def test_non_positive_brain_samples_raise() -> None:
    with pytest.raises(ba.InvalidInputError, match=r"brain 'signed'.*positive"):
        tai_forecast(ba.normal(1e15, 1e15, "FLOP/s", name="signed"), n=1000)


def test_bad_n_and_seed() -> None:
    with pytest.raises(ba.SamplingError, match="n must"):
        tai_forecast(_flops(1e15, "x"), n=0)
    with pytest.raises(ba.SamplingError, match="seed"):
        compare_brains([], seed=-1)


# ------------------------------------------------------------------------- table, JSON, text


def test_text_table_has_a_row_per_brain_and_the_shift(
    kokotajlod_rows: list[TaiForecast],
) -> None:
    text = timelines_table(kokotajlod_rows)
    lines = text.splitlines()
    assert "n=20000, seed=3" in lines[1]
    assert lines[2].startswith("penalty = orders of magnitude added")
    assert "by frame" in lines[2]
    assert lines[3].startswith("parameters = FLOP per subjective second / 10^1.7")
    header = lines[5].split("  ")
    assert [h.strip() for h in header if h.strip()][:4] == [
        "brain",
        "frame",
        "penalty",
        "brain FLOP/s",
    ]
    assert "P(by 2040)" in lines[5]
    assert "P(by 2050)" in lines[5]
    reference, recomputed, claimed = lines[7:10]
    assert reference.split()[:6] == [REFERENCE_NAME, "functional", "+1", "±", "1", "OOM"]
    assert reference.split()[-1] == "+0.0"
    assert recomputed.split()[1:4] == ["emulation", "0", "1.0e19"]
    assert claimed.split()[1:4] == ["emulation", "0", "1.0e17"]
    shift = kokotajlod_rows[1].median_year - kokotajlod_rows[0].median_year
    assert recomputed.split()[-1] == f"{shift:+.1f}"


def test_json_table(kokotajlod_rows: list[TaiForecast]) -> None:
    record = json.loads(timelines_table(kokotajlod_rows, "json"))
    assert record["reference"] == REFERENCE_NAME
    assert (record["n"], record["seed"]) == (20_000, 3)
    rows = record["rows"]
    assert [r["brain"] for r in rows] == [f.brain for f in kokotajlod_rows]
    assert rows[0]["median_shift_years"] == 0.0
    shift = kokotajlod_rows[1].median_year - kokotajlod_rows[0].median_year
    assert rows[1]["median_shift_years"] == pytest.approx(shift)
    assert rows[2]["median_shift_years"] > 0
    assert rows[1]["prob_by_2050"] == kokotajlod_rows[1].prob_by(2050)
    assert rows[0]["percentiles"]["90"] is None  # 10 % "none of these": never reached
    # explicit reference by name
    by_claim = json.loads(
        timelines_table(kokotajlod_rows, "json", reference="kokotajlod-2021:claimed")
    )
    assert by_claim["rows"][2]["median_shift_years"] == 0.0


def test_table_errors(kokotajlod_rows: list[TaiForecast]) -> None:
    with pytest.raises(ba.InvalidInputError, match="format"):
        timelines_table(kokotajlod_rows, "csv")
    with pytest.raises(ba.InvalidInputError, match="forecasts"):
        timelines_table([])
    with pytest.raises(ba.InvalidInputError, match=r"reference.*nope"):
        timelines_table(kokotajlod_rows, reference="nope")


def test_shift_when_never_reached() -> None:
    rows = compare_brains([_flops(1e24, "huge")], n=2_000)
    assert math.isinf(rows[1].median_year)
    last = timelines_table(rows).splitlines()[-1]
    assert "after 2200" in last
    assert last.split()[-1] == f">{2200 - rows[0].median_year:+.0f}"
    assert json.loads(timelines_table(rows, "json"))["rows"][1]["median_shift_years"] is None


def test_to_dict_is_json_ready(kokotajlod_rows: list[TaiForecast]) -> None:
    fc = kokotajlod_rows[2]
    record = json.loads(json.dumps(fc.to_dict(), allow_nan=False))
    assert record["brain"] == "kokotajlod-2021:claimed"
    assert record["unit"] == "FLOP/s"
    assert record["brain_median_flops"] == pytest.approx(1e17)
    assert list(record["prob_by_year"])[:2] == ["2025", "2026"]
    assert len(record["prob_by_year"]) == 76
    assert record["percentiles"]["50"] == pytest.approx(fc.median_year)
    assert record["percentiles"]["90"] is None


def test_str_repr_and_html(kokotajlod_rows: list[TaiForecast]) -> None:
    fc = kokotajlod_rows[1]
    text = str(fc)
    assert text.startswith(
        "kokotajlod-2021: emulation, penalty 0; brain 1.0e19 FLOP/s -> median TAI year"
    )
    assert "after 2200" in text
    assert repr(fc).startswith("<TaiForecast 'kokotajlod-2021': median TAI year")
    assert "; emulation, penalty 0 (by frame); parameters = FLOP per subjective second / " in (
        repr(fc)
    )
    assert "(Cotra's 1.7; a TCN surrogate runs 3.3)" in repr(fc)
    page = fc._repr_html_()
    assert page.startswith("<table>")
    assert "kokotajlod-2021" in page
    assert "P(TAI by 2050)" in page
    assert "<th>model penalty</th><td>0 (by frame)</td>" in page
    assert "<th>frame</th><td>emulation</td>" in page
    assert "a TCN surrogate runs 3.3" in page


# ------------------------------------------------------------------------- plot


def test_plot_renders_to_a_png(kokotajlod_rows: list[TaiForecast], tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.image import imread

    from bioanchors.plots import plot_timelines

    fig = plot_timelines(kokotajlod_rows)
    ax = fig.axes[0]
    assert ax.get_xlabel() == "year"
    assert "P(TAI by year)" in ax.get_ylabel()
    legend = ax.get_legend()
    assert legend is not None
    labels = [t.get_text() for t in legend.get_texts()]
    assert labels[0].startswith(REFERENCE_NAME)
    assert labels[0].endswith("; functional, penalty +1 ± 1 OOM)")
    assert "kokotajlod-2021:claimed (1.0e17 FLOP/s; emulation, penalty 0)" in labels
    path = tmp_path / "timelines.png"
    fig.savefig(path, dpi=60)
    pixels = imread(path)
    assert pixels.ndim == 3
    assert float(pixels[..., :3].std()) > 0.05


def test_plot_needs_forecasts() -> None:
    pytest.importorskip("matplotlib")
    from bioanchors.plots import plot_timelines

    with pytest.raises(ba.InvalidInputError, match="forecasts"):
        plot_timelines([])


def test_import_does_not_pull_in_plotting() -> None:
    code = (
        "import sys, bioanchors.timelines.forecast\n"
        "heavy = [m for m in ('matplotlib', 'pandas', 'scipy.stats') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ------------------------------------------------------------------------- CLI


def _cli(*argv: str) -> str:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()) as err:
        code = main(["timelines", *argv])
    if code != 0:
        raise CliFailed(err.getvalue())
    return out.getvalue()


class CliFailed(Exception):
    """The command exited with status 2; the message is what it printed on stderr."""


def test_cli_default_brains_table() -> None:
    text = _cli("--samples", "1000", "--seed", "1")
    names = [line.split()[0] for line in text.splitlines()[7:]]
    assert names == [REFERENCE_NAME, *default_brains()]


def test_cli_json_and_plot(tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    png = tmp_path / "t.png"
    text = _cli("--brain", "kokotajlod-2021:claimed", "-n", "2000", "--json", "--plot", str(png))
    record = json.loads(text)  # stdout stays pure JSON
    assert [r["brain"] for r in record["rows"]] == [REFERENCE_NAME, "kokotajlod-2021:claimed"]
    assert png.stat().st_size > 1000


def test_cli_errors(tmp_path: Path) -> None:
    with pytest.raises(CliFailed, match="does not exist"):
        _cli("--brain", "elm-2023", "--plot", str(tmp_path / "no" / "t.png"))
    with pytest.raises(CliFailed, match="unknown scenario 'nope'"):
        _cli("--brain", "nope", "-n", "100")
    with pytest.raises(CliFailed, match=r"nothing\.toml"):
        _cli("--brain", "elm-2023", "--anchors", str(tmp_path / "nothing.toml"))
    with pytest.raises(SystemExit):
        _cli("--samples", "0")
    with pytest.raises(CliFailed, match=r"\.png"):
        _cli("--brain", "elm-2023", "--plot", str(tmp_path / "t.xyz"))


# ------------------------------------------------------------------------- a second model


@dataclass(frozen=True)
class ToyModel:
    """Requirements = brain FLOP/s x 1e9 s; affordable compute 1e24 FLOP in 2020, x10 per
    decade. A second TimelinesModel, defined here without touching the forecast code."""

    seconds_log10: float = 9.0

    @property
    def name(self) -> str:
        return "Toy"

    @property
    def title(self) -> str:
        return "a toy model"

    @property
    def source(self) -> str:
        return "tests/test_forecast.py"

    @property
    def source_label(self) -> str:
        return "toy parameters"

    @property
    def first_year(self) -> float:
        return 2020.0

    @property
    def last_year(self) -> float:
        return 2100.0

    @property
    def reference_name(self) -> str:
        return "toy-brain"

    def reference_brain(self) -> Brain:
        return Brain("toy-brain", "the toy's own brain", ba.point(1e15, "FLOP/s"))

    def penalty_for(self, frame: ba.Frame) -> Penalty:
        return NO_PENALTY  # the toy adds none, whatever the frame

    def log10_requirements(
        self,
        log10_brain_flops: NDArray[np.float64],
        *,
        rng: np.random.Generator,
        penalty: Penalty | None = None,
    ) -> NDArray[np.float64]:
        added = 0.0 if penalty is None else penalty.mean_oom
        out: NDArray[np.float64] = log10_brain_flops + self.seconds_log10 + added
        return out

    def log10_affordable_flop(self, years: NDArray[np.float64]) -> NDArray[np.float64]:
        out: NDArray[np.float64] = 24.0 + (np.asarray(years) - 2020.0) / 10.0
        return out

    def prob_tai_by(
        self, years: NDArray[np.float64], log10_requirements: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        affordable = self.log10_affordable_flop(np.asarray(years))
        return np.array([np.mean(log10_requirements <= a) for a in affordable])

    def arrival_years(self, log10_requirements: NDArray[np.float64]) -> NDArray[np.float64]:
        year = 2020.0 + 10.0 * (log10_requirements - 24.0)
        out: NDArray[np.float64] = np.where(year > 2100.0, np.inf, np.maximum(year, 2020.0))
        return out


def test_a_second_model_runs_through_forecast_compare_and_table() -> None:
    toy = ToyModel()
    assert isinstance(toy, TimelinesModel)
    fc = tai_forecast(_flops(1e15, "1e15"), model=toy, n=500, years=[2030, 2060, 2090])
    # 1e15 FLOP/s x 1e9 s = 1e24 FLOP: affordable from 2020 on.
    assert fc.median_year == 2020.0
    assert fc.prob_by(2030) == 1.0
    assert fc.anchors == "tests/test_forecast.py"
    late = tai_forecast(_flops(10**16.5, "late"), model=toy, n=500)  # 1e25.5: 2035
    assert late.median_year == pytest.approx(2035.0)
    assert late.prob_by(2034.9) == 0.0
    never = tai_forecast(_flops(1e30, "never"), model=toy, n=200, years=[2050])
    assert math.isinf(never.median_year)
    assert "after 2100" in str(never)
    rows = compare_brains([_flops(10**16.5, "late")], model=toy, n=500, years=[2030, 2040])
    assert [r.brain for r in rows] == ["toy-brain", "late"]
    assert rows[0].is_reference
    text = timelines_table(rows)
    assert text.startswith("TAI timelines with each brain swapped into a toy model\n")
    assert "(toy parameters, n=500, seed=0;" in text
    assert text.splitlines()[-1].split()[-1] == "+15.0"
    record = json.loads(timelines_table(rows, "json"))
    assert record["reference"] == "toy-brain"
    assert "2100" in record["null_means"]
    np.testing.assert_allclose(fc.affordable_flop([2030]).m_as("FLOP"), [1e25])
    with pytest.raises(ba.InvalidInputError, match=r"years: must lie in \[2020, 2100\]"):
        tai_forecast(_flops(1e15, "x"), model=toy, years=[2150])


def test_model_and_anchors_are_exclusive_and_checked(tmp_path: Path) -> None:
    with pytest.raises(TypeError, match=r"anchors.*or model"):
        tai_forecast(_flops(1e15, "x"), model=ToyModel(), anchors=default_anchors_path())
    with pytest.raises(TypeError, match="TimelinesModel"):
        tai_forecast(_flops(1e15, "x"), model=object())  # type: ignore[arg-type]


# ------------------------------------------------------------------------- units, model, schema


def test_forecast_gives_requirements_and_affordable_compute_in_flop() -> None:
    fc = tai_forecast(_flops(1e15, "x"), n=2_000, years=[2030, 2050])
    flop = fc.training_flop
    assert str(flop.units) == "FLOP"
    finite = np.isfinite(fc.log10_training_flop)
    np.testing.assert_array_equal(np.log10(flop.magnitude[finite]), fc.log10_training_flop[finite])
    assert np.all(np.isinf(flop.magnitude[~finite]))
    affordable = fc.affordable_flop()
    assert affordable.shape == (2,)
    assert affordable[0].to("FLOP").magnitude == pytest.approx(10**27.80, rel=0.01)
    assert fc.brain_median.to("PFLOP/s").magnitude == pytest.approx(1.0)
    assert isinstance(fc.model, Cotra2020)
    assert fc.affordability.spend_doubling_time_years == 2.5


def test_cotra_model_in_flop_matches_its_log10_arrays() -> None:
    model = Cotra2020.from_anchors()
    brain = ba.Q_(np.array([1e14, 1e15, 1e16]), "FLOP/s")
    in_flop = model.requirements(brain.to("PFLOP/s"), rng=np.random.default_rng(1))
    in_log10 = model.log10_requirements(np.log10(brain.magnitude), rng=np.random.default_rng(1))
    np.testing.assert_array_equal(in_flop.m_as("FLOP"), 10.0**in_log10)
    assert model.reference_brain().name == REFERENCE_NAME


def test_anchors_schema_describes_the_file() -> None:
    schema = anchors_schema()
    assert set(schema["required"]) == {"anchors", "weights", "affordability"}
    defs = schema["$defs"]
    value = defs["Cited_spend_doubling_time_years"]["properties"]["value"]
    assert (value["minimum"], value["maximum"]) == (0.05, 1000.0)
    assert "who" in defs["Cited_spend_doubling_time_years"]["required"]
    json.dumps(schema)  # JSON-ready


def test_the_bundled_file_keeps_its_citations() -> None:
    from bioanchors.timelines.cotra import load_anchors_file

    bundled = load_anchors_file(default_anchors_path())
    cited = bundled.weights.citation("short")
    assert cited.value == 0.15
    assert cited.choice is not None
    assert cited.alternatives[0].value == 0.20
    assert bundled.params() == CotraParams()


def test_a_model_missing_members_is_told_which() -> None:
    class HalfAModel:
        name = "half"
        title = "half a model"

    with pytest.raises(ba.OperandError, match=r"without arrival_years, first_year, .*source_label"):
        tai_forecast("kokotajlod-2021", model=HalfAModel(), n=100)  # type: ignore[arg-type]


def test_json_table_says_null_for_a_median_after_the_last_year() -> None:
    # kokotajlod's 1e19 with Cotra's penalty added (penalty="cotra") is not reached by 2200
    rows = compare_brains(["kokotajlod-2021"], penalty="cotra", n=5_000, seed=3)
    assert math.isinf(rows[1].median_year)
    record = json.loads(timelines_table(rows, "json"))
    assert record["rows"][1]["median_shift_years"] is None  # no finite shift
    assert record["rows"][1]["median_reached"] is False
