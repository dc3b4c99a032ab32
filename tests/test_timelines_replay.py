"""The mixture's draws, replayed for every brain with the same stream (cotra/_replay.py).

The reference is the mixture drawing for real: the replay memory cleared before each call,
so every call draws from its generator. A replay must give the same samples, the same labels
and leave the generator in the same state, bit for bit.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.timelines.cotra import _replay
from bioanchors.timelines.cotra.anchors import mixture
from bioanchors.timelines.cotra.params import DEFAULT_ANCHOR_PARAMS, DEFAULT_WEIGHTS
from bioanchors.timelines.cotra.progress import LabelledRequirements

_STREAM = 2020


@pytest.fixture(autouse=True)
def _forget() -> Iterator[None]:
    _replay.clear()
    yield
    _replay.clear()


def _drawn(brain: np.ndarray, seed: int, **kw: object) -> tuple[np.ndarray, np.ndarray, str]:
    """The mixture drawn for real (nothing remembered), its labels and the generator's state."""
    _replay.clear()
    rng = np.random.default_rng([seed, _STREAM])
    out = mixture(brain, rng=rng, **kw)  # type: ignore[arg-type]
    assert isinstance(out, LabelledRequirements)
    return np.asarray(out).copy(), np.array(out.anchor_index), repr(rng.bit_generator.state)


def _replayed(brain: np.ndarray, seed: int, **kw: object) -> tuple[np.ndarray, np.ndarray, str]:
    rng = np.random.default_rng([seed, _STREAM])
    out = mixture(brain, rng=rng, **kw)  # type: ignore[arg-type]
    assert isinstance(out, LabelledRequirements)
    return np.asarray(out).copy(), np.array(out.anchor_index), repr(rng.bit_generator.state)


def _same(a: tuple[np.ndarray, np.ndarray, str], b: tuple[np.ndarray, np.ndarray, str]) -> None:
    assert a[0].tobytes() == b[0].tobytes()  # bit for bit, +inf for "none of these" included
    assert np.array_equal(a[1], b[1])
    assert a[2] == b[2]


def test_a_second_brain_replays_the_first_brains_draws_bit_for_bit() -> None:
    first = np.random.default_rng(1).normal(15.0, 1.5, 20_000)
    second = np.random.default_rng(2).normal(18.0, 3.0, 20_000)
    expected = _drawn(second, seed=0)
    _replay.clear()
    _replayed(first, seed=0)  # records
    assert len(_replay._REMEMBERED) == 1
    _same(_replayed(second, seed=0), expected)  # replays
    assert len(_replay._REMEMBERED) == 1


def test_the_generator_goes_on_as_if_it_had_drawn() -> None:
    brain = np.full(5_000, 15.0)
    rng_a = np.random.default_rng(7)
    mixture(brain, rng=rng_a)
    rng_b = np.random.default_rng(7)
    mixture(brain + 1.0, rng=rng_b)  # a replay
    assert rng_a.normal(size=3).tolist() == rng_b.normal(size=3).tolist()


def test_other_parameters_seeds_or_sizes_are_not_replayed() -> None:
    brain = np.full(4_000, 15.0)
    _replayed(brain, seed=0)
    slower = DEFAULT_ANCHOR_PARAMS.replace(model_penalty_oom=2.0, model_penalty_sd_oom=0.5)
    for seed, b, params in ((1, brain, DEFAULT_ANCHOR_PARAMS), (0, brain[:3_999], slower)):
        got = _replayed(b, seed=seed, params=params, weights=DEFAULT_WEIGHTS)
        _same(got, _drawn(b, seed=seed, params=params, weights=DEFAULT_WEIGHTS))
    assert len(_replay._REMEMBERED) == 1  # the last reference cleared the others away


def test_remembered_draws_are_read_only_and_the_answers_are_not() -> None:
    out = mixture(np.full(1_000, 15.0), rng=np.random.default_rng(3))
    (recording,) = _replay._REMEMBERED.values()
    assert all(not np.asarray(v).flags.writeable for _, v in recording.calls)
    assert np.asarray(out).flags.writeable


def test_draws_beyond_the_byte_budget_are_not_remembered(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_replay, "MAX_BYTES", 32 * 999)
    brain = np.full(1_000, 15.0)
    _same(_replayed(brain, seed=0), _drawn(brain, seed=0))
    assert not _replay._REMEMBERED
    monkeypatch.setattr(_replay, "MAX_BYTES", 32 * 1_000)
    _replayed(brain, seed=0)
    assert len(_replay._REMEMBERED) == 1


@settings(max_examples=30, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 3_000),
    centres=st.tuples(st.floats(5.0, 25.0), st.floats(5.0, 25.0)),
    spread=st.floats(0.0, 4.0),
)
def test_replay_equals_drawing_for_any_stream_and_brains(
    seed: int, n: int, centres: tuple[float, float], spread: float
) -> None:
    z = np.random.default_rng(seed).standard_normal(n)
    first, second = (c + spread * z for c in centres)
    expected = _drawn(second, seed=seed)
    _replay.clear()
    _replayed(first, seed=seed)
    _same(_replayed(second, seed=seed), expected)
