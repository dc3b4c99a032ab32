"""The register program a graph compiles to: small frozen steps, picklable, unit-free.

A :class:`Program` is what a worker needs to evaluate chunks: the number of normal-score
columns, the Cholesky factors of correlated columns, where each column's Monte Carlo scores
come from (:class:`Stream`) and a list of steps. Each step writes register ``target`` from the
registers ``args`` and names the registers no later step reads (``release``), so that the
interpreter (:mod:`bioanchors._engine.interpret`) can write over them. The steps:

* :class:`FormStep`: ``exp(const + coefs . z[cols])``, a whole log-linear sub-graph;
* :class:`ConstantStep`: a point value (a 0-d array that broadcasts);
* :class:`LeafStep`: a distribution read from one column of scores;
* :class:`MixStep`: pick among ``args`` by one column of scores;
* :class:`ApplyStep`: an operation on ``args``;
* :class:`CheckStep`: the argument itself, after checking its samples lie in a domain.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.logform import LogForm
from bioanchors._graph.distributions import Distribution, Point
from bioanchors._graph.uncertain import (
    DomainCheck,
    Leaf,
    Mix,
    Op,
    StreamKey,
    Uncertain,
    children,
)

if TYPE_CHECKING:
    from bioanchors._graph.inputs import CorrelationGroup

__all__ = [
    "ApplyStep",
    "CheckStep",
    "ConstantStep",
    "FormStep",
    "Instruction",
    "LeafStep",
    "MixStep",
    "Program",
    "Stream",
    "cholesky",
    "compile_program",
]

FloatArray: TypeAlias = NDArray[np.float64]


@dataclass(frozen=True, kw_only=True)
class _Step:
    target: int
    args: tuple[int, ...] = ()
    release: tuple[int, ...] = ()  # registers no later step reads


@dataclass(frozen=True, kw_only=True)
class FormStep(_Step):
    """``exp(form.const + form.coefs . z[cols])``."""

    form: LogForm

    @functools.cached_property
    def terms(self) -> tuple[tuple[int, ...], FloatArray]:
        """The form's columns in its own order (its graph's, not by number: the same
        sub-graph sums alike in every plan it is compiled into, so its numbers are the same to
        the last bit) and their coefficients; worked out once per step, not once per block."""
        coefs = self.form.coefs
        columns = tuple(coefs)
        return columns, np.array([coefs[c] for c in columns], dtype=np.float64)


@dataclass(frozen=True, kw_only=True)
class ConstantStep(_Step):
    """A point value."""

    value: float


@dataclass(frozen=True, kw_only=True)
class LeafStep(_Step):
    """A distribution's values for the scores in row ``column``."""

    dist: Distribution
    column: int


@dataclass(frozen=True, kw_only=True)
class MixStep(_Step):
    """Component ``args[i]`` where the scores in row ``column`` fall in slice ``i`` of the
    cumulative ``weights``."""

    column: int
    weights: tuple[float, ...]


@dataclass(frozen=True, kw_only=True)
class ApplyStep(_Step):
    """``op`` on the arguments (``param``: a constant exponent or factor)."""

    op: Op
    param: float = 0.0


@dataclass(frozen=True, kw_only=True)
class CheckStep(_Step):
    """The one argument, after checking that its samples lie in ``check``'s domain (checked in
    place when ``target`` is the argument's register, as constant folding leaves it)."""

    check: DomainCheck


Instruction: TypeAlias = FormStep | ConstantStep | LeafStep | MixStep | ApplyStep | CheckStep
"""One step of a compiled graph."""


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


def cholesky(matrix: FloatArray) -> FloatArray:
    """A factor ``L`` with ``L @ L.T == matrix``, also for singular (semi-definite) matrices."""
    try:
        return np.asarray(np.linalg.cholesky(matrix), dtype=np.float64)
    except np.linalg.LinAlgError:
        values, vectors = np.linalg.eigh(matrix)
        return np.asarray(vectors * np.sqrt(np.clip(values, 0.0, None)), dtype=np.float64)


def compile_program(
    order: list[Uncertain],
    roots: tuple[Uncertain, ...],
    columns: dict[int, int],
    forms: dict[int, LogForm | None],
    groups: list[tuple[FloatArray, list[int]]],
) -> Program:
    """The program computing ``roots`` from the graph's nodes ``order`` (inputs first).

    ``columns`` maps random nodes to score columns, ``forms`` nodes to their log forms (a
    node whose form has random terms becomes one :class:`FormStep`, and its arguments are not
    computed for it), ``groups`` gives correlation matrices of some columns.
    """
    needed = _needed(order, roots, forms)
    registers: dict[int, int] = {}
    steps: list[tuple[Uncertain, tuple[int, ...]]] = []  # each needed node, its arguments
    for item in order:
        key = id(item.node)
        if key in needed:
            registers[key] = len(registers)
            steps.append((item, _arguments(item, registers, forms)))
    outputs = tuple(registers[id(root.node)] for root in roots)
    # The step after which no later step reads a register (outputs are read after the last).
    last_use: dict[int, int] = {}
    for index, (_, args) in enumerate(steps):
        for arg in args:
            last_use[arg] = index
    for output in outputs:
        last_use[output] = len(steps)
    instructions = tuple(
        _step(
            item,
            index,
            args,
            tuple(r for r in set(args) if last_use[r] == index),
            columns,
            forms,
        )
        for index, (item, args) in enumerate(steps)
    )
    factors = tuple((cholesky(matrix), tuple(cols)) for matrix, cols in groups)
    return Program(
        len(set(columns.values())), factors, instructions, outputs, _streams(order, columns)
    )


def _folds_to_form(item: Uncertain, forms: dict[int, LogForm | None]) -> bool:
    # Constant sub-graphs are left to plain arithmetic: exp(log(3)) is not exactly 3.
    form = forms.get(id(item.node))
    return form is not None and form.has_terms


def _needed(
    order: list[Uncertain], roots: tuple[Uncertain, ...], forms: dict[int, LogForm | None]
) -> set[int]:
    """The nodes the outputs read: a node folded into a log form needs no arguments."""
    needed = {id(root.node) for root in roots}
    for item in reversed(order):  # outputs first
        if id(item.node) in needed and not _folds_to_form(item, forms):
            needed.update(id(child.node) for child in children(item))
    return needed


def _arguments(
    item: Uncertain, registers: dict[int, int], forms: dict[int, LogForm | None]
) -> tuple[int, ...]:
    """The registers ``item``'s step reads (a log form or a leaf reads none)."""
    node = item.node
    if _folds_to_form(item, forms) or isinstance(node, Leaf):
        return ()
    if isinstance(node, Mix):
        return tuple(registers[id(c.node)] for c in node.components)
    return tuple(registers[id(a.node)] for a in node.args)


def _step(
    item: Uncertain,
    target: int,
    args: tuple[int, ...],
    release: tuple[int, ...],
    columns: dict[int, int],
    forms: dict[int, LogForm | None],
) -> Instruction:
    """The step computing ``item`` into register ``target`` from the registers ``args``."""
    key = id(item.node)
    node = item.node
    form = forms.get(key)
    if form is not None and form.has_terms:
        return FormStep(target=target, form=form)
    if isinstance(node, Leaf):
        if isinstance(node.dist, Point):
            return ConstantStep(target=target, value=node.dist.value)
        return LeafStep(target=target, dist=node.dist, column=columns[key])
    if isinstance(node, Mix):
        return MixStep(
            target=target, args=args, release=release, column=columns[key], weights=node.weights
        )
    if node.check is not None:
        return CheckStep(target=target, args=args, release=release, check=node.check)
    return ApplyStep(target=target, args=args, release=release, op=node.op, param=node.param)


def _streams(order: list[Uncertain], columns: dict[int, int]) -> tuple[Stream, ...]:
    """Where each column's Monte Carlo scores come from: its input's stream, or its group's."""
    own: list[Stream] = []
    drawn: set[int] = set()
    grouped: dict[int, tuple[CorrelationGroup, list[int], list[int]]] = {}
    for item in order:
        node = item.node
        column = columns.get(id(node))
        if column is None or column in drawn:
            continue  # not random, or a second input of an ungrouped stream already drawn
        drawn.add(column)
        if isinstance(node, Leaf) and node.group is not None:
            entry = grouped.setdefault(id(node.group), (node.group, [], []))
            entry[1].append(node.group_index)
            entry[2].append(column)
        elif isinstance(node, Leaf | Mix):
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
