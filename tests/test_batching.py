"""Executor tasks carry several consecutive chunks: the same chunks, so the same numbers.

The reference is the serial run (no executor, every chunk evaluated in turn in this
process): thread pools, process pools and dask give bit-identical samples and streamed
summaries for the same seed, n and chunk size. The batching itself is counted, not timed:
how many tasks reach the executor, and how many chunks each one carries.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from typing import Any, TypeVar

import numpy as np
import pytest

import bioanchors as ba
from bioanchors._engine.draw import MIN_TASKS, TASK_WORK, draw_many, stream_histogram
from bioanchors._engine.options import SamplingOptions
from bioanchors._engine.plan import compile_plan
from bioanchors._graph.uncertain import Uncertain

T = TypeVar("T")


class Recording(Executor):
    """Runs each task at once in this thread and records how many chunks it carried."""

    def __init__(self) -> None:
        self.sizes: list[int] = []

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        self.sizes.append(len(args[0]))
        future: Future[T] = Future()
        future.set_result(fn(*args, **kwargs))
        return future


def _graph() -> Uncertain:
    a = ba.between(1e3, 1e5, "")
    b = ba.uniform(1.0, 3.0, "")
    return ba.mixture([a * b, a + ba.between(10, 100, "")], [0.4, 0.6])


def test_tasks_carry_consecutive_chunks_and_every_chunk_once() -> None:
    x = _graph()
    program = compile_plan(x).program
    chunk, n = 1000, 123_456  # 124 chunks, the last one short
    chunks = math.ceil(n / chunk)
    work = chunk * (program.dimension + len(program.instructions))
    expected = max(1, min(TASK_WORK // work, chunks // MIN_TASKS))
    assert 1 < expected < chunks  # the case batches something
    recording = Recording()
    samples = draw_many([x], n, seed=3, chunk_size=chunk, executor=recording)
    assert sum(recording.sizes) == chunks
    assert recording.sizes == [expected] * (chunks // expected) + (
        [chunks % expected] if chunks % expected else []
    )
    serial = draw_many([x], n, seed=3, chunk_size=chunk)
    assert samples.tobytes() == serial.tobytes()


def test_a_few_chunks_stay_one_task_each() -> None:
    # With fewer than MIN_TASKS * 2 chunks every chunk is a task: batching must not idle
    # workers on small runs.
    recording = Recording()
    draw_many([_graph()], 12_000, seed=1, chunk_size=1000, executor=recording)
    assert recording.sizes == [1] * 12


def test_progress_counts_chunks_not_tasks() -> None:
    calls: list[tuple[int, int]] = []
    x = _graph()
    n, chunk = 100_000, 1000
    est = x.estimate(
        n,
        seed=2,
        method="mc",
        chunk_size=chunk,
        executor=Recording(),
        max_in_memory=10_000,
        progress=lambda done, total: calls.append((done, total)),
    )
    assert est.n == n
    assert calls[-1] == (100, 100)
    dones = [done for done, _ in calls]
    assert dones == sorted(set(dones))


def _check_identical(executor: Executor) -> None:
    x = _graph()
    seed, chunk, n = 7, 2**12, 2**17 + 5  # 33 chunks: batches of 4, the last chunk short
    kept = draw_many([x], n, seed=seed, chunk_size=chunk, executor=executor)
    assert kept.tobytes() == draw_many([x], n, seed=seed, chunk_size=chunk).tobytes()
    options = {"seed": seed, "chunk_size": chunk, "max_in_memory": 2**14, "method": "mc"}
    streamed = x.estimate(n, executor=executor, **options)  # type: ignore[arg-type]
    serial = x.estimate(n, **options)  # type: ignore[arg-type]
    assert streamed.to_dict() == serial.to_dict()
    plan = compile_plan(x)
    histogram = stream_histogram(
        plan, SamplingOptions.of(n, seed=seed, chunk_size=chunk, executor=executor)
    )
    reference = stream_histogram(plan, SamplingOptions.of(n, seed=seed, chunk_size=chunk))
    assert np.array_equal(histogram.counts, reference.counts)
    assert histogram.offset == reference.offset
    assert histogram.parts == reference.parts
    assert (histogram.minimum, histogram.maximum) == (reference.minimum, reference.maximum)


def test_thread_pool_batches_are_bit_identical() -> None:
    with ThreadPoolExecutor(2) as pool:
        _check_identical(pool)


def test_process_pool_batches_are_bit_identical() -> None:
    with ProcessPoolExecutor(2) as pool:
        _check_identical(pool)


def test_dask_batches_are_bit_identical() -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        _check_identical(client.get_executor())
