"""The mixture's random draws, remembered and replayed (common random numbers, drawn once).

Every brain of a forecast goes through the anchors with the same model stream
(``SeedSequence([seed, 2020])``: common random numbers), and nothing the mixture draws depends
on the brain's values: the labels (``choice`` with the weights), then per anchor the penalty,
scaling-exponent and horizon draws, whose sizes are the label counts. So the draws of one
brain are the draws of every brain with the same stream state, sample count and parameters;
``bioanchors timelines`` (25 brains) drew them 25 times, ~5 of the ~8 ms per brain at
n = 100,000.

:func:`replaying` hands the mixture a :class:`Tape`, a :class:`numpy.random.Generator` on the
caller's bit generator whose ``normal``, ``uniform`` and ``choice`` either draw (and record
what they returned) or return what an earlier call with the same arguments returned, read-only,
then leave the caller's generator in the state the draws would have left it. The arithmetic
on the draws is the mixture's own code either way, so the answers are bit-identical to drawing
(tests/test_timelines_replay.py). Remembered: at most :data:`MAX_BYTES` of draws, the most
recent first; a run whose draws would not fit is not recorded.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any, Final

import numpy as np

__all__ = ["MAX_BYTES", "Tape", "clear", "replaying"]

MAX_BYTES: Final[int] = 64 * 2**20
"""The draws remembered, in bytes (about 25 forecasts' worth at n = 100,000)."""

_BYTES_PER_SAMPLE: Final[int] = 4 * 8
"""An upper bound on what the mixture draws per sample: the labels (int64) and at most three
float64 draws for the anchor each sample gets."""

_Call = tuple[str, tuple[Hashable, ...]]


class _Recording:
    def __init__(self) -> None:
        self.calls: list[tuple[_Call, Any]] = []
        self.end_state: Mapping[str, Any] | None = None

    @property
    def nbytes(self) -> int:
        return sum(np.asarray(value).nbytes for _, value in self.calls)


_REMEMBERED: OrderedDict[Hashable, _Recording] = OrderedDict()
_LOCK = threading.Lock()


def clear() -> None:
    """Forget every remembered draw (tests; memory)."""
    with _LOCK:
        _REMEMBERED.clear()


def _frozen(value: Any) -> Hashable:
    if isinstance(value, np.ndarray):
        return (value.dtype.str, value.shape, tuple(value.ravel().tolist()))
    if isinstance(value, (tuple, list)):
        return tuple(_frozen(v) for v in value)
    if isinstance(value, np.generic):
        return value.item()  # type: ignore[no-any-return]
    hash(value)  # anything else must be hashable as it is
    return value  # type: ignore[no-any-return]


class Tape(np.random.Generator):
    """A generator on ``rng``'s bit generator that records its top-level ``normal``,
    ``uniform`` and ``choice`` calls, or replays a recording of the same calls."""

    def __init__(self, rng: np.random.Generator, replay: _Recording | None) -> None:
        super().__init__(rng.bit_generator)
        self._replay = replay
        self._record = _Recording() if replay is None else None
        self._next = 0
        self._depth = 0

    def _call(self, name: str, draw: Callable[..., Any], args: tuple[Any, ...]) -> Any:
        call: _Call = (name, tuple(_frozen(a) for a in args))
        if self._replay is not None:
            calls = self._replay.calls
            if self._next >= len(calls) or calls[self._next][0] != call:  # pragma: no cover
                raise AssertionError(f"a replayed draw differs from its recording: {call[0]}")
            value = calls[self._next][1]
            self._next += 1
            return value
        self._depth += 1
        try:
            value = draw(*args)
        finally:
            self._depth -= 1
        if self._depth == 0 and self._record is not None:
            if isinstance(value, np.ndarray):
                value.setflags(write=False)
            self._record.calls.append((call, value))
        return value

    def normal(self, loc: Any = 0.0, scale: Any = 1.0, size: Any = None) -> Any:
        return self._call("normal", super().normal, (loc, scale, size))

    def uniform(self, low: Any = 0.0, high: Any = 1.0, size: Any = None) -> Any:
        return self._call("uniform", super().uniform, (low, high, size))

    def choice(  # type: ignore[override]
        self, a: Any, size: Any = None, replace: bool = True, p: Any = None
    ) -> Any:
        return self._call("choice", super().choice, (a, size, replace, p))


@contextmanager
def replaying(rng: np.random.Generator, key: Hashable, n: int) -> Iterator[np.random.Generator]:
    """A generator for one mixture of ``n`` samples from ``rng`` with parameters ``key``: the
    remembered draws of the same stream state, ``n`` and ``key`` if there are, else ``rng``'s
    own draws (recorded when they fit :data:`MAX_BYTES`). On a normal exit ``rng`` is left
    where the draws leave it; on an error, the recording is dropped."""
    if n * _BYTES_PER_SAMPLE > MAX_BYTES:
        yield rng
        return
    try:
        full_key = (repr(rng.bit_generator.state), n, key)
        hash(full_key)
    except (TypeError, ValueError):  # a bit generator without a plain state: draw
        yield rng
        return
    with _LOCK:
        found = _REMEMBERED.get(full_key)
        if found is not None:
            _REMEMBERED.move_to_end(full_key)
    tape = Tape(rng, found)
    yield tape
    if found is not None:
        # every draw came from the recording: none went through the bit generator itself
        assert repr(rng.bit_generator.state) == full_key[0]
        assert tape._next == len(found.calls)
        assert found.end_state is not None
        rng.bit_generator.state = found.end_state
        return
    recording = tape._record
    assert recording is not None
    recording.end_state = rng.bit_generator.state
    with _LOCK:
        _REMEMBERED[full_key] = recording
        while sum(r.nbytes for r in _REMEMBERED.values()) > MAX_BYTES:
            _REMEMBERED.popitem(last=False)
