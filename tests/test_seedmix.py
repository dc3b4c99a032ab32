"""Seedings hashed together (_engine/seedmix.py) are numpy's SeedSequence states, bit for bit."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine import seeds
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.scores import scores
from bioanchors._engine.seedmix import sequence_states

parts = st.integers(0, 2**64 - 1) | st.integers(0, 2**130)
keys = st.lists(st.tuples(parts) | st.tuples(parts, parts, parts) | st.tuples(), max_size=12)


@settings(max_examples=80, deadline=None)
@given(seed=st.integers(0, 2**140), spawn_keys=keys)
def test_the_states_are_seed_sequences_states(seed: int, spawn_keys: list[tuple[int, ...]]) -> None:
    expected = [
        np.random.SeedSequence(seed, spawn_key=key).generate_state(4, np.uint64)
        for key in spawn_keys
    ]
    got = sequence_states(seed, spawn_keys)
    assert got.shape == (len(spawn_keys), 4)
    assert np.array_equal(got, np.array(expected, dtype=np.uint64).reshape(-1, 4))


def test_a_negative_part_is_refused_not_looped_on() -> None:
    with pytest.raises(ValueError, match=">= 0"):
        sequence_states(1, [(-3,)])


def test_a_graph_of_many_inputs_draws_what_one_seeding_at_a_time_draws(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """64 inputs: their seedings are hashed together; the scores are those of one
    SeedSequence per input (the batch threshold raised so that none is batched)."""
    total = ba.between(1.0, 2.0)
    for _ in range(63):
        total = total + ba.between(1.0, 2.0)
    program = compile_plan([total]).program
    seeds._states.clear()
    together = scores(program, "mc", 11, 0, 100, 3)
    seeds._states.clear()
    monkeypatch.setattr(seeds, "_BATCH_FROM", 10**9)
    one_by_one = scores(program, "mc", 11, 0, 100, 3)
    assert np.array_equal(together, one_by_one)
