"""The sampling engine: MC and QMC, chunks, executors, analytic path, reproducibility."""

from __future__ import annotations

import math
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.draw import draw, draw_many
from bioanchors._typing import Method
from tests.strategies import lognormal_products


@settings(max_examples=40)
@given(lognormal_products(), st.integers(0, 2**32))
def test_analytic_and_mc_agree_within_sampling_error(x: ba.Uncertain, seed: int) -> None:
    analytic = x.estimate(method="analytic")
    sampled = x.estimate(40_000, method="mc", seed=seed)
    mu, sigma = analytic.log_params  # type: ignore[misc]
    log_samples = np.log(sampled.samples.magnitude)  # type: ignore[union-attr]
    # The sample mean of ln X has standard error sigma / sqrt(n): allow 5 of them.
    assert np.mean(log_samples) == pytest.approx(mu, abs=5 * sigma / math.sqrt(40_000) + 1e-9)
    for q in (5, 50, 95):
        log_a = math.log(analytic.percentile(q).magnitude)
        log_s = math.log(sampled.percentile(q).magnitude)
        assert log_s == pytest.approx(log_a, abs=0.05 * sigma + 1e-9)


@given(lognormal_products(), st.integers(0, 2**32), st.sampled_from(["mc", "qmc"]))
def test_seeded_runs_repeat_bit_for_bit(x: ba.Uncertain, seed: int, method: Method) -> None:
    first = x.sample(3000, seed=seed, method=method).magnitude
    second = x.sample(3000, seed=seed, method=method).magnitude
    assert np.array_equal(first, second)


def test_different_seeds_differ() -> None:
    x = ba.normal(0, 1)
    assert not np.array_equal(x.sample(10, seed=1).magnitude, x.sample(10, seed=2).magnitude)


def test_auto_uses_closed_form_only_when_it_exists() -> None:
    product = ba.between(1, 10, "neuron") * ba.lognormal(5, 2, "FLOP/neuron/s") / 7
    assert product.estimate().method == "analytic"
    total = product + ba.point(1, "FLOP/s")
    assert total.estimate(1000).method == "mc"


def test_analytic_refusal_names_the_node() -> None:
    graph = ba.lognormal(1, 2, "s") * ba.normal(5, 1, name="overhead")
    with pytest.raises(ba.AnalyticUnavailableError, match="overhead") as info:
        graph.estimate(method="analytic")
    assert "normal" in str(info.value)
    with pytest.raises(ba.AnalyticUnavailableError, match="mixture"):
        ba.mixture([ba.lognormal(1, 2) * 2, ba.lognormal(1, 3)]).estimate(method="analytic")


def test_chunks_bound_memory_and_keep_numbers_reproducible() -> None:
    x = ba.lognormal(1, 2) + ba.normal(0, 1)
    whole = draw(x, 10_000, seed=3, chunk_size=2_500)
    again = draw(x, 10_000, seed=3, chunk_size=2_500)
    assert np.array_equal(whole, again)
    assert whole.shape == (10_000,)
    # A different chunk size is a different (equally valid) stream.
    other = draw(x, 10_000, seed=3, chunk_size=5_000)
    assert not np.array_equal(whole, other)


@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_executor_gives_identical_results(method: Method) -> None:
    x = ba.lognormal(1, 2) * ba.uniform(1, 2) + ba.normal(0, 1)
    serial = x.estimate(20_000, seed=9, method=method, chunk_size=4096)
    with ThreadPoolExecutor(max_workers=2) as pool:
        parallel = x.estimate(20_000, seed=9, method=method, chunk_size=4096, executor=pool)
    assert np.array_equal(serial.samples.magnitude, parallel.samples.magnitude)  # type: ignore[union-attr]


def test_qmc_chunks_continue_one_sobol_sequence() -> None:
    x = ba.normal(0, 1) + ba.uniform(0, 1)
    whole = draw(x, 4096, seed=1, method="qmc")
    chunked = draw(x, 4096, seed=1, method="qmc", chunk_size=1024)
    assert np.allclose(whole, chunked)


def test_qmc_is_more_accurate_than_mc() -> None:
    x = ba.lognormal(1, 3) * ba.lognormal(2, 2) + ba.uniform(0, 1)
    reference = x.estimate(2**21, seed=0, method="qmc").median.magnitude
    errors = {"mc": [], "qmc": []}  # type: dict[str, list[float]]
    for seed in range(10):
        for method in errors:
            median = x.estimate(2**12, seed=seed, method=method).median.magnitude
            errors[method].append((math.log(median) - math.log(reference)) ** 2)
    assert np.mean(errors["qmc"]) < np.mean(errors["mc"])


def test_non_finite_samples_raise() -> None:
    x = ba.sqrt(ba.normal(0, 1))
    with pytest.raises(ba.SamplingError, match="not finite"):
        x.estimate(1000)
    with pytest.raises(ba.SamplingError, match="not finite"):
        (1 / (ba.uniform(0, 1) * 0)).estimate(10)


@pytest.mark.parametrize("n", [0, -5, 2.5, "100", True, None])
def test_bad_n(n: object) -> None:
    with pytest.raises(ba.SamplingError, match="n must be"):
        ba.normal(0, 1).estimate(n)  # type: ignore[arg-type]


@pytest.mark.parametrize("seed", [-1, 1.5, "x", None])
def test_bad_seed(seed: object) -> None:
    with pytest.raises(ba.SamplingError, match="seed"):
        ba.normal(0, 1).estimate(10, seed=seed)  # type: ignore[arg-type]


def test_bad_method_and_chunk_size() -> None:
    with pytest.raises(ba.SamplingError, match="unknown method 'fast'"):
        ba.normal(0, 1).estimate(10, method="fast")
    with pytest.raises(ba.SamplingError, match="analytic"):
        ba.normal(0, 1).sample(10, method="analytic")
    with pytest.raises(ba.SamplingError, match="chunk_size"):
        ba.normal(0, 1).estimate(10, chunk_size=0)


def test_log_space_chains_are_one_lognormal_also_inside_larger_graphs() -> None:
    # A product chain inside a graph that has no closed form is still evaluated in log space:
    # its samples are exp(mu + sigma * z) for the closed form's (mu, sigma), and the sum that
    # reads it sees those very samples.
    chain = ba.lognormal(1, 2) * ba.lognormal(3, 2) / ba.lognormal(2, 3) ** 2 * 5
    noise = ba.normal(0, 1)
    mu, sigma = chain.estimate(method="analytic").log_params  # type: ignore[misc]
    assert mu == pytest.approx(math.log(3 / 4 * 5))
    assert sigma == pytest.approx(math.sqrt(2 * math.log(2) ** 2 + (2 * math.log(3)) ** 2))
    total, alone, z = draw_many([chain + noise, chain, noise], 100_000, seed=4)
    assert np.array_equal(total, alone + z)
    logs = np.log(alone)
    assert float(np.mean(logs)) == pytest.approx(mu, abs=5 * sigma / math.sqrt(100_000))
    assert float(np.std(logs)) == pytest.approx(sigma, rel=0.02)


def test_deep_graphs_need_no_recursion() -> None:
    x = ba.normal(0, 1)
    total = x
    for _ in range(3000):
        total = total + x
    assert total.sample(4).magnitude == pytest.approx(3001 * x.sample(4).magnitude)


def test_an_output_that_is_also_an_argument_stays_available() -> None:
    # Regression: joint draws of a quantity and its own inputs once freed an input's
    # register after its last use as an argument, although it was also an output.
    a, b = ba.normal(1, 0.1), ba.uniform(1, 2)
    total = a * b + a
    samples = draw_many([total, a, b], 100, seed=1)
    assert np.allclose(samples[0], samples[1] * samples[2] + samples[1])


@pytest.mark.parametrize("max_in_memory", [None, 1000])
def test_progress_is_called_once_per_chunk(max_in_memory: int | None) -> None:
    calls: list[tuple[int, int]] = []
    x = ba.normal(0, 1) + ba.uniform(0, 1)
    x.estimate(
        5000,
        chunk_size=1000,
        max_in_memory=max_in_memory,
        progress=lambda d, t: calls.append((d, t)),
    )
    assert calls == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
