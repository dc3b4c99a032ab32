"""A chunk evaluated in blocks (interpret.evaluate_chunk) gives the samples it gives whole.

The block length is an implementation detail: every step is elementwise and a block's scores
are the chunk's scores of its samples, so no sample may depend on it, by any method, for
independent inputs, direct uniforms, mixtures and correlated groups alike.
"""

from __future__ import annotations

import importlib
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine import interpret
from bioanchors._engine.interpret import block_length, evaluate_chunk
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.program import Program
from bioanchors._typing import Method


def _graphs() -> dict[str, list[ba.Uncertain]]:
    a = ba.between(1e3, 1e5, "FLOP")
    b = ba.between(0.5, 2.0, "")
    u = ba.uniform(0.1, 0.9)
    mix = ba.mixture([ba.loguniform(1.0, 10.0), ba.loguniform(100.0, 1e3)], [0.3, 0.7])
    derived_mix = ba.mixture([a * b, a / b], [0.5, 0.5])
    x, y, z = ba.correlate(
        [ba.between(1.0, 10.0, ""), ba.between(2.0, 20.0, ""), ba.between(0.1, 1.0, "")],
        [[1.0, 0.6, 0.2], [0.6, 1.0, 0.4], [0.2, 0.4, 1.0]],
    )
    return {
        "product": [a * b],
        "sum of products": [a * b + a / b * 3.0, b**0.5],
        "direct uniforms and a mixture": [u * mix + u, mix],
        "correlated, one member missing": [x * y + x],
        "correlated with an independent input": [x * y * z * ba.normal(5.0, 1.0)],
        "a mixture of derived quantities": [derived_mix],
    }


GRAPHS = _graphs()


def _program(name: str) -> Program:
    return compile_plan(GRAPHS[name]).program


@pytest.mark.parametrize("name", sorted(GRAPHS))
@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_blocks_change_no_sample(
    name: str, method: Method, monkeypatch: pytest.MonkeyPatch
) -> None:
    program = _program(name)
    size = 5000
    whole = evaluate_chunk(program, method, 7, 0, size, 0)
    monkeypatch.setattr(interpret, "BLOCK_LENGTH", 1024)  # five blocks, the last a short one
    assert block_length(program.dimension, size) == 1024
    blocked = evaluate_chunk(program, method, 7, 0, size, 0)
    assert np.array_equal(whole, blocked)
    into = np.full((len(program.outputs), size), np.nan)
    assert evaluate_chunk(program, method, 7, 0, size, 0, out=into) is into
    assert np.array_equal(into, whole)


@settings(max_examples=25, deadline=None)
@given(
    name=st.sampled_from(sorted(GRAPHS)),
    length=st.integers(1024, 4096),
    size=st.integers(1, 6000),
    chunk=st.integers(0, 3),
)
def test_any_block_length_gives_the_same_samples(
    name: str, length: int, size: int, chunk: int
) -> None:
    program = _program(name)
    whole = evaluate_chunk(program, "mc", 3, chunk * size, size, chunk)
    saved = interpret.BLOCK_LENGTH
    interpret.BLOCK_LENGTH = length
    try:
        blocked = evaluate_chunk(program, "mc", 3, chunk * size, size, chunk)
    finally:
        interpret.BLOCK_LENGTH = saved
    assert np.array_equal(whole, blocked)


def test_a_graph_of_many_inputs_gets_shorter_blocks() -> None:
    assert block_length(1, 1 << 20) == interpret.BLOCK_LENGTH
    assert block_length(32, 1 << 20) == (1 << 23) // (8 * 32)  # 8 MiB of scores at most
    assert block_length(1000, 1 << 20) == 1 << 14  # but 16,384 samples at least
    assert block_length(1000, 8388) == 8388  # a chunk that short is one block
    assert block_length(3, 500) == 500


def test_a_whole_group_drawn_in_place_is_the_groups_product(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A chunk in one block draws a whole correlated group into its rows and multiplies them
    in place, a slice of columns at a time: the scores are ``factor @ draws`` of the group's
    stream, computed the plain way."""
    from bioanchors._engine import scores
    from bioanchors._engine.seeds import stream_generator

    program = _program("correlated with an independent input")
    (stream,) = [s for s in program.streams if s.factor is not None]
    assert stream.factor is not None
    monkeypatch.setattr(scores, "_PRODUCT_BYTES", 8 * 3 * 256)  # slices of 256 columns
    size = 1000
    z = scores.scores(program, "mc", 4, 0, size, 2)
    draws = stream_generator(4, stream.key, 2).standard_normal((len(stream.factor), size))
    expected = (stream.factor @ draws)[list(stream.positions)]
    assert np.array_equal(z[list(stream.columns)], expected)


def test_a_bad_sample_in_any_block_is_still_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(interpret, "BLOCK_LENGTH", 1024)
    program = compile_plan([ba.sqrt(ba.normal(3.0, 1.0))]).program  # negative in ~1 in 700
    with pytest.raises(ba.BioanchorsError, match="not finite"):
        evaluate_chunk(program, "mc", 0, 0, 5000, 0)


finite_floats = st.floats(allow_nan=False, allow_infinity=False, width=64)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(1, 5).flatmap(
        lambda k: st.lists(st.lists(finite_floats, min_size=k, max_size=k), min_size=k, max_size=k)
    )
)
def test_a_groups_key_text_is_the_text_of_its_nested_tuples(rows: list[list[float]]) -> None:
    """The stream key of a correlated group digests the same text as before the matrix was
    kept as an array, so every correlated input keeps its stream and its numbers."""
    from bioanchors._graph.combine import matrix_text

    matrix = np.array(rows, dtype=np.float64)
    assert matrix_text(matrix) == str(tuple(tuple(float(v) for v in row) for row in matrix))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc/self/status")
def test_a_large_correlated_group_streams_in_bounded_memory() -> None:
    """A group of 1,000 correlated inputs, streamed: under 200 MB of peak RSS (it was 330 MiB:
    the group's draws, their product by the Cholesky factor and its rows were whole-chunk
    arrays at once, and the matrix was kept as a million float objects)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:  # the benchmark's own child script: the same graph it reports
        latency: Any = importlib.import_module("latency")
    finally:
        sys.path.pop(0)
    _, peak_mib, streamed = latency.peak_of(latency._GROUP_CHILD, 1000, 20_000)
    assert streamed
    assert peak_mib * 2**20 < 200e6, f"peak RSS {peak_mib:.0f} MiB"


@settings(max_examples=60, deadline=None)
@given(
    values=st.lists(finite_floats, min_size=1, max_size=300),
    at_once=st.integers(1, 64),
)
def test_a_histogram_counted_in_slices_is_the_histogram_counted_at_once(
    values: list[float], at_once: int
) -> None:
    """Histogram.of bins a cache-sized slice at a time; its counts and offset are those of
    one bincount over every value's bin (the reference, written the plain way)."""
    from bioanchors._engine import histogram

    array = np.array(values, dtype=np.float64)
    index = histogram.bin_index(array.copy())
    reference = np.bincount(index - index.min())
    saved = histogram._COUNTED_AT_ONCE
    histogram._COUNTED_AT_ONCE = at_once
    try:
        summary = histogram.Histogram.of(array)
    finally:
        histogram._COUNTED_AT_ONCE = saved
    assert summary.offset == int(index.min())
    assert np.array_equal(summary.counts, reference)
    assert summary.minimum == array.min()
    assert summary.maximum == array.max()


def test_scratch_kept_between_chunks_changes_no_sample(monkeypatch: pytest.MonkeyPatch) -> None:
    """A thread keeps one chunk's scratch arrays for its next chunk: whatever ran before (a
    program of the same shape, on any thread), a chunk's samples are the same."""
    from concurrent.futures import ThreadPoolExecutor

    monkeypatch.setattr(interpret, "BLOCK_LENGTH", 1024)
    first, second = _program("product"), _program("direct uniforms and a mixture")
    alone = evaluate_chunk(first, "mc", 1, 0, 5000, 0)
    evaluate_chunk(second, "mc", 2, 0, 5000, 0)
    assert np.array_equal(evaluate_chunk(first, "mc", 1, 0, 5000, 0), alone)
    with ThreadPoolExecutor(4) as pool:
        runs = list(pool.map(lambda k: evaluate_chunk(first, "mc", 1, 0, 5000, k % 2), range(16)))
    assert all(np.array_equal(run, alone) for run in runs[::2])
    assert all(np.array_equal(run, runs[1]) for run in runs[1::2])


def test_outputs_computed_in_place_copied_or_repeated_all_reach_their_rows() -> None:
    """An output computed straight into its row, one read from the scores as it is (a
    normal(0, 1) input), a constant and a repeated output each fill their own row."""
    from bioanchors._engine.draw import draw_many

    x = ba.normal(0.0, 1.0)
    y = x * 3.0 + 1.0
    samples = draw_many([y, x, x, ba.point(2.0), y], 3000, seed=5)
    assert np.array_equal(samples[0], samples[1] * 3.0 + 1.0)
    assert np.array_equal(samples[1], samples[2])
    assert np.array_equal(samples[0], samples[4])
    assert not np.array_equal(samples[1], samples[0])
    assert (samples[3] == 2.0).all()


def test_a_subnormal_intermediate_brought_back_into_range_is_refused() -> None:
    """``x / 1e90`` of an x near 1e-223 is subnormal (about 1e-313, a few digits kept);
    multiplied back into range it read as a normal number with its digits lost (the fuzz
    oracle found 2.453574955423467e-308 where the value is 2.453574955419821e-308). It is an
    OutOfRangeError now, by every method that samples."""
    x = ba.loguniform(1e-223, 1e-222, "FLOP/s")
    out = ba.lognormal(1e10, 1.5, "FLOP/s") * (x / 1e90)  # about 1e-303: normal
    for method in ("mc", "qmc"):
        with pytest.raises(ba.OutOfRangeError, match="below the smallest normal float"):
            out.estimate(500, seed=0, method=method)


def test_an_exact_zero_on_the_way_is_not_a_lost_digit() -> None:
    """A step whose values are exact zeros (an underflow to 0 that a later step does not
    bring back) is not refused by the subnormal check: only values in (0, 2.2e-308) are."""
    x = ba.lognormal(1.0, 2.0)
    out = ba.maximum(x, ba.exp(-(x + 1000.0)))  # exp(-1001...) is exactly 0: max keeps x
    estimate = out.estimate(500, seed=0, method="mc")
    assert estimate.median.magnitude > 0
