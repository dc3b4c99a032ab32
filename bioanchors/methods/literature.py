"""Formulas for the published brain-compute literature: several sub-estimates read as one.

Some published methods give more than one sub-estimate without saying how to weigh them
(Carlsmith 2020's functional method scales the retina two ways and the visual cortex a third).
:func:`one_of` reads such a method as an equal-weight mixture of its sub-estimates: each
Monte Carlo sample comes from one of them, so the result's spread covers all of them and its
quantiles are those of the pooled sub-estimates (not of their product or mean). Scenario files
call it as ``one_of(a, b, c)``.
"""

from __future__ import annotations

from bioanchors._graph.combine import mixture
from bioanchors._graph.domain import NON_NEGATIVE, check
from bioanchors._graph.functions import formula_function
from bioanchors._graph.uncertain import Operand, Uncertain
from bioanchors.errors import InvalidInputError

__all__ = ["one_of"]


@formula_function()
def one_of(*estimates: Operand) -> Uncertain:
    """An equal-weight mixture of two or more estimates of the same quantity (each >= 0).

    Each sample comes from one of ``estimates``, chosen with probability 1/k; units must share
    a dimension and the result is in the first one's unit. Use it when a source gives several
    sub-estimates and no weights; say so in the file's ``note``.

    >>> import bioanchors as ba
    >>> both = one_of(ba.point(1e12, "FLOP/s"), ba.point(1e16, "FLOP/s"))
    >>> est = both.estimate(10_000, seed=0)
    >>> print(f"{est.quantile(0.25).magnitude:.0e} {est.quantile(0.75).magnitude:.0e}")
    1e+12 1e+16
    """
    if len(estimates) < 2:
        raise InvalidInputError(
            f"one_of: expected two or more estimates to mix, got {len(estimates)}"
        )
    checked = [
        check(item, "one_of", f"estimate {i + 1}", NON_NEGATIVE) for i, item in enumerate(estimates)
    ]
    return mixture(checked)
