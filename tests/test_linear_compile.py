"""Long chains compile in linear work, with every coefficient bit for bit as the eager algebra.

The reference is the eager log-form algebra written out here (a new dictionary per product,
as :class:`~bioanchors._engine.logform.LogForm` did before its coefficients became lazy): the
lazy forms must give the same constants, the same coefficients and the same order of columns
(the engine sums the terms in that order, so the order is part of every sample's last bit).
The work is counted, not timed: a chain of ``n`` products builds one dictionary, not ``n``.
"""

from __future__ import annotations

import pickle
import sys
from dataclasses import dataclass

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.draw import draw_many
from bioanchors._engine.logform import LogForm, dict_copies
from bioanchors._engine.plan import analytic_lognormal, compile_plan
from bioanchors._graph.uncertain import Uncertain


@dataclass(frozen=True)
class Eager:
    """The eager algebra: every operation copies its dictionary."""

    const: float
    coefs: dict[int, float]

    def scaled(self, k: float) -> Eager:
        return Eager(self.const * k, {c: a * k for c, a in self.coefs.items()})

    def plus(self, other: Eager, sign: float = 1.0) -> Eager:
        coefs = dict(self.coefs)
        for column, coef in other.coefs.items():
            coefs[column] = coefs.get(column, 0.0) + sign * coef
        return Eager(self.const + sign * other.const, coefs)


def _items(form: LogForm | Eager) -> list[tuple[int, float]]:
    return list(form.coefs.items())


_VALUES = st.floats(-1e3, 1e3, allow_nan=False) | st.sampled_from([0.0, -0.0, 1.0, -1.0])
_STEP = st.tuples(
    st.sampled_from(["plus", "minus", "scaled"]),
    st.integers(0, 1000),  # which earlier form is the base
    st.integers(0, 1000),  # which earlier form is added
    _VALUES,
    st.booleans(),  # read this form's coefficients now (a form read early, others late)
)


@settings(max_examples=300, deadline=None)
@given(
    leaves=st.lists(st.tuples(_VALUES, st.integers(0, 6), _VALUES), min_size=1, max_size=6),
    steps=st.lists(_STEP, max_size=40),
)
def test_lazy_forms_equal_the_eager_algebra(
    leaves: list[tuple[float, int, float]],
    steps: list[tuple[str, int, int, float, bool]],
) -> None:
    # A random DAG of forms (shared operands, repeated columns, signed zeros, powers of
    # powers), read in a random order: each form equals its eager twin exactly.
    lazy: list[LogForm] = [LogForm(c, {col: a}) for c, col, a in leaves]
    eager: list[Eager] = [Eager(c, {col: a}) for c, col, a in leaves]
    for op, i, j, k, read in steps:
        base, other = i % len(lazy), j % len(lazy)
        if op == "scaled":
            lazy.append(lazy[base].scaled(k))
            eager.append(eager[base].scaled(k))
        else:
            sign = 1.0 if op == "plus" else -1.0
            lazy.append(lazy[base].plus(lazy[other], sign))
            eager.append(eager[base].plus(eager[other], sign))
        if read:
            assert _items(lazy[-1]) == _items(eager[-1])
    for a, b in zip(reversed(lazy), reversed(eager), strict=True):
        assert np.float64(a.const).tobytes() == np.float64(b.const).tobytes()
        assert a.has_terms == bool(b.coefs)
        assert [(c, np.float64(v).tobytes()) for c, v in _items(a)] == [
            (c, np.float64(v).tobytes()) for c, v in _items(b)
        ]


@settings(max_examples=300, deadline=None)
@given(
    values=st.lists(_VALUES, min_size=1, max_size=24),
    shape=st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6), st.booleans())),
    with_terms=st.lists(st.booleans(), max_size=24),
)
def test_trees_of_sums_equal_the_eager_algebra(
    values: list[float],
    shape: list[tuple[int, int, bool]],
    with_terms: list[bool],
) -> None:
    # A random tree of sums and differences (each form used once, each column in one leaf:
    # the one-walk path), including chains built on the right and leaves with no terms.
    lazy: list[LogForm] = []
    eager: list[Eager] = []
    for column, value in enumerate(values):
        terms = (
            {column: value} if (with_terms[column] if column < len(with_terms) else True) else {}
        )
        lazy.append(LogForm(value / 3, dict(terms)))
        eager.append(Eager(value / 3, dict(terms)))
    while len(lazy) > 1:
        i, j, minus = shape.pop() if shape else (len(lazy) - 2, len(lazy) - 1, False)
        a, b = i % len(lazy), j % len(lazy)
        if a == b:
            b = (b + 1) % len(lazy)
        sign = -1.0 if minus else 1.0
        new_lazy, new_eager = lazy[a].plus(lazy[b], sign), eager[a].plus(eager[b], sign)
        for index in sorted((a, b), reverse=True):
            del lazy[index], eager[index]
        lazy.append(new_lazy)
        eager.append(new_eager)
    assert [(c, np.float64(v).tobytes()) for c, v in _items(lazy[0])] == [
        (c, np.float64(v).tobytes()) for c, v in _items(eager[0])
    ]


def test_a_chain_built_on_the_right_builds_no_dictionary_per_step() -> None:
    x = _chain(3000, "right")
    copies = dict_copies()
    compile_plan([x])
    assert dict_copies() <= copies + 1  # at most the output's, in one walk: none per step


def _chain(n: int, op: str = "mul") -> Uncertain:
    x = ba.between(0.5, 2, "")
    for i in range(n - 1):
        y = ba.between(0.5 + (i % 5) * 0.1, 2, "")
        x = {"mul": x * y, "div": x / y, "pow": (x * y) ** 0.999, "right": y * x}[op]
    return x


def test_a_long_chain_builds_one_dictionary() -> None:
    # Compiling reads no coefficients; the output's are built once, replaying the chain: one
    # dictionary for 5,000 products (the eager algebra built 5,000, of up to 5,000 entries).
    x = _chain(5_000)
    before = dict_copies()
    plan = compile_plan(x)
    assert dict_copies() == before
    mu, sigma = analytic_lognormal(plan)
    assert dict_copies() == before + 1
    assert len(plan.forms[id(x.node)].coefs) == 5_000  # type: ignore[union-attr]
    plan.program  # noqa: B018  (compiles the program: it reads the same form)
    assert dict_copies() == before + 1
    assert np.isfinite(mu)
    assert np.isfinite(sigma)


def test_forms_read_in_the_middle_are_reused() -> None:
    # A form read once is remembered: a later form replays only from it.
    forms = [LogForm(0.0, {0: 1.0})]
    for column in range(1, 2_001):
        forms.append(forms[-1].plus(LogForm(0.0, {column: 1.0})))
    before = dict_copies()
    assert len(forms[1_000].coefs) == 1_001
    assert len(forms[2_000].coefs) == 2_001
    assert len(forms[2_000].coefs) == 2_001
    assert dict_copies() == before + 2


def test_deep_chains_need_no_recursion() -> None:
    # Both operands may be long chains (x = y * x puts the chain on the right): reading,
    # comparing and pickling (for worker processes) walk them without Python recursion.
    limit = sys.getrecursionlimit()
    left = LogForm(0.0, {0: 1.0})
    right = LogForm(0.0, {0: 1.0})
    for column in range(1, 3 * limit):
        left = left.plus(LogForm(1.0, {column: 0.5}), -1.0).scaled(1.0)
        right = LogForm(1.0, {column: 0.5}).plus(right)
    assert len(right.coefs) == len(left.coefs) == 3 * limit
    assert list(right.coefs)[:2] == [3 * limit - 1, 3 * limit - 2]
    clone = pickle.loads(pickle.dumps(left))
    assert clone == left
    assert _items(clone) == _items(left)


def test_chains_sample_as_products_of_their_inputs() -> None:
    # An independent check of the whole path: the chain's samples (one exp of a sum of logs)
    # against the product of its inputs' own samples, drawn jointly, multiplied one by one.
    for op in ["mul", "div", "right"]:
        x = ba.between(0.5, 2, "")
        inputs = [x]
        for i in range(299):
            y = ba.between(0.5 + (i % 5) * 0.1, 2, "")
            inputs.append(y)
            x = {"mul": x * y, "div": x / y, "right": y * x}[op]
        rows = draw_many([x, *inputs], 256, seed=5)
        expected = rows[1].copy()
        for row in rows[2:]:
            expected = expected / row if op == "div" else expected * row
        assert compile_plan(x).forms[id(x.node)] is not None
        np.testing.assert_allclose(rows[0], expected, rtol=1e-11)
