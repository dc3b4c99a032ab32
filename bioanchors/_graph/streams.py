"""Stream keys: the names of the random streams that inputs draw from.

Every input (and every mixture and correlation group) draws its normal scores from a stream of
its own, named by a :data:`StreamKey`. A key made at construction digests what the input is
(its distribution and name) and counts how many alike this process made before it; a key given
by a label (:meth:`~bioanchors.Uncertain.keyed`) digests the label only. The lowest module of
the graph: it knows nothing of nodes or units.
"""

from __future__ import annotations

import hashlib
import threading
from typing import TypeAlias

__all__ = ["StreamKey", "digest", "label_key", "new_key", "reset_stream_ordinals"]

StreamKey: TypeAlias = tuple[int, ...]
"""Names an input's random stream: its normal scores are drawn from
``numpy.random.SeedSequence(seed, spawn_key=(*key, chunk))``."""

_AUTO_KEY = 1  # first element of a key made at construction: (1, content digest, ordinal)
_LABEL_KEY = 2  # first element of a key given by a label: (2, label digest)
_ordinals: dict[int, int] = {}
_ordinals_lock = threading.Lock()


def digest(*parts: object) -> int:
    """A stable 64-bit digest of the parts' text (the same in every process and run)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def new_key(*content: object) -> StreamKey:
    """A fresh stream key for a new input: its content's digest and how many inputs with the
    same content this process made before it.

    So two inputs built alike are two independent random variables (like two draws from a
    generator), while a program that builds its inputs in the same order gets the same keys,
    and so the same numbers, in every run.
    """
    content_digest = digest(*content)
    with _ordinals_lock:
        ordinal = _ordinals.get(content_digest, 0)
        _ordinals[content_digest] = ordinal + 1
    return (_AUTO_KEY, content_digest, ordinal)


def reset_stream_ordinals() -> None:
    """Forget how many inputs this process made: new inputs get the keys they would get in a
    new interpreter (the documentation's examples run this way). Inputs made before keep
    their keys, so an old and a new input built alike may then share a stream."""
    with _ordinals_lock:
        _ordinals.clear()


def label_key(label: str) -> StreamKey:
    """The stream key of an input named by ``label`` (see :meth:`Uncertain.keyed`)."""
    return (_LABEL_KEY, digest(label))
