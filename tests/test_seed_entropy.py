"""Seeding a stream from numpy's assembled entropy words: the same state as numpy's own
``SeedSequence(seed, spawn_key=...)``, bit for bit (the reference is numpy itself)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors._engine import seeds
from bioanchors._engine.seeds import assembled_entropy, stream_generator

_INTS = st.one_of(
    st.integers(0, 3),
    st.integers(0, 2**32 - 1),
    st.integers(2**32 - 2, 2**32 + 2),
    st.integers(0, 2**64 - 1),
    st.integers(0, 2**200),
)


@settings(max_examples=400, deadline=None)
@given(_INTS, st.lists(_INTS, min_size=1, max_size=5))
def test_the_same_state_as_numpys_seed_sequence(seed: int, key: list[int]) -> None:
    want = np.random.SeedSequence(seed, spawn_key=tuple(key)).generate_state(4, np.uint64)
    got = np.random.SeedSequence(assembled_entropy(seed, tuple(key))).generate_state(4, np.uint64)
    assert np.array_equal(got, want)


@settings(max_examples=100, deadline=None)
@given(st.integers(0, 2**64), st.lists(_INTS, min_size=1, max_size=3), st.integers(0, 50))
def test_a_new_stream_draws_what_numpy_draws(seed: int, key: list[int], chunk: int) -> None:
    seeds._states.pop((seed, chunk, *key), None)  # a seeding not remembered
    for _ in range(2):  # seeded afresh, then from the remembered words
        fresh = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(seed, spawn_key=(*key, chunk)))
        )
        got = stream_generator(seed, tuple(key), chunk).standard_normal(8)
        assert np.array_equal(got, fresh.standard_normal(8))


def test_a_negative_part_is_refused_like_numpy() -> None:
    with pytest.raises(ValueError, match="negative"):
        np.random.SeedSequence(1, spawn_key=(-1,))
    with pytest.raises(ValueError, match=">= 0"):
        assembled_entropy(1, (-1,))
