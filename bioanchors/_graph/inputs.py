"""Constructors of uncertain inputs: the ways a forecaster states an assumption.

>>> import bioanchors as ba
>>> synapses = ba.between(1e14, 1e15, "synapse")            # a 90 % credible interval
>>> rate = ba.lognormal(0.3, 2.0, "spike / synapse / s")     # median and geometric sd
>>> brain = ba.from_quantiles({0.5: 1e15, 0.9: 1e21}, "FLOP/s")
>>> round(brain.estimate().percentile(90).magnitude / 1e21, 6)
1.0

One place to import them from; they live along their seams: the shapes and ``between`` in
:mod:`~bioanchors._graph.shapes`, quantile fits in :mod:`~bioanchors._graph.quantiles`,
mixtures and correlation in :mod:`~bioanchors._graph.combine`, and the value types they
attach to inputs (:class:`CorrelationGroup`, :class:`QuantileFit`) in
:mod:`~bioanchors._graph.nodes`.
"""

from __future__ import annotations

from bioanchors._graph.combine import correlate, mixture
from bioanchors._graph.nodes import CorrelationGroup, QuantileFit
from bioanchors._graph.quantiles import MISFIT_WARNING, from_quantiles
from bioanchors._graph.shapes import (
    Shape,
    between,
    from_distribution,
    lognormal,
    loguniform,
    normal,
    point,
    uniform,
)

__all__ = [
    "MISFIT_WARNING",
    "CorrelationGroup",
    "QuantileFit",
    "Shape",
    "between",
    "correlate",
    "from_distribution",
    "from_quantiles",
    "lognormal",
    "loguniform",
    "mixture",
    "normal",
    "point",
    "uniform",
]
