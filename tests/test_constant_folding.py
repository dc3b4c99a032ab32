"""Constant folding and in-place outputs leave every sample bit for bit as before.

The reference is the old code path run in this process: the unfolded program
(:func:`~bioanchors._engine.program.compile_program` alone) evaluated chunk by chunk without
``out`` and the chunks copied into one array, as :func:`~bioanchors._engine.draw.sample` did.
Folding computes a constant once on 0-d arrays; the interpreter broadcasts a 0-d constant
over full arrays: the tests check that an operation on 0-d float64 arrays gives the double the
same operation gives element by element on a full array, for every operation.
"""

from __future__ import annotations

import hashlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine.draw import draw_many
from bioanchors._engine.interpret import evaluate_chunk
from bioanchors._engine.ops import apply_op
from bioanchors._engine.plan import Plan, compile_plan
from bioanchors._engine.program import ApplyStep, CheckStep, ConstantStep, Program, compile_program
from bioanchors._graph.uncertain import Op
from bioanchors._typing import Method

_FLOATS = st.floats(allow_nan=True, allow_infinity=True, width=64)
_BINARY = [Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW_UNCERTAIN, Op.MIN, Op.MAX]
_UNARY = [Op.NEG, Op.SQRT, Op.EXP, Op.LOG, Op.LOG10]


def _bits(values: np.ndarray) -> bytes:
    return np.ascontiguousarray(values, dtype=np.float64).tobytes()


def _broadcast_equals_scalar(op: Op, param: float, scalars: list[float]) -> None:
    """``op`` on 0-d arrays against ``op`` with the same numbers spread over 1,000 elements
    (the vectorised loops of exp, log, pow and sqrt run on full arrays only)."""
    zero_d = [np.asarray(x, dtype=np.float64) for x in scalars]
    with np.errstate(all="ignore"):
        folded = apply_op(op, param, zero_d)
        for position in range(len(scalars)):  # each argument in turn a full array
            args = list(zero_d)
            args[position] = np.full(1000, scalars[position])
            full = apply_op(op, param, args)
            assert _bits(full) == _bits(np.full(1000, folded)), (op, scalars, position)
        # and as the interpreter writes it: into an owned array with out=
        out = np.empty(1000)
        apply_op(op, param, [np.full(1000, x) for x in scalars], out)
        assert _bits(out) == _bits(np.full(1000, folded)), (op, scalars)


@pytest.mark.parametrize("op", _BINARY, ids=lambda op: op.name)
@settings(max_examples=150, deadline=None)
@given(a=_FLOATS, b=_FLOATS)
def test_binary_op_on_0d_arrays_is_the_broadcast_op(op: Op, a: float, b: float) -> None:
    _broadcast_equals_scalar(op, 0.0, [a, b])


@pytest.mark.parametrize("op", _UNARY, ids=lambda op: op.name)
@settings(max_examples=150, deadline=None)
@given(a=_FLOATS)
def test_unary_op_on_0d_arrays_is_the_broadcast_op(op: Op, a: float) -> None:
    _broadcast_equals_scalar(op, 0.0, [a])


@pytest.mark.parametrize("op", [Op.POW, Op.SCALE], ids=lambda op: op.name)
@settings(max_examples=150, deadline=None)
@given(a=_FLOATS, param=st.one_of(_FLOATS, st.sampled_from([0.5, 1.0, 2.0, 3.0, -1.0, 1e-3])))
def test_parameter_op_on_0d_arrays_is_the_broadcast_op(op: Op, a: float, param: float) -> None:
    _broadcast_equals_scalar(op, param, [a])


def test_the_vectorised_transcendentals_agree_on_many_values() -> None:
    """exp, log, log10, sqrt and pow over 2^16 values at once (the SIMD loops' lanes and
    tails) against each value on its own as a 0-d array."""
    values = np.random.default_rng(5).lognormal(0.0, 3.0, 1 << 16)
    with np.errstate(all="ignore"):
        _transcendentals(values)


def _transcendentals(values: np.ndarray) -> None:
    for op in (Op.EXP, Op.LOG, Op.LOG10, Op.SQRT):
        full = apply_op(op, 0.0, [values])
        alone = [float(apply_op(op, 0.0, [np.asarray(v)])) for v in values[:2000]]
        assert _bits(full[:2000]) == _bits(np.array(alone)), op
    exponents = np.random.default_rng(6).normal(0.0, 2.0, 2000)
    full = apply_op(Op.POW_UNCERTAIN, 0.0, [values[:2000], exponents])
    alone = [
        float(apply_op(Op.POW_UNCERTAIN, 0.0, [np.asarray(v), np.asarray(e)]))
        for v, e in zip(values[:2000], exponents, strict=True)
    ]
    assert _bits(full) == _bits(np.array(alone))


# -- the old code path ----------------------------------------------------------------------


def _unfolded(plan: Plan) -> Program:
    return compile_program(plan.order, plan.outputs, plan.columns, plan.forms, plan.groups)


def _old_samples(
    outputs: list[ba.Uncertain], n: int, seed: int, method: Method, chunk: int | None
) -> np.ndarray:
    """Samples as the code before folding made them: unfolded program, chunks copied."""
    program = _unfolded(compile_plan(outputs))
    size = n if chunk is None else chunk
    parts = [
        evaluate_chunk(program, method, seed, start, min(size, n - start), index)
        for index, start in enumerate(range(0, n, size))
    ]
    return np.concatenate(parts, axis=1)


def _digest(values: np.ndarray) -> str:
    return hashlib.sha256(_bits(values)).hexdigest()


@pytest.mark.parametrize("name", ba.scenarios())
def test_bundled_scenarios_sample_the_same_bits(name: str) -> None:
    """Every bundled scenario, its output and all its steps at once, n = 20,000: MC in one
    chunk and in chunks of 3,000 (written into their slices), QMC; hashes before and after."""
    scenario = ba.load_scenario(name)
    every_step = [step.quantity for step in scenario.steps]
    for outputs in ([scenario.output], every_step):
        for method, chunk in (("mc", None), ("mc", 3000), ("qmc", None)):
            method_: Method = "mc" if method == "mc" else "qmc"
            before = _old_samples(outputs, 20_000, 7, method_, chunk)
            after = draw_many(outputs, 20_000, seed=7, method=method_, chunk_size=chunk)
            assert _digest(after) == _digest(before), (name, len(outputs), method, chunk)


# -- what folding does to a program ---------------------------------------------------------


def test_a_chain_of_constants_becomes_one_constant() -> None:
    x = ba.uniform(1.0, 2.0)
    k = (ba.point(3.0) - ba.point(1.5)) * ba.point(7.0) / ba.point(3.0)
    graph = ba.sqrt(ba.log(k) + ba.exp(ba.point(0.25))) ** 1.5 * x
    plan = compile_plan(graph)
    constants = [s for s in plan.program.instructions if isinstance(s, ConstantStep)]
    assert len(constants) == 1
    assert not any(
        isinstance(s, ApplyStep) and all(a == constants[0].target for a in s.args)
        for s in plan.program.instructions
    )
    # the value is the interpreter's: math on Python floats gives the same double here
    expected = math.sqrt(math.log((3.0 - 1.5) * 7.0 / 3.0) + math.exp(0.25)) ** 1.5
    assert constants[0].value == pytest.approx(expected, rel=1e-15)
    assert _bits(ba.Uncertain.sample(graph, 5000, seed=3).magnitude) == _bits(
        _old_samples([graph], 5000, 3, "mc", None)[0]
    )


def test_a_product_with_one_is_dropped_and_the_samples_keep_their_bits() -> None:
    x = ba.normal(0.0, 1.0) * ba.uniform(0.0, 1.0)
    graph = (x * ba.point(1.0)) / ba.point(1.0) + (ba.point(1.0) * x)
    plan = compile_plan(graph)
    assert len(plan.program.instructions) < len(_unfolded(plan).instructions)
    ones = [s for s in plan.program.instructions if isinstance(s, ConstantStep)]
    assert ones == []
    sampled = draw_many([graph, x], 4000, seed=2, chunk_size=1000)
    assert _bits(sampled) == _bits(_old_samples([graph, x], 4000, 2, "mc", 1000))
    assert np.array_equal(sampled[0], sampled[1] + sampled[1])


def test_a_constant_that_passes_its_domain_check_is_folded() -> None:
    scenario = ba.load_scenario("irving-2021")
    plan = compile_plan(scenario.output)
    unfolded = _unfolded(plan)
    checks = [s for s in plan.program.instructions if isinstance(s, CheckStep)]
    assert len(checks) < sum(isinstance(s, CheckStep) for s in unfolded.instructions)
    assert all(s.target == s.args[0] for s in checks)  # derived ones: checked in place


@pytest.mark.parametrize(
    ("graph", "error"),
    [
        (lambda: 1.0 / (ba.point(1e200) * ba.point(1e200)) + ba.uniform(1, 2), ba.OutOfRangeError),
        (lambda: ba.point(1e-200) * ba.point(1e-200) * ba.uniform(1, 2), ba.OutOfRangeError),
        (lambda: ba.sqrt(ba.point(-1.0)) * ba.uniform(1, 2), ba.SamplingError),
        (lambda: ba.log(ba.point(0.0)) + ba.uniform(1, 2), ba.SamplingError),
        (lambda: ba.point(1.0) / ba.point(0.0) * ba.uniform(1, 2), ba.SamplingError),
    ],
)
def test_constants_that_fail_are_left_to_fail_as_before(graph: object, error: type) -> None:
    """A constant step that flags (overflow, underflow, invalid, divide) is not folded: the
    evaluation refuses it with the same error and message as the unfolded program."""
    assert callable(graph)
    built = graph()
    with pytest.raises(error) as old:
        _old_samples([built], 1000, 0, "mc", None)
    with pytest.raises(error) as new:
        ba.Uncertain.sample(built, 1000)
    assert str(new.value) == str(old.value)


def test_a_constant_outside_its_domain_still_raises_the_same_error() -> None:
    """irving-2021's scaling floor (1 / hidden_units_per_neuron, checked to lie in [0, inf))
    made a negative constant: the check on a constant is not folded away and refuses it as
    before."""
    bad = ba.load_scenario("irving-2021").with_inputs(hidden_units_per_neuron=-896)
    with pytest.raises(ba.InvalidInputError) as old:
        _old_samples([bad.output], 1000, 0, "mc", None)
    with pytest.raises(ba.InvalidInputError) as new:
        ba.Uncertain.sample(bad.output, 1000)
    assert str(new.value) == str(old.value)
    assert "floor" in str(new.value)


@settings(max_examples=80, deadline=None)
@given(
    constants=st.lists(st.floats(-1e3, 1e3, allow_nan=False), min_size=1, max_size=4),
    ops=st.lists(st.sampled_from(["+", "-", "*", "/", "min", "max", "one"]), max_size=6),
    seed=st.integers(0, 2**16),
)
def test_random_constant_chains_sample_the_same_bits(
    constants: list[float], ops: list[str], seed: int
) -> None:
    """Chains mixing constants, ones and a random input: folded against unfolded, every bit
    (or the same error)."""
    x = ba.uniform(0.5, 2.0)
    value: ba.Uncertain = ba.point(constants[0])
    for index, op in enumerate(ops):
        other = ba.point(constants[(index + 1) % len(constants)])
        if op == "+":
            value = value + other
        elif op == "-":
            value = other - value
        elif op == "*":
            value = value * other
        elif op == "/":
            value = value / (other * other + ba.point(1.0))
        elif op == "min":
            value = ba.minimum(value, other)
        elif op == "max":
            value = ba.maximum(value, x)
        else:
            value = value * ba.point(1.0)
    graph = value * x + value
    try:
        before = _old_samples([graph, x], 2000, seed, "mc", 700)
    except ba.BioanchorsError as error:
        with pytest.raises(type(error)):
            draw_many([graph, x], 2000, seed=seed, chunk_size=700)
        return
    assert _bits(draw_many([graph, x], 2000, seed=seed, chunk_size=700)) == _bits(before)


@settings(max_examples=100, deadline=None)
@given(
    weights=st.lists(st.floats(0.0, 1.0), min_size=1, max_size=20).filter(lambda w: sum(w) > 0),
    u=st.lists(st.floats(0.0, 1.0, exclude_max=True), min_size=1, max_size=50),
)
def test_mixture_slices_by_comparison_are_the_binary_search(
    weights: list[float], u: list[float]
) -> None:
    """The mixture's component per uniform, counted by comparisons, is searchsorted's (also
    with zero weights: repeated edges; and at an edge exactly)."""
    from bioanchors._engine.mixtures import _slice_of

    edges = np.cumsum(np.asarray(weights) / sum(weights))[:-1]
    values = np.concatenate([np.asarray(u), edges])
    assert np.array_equal(_slice_of(edges, values), np.searchsorted(edges, values, side="right"))
