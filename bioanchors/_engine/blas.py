"""BLAS held to one thread while a large chunk runs (:func:`single_blas_thread`).

Each log form's ``np.dot`` over a chunk would otherwise wake an OpenBLAS helper thread that
busy-waits, so the process burns two cores for one core of work and two worker processes slow
each other down. The hold is counted, so that chunks on several threads of one process share it.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Iterator
from typing import Any

__all__ = ["single_blas_thread"]


@functools.cache
def _blas_libraries() -> tuple[Any, ...]:
    """threadpoolctl's controllers of the BLAS libraries loaded (found once per process)."""
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
                    lib.set_num_threads(1)
        _holders += 1
    try:
        yield
    finally:
        with _held:
            _holders -= 1
            if _holders == 0:
                for lib, threads in _restore:
                    if threads != 1:
                        lib.set_num_threads(threads)
                _restore.clear()
