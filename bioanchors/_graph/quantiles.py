"""Inputs fitted to quantiles: :func:`from_quantiles`, a lognormal through given quantiles.

Two quantiles are matched exactly, more by least squares in log space; the misfit is kept on
the input as a :class:`~bioanchors._graph.nodes.QuantileFit`, and a large one warns.
"""

from __future__ import annotations

import itertools
import math
import warnings
from collections.abc import Mapping

import numpy as np
from pydantic import ValidationError

from bioanchors._graph.distributions import Lognormal, ndtri
from bioanchors._graph.finite import finite, finite_exp
from bioanchors._graph.nodes import QuantileFit
from bioanchors._graph.shapes import leaf
from bioanchors._graph.uncertain import Uncertain
from bioanchors._typing import UnitLike
from bioanchors._units.registry import as_unit
from bioanchors.errors import BioanchorsWarning, FitError

__all__ = ["MISFIT_WARNING", "from_quantiles"]

MISFIT_WARNING = 0.1
"""Orders of magnitude by which a :func:`from_quantiles` fit may miss a quantile silently."""


def from_quantiles(
    quantiles: Mapping[float, float], unit: UnitLike = None, *, name: str | None = None
) -> Uncertain:
    """A lognormal through given quantiles, e.g. ``{0.5: 1e15, 0.9: 1e21}``.

    Two quantiles are matched exactly; more are fitted by least squares in log space and the
    misfit is kept on the result's ``node.fit`` (a :class:`QuantileFit`). A fit that misses a
    given quantile by more than :data:`MISFIT_WARNING` orders of magnitude (a factor 1.26)
    warns with a :class:`~bioanchors.BioanchorsWarning`: no lognormal says what was asked.

    >>> import warnings
    >>> import bioanchors as ba
    >>> with warnings.catch_warnings(record=True) as caught:
    ...     warnings.simplefilter("always")
    ...     brain = ba.from_quantiles({0.1: 1e13, 0.5: 1e15, 0.9: 1e18}, "FLOP/s")
    >>> round(brain.node.fit.max_log10_error, 3), caught[0].category.__name__
    (0.333, 'BioanchorsWarning')
    """
    if not isinstance(quantiles, Mapping) or len(quantiles) < 2:
        raise FitError(
            f"from_quantiles: expected a mapping of at least two quantiles to values, "
            f"got {quantiles!r}"
        )
    pairs = sorted(
        (finite(q, "from_quantiles quantile"), finite(v, "from_quantiles value"))
        for q, v in quantiles.items()
    )
    for q, v in pairs:
        if not 0.0 < q < 1.0:
            raise FitError(f"from_quantiles: quantile {q!r} is outside (0, 1)")
        if v <= 0.0:
            raise FitError(
                f"from_quantiles: the value at quantile {q!r} is {v!r}; a lognormal needs "
                "positive values"
            )
    for (q1, v1), (q2, v2) in itertools.pairwise(pairs):
        if not v2 > v1:
            raise FitError(
                f"from_quantiles: values must increase with their quantiles, but "
                f"{q1!r} -> {v1!r} and {q2!r} -> {v2!r}"
            )
    qs = np.array([q for q, _ in pairs])
    log_values = np.log(np.array([v for _, v in pairs]))
    z = ndtri(qs)
    sigma, mu = (float(v) for v in np.polyfit(z, log_values, 1))
    fitted = mu + sigma * z
    fit = QuantileFit(
        quantiles=tuple(float(q) for q in qs),
        values=tuple(float(v) for _, v in pairs),
        residuals_log10=tuple(float(r) for r in (fitted - log_values) / math.log(10)),
    )
    if not sigma > 0:
        raise FitError(f"from_quantiles: these quantiles give no spread (sigma {sigma!r})")
    if fit.max_log10_error > MISFIT_WARNING:
        worst = max(range(len(pairs)), key=lambda i: abs(fit.residuals_log10[i]))
        q_worst, v_worst = pairs[worst]
        warnings.warn(
            BioanchorsWarning(
                f"from_quantiles: no lognormal passes through these quantiles; the least-squares "
                f"fit puts the {q_worst:g} quantile at "
                f"{v_worst * 10 ** fit.residuals_log10[worst]:.3g} where {v_worst:.3g} was given "
                f"({fit.max_log10_error:.2f} orders of magnitude off). Use two quantiles, or a "
                "mixture, to say it exactly."
            ),
            stacklevel=2,
        )
    median = finite_exp(mu, "from_quantiles median")
    gsd = finite_exp(sigma, "from_quantiles geometric sd")
    try:
        dist = Lognormal(median=median, gsd=gsd)
    except ValidationError as error:  # gsd rounds to 1 for a spread below 2e-16
        raise FitError(f"from_quantiles: {error.errors()[0]['msg']}") from None
    return Uncertain(leaf(dist, name, fit=fit), as_unit(unit), name)
