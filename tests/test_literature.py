"""The literature scenarios: each loads with a frame and cited inputs, and lands where its
source says, computed here independently of the engine (the products by hand, the Landauer
bound from k_B T ln 2, log-uniform and mixture quantiles in closed form)."""

from __future__ import annotations

import functools
import math
import re
import tomllib
import warnings

import numpy as np
import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import optimize, stats

import bioanchors as ba
from bioanchors._graph.distributions import Lognormal, Loguniform
from bioanchors.catalog import data_dir, references
from bioanchors.errors import BioanchorsError
from bioanchors.methods import one_of
from bioanchors.timelines import compare_brains, tai_forecast
from bioanchors.timelines.cotra import Cotra2020

FRAMES = {
    "moravec-1998": "functional",
    "kurzweil-2005": "functional",
    "merkle-1989": "functional",
    "wbe-2008-spiking": "emulation",
    "wbe-2008-electrophysiology": "emulation",
    "wbe-2008-metabolome": "emulation",
    "carlsmith-2020-functional": "functional",
    "carlsmith-2020-limit": "bound",
    "carlsmith-2020-communication": "functional",
    "ai-impacts-2015-teps": "functional",
    "cotra-2020-brain": "functional",
}
LITERATURE = sorted(FRAMES)
N = 200_000


def _estimate(name: str, n: int = N) -> ba.Estimate:
    return ba.load_scenario(name).estimate(n, seed=3)


@functools.cache
def _quantiles(name: str, n: int = N) -> tuple[float, float, float]:
    q = _estimate(name, n).quantile([0.05, 0.5, 0.95]).magnitude
    return float(q[0]), float(q[1]), float(q[2])


def _loguniform_quantile(lo: float, hi: float, q: float) -> float:
    return float(lo * math.exp(q * math.log(hi / lo)))


# ------------------------------------------------------------------------- every file


def test_the_literature_is_bundled() -> None:
    assert set(LITERATURE) <= set(ba.scenarios())


@pytest.mark.parametrize("name", LITERATURE)
def test_loads_without_warnings_with_its_frame(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an unused step or a negative input would warn
        scenario = ba.load_scenario(name)
    assert scenario.frame == FRAMES[name]
    with (data_dir() / "scenarios" / f"{name}.toml").open("rb") as file:
        assert "literature" in tomllib.load(file)["tags"]
    assert scenario.unit == ba.ureg.Unit("FLOP/s")


@pytest.mark.parametrize("name", LITERATURE)
def test_every_input_cites_who_where_and_quote_or_page(name: str) -> None:
    inputs = [step for step in ba.load_scenario(name).steps if step.is_input]
    assert inputs
    for step in inputs:
        spec = step.spec
        who = spec.who or (step.source.who if step.source else None)
        where = spec.where or (step.source.where if step.source else None)
        assert who, f"{name}: {step.name} has no who"
        assert where, f"{name}: {step.name} has no where"
        assert spec.quote or spec.page, f"{name}: {step.name} has neither quote nor page"


@pytest.mark.parametrize("name", LITERATURE)
def test_the_description_says_what_the_number_means(name: str) -> None:
    description = ba.load_scenario(name).description
    assert f"Frame: {FRAMES[name]}" in description


@pytest.mark.parametrize("name", LITERATURE)
def test_shaky_inputs_have_wide_priors(name: str) -> None:
    for step in ba.load_scenario(name).steps:
        if step.is_input and step.spec.shaky:
            lo, hi = (q.magnitude for q in step.quantity.estimate(20_000, seed=0).interval(0.9))
            assert lo > 0
            assert hi / lo >= 10, f"{name}: shaky {step.name} spans only {hi / lo:.2f}x"


_NUMBER = r"([0-9.]+e[+-]?[0-9]+)"
_RESULT = re.compile(rf"median {_NUMBER} FLOP/s, 90% interval {_NUMBER}-{_NUMBER}")


@pytest.mark.parametrize("name", [n for n in LITERATURE if n != "carlsmith-2020-limit"])
def test_the_description_states_the_result_the_file_gives(name: str) -> None:
    """The 'Result:' sentence of each description is what the file computes (two digits)."""
    found = _RESULT.search(ba.load_scenario(name).description.replace(" \\\n", " "))
    assert found, f"{name}: no 'median ... FLOP/s, 90% interval a-b' in the description"
    stated = [float(found.group(i)) for i in (2, 1, 3)]
    computed = _quantiles(name, 400_000)
    for said, got in zip(stated, computed, strict=True):
        assert got == pytest.approx(said, rel=0.08), f"{name}: says {said:.2g}, gives {got:.3g}"


@pytest.mark.parametrize("name", LITERATURE)
def test_no_claim_is_contradicted(name: str) -> None:
    assert all(row.ok for row in ba.load_scenario(name).audit(n=5_000))


# ----------------------------------------------------------------- each source's figure


def test_moravec_by_hand() -> None:
    retina = 10 * 1e6 * 100  # images/s x detections/image x instructions/detection
    assert retina == 1e9  # "1,000 MIPS"
    brain = retina * 100_000  # "about 100,000 times as large"
    assert brain == 1e14  # "about 100 million MIPS"
    fit = 2.3e6 * (brain / 1e6) ** 0.89  # Sandberg & Bostrom: MFLOPS = 2.3 MIPS^0.89
    assert fit == pytest.approx(3.0e13, rel=0.02)  # AI Impacts: "around 3.0 x 10^13 FLOPS"
    scenario = ba.load_scenario("moravec-1998")
    assert scenario["brain_instructions_per_second"].estimate().median.magnitude == brain
    lo, hi = fit / brain, 1.0
    conversion = scenario.step("flop_per_instruction").spec.distribution
    assert isinstance(conversion, Loguniform)
    assert conversion.lo == pytest.approx(lo, abs=5e-4)
    expected = [brain * _loguniform_quantile(lo, hi, q) for q in (0.05, 0.5, 0.95)]
    assert _quantiles("moravec-1998") == pytest.approx(expected, rel=0.02)


def test_kurzweil_is_1e16_to_the_closest_power_of_ten() -> None:
    assert _quantiles("kurzweil-2005") == pytest.approx(
        [10 ** (16 - 0.45), 1e16, 10 ** (16 + 0.45)], rel=0.02
    )


def test_merkle_range_and_its_synapse_count_cross_check() -> None:
    assert _quantiles("merkle-1989") == pytest.approx(
        [10 ** (13 + 3 * q) for q in (0.05, 0.5, 0.95)], rel=0.03
    )
    synapse_count_estimate = 1e15 * 10  # "10**15 synapses operating at about 10 impulses/second"
    prior = ba.load_scenario("merkle-1989").step("operations_per_second").spec.distribution
    assert isinstance(prior, Loguniform)
    top = prior.hi
    assert top == synapse_count_estimate


@pytest.mark.parametrize(
    ("name", "reference", "value"),
    [
        ("wbe-2008-spiking", "wbe-2008-spiking-neural-network", 1e18),
        ("wbe-2008-electrophysiology", "wbe-2008-electrophysiology", 1e22),
        ("wbe-2008-metabolome", "wbe-2008-metabolome", 1e25),
    ],
)
def test_wbe_levels_are_table_9_and_agree_with_the_reference_lines(
    name: str, reference: str, value: float
) -> None:
    line = {r.name: r for r in references()}[reference]
    assert line.value.to("FLOP/s").magnitude == value
    assert line.frame == FRAMES[name]
    assert _quantiles(name) == pytest.approx([value * 10**-0.45, value, value * 10**0.45], rel=0.02)


def test_carlsmith_functional_is_the_pooled_ranges() -> None:
    ranges = [(1e12, 1e15), (1e16, 1e20), (1e13, 3e17)]  # the summary's three sub-estimates

    def cdf(log_x: float) -> float:
        parts = [(log_x - math.log(lo)) / math.log(hi / lo) for lo, hi in ranges]
        return sum(min(max(u, 0.0), 1.0) for u in parts) / len(ranges)

    expected = [
        math.exp(optimize.brentq(lambda v, q=q: cdf(v) - q, math.log(1e11), math.log(1e21)))
        for q in (0.05, 0.5, 0.95)
    ]
    got = _quantiles("carlsmith-2020-functional", 400_000)
    # The median sits where only one range has mass, so sampling noise there is larger.
    assert got == pytest.approx(expected, rel=0.1)
    assert got[0] == pytest.approx(expected[0], rel=0.03)
    assert got[2] == pytest.approx(expected[2], rel=0.03)


def test_carlsmith_limit_is_the_landauer_bound_by_hand() -> None:
    k_b = 1.380649e-23  # J/K, exact (SI 2019)
    bound = 20 / (k_b * 310 * math.log(2))
    assert bound == pytest.approx(6.74e21, rel=1e-3)
    est = _estimate("carlsmith-2020-limit", 1000)
    assert est.median.magnitude == pytest.approx(bound, rel=1e-9)
    line = {r.name: r for r in references()}["landauer-limit-310K"]
    assert line.value.to("FLOP/s").magnitude == pytest.approx(bound, rel=0.01)
    assert line.frame == "bound"


def test_carlsmith_communication_has_its_recalled_range_as_an_80_percent_interval() -> None:
    est = _estimate("carlsmith-2020-communication")
    lo, hi = est.quantile([0.1, 0.9]).magnitude
    assert (lo, hi) == pytest.approx((1e14, 1e16), rel=0.03)
    z = stats.norm.ppf(0.95) / stats.norm.ppf(0.9)  # the 90% interval in units of the 80%
    assert est.interval(0.9)[0].magnitude == pytest.approx(10 ** (15 - z), rel=0.03)


def test_ai_impacts_teps_reproduces_its_stated_conversion() -> None:
    # The page: 0.18-6.4e14 TEPS -> 0.9-33.7e16 FLOPS, which is 1.9e-3 TEPS per FLOPS.
    bottom, top, top_at_text_ratio = 1.8e13 / 1.9e-3, 6.4e14 / 1.9e-3, 6.4e14 / 1.7e-3
    assert bottom == pytest.approx(0.9e16, rel=0.06)
    assert top == pytest.approx(33.7e16, rel=0.001)
    assert top_at_text_ratio == pytest.approx(37.6e16, rel=0.002)
    # A second implementation: direct sampling of log TEPS - log ratio, another generator.
    rng = np.random.default_rng(2015)
    log_teps = rng.uniform(math.log(1.8e13), math.log(6.4e14), 1_000_000)
    log_ratio = rng.uniform(math.log(1.7e-3), math.log(1.9e-3), 1_000_000)
    expected = np.exp(np.quantile(log_teps - log_ratio, [0.05, 0.5, 0.95]))
    assert _quantiles("ai-impacts-2015-teps") == pytest.approx(list(expected), rel=0.02)
    lo, _, hi = _quantiles("ai-impacts-2015-teps")
    assert lo > bottom  # inside the page's range and its 1.7 reading
    assert hi < top_at_text_ratio


# -------------------------------------------------------- Cotra's brain, the reference row


def test_cotra_brain_is_the_models_reference_input() -> None:
    median, sd = Cotra2020.from_anchors().reference
    dist = ba.load_scenario("cotra-2020-brain").step("total").spec.distribution
    assert isinstance(dist, Lognormal)
    assert math.log10(dist.median) == pytest.approx(median, abs=1e-12)
    assert math.log10(dist.gsd) == pytest.approx(sd, abs=1e-12)


def test_tai_forecast_of_cotra_brain_is_the_reference_row() -> None:
    # Different random streams: the two medians differ by sampling noise only. Its sd over
    # seeds at n = 20,000 is ~0.16 years, so a 1-year tolerance is about 4 sd of a difference.
    n = 20_000
    reference = compare_brains([], n=n, seed=0)[0]
    assert reference.brain == "cotra-2020"
    mine = tai_forecast("cotra-2020-brain", n=n, seed=1)
    assert mine.median_year == pytest.approx(reference.median_year, abs=1.0)
    for year in (2030, 2050, 2100):
        assert mine.prob_by(year) == pytest.approx(reference.prob_by(year), abs=0.02)


# ------------------------------------------------------------------------------ one_of


def test_one_of_needs_two_estimates() -> None:
    with pytest.raises(BioanchorsError, match="two or more"):
        one_of(ba.point(1, "FLOP/s"))


def test_one_of_refuses_negative_constants_and_mixed_dimensions() -> None:
    with pytest.raises(BioanchorsError):
        one_of(ba.point(-1, "FLOP/s"), ba.point(1, "FLOP/s"))
    with pytest.raises(pint.DimensionalityError):
        one_of(ba.point(1, "FLOP/s"), ba.point(1, "neuron"))


@settings(max_examples=25)
@given(
    values=st.lists(
        st.floats(min_value=1.0, max_value=1e20, allow_nan=False),
        min_size=2,
        max_size=5,
        unique=True,
    )
)
def test_one_of_gives_each_estimate_an_equal_share(values: list[float]) -> None:
    mixed = one_of(*(ba.point(v, "FLOP/s") for v in values))
    samples = mixed.sample(4_000, seed=0).magnitude
    for v in values:
        share = float(np.mean(np.isclose(samples, v, rtol=1e-9)))
        assert share == pytest.approx(1 / len(values), abs=0.03)


def test_one_of_mixes_derived_estimates_too() -> None:
    # Components that are not inputs (a product) take the mixture's other path.
    low = ba.point(1e12, "FLOP/s") * ba.loguniform(1, 2, "")
    high = ba.point(1e18, "FLOP/s") * ba.loguniform(1, 2, "")
    samples = one_of(low, high).sample(10_000, seed=1).magnitude
    assert float(np.mean(samples < 1e15)) == pytest.approx(0.5, abs=0.03)
    assert samples.min() >= 1e12
    assert samples.max() <= 2e18


def test_one_of_converts_units_to_the_first() -> None:
    mixed = one_of(ba.point(1, "PFLOP/s"), ba.point(1e15, "FLOP/s"))
    assert mixed.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e15)
