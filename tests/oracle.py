"""A test oracle: an independent re-evaluation of an uncertain graph from its inputs' draws.

The engine (``bioanchors._engine``) compiles a graph into a register program and fuses
products of lognormals into ``exp(const + coefs . z)``. This module shares none of that: it
walks the graph itself and evaluates every operation with plain numpy, in extended precision
(``numpy.longdouble``: 64 mantissa bits and an exponent range of 1e+-4932 on x86-64), from the
sampled values of the graph's inputs alone. Those input values come from the same joint draw as
the engine's output (:func:`bioanchors._engine.draw.draw_many`), so both see the same numbers.

**Tolerance.** A fixed relative tolerance is wrong both ways: ``exp(x)`` with ``x ~ 700`` turns
a 1-ulp difference of ``x`` into a relative 1.5e-13 difference of the result, and ``a - b``
with ``a ~ b`` turns it into any relative difference at all. So the oracle carries, next to each
value, a first-order bound on how far a correct float64 evaluation may be from it
(``bound``), built by the textbook rules of error propagation:

* every input and constant ``v``: ``eps * (1 + |ln|v||) * |v|``, because the engine may fold
  it into a log-space product (``exp(sum of logs)``), where ``ln v`` carries half an ulp;
* ``a + b``: ``B(a) + B(b) + eps |v|``; ``a * b`` and ``a / b``: the relative bounds add;
* ``x ** p``, ``sqrt``: ``|p|`` times the relative bound of ``x``, plus the rounding of
  ``p ln x`` (a fused power is ``exp(p ln x)``); ``exp(x)``: relative ``B(x) + eps``;
  ``ln x``: absolute ``B(x) / |x|``; ``min``/``max``: the larger bound;

with ``eps = 2**-52`` (twice float64's unit roundoff, for the rounding of each step). A sample
agrees when ``|engine - oracle| <= SAFETY * bound`` with ``SAFETY = 8`` (the rules are first
order: second-order terms and the oracle's own extended-precision rounding, 2**-64 per step,
are covered by the factor). Samples whose relative bound exceeds ``ILL_CONDITIONED`` (1e-3)
are not compared: there the float64 answer has lost almost all its digits to cancellation
and no tolerance can tell right from wrong; they are counted in ``skipped``.

Mixtures of derived quantities (:class:`~bioanchors._graph.uncertain.Mix`) pick a component by a
draw of their own, which no input shows. For them the oracle reads the engine's mixture sample
from the same joint draw and checks that it equals (within the bound) one of its components'
values in that sample; the matched component's value and bound go on up the graph.

The inputs' own samples are checked too (:func:`check_marginals`): a Kolmogorov-Smirnov test
of each input's draws against its CDF, written again here from the distribution's parameters.

:func:`analytic_params` is the oracle of the closed form: ``(mu, sigma)`` of ``ln X`` for a
product, quotient and constant powers of lognormal inputs (independent or correlated) and
positive constants, derived again from the graph.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.draw import draw_many
from bioanchors._engine.options import check_method
from bioanchors._graph.distributions import (
    Distribution,
    Lognormal,
    Loguniform,
    Mixture,
    Normal,
    Point,
    Uniform,
)
from bioanchors._graph.uncertain import Apply, Leaf, Mix, Op, Uncertain, walk

__all__ = [
    "ILL_CONDITIONED",
    "SAFETY",
    "Comparison",
    "Disagreement",
    "OracleValues",
    "analytic_params",
    "check_marginals",
    "check_samples",
    "compare",
    "draw_inputs",
    "evaluate",
    "in_float_range",
    "inputs_of",
]

LongArray: TypeAlias = NDArray[np.longdouble]
FloatArray: TypeAlias = NDArray[np.float64]

EPS = 2.0**-52
SAFETY = 8.0
ILL_CONDITIONED = 1e-3
_FLOAT_MAX = np.longdouble(np.finfo(np.float64).max)
_FLOAT_TINY = np.longdouble(np.finfo(np.float64).tiny)


class Disagreement(AssertionError):
    """The engine and the oracle disagree (the message says where and by how much)."""


@dataclass
class OracleValues:
    """The oracle's value and error bound of every node, by ``id(node.node)``."""

    values: dict[int, LongArray] = field(default_factory=dict)
    bounds: dict[int, LongArray] = field(default_factory=dict)
    overflowed: NDArray[np.bool_] | None = None  # samples where some node left float range

    def of(self, item: Uncertain) -> tuple[LongArray, LongArray]:
        return self.values[id(item.node)], self.bounds[id(item.node)]


def inputs_of(output: Uncertain) -> tuple[list[Uncertain], list[Uncertain]]:
    """The random inputs (non-constant leaves) and the derived mixtures below ``output``."""
    leaves: list[Uncertain] = []
    mixes: list[Uncertain] = []
    for item in walk([output]):
        node = item.node
        if isinstance(node, Leaf) and not isinstance(node.dist, Point):
            leaves.append(item)
        elif isinstance(node, Mix):
            mixes.append(item)
    return leaves, mixes


def _log_rounding(values: LongArray) -> LongArray:
    """The bound of a value that may be read as ``exp(ln v)``: ``eps (1 + |ln|v||) |v|``."""
    magnitude = np.abs(values)
    with np.errstate(divide="ignore", invalid="ignore"):
        logs = np.where(magnitude > 0, np.abs(np.log(np.where(magnitude > 0, magnitude, 1))), 0)
    return np.asarray(EPS * (1 + logs) * magnitude, dtype=np.longdouble)


def _relative(value: LongArray, bound: LongArray) -> LongArray:
    magnitude = np.abs(value)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.asarray(
            np.where(magnitude > 0, bound / magnitude, np.where(bound > 0, np.inf, 0)),
            dtype=np.longdouble,
        )


def _apply(
    op: Op, param: float, args: list[tuple[LongArray, LongArray]]
) -> tuple[LongArray, LongArray]:
    """One operation on (value, bound) pairs, in extended precision."""
    (x, bx) = args[0]
    rx = _relative(x, bx)
    if op in (Op.ADD, Op.SUB):
        y, by = args[1]
        value = x + y if op is Op.ADD else x - y
        return value, bx + by + EPS * np.abs(value)
    if op in (Op.MUL, Op.DIV):
        y, by = args[1]
        value = x * y if op is Op.MUL else x / y
        return value, np.abs(value) * (rx + _relative(y, by) + EPS)
    if op is Op.POW:
        value = np.power(x, np.longdouble(param))
        return value, abs(param) * rx * np.abs(value) + _log_rounding(value)
    if op is Op.POW_UNCERTAIN:
        y, by = args[1]
        value = np.power(x, y)
        log_x = np.abs(np.log(np.abs(x)))
        return value, (np.abs(y) * rx + log_x * by) * np.abs(value) + _log_rounding(value)
    if op is Op.SQRT:
        value = np.sqrt(x)
        return value, 0.5 * rx * np.abs(value) + _log_rounding(value)
    if op is Op.SCALE:
        value = x * np.longdouble(param)
        scale_log = abs(math.log(abs(param))) if param != 0 else 0.0
        return value, np.abs(value) * (rx + EPS * (1 + scale_log))
    if op is Op.NEG:
        return -x, bx
    if op is Op.CHECK:  # the argument itself; the engine checks its domain
        return x, bx
    if op is Op.EXP:
        value = np.exp(x)
        return value, np.abs(value) * (bx + EPS)
    if op is Op.LOG:
        value = np.log(x)
        return value, rx + EPS * np.abs(value)
    if op is Op.LOG10:
        value = np.log10(x)
        return value, rx / math.log(10) + EPS * np.abs(value)
    if op in (Op.MIN, Op.MAX):
        y, by = args[1]
        value = np.minimum(x, y) if op is Op.MIN else np.maximum(x, y)
        return value, np.maximum(bx, by)
    raise AssertionError(f"the oracle does not know the operation {op!r}")


def evaluate(
    output: Uncertain,
    drawn: dict[int, FloatArray],
    n: int,
) -> OracleValues:
    """The oracle's values of every node below ``output``, from the drawn inputs.

    ``drawn`` maps ``id(node.node)`` of every random input (and every derived mixture) to its
    samples from the engine's joint draw. Raises :class:`Disagreement` when a mixture sample
    is none of its components' values.
    """
    result = OracleValues()
    with np.errstate(all="ignore"):
        for item in walk([output]):
            node = item.node
            key = id(node)
            if isinstance(node, Leaf):
                if isinstance(node.dist, Point):
                    value = np.full(n, np.longdouble(node.dist.value))
                else:
                    value = np.asarray(drawn[key], dtype=np.longdouble)
                result.values[key], result.bounds[key] = value, _log_rounding(value)
            elif isinstance(node, Mix):
                result.values[key], result.bounds[key] = _match_mixture(
                    item, node, drawn[key], result
                )
            else:
                assert isinstance(node, Apply)
                args = [result.of(arg) for arg in node.args]
                value, bound = _apply(node.op, node.param, args)
                result.values[key] = np.asarray(value, dtype=np.longdouble)
                result.bounds[key] = np.asarray(bound, dtype=np.longdouble)
            beyond = np.abs(result.values[key]) > _FLOAT_MAX
            result.overflowed = beyond if result.overflowed is None else result.overflowed | beyond
    return result


def _match_mixture(
    item: Uncertain, node: Mix[Uncertain], sampled: FloatArray, known: OracleValues
) -> tuple[LongArray, LongArray]:
    """Each mixture sample must be one of its components' values in the same sample."""
    engine = np.asarray(sampled, dtype=np.longdouble)
    best = np.full(engine.shape, np.inf, dtype=np.longdouble)
    value = np.full(engine.shape, np.nan, dtype=np.longdouble)
    bound = np.full(engine.shape, np.inf, dtype=np.longdouble)
    for component in node.components:
        candidate, candidate_bound = known.of(component)
        with np.errstate(divide="ignore", invalid="ignore"):
            distance = np.abs(engine - candidate) / np.maximum(candidate_bound, _FLOAT_TINY)
        distance = np.where(engine == candidate, 0, distance)
        closer = distance < best
        best = np.where(closer, distance, best)
        value = np.where(closer, candidate, value)
        bound = np.where(closer, candidate_bound, bound)
    bad = ~(best <= SAFETY)
    if bad.any():
        index = int(np.argmax(bad))
        options = [float(known.of(c)[0][index]) for c in node.components]
        raise Disagreement(
            f"mixture {item.describe()!r}: sample {index} is {float(engine[index])!r}, none of "
            f"its components' values {options}"
        )
    return value, bound


@dataclass(frozen=True)
class Comparison:
    """What :func:`check_samples` compared: how many samples, how many were too ill-conditioned
    to compare, and the largest relative difference among the compared ones."""

    compared: int
    skipped: int
    worst_relative: float


def in_float_range(values: LongArray) -> NDArray[np.bool_]:
    """Samples a float64 can hold with full precision (finite, zero or not below tiny)."""
    magnitude = np.abs(values)
    return np.asarray(
        np.isfinite(values)
        & (magnitude <= _FLOAT_MAX)
        & ((magnitude == 0) | (magnitude >= _FLOAT_TINY))
    )


def compare(
    engine: FloatArray,
    value: LongArray,
    bound: LongArray,
    what: str,
    excused: NDArray[np.bool_] | None = None,
) -> Comparison:
    """Assert that the engine's samples agree with the oracle's where the oracle is sure.

    Samples in ``excused`` are not compared (counted as skipped).
    """
    engine_long = np.asarray(engine, dtype=np.longdouble)
    relative = _relative(value, bound)
    usable = np.isfinite(value) & (relative <= ILL_CONDITIONED)
    if excused is not None:
        usable &= ~excused
    with np.errstate(invalid="ignore"):
        difference = np.abs(engine_long - value)
    agree = ~usable | (engine_long == value) | (difference <= SAFETY * bound)
    if not agree.all():
        index = int(np.argmax(~agree))
        raise Disagreement(
            f"{what}: sample {index}: engine {float(engine[index])!r}, oracle "
            f"{float(value[index])!r} (allowed difference {float(SAFETY * bound[index]):.3g}, "
            f"actual {float(difference[index]):.3g}); {int((~agree).sum())} of {agree.size} "
            "samples disagree"
        )
    with np.errstate(divide="ignore", invalid="ignore"):
        rel = np.where(usable & (value != 0), difference / np.abs(value), 0)
    worst = float(np.max(rel)) if rel.size else 0.0
    return Comparison(int(usable.sum()), int((~usable).sum()), worst)


def check_samples(
    output: Uncertain,
    n: int,
    *,
    seed: int = 0,
    method: str = "mc",
    excuse_overflow: bool = False,
    excuse_marginal: Callable[[Distribution], bool] | None = None,
) -> Comparison:
    """Draw ``output`` and its inputs jointly, re-evaluate it and compare, sample by sample.

    Returns what was compared; raises :class:`Disagreement` on a wrong sample. The engine's
    own refusals (its errors) propagate to the caller. ``excuse_overflow`` skips the samples
    in which some node's exact value lies beyond float range (a known engine bug: an
    intermediate inf that a later step turns into a finite, wrong number);
    ``excuse_marginal`` the inputs whose distribution it accepts (see :func:`check_marginals`).
    """
    leaves, mixes = inputs_of(output)
    extra = [*leaves, *mixes]
    joint = draw_many([output, *extra], n, seed=seed, method=check_method(method))
    drawn = {id(item.node): joint[1 + i] for i, item in enumerate(extra)}
    check_marginals(leaves, drawn, excuse_marginal)
    oracle = evaluate(output, drawn, n)
    value, bound = oracle.of(output)
    excused = oracle.overflowed if excuse_overflow else None
    return compare(joint[0], value, bound, f"output {output.describe()!r}", excused)


# -- the inputs' marginals ---------------------------------------------------------------------

MARGINAL_P = 1e-9
"""A Kolmogorov-Smirnov p-value below this fails :func:`check_marginals` (for correct samples
that happens once in a billion draws; this file's draws are seeded, so never at random)."""


_RESOLVED = 1e-9


def _cdf(dist: Distribution, x: LongArray) -> NDArray[np.float64] | None:
    """The distribution's CDF, written again from its parameters.

    None where the samples cannot be continuous: a constant, or a spread below a relative
    1e-9 of the location, where float rounding leaves only a few thousand distinct values."""
    from scipy.special import ndtr

    x64 = np.asarray(x, dtype=np.float64)
    with np.errstate(all="ignore"):
        if isinstance(dist, Normal):
            if dist.sd <= _RESOLVED * abs(dist.mean):
                return None
            return np.asarray(ndtr((x64 - dist.mean) / dist.sd), dtype=np.float64)
        if isinstance(dist, Lognormal):
            if dist.gsd - 1 <= _RESOLVED:
                return None
            z = (np.log(np.maximum(x64, 5e-324)) - math.log(dist.median)) / math.log(dist.gsd)
            return np.asarray(np.where(x64 > 0, ndtr(z), 0.0), dtype=np.float64)
        if isinstance(dist, Uniform):
            if dist.hi - dist.lo <= _RESOLVED * max(abs(dist.lo), abs(dist.hi)):
                return None
            half_width = dist.hi / 2 - dist.lo / 2
            return np.asarray(np.clip((x64 / 2 - dist.lo / 2) / half_width, 0, 1), dtype=np.float64)
        if isinstance(dist, Loguniform):
            if dist.hi / dist.lo - 1 <= _RESOLVED:
                return None
            span = math.log(dist.hi) - math.log(dist.lo)
            logs = np.log(np.maximum(x64, 5e-324))
            return np.asarray(np.clip((logs - math.log(dist.lo)) / span, 0, 1), dtype=np.float64)
        if isinstance(dist, Mixture):
            total = np.zeros(x64.shape)
            for weight, component in zip(dist.weights, dist.components, strict=True):
                part = _cdf(component, x)
                if part is None:
                    return None
                total += weight * part
            return total
    return None


def check_marginals(
    leaves: Sequence[Uncertain],
    drawn: dict[int, FloatArray],
    excuse: Callable[[Distribution], bool] | None = None,
) -> int:
    """Each input's samples must follow its distribution (a Kolmogorov-Smirnov test against the
    CDF written again here). Returns how many inputs were tested; ``excuse`` names
    distributions not to test (known bugs)."""
    from scipy import stats

    tested = 0
    for item in leaves:
        node = item.node
        assert isinstance(node, Leaf)
        if excuse is not None and excuse(node.dist):
            continue
        values = np.sort(np.asarray(drawn[id(node)], dtype=np.float64))
        if values.size < 64:
            continue
        cdf = _cdf(node.dist, values.astype(np.longdouble))
        if cdf is None:
            continue
        n = values.size
        upper = float(np.max(np.arange(1, n + 1) / n - cdf))
        lower = float(np.max(cdf - np.arange(0, n) / n))
        statistic = max(upper, lower)
        p = float(stats.kstwo.sf(statistic, n))
        if p < MARGINAL_P:
            raise Disagreement(
                f"input {item.describe()!r}: its {n} samples do not follow its distribution "
                f"(Kolmogorov-Smirnov D = {statistic:.3g}, p = {p:.2g}); samples "
                f"{values[:: max(1, n // 5)].tolist()}"
            )
        tested += 1
    return tested


def draw_inputs(
    output: Uncertain, n: int, *, seed: int = 0, method: str = "mc"
) -> dict[int, FloatArray]:
    """The random inputs' samples alone (a column does not depend on the rest of the graph)."""
    leaves, _ = inputs_of(output)
    if not leaves:
        return {}
    joint = draw_many(leaves, n, seed=seed, method=check_method(method))
    return {id(item.node): joint[i] for i, item in enumerate(leaves)}


# -- the closed form --------------------------------------------------------------------------


@dataclass(frozen=True)
class LogLinear:
    """``ln X = const + sum(coef * ln(input))`` over lognormal inputs, by id of their Leaf."""

    const: float
    coefs: dict[int, float]


def _log_linear(output: Uncertain) -> tuple[LogLinear | None, dict[int, Leaf]]:
    forms: dict[int, LogLinear | None] = {}
    leaves: dict[int, Leaf] = {}
    for item in walk([output]):
        node = item.node
        key = id(node)
        form: LogLinear | None = None
        if isinstance(node, Leaf):
            if isinstance(node.dist, Point):
                form = LogLinear(math.log(node.dist.value), {}) if node.dist.value > 0 else None
            elif isinstance(node.dist, Lognormal):
                leaves[key] = node
                form = LogLinear(0.0, {key: 1.0})
        elif isinstance(node, Apply):
            args = [forms[id(a.node)] for a in node.args]
            if all(a is not None for a in args):
                first = args[0]
                assert first is not None
                if node.op in (Op.MUL, Op.DIV):
                    second = args[1]
                    assert second is not None
                    sign = 1.0 if node.op is Op.MUL else -1.0
                    coefs = dict(first.coefs)
                    for k, c in second.coefs.items():
                        coefs[k] = coefs.get(k, 0.0) + sign * c
                    form = LogLinear(first.const + sign * second.const, coefs)
                elif node.op in (Op.POW, Op.SQRT):
                    p = node.param if node.op is Op.POW else 0.5
                    form = LogLinear(first.const * p, {k: c * p for k, c in first.coefs.items()})
                elif node.op is Op.SCALE and node.param > 0:
                    form = LogLinear(first.const + math.log(node.param), dict(first.coefs))
        forms[key] = form
    return forms[id(output.node)], leaves


def analytic_params(output: Uncertain) -> tuple[float, float] | None:
    """``(mu, sigma)`` of ``ln output`` when it is a product of lognormals and constants."""
    form, leaves = _log_linear(output)
    if form is None:
        return None
    mu = form.const
    terms: list[tuple[Leaf, float]] = []
    for key, coef in form.coefs.items():
        leaf = leaves[key]
        assert isinstance(leaf.dist, Lognormal)
        mu += coef * math.log(leaf.dist.median)
        terms.append((leaf, coef * math.log(leaf.dist.gsd)))
    variance = 0.0
    for leaf_a, a in terms:
        for leaf_b, b in terms:
            variance += a * b * _correlation(leaf_a, leaf_b)
    return mu, math.sqrt(max(variance, 0.0))


def _correlation(a: Leaf, b: Leaf) -> float:
    if a is b:
        return 1.0
    if a.group is not None and a.group is b.group:
        return float(a.group.matrix[a.group_index][b.group_index])
    return 0.0
