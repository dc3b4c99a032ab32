"""Mixtures in the interpreter: which component each sample takes, and its value.

* :func:`from_uniform`: an input whose distribution is a mixture (or uniform, log-uniform),
  on direct uniforms: one uniform picks the component and draws within it;
* :func:`mix`: a mixture of derived quantities (a :class:`~bioanchors._engine.program.MixStep`),
  each sample taking the component its normal score picks.
"""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors._graph.distributions import Distribution, Mixture, ndtri

__all__ = ["from_uniform", "mix"]

FloatArray: TypeAlias = NDArray[np.float64]


def from_uniform(dist: Distribution, u: FloatArray) -> FloatArray:
    """An input's values for uniforms ``u`` in ``[0, 1)`` (uniform, log-uniform, mixture)."""
    if not isinstance(dist, Mixture):
        return dist.ppf(u)
    # One uniform picks the component and, rescaled to its slice, draws within it: each
    # component is evaluated on its own samples only, with no bisection of the mixture's CDF.
    # Distributed as the mixture, but not its quantile function (the copula path keeps that).
    weights = np.asarray(dist.weights, dtype=np.float64)
    edges = np.cumsum(weights)
    lower = np.concatenate(([0.0], edges[:-1]))
    pick = _slice_of(edges[:-1], u)
    result = np.empty(u.shape)
    inside = np.finfo(np.float64).eps / 4  # keeps inverse normal CDFs finite at the slice ends
    for index, component in enumerate(dist.components):
        where = np.flatnonzero(pick == index)
        if where.size:
            share = (u[where] - lower[index]) / max(weights[index], np.finfo(np.float64).tiny)
            result[where] = component.ppf(np.clip(share, inside, 1.0 - inside))
    return result


_COMPARED_UP_TO = 16
"""Mixtures of up to this many components find each sample's component by comparisons."""


def _slice_of(edges: FloatArray, u: FloatArray) -> NDArray[np.intp]:
    """``searchsorted(edges, u, side="right")`` for sorted ``edges``: how many edges are
    ``<= u``. Below :data:`_COMPARED_UP_TO` edges, counted by one comparison per edge (a
    full-array pass each, ~4x faster than a binary search per sample), the same integers."""
    if len(edges) >= _COMPARED_UP_TO:
        return np.searchsorted(edges, u, side="right")
    pick = np.zeros(u.shape, dtype=np.intp)
    for edge in edges:
        pick += u >= edge
    return pick


def mix(
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
