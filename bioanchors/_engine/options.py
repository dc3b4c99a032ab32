"""What a sampling run is asked for: one validated :class:`SamplingOptions` value.

The arguments every sampling entry point takes (``n``, ``seed``, ``method``, ``chunk_size``,
``executor``, ``progress``, ``max_in_memory``) are checked once, by :meth:`SamplingOptions.of`,
and travel through the engine and the results layer as one frozen value. The checks
themselves (:func:`check_n`, :func:`check_seed`, :func:`check_method`) and the engine's
size limits live here too.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, TypeAlias

from bioanchors._typing import METHODS, Method
from bioanchors.errors import SamplingError

if TYPE_CHECKING:
    from concurrent.futures import Executor

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_IN_MEMORY",
    "MAX_SAMPLES",
    "METHODS",
    "SAMPLING_METHODS",
    "SCORE_BYTES",
    "Progress",
    "SamplingOptions",
    "check_method",
    "check_n",
    "check_seed",
]

MAX_SAMPLES = 10**12
"""The largest number of samples any call accepts: far above real use (a streamed estimate
of 1e12 samples takes hours), low enough that no request can exhaust memory by its count."""
DEFAULT_CHUNK_SIZE = 1 << 20
"""Most samples per chunk: 8 MiB per array, a few arrays alive at once."""
SCORE_BYTES = 1 << 26
"""Memory for one chunk's normal scores (64 MiB): a graph of many random inputs gets smaller
chunks (1,000 inputs: 8,192 samples a chunk), so memory is bounded by bytes, not samples."""
DEFAULT_MAX_IN_MEMORY = 1 << 24
"""Largest ``n`` an estimate keeps in memory (128 MiB); above it the estimate is streamed."""
SAMPLING_METHODS: Final[tuple[Method, ...]] = ("mc", "qmc")
"""The methods that draw samples (``"auto"`` and ``"analytic"`` may answer in closed form)."""

Progress: TypeAlias = Callable[[int, int], None]
"""Called as ``progress(chunks_done, chunks_total)`` after each chunk of a sampling run."""


def check_n(n: object, what: str = "n") -> int:
    """``n`` as a whole number of samples in ``[1, MAX_SAMPLES]``, else a SamplingError."""
    if type(n) is int and 1 <= n <= MAX_SAMPLES:  # the common case, without ABC checks
        return n
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if isinstance(n, float) and n.is_integer() and n >= 1:
            n = int(n)
        else:
            raise SamplingError(f"{what} must be a whole number of samples >= 1, got {n!r}")
    if int(n) < 1:
        raise SamplingError(f"{what} must be >= 1, got {n!r}")
    if int(n) > MAX_SAMPLES:
        raise SamplingError(f"{what} must be at most {MAX_SAMPLES:.0e}, got {n!r}")
    return int(n)


def check_seed(seed: object) -> int:
    """``seed`` as an integer >= 0, else a SamplingError."""
    if type(seed) is int and seed >= 0:  # the common case, without ABC checks
        return seed
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise SamplingError(f"seed must be an integer >= 0, got {seed!r}")
    return int(seed)


def check_method(method: object, allowed: tuple[Method, ...] = METHODS) -> Method:
    """``method`` if it is one of ``allowed``, else a SamplingError listing them."""
    for known in allowed:
        if method == known:
            return known
    raise SamplingError(f"unknown method {method!r}; expected one of {', '.join(allowed)}")


@dataclass(frozen=True, slots=True)
class SamplingOptions:
    """How to sample: ``n`` draws with ``seed`` by ``method``, in chunks, maybe in parallel.

    Build it with :meth:`of`, which checks every argument; the engine and the results layer
    then pass it along unchecked. ``chunk_size`` None sizes chunks by the graph's number of
    random inputs; ``max_in_memory`` is the largest ``n`` an estimate keeps (above it, it is
    streamed through histograms).

    >>> options = SamplingOptions.of(1e3, seed=2, method="qmc")
    >>> options.n, options.method, options.max_in_memory == DEFAULT_MAX_IN_MEMORY
    (1000, 'qmc', True)
    """

    n: int
    seed: int = 0
    method: Method = "mc"
    chunk_size: int | None = None
    executor: Executor | None = None
    progress: Progress | None = None
    max_in_memory: int = DEFAULT_MAX_IN_MEMORY

    @classmethod
    def of(
        cls,
        n: object,
        *,
        seed: object = 0,
        method: object = "mc",
        allowed: tuple[Method, ...] = METHODS,
        chunk_size: object = None,
        executor: Executor | None = None,
        progress: Progress | None = None,
        max_in_memory: object = None,
    ) -> SamplingOptions:
        """Checked options (``allowed``: the methods the caller accepts).

        The plain ones (an int ``n`` and ``seed``, a method, nothing else) are remembered: an
        estimate at small ``n`` would otherwise spend a visible part of its time checking them.
        """
        plain = (
            type(n) is int
            and type(seed) is int
            and type(method) is str
            and chunk_size is None
            and executor is None
            and progress is None
            and max_in_memory is None
        )
        if plain:
            remembered = _plain_options.get((n, seed, method, allowed))
            if remembered is not None:
                return remembered
        options = cls(
            check_n(n),
            check_seed(seed),
            check_method(method, allowed),
            None if chunk_size is None else check_n(chunk_size, "chunk_size"),
            executor,
            progress,
            (
                DEFAULT_MAX_IN_MEMORY
                if max_in_memory is None
                else check_n(max_in_memory, "max_in_memory")
            ),
        )
        if plain:
            if len(_plain_options) >= _PLAIN_OPTIONS_KEPT:
                _plain_options.clear()
            _plain_options[(n, seed, method, allowed)] = options
        return options


_PLAIN_OPTIONS_KEPT = 256
_plain_options: dict[tuple[object, ...], SamplingOptions] = {}
