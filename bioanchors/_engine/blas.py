"""BLAS held to one thread while a large chunk runs (:func:`single_blas_thread`).

Each log form's ``np.dot`` over a chunk would otherwise wake an OpenBLAS helper thread that
busy-waits, so the process burns two cores for one core of work and two worker processes slow
each other down. The hold is counted, so that chunks on several threads of one process share it.

It also keeps the samples the same everywhere: a correlated group's product by its Cholesky
factor is a ``gemm``, which OpenBLAS rounds differently when it splits it over more threads.
threadpoolctl ignores a limit set by any thread but the first one that set a limit (OpenBLAS's
setting is process-wide), which would leave chunks on a thread pool on every BLAS thread; the
hold, counted under its own lock, sets OpenBLAS's process-wide setting from any thread.
"""

from __future__ import annotations

import contextlib
import sys
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["single_blas_thread"]


def _blas_libraries() -> tuple[Any, ...]:
    """threadpoolctl's controllers of the BLAS libraries loaded, found again only when more
    modules were imported since (scipy loads a BLAS of its own after numpy's)."""
    loaded = len(sys.modules)
    if _found[0] != loaded:
        _found[:] = [loaded, _controllers()]
    libraries: tuple[Any, ...] = _found[1]
    return libraries


_found: list[Any] = [-1, ()]  # (len(sys.modules) when the libraries were found, the libraries)


def _controllers() -> tuple[Any, ...]:
    from threadpoolctl import ThreadpoolController  # ~20 ms: only when a large chunk runs

    return tuple(ThreadpoolController().select(user_api="blas").lib_controllers)


_held = threading.Lock()
_holders = 0  # chunks running under single_blas_thread in this process
_restore: list[tuple[Any, int]] = []  # (library, its thread count before the first holder)


@contextlib.contextmanager
def single_blas_thread() -> Iterator[None]:
    """BLAS held to one thread while the block runs; the caller's setting back afterwards.

    Counted, so that chunks on several threads of one process (a thread pool) share one hold:
    the first sets one thread, the last restores what was there before the first.
    """
    global _holders
    with _held:
        if _holders == 0:
            _restore[:] = [(lib, lib.get_num_threads()) for lib in _blas_libraries()]
            for lib, threads in _restore:
                if threads != 1:
                    _set_threads(lib, 1)
        _holders += 1
    try:
        yield
    finally:
        with _held:
            _holders -= 1
            if _holders == 0:
                for lib, threads in _restore:
                    if threads != 1:
                        _set_threads(lib, threads)
                _restore.clear()


def _set_threads(lib: Any, threads: int) -> None:
    """``lib.set_num_threads(threads)``, from whichever thread calls it: threadpoolctl's
    OpenBLAS controller does nothing when called from a thread other than the one that
    first set a limit, so its unconditional setter is used where there is one."""
    getattr(lib, "_real_set_num_threads", lib.set_num_threads)(threads)
