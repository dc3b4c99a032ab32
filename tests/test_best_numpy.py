"""The throughput benchmark's comparators (benchmarks/best_numpy*.py) sample what bioanchors does.

A comparator that drifted from its scenario would make the benchmark's ratio meaningless, so
each one, its idiomatic twin and bioanchors are checked against one another at small n within
Monte Carlo error (seeded: deterministic), and against the closed form where the output has
one. Every bundled scenario must have a comparator or a stated reason it has nothing to
sample. No timings here (see ``benchmarks/throughput.py``).
"""

from __future__ import annotations

import importlib
import math
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
best_numpy: Any = importlib.import_module("best_numpy")
scenarios: Any = importlib.import_module("best_numpy_scenarios")

N = 60_000
LIMIT = 4.5  # |z| over ~170 seeded z-scores; a drift of 10 % in a constant gives |z| > 10
MODELS = {m.name: m for m in best_numpy.all_models()}


def _z(answers: tuple[list[float], float], samples: np.ndarray) -> list[float]:
    """z of (independent, same-n) sample answers against a sample, as the benchmark computes."""
    n = samples.size
    values, mean = answers
    zs = []
    for q, value in zip(best_numpy.QS, values, strict=True):
        p = q / 100.0
        share = float(np.count_nonzero(samples < value)) / n
        zs.append((share - p) / math.sqrt(2 * p * (1 - p) / n))
    zs.append((mean - float(samples.mean())) / (float(samples.std()) * math.sqrt(2.0 / n)))
    return zs


def test_every_bundled_scenario_is_compared_or_has_nothing_to_sample() -> None:
    rows = scenarios.coverage(list(MODELS.values()))
    assert set(rows) == set(ba.scenarios())
    assert {k for k, v in rows.items() if v != "modelled"} == set(scenarios.POINT_VALUES)


@pytest.mark.parametrize("name", sorted(MODELS))
def test_the_best_numpy_samples_what_bioanchors_does(name: str) -> None:
    model = MODELS[name]
    estimate = model.graph.estimate(N, seed=1, method="mc")
    ours = (
        [float(estimate.percentile(q).magnitude) for q in best_numpy.QS],
        float(estimate.mean.magnitude),
    )
    best = model.best(np.random.default_rng(2), N, best_numpy.Buffers()).copy()
    idiomatic = model.idiomatic(np.random.default_rng(3), N)
    assert best.shape == idiomatic.shape == (N,)
    assert np.isfinite(best).all()
    for z in _z(ours, best) + _z(best_numpy.answers_idiomatic(idiomatic), best):
        assert abs(z) < LIMIT, (name, z)
    if model.exact is not None:
        for z in best_numpy.z_exact(model.exact(), best):
            assert abs(z) < LIMIT, (name, z)


def test_a_drifted_comparator_is_caught() -> None:
    """A constant misread by 10 % (moravec-1998: 0.303-1 FLOP per instruction) shows."""
    model = MODELS["moravec-1998"]
    best = model.best(np.random.default_rng(2), N, best_numpy.Buffers()).copy()
    assert max(abs(z) for z in best_numpy.z_exact(model.exact(), best)) < LIMIT
    assert max(abs(z) for z in best_numpy.z_exact(model.exact(), best * 1.1)) > 10


def test_reused_buffers_give_the_same_samples() -> None:
    for model in MODELS.values():
        buffers = best_numpy.Buffers()
        first = model.best(np.random.default_rng(5), 1000, buffers).copy()
        again = model.best(np.random.default_rng(5), 1000, buffers)
        assert np.array_equal(first, again), model.name


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.floats(-1e6, 1e6, allow_nan=False, allow_infinity=False), min_size=1, max_size=300)
)
def test_percentiles_by_partitions_are_numpys(values: list[float]) -> None:
    x = np.array(values)
    expected = [float(v) for v in np.percentile(x, best_numpy.QS)]
    got, mean = best_numpy.answers_in_place(x.copy())
    assert got == expected
    assert mean == float(x.mean())
