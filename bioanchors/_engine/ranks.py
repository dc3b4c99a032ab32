"""Order statistics by numpy's default ("linear") percentile definition, and a safe mean.

Shared by the streamed :class:`~bioanchors._engine.histogram.Histogram` and the results'
in-memory summaries, so both read a percentile the same way.
"""

from __future__ import annotations

import math
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

__all__ = ["finite_mean", "lerp", "rank"]

FloatArray: TypeAlias = NDArray[np.float64]


def rank(count: int, q: float) -> tuple[int, float]:
    """The ``q``-th percentile's position among ``count`` sorted values: index and fraction.

    numpy's default ("linear") definition: position ``(count - 1) * q / 100``.

    >>> rank(5, 50), rank(4, 50)
    ((2, 0.0), (1, 0.5))
    """
    position = (count - 1) * (q / 100.0)
    index = min(math.floor(position), count - 1)
    return index, position - index


def lerp(low: float, high: float, fraction: float) -> float:
    """numpy's interpolation: exact at both ends and monotone in ``fraction``."""
    if fraction == 0.0:
        return low
    difference = high - low
    if fraction >= 0.5:
        return high - difference * (1.0 - fraction)
    return low + difference * fraction


def finite_mean(values: FloatArray) -> float:
    """The mean of finite values, also when their sum would overflow (it is scaled first)."""
    with np.errstate(over="ignore", invalid="ignore"):
        total = float(np.add.reduce(values))  # np.sum's reduction, without its wrapper
    if math.isfinite(total):
        return total / values.size
    scale = float(np.max(np.abs(values)))
    return scale * float(np.mean(values / scale))
