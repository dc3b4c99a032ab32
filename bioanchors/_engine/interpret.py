"""The interpreter: a :class:`~bioanchors._engine.program.Program` run on a block of scores.

:func:`execute` runs the steps, dispatched with ``match``, on one ``d x size`` block of normal
scores; :func:`evaluate_chunk` runs one chunk in blocks of :func:`block_length` samples (each
block's scores drawn as it starts, :mod:`bioanchors._engine.scores`), and refuses values that
are not finite or left float range on the way: a pure function of ``(program, method, seed,
start, size, chunk)``, so chunks may run anywhere. A large chunk runs with BLAS held to one
thread (:func:`~bioanchors._engine.blas.single_blas_thread`).
"""

from __future__ import annotations

import contextlib
import math
import threading
from collections.abc import Callable
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.blas import single_blas_thread
from bioanchors._engine.lost import refuse_lost_values
from bioanchors._engine.mixtures import from_uniform, mix
from bioanchors._engine.ops import apply_op
from bioanchors._engine.program import (
    ApplyStep,
    CheckStep,
    ConstantStep,
    FormStep,
    Instruction,
    LeafStep,
    MixStep,
    Program,
)
from bioanchors._engine.scores import McBlocks, scores, uniform_columns
from bioanchors._graph.distributions import (
    Distribution,
    Loguniform,
    Normal,
    Uniform,
)
from bioanchors._graph.uncertain import DomainCheck
from bioanchors._typing import Method
from bioanchors.errors import InvalidInputError

__all__ = [
    "BLOCK_LENGTH",
    "SINGLE_THREAD_FROM",
    "block_length",
    "evaluate_chunk",
    "execute",
    "single_blas_thread",
]

FloatArray: TypeAlias = NDArray[np.float64]

SINGLE_THREAD_FROM = 1 << 16
"""Chunks of at least this many samples run with one BLAS thread. Holding BLAS to one thread
costs a few microseconds per chunk (and importing threadpoolctl once, ~20 ms), under 1 % of a
chunk this size; smaller chunks, the small-``n`` estimates, skip it, unless a correlated group's
product by its factor is large enough for BLAS to split it over threads (:data:`_THREADED_GEMM`):
its rounding depends on the split, so it always runs on one thread."""
_THREADED_GEMM = 1 << 16
"""A group of ``g`` members in a chunk of ``size`` samples is multiplied on one BLAS thread when
``g * g * size`` reaches this (OpenBLAS splits a ``gemm`` from ``4 * 2^16`` multiplications)."""


def execute(
    program: Program,
    z: FloatArray,
    uniform: frozenset[int] = frozenset(),
    out: FloatArray | None = None,
    spare: list[FloatArray] | None = None,
    watch: Callable[[FloatArray], None] | None = None,
) -> list[FloatArray]:
    """Values of the program's outputs for one block of normal scores (``d x size``); the rows
    ``uniform`` hold uniforms in ``[0, 1)`` instead (Monte Carlo's direct draws).

    Constants stay 0-d arrays that broadcast (no array of ``size`` copies of one number);
    every output comes back as a full array of ``size`` values. An intermediate array that no
    later step reads is written over by the next result instead of being freed and a new one
    allocated: fresh multi-megabyte arrays cost page faults, several times the arithmetic.
    ``out`` (``outputs x size``, each row contiguous): the outputs are written into its rows,
    the step computing an output straight into its row where it can (no copy afterwards).
    """
    size = z.shape[1]
    registers: dict[int, FloatArray] = {}
    if spare is None:
        spare = []  # owned, full-size arrays that no register holds any more
    placed = {} if out is None else _output_rows(program.outputs, out)
    rows = {program.outputs[index]: row for index, row in placed.items()}
    for step in program.instructions:
        args = [registers[a] for a in step.args]
        freed = [registers.pop(r) for r in step.release]
        reusable = [a for a in freed if _owned(a, size)]
        row = rows.pop(step.target, None)
        if row is None:
            result = _run(step, args, reusable, spare, z, uniform)
        else:  # an output: computed into its row of ``out`` if the step writes into an array
            result = _run(step, args, [], [row], z, uniform)
        spare.extend(a for a in reusable if a is not result)
        registers[step.target] = result
        if watch is not None:
            watch(result)
    outputs = [registers[output] for output in program.outputs]
    if out is not None:
        for index, value in enumerate(outputs):
            if value is not placed.get(index):
                out[index] = value  # not written in place (a constant, a copy, a repeat)
        return list(out)
    return [
        value if np.shape(value) == (size,) else np.full(size, value, dtype=np.float64)
        for value in outputs
    ]


def _output_rows(outputs: tuple[int, ...], out: FloatArray) -> dict[int, FloatArray]:
    """The rows of ``out`` that outputs may be computed in, by output index: each register's
    first (a register that is several outputs is copied into the others)."""
    first = {register: index for index, register in reversed(list(enumerate(outputs)))}
    return {index: out[index] for index in sorted(first.values())}


def _run(
    step: Instruction,
    args: list[FloatArray],
    reusable: list[FloatArray],
    spare: list[FloatArray],
    z: FloatArray,
    uniform: frozenset[int],
) -> FloatArray:
    """One step's result; it may write over an array of ``reusable`` or ``spare``."""
    match step:
        case FormStep():
            return _from_form(step, z, _take(reusable, spare))
        case ConstantStep(value=value):
            return np.asarray(value, dtype=np.float64)
        case LeafStep(dist=dist, column=column):
            direct = column in uniform
            affine = _affine(dist, direct)
            if affine is None:
                return from_uniform(dist, z[column]) if direct else dist.from_scores(z[column])
            offset, scale, exponentiate = affine
            if (offset, scale, exponentiate) == (0.0, 1.0, False):
                row: FloatArray = z[column]  # uniform(0, 1) on uniforms, normal(0, 1) on scores
                return row
            # offset + scale * row (then exp), bit for bit from_scores / ppf, into a spare array
            # (adding 0.0 changes no value: -0.0 + 0.0 is +0.0, which compares equal).
            values: FloatArray = np.multiply(z[column], scale, out=spare.pop() if spare else None)
            if offset != 0.0:
                values += offset
            if exponentiate:
                np.exp(values, out=values)
            return values
        case MixStep(weights=weights, column=column):
            # The first component may be overwritten in place; no other argument may.
            mine = [i for i, a in enumerate(reusable) if a is args[0]]
            out = reusable.pop(mine[0]) if mine else (spare.pop() if spare else None)
            return mix(weights, args, z[column], out)
        case CheckStep(check=check, target=target) if target == step.args[0]:
            return _checked(check, args[0], args[0])  # checked in its own register
        case CheckStep(check=check):
            # An argument no later step reads is checked and passed on as it is: no copy.
            mine = [i for i, a in enumerate(reusable) if a is args[0]]
            return _checked(check, args[0], reusable.pop(mine[0]) if mine else None)
        case ApplyStep(op=op, param=param):
            # Elementwise, so the output may be one of the arguments read in this very step.
            full = any(np.shape(a) == (z.shape[1],) for a in args)
            out = _take(reusable, spare) if full else None
            return apply_op(op, param, args, out)


def _affine(dist: Distribution, direct: bool) -> tuple[float, float, bool] | None:
    """``(offset, scale, exp?)`` when the input's values are ``offset + scale * row``, or its
    exponential: normal inputs on normal scores, uniform and log-uniform ones on direct
    uniforms (the same arithmetic as their ``from_scores`` and ``ppf``)."""
    if direct:
        if isinstance(dist, Uniform) and math.isfinite(dist.hi - dist.lo):
            return dist.lo, dist.hi - dist.lo, False
        if isinstance(dist, Loguniform):
            log_lo, log_hi = math.log(dist.lo), math.log(dist.hi)
            return log_lo, log_hi - log_lo, True
        return None
    if isinstance(dist, Normal):  # (a lognormal input is a log form: a FormStep)
        return dist.mean, dist.sd, False
    return None


def _checked(check: DomainCheck, arg: FloatArray, own: FloatArray | None = None) -> FloatArray:
    # A copy unless the argument is ``own`` (released here): its register may live on, and
    # registers never share arrays.
    result = own if own is not None else np.array(arg, dtype=np.float64)
    bad = check.violations(np.asarray(result))
    if bad.any():
        example = float(np.asarray(result)[np.argmax(bad)] if np.ndim(result) else result)
        raise InvalidInputError(
            f"{check.label}, but {int(np.count_nonzero(bad))} of {bad.size} "
            f"sampled values do not (for example {example:.4g})"
        )
    return result


def _owned(array: FloatArray, size: int) -> bool:
    """An array the evaluation made itself (not a view of the scores) of the full size."""
    return array.shape == (size,) and array.base is None and array.dtype == np.float64


def _take(reusable: list[FloatArray], spare: list[FloatArray]) -> FloatArray | None:
    """An array to write the next result into, if one is free."""
    if reusable:
        return reusable.pop()
    return spare.pop() if spare else None


def _from_form(step: FormStep, z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    form = step.form
    if not form.has_terms:
        return np.asarray(math.exp(form.const), dtype=np.float64)
    cols, coefs = step.terms
    log_value = np.empty(z.shape[1]) if out is None else out
    if len(cols) == 1:
        np.multiply(z[cols[0]], coefs[0], out=log_value)
    elif cols == tuple(range(cols[0], cols[0] + len(cols))):  # adjacent rows: a view, no copy
        np.dot(coefs, z[cols[0] : cols[-1] + 1], out=log_value)
    else:
        np.dot(coefs, z[list(cols)], out=log_value)
    log_value += form.const
    np.exp(log_value, out=log_value)
    return log_value


BLOCK_LENGTH = 1 << 16
"""Most samples a chunk evaluates at once. A chunk of ``2^20`` samples runs as 16 blocks:
each step's arrays (512 KiB) then stay in cache from the step that writes them to the step
that reads them, where a whole chunk's (8 MiB each) go out to memory and back at every step."""
_SHORTEST_BLOCK = 1 << 14
"""No block is shorter: each step costs a few microseconds of the interpreter per block,
which a block this long repays (a chunk this short or shorter runs as one block)."""
_BLOCK_SCORE_BYTES = 1 << 23
"""Most bytes of one block's scores, down to blocks of ``_SHORTEST_BLOCK`` samples."""


def block_length(dimension: int, size: int) -> int:
    """Samples per block for a chunk of ``size`` samples of ``dimension`` random columns."""
    by_bytes = _BLOCK_SCORE_BYTES // (8 * max(1, dimension))
    length = min(BLOCK_LENGTH, max(_SHORTEST_BLOCK, by_bytes))
    return size if size <= length else length


def evaluate_chunk(
    program: Program,
    method: Method,
    seed: int,
    start: int,
    size: int,
    chunk: int,
    out: FloatArray | None = None,
) -> FloatArray:
    """Samples ``start .. start+size`` of the outputs (``outputs x size``): a pure function.

    ``out`` (``outputs x size``, rows contiguous: a slice of the whole run's array): the
    samples are written there, not copied there afterwards, and ``out`` is returned.

    The chunk runs in blocks of :func:`block_length` samples, each block's scores drawn as it
    starts (Monte Carlo) and its steps' arrays reused by the next block. Every step is
    elementwise, and a block's scores are the chunk's scores of its samples bit for bit, so the
    samples do not depend on the block length (a test checks it).
    """
    uniform = uniform_columns(program) if method == "mc" else frozenset()
    values = np.empty((len(program.outputs), size)) if out is None else out
    length = block_length(program.dimension, size)
    flagged: list[str] = []

    def in_one_block(
        into: FloatArray | None, watch: Callable[[FloatArray], None] | None = None
    ) -> None:
        z = scores(program, method, seed, start, size, chunk, uniform)
        execute(program, z, uniform, into, None, watch)

    one_thread = single_blas_thread() if _hold_blas(program, size) else contextlib.nullcontext()
    with (
        one_thread,
        np.errstate(
            all="ignore", under="call", over="call", call=lambda kind, _flag: flagged.append(kind)
        ),
    ):
        if length == size:
            in_one_block(values)
        else:
            try:
                _evaluate_blocks(
                    program, method, (seed, start, size, chunk), uniform, length, values
                )
            except InvalidInputError:
                # A domain check failed: its message counted one block's samples. The chunk in
                # one block says how many of the chunk's fail (the same samples), as before.
                in_one_block(values)
                raise

    def again(watch: Callable[[FloatArray], None]) -> None:  # only when a step underflowed
        with np.errstate(all="ignore"):
            in_one_block(None, watch)

    refuse_lost_values(values, flagged, again)
    return values


def _hold_blas(program: Program, size: int) -> bool:
    """Whether a chunk of ``size`` samples runs with BLAS held to one thread."""
    return size >= SINGLE_THREAD_FROM or any(
        len(factor) ** 2 * size >= _THREADED_GEMM for factor, _ in program.groups
    )


def _evaluate_blocks(
    program: Program,
    method: Method,
    task: tuple[int, int, int, int],
    uniform: frozenset[int],
    length: int,
    values: FloatArray,
) -> None:
    """The chunk ``task`` (seed, start, size, chunk) into ``values``, ``length`` samples at a
    time: one scores buffer and one pool of step arrays serve every full block."""
    seed, start, size, chunk = task
    d = program.dimension
    if method == "mc":
        block: Callable[[int, int, FloatArray], FloatArray] = McBlocks(
            program.streams, seed, size, chunk, uniform
        ).block
    else:  # a Sobol design is made for the whole chunk; its blocks are copied out of it
        design = scores(program, method, seed, start, size, chunk, uniform)

        def block(lo: int, hi: int, into: FloatArray) -> FloatArray:
            into[...] = design[:, lo:hi]
            return into

    buffer, pool = _scratch_for(d, length)
    for lo in range(0, size, length):
        hi = min(lo + length, size)
        full = hi - lo == length
        z = block(lo, hi, buffer if full else np.empty((d, hi - lo)))
        execute(program, z, uniform, values[:, lo:hi], pool if full else None)
        del pool[len(program.instructions) :]  # fresh arrays a block made: keep a bounded pool
    _keep_scratch(buffer, pool)


_SCRATCH_BYTES = 1 << 25
"""Most bytes of scratch arrays (a block's scores and step arrays) a thread keeps between
chunks. Fresh memory costs a page fault per page the first time it is written (about 1 ms per
8 MiB here, more than the arithmetic of a block); kept arrays are written over instead."""
_scratch = threading.local()


def _scratch_for(d: int, length: int) -> tuple[FloatArray, list[FloatArray]]:
    """A ``d x length`` scores buffer and a pool of step arrays: this thread's kept ones if
    they fit, else new ones. Taken while in use, so a nested evaluation makes its own."""
    kept: tuple[FloatArray, list[FloatArray]] | None = getattr(_scratch, "kept", None)
    _scratch.kept = None
    if kept is not None and kept[0].shape == (d, length):
        return kept
    return np.empty((d, length)), []


def _keep_scratch(buffer: FloatArray, pool: list[FloatArray]) -> None:
    """Keep this chunk's scratch arrays for the thread's next chunk, if they are small enough."""
    if buffer.nbytes + sum(array.nbytes for array in pool) <= _SCRATCH_BYTES:
        _scratch.kept = (buffer, pool)
