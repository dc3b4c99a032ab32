"""A graph compiled for evaluation (:class:`Plan`), and its closed form when it has one.

:func:`compile_plan` gives every random input (and every mixture) a column of normal scores,
collects the correlation matrices of correlated inputs and finds each node's log form
(:mod:`bioanchors._engine.logform`). The register :attr:`Plan.program` is compiled on first
use: a closed-form answer (:func:`analytic_lognormal`, ``ln(output) ~ Normal(mu, sigma)``)
needs none.
"""

from __future__ import annotations

import functools
import math
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.fold import fold_constants
from bioanchors._engine.logform import LogForm, log_form
from bioanchors._engine.program import Program, compile_program
from bioanchors._graph.distributions import Point
from bioanchors._graph.uncertain import Leaf, Mix, Uncertain, walk
from bioanchors.errors import AnalyticUnavailableError

if TYPE_CHECKING:
    from bioanchors._graph.inputs import CorrelationGroup
    from bioanchors._graph.streams import StreamKey

__all__ = ["Plan", "analytic_lognormal", "compile_plan", "has_closed_form"]

FloatArray: TypeAlias = NDArray[np.float64]

PLAN_CACHE_SIZE = 32
"""How many compiled plans :func:`compile_plan` remembers (the most recently compiled)."""
PLAN_CACHE_WEIGHT = 1 << 22
"""Most machine words (32 MiB) the remembered plans may hold together (see :func:`_weight`)."""


@dataclass
class Plan:
    """A graph compiled for evaluation: columns for random inputs, log forms where they exist.

    The evaluation :attr:`program` is compiled on first use (a closed-form answer needs none),
    its constant steps folded (:mod:`bioanchors._engine.fold`).
    """

    outputs: tuple[Uncertain, ...]
    columns: dict[int, int]  # id(Leaf or Mix node) -> column of normal scores
    groups: list[tuple[FloatArray, list[int]]]  # correlation matrix of some columns, the columns
    forms: dict[int, LogForm | None]  # id(node) -> log form or None
    blocker: dict[int, str]  # id(node) -> why it has no log form (first reason)
    order: list[Uncertain] = field(repr=False)  # every node, inputs first

    @functools.cached_property
    def program(self) -> Program:
        program = compile_program(self.order, self.outputs, self.columns, self.forms, self.groups)
        return fold_constants(program)

    @property
    def dimension(self) -> int:
        """How many columns of normal scores (inputs sharing a stream share one)."""
        return len(set(self.columns.values()))

    def correlation(self) -> FloatArray:
        """The full correlation matrix of the normal-score columns."""
        corr = np.eye(self.dimension)
        for matrix, cols in self.groups:
            corr[np.ix_(cols, cols)] = matrix
        return corr


def compile_plan(outputs: Uncertain | Sequence[Uncertain]) -> Plan:
    """Assign columns to the graph's random inputs and find its log-linear sub-graphs.

    Several outputs share one plan (and so one draw of every input they have in common).
    The plans of the last :data:`PLAN_CACHE_SIZE` output tuples are remembered by the
    identity of the outputs (a plan holds its outputs, so their ids cannot be reused while
    it is remembered): estimating one quantity again compiles nothing. Two equal-looking
    graphs of different nodes are different objects, so they never share a plan.
    """
    roots = (outputs,) if isinstance(outputs, Uncertain) else tuple(outputs)
    key = tuple(map(id, roots))
    cached = _plans.get(key)
    if cached is not None and all(a is b for a, b in zip(cached.outputs, roots, strict=True)):
        return cached
    plan = _compiled(roots)
    weight = _weight(plan)
    if weight > PLAN_CACHE_WEIGHT:
        return plan  # too large to keep: compiling it is a small part of evaluating it
    with _plans_lock:
        _plans.pop(key, None)
        while _plans and (
            len(_plans) >= PLAN_CACHE_SIZE
            or sum(map(_weight, _plans.values())) + weight > PLAN_CACHE_WEIGHT
        ):
            _plans.pop(next(iter(_plans)))  # the oldest
        _plans[key] = plan
    return plan


def _weight(plan: Plan) -> int:
    """About how many machine words a plan and its program hold (nodes, correlation
    matrices twice: the plan's and their Cholesky factors)."""
    return len(plan.order) * 16 + sum(2 * matrix.size for matrix, _ in plan.groups)


def _compiled(roots: tuple[Uncertain, ...]) -> Plan:
    columns: dict[int, int] = {}
    forms: dict[int, LogForm | None] = {}
    blocker: dict[int, str] = {}
    order = walk(roots)
    # Per correlated group: its members' positions in the group and their columns. A graph may
    # hold only some members; their principal sub-matrix is still a valid correlation matrix.
    grouped: dict[int, tuple[CorrelationGroup, list[int], list[int]]] = {}
    # Inputs that draw from one stream are one random variable: Monte Carlo gives them the
    # same scores, so the closed form and QMC must give them one column too.
    by_stream: dict[StreamKey, int] = {}
    count = 0
    for item in order:
        node = item.node
        key = id(node)
        if (isinstance(node, Leaf) and not isinstance(node.dist, Point)) or isinstance(node, Mix):
            if isinstance(node, Leaf) and node.group is not None:
                columns[key], count = count, count + 1
            elif node.key in by_stream:
                columns[key] = by_stream[node.key]
            else:
                columns[key] = by_stream[node.key] = count
                count += 1
        if isinstance(node, Leaf) and node.group is not None:
            entry = grouped.setdefault(id(node.group), (node.group, [], []))
            entry[1].append(node.group_index)
            entry[2].append(columns[key])
        forms[key], reason = log_form(item, columns, forms)
        if reason is not None:
            blocker[key] = reason
    groups = [(group.sub_matrix(positions), cols) for group, positions, cols in grouped.values()]
    return Plan(roots, columns, groups, forms, blocker, order)


_plans: dict[tuple[int, ...], Plan] = {}
_plans_lock = threading.Lock()


def analytic_lognormal(plan: Plan) -> tuple[float, float]:
    """``(mu, sigma)`` of ``ln(output)`` when the graph has a closed form, else an
    :class:`~bioanchors.errors.AnalyticUnavailableError` naming the node that prevents it."""
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


def has_closed_form(plan: Plan) -> bool:
    """True when the (first) output is a product of lognormals and constants."""
    return plan.forms.get(id(plan.outputs[0].node)) is not None


def _first_blocker(plan: Plan) -> tuple[str, str]:
    for item in walk(plan.outputs):
        reason = plan.blocker.get(id(item.node))
        if reason is not None:
            return item.describe(), reason
    return plan.outputs[0].describe(), "an operation outside products and powers"
