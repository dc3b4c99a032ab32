"""The engine's in-place leaf arithmetic is bit for bit each distribution's own mapping.

Normal inputs on normal scores (``from_scores``), uniform and log-uniform inputs
on direct uniforms (``ppf``): the engine writes ``offset + scale * row`` (then ``exp``) into a
spare array; the reference is the distribution's method on the same row.
"""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.interpret import execute
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.program import LeafStep

_SCORES = st.lists(st.floats(-8, 8, allow_nan=False), min_size=1, max_size=40)
_UNIFORMS = st.lists(st.floats(0, 1, exclude_max=True, allow_nan=False), min_size=1, max_size=40)


def _values(item: ba.Uncertain, row: list[float], uniform: bool) -> tuple[np.ndarray, object]:
    program = compile_plan(item * ba.normal(1.0, 0.0)).program  # an ApplyStep frees arrays
    leaf = next(s for s in program.instructions if isinstance(s, LeafStep))
    z = np.array([row] * program.dimension, dtype=np.float64)
    out = execute(program, z, frozenset({leaf.column}) if uniform else frozenset())[0]
    return out, leaf.dist


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(0.0, 1e3), _SCORES)
def test_normal_leaf(mean: float, sd: float, row: list[float]) -> None:
    out, dist = _values(ba.normal(mean, sd), row, uniform=False)
    assert np.array_equal(out, dist.from_scores(np.array(row)) * 1.0)  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.floats(-1e6, 1e6), st.floats(1e-3, 1e6), _UNIFORMS)
def test_uniform_leaf(lo: float, width: float, row: list[float]) -> None:
    out, dist = _values(ba.uniform(lo, lo + width), row, uniform=True)
    assert np.array_equal(out, dist.ppf(np.array(row)) * 1.0)  # type: ignore[attr-defined]


@settings(max_examples=60, deadline=None)
@given(st.floats(1e-6, 1e3), st.floats(1.01, 1e6), _UNIFORMS)
def test_loguniform_leaf(lo: float, ratio: float, row: list[float]) -> None:
    out, dist = _values(ba.loguniform(lo, lo * ratio), row, uniform=True)
    assert np.array_equal(out, dist.ppf(np.array(row)) * 1.0)  # type: ignore[attr-defined]
