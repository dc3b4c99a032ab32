"""Inputs combined: :func:`mixture` (each sample from one component) and :func:`correlate`
(inputs bound by a Gaussian copula, drawn jointly from one stream of a
:class:`~bioanchors._graph.nodes.CorrelationGroup`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np
from numpy.typing import NDArray

from bioanchors._graph.distributions import Mixture, Point, normalise_weights
from bioanchors._graph.finite import finite
from bioanchors._graph.nodes import CorrelationGroup, Leaf, Mix
from bioanchors._graph.shapes import from_distribution
from bioanchors._graph.streams import new_key
from bioanchors._graph.uncertain import Uncertain
from bioanchors._units.registry import affine
from bioanchors.errors import CorrelationError, InvalidInputError

__all__ = ["correlate", "mixture"]


def mixture(components: Sequence[Uncertain], weights: Sequence[float] | None = None) -> Uncertain:
    """A weighted mixture: each sample comes from one component, chosen with these weights.

    Weights default to equal and are normalised to sum to 1. Components may be derived
    quantities and must share a dimension; the result is in the first component's unit. When
    every component is an independent leaf input, the result is itself a leaf with an exact
    inverse CDF (so it can be correlated); otherwise the component is chosen by a draw of its own.
    """
    items = list(components)
    if not items:
        raise InvalidInputError("mixture: expected at least one component, got none")
    for item in items:
        if not isinstance(item, Uncertain):
            raise InvalidInputError(
                f"mixture: components must be uncertain quantities (use ba.point for a known "
                f"value), got {item!r}"
            )
    raw = [1.0] * len(items) if weights is None else [finite(w, "mixture weight") for w in weights]
    if len(raw) != len(items):
        raise InvalidInputError(
            f"mixture: expected one weight per component ({len(items)}), got {len(raw)} weights"
        )
    if any(w < 0 for w in raw):
        raise InvalidInputError(f"mixture: weights must be >= 0, got {raw}")
    normalised = normalise_weights(raw)
    if normalised is None:
        raise InvalidInputError(f"mixture: weights must sum to a positive number, got {raw}")
    unit = items[0].unit
    factors = [affine(item.unit, unit) for item in items]  # DimensionalityError
    leaves = [item.node for item in items]
    if all(isinstance(leaf, Leaf) and leaf.group is None for leaf in leaves) and all(
        f == (1.0, 0.0) for f in factors
    ):
        dists = [leaf.dist for leaf in leaves if isinstance(leaf, Leaf)]
        if not any(isinstance(d, Mixture) for d in dists):
            return from_distribution(Mixture(components=tuple(dists), weights=normalised), unit)
    converted = tuple(
        item if f == (1.0, 0.0) else item.to(unit) for item, f in zip(items, factors, strict=True)
    )
    return Uncertain(Mix(converted, normalised), unit)


def correlate(
    inputs: Sequence[Uncertain], corr: float | Sequence[Sequence[float]]
) -> list[Uncertain]:
    """Bind inputs so that their normal scores have correlation ``corr`` (Gaussian copula).

    ``corr`` is one number for every pair or a full matrix. Returns new inputs with the same
    distributions, names and units; use the returned ones (the originals stay independent).

    This is the Pearson correlation of the inputs' *normal scores*. Their Spearman rank
    correlation is ``(6 / pi) * arcsin(corr / 2)``, slightly smaller in magnitude (0.5 becomes
    0.483); for two lognormals it is also the correlation of their logarithms.

    >>> import bioanchors as ba
    >>> a, b = ba.correlate([ba.between(1, 10), ba.between(1, 10)], 0.8)
    """
    items = list(inputs)
    size = len(items)
    if size < 2:
        raise CorrelationError(f"correlate: expected at least two inputs, got {size}")
    leaves: list[Leaf] = []
    for index, item in enumerate(items):
        node = item.node if isinstance(item, Uncertain) else None
        if not isinstance(node, Leaf) or isinstance(node.dist, Point):
            raise CorrelationError(
                f"correlate: input {index} ({item!r}) is not an uncertain input; only inputs "
                "made by between(), lognormal(), normal(), ... can be correlated"
            )
        if node.group is not None:
            raise CorrelationError(
                f"correlate: input {index} ({item!r}) is already correlated; put all the inputs "
                "that depend on each other in one correlate() call with a matrix"
            )
        leaves.append(node)
    if len({id(leaf) for leaf in leaves}) != size:
        raise CorrelationError("correlate: the same input appears twice in the list")
    matrix = _correlation_matrix(corr, size)
    members = tuple(leaf.key for leaf in leaves)
    group = CorrelationGroup(matrix, size, new_key("group", matrix_text(matrix), members))
    return [
        Uncertain(replace(leaf, group=group, group_index=position), item.unit, item.name)
        for position, (leaf, item) in enumerate(zip(leaves, items, strict=True))
    ]


def matrix_text(matrix: NDArray[np.float64]) -> str:
    """``str`` of the matrix as nested tuples of floats (what its stream key digests), made a
    row at a time: a group of 1,000 members needs no million float objects at once."""
    rows = (", ".join(map(repr, row.tolist())) + ("," if len(row) == 1 else "") for row in matrix)
    return "(" + ", ".join(f"({row})" for row in rows) + ("," if len(matrix) == 1 else "") + ")"


def _correlation_matrix(corr: float | Sequence[Sequence[float]], size: int) -> NDArray[np.float64]:
    if isinstance(corr, int | float) and not isinstance(corr, bool):
        value = float(corr)
        if not -1.0 <= value <= 1.0:  # also refuses NaN
            raise CorrelationError(f"correlate: a correlation must be in [-1, 1], got {corr!r}")
        matrix = np.full((size, size), value)
        np.fill_diagonal(matrix, 1.0)
    else:
        try:
            matrix = np.array(corr, dtype=np.float64)
        except (TypeError, ValueError):
            raise CorrelationError(
                f"correlate: expected a number or a {size}x{size} matrix, got {corr!r}"
            ) from None
        if matrix.shape != (size, size):
            raise CorrelationError(
                f"correlate: expected a {size}x{size} matrix for {size} inputs, got shape "
                f"{matrix.shape}"
            )
        if not np.all(np.isfinite(matrix)):
            raise CorrelationError(f"correlate: the matrix has non-finite entries: {corr!r}")
        if np.any(np.abs(matrix) > 1.0):
            raise CorrelationError(f"correlate: entries must be in [-1, 1], got {corr!r}")
        if not np.allclose(np.diag(matrix), 1.0):
            raise CorrelationError(f"correlate: the diagonal must be all 1, got {np.diag(matrix)}")
        if not np.allclose(matrix, matrix.T, atol=1e-12):
            raise CorrelationError(f"correlate: the matrix is not symmetric: {corr!r}")
    smallest = float(np.linalg.eigvalsh(matrix).min())
    if smallest < -1e-10:
        raise CorrelationError(
            f"correlate: the matrix is not positive semi-definite (smallest eigenvalue "
            f"{smallest:.3g}), so no inputs can have these correlations together"
        )
    return matrix
