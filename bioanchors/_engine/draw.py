"""Sampling runs: ``n`` samples in chunks, serially or on any executor, with progress.

Large ``n`` is split into chunks (:class:`ChunkTasks`), so memory stays bounded; every chunk's
randomness depends only on (seed, chunk index), so chunks can run on any
``concurrent.futures.Executor`` (threads or processes: a task is a picklable
:class:`~bioanchors._engine.program.Program` and a few numbers) and give the same numbers.

* :func:`sample` (and its keyword forms :func:`draw`, :func:`draw_many`) keeps the samples;
* :func:`stream_histogram` reduces each chunk to a
  :class:`~bioanchors._engine.histogram.Histogram` where it is evaluated and merges them, so
  memory does not grow with ``n``.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.histogram import Histogram
from bioanchors._engine.interpret import evaluate_chunk
from bioanchors._engine.options import (
    DEFAULT_CHUNK_SIZE,
    SAMPLING_METHODS,
    SCORE_BYTES,
    Progress,
    SamplingOptions,
    check_n,
)
from bioanchors._engine.plan import Plan, compile_plan
from bioanchors._engine.program import Program
from bioanchors._engine.scores import check_dimension
from bioanchors._graph.uncertain import Uncertain
from bioanchors._typing import Method
from bioanchors.errors import SamplingError

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = [
    "ChunkTask",
    "ChunkTasks",
    "chunk_length",
    "chunk_tasks",
    "draw",
    "draw_many",
    "sample",
    "stream_histogram",
]

FloatArray: TypeAlias = NDArray[np.float64]
T = TypeVar("T")

ChunkTask: TypeAlias = tuple[Program, Method, int, int, int, int]
"""``(program, method, seed, start, size, chunk)``: one chunk's work, picklable."""
_WINDOW = 32  # chunks in flight on an executor: enough to keep workers busy


def _chunk_task(args: ChunkTask) -> FloatArray:
    return evaluate_chunk(*args)


def _histogram_task(args: ChunkTask) -> Histogram:
    """One chunk of a streamed estimate, reduced where it ran: only the summary travels back."""
    return Histogram.of(evaluate_chunk(*args)[0])


@dataclass(frozen=True)
class ChunkTasks:
    """The independent pieces of work for ``n`` samples, made one at a time as asked for:
    nothing proportional to the number of chunks is built."""

    program: Program
    n: int
    seed: int
    method: Method
    size: int

    def __len__(self) -> int:
        return -(-self.n // self.size)

    def __iter__(self) -> Iterator[ChunkTask]:
        for index, start in enumerate(range(0, self.n, self.size)):
            yield (
                self.program,
                self.method,
                self.seed,
                start,
                min(self.size, self.n - start),
                index,
            )


def chunk_tasks(
    program: Program, n: int, seed: int, method: Method, chunk_size: int | None
) -> ChunkTasks:
    """The independent pieces of work for ``n`` samples (every sampling run makes them).

    ``chunk_size`` None sizes chunks so that one chunk's normal scores take at most
    :data:`~bioanchors._engine.options.SCORE_BYTES`.
    """
    check_dimension(program, method)
    return ChunkTasks(program, n, seed, method, chunk_length(program.dimension, n, chunk_size))


def chunk_length(dimension: int, n: int, chunk_size: int | None = None) -> int:
    """Samples per chunk for a graph of ``dimension`` random columns (``chunk_size`` None:
    one chunk's scores take at most :data:`~bioanchors._engine.options.SCORE_BYTES`).

    Monte Carlo draws each chunk from its own streams, so the numbers depend on it: runs that
    must agree draw in chunks of the same length.
    """
    if chunk_size is None:
        by_bytes = SCORE_BYTES // (8 * max(1, dimension))
        size = max(1024, min(DEFAULT_CHUNK_SIZE, by_bytes))
    else:
        size = check_n(chunk_size, "chunk_size")
    return min(size, n)


def _tasks(plan: Plan, options: SamplingOptions) -> ChunkTasks:
    return chunk_tasks(plan.program, options.n, options.seed, options.method, options.chunk_size)


def _mapped(
    function: Callable[[ChunkTask], T], tasks: ChunkTasks, executor: Executor | None
) -> Iterator[T]:
    """``function`` over the tasks, in order; an executor gets a bounded window at a time
    (``Executor.map`` would submit every task at once)."""
    if executor is None or len(tasks) == 1:
        yield from map(function, tasks)
        return
    iterator = iter(tasks)
    while window := list(itertools.islice(iterator, _WINDOW)):
        yield from executor.map(function, window)


def _reporting(parts: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    for done, part in enumerate(parts, start=1):
        yield part
        if progress is not None:
            progress(done, total)


def sample(plan: Plan, options: SamplingOptions) -> FloatArray:
    """Joint samples of the plan's outputs (``len(outputs) x n``), ``options.method`` "mc" or
    "qmc": shared inputs, same draws."""
    tasks = _tasks(plan, options)
    if len(tasks) == 1 and len(plan.program.outputs) == 1:
        return _chunk_task(next(iter(tasks)))  # the chunk's own output array: no copy
    try:
        samples = np.empty((len(plan.program.outputs), options.n))
    except MemoryError:
        raise SamplingError(
            f"{options.n} samples of {len(plan.program.outputs)} quantities do not fit in "
            "memory; use .estimate(), which streams large n in bounded memory"
        ) from None
    if options.executor is None or len(tasks) == 1:  # each chunk into its slice: no copies
        slices = (
            evaluate_chunk(*task, out=samples[:, task[3] : task[3] + task[4]]) for task in tasks
        )
        for _ in _reporting(slices, len(tasks), options.progress):
            pass
        return samples
    parts = _mapped(_chunk_task, tasks, options.executor)
    reported = _reporting(parts, len(tasks), options.progress)
    for (_, _, _, start, size, _), part in zip(tasks, reported, strict=True):
        samples[:, start : start + size] = part  # each chunk is freed once copied
    return samples


def stream_histogram(plan: Plan, options: SamplingOptions) -> Histogram:
    """The merged :class:`~bioanchors._engine.histogram.Histogram` of ``options.n`` samples of
    the plan's first output, each chunk reduced where it was evaluated."""
    tasks = _tasks(plan, options)
    parts = _mapped(_histogram_task, tasks, options.executor)
    return Histogram.merged(_reporting(parts, len(tasks), options.progress))


def draw_many(
    outputs: Sequence[Uncertain],
    n: int,
    *,
    seed: int = 0,
    method: Method = "mc",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> FloatArray:
    """Joint samples of several quantities (``len(outputs) x n``): shared inputs, same draws.

    The keyword form of :func:`sample` (``plan``: a compiled plan of ``outputs`` to reuse).
    """
    options = SamplingOptions.of(
        n,
        seed=seed,
        method=method,
        allowed=SAMPLING_METHODS,
        chunk_size=chunk_size,
        executor=executor,
        progress=progress,
    )
    return sample(compile_plan(outputs) if plan is None else plan, options)


def draw(
    output: Uncertain,
    n: int,
    *,
    seed: int = 0,
    method: Method = "mc",
    chunk_size: int | None = None,
) -> FloatArray:
    """``n`` samples of ``output`` (magnitudes in its unit), in chunks of ``chunk_size``."""
    samples: FloatArray = draw_many([output], n, seed=seed, method=method, chunk_size=chunk_size)[0]
    return samples
