"""BLAS is held to one thread inside large chunks, and the caller's setting comes back.

The answers do not depend on it: a chunk evaluated under the hold is bit for bit the chunk
evaluated with two BLAS threads (the log forms' ``np.dot`` splits samples, not sums).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from threadpoolctl import threadpool_info, threadpool_limits

import bioanchors as ba
from bioanchors._engine import blas, interpret
from bioanchors._engine.interpret import SINGLE_THREAD_FROM, evaluate_chunk, execute
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.program import Program
from bioanchors._engine.scores import scores

pytestmark = pytest.mark.skipif(
    not any(info["user_api"] == "blas" for info in threadpool_info()),
    reason="no BLAS library that threadpoolctl can control",
)


def _blas_threads() -> list[int]:
    return [int(info["num_threads"]) for info in threadpool_info() if info["user_api"] == "blas"]


def _program() -> Program:
    a, b, c = ba.between(1, 10), ba.between(2, 30), ba.lognormal(5, 3)
    return compile_plan(a * b * c + ba.normal(100, 10) * a).program


def test_the_hold_sets_one_thread_and_restores_the_callers_setting() -> None:
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        with interpret.single_blas_thread():
            assert _blas_threads() == [1] * len(before)
            with interpret.single_blas_thread():  # nested holds share one
                assert _blas_threads() == [1] * len(before)
            assert _blas_threads() == [1] * len(before)
        assert _blas_threads() == before


def test_a_large_chunk_leaves_the_setting_and_its_values_alone() -> None:
    program = _program()
    size = SINGLE_THREAD_FROM + 5
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        held = evaluate_chunk(program, "mc", 4, 0, size, 0)
        assert _blas_threads() == before
        free = np.stack(execute(program, scores(program, "mc", 4, 0, size, 0)))  # two threads
    assert np.array_equal(held, free)


def test_chunks_on_a_thread_pool_restore_the_setting() -> None:
    program = _program()
    size = SINGLE_THREAD_FROM
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        with ThreadPoolExecutor(4) as pool:
            parts = list(
                pool.map(lambda k: evaluate_chunk(program, "mc", 1, 0, size, k), range(12))
            )
        assert _blas_threads() == before
        assert blas._holders == 0
    serial = [evaluate_chunk(program, "mc", 1, 0, size, k) for k in range(12)]
    assert all(np.array_equal(a, b) for a, b in zip(parts, serial, strict=True))


def test_an_error_inside_the_hold_restores_the_setting() -> None:
    with threadpool_limits(2, user_api="blas"):
        before = _blas_threads()
        with pytest.raises(ZeroDivisionError), interpret.single_blas_thread():
            _ = 1 / 0
        assert _blas_threads() == before
