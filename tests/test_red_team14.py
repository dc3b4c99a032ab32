"""Red-team regressions for the issue-14 speed-ups: each test failed before its fix.

* Correlated groups: a group's product by its Cholesky factor is a BLAS ``gemm``, whose
  rounding depends on how many threads OpenBLAS splits it over. Samples must not depend on
  the machine's core count, nor on whether chunks run serially or on a thread pool (where
  threadpoolctl ignores a limit set by any thread but the one that first set one).
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from threadpoolctl import threadpool_info, threadpool_limits

import bioanchors as ba
from bioanchors._engine.draw import draw_many
from bioanchors._typing import Method

_BLAS = any(info["user_api"] == "blas" for info in threadpool_info())
needs_blas = pytest.mark.skipif(not _BLAS, reason="no BLAS library that threadpoolctl controls")


def _group_sum(members: int, rho: float) -> ba.Uncertain:
    inputs = ba.correlate([ba.normal(i, 1, name=f"g{i}") for i in range(members)], rho)
    total = inputs[0]
    for value in inputs[1:]:
        total = total + value
    return total


@needs_blas
@settings(max_examples=6, deadline=None)
@given(
    members=st.integers(40, 90),
    n=st.integers(2_000, 40_000),
    rho=st.sampled_from([0.1, 0.3, 0.6]),
)
def test_correlated_samples_do_not_depend_on_the_blas_thread_count(
    members: int, n: int, rho: float
) -> None:
    total = _group_sum(members, rho)
    runs = []
    for threads in (1, 2):
        with threadpool_limits(threads, user_api="blas"):
            runs.append(draw_many([total], n, seed=5))
            runs.append(draw_many([total], n, seed=5, method="qmc"))
    assert np.array_equal(runs[0], runs[2])
    assert np.array_equal(runs[1], runs[3])


@needs_blas
@pytest.mark.parametrize("method", ["mc", "qmc"])
def test_correlated_chunks_on_a_thread_pool_are_the_serial_chunks(method: Method) -> None:
    total = _group_sum(70, 0.3)
    n = 3 * (1 << 16) + 30_000  # three large chunks and a small one
    with threadpool_limits(2, user_api="blas"):
        serial = draw_many([total], n, seed=1, chunk_size=1 << 16, method=method)
        with ThreadPoolExecutor(2) as pool:
            pooled = draw_many(
                [total],
                n,
                seed=1,
                chunk_size=1 << 16,
                executor=pool,
                method=method,
            )
    assert np.array_equal(serial, pooled)


_U = ba.uniform(2, 5, name="u")
_MIXED = [_U * ba.lognormal(3, 2, name="l"), ba.loguniform(1, 100, name="lu")]
_LONG = 1 << 17  # two full blocks of 2^16 samples


@settings(max_examples=12, deadline=None)
@given(n=st.one_of(st.integers(1, 40), st.integers((1 << 16) + 1, (1 << 16) + 12)))
def test_uniforms_on_normal_scores_are_the_same_in_any_block_or_run_length(n: int) -> None:
    # QMC points are a prefix of the longer run's: a sample's value may not depend on how many
    # samples share its block (a block's tail of a few samples went through math.erf instead
    # of scipy's ndtr, off by an ulp).
    assert np.array_equal(_long_qmc_run()[:, :n], draw_many(_MIXED, n, seed=2, method="qmc"))


_RUNS: list[np.ndarray] = []


def _long_qmc_run() -> np.ndarray:
    if not _RUNS:
        _RUNS.append(draw_many(_MIXED, _LONG, seed=2, method="qmc"))
    return _RUNS[0]


@settings(max_examples=8, deadline=None)
@given(n=st.integers(1 << 16, 3 << 16), seed=st.integers(0, 50))
def test_a_failed_domain_check_counts_the_whole_chunks_samples(n: int, seed: int) -> None:
    # The chunk runs in blocks of 2^16; the message counted the first failing block's samples.
    from bioanchors._graph.domain import NON_NEGATIVE, check

    a = ba.normal(3.2, 1, name="a") + ba.normal(0, 0.3, name="b")
    negative = int(np.count_nonzero(draw_many([a], n, seed=seed)[0] < 0))
    checked = check(a, "f", "x", NON_NEGATIVE) * 2
    if negative == 0:
        draw_many([checked], n, seed=seed)
        return
    with pytest.raises(ba.InvalidInputError, match=rf"but {negative} of {n} sampled values do"):
        draw_many([checked], n, seed=seed)
