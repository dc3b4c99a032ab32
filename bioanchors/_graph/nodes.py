"""The node types of an uncertain-quantity graph, all frozen values.

An :class:`~bioanchors.Uncertain` wraps one node and a unit. A node is an input (:class:`Leaf`:
one distribution and its random stream), an operation on other values (:class:`Apply`) or a
mixture of them (:class:`Mix`). The leaves of a correlated group share a
:class:`CorrelationGroup`; an input fitted to quantiles keeps its :class:`QuantileFit`.

:class:`Apply` and :class:`Mix` are generic in the type of value they hold (``Uncertain``, one
module up), so that this module depends on nothing above the distributions and stream keys.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Generic, Protocol, Self, TypeVar

import numpy as np
from numpy.typing import NDArray

from bioanchors._graph.distributions import Distribution, Point
from bioanchors._graph.streams import StreamKey, label_key, new_key
from bioanchors.errors import InvalidInputError

__all__ = [
    "Apply",
    "CorrelationGroup",
    "DomainCheck",
    "Leaf",
    "Mix",
    "Op",
    "QuantileFit",
    "children",
    "describe_dist",
    "rekeyed",
    "walk",
]

Value = TypeVar("Value")
"""The type of the values an operation or a mixture holds (``Uncertain``)."""


class Op(enum.Enum):
    """Operations a graph node can apply to its arguments."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "**"  # constant exponent, stored in Apply.param
    POW_UNCERTAIN = "**~"  # dimensionless base and exponent
    NEG = "neg"
    SCALE = "scale"  # multiply by the constant Apply.param (unit conversions)
    SQRT = "sqrt"
    EXP = "exp"
    LOG = "log"
    LOG10 = "log10"
    MIN = "min"
    MAX = "max"
    CHECK = "check"  # the argument itself, after checking its samples lie in Apply.check


@dataclass(frozen=True, slots=True)
class DomainCheck:
    """Where a derived argument's samples must lie (in its own unit), checked when sampled."""

    lo: float
    hi: float
    lo_open: bool
    hi_open: bool
    label: str  # "useful_fraction: fraction must lie in (0, 1]"

    def violations(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        above = values > self.lo if self.lo_open else values >= self.lo
        below = values < self.hi if self.hi_open else values <= self.hi
        return ~(above & below)


@dataclass(frozen=True, slots=True)
class QuantileFit:
    """How well :func:`~bioanchors.from_quantiles` passes through the quantiles it was given.

    ``residuals_log10`` is, per quantile, log10(fitted value / given value); ``max_log10_error``
    its largest absolute value (0 for an exact two-point fit).
    """

    quantiles: tuple[float, ...]
    values: tuple[float, ...]
    residuals_log10: tuple[float, ...]

    @property
    def max_log10_error(self) -> float:
        return max(abs(r) for r in self.residuals_log10)


@dataclass(frozen=True, eq=False, slots=True)
class CorrelationGroup:
    """Inputs bound by a Gaussian copula: their normal scores have correlation ``matrix``.

    The group draws its members' scores jointly from one random stream, named by ``key``.
    ``matrix`` is kept as a read-only float array (a group of 1,000 members: 8 MB, where
    nested tuples of floats took 31 MB).
    """

    matrix: NDArray[np.float64]
    size: int
    key: StreamKey = ()

    def __post_init__(self) -> None:
        matrix = np.array(self.matrix, dtype=np.float64)
        matrix.flags.writeable = False
        object.__setattr__(self, "matrix", matrix)
        if not self.key:
            rows = tuple(tuple(float(v) for v in row) for row in matrix)
            object.__setattr__(self, "key", new_key("group", rows))

    def sub_matrix(self, positions: Sequence[int]) -> NDArray[np.float64]:
        """Correlations among the members at ``positions`` (in that order; read-only)."""
        order = list(positions)
        if order == list(range(self.size)):
            return self.matrix  # every member in order: no copy
        return self.matrix[np.ix_(order, order)]


@dataclass(frozen=True, eq=False, slots=True)
class Leaf:
    """An input: one distribution, drawn once per evaluation from its own random stream.

    ``key`` names that stream (a new one for every input made, unless given).
    """

    dist: Distribution
    group: CorrelationGroup | None = None
    group_index: int = -1
    fit: QuantileFit | None = None
    citation: str | None = None
    key: StreamKey = ()

    def __post_init__(self) -> None:
        if not self.key and not isinstance(self.dist, Point):
            object.__setattr__(self, "key", new_key("leaf", repr(self.dist.model_dump()), ""))


@dataclass(frozen=True, eq=False, slots=True)
class Apply(Generic[Value]):
    """An operation on other values."""

    op: Op
    args: tuple[Value, ...]
    param: float = 0.0
    check: DomainCheck | None = None


@dataclass(frozen=True, eq=False, slots=True)
class Mix(Generic[Value]):
    """A mixture of (possibly derived) quantities: each sample takes one component."""

    components: tuple[Value, ...]
    weights: tuple[float, ...]
    key: StreamKey = ()  # the stream that picks each sample's component

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", new_key("mix", self.weights, len(self.components)))


def rekeyed(node: Leaf | Mix[Value], label: str) -> Leaf | Mix[Value]:
    """The same input drawn from the stream named ``label`` (a constant stays as it is)."""
    if isinstance(node, Leaf) and node.group is not None:
        raise InvalidInputError(
            "keyed: a correlated input draws from its group's stream; key the inputs "
            "before correlating them"
        )
    if isinstance(node, Leaf) and isinstance(node.dist, Point):
        return node
    if not isinstance(label, str) or not label:
        raise InvalidInputError(f"keyed: expected a non-empty label, got {label!r}")
    return replace(node, key=label_key(label))


class GraphValue(Protocol):
    """What a walk over the graph needs of a value: the node it wraps."""

    @property
    def node(self) -> Leaf | Apply[Self] | Mix[Self]: ...


Walked = TypeVar("Walked", bound=GraphValue)


def walk(roots: Iterable[Walked]) -> list[Walked]:
    """Every node below the roots, each once (by identity of its node), inputs first."""
    seen: set[int] = set()
    order: list[Walked] = []
    stack: list[tuple[Walked, bool]] = [(root, False) for root in reversed(list(roots))]
    while stack:
        item, expanded = stack.pop()
        if expanded:
            order.append(item)
            continue
        key = id(item.node)
        if key in seen:
            continue
        seen.add(key)
        stack.append((item, True))
        stack.extend((child, False) for child in reversed(children(item)))
    return order


def children(item: Walked) -> tuple[Walked, ...]:
    """The direct arguments of a node (none for an input)."""
    node = item.node
    if isinstance(node, Apply):
        return node.args
    if isinstance(node, Mix):
        return node.components
    return ()


def describe_dist(dist: Distribution) -> str:
    """A short text for a distribution: ``lognormal(median=3.16, gsd=4.05)``."""
    fields = dist.model_dump(exclude={"kind", "components"})
    text = ", ".join(f"{k}={_short(v)}" for k, v in fields.items() if not isinstance(v, tuple))
    return f"{dist.kind}({text})"


def _short(value: object) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)
