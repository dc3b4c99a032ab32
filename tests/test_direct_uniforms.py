"""Monte Carlo draws independent uniform, log-uniform and mixture inputs from uniforms directly.

References written independently of the engine: the stream contract itself (the input's values
are ``ppf(Generator(PCG64(SeedSequence(seed, (*key, chunk)))).random(n))``), scipy.stats'
closed-form CDFs (Kolmogorov-Smirnov at fixed seeds) and the mixture's exact CDF. Per-input
streams stay: an input's numbers do not depend on the graph around it or on other inputs.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

import bioanchors as ba
from bioanchors._engine.draw import draw_many
from bioanchors._engine.interpret import evaluate_chunk
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.scores import uniform_columns
from bioanchors._graph.uncertain import Uncertain


def _stream(item: Uncertain, seed: int, n: int, chunk: int = 0) -> np.ndarray:
    """The uniforms of ``item``'s own stream, by the documented contract."""
    key = item.node.key  # type: ignore[union-attr]
    sequence = np.random.SeedSequence(seed, spawn_key=(*key, chunk))
    return np.random.Generator(np.random.PCG64(sequence)).random(n)


@settings(max_examples=40, deadline=None)
@given(
    st.floats(-1e6, 1e6, allow_nan=False),
    st.floats(1e-3, 1e6, allow_nan=False),
    st.integers(0, 2**32 - 1),
)
def test_a_uniform_input_is_its_streams_uniforms_mapped_to_its_range(
    lo: float, width: float, seed: int
) -> None:
    x = ba.uniform(lo, lo + width)
    values = x.sample(500, seed=seed).magnitude
    u = _stream(x, seed, 500)
    assert np.array_equal(values, lo + ((lo + width) - lo) * u)
    assert np.all((values >= lo) & (values <= lo + width))


def test_a_loguniform_input_is_its_streams_uniforms_in_log_space() -> None:
    x = ba.loguniform(1e3, 1e9)
    values = x.sample(10_000, seed=5).magnitude
    u = _stream(x, 5, 10_000)
    expected = np.exp(np.log(1e3) + (np.log(1e9) - np.log(1e3)) * u)
    assert np.array_equal(values, expected)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_distributions_match_scipy(seed: int) -> None:
    n = 200_000
    uniform = ba.uniform(-3.0, 7.0).sample(n, seed=seed).magnitude
    assert stats.kstest(uniform, stats.uniform(-3.0, 10.0).cdf).pvalue > 1e-3
    loguniform = ba.loguniform(1e2, 1e8).sample(n, seed=seed).magnitude
    assert stats.kstest(loguniform, stats.loguniform(1e2, 1e8).cdf).pvalue > 1e-3


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_a_mixture_distribution_matches_its_exact_cdf(seed: int) -> None:
    parts = [ba.loguniform(1e12, 1e15), ba.lognormal(1e17, 30), ba.uniform(1e13, 3e17)]
    x = ba.mixture(parts, [0.2, 0.5, 0.3])
    program = compile_plan(x).program
    assert uniform_columns(program)  # the direct path is the one under test
    dist = program.instructions[0].dist  # type: ignore[union-attr]
    values = x.sample(300_000, seed=seed).magnitude
    assert np.all(np.isfinite(values))
    reference = stats.kstest(values, lambda v: dist.cdf(v))
    assert reference.pvalue > 1e-3
    # The weights: the share of samples from the lognormal's exclusive range (above 3e17)
    # against its exact probability there.
    above = 0.5 * stats.lognorm(np.log(30), scale=1e17).sf(3e17)
    share = float(np.mean(values > 3e17))
    assert abs(share - above) < 5 * np.sqrt(above * (1 - above) / values.size)


def test_a_zero_weight_component_is_never_drawn() -> None:
    x = ba.mixture([ba.uniform(0, 1), ba.uniform(10, 11), ba.uniform(20, 21)], [0.5, 0.0, 0.5])
    values = x.sample(50_000, seed=3).magnitude
    assert not np.any((values > 1) & (values < 20))
    assert abs(float(np.mean(values > 10)) - 0.5) < 0.01


def test_an_inputs_numbers_do_not_depend_on_the_graph() -> None:
    a, b = ba.uniform(1.0, 2.0), ba.loguniform(1.0, 100.0)
    alone = a.sample(4096, seed=9).magnitude
    with_others = draw_many([a * b + ba.normal(0, 1), a], 4096, seed=9)
    assert np.array_equal(with_others[1], alone)


def test_inputs_keyed_alike_across_kinds_stay_one_variable() -> None:
    u = ba.uniform(0.0, 1.0).keyed("shared/kinds")
    z = ba.normal(0.0, 1.0).keyed("shared/kinds")
    samples = draw_many([u, z], 20_000, seed=1)
    assert stats.spearmanr(samples[0], samples[1]).statistic == pytest.approx(1.0)


def test_qmc_and_correlated_inputs_keep_normal_scores() -> None:
    a, b = ba.correlate([ba.uniform(0, 1), ba.lognormal(1, 3)], 0.8)
    assert not uniform_columns(compile_plan(a * b).program)
    x = ba.uniform(0.0, 1.0)
    program = compile_plan(x).program
    qmc = evaluate_chunk(program, "qmc", 0, 0, 1024, 0)[0]
    assert np.all((qmc > 0) & (qmc < 1))
    assert abs(float(np.mean(qmc)) - 0.5) < 1e-3  # a Sobol design: far closer than MC's 0.009


def test_sensitivity_of_a_graph_with_uniform_inputs_still_swings_by_percentiles() -> None:
    a, b = ba.uniform(1.0, 3.0, name="a"), ba.lognormal(10.0, 2.0, name="b")
    table = ba.sensitivity(a + b, n=20_000, seed=0)
    row = next(r for r in table if r.name == "a")
    # a at its 5th and 95th percentiles, b at its median: exact values.
    assert row.low == pytest.approx(1.1 + 10.0)
    assert row.high == pytest.approx(2.9 + 10.0)
