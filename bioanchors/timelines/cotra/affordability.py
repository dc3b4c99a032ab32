"""When is the compute to train a transformative model affordable? After Cotra (2020).

Ajeya Cotra, "Forecasting TAI with biological anchors" (draft report, Open Philanthropy,
2020; posted as "Draft report on AI timelines", LessWrong, post KrJfoZzpSDpnrv9va) turns a
distribution of the training FLOP needed with 2020 algorithms (see
:mod:`bioanchors.timelines.cotra.anchors`) into a probability of transformative AI (TAI) by each
year, by comparing it with the FLOP that the largest training run can buy in that year. Summaries of
the model that this module follows: Anson Ho, "Grokking 'Forecasting TAI with biological
anchors'" (Epoch AI, 2022; epochai.org/blog/grokking-bioanchors) and Scott Alexander,
"Biological Anchors: A Trick That Might Or Might Not Work" (Astral Codex Ten, 2022). The
public Squiggle ports by Jesse Hoogland and Peter Wildeford (GitHub ``jqhoogland/ai-timelines``,
folder ``cotra2020/``) show the same structure; this is an independent numpy implementation.

Three trends set what a year can afford, all in log10 units:

* **hardware**: FLOP per 2020 dollar, 1e17 in 2020, halving in price every 2.5 years and
  saturating at 1e24 (~6 orders of magnitude above the 2025 level);
* **spending**: the largest training run costs $1B in 2025 and doubles every 2.5 years, until it
  saturates at 1 % of the GDP of the largest economy (2.13e13 USD in 2020, growing 3 %/year);
* **algorithms**: the FLOP needed falls by half every 2-3.5 years, to at most 2-5 orders of
  magnitude less; each anchor has one halving time and one cap, as in Cotra's spreadsheet,
  read off the rule that Wildeford's port uses to interpolate her per-anchor values (larger
  requirements, faster halving and a higher cap) at that anchor's median
  (:mod:`bioanchors.timelines.cotra.progress`). Samples without an anchor label (a plain
  array) read the rule at their own requirement.

A requirement sample ``F`` (log10 FLOP with 2020 algorithms) is met in year ``y`` when
``F - algorithmic_progress_oom(y, F) <= log10_affordable_flop(y)``; P(TAI by ``y``) is the
fraction of samples met by then. A sample of ``+inf`` (the "none of these anchors" outcome) is
never met. With one schedule per anchor, the test is, for each anchor and year, ``F <= t`` for
one threshold ``t``, the largest double that passes it (:mod:`._thresholds`): the samples are
counted against 7 x years numbers instead of tested one by one, with the same counts.

Hardware and algorithms saturate smoothly as ``a*C / (a + C - 1)`` (``a`` the uncapped growth
factor, ``C`` the cap factor): 1 at the start year, tending to ``C``. Spending combines its
trend ``x`` and the GDP cap harmonically, ``x*cap / (x + cap)``.

>>> import numpy as np
>>> print(np.round(log10_affordable_flop([2020.0, 2025.0, 2050.0, 2100.0]), 1))
[25.4 26.6 32.1 36.4]
>>> print(prob_tai_by([2030.0, 2050.0], np.array([27.0, 33.0, 38.0, np.inf])))
[0.25 0.5 ]
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors.errors import InvalidInputError
from bioanchors.timelines._years import check_years as _check_years
from bioanchors.timelines._years import percentile_ranks, percentile_years
from bioanchors.timelines.cotra import _exact
from bioanchors.timelines.cotra._growth import LOG10_2, progress_table, saturating_log10
from bioanchors.timelines.cotra._thresholds import (
    Labels,
    binned_arrivals,
    exact_thresholds,
    first_arrivals,
    first_met,
    met_counts,
)
from bioanchors.timelines.cotra.params import (
    DEFAULT_AFFORDABILITY,
    MAX_YEAR,
    AffordabilityParams,
)
from bioanchors.timelines.cotra.progress import anchor_index_of, anchor_positions_of, schedule

__all__ = [
    "algorithmic_progress_oom",
    "arrival_years",
    "check_years",
    "log10_affordable_flop",
    "log10_flop_per_usd",
    "log10_gdp_usd",
    "log10_spend_usd",
    "median_year",
    "prob_tai_by",
    "tai_summary",
    "year_percentiles",
]


_LOG10_2: Final = LOG10_2
_saturating_log10 = saturating_log10  # its name here before it moved to _growth.py


def _fail(field: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{field}: {message}")


def check_years(
    years: ArrayLike, params: AffordabilityParams = DEFAULT_AFFORDABILITY
) -> NDArray[np.float64]:
    """``years`` as a float array, checked: a non-empty, finite, strictly increasing 1-D sequence
    within ``[params.base_year, 2200]``; else ``ValueError`` naming ``years`` and the offending
    value.

    >>> check_years(range(2030, 2033))
    array([2030., 2031., 2032.])
    >>> try:
    ...     check_years([2040, 2050, 2045])
    ... except ValueError as error:
    ...     print(error)
    years: must be strictly increasing; 2050 is followed by 2045
    """
    return _check_years(years, params.base_year, MAX_YEAR)


def _samples(log10_required_samples: ArrayLike) -> NDArray[np.float64]:
    field = "log10_required_samples"
    try:
        arr = np.asarray(log10_required_samples, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise _fail(field, "must be numbers") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise _fail(field, f"must be a non-empty 1-D array, got shape {arr.shape}")
    if np.any(np.isnan(arr)) or np.any(arr == -np.inf):
        raise _fail(field, "must not contain NaN or -inf (+inf means 'never affordable')")
    return arr


def log10_flop_per_usd(
    years: ArrayLike, params: AffordabilityParams = DEFAULT_AFFORDABILITY
) -> NDArray[np.float64]:
    """log10 FLOP per 2020 dollar in each year (Cotra 2020 hardware trend).

    Halves in price every ``hardware_halving_time_years`` from ``flop_per_usd_base`` in
    ``base_year`` and saturates at ``hardware_max_flop_per_usd``.

    >>> print(np.round(log10_flop_per_usd([2020.0, 2045.0, 2200.0]), 2))
    [17.   20.01 24.  ]
    """
    y = check_years(years, params)
    growth = (y - params.base_year) * _LOG10_2 / params.hardware_halving_time_years
    base = math.log10(params.flop_per_usd_base)
    return base + _saturating_log10(growth, math.log10(params.hardware_max_flop_per_usd) - base)


def log10_gdp_usd(
    years: ArrayLike, params: AffordabilityParams = DEFAULT_AFFORDABILITY
) -> NDArray[np.float64]:
    """log10 GDP (2020 USD) of the largest economy, growing ``gdp_growth_per_year``."""
    y = check_years(years, params)
    return math.log10(params.gdp_base_usd) + (y - params.base_year) * math.log10(
        1.0 + params.gdp_growth_per_year
    )


def log10_spend_usd(
    years: ArrayLike, params: AffordabilityParams = DEFAULT_AFFORDABILITY
) -> NDArray[np.float64]:
    """log10 dollars spent on the largest training run in each year (Cotra 2020).

    ``spend_reference_usd`` in ``spend_reference_year``, doubling every
    ``spend_doubling_time_years`` (also extrapolated backwards before the reference year), and
    saturating at ``max_gdp_fraction`` of GDP: spend = x*cap / (x + cap), with x the exponential
    trend and cap the GDP share.

    >>> print(np.round(log10_spend_usd([2025.0, 2100.0]), 2))
    [ 9.   12.36]
    """
    y = check_years(years, params)
    trend = (
        math.log10(params.spend_reference_usd)
        + (y - params.spend_reference_year) * _LOG10_2 / params.spend_doubling_time_years
    )
    cap = log10_gdp_usd(y, params) + math.log10(params.max_gdp_fraction)
    # harmonic combination in log space: -log10(10**-trend + 10**-cap)
    out: NDArray[np.float64] = -np.logaddexp(-trend * np.log(10.0), -cap * np.log(10.0)) / np.log(
        10.0
    )
    return out


def log10_affordable_flop(
    years: ArrayLike, params: AffordabilityParams = DEFAULT_AFFORDABILITY
) -> NDArray[np.float64]:
    """log10 FLOP the largest training run can buy in each year (Cotra 2020).

    ``log10_flop_per_usd(years) + log10_spend_usd(years)``. ``years`` must be strictly
    increasing and lie in ``[params.base_year, 2200]``, else ``ValueError`` naming ``years``.

    >>> print(np.round(log10_affordable_flop([2030.0]), 1))
    [27.9]
    """
    y = check_years(years, params)
    return log10_flop_per_usd(y, params) + log10_spend_usd(y, params)


def _algo_schedule(
    log10_required: NDArray[np.float64], params: AffordabilityParams
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    return schedule(log10_required, params)


def algorithmic_progress_oom(
    year: float,
    log10_required: ArrayLike,
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> NDArray[np.float64]:
    """Orders of magnitude by which algorithms cut each requirement by ``year`` (Cotra 2020).

    The halving time and the cap depend on the requirement itself, linearly between the ramp
    ends (Wildeford's Squiggle port: halving time 3.5 y at 1e29 FLOP falling to 2 y at 1e35,
    cap 2 orders at 1e32 rising to 5 at 1e44), standing in for Cotra's per-anchor values.

    >>> print(np.round(algorithmic_progress_oom(2050.0, [28.0, 34.5, 41.0]), 2))
    [1.9  2.61 4.06]
    """
    y = float(check_years([year], params)[0])
    req = np.asarray(log10_required, dtype=np.float64)
    finite = np.where(np.isfinite(req), req, 0.0)
    halving, cap = _algo_schedule(finite, params)
    growth = (y - params.base_year) * _LOG10_2 / halving
    out = _saturating_log10(growth, cap)
    return np.where(np.isfinite(req), out, 0.0)


# --------------------------------------------------------------------------- P(TAI by year)
# Labelled samples with one schedule per anchor (the default) take the fast path: one exact
# threshold per anchor and year (bioanchors.timelines.cotra._thresholds), the same counts as
# testing every sample in every year. Samples with a schedule of their own (a plain array, or
# algo_progress_by = "requirement") are tested one year at a time (bioanchors.timelines.cotra.
# _exact), in chunks of samples.


def _anchor_labels(samples: object, size: int, params: AffordabilityParams) -> Labels | None:
    """Each sample's anchor if the anchors' own schedules apply, else None."""
    labels = anchor_index_of(samples, size)
    return None if params.algo_progress_by == "requirement" else labels


def _on_grid(
    grid: NDArray[np.float64], samples: object, size: int, params: AffordabilityParams
) -> tuple[
    NDArray[np.float64], Labels | None, NDArray[np.float64] | None, NDArray[np.float64] | None
]:
    """On ``grid``: affordable log10 FLOP, each sample's anchor, the anchors' progress table
    and their exact thresholds (the last three None where the anchors' schedules do not apply,
    the thresholds None where they do not settle)."""
    affordable = log10_affordable_flop(grid, params)
    labels = _anchor_labels(samples, size, params)
    table = None if labels is None else progress_table(grid, params)
    thresholds = None if table is None else exact_thresholds(table, affordable[:, None])
    return affordable, labels, table, thresholds


def prob_tai_by(
    years: ArrayLike,
    log10_required_samples: ArrayLike,
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> NDArray[np.float64]:
    """P(TAI by each year): the fraction of requirement samples affordable by then.

    ``log10_required_samples`` are log10 training FLOP with 2020 algorithms (``+inf`` for
    "never"), e.g. from :func:`bioanchors.timelines.cotra.anchors.mixture`. A sample is
    affordable in year ``y`` when, after algorithmic progress, it is at most
    ``log10_affordable_flop(y)``. Because affordable compute and algorithmic progress only
    grow, the result is non-decreasing in the year. ``years``: strictly increasing, within
    ``[base_year, 2200]``. Labelled samples (one schedule per anchor) are counted against one
    exact threshold per anchor and year, with the same counts as testing each sample.

    >>> print(prob_tai_by([2025.0, 2100.0], [26.0, 45.0]))
    [0.5 0.5]
    """
    y = check_years(years, params)
    req = _samples(log10_required_samples)
    affordable, labels, table, thresholds = _on_grid(y, log10_required_samples, req.size, params)
    if labels is not None and thresholds is not None:
        positions = anchor_positions_of(log10_required_samples, req.size)
        counts = met_counts(req, labels, thresholds, positions)  # +inf is never met
    else:  # a schedule per sample; or thresholds that do not settle (a guard)
        keep = np.isfinite(req)
        kept = None if labels is None else labels[keep]
        counts = _exact.met_counts(y, affordable, req[keep], kept, table, params)
    out: NDArray[np.float64] = counts / req.size
    return out


def _yearly_grid(params: AffordabilityParams) -> NDArray[np.float64]:
    """The years on which arrivals are found: every year from ``base_year`` to 2200."""
    return params.base_year + np.arange(0.0, math.floor(MAX_YEAR - params.base_year) + 1.0)


def arrival_years(
    log10_required_samples: ArrayLike,
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> NDArray[np.float64]:
    """Year in which each requirement sample first becomes affordable (``inf``: not by 2200).

    Found on a yearly grid from ``base_year``, with the crossing interpolated linearly within
    the year; samples affordable at once get ``base_year``. The fraction of arrivals at or
    before a grid year equals :func:`prob_tai_by` for that year.

    >>> print(np.round(arrival_years([20.0, 30.0, np.inf]), 1))
    [2020.  2034.1    inf]
    """
    req = _samples(log10_required_samples)
    grid = _yearly_grid(params)
    affordable, labels, table, thresholds = _on_grid(grid, log10_required_samples, req.size, params)
    out = np.empty(req.size)
    whole = anchor_positions_of(log10_required_samples, req.size)
    for start in range(0, req.size, _exact.CHUNK):  # in chunks: memory bounded whatever n
        chunk = slice(start, start + _exact.CHUNK)
        anchor = None if labels is None else labels[chunk]
        if anchor is not None and table is not None and thresholds is not None:
            positions = whole if req.size <= _exact.CHUNK else None  # one chunk: the whole
            out[chunk] = first_arrivals(
                req[chunk], anchor, grid, affordable, table, thresholds, positions
            )
        else:  # a schedule per sample; or thresholds that do not settle (a guard)
            out[chunk] = _exact.arrival_years(req[chunk], anchor, grid, affordable, table, params)
    return out


def year_percentiles(
    log10_required_samples: ArrayLike,
    probabilities: Sequence[float] | NDArray[np.float64] = (0.1, 0.5, 0.9),
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> NDArray[np.float64]:
    """Earliest year by which P(TAI) reaches each probability (``inf`` if not by 2200).

    The inverted-CDF quantiles of :func:`arrival_years`. ``probabilities`` must lie in (0, 1].

    >>> print(np.round(year_percentiles([26.0, 30.0, 34.0, np.inf], [0.25, 0.5, 1.0]), 1))
    [2021.9 2034.1    inf]
    """
    return percentile_years(arrival_years(log10_required_samples, params), probabilities)


def tai_summary(
    years: ArrayLike,
    log10_required_samples: ArrayLike,
    probabilities: Sequence[float] | NDArray[np.float64] = (0.1, 0.5, 0.9),
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """``prob_tai_by(years, samples)`` and ``year_percentiles(samples, probabilities)``, bit
    for bit, from one pass: the first year each labelled sample is met on the yearly grid
    gives both the counts (where every anchor's thresholds grow and ``years`` lie on the
    grid) and the year holding each percentile, whose samples alone get an arrival year.
    Anything else (plain arrays, a schedule per requirement, thresholds that fall) takes the
    two functions themselves.

    >>> prob, pct = tai_summary([2030.0, 2050.0], np.array([27.0, 33.0, 38.0, np.inf]))
    >>> print(prob, np.round(pct, 1))
    [0.25 0.5 ] [2024.9 2043.2    inf]
    """
    y = check_years(years, params)
    req = _samples(log10_required_samples)
    grid = _yearly_grid(params)
    affordable, labels, table, thresholds = _on_grid(grid, log10_required_samples, req.size, params)
    if labels is None or table is None or thresholds is None:
        fallback = year_percentiles(log10_required_samples, probabilities, params)
        return prob_tai_by(y, log10_required_samples, params), fallback
    positions = anchor_positions_of(log10_required_samples, req.size)
    first = first_met(req, labels, thresholds, positions)
    index, wanted = percentile_ranks(probabilities, req.size)
    ends = np.bincount(first, minlength=grid.size + 1).cumsum()  # met by each year
    found = binned_arrivals(req, labels, first, ends, grid, affordable, table, wanted)
    row = np.minimum(np.searchsorted(grid, y), grid.size - 1)
    own = _on_grid(y, log10_required_samples, req.size, params)[3]
    if (
        own is not None
        and np.array_equal(grid[row], y)
        and np.array_equal(own, thresholds[row])
        and bool(np.all(thresholds[1:] >= thresholds[:-1]))
    ):
        prob = ends[row] / req.size
    else:
        prob = prob_tai_by(y, log10_required_samples, params)
    return prob, found[np.searchsorted(wanted, index)]


def median_year(
    log10_required_samples: ArrayLike,
    params: AffordabilityParams = DEFAULT_AFFORDABILITY,
) -> float:
    """Year by which P(TAI) first reaches 50 % (``inf`` if not by 2200); Cotra's was ~2052.

    >>> median_year([26.0, 30.0, 34.0, np.inf])
    2034.07...
    """
    return float(year_percentiles(log10_required_samples, (0.5,), params)[0])
