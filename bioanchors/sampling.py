"""The sampling engine: normal scores -> inputs -> vectorised graph evaluation.

One mechanism serves every method. For ``n`` samples of a graph with ``d`` random columns the
engine makes a ``d x n`` matrix of standard normal scores:

* ``"mc"``: ``numpy.random.Generator.standard_normal`` seeded per chunk from
  ``SeedSequence(seed).spawn(...)``;
* ``"qmc"``: scrambled Sobol points (``scipy.stats.qmc``), mapped through the normal inverse CDF;

then multiplies correlated columns by the Cholesky factor of their correlation matrix (a
Gaussian copula). Each input reads its own column; a mixture node reads one more to pick its
component.

Products, quotients and constant powers of lognormals and positive constants are handled in log
space: such a sub-graph is ``exp(c + sum_i a_i * z_i)``, one matrix-vector product instead of a
chain of array multiplications, and, when it is the whole graph, a lognormal in closed form
(``method="analytic"``).

Large ``n`` is split into chunks of ``chunk_size`` samples, so memory stays bounded; every
chunk's randomness depends only on (seed, chunk index), so chunks can run on any
``concurrent.futures.Executor`` and give the same numbers.
"""

from __future__ import annotations

import math
import numbers
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Literal, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors.distributions import Distribution, Point, ndtr, ndtri
from bioanchors.errors import AnalyticUnavailableError, SamplingError
from bioanchors.uncertain import Leaf, Mix, Op, Uncertain, children, walk

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors.estimate import Estimate
    from bioanchors.inputs import CorrelationGroup

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "METHODS",
    "Plan",
    "compile_plan",
    "draw",
    "draw_many",
    "run_estimate",
]

FloatArray: TypeAlias = NDArray[np.float64]
Method: TypeAlias = Literal["auto", "analytic", "mc", "qmc"]
METHODS: tuple[str, ...] = ("auto", "analytic", "mc", "qmc")
DEFAULT_CHUNK_SIZE = 1 << 20
"""Samples per chunk: 8 MiB per array, a few arrays alive at once."""


@dataclass(frozen=True)
class LogForm:
    """``log(value) = const + sum(coef * z[column])``: a product of lognormals and constants."""

    const: float
    coefs: dict[int, float] = field(default_factory=dict)

    def scaled(self, k: float) -> LogForm:
        return LogForm(self.const * k, {c: a * k for c, a in self.coefs.items()})

    def plus(self, other: LogForm, sign: float = 1.0) -> LogForm:
        coefs = dict(self.coefs)
        for column, coef in other.coefs.items():
            coefs[column] = coefs.get(column, 0.0) + sign * coef
        return LogForm(self.const + sign * other.const, coefs)


@dataclass(frozen=True)
class Instruction:
    """One step of a compiled graph; its result goes to register ``target``.

    ``kind``: ``"form"`` (``exp(const + coefs . z[cols])``), ``"leaf"`` (a distribution read
    from column ``column``), ``"mix"`` (pick among ``args`` with column ``column``) or
    ``"apply"`` (``op`` on ``args``).
    """

    kind: Literal["form", "leaf", "mix", "apply"]
    target: int
    args: tuple[int, ...] = ()
    op: Op | None = None
    param: float = 0.0
    dist: Distribution | None = None
    column: int = -1
    form: LogForm | None = None
    weights: tuple[float, ...] = ()
    release: tuple[int, ...] = ()  # registers no later instruction reads


@dataclass(frozen=True)
class Program:
    """The picklable, unit-free part of a plan: what a worker needs to evaluate chunks."""

    dimension: int
    groups: tuple[tuple[FloatArray, tuple[int, ...]], ...]  # Cholesky factor, its columns
    instructions: tuple[Instruction, ...]
    outputs: tuple[int, ...]


@dataclass
class Plan:
    """A graph compiled for evaluation: columns for random inputs, log forms where they exist."""

    outputs: tuple[Uncertain, ...]
    columns: dict[int, int]  # id(Leaf or Mix node) -> column of normal scores
    groups: list[tuple[FloatArray, list[int]]]  # correlation matrix of some columns, the columns
    forms: dict[int, LogForm | None]  # id(node) -> log form or None
    blocker: dict[int, str]  # id(node) -> why it has no log form (first reason)
    program: Program

    @property
    def dimension(self) -> int:
        return len(self.columns)

    def correlation(self) -> FloatArray:
        """The full correlation matrix of the normal-score columns."""
        corr = np.eye(self.dimension)
        for matrix, cols in self.groups:
            corr[np.ix_(cols, cols)] = matrix
        return corr


def compile_plan(outputs: Uncertain | Sequence[Uncertain]) -> Plan:
    """Assign columns to the graph's random inputs and find its log-linear sub-graphs.

    Several outputs share one plan (and so one draw of every input they have in common).
    """
    roots = (outputs,) if isinstance(outputs, Uncertain) else tuple(outputs)
    columns: dict[int, int] = {}
    forms: dict[int, LogForm | None] = {}
    blocker: dict[int, str] = {}
    order = walk(roots)
    # Per correlated group: its members' positions in the group and their columns. A graph may
    # hold only some members; their principal sub-matrix is still a valid correlation matrix.
    grouped: dict[int, tuple[CorrelationGroup, list[int], list[int]]] = {}
    for item in order:
        node = item.node
        key = id(node)
        if (isinstance(node, Leaf) and not isinstance(node.dist, Point)) or isinstance(node, Mix):
            columns[key] = len(columns)
        if isinstance(node, Leaf) and node.group is not None:
            entry = grouped.setdefault(id(node.group), (node.group, [], []))
            entry[1].append(node.group_index)
            entry[2].append(columns[key])
        forms[key], reason = _log_form(item, columns, forms)
        if reason is not None:
            blocker[key] = reason
    groups = [(group.sub_matrix(positions), cols) for group, positions, cols in grouped.values()]
    program = _compile_program(order, roots, columns, forms, groups)
    return Plan(roots, columns, groups, forms, blocker, program)


def _folds_to_form(item: Uncertain, forms: dict[int, LogForm | None]) -> bool:
    # Constant sub-graphs are left to plain arithmetic: exp(log(3)) is not exactly 3.
    form = forms.get(id(item.node))
    return form is not None and bool(form.coefs)


def _compile_program(
    order: list[Uncertain],
    roots: tuple[Uncertain, ...],
    columns: dict[int, int],
    forms: dict[int, LogForm | None],
    groups: list[tuple[FloatArray, list[int]]],
) -> Program:
    needed = {id(root.node) for root in roots}
    for item in reversed(order):  # outputs first
        if id(item.node) in needed and not _folds_to_form(item, forms):
            needed.update(id(child.node) for child in children(item))
    registers: dict[int, int] = {}
    drafts: list[Instruction] = []
    for item in order:
        key = id(item.node)
        if key not in needed:
            continue
        target = registers[key] = len(registers)
        node = item.node
        if _folds_to_form(item, forms):
            drafts.append(Instruction("form", target, form=forms[key]))
        elif isinstance(node, Leaf):
            drafts.append(Instruction("leaf", target, dist=node.dist, column=columns.get(key, -1)))
        elif isinstance(node, Mix):
            args = tuple(registers[id(c.node)] for c in node.components)
            drafts.append(
                Instruction("mix", target, args, column=columns[key], weights=node.weights)
            )
        else:
            args = tuple(registers[id(a.node)] for a in node.args)
            drafts.append(Instruction("apply", target, args, op=node.op, param=node.param))
    last_use: dict[int, int] = {}
    for index, draft in enumerate(drafts):
        for arg in draft.args:
            last_use[arg] = index
    for root in roots:  # outputs are read after the last instruction: never released
        last_use[registers[id(root.node)]] = len(drafts)
    instructions = tuple(
        replace(draft, release=tuple(r for r in set(draft.args) if last_use[r] == index))
        for index, draft in enumerate(drafts)
    )
    factors = tuple((cholesky(matrix), tuple(cols)) for matrix, cols in groups)
    outputs = tuple(registers[id(root.node)] for root in roots)
    return Program(len(columns), factors, instructions, outputs)


def _log_form(
    item: Uncertain, columns: dict[int, int], forms: dict[int, LogForm | None]
) -> tuple[LogForm | None, str | None]:
    """The node's log form, or None and (for the node that breaks it) the reason."""
    node = item.node
    if isinstance(node, Leaf):
        params = node.dist.log_params()
        if params is None:
            return None, f"input {item.describe()} is {node.dist.kind}, not lognormal"
        mu, sigma = params
        return (LogForm(mu, {columns[id(node)]: sigma}) if sigma else LogForm(mu)), None
    if isinstance(node, Mix):
        return None, "a mixture"
    args = [forms[id(arg.node)] for arg in node.args]
    first = args[0]
    if first is None or any(form is None for form in args):
        return None, None  # the reason sits on the argument
    if node.op is Op.MUL or node.op is Op.DIV:
        second = args[1]
        assert second is not None
        return first.plus(second, 1.0 if node.op is Op.MUL else -1.0), None
    if node.op is Op.POW:
        return first.scaled(node.param), None
    if node.op is Op.SQRT:
        return first.scaled(0.5), None
    if node.op is Op.SCALE and node.param > 0:
        return first.plus(LogForm(math.log(node.param))), None
    return None, f"operation {node.op.value!r}"


# -- validation -------------------------------------------------------------------------------


def check_n(n: object, what: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if isinstance(n, float) and n.is_integer() and n >= 1:
            return int(n)
        raise SamplingError(f"{what} must be a whole number of samples >= 1, got {n!r}")
    if int(n) < 1:
        raise SamplingError(f"{what} must be >= 1, got {n!r}")
    return int(n)


def check_seed(seed: object) -> int:
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral) or int(seed) < 0:
        raise SamplingError(f"seed must be an integer >= 0, got {seed!r}")
    return int(seed)


def check_method(method: object, allowed: tuple[str, ...] = METHODS) -> str:
    if method not in allowed:
        raise SamplingError(f"unknown method {method!r}; expected one of {', '.join(allowed)}")
    return str(method)


# -- evaluation -------------------------------------------------------------------------------


def cholesky(matrix: FloatArray) -> FloatArray:
    """A factor ``L`` with ``L @ L.T == matrix``, also for singular (semi-definite) matrices."""
    try:
        return np.asarray(np.linalg.cholesky(matrix), dtype=np.float64)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(matrix)
        return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)), dtype=np.float64)


def _scores(
    program: Program, method: str, seed: int, start: int, size: int, chunk: int
) -> FloatArray:
    """Normal scores for samples ``start .. start+size`` (chunk number ``chunk``): ``d x size``."""
    d = program.dimension
    if d == 0:
        return np.empty((0, size))
    if method == "mc":
        child = np.random.SeedSequence(seed).spawn(chunk + 1)[chunk]
        z = np.random.default_rng(child).standard_normal((d, size))
    else:
        from scipy.stats import qmc

        engine = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(seed))
        if start:
            engine.fast_forward(start)
        with warnings.catch_warnings():
            # Sobol points are balanced for powers of 2; other n still work, a bit less evenly.
            warnings.simplefilter("ignore", UserWarning)
            u = engine.random(size)
        tiny = np.finfo(np.float64).eps / 4
        z = np.ascontiguousarray(ndtri(np.clip(u, tiny, 1.0 - tiny)).T)
    for factor, cols in program.groups:
        z[list(cols)] = factor @ z[list(cols)]
    return z


_BINARY: dict[Op, Callable[[FloatArray, FloatArray], FloatArray]] = {
    Op.ADD: np.add,
    Op.SUB: np.subtract,
    Op.MUL: np.multiply,
    Op.DIV: np.divide,
    Op.POW_UNCERTAIN: np.power,
    Op.MIN: np.minimum,
    Op.MAX: np.maximum,
}
_UNARY: dict[Op, Callable[[FloatArray], FloatArray]] = {
    Op.NEG: np.negative,
    Op.SQRT: np.sqrt,
    Op.EXP: np.exp,
    Op.LOG: np.log,
    Op.LOG10: np.log10,
}


def _execute(program: Program, z: FloatArray) -> list[FloatArray]:
    """Values of the program's outputs for one block of normal scores (``d x size``)."""
    size = z.shape[1]
    registers: dict[int, FloatArray] = {}
    for step in program.instructions:
        args = [registers[a] for a in step.args]
        if step.kind == "form":
            assert step.form is not None
            result = _from_form(step.form, z, size)
        elif step.kind == "leaf":
            assert step.dist is not None
            if step.column < 0:
                result = step.dist.from_scores(np.zeros(size))
            else:
                result = step.dist.from_scores(z[step.column])
        elif step.kind == "mix":
            result = _mix(step.weights, args, z[step.column])
        else:
            assert step.op is not None
            result = _apply(step.op, step.param, args)
        for register in step.release:
            del registers[register]
        registers[step.target] = result
    return [registers[output] for output in program.outputs]


def _from_form(form: LogForm, z: FloatArray, size: int) -> FloatArray:
    if not form.coefs:
        return np.full(size, math.exp(form.const))
    cols = list(form.coefs)
    coefs = np.fromiter(form.coefs.values(), dtype=np.float64, count=len(cols))
    log_value = coefs[0] * z[cols[0]] if len(cols) == 1 else coefs @ z[cols]
    log_value += form.const
    return np.exp(log_value, out=log_value)


def _apply(op: Op, param: float, args: list[FloatArray]) -> FloatArray:
    if op is Op.POW:
        return np.power(args[0], param)
    if op is Op.SCALE:
        return args[0] * param
    binary = _BINARY.get(op)
    if binary is not None:
        return binary(args[0], args[1])
    return _UNARY[op](args[0])


def _mix(weights: tuple[float, ...], components: list[FloatArray], z: FloatArray) -> FloatArray:
    cumulative = np.cumsum(weights)
    choice = np.searchsorted(cumulative[:-1], ndtr(z), side="right")
    result = np.empty(z.shape[0])
    for index, component in enumerate(components):
        np.copyto(result, component, where=choice == index)
    return result


def _chunk_bounds(n: int, chunk_size: int) -> list[tuple[int, int]]:
    return [(start, min(chunk_size, n - start)) for start in range(0, n, chunk_size)]


def evaluate_chunk(
    program: Program, method: str, seed: int, start: int, size: int, chunk: int
) -> FloatArray:
    """Samples ``start .. start+size`` of the outputs (``outputs x size``): a pure function."""
    z = _scores(program, method, seed, start, size, chunk)
    with np.errstate(all="ignore"):
        values = np.stack(_execute(program, z))
    bad = ~np.isfinite(values)
    if bad.any():
        raise SamplingError(
            f"{int(bad.sum())} of {values.size} sampled values are not finite (a division by "
            "zero, the log or square root of a negative number, or an overflow); check that "
            "each input's range suits the formula"
        )
    return values


def _chunk_task(args: tuple[Program, str, int, int, int, int]) -> FloatArray:
    return evaluate_chunk(*args)


def chunk_tasks(
    program: Program, n: int, seed: int, method: str, chunk_size: int | None
) -> list[tuple[Program, str, int, int, int, int]]:
    """The independent pieces of work for ``n`` samples."""
    size = DEFAULT_CHUNK_SIZE if chunk_size is None else check_n(chunk_size, "chunk_size")
    return [
        (program, method, seed, start, length, index)
        for index, (start, length) in enumerate(_chunk_bounds(n, size))
    ]


def draw(
    output: Uncertain,
    n: int,
    *,
    seed: int = 0,
    method: str = "mc",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    plan: Plan | None = None,
) -> FloatArray:
    """``n`` samples of ``output`` (magnitudes in its unit), in chunks of ``chunk_size``."""
    n = check_n(n)
    seed = check_seed(seed)
    method = check_method(method, ("mc", "qmc"))
    plan = compile_plan(output) if plan is None else plan
    samples: FloatArray = draw_many(
        [output], n, seed=seed, method=method, chunk_size=chunk_size, executor=executor, plan=plan
    )[0]
    return samples


def draw_many(
    outputs: Sequence[Uncertain],
    n: int,
    *,
    seed: int = 0,
    method: str = "mc",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    plan: Plan | None = None,
) -> FloatArray:
    """Joint samples of several quantities (``len(outputs) x n``): shared inputs, same draws."""
    n = check_n(n)
    seed = check_seed(seed)
    method = check_method(method, ("mc", "qmc"))
    plan = compile_plan(outputs) if plan is None else plan
    tasks = chunk_tasks(plan.program, n, seed, method, chunk_size)
    if executor is None or len(tasks) == 1:
        parts = [_chunk_task(task) for task in tasks]
    else:
        parts = list(executor.map(_chunk_task, tasks))
    return parts[0] if len(parts) == 1 else np.concatenate(parts, axis=1)


def analytic_lognormal(plan: Plan) -> tuple[float, float]:
    """``(mu, sigma)`` of ``ln(output)`` when the graph has a closed form, else an error."""
    key = id(plan.outputs[0].node)
    form = plan.forms.get(key)
    if form is None:
        culprit = _first_blocker(plan)
        raise AnalyticUnavailableError(*culprit)
    if not form.coefs:
        return form.const, 0.0
    cols = list(form.coefs)
    coefs = np.array([form.coefs[c] for c in cols])
    corr = plan.correlation()[np.ix_(cols, cols)]
    variance = float(coefs @ corr @ coefs)
    return form.const, math.sqrt(max(variance, 0.0))


def _first_blocker(plan: Plan) -> tuple[str, str]:
    for item in walk(plan.outputs):
        reason = plan.blocker.get(id(item.node))
        if reason is not None:
            return item.describe(), reason
    return plan.outputs[0].describe(), "an operation outside products and powers"


def run_estimate(
    output: Uncertain,
    n: int,
    *,
    seed: int = 0,
    method: str = "auto",
    chunk_size: int | None = None,
    executor: Executor | None = None,
) -> Estimate:
    """Compute an :class:`~bioanchors.estimate.Estimate` of ``output``."""
    from bioanchors.estimate import Estimate

    n = check_n(n)
    seed = check_seed(seed)
    method = check_method(method)
    plan = compile_plan(output)
    if method in ("auto", "analytic"):
        if method == "analytic" or plan.forms.get(id(output.node)) is not None:
            mu, sigma = analytic_lognormal(plan)
            if sigma == 0.0:
                # A constant: evaluate it by plain arithmetic rather than exp(log(value)).
                value = draw(output, 1, seed=seed, plan=plan)
                return Estimate.from_samples(value, output.unit, n=n, seed=seed, method="analytic")
            return Estimate.from_lognormal(mu, sigma, output.unit, n=n, seed=seed)
        method = "mc"
    samples = draw(
        output, n, seed=seed, method=method, chunk_size=chunk_size, executor=executor, plan=plan
    )
    return Estimate.from_samples(samples, output.unit, n=n, seed=seed, method=method)
