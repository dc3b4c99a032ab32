"""An :class:`~bioanchors.Estimate` of brain FLOP/s as the brain of a TAI forecast.

An Estimate is a summary, not a graph the engine can sample again, so its log10 FLOP/s samples
are drawn from what it holds, with their own random stream (``SeedSequence([seed, 1015])``):

* **samples**: resampled with replacement (taken as they are when ``n`` matches);
* **analytic** (a closed-form lognormal, :attr:`Estimate.log_params`): drawn from it exactly;
* **streamed** (a histogram): inverse-CDF sampling through its percentiles on a grid of 4001
  points from 0 to 100, interpolated linearly in log10 (within the histogram's own relative
  2**-10 resolution).
"""

from __future__ import annotations

import math
from typing import Final

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._results.estimate import Estimate
from bioanchors._units.registry import as_unit, conversion_factor, format_unit
from bioanchors.errors import InvalidInputError

__all__ = ["estimate_log10_flops", "positive_log10"]

_STREAM: Final = 1015  # entropy word: an Estimate's draws never reuse the engine's streams
_GRID: Final = np.linspace(0.0, 100.0, 4001)


def _refuse_units(estimate: Estimate, name: str) -> None:
    flops = as_unit("FLOP/s")
    if estimate.unit.dimensionality != flops.dimensionality:
        got = format_unit(estimate.unit) or "dimensionless"
        raise pint.DimensionalityError(
            estimate.unit,
            flops,
            extra_msg=f": brain {name!r} is an Estimate in {got!r}, not FLOP/s; a TAI forecast "
            "needs brain compute (dimension [computation]/[time])",
        )


def positive_log10(values: NDArray[np.float64], name: str) -> NDArray[np.float64]:
    bad = values[~(np.isfinite(values) & (values > 0))]
    if bad.size:
        raise InvalidInputError(
            f"brain {name!r}: FLOP/s values must be positive and finite, but {bad.size} of "
            f"{values.size} are not (e.g. {bad[0]:.3g}); describe it with a positive "
            "distribution (lognormal, loguniform)"
        )
    out: NDArray[np.float64] = np.log10(values)
    return out


def estimate_log10_flops(estimate: Estimate, name: str, n: int, seed: int) -> NDArray[np.float64]:
    """``n`` samples of log10 FLOP/s drawn from ``estimate`` (see the module docstring).

    Raises pint's ``DimensionalityError`` for an Estimate not in FLOP/s and
    :class:`~bioanchors.errors.InvalidInputError` for values that are not positive and finite.
    """
    _refuse_units(estimate, name)
    log10_factor = math.log10(conversion_factor(estimate.unit, as_unit("FLOP/s")))
    rng = np.random.default_rng([seed, _STREAM])
    log_params = estimate.log_params
    if log_params is not None:
        mu, sigma = log_params
        ln_values = mu + sigma * rng.standard_normal(n)
        out: NDArray[np.float64] = ln_values / math.log(10.0) + log10_factor
        return out
    samples = estimate.samples
    if samples is not None:
        values = np.asarray(samples.magnitude, dtype=np.float64)
        logs = positive_log10(values, name)
        picked = logs if logs.size == n else logs[rng.integers(0, logs.size, n)]
        return picked + log10_factor
    quantiles = np.array([float(estimate.percentile(q).magnitude) for q in _GRID])
    logs = positive_log10(quantiles, name)
    drawn: NDArray[np.float64] = np.interp(rng.uniform(0.0, 100.0, n), _GRID, logs)
    return drawn + log10_factor
