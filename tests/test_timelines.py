"""Tests of the Cotra (2020) biological-anchors model (anchors, mixture, affordability, loader).

The reproduction test drives the model with Cotra's best-guess inputs and checks her headline
numbers (Cotra 2020, "Forecasting TAI with biological anchors", as summarised by Epoch AI 2022
and ACX 2022): P(TAI by 2030) ~8 %, by 2050 ~47 %, by 2100 ~78 %, median ~2052. The brain
input and the targets are read from the ``[reproduction]`` table of
``data/anchors/cotra-2020.toml``: log10 brain FLOP/s ~ Normal(15, 1.5).
"""

from __future__ import annotations

import json
import math
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.timelines.cotra import (
    AffordabilityParams,
    AnchorParams,
    CotraParams,
    MixtureWeights,
    cotra_2020_params_path,
    load_anchor_params,
)
from bioanchors.timelines.cotra.affordability import (
    algorithmic_progress_oom,
    arrival_years,
    check_years,
    log10_affordable_flop,
    log10_flop_per_usd,
    log10_gdp_usd,
    log10_spend_usd,
    median_year,
    prob_tai_by,
    year_percentiles,
)
from bioanchors.timelines.cotra.anchors import (
    evolution_anchor,
    genome_anchor,
    lifetime_anchor,
    long_horizon_anchor,
    medium_horizon_anchor,
    mixture,
    neural_network_anchor,
    sample_anchors,
    short_horizon_anchor,
)
from bioanchors.timelines.cotra.params import ANCHOR_NAMES, COMPONENT_NAMES, DEFAULT_AFFORDABILITY

TOML_PATH = cotra_2020_params_path()
REPRO: dict[str, Any] = tomllib.loads(TOML_PATH.read_text(encoding="utf-8"))["reproduction"]


def _brain(rng: np.random.Generator, n: int) -> np.ndarray[Any, np.dtype[np.float64]]:
    return rng.normal(REPRO["brain_log10_flops_median"], REPRO["brain_log10_flops_sd"], n)


@pytest.fixture(scope="module")
def cotra_samples() -> np.ndarray[Any, np.dtype[np.float64]]:
    """100,000 requirement samples from the best-guess model, fixed seed."""
    params = load_anchor_params(TOML_PATH)
    rng = np.random.default_rng(2020)
    return mixture(_brain(rng, 100_000), params.anchors, params.weights, rng=rng)


# ------------------------------------------------------------------------- reproduction


def test_reproduces_cotra_headline_probabilities(
    cotra_samples: np.ndarray[Any, np.dtype[np.float64]],
) -> None:
    params = load_anchor_params(TOML_PATH)
    p = prob_tai_by([2030.0, 2050.0, 2100.0], cotra_samples, params.affordability)
    tol = REPRO["tolerance_prob"]
    assert p[0] == pytest.approx(REPRO["prob_by_2030"], abs=tol)
    assert p[1] == pytest.approx(REPRO["prob_by_2050"], abs=tol)
    assert p[2] == pytest.approx(REPRO["prob_by_2100"], abs=tol)


def test_reproduces_cotra_median_year(
    cotra_samples: np.ndarray[Any, np.dtype[np.float64]],
) -> None:
    params = load_anchor_params(TOML_PATH)
    year = median_year(cotra_samples, params.affordability)
    assert year == pytest.approx(REPRO["median_year"], abs=REPRO["tolerance_years"])


def test_reproduces_wildeford_2036_check(
    cotra_samples: np.ndarray[Any, np.dtype[np.float64]],
) -> None:
    # Wildeford's port of Cotra (2020): "'2036': mixed(2036), // Should be ~15%".
    assert prob_tai_by([2036.0], cotra_samples)[0] == pytest.approx(0.15, abs=0.05)


def test_pipeline_is_deterministic_for_a_seed() -> None:
    def run(seed: int) -> np.ndarray[Any, np.dtype[np.float64]]:
        rng = np.random.default_rng(seed)
        return mixture(_brain(rng, 5_000), rng=rng)

    np.testing.assert_array_equal(run(7), run(7))
    assert not np.array_equal(run(7), run(8))


def test_median_year_agrees_with_prob_tai_by(
    cotra_samples: np.ndarray[Any, np.dtype[np.float64]],
) -> None:
    year = median_year(cotra_samples)
    before, after = math.floor(year), math.ceil(year)
    p = prob_tai_by([float(before), float(after)], cotra_samples)
    assert p[0] <= 0.5 <= p[1]


# ------------------------------------------------------------------------- anchors


def test_anchor_medians_at_brain_1e15() -> None:
    rng = np.random.default_rng(1)
    samples = sample_anchors(np.full(40_000, 15.0), rng=rng)
    assert tuple(samples) == ANCHOR_NAMES
    medians = {name: float(np.median(v)) for name, v in samples.items()}
    # Epoch AI's per-anchor medians (~1e32, ~3e34, ~1e37, ~1e33, ~1e28, ~1e41); medium, long
    # and genome reach them through their calibrated offsets (see the TOML).
    expected = {
        "short": 32.0,
        "medium": math.log10(3e34),
        "long": 37.0,
        "genome": 33.0,
        "lifetime": 28.0,
        "evolution": 41.0,
    }
    for name, value in expected.items():
        assert medians[name] == pytest.approx(value, abs=0.15), name


def test_lifetime_raw_is_brain_times_1e9_seconds() -> None:
    params = AnchorParams(
        model_penalty_oom=0.0,
        model_penalty_sd_oom=0.0,
        lifetime_adjustment_oom=0.0,
        lifetime_adjustment_sd_oom=0.0,
    )
    out = lifetime_anchor(np.array([15.0, 13.0]), params, rng=np.random.default_rng(0))
    np.testing.assert_allclose(out, [24.0, 22.0])


def test_lifetime_adjustment_gives_1e28_median() -> None:
    p = AnchorParams(model_penalty_sd_oom=0.0, lifetime_adjustment_sd_oom=0.0)
    out = lifetime_anchor(np.full(3, 15.0), p, rng=np.random.default_rng(0))
    np.testing.assert_allclose(out, 28.0)


def test_neural_network_formula_without_spread() -> None:
    p = AnchorParams(model_penalty_sd_oom=0.0, scaling_exponent_sd=0.0)
    brain = np.full(20_000, 15.0)
    out = short_horizon_anchor(brain, p, rng=np.random.default_rng(3))
    m = 15.0 + 1.0  # FLOP per subjective second: brain x 10
    log_p = m - 1.7  # 2e14 parameters
    log_d = 12.0 + 0.8 * (log_p - 11.2)
    horizon = out - m - log_d
    assert horizon.min() >= 0.0
    assert horizon.max() <= 3.0
    assert float(np.mean(horizon)) == pytest.approx(1.5, abs=0.03)
    assert log_p == pytest.approx(math.log10(2e14), abs=0.01)


def test_neural_network_anchors_scale_with_brain_by_one_plus_a() -> None:
    p = AnchorParams(model_penalty_sd_oom=0.0, scaling_exponent_sd=0.0)
    low = medium_horizon_anchor(np.full(10, 14.0), p, rng=np.random.default_rng(5))
    high = medium_horizon_anchor(np.full(10, 15.0), p, rng=np.random.default_rng(5))
    np.testing.assert_allclose(high - low, 1.8)


def test_genome_anchor_scales_only_through_flop_per_subjective_second() -> None:
    p = AnchorParams(model_penalty_sd_oom=0.0, scaling_exponent_sd=0.0)
    low = genome_anchor(np.full(10, 14.0), p, rng=np.random.default_rng(5))
    high = genome_anchor(np.full(10, 15.0), p, rng=np.random.default_rng(5))
    np.testing.assert_allclose(high - low, 1.0)


def test_horizon_bands_are_three_orders_apart_before_the_offsets() -> None:
    brain = np.full(30_000, 15.0)
    no_offsets = AnchorParams(medium_adjustment_oom=0.0, long_adjustment_oom=0.0)
    for params, gaps in (
        (no_offsets, (3.0, 3.0)),
        (AnchorParams(), (3.0 - 0.45, 3.0 - 0.93 + 0.45)),
    ):
        meds = [
            float(np.median(f(brain, params, rng=np.random.default_rng(9))))
            for f in (short_horizon_anchor, medium_horizon_anchor, long_horizon_anchor)
        ]
        assert meds[1] - meds[0] == pytest.approx(gaps[0], abs=0.1)
        assert meds[2] - meds[1] == pytest.approx(gaps[1], abs=0.1)


def test_evolution_anchor_ignores_brain_values() -> None:
    a = evolution_anchor(np.full(100, 12.0), rng=np.random.default_rng(4))
    b = evolution_anchor(np.full(100, 18.0), rng=np.random.default_rng(4))
    np.testing.assert_array_equal(a, b)


def test_neural_network_anchor_rejects_bad_horizon() -> None:
    with pytest.raises(ValueError, match="horizon_log10_s"):
        neural_network_anchor(np.full(3, 15.0), (3.0, 3.0), rng=np.random.default_rng(0))


def test_mixture_weights_and_none_component() -> None:
    rng = np.random.default_rng(11)
    out = mixture(_brain(rng, 50_000), rng=rng)
    assert out.shape == (50_000,)
    assert float(np.mean(np.isinf(out))) == pytest.approx(0.10, abs=0.01)
    assert np.all(out[np.isfinite(out)] > 10)


def test_mixture_with_all_weight_on_one_anchor() -> None:
    w = MixtureWeights(
        short=0.0, medium=0.0, long=0.0, genome=0.0, lifetime=1.0, evolution=0.0, none=0.0
    )
    out = mixture(np.full(20_000, 15.0), weights=w, rng=np.random.default_rng(2))
    assert np.all(np.isfinite(out))
    assert float(np.median(out)) == pytest.approx(28.0, abs=0.1)
    only_none = MixtureWeights(
        short=0.0, medium=0.0, long=0.0, genome=0.0, lifetime=0.0, evolution=0.0, none=1.0
    )
    assert np.all(
        np.isinf(mixture(np.full(10, 15.0), weights=only_none, rng=np.random.default_rng(2)))
    )


def test_weights_must_sum_to_one() -> None:
    with pytest.raises(ValueError, match=r"weights.*short=0\.3.*none=0\.1.*sum 1\.1"):
        MixtureWeights(short=0.3)
    with pytest.raises(ValueError, match="medium"):
        MixtureWeights(short=0.6, medium=-0.1)
    assert MixtureWeights().as_array().sum() == pytest.approx(1.0)
    assert len(MixtureWeights().as_array()) == len(COMPONENT_NAMES)


def test_swapped_short_long_weights_are_valid_and_earlier() -> None:
    rng = np.random.default_rng(2020)
    brain = _brain(rng, 50_000)
    swapped = MixtureWeights(short=0.20, long=0.15)  # Wildeford's port, against Epoch's 15/20
    out = mixture(brain, weights=swapped, rng=np.random.default_rng(1))
    base = mixture(brain, rng=np.random.default_rng(1))
    assert prob_tai_by([2050.0], out)[0] > prob_tai_by([2050.0], base)[0]


@pytest.mark.parametrize(
    "fn",
    [
        short_horizon_anchor,
        medium_horizon_anchor,
        long_horizon_anchor,
        genome_anchor,
        lifetime_anchor,
        evolution_anchor,
    ],
)
def test_anchors_reject_bad_brain_samples(fn: Callable[..., Any]) -> None:
    rng = np.random.default_rng(0)
    with pytest.raises(ValueError, match="log10_brain_flops"):
        fn(np.array([1e15]), rng=rng)  # FLOP/s instead of log10
    with pytest.raises(ValueError, match="log10_brain_flops"):
        fn(np.array([15.0, np.nan]), rng=rng)
    with pytest.raises(ValueError, match="log10_brain_flops"):
        fn(np.ones((2, 2)), rng=rng)
    with pytest.raises(ValueError, match="log10_brain_flops"):
        fn(np.array([]), rng=rng)
    with pytest.raises(TypeError, match="Generator"):
        fn(np.array([15.0]), rng=0)


def test_anchors_accept_the_far_tails_of_wide_brain_distributions() -> None:
    # Carlsmith's "1e15 median, 1e21 at 90 %" as a lognormal samples beyond 1e30 FLOP/s; only
    # values that must be FLOP/s passed by mistake (1e15 where 15 is meant) are refused.
    out = mixture(np.array([-5.0, 15.0, 40.0]), rng=np.random.default_rng(0))
    assert out.shape == (3,)
    with pytest.raises(ValueError, match=r"log10_brain_flops.*not the FLOP/s"):
        mixture(np.array([15.0, 1e15]), rng=np.random.default_rng(0))


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("model_penalty_sd_oom", -1.0),
        ("evolution_sd_oom", -0.5),
        ("short_horizon_log10_s", (3.0, 0.0)),
        ("scaling_exponent", math.nan),
        ("lifetime_log10_seconds", "9"),
    ],
)
def test_anchor_params_validation_names_field(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=field):
        AnchorParams(**{field: value})


# ------------------------------------------------------------------------- affordability


def test_affordability_trends_at_reference_points() -> None:
    assert log10_flop_per_usd([2020.0])[0] == pytest.approx(17.0)
    # 2.5-year halving: 5 years = 2 halvings, the ports' 4e17 in 2025; 10 years = 4 halvings
    assert log10_flop_per_usd([2025.0])[0] == pytest.approx(math.log10(4e17), abs=0.001)
    assert log10_flop_per_usd([2030.0])[0] == pytest.approx(17.0 + 4 * math.log10(2), abs=0.01)
    assert log10_flop_per_usd([2200.0])[0] == pytest.approx(24.0, abs=0.01)
    assert log10_spend_usd([2025.0])[0] == pytest.approx(9.0, abs=0.01)
    assert log10_gdp_usd([2020.0])[0] == pytest.approx(math.log10(2.13e13))
    # By 2100 spending sits at 1 % of GDP
    assert log10_spend_usd([2100.0])[0] == pytest.approx(
        math.log10(0.01 * 2.13e13 * 1.03**80), abs=0.01
    )


def test_affordable_flop_is_increasing() -> None:
    years = np.arange(2020.0, 2201.0)
    aff = log10_affordable_flop(years)
    assert np.all(np.diff(aff) > 0)
    assert aff[0] == pytest.approx(17.0 + float(log10_spend_usd([2020.0])[0]), abs=1e-9)


def test_algorithmic_progress_schedule() -> None:
    assert np.all(algorithmic_progress_oom(2020.0, [25.0, 30.0, 45.0]) == pytest.approx(0.0))
    late = algorithmic_progress_oom(2200.0, [25.0, 38.0, 50.0, np.inf])
    np.testing.assert_allclose(late[:3], [2.0, 3.5, 5.0], atol=0.01)
    assert late[3] == 0.0
    # halving every 3.5 years for small requirements, every 2 years for large ones
    early = algorithmic_progress_oom(2021.0, [25.0, 40.0])
    np.testing.assert_allclose(early, [math.log10(2) / 3.5, math.log10(2) / 2.0], rtol=0.05)


def test_prob_tai_by_counts_samples() -> None:
    samples = np.array([20.0, 30.0, 36.0, 60.0, np.inf])
    p = prob_tai_by([2020.0, 2100.0, 2200.0], samples)
    assert p[0] == pytest.approx(0.2)
    assert p[1] == pytest.approx(0.6)
    assert p[2] == pytest.approx(0.6)
    arrival = arrival_years(samples)
    assert arrival[0] == 2020.0
    assert np.isinf(arrival[3])
    assert np.isinf(arrival[4])


def test_median_year_is_inf_when_never_reached() -> None:
    samples = np.array([25.0, np.inf, np.inf])
    assert math.isinf(median_year(samples))
    pct = year_percentiles(samples, [0.3, 0.9])
    assert pct[0] == 2020.0
    assert math.isinf(pct[1])


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.one_of(st.floats(15.0, 60.0), st.just(math.inf)), min_size=1, max_size=30),
    st.lists(st.floats(2020.0, 2200.0), min_size=1, max_size=12, unique=True),
)
def test_prob_tai_by_is_a_monotone_cdf(samples: list[float], years: list[float]) -> None:
    ys = sorted(years)
    p = prob_tai_by(ys, samples)
    assert np.all((p >= 0) & (p <= 1))
    assert np.all(np.diff(p) >= 0)
    # it agrees with the arrival years wherever the year is on the yearly grid
    arrival = arrival_years(samples)
    grid = [y for y in ys if float(y).is_integer()]
    if grid:
        expected = [np.mean(arrival <= y) for y in grid]
        np.testing.assert_allclose(prob_tai_by(grid, samples), expected)


@settings(max_examples=40, deadline=None)
@given(st.floats(15.0, 50.0), st.floats(0.0, 5.0))
def test_larger_requirements_never_arrive_earlier(flop: float, extra: float) -> None:
    a = arrival_years([flop, flop + extra])
    assert a[0] <= a[1]


@pytest.mark.parametrize(
    "years",
    [[2019.0, 2030.0], [2030.0, 2201.0], [2050.0, 2040.0], [2030.0, 2030.0], [math.nan], []],
)
def test_bad_years_raise_naming_the_field(years: list[float]) -> None:
    with pytest.raises(ValueError, match="years"):
        prob_tai_by(years, [30.0])
    with pytest.raises(ValueError, match="years"):
        log10_affordable_flop(years)


def test_check_years_says_where_the_order_breaks() -> None:
    np.testing.assert_array_equal(check_years(range(2030, 2033)), [2030.0, 2031.0, 2032.0])
    with pytest.raises(ValueError, match=r"years: must be strictly increasing; 2050 .* 2045"):
        check_years([2040, 2050, 2045])
    with pytest.raises(ValueError, match=r"years: must lie in \[2020, 2200\]"):
        check_years([2030, 2300])


def test_bad_samples_and_probabilities_raise() -> None:
    with pytest.raises(ValueError, match="log10_required_samples"):
        prob_tai_by([2030.0], [30.0, math.nan])
    with pytest.raises(ValueError, match="log10_required_samples"):
        median_year([])
    with pytest.raises(ValueError, match="probabilities"):
        year_percentiles([30.0], [0.0])
    with pytest.raises(ValueError, match="probabilities"):
        year_percentiles([30.0], [1.5])


@pytest.mark.parametrize(
    "field",
    [
        "hardware_halving_time_years",
        "spend_doubling_time_years",
        "algo_halving_time_slow_years",
        "algo_halving_time_fast_years",
    ],
)
@pytest.mark.parametrize("value", [-2.0, 0.0])
def test_non_positive_doubling_times_raise_naming_the_field(field: str, value: float) -> None:
    kwargs: dict[str, Any] = {field: value}
    with pytest.raises(ValueError, match=field):
        AffordabilityParams(**kwargs)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("max_gdp_fraction", 1.5),
        ("hardware_max_flop_per_usd", 1e16),
        ("algo_max_oom_ramp_log10_flop", (44.0, 32.0)),
        ("gdp_base_usd", -1.0),
        ("base_year", math.inf),
    ],
)
def test_affordability_params_validation_names_field(field: str, value: Any) -> None:
    with pytest.raises(ValueError, match=field):
        AffordabilityParams(**{field: value})


def test_slower_spending_growth_delays_tai(
    cotra_samples: np.ndarray[Any, np.dtype[np.float64]],
) -> None:
    slow = DEFAULT_AFFORDABILITY.replace(spend_doubling_time_years=4.0)
    assert median_year(cotra_samples, slow) > median_year(cotra_samples)


# ------------------------------------------------------------------------- TOML loader


def test_shipped_toml_matches_defaults_and_cites_everything() -> None:
    params = load_anchor_params(TOML_PATH)
    assert params == CotraParams()
    raw = tomllib.loads(TOML_PATH.read_text(encoding="utf-8"))
    for section in ("anchors", "weights", "affordability"):
        for name, entry in raw[section].items():
            assert entry["who"], name
            assert entry["where"], name
            assert "quote" in entry or "page" in entry, name
    # Where sources disagree the file states the choice and the alternatives.
    for section, name in (
        ("weights", "short"),
        ("affordability", "spend_doubling_time_years"),
        ("affordability", "hardware_max_flop_per_usd"),
        ("anchors", "reference_log10_params"),
    ):
        assert raw[section][name]["choice"]
        assert raw[section][name]["alternatives"]


def _toml_value(value: Any) -> str:
    if isinstance(value, tuple | list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value)


def _default_tables() -> dict[str, dict[str, dict[str, Any]]]:
    tables: dict[str, dict[str, dict[str, Any]]] = {}
    obj: AnchorParams | MixtureWeights | AffordabilityParams
    for section, obj in (
        ("anchors", AnchorParams()),
        ("weights", MixtureWeights()),
        ("affordability", AffordabilityParams()),
    ):
        tables[section] = {
            name: {"value": value, "who": "w", "where": "x", "page": "1"}
            for name, value in dict(obj).items()
        }
    return tables


def _write(path: Path, tables: dict[str, dict[str, dict[str, Any]]]) -> Path:
    lines: list[str] = []
    for section, entries in tables.items():
        for name, entry in entries.items():
            lines.append(f"[{section}.{name}]")
            lines.extend(f"{key} = {_toml_value(v)}" for key, v in entry.items())
            lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def test_loader_round_trips_generated_file(tmp_path: Path) -> None:
    assert load_anchor_params(_write(tmp_path / "ok.toml", _default_tables())) == CotraParams()


def _mutate_missing(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    del t["affordability"]["gdp_base_usd"]


def _mutate_type(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["anchors"]["scaling_exponent"]["value"] = "0.8"


def _mutate_pair(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["anchors"]["long_horizon_log10_s"]["value"] = [6.0]


def _mutate_negative(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["affordability"]["spend_doubling_time_years"]["value"] = -2.0


def _mutate_weights(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["weights"]["long"]["value"] = 0.25


def _mutate_citation(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    del t["weights"]["genome"]["page"]


def _mutate_who(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    del t["anchors"]["evolution_sd_oom"]["who"]


def _mutate_unknown(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["affordability"]["spend_doubling_time"] = {
        "value": 2.0,
        "who": "w",
        "where": "x",
        "page": "1",
    }


def _mutate_section(t: dict[str, dict[str, dict[str, Any]]]) -> None:
    t["anchor"] = t.pop("anchors")


@pytest.mark.parametrize(
    ("mutate", "pattern"),
    [
        (_mutate_missing, r"\[affordability\] gdp_base_usd: missing field"),
        (_mutate_type, r"\[anchors\] scaling_exponent: value must be a number"),
        (_mutate_pair, r"\[anchors\] long_horizon_log10_s: value must be an array of two"),
        (_mutate_negative, r"spend_doubling_time_years: must be in \[0\.05, 1000\]"),
        (_mutate_weights, r"\[weights\].*long=0\.25.*sum 1\.05"),
        (_mutate_citation, r"\[weights\] genome: needs a 'quote' or a 'page'"),
        (_mutate_who, r"\[anchors\] evolution_sd_oom: missing 'who'"),
        (_mutate_unknown, r"\[affordability\] spend_doubling_time: unknown field"),
        (_mutate_section, r"anchor"),
    ],
)
def test_loader_rejects_bad_files_naming_file_and_field(
    tmp_path: Path,
    mutate: Callable[[dict[str, dict[str, dict[str, Any]]]], None],
    pattern: str,
) -> None:
    tables = _default_tables()
    mutate(tables)
    path = _write(tmp_path / "bad-params.toml", tables)
    with pytest.raises(ValueError, match=pattern) as info:
        load_anchor_params(path)
    assert "bad-params.toml" in str(info.value)


def test_loader_rejects_invalid_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "broken.toml"
    bad.write_text("[anchors\nvalue = ", encoding="utf-8")
    with pytest.raises(ValueError, match=r"broken\.toml.*not valid TOML"):
        load_anchor_params(bad)
    with pytest.raises(ValueError, match=r"nope\.toml"):
        load_anchor_params(tmp_path / "nope.toml")


# ------------------------------------------------------------ per-anchor algorithmic progress


def test_mixture_labels_every_sample_with_its_anchor() -> None:
    from bioanchors.timelines.cotra.progress import LabelledRequirements

    brain = _brain(np.random.default_rng(5), 20_000)
    out = mixture(brain, rng=np.random.default_rng(6))
    assert isinstance(out, LabelledRequirements)
    labels = out.anchor_index
    assert labels is not None
    assert labels.shape == out.shape
    none = COMPONENT_NAMES.index("none")
    np.testing.assert_array_equal(np.isinf(out), labels == none)
    evolution = labels == ANCHOR_NAMES.index("evolution")  # brain-independent: ~N(41, 4)
    assert float(np.median(np.asarray(out)[evolution])) == pytest.approx(41.0, abs=0.15)


def test_per_anchor_schedule_differs_from_the_per_requirement_rule() -> None:
    # One short-horizon sample at 1e37: per anchor it gets the short anchor's 2.75 y / 2
    # orders; read at its own requirement, 2 y / 3.25 orders, so it arrives earlier.
    from bioanchors.timelines.cotra.progress import LabelledRequirements

    short = ANCHOR_NAMES.index("short")
    labelled = LabelledRequirements.build([37.0], [short])
    assert arrival_years(labelled)[0] > arrival_years(np.array([37.0]))[0]
    per_requirement = DEFAULT_AFFORDABILITY.replace(algo_progress_by="requirement")
    assert arrival_years(labelled, per_requirement)[0] == arrival_years(np.array([37.0]))[0]


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_derived_arrays_never_carry_misaligned_labels(seed: int) -> None:
    out = mixture(_brain(np.random.default_rng(seed), 300), rng=np.random.default_rng(seed))
    order = np.random.default_rng(seed).permutation(out.size)
    for derived in (out[order], np.sort(out), out[:10], out + 0.0, out.copy()):
        assert getattr(derived, "anchor_index", None) is None
    # a derived array is read with the per-requirement rule, exactly like a plain array
    np.testing.assert_array_equal(
        prob_tai_by([2050.0], out[order]), prob_tai_by([2050.0], np.asarray(out)[order])
    )


def test_labelled_requirements_pickle_with_their_labels() -> None:
    import pickle

    out = mixture(_brain(np.random.default_rng(3), 2_000), rng=np.random.default_rng(4))
    copy = pickle.loads(pickle.dumps(out))
    assert copy.anchor_index is not None
    np.testing.assert_array_equal(copy.anchor_index, getattr(out, "anchor_index", None))
    np.testing.assert_array_equal(arrival_years(copy), arrival_years(out))


@pytest.mark.parametrize(
    ("values", "labels", "match"),
    [
        ([30.0, 31.0], [0], r"anchor_index: must be one label per sample"),
        ([30.0], [7], r"anchor_index: must be in \[0, 6\]"),
        ([30.0], [-1], r"anchor_index: must be in \[0, 6\]"),
    ],
)
def test_labelled_requirements_refuse_bad_labels(
    values: list[float], labels: list[int], match: str
) -> None:
    from bioanchors.errors import InvalidInputError
    from bioanchors.timelines.cotra.progress import LabelledRequirements

    with pytest.raises(InvalidInputError, match=match):
        LabelledRequirements.build(values, labels)
