"""Scale: streamed estimates (histogram summaries), their error bound, and process executors."""

from __future__ import annotations

import math
import multiprocessing
import pickle
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.draw import chunk_tasks, draw_many, stream_histogram
from bioanchors._engine.histogram import HISTOGRAM_BITS, Histogram, bin_edge, bin_index
from bioanchors._engine.interpret import evaluate_chunk
from bioanchors._engine.options import SamplingOptions
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.scores import skip_sobol
from bioanchors._typing import Method

BOUND = 2.0**-HISTOGRAM_BITS
PROBES = (0, 0.1, 1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9, 100)


def mechanistic() -> ba.Uncertain:
    """Carlsmith's synaptic term plus a per-neuron term: not a pure product."""
    synaptic = (
        ba.between(1e14, 1e15, "synapse")
        * ba.between(0.1, 1, "spike / synapse / s", credibility=0.8)
        * ba.between(1, 100, "FLOP / spike", credibility=0.8)
    )
    neurons = ba.normal(86.1e9, 8.1e9, "neuron")
    firing = neurons * ba.lognormal(13, 7, "FLOP / neuron / step") * ba.point(1000, "step / s")
    return synaptic + firing


def both(
    x: ba.Uncertain, n: int, *, method: Method = "mc", seed: int = 0
) -> tuple[ba.Estimate, ba.Estimate]:
    """The same draws summarised twice: kept in memory, and streamed through histograms."""
    kept = x.estimate(n, seed=seed, method=method, chunk_size=2**18, max_in_memory=n)
    streamed = x.estimate(n, seed=seed, method=method, chunk_size=2**18, max_in_memory=2**18)
    return kept, streamed


def assert_within_bound(kept: ba.Estimate, streamed: ba.Estimate) -> None:
    samples = kept.samples
    assert samples is not None
    values = np.sort(samples.magnitude)
    for q in PROBES:
        exact = kept.percentile(q).magnitude
        # The bound is relative to the samples the percentile falls between.
        position = (values.size - 1) * q / 100
        neighbours = values[math.floor(position) : math.floor(position) + 2]
        scale = float(np.max(np.abs(neighbours)))
        assert abs(streamed.percentile(q).magnitude - exact) <= BOUND * scale + 1e-300, q


def test_streamed_percentiles_mean_and_probabilities_match_in_memory() -> None:
    kept, streamed = both(mechanistic(), 2_000_000)
    assert streamed.streamed
    assert not kept.streamed
    assert streamed.samples is None
    assert (streamed.n, streamed.seed, streamed.method) == (2_000_000, 0, "mc")
    assert_within_bound(kept, streamed)
    assert streamed.percentile(0) == kept.percentile(0)
    assert streamed.percentile(100) == kept.percentile(100)
    assert streamed.mean.magnitude == pytest.approx(kept.mean.magnitude, rel=1e-12)
    for q in (5, 50, 95, 99.9):
        threshold = kept.percentile(q)
        assert streamed.prob_above(threshold) == pytest.approx(kept.prob_above(threshold), abs=1e-3)
    assert streamed.prob_above("1e30 FLOP/s") == 0.0
    assert streamed.prob_above("0 FLOP/s") == 1.0


def test_streamed_estimate_keeps_the_public_api() -> None:
    _, streamed = both(mechanistic(), 600_000)
    text = str(streamed)
    assert text.endswith(")")
    assert "FLOP/s" in text
    assert streamed._repr_html_().startswith("<table>")
    data = streamed.to_dict()
    assert data["n"] == 600_000
    assert data["method"] == "mc"
    assert set(data["percentiles"]) >= {"5", "50", "95"}
    peta = streamed.to("PFLOP/s")
    assert peta.streamed
    assert peta.median.magnitude == pytest.approx(streamed.median.magnitude / 1e15, rel=1e-12)
    assert peta.mean.magnitude == pytest.approx(streamed.mean.magnitude / 1e15, rel=1e-12)
    assert peta.prob_above("4 PFLOP/s") == pytest.approx(
        streamed.prob_above("4e15 FLOP/s"), rel=1e-12
    )
    lo, hi = streamed.interval(0.9)
    assert lo < streamed.median < hi
    assert streamed.prob_below("4e15 FLOP/s") == 1 - streamed.prob_above("4e15 FLOP/s")


@pytest.mark.parametrize(
    "graph",
    [
        pytest.param(lambda: ba.normal(0, 1, "s") * ba.lognormal(1, 3), id="mixed-sign"),
        pytest.param(lambda: -ba.lognormal(1e15, 10, "m") + ba.normal(0, 1e12, "m"), id="negative"),
        pytest.param(lambda: ba.maximum(ba.normal(0, 1), 0) - 0.5, id="atom-and-sign-change"),
    ],
)
def test_negative_and_mixed_sign_graphs(graph: object) -> None:
    x = graph()  # type: ignore[operator]
    kept, streamed = both(x, 700_000)
    assert streamed.streamed
    assert_within_bound(kept, streamed)
    assert streamed.mean.magnitude == pytest.approx(kept.mean.magnitude, rel=1e-9, abs=1e-12)
    threshold = kept.median
    assert streamed.prob_above(threshold) == pytest.approx(kept.prob_above(threshold), abs=2e-3)


def test_values_at_zero_and_constants() -> None:
    zeros = ba.maximum(ba.normal(0, 1), 0)  # half the mass exactly at zero
    kept, streamed = both(zeros, 600_000)
    assert streamed.percentile(25).magnitude == 0.0  # an atom at zero stays exact
    assert streamed.percentile(0).magnitude == 0.0
    for zero in (0.0, -0.0):
        assert streamed.prob_above(zero) == kept.prob_above(zero)
    assert streamed.prob_above(-1e-300) == 1.0
    assert_within_bound(kept, streamed)
    constant = ba.point(3.0, "s") + ba.normal(0, 1, "s") * 0
    _, flat = both(constant, 600_000)
    assert [flat.percentile(q).magnitude for q in (0, 5, 50, 100)] == [3.0] * 4
    assert flat.mean.magnitude == 3.0


def test_qmc_streams_too() -> None:
    kept, streamed = both(mechanistic(), 2**20, method="qmc")
    assert streamed.method == "qmc"
    assert_within_bound(kept, streamed)


def test_default_threshold_and_validation() -> None:
    assert not ba.normal(0, 1).estimate(1000).streamed
    with pytest.raises(ba.SamplingError, match="max_in_memory"):
        ba.normal(0, 1).estimate(10, max_in_memory=0)
    # A closed form is never streamed: nothing is sampled.
    analytic = ba.lognormal(1, 2).estimate(10**9, max_in_memory=10)
    assert analytic.method == "analytic"
    assert not analytic.streamed


def test_memory_is_bounded_by_the_span_not_the_count() -> None:
    x = ba.lognormal(1e15, 30, "FLOP/s") + ba.point(0, "FLOP/s")  # ~14 decades over 3e6 draws
    histogram = stream_histogram(compile_plan(x), SamplingOptions.of(3_000_000, seed=2))
    assert histogram.count == 3_000_000
    assert histogram.nbytes < 2 * 2**20  # ~50 powers of two x 1024 bins x 8 bytes


# -- the histogram --------------------------------------------------------------------------

finite_doubles = st.floats(allow_nan=False, allow_infinity=False, width=64)


@given(st.lists(finite_doubles, min_size=2, max_size=50))
def test_bins_are_monotone_and_hold_their_values(values: list[float]) -> None:
    array = np.array(sorted(values), dtype=np.float64)
    index = bin_index(array.copy())
    assert np.all(np.diff(index) >= 0)
    low = bin_edge(index)
    high = bin_edge(index + 1)
    assert np.all(low <= array)
    # Bins are half-open except that +/-0 share a boundary: -0.0 sits in bin -1, +0.0 in bin 0.
    assert np.all((array < high) | ((array == 0) & (high == 0)))
    # The bound holds for normal doubles; the top bin ends at infinity (answers are clamped to
    # the largest sample).
    normal = (np.abs(array) >= np.finfo(np.float64).tiny) & np.isfinite(high)
    width = (high - low)[normal]
    assert np.all(width <= BOUND * np.abs(array[normal]) * (1 + 1e-12))


@given(
    st.lists(
        st.floats(min_value=-1e300, max_value=1e300, allow_nan=False, width=64),
        min_size=1,
        max_size=200,
    ),
    st.floats(min_value=0, max_value=100),
)
def test_histogram_percentiles_within_the_bound(values: list[float], q: float) -> None:
    array = np.array(values, dtype=np.float64)
    histogram = Histogram.of(array)
    ordered = np.sort(array)
    position = (array.size - 1) * q / 100
    below = min(math.floor(position), array.size - 1)
    neighbours = ordered[below : below + 2]
    scale = float(np.max(np.abs(neighbours)))
    exact = float(np.percentile(array, q))
    assert abs(histogram.value(q) - exact) <= BOUND * scale * (1 + 1e-9) + 1e-300


def test_merging_is_independent_of_order() -> None:
    rng = np.random.default_rng(4)
    parts = [rng.lognormal(i, 1 + i, 10_000) * rng.choice([-1, 1], 10_000) for i in range(5)]
    summaries = [Histogram.of(part) for part in parts]
    forward = Histogram.merged(summaries)
    backward = Histogram.merged(reversed(summaries))
    whole = Histogram.of(np.concatenate(parts))
    for merged in (forward, backward):
        assert merged.offset == whole.offset
        assert np.array_equal(merged.counts, whole.counts)
        assert (merged.minimum, merged.maximum, merged.count) == (
            whole.minimum,
            whole.maximum,
            whole.count,
        )
    assert forward.mean() == backward.mean()
    assert forward.mean() == pytest.approx(float(np.mean(np.concatenate(parts))), rel=1e-12)
    with pytest.raises(ba.SamplingError, match="no histograms"):
        Histogram.merged([])


# -- in-memory estimates --------------------------------------------------------------------


def test_in_memory_percentiles_do_not_depend_on_question_order() -> None:
    x = mechanistic()
    first = x.estimate(50_001, seed=3)
    second = x.estimate(50_001, seed=3)
    qs = [0.3, 99.7, 50, 5, 95, 12.5, 0, 100, 50]
    one = [first.percentile(q).magnitude for q in qs]
    two = [second.percentile(q).magnitude for q in reversed(qs)][::-1]
    assert one == two
    samples = first.samples
    assert samples is not None  # reading the draws changes no answer
    assert [first.percentile(q).magnitude for q in qs] == one
    reference = np.percentile(samples.magnitude, qs)
    assert one == pytest.approx(list(reference), rel=1e-14)
    assert first.mean == second.mean
    assert first.prob_above(first.median) == second.prob_above(second.median)


def test_estimates_pickle() -> None:
    kept, streamed = both(ba.normal(5, 1, "s"), 300_000)
    for estimate in (kept, streamed, ba.lognormal(1, 2, "s").estimate()):
        estimate.percentile(50)
        clone = pickle.loads(pickle.dumps(estimate))
        assert clone.to_dict() == estimate.to_dict()


# -- executors ------------------------------------------------------------------------------


def test_chunk_tasks_pickle() -> None:
    x = ba.mixture([mechanistic(), ba.between(1e15, 1e17, "FLOP/s")], [0.3, 0.7])
    plan = compile_plan(x)
    task = list(chunk_tasks(plan.program, 10_000, 7, "qmc", 4096))[1]
    clone = pickle.loads(pickle.dumps(task))
    assert np.array_equal(evaluate_chunk(*task), evaluate_chunk(*clone))


@pytest.mark.parametrize("start_method", ["fork", "spawn"])
def test_process_pool_gives_bit_identical_results(start_method: str) -> None:
    x = ba.mixture([mechanistic(), ba.between(1e15, 1e17, "FLOP/s")], [0.3, 0.7])
    seed, chunk = 11, 2**15
    serial_kept = x.estimate(2**17, seed=seed, chunk_size=chunk)
    serial_streamed = x.estimate(2**18, max_in_memory=2**16, seed=seed, chunk_size=chunk)
    serial_histogram = stream_histogram(
        compile_plan(x), SamplingOptions.of(2**18, seed=seed, chunk_size=chunk)
    )
    context = multiprocessing.get_context(start_method)
    with ProcessPoolExecutor(2, mp_context=context) as pool:
        kept = x.estimate(2**17, executor=pool, seed=seed, chunk_size=chunk)
        streamed = x.estimate(
            2**18, max_in_memory=2**16, executor=pool, seed=seed, chunk_size=chunk
        )
        options = SamplingOptions.of(2**18, seed=seed, chunk_size=chunk, executor=pool)
        histogram = stream_histogram(compile_plan(x), options)
    assert kept.samples is not None
    assert serial_kept.samples is not None
    assert np.array_equal(kept.samples.magnitude, serial_kept.samples.magnitude)
    assert streamed.to_dict() == serial_streamed.to_dict()
    for q in PROBES:
        assert streamed.percentile(q) == serial_streamed.percentile(q)
    assert np.array_equal(histogram.counts, serial_histogram.counts)
    assert histogram.parts == serial_histogram.parts


@pytest.mark.parametrize("start", [1, 2, 3, 1000, 2**16 + 5])
def test_sobol_skip_ahead_matches_fast_forward(start: int) -> None:
    # Chunk k of a QMC run starts k chunks into one Sobol sequence; skipping there directly
    # must give the very points scipy's (linear-time) fast_forward gives.
    from scipy.stats import qmc

    stepped = qmc.Sobol(6, scramble=True, rng=np.random.default_rng(9))
    stepped.fast_forward(start)
    skipped = qmc.Sobol(6, scramble=True, rng=np.random.default_rng(9))
    skip_sobol(skipped, start)
    assert skipped.num_generated == stepped.num_generated
    assert np.array_equal(skipped.random(33), stepped.random(33))


def test_qmc_chunks_are_one_sequence() -> None:
    x = mechanistic()
    whole = x.estimate(2**16, seed=2, method="qmc")
    chunked = x.estimate(2**16, seed=2, method="qmc", chunk_size=2**12)
    assert whole.samples is not None
    assert chunked.samples is not None
    assert np.array_equal(whole.samples.magnitude, chunked.samples.magnitude)


def test_reused_intermediates_are_not_overwritten() -> None:
    # The evaluator writes results over arrays no later step reads; arrays still needed (a
    # product used twice, a mixture component that is also an output) must survive intact.
    a, b = ba.lognormal(2, 3), ba.normal(5, 1)
    product = a * b
    twice = product * 2 + product / b
    mixed = ba.mixture([product, twice - product, ba.point(7.0)], [0.3, 0.3, 0.4])
    total = -mixed + twice
    samples = draw_many([total, mixed, twice, product, a, b], 50_000, seed=5)
    t, m, w, p, x, y = samples
    assert np.array_equal(p, x * y)
    assert np.allclose(w, p * 2 + p / y, rtol=1e-15)
    assert np.all((m == p) | (m == w - p) | (m == 7.0))
    assert np.array_equal(t, -m + w)


def test_mixture_may_write_over_its_first_component() -> None:
    a, b, c = ba.lognormal(2, 3), ba.normal(5, 1), ba.uniform(1, 2)
    samples = draw_many(
        [ba.mixture([a * b, c * 3, ba.point(0.5)], [0.5, 0.25, 0.25]), a, b, c], 40_000, seed=8
    )
    mixed, x, y, w = samples
    picks = [mixed == x * y, mixed == w * 3, mixed == 0.5]
    assert np.all(picks[0] | picks[1] | picks[2])
    assert [float(np.mean(p)) for p in picks] == pytest.approx([0.5, 0.25, 0.25], abs=0.01)
