"""numpy's ``SeedSequence`` state for many spawn keys at once, bit for bit.

A Monte Carlo chunk seeds one generator per random input from
``SeedSequence(seed, spawn_key=(*key, chunk))`` (:mod:`bioanchors._engine.seeds`). Each such
sequence costs about 50 µs to hash, so a graph of 2,000 inputs spent 0.1 s per chunk seeding,
as long as drawing its 4,194 samples. :func:`sequence_states` runs the same hash, numpy's
published algorithm (Melissa O'Neill's ``seed_seq_fe``, as numpy's ``bit_generator`` implements
it: entropy words hashed into a pool of four 32-bit words, the pool mixed, the state read out
by a second hash), on a whole column of keys at once with unsigned 32-bit array arithmetic.
A test compares it with ``SeedSequence.generate_state`` for random seeds, keys and chunks.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = ["assembled_entropy", "sequence_states"]

U32: TypeAlias = NDArray[np.uint32]
_POOL = 4
_INIT_A, _MULT_A = 0x43B0D7E5, 0x931E8875
_INIT_B, _MULT_B = 0x8B51F9DD, 0x58F38DED
_MIX_L, _MIX_R = np.uint32(0xCA01F9DD), np.uint32(0x4973F715)
_SHIFT = np.uint32(16)
_MASK = 0xFFFF_FFFF


def assembled_entropy(seed: int, spawn_key: tuple[int, ...]) -> NDArray[np.uint32]:
    """The words ``SeedSequence(seed, spawn_key=spawn_key)`` mixes into its pool, as one array.

    numpy joins the seed's 32-bit words (padded with zeros to the pool's 4 words) and each
    spawn-key integer's words, least significant first; a sequence seeded with that array and
    no spawn key mixes the same words the same way, so it generates the same state, while
    skipping numpy's per-integer conversion of the key (about a third of the seeding's cost).
    """
    return np.array(_entropy(seed, spawn_key), dtype=np.uint32)


def _entropy(seed: int, spawn_key: tuple[int, ...]) -> list[int]:
    words = _words(seed)
    words += [0] * (_POOL - len(words))  # numpy pads the seed's words when a spawn key follows
    for part in spawn_key:
        words += _words(part)
    return words


def _words(value: int) -> list[int]:
    """``value``'s 32-bit words, least significant first (``[0]`` for zero), as numpy splits
    an integer; a negative value is refused (numpy refuses it too)."""
    if value < 0:
        raise ValueError(f"a seed or stream key part must be >= 0, got {value}")
    words = [value & _MASK]
    value >>= 32
    while value:
        words.append(value & _MASK)
        value >>= 32
    return words


def _constants(start: int, multiplier: int, count: int) -> list[np.uint32]:
    """``start * multiplier**k`` (mod 2**32) for ``k`` in ``0 .. count``: the hash constant
    before each successive hash (hash ``k`` XORs with the ``k``-th and multiplies by the next)."""
    values, value = [np.uint32(start)], start
    for _ in range(count):
        value = (value * multiplier) & _MASK
        values.append(np.uint32(value))
    return values


def sequence_states(
    seed: int, spawn_keys: Sequence[tuple[int, ...]], words: int = 4
) -> NDArray[np.uint64]:
    """``SeedSequence(seed, spawn_key=key).generate_state(words, np.uint64)`` for every key
    (``len(spawn_keys) x words``); the seed and the keys' parts are non-negative integers."""
    rows = [_entropy(seed, key) for key in spawn_keys]
    states = np.empty((len(rows), words), dtype=np.uint64)
    lengths: dict[int, list[int]] = {}
    for index, row in enumerate(rows):
        lengths.setdefault(len(row), []).append(index)
    for length, indices in lengths.items():
        entropy: U32 = np.array([rows[i] for i in indices], dtype=np.uint32).T
        states[indices] = _hashed(entropy, length, words)
    return states


def _mix(x: U32, y: U32) -> U32:
    result: U32 = _MIX_L * x - _MIX_R * y
    result ^= result >> _SHIFT
    return result


def _hashed(entropy: U32, length: int, words: int) -> NDArray[np.uint64]:
    """The state words of the sequences whose entropy words are the columns of ``entropy``
    (``length x m``, ``length >= 4``)."""
    count = _POOL * _POOL + (length - _POOL) * _POOL  # hashes while mixing the pool
    constants = _constants(_INIT_A, _MULT_A, count)
    done = 0

    def hashmix(value: U32) -> U32:
        nonlocal done
        hashed: U32 = (value ^ constants[done]) * constants[done + 1]
        hashed ^= hashed >> _SHIFT
        done += 1
        return hashed

    with np.errstate(over="ignore"):
        pool = [hashmix(entropy[i]) for i in range(_POOL)]
        for source in range(_POOL):
            for target in range(_POOL):
                if source != target:
                    pool[target] = _mix(pool[target], hashmix(pool[source]))
        for source in range(_POOL, length):
            for target in range(_POOL):
                pool[target] = _mix(pool[target], hashmix(entropy[source]))
        out = np.empty((2 * words, entropy.shape[1]), dtype=np.uint32)
        state_constants = _constants(_INIT_B, _MULT_B, 2 * words)
        for index in range(2 * words):
            value: U32 = (pool[index % _POOL] ^ state_constants[index]) * state_constants[index + 1]
            value ^= value >> _SHIFT
            out[index] = value
    low, high = out[0::2].astype(np.uint64), out[1::2].astype(np.uint64)
    states: NDArray[np.uint64] = (low | (high << np.uint64(32))).T
    return states
