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

import collections
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
    from concurrent.futures import Executor, Future

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
TASK_WORK = 1 << 26
"""About how much work one executor task gets, in samples x (columns + steps): a few tenths
of a second, so that a task's overhead (~1-10 ms on a process pool or dask) stays small."""
MIN_TASKS = 16
"""Batching never leaves fewer tasks than this (nor than the chunks), so workers stay busy."""


def _chunk_task(args: ChunkTask) -> FloatArray:
    return evaluate_chunk(*args)


def _histogram_task(args: ChunkTask) -> Histogram:
    """One chunk of a streamed estimate, reduced where it ran: only the summary travels back."""
    return Histogram.of(evaluate_chunk(*args)[0])


def _chunk_batch(batch: tuple[ChunkTask, ...]) -> list[FloatArray]:
    """Consecutive chunks in one executor task: the same chunks, evaluated one by one."""
    return [evaluate_chunk(*args) for args in batch]


def _histogram_batch(batch: tuple[ChunkTask, ...]) -> Histogram:
    """Consecutive chunks of a streamed estimate merged where they ran (merging keeps every
    chunk's counts and mean, so the grouping changes no number)."""
    return Histogram.merged(map(_histogram_task, batch))


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

    def batches(self, length: int) -> Iterator[tuple[ChunkTask, ...]]:
        """The tasks in groups of ``length`` consecutive chunks (the last one shorter)."""
        iterator = iter(self)
        while batch := tuple(itertools.islice(iterator, length)):
            yield batch

    def per_task(self) -> int:
        """Chunks per executor task: about :data:`TASK_WORK` of work, but never fewer than
        :data:`MIN_TASKS` tasks (or one task per chunk when there are fewer chunks)."""
        work = self.size * (self.program.dimension + len(self.program.instructions))
        return max(1, min(TASK_WORK // max(1, work), len(self) // MIN_TASKS))


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
    function: Callable[[tuple[ChunkTask, ...]], T], tasks: ChunkTasks, executor: Executor
) -> Iterator[tuple[int, T]]:
    """``function`` over batches of consecutive tasks (:meth:`ChunkTasks.per_task` chunks
    each), in order, with each batch's number of chunks. At most about :data:`_WINDOW`
    chunks are in flight: a new batch is submitted as each result is taken, so workers do
    not wait for the slowest of a window (``Executor.map`` would submit every task at once)."""
    length = tasks.per_task()
    batches = tasks.batches(length)
    pending: collections.deque[tuple[int, Future[T]]] = collections.deque()
    for batch in itertools.islice(batches, max(2, _WINDOW // length)):
        pending.append((len(batch), executor.submit(function, batch)))
    while pending:
        count, future = pending.popleft()
        result = future.result()
        for batch in itertools.islice(batches, 1):
            pending.append((len(batch), executor.submit(function, batch)))
        yield count, result


def _progressing(
    parts: Iterable[tuple[int, T]], total: int, progress: Progress | None
) -> Iterator[T]:
    done = 0
    for count, part in parts:
        yield part
        done += count
        if progress is not None:
            progress(done, total)


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
    batches = _mapped(_chunk_batch, tasks, options.executor)
    parts = itertools.chain.from_iterable(_progressing(batches, len(tasks), options.progress))
    for (_, _, _, start, size, _), part in zip(tasks, parts, strict=True):
        samples[:, start : start + size] = part  # each chunk is freed once copied
    return samples


def stream_histogram(plan: Plan, options: SamplingOptions) -> Histogram:
    """The merged :class:`~bioanchors._engine.histogram.Histogram` of ``options.n`` samples of
    the plan's first output, each chunk reduced where it was evaluated."""
    tasks = _tasks(plan, options)
    if options.executor is None or len(tasks) == 1:
        parts: Iterable[Histogram] = map(_histogram_task, tasks)
        return Histogram.merged(_reporting(parts, len(tasks), options.progress))
    batches = _mapped(_histogram_batch, tasks, options.executor)
    return Histogram.merged(_progressing(batches, len(tasks), options.progress))


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
