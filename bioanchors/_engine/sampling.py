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
``concurrent.futures.Executor`` (threads or processes: a task is a picklable :class:`Program`
and a few numbers) and give the same numbers.

An estimate of more than ``max_in_memory`` samples is *streamed*: each chunk is reduced where it
is evaluated (in the worker, for an executor) to a :class:`Histogram`, and
the chunks' histograms are merged, so memory and inter-process traffic stay small whatever
``n`` is. Merging adds integer counts, so the result is identical for any executor.
"""

from __future__ import annotations

import functools
import itertools
import math
import numbers
import warnings
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, Literal, TypeAlias, TypeVar

import numpy as np
from numpy.typing import NDArray

from bioanchors._graph.checks import warn_if_negative
from bioanchors._graph.distributions import Distribution, Point, ndtri
from bioanchors._graph.uncertain import (
    DomainCheck,
    Leaf,
    Mix,
    Op,
    StreamKey,
    Uncertain,
    children,
    digest,
    walk,
)
from bioanchors._results.estimate import Estimate, Histogram
from bioanchors._typing import METHODS
from bioanchors.errors import (
    AnalyticUnavailableError,
    InvalidInputError,
    OutOfRangeError,
    SamplingError,
)

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors._graph.inputs import CorrelationGroup

__all__ = [
    "DEFAULT_CHUNK_SIZE",
    "DEFAULT_MAX_IN_MEMORY",
    "MAX_SAMPLES",
    "METHODS",
    "Plan",
    "Progress",
    "compile_plan",
    "draw",
    "draw_many",
    "execute",
    "run_estimate",
]

FloatArray: TypeAlias = NDArray[np.float64]
Method: TypeAlias = Literal["auto", "analytic", "mc", "qmc"]
DEFAULT_CHUNK_SIZE = 1 << 20
"""Most samples per chunk: 8 MiB per array, a few arrays alive at once."""
SCORE_BYTES = 1 << 26
"""Memory for one chunk's normal scores (64 MiB): a graph of many random inputs gets smaller
chunks (1,000 inputs: 8,192 samples a chunk), so memory is bounded by bytes, not samples."""
DEFAULT_MAX_IN_MEMORY = 1 << 24
"""Largest ``n`` an estimate keeps in memory (128 MiB); above it the estimate is streamed."""


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
    check: DomainCheck | None = None


@dataclass(frozen=True)
class Stream:
    """Where some columns of normal scores come from in Monte Carlo.

    An independent input (``factor`` None) fills its one column from its own random stream;
    a correlated group draws all its members' scores from the group's stream, multiplies them
    by the Cholesky ``factor`` of the whole group, and the graph reads the rows ``positions``
    (the members it holds) into ``columns``. A member's scores therefore do not depend on
    which other members a graph holds.
    """

    key: StreamKey
    columns: tuple[int, ...]
    factor: FloatArray | None = None
    positions: tuple[int, ...] = ()


@dataclass(frozen=True)
class Program:
    """The picklable, unit-free part of a plan: what a worker needs to evaluate chunks."""

    dimension: int
    groups: tuple[tuple[FloatArray, tuple[int, ...]], ...]  # Cholesky factor, its columns
    instructions: tuple[Instruction, ...]
    outputs: tuple[int, ...]
    streams: tuple[Stream, ...] = ()


@dataclass
class Plan:
    """A graph compiled for evaluation: columns for random inputs, log forms where they exist.

    The evaluation :attr:`program` is compiled on first use: a closed-form answer needs none.
    """

    outputs: tuple[Uncertain, ...]
    columns: dict[int, int]  # id(Leaf or Mix node) -> column of normal scores
    groups: list[tuple[FloatArray, list[int]]]  # correlation matrix of some columns, the columns
    forms: dict[int, LogForm | None]  # id(node) -> log form or None
    blocker: dict[int, str]  # id(node) -> why it has no log form (first reason)
    order: list[Uncertain] = field(repr=False)  # every node, inputs first

    @functools.cached_property
    def program(self) -> Program:
        return _compile_program(self.order, self.outputs, self.columns, self.forms, self.groups)

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
    return Plan(roots, columns, groups, forms, blocker, order)


def _streams(order: list[Uncertain], columns: dict[int, int]) -> tuple[Stream, ...]:
    """Where each column's Monte Carlo scores come from: its input's stream, or its group's."""
    own: list[Stream] = []
    grouped: dict[int, tuple[CorrelationGroup, list[int], list[int]]] = {}
    for item in order:
        node = item.node
        column = columns.get(id(node))
        if column is None:
            continue
        if isinstance(node, Leaf) and node.group is not None:
            entry = grouped.setdefault(id(node.group), (node.group, [], []))
            entry[1].append(node.group_index)
            entry[2].append(column)
        else:
            assert isinstance(node, Leaf | Mix)
            own.append(Stream(node.key, (column,)))
    return (
        *own,
        *(
            Stream(
                group.key,
                tuple(cols),
                cholesky(group.sub_matrix(range(group.size))),
                tuple(positions),
            )
            for group, positions, cols in grouped.values()
        ),
    )


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
            drafts.append(
                Instruction("apply", target, args, op=node.op, param=node.param, check=node.check)
            )
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
    return Program(len(columns), factors, instructions, outputs, _streams(order, columns))


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
    if node.op is Op.CHECK:
        return None, "a domain check on a derived argument (checked sample by sample)"
    return None, f"operation {node.op.value!r}"


# -- validation -------------------------------------------------------------------------------


MAX_SAMPLES = 10**12
"""The largest number of samples any call accepts: far above real use (a streamed estimate
of 1e12 samples takes hours), low enough that no request can exhaust memory by its count."""


def check_n(n: object, what: str = "n") -> int:
    if isinstance(n, bool) or not isinstance(n, numbers.Integral):
        if isinstance(n, float) and n.is_integer() and n >= 1:
            n = int(n)
        else:
            raise SamplingError(f"{what} must be a whole number of samples >= 1, got {n!r}")
    if int(n) < 1:
        raise SamplingError(f"{what} must be >= 1, got {n!r}")
    if int(n) > MAX_SAMPLES:
        raise SamplingError(f"{what} must be at most {MAX_SAMPLES:.0e}, got {n!r}")
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
        return _mc_scores(program.streams, d, seed, size, chunk)
    else:
        from scipy.stats import qmc

        # The scrambling depends on the seed and on which inputs the graph holds: two graphs
        # of different inputs get independent designs (not one design's same column).
        engine = qmc.Sobol(d, scramble=True, rng=np.random.default_rng(_qmc_seed(program, seed)))
        if start:
            skip_sobol(engine, start)
        with warnings.catch_warnings():
            # Sobol points are balanced for powers of 2; other n still work, a bit less evenly.
            warnings.simplefilter("ignore", UserWarning)
            u = engine.random(size)
        tiny = np.finfo(np.float64).eps / 4
        z = np.ascontiguousarray(ndtri(np.clip(u, tiny, 1.0 - tiny)).T)
    for factor, cols in program.groups:
        z[list(cols)] = factor @ z[list(cols)]
    return z


def _mc_scores(streams: tuple[Stream, ...], d: int, seed: int, size: int, chunk: int) -> FloatArray:
    """Monte Carlo scores: every stream draws from ``SeedSequence(seed, (*key, chunk))``.

    A column is a function of the seed, its input's key and the chunk alone, so separate
    calls with one seed draw independent inputs independently and shared inputs alike.
    """
    z = np.empty((d, size))
    for stream in streams:
        sequence = np.random.SeedSequence(seed, spawn_key=(*stream.key, chunk))
        generator = np.random.Generator(np.random.PCG64(sequence))
        if stream.factor is None:
            generator.standard_normal(size, out=z[stream.columns[0]])
        else:
            block = generator.standard_normal((stream.factor.shape[0], size))
            # The whole group's product, then its rows: bit for bit the same whichever
            # members a graph holds.
            z[list(stream.columns)] = (stream.factor @ block)[list(stream.positions)]
    return z


def _qmc_seed(program: Program, seed: int) -> np.random.SeedSequence:
    keys = tuple(key for stream in program.streams for key in (*stream.key, len(stream.columns)))
    return np.random.SeedSequence(seed, spawn_key=(digest(keys),))


def skip_sobol(engine: Any, count: int) -> None:
    """``engine.fast_forward(count)`` for a fresh scipy Sobol engine, in O(log count) steps.

    scipy steps through every skipped point (O(count)), which makes chunk ``k`` of a QMC run cost
    O(k) and a run of many chunks quadratic. A Sobol point is the XOR of the direction numbers
    picked by the Gray code of its index, so the state after ``count`` points can be set
    directly. This reads scipy's private state (``_sv``, ``_shift``, ``_quasi``): if that is
    missing, fall back to ``fast_forward`` (a test checks both agree bit for bit).
    """
    try:
        directions, quasi = engine._sv, engine._shift.copy()
        engine._quasi  # noqa: B018  (the state we are about to set must exist)
    except AttributeError:
        engine.fast_forward(count)
        return
    if engine.num_generated != 0:
        raise ValueError("skip_sobol needs a fresh engine")
    last = count - 1  # the engine's state is the last point it produced
    gray, bit = last ^ (last >> 1), 0
    while gray:
        if gray & 1:
            quasi ^= directions[:, bit]
        gray >>= 1
        bit += 1
    engine._quasi = quasi
    engine.num_generated = count


_BINARY: dict[Op, Callable[..., FloatArray]] = {
    Op.ADD: np.add,
    Op.SUB: np.subtract,
    Op.MUL: np.multiply,
    Op.DIV: np.divide,
    Op.POW_UNCERTAIN: np.power,
    Op.MIN: np.minimum,
    Op.MAX: np.maximum,
}
_UNARY: dict[Op, Callable[..., FloatArray]] = {
    Op.NEG: np.negative,
    Op.SQRT: np.sqrt,
    Op.EXP: np.exp,
    Op.LOG: np.log,
    Op.LOG10: np.log10,
}


def execute(program: Program, z: FloatArray) -> list[FloatArray]:
    """Values of the program's outputs for one block of normal scores (``d x size``).

    Constants stay 0-d arrays that broadcast (no array of ``size`` copies of one number);
    every output comes back as a full array of ``size`` values. An intermediate array that no
    later step reads is written over by the next result instead of being freed and a new one
    allocated: fresh multi-megabyte arrays cost page faults, several times the arithmetic.
    """
    size = z.shape[1]
    registers: dict[int, FloatArray] = {}
    spare: list[FloatArray] = []  # owned, full-size arrays that no register holds any more
    for step in program.instructions:
        args = [registers[a] for a in step.args]
        freed = [registers.pop(r) for r in step.release]
        reusable = [a for a in freed if _owned(a, size)]
        if step.kind == "form":
            assert step.form is not None
            result = _from_form(step.form, z, _take(reusable, spare))
        elif step.kind == "leaf":
            assert step.dist is not None
            if isinstance(step.dist, Point):
                result = np.asarray(step.dist.value, dtype=np.float64)
            else:
                result = step.dist.from_scores(z[step.column])
        elif step.kind == "mix":
            # The first component may be overwritten in place; no other argument may.
            mine = [i for i, a in enumerate(reusable) if a is args[0]]
            out = reusable.pop(mine[0]) if mine else (spare.pop() if spare else None)
            result = _mix(step.weights, args, z[step.column], out)
        elif step.check is not None:
            # A copy: the argument's register may live on, and registers never share arrays.
            result = np.array(args[0], dtype=np.float64)
            bad = step.check.violations(np.asarray(result))
            if bad.any():
                example = float(np.asarray(result)[np.argmax(bad)] if np.ndim(result) else result)
                raise InvalidInputError(
                    f"{step.check.label}, but {int(np.count_nonzero(bad))} of {bad.size} "
                    f"sampled values do not (for example {example:.4g})"
                )
        else:
            assert step.op is not None
            # Elementwise, so the output may be one of the arguments read in this very step.
            full = any(np.shape(a) == (size,) for a in args)
            out = _take(reusable, spare) if full else None
            result = _apply(step.op, step.param, args, out)
        spare.extend(a for a in reusable if a is not result)
        registers[step.target] = result
    outputs = [registers[output] for output in program.outputs]
    return [
        value if np.shape(value) == (size,) else np.full(size, value, dtype=np.float64)
        for value in outputs
    ]


def _owned(array: FloatArray, size: int) -> bool:
    """An array the evaluation made itself (not a view of the scores) of the full size."""
    return array.shape == (size,) and array.base is None and array.dtype == np.float64


def _take(reusable: list[FloatArray], spare: list[FloatArray]) -> FloatArray | None:
    """An array to write the next result into, if one is free."""
    if reusable:
        return reusable.pop()
    return spare.pop() if spare else None


def _from_form(form: LogForm, z: FloatArray, out: FloatArray | None = None) -> FloatArray:
    if not form.coefs:
        return np.asarray(math.exp(form.const), dtype=np.float64)
    cols = sorted(form.coefs)
    coefs = np.array([form.coefs[c] for c in cols], dtype=np.float64)
    log_value = np.empty(z.shape[1]) if out is None else out
    if len(cols) == 1:
        np.multiply(z[cols[0]], coefs[0], out=log_value)
    elif cols[-1] - cols[0] == len(cols) - 1:  # adjacent rows: a view, no copy
        np.dot(coefs, z[cols[0] : cols[-1] + 1], out=log_value)
    else:
        np.dot(coefs, z[cols], out=log_value)
    log_value += form.const
    np.exp(log_value, out=log_value)
    return log_value


def _apply(
    op: Op, param: float, args: list[FloatArray], out: FloatArray | None = None
) -> FloatArray:
    result: FloatArray
    if op is Op.POW:
        result = np.power(args[0], param, out=out)
    elif op is Op.SCALE:
        result = np.multiply(args[0], param, out=out)
    elif op in _BINARY:
        result = _BINARY[op](args[0], args[1], out=out)
    else:
        result = _UNARY[op](args[0], out=out)
    return result


def _mix(
    weights: tuple[float, ...],
    components: list[FloatArray],
    z: FloatArray,
    out: FloatArray | None = None,
) -> FloatArray:
    """Component ``i`` where ``Phi(z)`` falls in the ``i``-th slice of the cumulative weights.

    Compared in z space (``z >= Phi^-1(c)`` rather than ``Phi(z) >= c``): one comparison per
    component boundary instead of a normal CDF per sample.
    """
    thresholds = ndtri(np.cumsum(weights)[:-1])
    result = np.empty(z.shape) if out is None else out
    if result is not components[0]:
        result[...] = components[0]  # a new array even with a single component
    for threshold, component in zip(thresholds, components[1:], strict=True):
        np.putmask(result, z >= threshold, component)
    return result


def evaluate_chunk(
    program: Program, method: str, seed: int, start: int, size: int, chunk: int
) -> FloatArray:
    """Samples ``start .. start+size`` of the outputs (``outputs x size``): a pure function."""
    z = _scores(program, method, seed, start, size, chunk)
    flagged: list[str] = []
    with np.errstate(
        all="ignore", under="call", over="call", call=lambda kind, _flag: flagged.append(kind)
    ):
        outputs = execute(program, z)
    del z
    values = outputs[0][np.newaxis] if len(outputs) == 1 else np.stack(outputs)
    finite = np.isfinite(values)
    if not finite.all():
        raise SamplingError(
            f"{values.size - int(finite.sum())} of {values.size} sampled values are not finite "
            "(a division by zero, the log or square root of a negative number, or an overflow); "
            "check that each input's range suits the formula"
        )
    if "overflow" in flagged:
        # A step went beyond float range: even where a later step brought the value back (1 /
        # inf is 0), the samples lost their value.
        raise OutOfRangeError(
            "a step of the computation overflowed beyond the largest float (1.8e308) before "
            "reaching the output (1 / inf reads as 0); rescale the inputs (another unit, say) "
            "so that every step stays in float range"
        )
    if "underflow" in flagged:
        # Some step fell below the smallest normal float. Where that left zeros or subnormal
        # numbers in an output, those samples lost their value (0 instead of 1e-400, say).
        count = int(np.count_nonzero(np.abs(values) < np.finfo(np.float64).tiny))
        if count:
            raise OutOfRangeError(
                f"{count} of {values.size} sampled values underflowed below the smallest float "
                "(2.2e-308) and would read as 0; rescale the inputs (a larger unit, say) so "
                "that the result stays in float range"
            )
    return values


ChunkTask: TypeAlias = tuple[Program, str, int, int, int, int]
"""``(program, method, seed, start, size, chunk)``: one chunk's work, picklable."""


def _chunk_task(args: ChunkTask) -> FloatArray:
    return evaluate_chunk(*args)


def _histogram_task(args: ChunkTask) -> Histogram:
    """One chunk of a streamed estimate, reduced where it ran: only the summary travels back."""
    return Histogram.of(evaluate_chunk(*args)[0])


@dataclass(frozen=True)
class ChunkTasks:
    """The independent pieces of work for ``n`` samples, made one at a time as asked for:
    nothing proportional to the number of chunks is built."""

    program: Program
    n: int
    seed: int
    method: str
    size: int

    def __len__(self) -> int:
        return -(-self.n // self.size)

    def __iter__(self) -> Iterator[ChunkTask]:
        for index, start in enumerate(range(0, self.n, self.size)):
            yield (
                self.program,
                self.method,
                self.seed,
                start,
                min(self.size, self.n - start),
                index,
            )


def chunk_tasks(
    program: Program, n: int, seed: int, method: str, chunk_size: int | None
) -> ChunkTasks:
    """The independent pieces of work for ``n`` samples (every sampling run makes them)."""
    check_dimension(program, method)
    if chunk_size is None:
        by_bytes = SCORE_BYTES // (8 * max(1, program.dimension))
        size = max(1024, min(DEFAULT_CHUNK_SIZE, by_bytes))
    else:
        size = check_n(chunk_size, "chunk_size")
    return ChunkTasks(program, n, seed, method, min(size, n))


def _mapped(
    function: Callable[[ChunkTask], T], tasks: ChunkTasks, executor: Executor | None
) -> Iterator[T]:
    """``function`` over the tasks, in order; an executor gets a bounded window at a time
    (``Executor.map`` would submit every task at once)."""
    if executor is None or len(tasks) == 1:
        yield from map(function, tasks)
        return
    iterator = iter(tasks)
    while window := list(itertools.islice(iterator, _WINDOW)):
        yield from executor.map(function, window)


_WINDOW = 32  # chunks in flight on an executor: enough to keep workers busy


Progress: TypeAlias = Callable[[int, int], None]
"""Called as ``progress(chunks_done, chunks_total)`` after each chunk of a sampling run."""


T = TypeVar("T")


def _reporting(parts: Iterable[T], total: int, progress: Progress | None) -> Iterator[T]:
    for done, part in enumerate(parts, start=1):
        yield part
        if progress is not None:
            progress(done, total)


def draw(
    output: Uncertain,
    n: int,
    *,
    seed: int = 0,
    method: str = "mc",
    chunk_size: int | None = None,
    executor: Executor | None = None,
    plan: Plan | None = None,
    progress: Progress | None = None,
) -> FloatArray:
    """``n`` samples of ``output`` (magnitudes in its unit), in chunks of ``chunk_size``."""
    samples: FloatArray = draw_many(
        [output],
        n,
        seed=seed,
        method=method,
        chunk_size=chunk_size,
        executor=executor,
        plan=plan,
        progress=progress,
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
    progress: Progress | None = None,
) -> FloatArray:
    """Joint samples of several quantities (``len(outputs) x n``): shared inputs, same draws."""
    n = check_n(n)
    seed = check_seed(seed)
    method = check_method(method, ("mc", "qmc"))
    plan = compile_plan(outputs) if plan is None else plan
    tasks = chunk_tasks(plan.program, n, seed, method, chunk_size)
    if len(tasks) == 1:
        return _chunk_task(next(iter(tasks)))
    try:
        samples = np.empty((len(plan.program.outputs), n))
    except MemoryError:
        raise SamplingError(
            f"{n} samples of {len(plan.program.outputs)} quantities do not fit in memory; "
            "use .estimate(), which streams large n in bounded memory"
        ) from None
    reported = _reporting(_mapped(_chunk_task, tasks, executor), len(tasks), progress)
    for (_, _, _, start, size, _), part in zip(tasks, reported, strict=True):
        samples[:, start : start + size] = part  # each chunk is freed once copied
    return samples


def analytic_lognormal(plan: Plan) -> tuple[float, float]:
    """``(mu, sigma)`` of ``ln(output)`` when the graph has a closed form, else an error."""
    key = id(plan.outputs[0].node)
    form = plan.forms.get(key)
    if form is None:
        culprit = _first_blocker(plan)
        raise AnalyticUnavailableError(*culprit)
    if not form.coefs:
        return form.const, 0.0
    largest = max(abs(a) for a in form.coefs.values())
    if largest == 0.0:  # x / x, x ** 0: the inputs cancel
        return form.const, 0.0
    # Coefficients whose squares would overflow (powers like 1e200) are scaled by the largest
    # first; ordinary ones are not, so that the arithmetic, and its last digit, is unchanged.
    scale = largest if largest > 1e150 else 1.0
    if not plan.groups:  # independent inputs: the variances add
        return form.const, scale * math.sqrt(
            math.fsum((a / scale) ** 2 for a in form.coefs.values())
        )
    cols = list(form.coefs)
    coefs = np.array([form.coefs[c] for c in cols]) / scale
    corr = plan.correlation()[np.ix_(cols, cols)]
    variance = float(coefs @ corr @ coefs)
    return form.const, scale * math.sqrt(max(variance, 0.0))


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
    max_in_memory: int | None = None,
    progress: Progress | None = None,
) -> Estimate:
    """Compute an :class:`~bioanchors.Estimate` of ``output``.

    Up to ``max_in_memory`` samples (default :data:`DEFAULT_MAX_IN_MEMORY`, 2**24) are kept and
    every answer is exact for them. Above it the estimate is streamed: each chunk is reduced to
    a :class:`~bioanchors._results.summaries.Histogram` where it is evaluated and only the merged
    histogram is kept (``samples`` is None), so memory does not grow with ``n``; percentiles are
    then within a relative ``2**-10`` (0.1 %) of those of the same samples held in memory, the
    mean is exact up to rounding and ``prob_above`` is exact outside one histogram bin.

    >>> import bioanchors as ba
    >>> x = ba.normal(10, 2, "s") * ba.lognormal(1, 1.5)
    >>> kept = run_estimate(x, 200_000, seed=1, chunk_size=50_000)
    >>> streamed = run_estimate(x, 200_000, seed=1, chunk_size=50_000, max_in_memory=100_000)
    >>> streamed.streamed, streamed.samples is None
    (True, True)
    >>> abs(streamed.percentile(95) / kept.percentile(95) - 1) < 2**-10
    True
    """
    n = check_n(n)
    seed = check_seed(seed)
    method = check_method(method)
    limit = (
        DEFAULT_MAX_IN_MEMORY if max_in_memory is None else check_n(max_in_memory, "max_in_memory")
    )
    plan = compile_plan(output)
    if method in ("auto", "analytic"):
        if method == "analytic" or plan.forms.get(id(output.node)) is not None:
            mu, sigma = analytic_lognormal(plan)
            if sigma == 0.0:
                # A constant: evaluate it by plain arithmetic rather than exp(log(value)).
                value = draw(output, 1, seed=seed, plan=plan)
                constant = Estimate.from_samples(
                    value, output.unit, n=n, seed=seed, method="analytic"
                )
                return constant.with_source(output)
            exact = Estimate.from_lognormal(mu, sigma, output.unit, n=n, seed=seed)
            return exact.with_source(output)
        method = "mc"
    try:
        if n > limit:
            tasks = chunk_tasks(plan.program, n, seed, method, chunk_size)
            parts = _mapped(_histogram_task, tasks, executor)
            histogram = Histogram.merged(_reporting(parts, len(tasks), progress))
            result = Estimate.from_histogram(histogram, output.unit, n=n, seed=seed, method=method)
            lowest = histogram.minimum
        else:
            samples = draw(
                output,
                n,
                seed=seed,
                method=method,
                chunk_size=chunk_size,
                executor=executor,
                plan=plan,
                progress=progress,
            )
            lowest = float(samples.min())
            result = Estimate.from_samples(
                samples, output.unit, n=n, seed=seed, method=method, copy=False
            )
    except (InvalidInputError, SamplingError) as error:
        # Name the quantity: in a scenario, the step whose estimate failed.
        raise type(error)(f"estimate of {output.describe()!r}: {error}") from None
    warn_if_negative(output, lowest, n)
    return result.with_source(output)


_SOBOL_MAX_DIMENSION = 21201  # scipy's table of Sobol direction numbers


def check_dimension(program: Program, method: str) -> None:
    """Refuse QMC beyond the dimensions scipy's Sobol engine has direction numbers for."""
    if method == "qmc" and program.dimension > _SOBOL_MAX_DIMENSION:
        raise SamplingError(
            f"method='qmc' supports at most {_SOBOL_MAX_DIMENSION} random inputs (scipy's "
            f"Sobol tables); this graph has {program.dimension}: use method='mc'"
        )
