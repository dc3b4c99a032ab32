"""Adversarial tests of the timelines model, the forecast, the CLI and the plots (issue 9).

Each test here failed on the code before the fix it guards: catastrophic cancellation in the
saturating-growth formula, parameters outside physical bounds, unbounded sample counts on the
command line, unencodable output, NaN in JSON, forest plots of non-positive estimates, and
Estimates as brains.
"""

from __future__ import annotations

import decimal
import io
import json
import math
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._results.estimate import Estimate
from bioanchors.cli import main
from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra import (
    AffordabilityParams,
    AnchorParams,
    MixtureWeights,
    cotra_2020_params_path,
    load_anchor_params,
)
from bioanchors.timelines.cotra.affordability import (
    algorithmic_progress_oom,
    log10_flop_per_usd,
    median_year,
    prob_tai_by,
)
from bioanchors.timelines.cotra.params import DEFAULT_AFFORDABILITY

# --------------------------------------------------------------------------- item 10


def _exact_saturating(g: float, c: float) -> float:
    """log10(a*C / (a + C - 1)) in 80-digit decimal arithmetic on the float inputs' values."""
    with decimal.localcontext() as ctx:
        ctx.prec = 80
        ten = decimal.Decimal(10)
        a, cap = ten ** decimal.Decimal(g), ten ** decimal.Decimal(c)
        return float((a * cap / (a + cap - 1)).log10())


@pytest.mark.parametrize(
    ("g", "c"),
    [(1e-9, 1e-9), (1e-6, 1e-3), (1e-12, 2.0), (3.0, 1e-10), (0.5, 0.7), (40.0, 6.9), (1e3, 5.0)],
)
def test_saturating_growth_is_accurate_at_both_ends(g: float, c: float) -> None:
    from bioanchors.timelines.cotra.affordability import _saturating_log10

    got = float(_saturating_log10(np.array([g]), c)[0])
    want = _exact_saturating(g, c)
    assert got >= 0.0
    assert got == pytest.approx(want, rel=1e-9, abs=1e-300)


def test_astronomical_growth_saturates_exactly_at_the_cap() -> None:
    # g + c - log10(a + C - 1) returned 0.0 (no growth at all) for g = 1e17: the cap was lost.
    from bioanchors.timelines.cotra.affordability import _saturating_log10

    out = _saturating_log10(np.array([1e15, 1e16, 1e17, 1e300]), 6.9)
    assert np.all(out == 6.9)


def test_saturating_growth_with_no_cap_or_no_growth_is_exactly_zero() -> None:
    from bioanchors.timelines.cotra.affordability import _saturating_log10

    g = np.array([0.0, 1e-12, 1e-9, 1e-3, 1.0, 100.0])
    assert np.all(_saturating_log10(g, 0.0) == 0.0)
    assert np.all(_saturating_log10(np.zeros(3), np.array([0.0, 1e-9, 5.0])) == 0.0)


def test_saturating_growth_is_monotone_in_the_growth() -> None:
    from bioanchors.timelines.cotra.affordability import _saturating_log10

    for c in (1e-8, 1e-3, 2.0, 6.9):
        g = np.concatenate([np.linspace(0.0, 1e-7, 2001), np.geomspace(1e-7, 2e3, 4001)])
        out = _saturating_log10(g, c)
        assert np.all(np.diff(out) >= 0.0), c
        assert np.all((out >= 0.0) & (out <= c))


def test_tiny_algorithmic_progress_is_never_negative() -> None:
    params = DEFAULT_AFFORDABILITY.replace(algo_max_oom_low=1e-9)
    out = algorithmic_progress_oom(2020.5, [20.0, 25.0], params)
    assert np.all(out >= 0.0)


_TIME_FIELDS = (
    "hardware_halving_time_years",
    "spend_doubling_time_years",
    "algo_halving_time_slow_years",
    "algo_halving_time_fast_years",
)


@pytest.mark.parametrize("field", _TIME_FIELDS)
@pytest.mark.parametrize("value", [1e-12, 0.01, 1e4, 1e300])
def test_doubling_times_outside_physical_bounds_are_refused(field: str, value: float) -> None:
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(InvalidInputError, match=rf"{field}: .*0\.05.*1000"):
        AffordabilityParams(**kwargs)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gdp_growth_per_year", -0.5),  # a shrinking economy makes P(TAI by year) fall
        ("gdp_growth_per_year", 5.0),
        ("spend_reference_year", 1e300),
        ("spend_reference_year", 1500.0),
        ("base_year", 1800.0),
        ("flop_per_usd_base", 1e-300),
        ("hardware_max_flop_per_usd", 1e300),
        ("spend_reference_usd", 1e300),
        ("gdp_base_usd", 1e300),
        ("gdp_base_usd", 1e-300),
        ("algo_max_oom_low", 1e6),
        ("algo_max_oom_high", 1e6),
        ("algo_halving_ramp_log10_flop", (29.0, 1e300)),
        ("algo_max_oom_ramp_log10_flop", (-1e300, 44.0)),
    ],
)
def test_affordability_outside_physical_bounds_is_refused(field: str, value: Any) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field}: must be"):
        AffordabilityParams(**{field: value})


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("model_penalty_oom", 1e300),
        ("model_penalty_sd_oom", 1e300),  # normal(0, 1e300) samples overflow to inf = "never"
        ("scaling_exponent", 1e6),
        ("scaling_exponent_sd", 1e300),
        ("reference_log10_params", -1e300),
        ("short_horizon_log10_s", (0.0, 1e300)),
        ("genome_log10_params", 1e300),
        ("lifetime_log10_seconds", 1e300),
        ("lifetime_adjustment_sd_oom", 1e300),
        ("evolution_median_log10_flop", 1e300),
        ("evolution_sd_oom", 1e300),
    ],
)
def test_anchor_params_outside_physical_bounds_are_refused(field: str, value: Any) -> None:
    with pytest.raises(InvalidInputError, match=rf"^{field}: must be"):
        AnchorParams(**{field: value})


def test_a_weight_above_one_is_refused_by_name() -> None:
    with pytest.raises(InvalidInputError, match=r"^short: .*\[0, 1\]"):
        MixtureWeights(short=1.5, medium=-0.5, long=0.0, genome=0.0, lifetime=0.0)


def test_out_of_bounds_value_in_a_file_names_the_file_and_the_field(tmp_path: Path) -> None:
    text = cotra_2020_params_path().read_text(encoding="utf-8")
    marker = "[affordability.hardware_halving_time_years]\n"
    assert marker in text
    head, tail = text.split(marker)
    old_value_line = tail.splitlines()[0]
    assert old_value_line.startswith("value")
    path = tmp_path / "fast.toml"
    path.write_text(head + marker + tail.replace(old_value_line, "value = 1e-20", 1), "utf-8")
    with pytest.raises(InvalidInputError) as info:
        load_anchor_params(path)
    message = str(info.value)
    assert str(path) in message
    assert "hardware_halving_time_years" in message
    assert "1e-20" in message


def test_bundled_parameters_are_within_the_bounds() -> None:
    load_anchor_params(cotra_2020_params_path())  # must not raise


_SAMPLES = np.random.default_rng(7).normal(33.0, 5.0, 400)
_SAMPLES[::10] = np.inf  # "none of these anchors"
_YEARS = np.array([2020.0, 2024.0, 2025.0, 2030.0, 2045.0, 2070.0, 2120.0, 2200.0])

_times = st.floats(min_value=0.05, max_value=1000.0)
_factors = st.floats(min_value=0.05, max_value=1.0)


@st.composite
def _affordability(draw: st.DrawFn) -> AffordabilityParams:
    base = draw(st.floats(1990.0, 2100.0))
    flop = 10.0 ** draw(st.floats(10.0, 25.0))
    return AffordabilityParams(
        base_year=base,
        flop_per_usd_base=flop,
        hardware_halving_time_years=draw(_times),
        hardware_max_flop_per_usd=flop * 10.0 ** draw(st.floats(0.01, 10.0)),
        spend_reference_year=draw(st.floats(base, 2150.0)),
        spend_reference_usd=10.0 ** draw(st.floats(3.0, 13.0)),
        spend_doubling_time_years=draw(_times),
        gdp_base_usd=10.0 ** draw(st.floats(12.0, 15.0)),
        gdp_growth_per_year=draw(st.floats(0.0, 0.2)),
        max_gdp_fraction=draw(st.floats(1e-4, 1.0)),
        algo_halving_time_slow_years=draw(_times),
        algo_halving_time_fast_years=draw(_times),
        algo_max_oom_low=draw(st.floats(0.0, 10.0)),
        algo_max_oom_high=draw(st.floats(0.0, 10.0)),
    )


def _years(params: AffordabilityParams, start: float | None = None) -> np.ndarray[Any, Any]:
    lo = params.base_year if start is None else start
    return np.unique(np.clip(_YEARS, lo, 2200.0))


@settings(max_examples=60)
@given(_affordability(), _factors, st.sampled_from(["hardware", "algorithms", "spend"]))
def test_faster_progress_never_delays_tai(
    params: AffordabilityParams, factor: float, what: str
) -> None:
    # Shorten the halving (doubling) times of one trend by ``factor``: never a later median
    # year, never a lower P(TAI by year). Spending is extrapolated backwards from its
    # reference year, so a faster growth means *less* spending before it: the spending claim
    # holds from the reference year on (and the median when it falls there).
    names: tuple[str, ...]
    if what == "hardware":
        names = ("hardware_halving_time_years",)
    elif what == "algorithms":
        names = ("algo_halving_time_slow_years", "algo_halving_time_fast_years")
    else:
        names = ("spend_doubling_time_years",)
    changes = {name: max(0.05, getattr(params, name) * factor) for name in names}
    faster = params.replace(**changes)
    start = params.spend_reference_year if what == "spend" else None
    years = _years(params, start)
    slow_p, fast_p = prob_tai_by(years, _SAMPLES, params), prob_tai_by(years, _SAMPLES, faster)
    assert not np.any(np.isnan(slow_p))
    assert not np.any(np.isnan(fast_p))
    assert np.all(fast_p >= slow_p)
    slow_m, fast_m = median_year(_SAMPLES, params), median_year(_SAMPLES, faster)
    assert not math.isnan(slow_m)
    assert not math.isnan(fast_m)
    if start is None or slow_m >= start + 1.0:
        assert fast_m <= slow_m + 1e-9


@settings(max_examples=60)
@given(_affordability(), st.floats(0.0, 10.0), st.floats(0.0, 10.0))
def test_a_higher_cap_on_algorithmic_progress_never_delays_tai(
    params: AffordabilityParams, more_low: float, more_high: float
) -> None:
    bigger = params.replace(
        algo_max_oom_low=params.algo_max_oom_low + more_low,
        algo_max_oom_high=params.algo_max_oom_high + more_high,
    )
    years = _years(params)
    assert np.all(prob_tai_by(years, _SAMPLES, bigger) >= prob_tai_by(years, _SAMPLES, params))
    assert median_year(_SAMPLES, bigger) <= median_year(_SAMPLES, params) + 1e-9


@settings(max_examples=60)
@given(_affordability())
def test_prob_tai_by_is_a_cdf_in_the_year(params: AffordabilityParams) -> None:
    years = params.base_year + np.linspace(0.0, 2200.0 - params.base_year, 40)
    p = prob_tai_by(np.unique(years), _SAMPLES, params)
    assert not np.any(np.isnan(p))
    assert np.all(np.diff(p) >= 0.0)
    assert np.all((p >= 0.0) & (p <= 1.0))
    assert np.all(np.isfinite(log10_flop_per_usd(np.unique(years), params)))


# --------------------------------------------------------------------------- items 12, 16, 4: CLI


def _cli(*argv: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    environment.pop("BIOANCHORS_DEBUG", None)
    return subprocess.run(
        [sys.executable, "-m", "bioanchors", *argv],
        capture_output=True,
        text=True,
        check=False,
        env=environment,
        timeout=60,
    )


ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize("count", ["1e99", "1e400"])
def test_huge_sample_counts_exit_2_at_once_with_one_line(count: str) -> None:
    start = time.monotonic()
    result = _cli("run", "kokotajlod-2021", "--samples", count)
    assert time.monotonic() - start < 20.0
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "--samples" in lines[0]
    assert "10**12" in lines[0]
    assert result.stdout == ""


@pytest.mark.parametrize(
    "text",
    ["1e99", "1e400", "inf", "-inf", "nan", "1.5", "0", "-3", "1e12000", "x", "1000000000001"],
)
@pytest.mark.parametrize("command", [["run", "kokotajlod-2021"], ["timelines"], ["report"]])
def test_bad_counts_are_argument_errors(
    capsys: pytest.CaptureFixture[str], command: list[str], text: str
) -> None:
    with pytest.raises(SystemExit) as info:
        main([*command, f"--samples={text}"])
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1, err
    assert "--samples" in err
    assert repr(text) in err


@pytest.mark.parametrize(
    ("text", "value"), [("1e6", 10**6), ("100000", 100_000), ("1E3", 1000), ("1e12", 10**12)]
)
def test_whole_number_counts_are_accepted(text: str, value: int) -> None:
    from bioanchors.cli import _parser

    assert _parser().parse_args(["run", "x", "--samples", text]).samples == value
    assert _parser().parse_args(["timelines", "-n", text]).samples == value


@pytest.mark.parametrize("text", ["nan", "inf", "-1", "1e400", "x"])
def test_bad_tolerance_is_an_argument_error(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with pytest.raises(SystemExit) as info:
        main(["audit", "kokotajlod-2021", "--tolerance", text])
    assert info.value.code == 2
    assert "--tolerance" in capsys.readouterr().err


def test_ascii_only_stdout_gets_a_hyphen_for_the_en_dash() -> None:
    # an uncertain output (a point value such as kokotajlod's has no interval, no dash)
    result = _cli(
        "run", "carlsmith-2020-mechanistic", "--samples", "2000", env={"PYTHONIOENCODING": "ascii"}
    )
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert "90% CI" in result.stdout
    assert " - " in result.stdout


def test_an_ascii_stream_passed_as_out_gets_ascii_fallbacks() -> None:
    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="ascii")
    assert main(["run", "carlsmith-2020-mechanistic", "--samples", "2000"], out=out) == 0
    out.flush()
    text = raw.getvalue().decode("ascii")
    assert "90% CI" in text
    assert " - " in text


def test_fallback_writer_replaces_what_cannot_be_encoded() -> None:
    from bioanchors._cli_io import FallbackWriter

    raw = io.BytesIO()
    stream = io.TextIOWrapper(raw, encoding="ascii")
    writer = FallbackWriter(stream)
    writer.write("a \u2013 b \u2014 c \u2264 d \u03bc e\n")
    writer.flush()
    assert raw.getvalue().decode("ascii") == "a - b - c <= d ? e\n"


@pytest.mark.parametrize("state", ["none", "closed"])
def test_missing_or_closed_stdout_is_a_short_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, state: str
) -> None:
    stream: io.StringIO | None = None
    if state == "closed":
        stream = io.StringIO()
        stream.close()
    monkeypatch.setattr(sys, "stdout", stream)
    code = main(["list"])
    err = capsys.readouterr().err
    assert code == 2
    assert "standard output" in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_broken_pipe_is_silent() -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(
        [sys.executable, "-m", "bioanchors", "report", "--samples", "2000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=environment,
    )
    assert process.stdout is not None
    assert process.stderr is not None
    process.stdout.close()  # the reader goes away before anything is written
    with process.stderr:
        err = process.stderr.read().decode("utf-8", "replace")
    code = process.wait(timeout=60)
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert err == ""
    assert code == 1


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> None:
        raise AssertionError(f"JSON holds {name}")

    return json.loads(text, parse_constant=refuse)


def test_json_writer_never_emits_nan_or_infinity() -> None:
    from bioanchors._cli_io import write_json

    out = io.StringIO()
    write_json({"a": math.inf, "b": [math.nan, 1.0], "c": {"d": -math.inf}, "e": "x"}, out)
    data = _strict_json(out.getvalue())
    assert data == {"a": None, "b": [None, 1.0], "c": {"d": None}, "e": "x"}


def test_run_json_is_the_estimate_record_with_nulls_for_non_finite(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bioanchors._results.estimate import Estimate

    real = Estimate.to_dict

    def with_infinite_mean(self: Estimate) -> dict[str, Any]:
        record = real(self)
        record["mean"] = math.inf
        return record

    monkeypatch.setattr(Estimate, "to_dict", with_infinite_mean)
    assert main(["run", "kokotajlod-2021", "--samples", "2000", "--json"]) == 0
    data = _strict_json(capsys.readouterr().out)
    assert data["unit"] == "FLOP/s"
    assert data["mean"] is None
    assert data["percentiles"]["50"] == pytest.approx(1e19)


def test_timelines_json_has_no_nan_and_says_never(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["timelines", "--brain", "beniaguev-2021-tcn", "-n", "2000", "--json"])
    assert code == 0
    data = _strict_json(capsys.readouterr().out)
    row = next(r for r in data["rows"] if r["brain"] == "beniaguev-2021-tcn")
    assert row["median_year"] is None
    assert row["median_reached"] is False


# --------------------------------------------------------------------------- item 15: plots


def _negative_allowed(x: ba.Uncertain, n: int) -> Estimate:
    with pytest.warns(ba.BioanchorsWarning, match="negative samples"):
        return x.estimate(n, seed=1)


def _positive_and_not(n: int = 2000) -> list[tuple[str, Estimate]]:
    return [
        ("positive", ba.lognormal(1e15, 10, "FLOP/s").estimate(n, seed=1)),
        ("straddles zero", _negative_allowed(ba.normal(1e15, 2e15, "FLOP/s"), n)),
        ("zero", ba.point(0.0, "FLOP/s").estimate(n, seed=1)),
    ]


def test_forest_plot_of_zero_or_negative_estimates_draws_on_a_symlog_axis(
    tmp_path: Path,
) -> None:
    pytest.importorskip("matplotlib")
    from bioanchors import plots
    from bioanchors._scenarios.catalog import references

    figure = plots.forest_plot(_positive_and_not(), references=references())
    axis = figure.axes[0]
    assert axis.get_xscale() == "symlog"
    assert "symmetric log" in axis.get_xlabel()
    lo, hi = axis.get_xlim()
    assert lo < 0 < hi
    figure.savefig(tmp_path / "forest.png")
    only_zero = plots.forest_plot([("zero", ba.point(0.0, "FLOP/s").estimate(10))])
    assert only_zero.axes[0].get_xscale() == "symlog"


def test_forest_plot_of_a_non_finite_estimate_names_it() -> None:
    pytest.importorskip("matplotlib")
    from bioanchors import plots

    class Broken:
        unit = ba.lognormal(1.0, 2.0, "FLOP/s").estimate(10).unit

        def to(self, unit: object) -> Broken:
            return self

        def percentile(self, q: float) -> Any:
            return ba.Q_(math.nan, "FLOP/s")

    with pytest.raises(InvalidInputError, match=r"forest_plot: 'broken'.*finite"):
        plots.forest_plot([("broken", Broken())])  # type: ignore[list-item]


def test_cdf_plot_of_non_positive_estimates_uses_a_symlog_axis() -> None:
    pytest.importorskip("matplotlib")
    from bioanchors import plots

    figure = plots.cdf_plot(_positive_and_not())
    assert figure.axes[0].get_xscale() == "symlog"


# --------------------------------------------------------------------------- item 18: forecast


def _brain_uncertain() -> ba.Uncertain:
    return ba.lognormal(1e15, 10, "FLOP/s") * ba.uniform(0.5, 2.0)


@pytest.mark.parametrize("kind", ["samples", "analytic", "streamed"])
def test_an_estimate_drives_the_forecast_like_its_distribution(kind: str) -> None:
    from bioanchors.timelines import tai_forecast

    if kind == "analytic":
        brain = ba.lognormal(1e15, 10, "FLOP/s")
        est = brain.estimate(10_000, method="analytic")
        assert est.log_params is not None
    elif kind == "samples":
        brain = _brain_uncertain()
        est = brain.estimate(10_000, method="mc", seed=3)
        assert est.samples is not None
    else:
        brain = _brain_uncertain()
        est = brain.estimate(40_000, method="mc", seed=3, max_in_memory=1000)
        assert est.streamed
    from_estimate = tai_forecast(est.to("PFLOP/s"), n=10_000)
    from_uncertain = tai_forecast(brain.named("u"), n=10_000)
    assert abs(from_estimate.median_year - from_uncertain.median_year) < 3.0
    assert from_estimate.brain_median_flops == pytest.approx(
        from_uncertain.brain_median_flops, rel=0.15
    )
    for year in (2040, 2060, 2100):
        assert from_estimate.prob_by(year) == pytest.approx(from_uncertain.prob_by(year), abs=0.03)
    again = tai_forecast(est, n=10_000)
    assert again.percentiles == tai_forecast(est, n=10_000).percentiles  # seeded


def test_an_estimate_not_in_flops_is_a_dimensionality_error() -> None:
    import pint

    from bioanchors.timelines import tai_forecast

    est = ba.lognormal(1e11, 2, "neuron").estimate(1000)
    with pytest.raises(pint.DimensionalityError, match=r"FLOP/s"):
        tai_forecast(est, n=1000)


def test_an_estimate_with_non_positive_values_is_refused() -> None:
    from bioanchors.timelines import tai_forecast

    est = _negative_allowed(ba.normal(1e15, 2e15, "FLOP/s"), 2000)
    with pytest.raises(InvalidInputError, match=r"positive"):
        tai_forecast(est, n=1000)


def test_forecasts_and_comparisons_pickle() -> None:
    import pickle

    from bioanchors.timelines import compare_brains, tai_forecast

    forecast = tai_forecast("kokotajlod-2021:claimed", n=2000)
    copy = pickle.loads(pickle.dumps(forecast))
    assert copy.to_dict() == forecast.to_dict()
    assert copy.prob_by(2070) == forecast.prob_by(2070)
    assert str(copy) == str(forecast)
    with pytest.raises(TypeError):
        copy.percentiles[50] = 0.0
    assert not copy.prob_by_year.flags.writeable
    assert not copy.log10_training_flop.flags.writeable
    rows = compare_brains(["kokotajlod-2021"], n=2000)
    assert [r.to_dict() for r in pickle.loads(pickle.dumps(rows))] == [r.to_dict() for r in rows]


def test_cli_names_the_file_and_field_of_an_out_of_bounds_anchors_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    text = cotra_2020_params_path().read_text(encoding="utf-8")
    marker = "[affordability.gdp_growth_per_year]\nvalue = 0.03"
    assert marker in text
    path = tmp_path / "shrinking.toml"
    path.write_text(text.replace(marker, marker.replace("0.03", "-0.2")), encoding="utf-8")
    code = main(["timelines", "--anchors", str(path), "-n", "100"])
    err = capsys.readouterr().err
    assert code == 2
    assert str(path) in err
    assert "gdp_growth_per_year: must be in [0, 1]" in err
    assert "Traceback" not in err


# ------------------------------------------------------------------------- penalty and ratio


@pytest.mark.parametrize(
    "bad",
    ["AUTO", "", "0", math.nan, -math.inf, 1e300, np.float64(np.nan), True, None.__class__],
)
def test_penalty_arguments_that_are_not_a_penalty_are_refused_before_sampling(bad: Any) -> None:
    from bioanchors.timelines import tai_forecast

    with pytest.raises(InvalidInputError, match="penalty"):
        tai_forecast("kokotajlod-2021:claimed", n=10**12, penalty=bad)  # n never allocated


@pytest.mark.parametrize("bad", [1, "Emulation", "", ["emulation"]])
def test_frames_that_are_not_a_frame_are_refused(bad: Any) -> None:
    from bioanchors.timelines import compare_brains

    with pytest.raises(InvalidInputError, match="frame: expected one of"):
        compare_brains([ba.point(1e15, "FLOP/s")], n=100, frame=bad)


@pytest.mark.parametrize("bad", [math.nan, math.inf, 21.0, "TCN", True])
def test_ratios_that_are_not_a_ratio_are_refused(bad: Any) -> None:
    from bioanchors.timelines import tai_forecast

    with pytest.raises(InvalidInputError, match="log10_flop_per_param"):
        tai_forecast("elm-2023", n=100, log10_flop_per_param=bad)


def test_numpy_numbers_and_extreme_penalties_give_finite_or_never() -> None:
    from bioanchors.timelines import Penalty, tai_forecast

    half = tai_forecast("elm-2023", n=500, penalty=np.float64(0.5))
    assert str(half.penalty) == "+0.5 OOM"
    extremes: tuple[Any, ...] = (Penalty(20.0, 10.0), Penalty(-20.0, 10.0), np.int64(-3))
    for penalty in extremes:
        fc = tai_forecast("kokotajlod-2021", n=2000, penalty=penalty)
        assert not np.any(np.isnan(fc.log10_training_flop))
        assert np.all((fc.prob_by_year >= 0) & (fc.prob_by_year <= 1))
        json.dumps(fc.to_dict(), allow_nan=False)
