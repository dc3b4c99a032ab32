"""Comparing uncertain quantities: probabilities from one joint draw.

``a > b`` is refused on uncertain quantities (it has no single truth value); the question a
forecaster means is *how likely* it is, which needs ``a`` and ``b`` drawn together so that
inputs they share are one draw:

>>> import bioanchors as ba
>>> brain = ba.between(1e13, 1e17, "FLOP/s")
>>> computer = ba.between(1e15, 1e16, "FLOP/s")
>>> round(ba.prob_greater(computer, brain, n=200_000, seed=1), 1)
0.7
"""

from __future__ import annotations

import numpy as np

from bioanchors._engine.draw import draw_many
from bioanchors._engine.options import SAMPLING_METHODS, check_method
from bioanchors._graph.uncertain import Operand, as_uncertain
from bioanchors._typing import Method

__all__ = ["prob_greater"]


def prob_greater(
    a: Operand, b: Operand, *, n: int = 100_000, seed: int = 0, method: Method = "mc"
) -> float:
    """P(a > b), from ``n`` joint samples of ``a`` and ``b`` (``method`` "mc" or "qmc").

    ``b`` is converted to ``a``'s unit first: quantities of different dimensions raise pint's
    ``DimensionalityError``. Inputs that ``a`` and ``b`` share are drawn once per sample.
    """
    left = as_uncertain(a)
    right = as_uncertain(b).to(left.unit)  # DimensionalityError on a mismatch, offsets converted
    method = check_method(method, SAMPLING_METHODS)
    samples = draw_many([left, right], n, seed=seed, method=method)
    above = int(np.count_nonzero(samples[0] > samples[1]))
    return above / int(samples.shape[1])
