"""Several brains through one timelines model: :func:`compare_brains` and the swap table,
:func:`timelines_table` (each brain's frame, the model penalty it got, its median TAI year
and its shift against the reference).
"""

from __future__ import annotations

import html
import json
import math
import os
from collections.abc import Iterable, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.options import Progress, check_n, check_seed
from bioanchors._format import format_number, format_signed, text_table
from bioanchors._frames import Frame
from bioanchors._graph.uncertain import Uncertain
from bioanchors._optional import require_pandas
from bioanchors._results.estimate import Estimate
from bioanchors._scenarios.scenario import Scenario
from bioanchors.errors import InvalidInputError
from bioanchors.timelines._text import TABLE_YEARS, json_number, null_means, pct, year_key
from bioanchors.timelines._years import check_years
from bioanchors.timelines.brains import Brain, BrainLike, resolve, resolve_default_brains
from bioanchors.timelines.cotra.model import AnchorsLike
from bioanchors.timelines.forecast import (
    DEFAULT_YEARS,
    TaiForecast,
    choose_model,
    choose_swap,
    run_forecast,
)
from bioanchors.timelines.model import TimelinesModel
from bioanchors.timelines.result import flop_per_param_text
from bioanchors.timelines.swap import FlopPerParamLike, PenaltyLike

__all__ = ["ForecastTable", "compare_brains", "timelines_table"]


class ForecastTable(list[TaiForecast]):
    """What :func:`compare_brains` returns: a list of :class:`TaiForecast`, one per brain,
    that also shows itself as a table (``to_frame()``, and in a notebook)."""

    def to_frame(self, years: Sequence[float] = TABLE_YEARS) -> Any:
        """One row per brain, indexed by ``brain``: frame, penalty, median brain FLOP/s,
        median TAI year (NaN: not reached by the model's last year), P(TAI by each of
        ``years``) and the shift of the median year against the reference (needs pandas)."""
        pandas = require_pandas()
        ref = _pick_reference(self, None)
        records = [
            {
                "brain": f.brain,
                "frame": f.frame,
                "penalty": str(f.penalty),
                "brain_median_flops": f.brain_median_flops,
                "median_year": f.median_year if math.isfinite(f.median_year) else math.nan,
                **{f"prob_by_{year_key(y)}": f.prob_by(y) for y in years},
                "median_shift_years": _shift(f, ref),
            }
            for f in self
        ]
        frame = pandas.DataFrame(records).set_index("brain")
        if self:
            frame.attrs.update(reference=ref.brain, anchors=ref.anchors, n=ref.n, seed=ref.seed)
        return frame

    def _repr_html_(self) -> str:
        if not self:
            return "<p>no forecasts</p>"
        ref = _pick_reference(self, None)
        heads = ["brain", "frame", "penalty", "brain FLOP/s", "median TAI"]
        heads += [*(f"P(by {y})" for y in TABLE_YEARS), "shift (years)"]
        rows = "".join(
            "<tr>"
            + "".join(
                f"<td>{html.escape(cell)}</td>"
                for cell in (
                    f.brain,
                    f.frame_text,
                    str(f.penalty),
                    format_number(f.brain_median_flops),
                    f.year_text(f.median_year),
                    *(pct(f.prob_by(y)) for y in TABLE_YEARS),
                    _shift_text(f, ref),
                )
            )
            + "</tr>"
            for f in self
        )
        caption = html.escape(
            f"TAI timelines ({ref.model.source_label}, n={ref.n}, seed={ref.seed})"
        )
        head = "".join(f"<th>{h}</th>" for h in heads)
        return f"<table><caption>{caption}</caption><tr>{head}</tr>{rows}</table>"


def compare_brains(
    brains: Iterable[BrainLike] | None = None,
    *,
    anchors: AnchorsLike = None,
    model: TimelinesModel | None = None,
    n: int = 100_000,
    seed: int = 0,
    years: Sequence[float] | NDArray[np.float64] = DEFAULT_YEARS,
    reference: bool = True,
    penalty: PenaltyLike = None,
    frame: Frame | None = None,
    log10_flop_per_param: FlopPerParamLike = None,
    progress: Progress | None = None,
) -> ForecastTable:
    """Forecasts for several brains with the same model, ``n``, ``seed`` and years.

    ``brains`` defaults to :func:`~bioanchors.timelines.default_brains` (every scenario, plus
    ``NAME:claimed`` rows). With ``reference=True`` the first forecast is the model's own brain
    input (for Cotra's, :func:`~bioanchors.timelines.reference_brain`, named
    ``"cotra-2020"``, a functional estimate). ``model``, ``anchors``, ``penalty`` (default:
    by each brain's frame), ``frame`` (for brains that carry none) and
    ``log10_flop_per_param`` are as for :func:`~bioanchors.timelines.tai_forecast`; ``penalty``
    applies to the reference row too, ``frame`` does not. Every brain is resolved (and every
    name checked) before any sampling. ``progress(done, total)`` is called after each brain's
    forecast (the command line draws a progress bar with it).

    >>> rows = compare_brains(["kokotajlod-2021", "kokotajlod-2021:claimed"], n=5_000)
    >>> [row.brain for row in rows]
    ['cotra-2020', 'kokotajlod-2021', 'kokotajlod-2021:claimed']
    """
    chosen = choose_model(anchors, model)
    grid = check_years(years, chosen.first_year, chosen.last_year).copy()  # shared, read-only
    n, seed = check_n(n), check_seed(seed)
    swap = choose_swap(penalty, frame, log10_flop_per_param, chosen)
    if isinstance(brains, str | os.PathLike | Uncertain | Estimate | Scenario | Brain):
        brains = [brains]
    found = resolve_default_brains() if brains is None else [resolve(b) for b in brains]
    resolved = [swap.framed(b) for b in found]
    if reference:
        own = chosen.reference_brain()
        if own is not None:
            resolved.insert(0, own)
    forecasts = ForecastTable()
    for brain in resolved:
        forecasts.append(run_forecast(brain, chosen, n, seed, grid, swap.unframed()))
        if progress is not None:
            progress(len(forecasts), len(resolved))
    return forecasts


# --------------------------------------------------------------------------- the swap table


def _pick_reference(
    forecasts: Sequence[TaiForecast], reference: TaiForecast | str | None
) -> TaiForecast:
    if isinstance(reference, TaiForecast):
        return reference
    if reference is None:
        named = [f for f in forecasts if f.is_reference]
        return named[0] if named else forecasts[0]
    for forecast in forecasts:
        if forecast.brain == reference:
            return forecast
    known = ", ".join(f.brain for f in forecasts)
    raise InvalidInputError(f"reference: no forecast named {reference!r}; the rows are {known}")


def _shift(forecast: TaiForecast, ref: TaiForecast) -> float | None:
    shift = forecast.median_year - ref.median_year
    return shift if math.isfinite(shift) else None


def _shift_text(forecast: TaiForecast, ref: TaiForecast) -> str:
    if not math.isfinite(ref.median_year):
        return "n/a"
    if not math.isfinite(forecast.median_year):
        return f">{forecast.model.last_year - ref.median_year:+.0f}"
    return format_signed(forecast.median_year - ref.median_year)


def _json(forecasts: Sequence[TaiForecast], ref: TaiForecast, years: Sequence[float]) -> str:
    record = {
        "reference": ref.brain,
        "anchors": ref.anchors,
        "anchors_label": ref.model.source_label,
        "n": ref.n,
        "seed": ref.seed,
        "null_means": null_means(ref.model.last_year),
        "rows": [
            {
                "brain": f.brain,
                "label": f.label,
                "frame": f.frame,
                "frame_assumed": f.frame_assumed,
                "penalty": f.penalty.to_dict(),
                "penalty_rule": f.penalty_rule,
                "log10_flop_per_param": f.log10_flop_per_param,
                "brain_median_flops": f.brain_median_flops,
                "median_year": json_number(f.median_year),
                "median_reached": math.isfinite(f.median_year),
                "percentiles": {str(q): json_number(y) for q, y in f.percentiles.items()},
                **{f"prob_by_{year_key(y)}": f.prob_by(y) for y in years},
                "median_shift_years": _shift(f, ref),
            }
            for f in forecasts
        ],
    }
    return json.dumps(record, indent=2, allow_nan=False)


def timelines_table(
    forecasts: Sequence[TaiForecast],
    format: str = "text",
    *,
    reference: TaiForecast | str | None = None,
    years: Sequence[float] = TABLE_YEARS,
) -> str:
    """The swap table: each brain's frame, the model penalty it got (orders of magnitude added
    to its log10 FLOP/s: ``"+1 ± 1 OOM"``, ``"0"``), its median FLOP/s, median TAI year,
    P(TAI by 2040 and 2050), and the shift of its median year against the reference (default:
    the model's reference row, ``"cotra-2020"`` for Cotra's, if present, else the first).
    ``years`` chooses the P(TAI by year) columns (default 2040 and 2050; any years the model
    covers).
    ``format``: ``"text"`` or ``"json"``; in JSON a year or shift that is not reached by the
    model's last year (2200) is ``null`` (``null_means`` says so, and each row's
    ``median_reached`` is False when its median year is ``null``). A header line says how the
    penalties were chosen and, for Cotra's model, the parameter ratio.

    >>> rows = compare_brains(["kokotajlod-2021:claimed"], n=5_000)
    >>> print(timelines_table(rows).splitlines()[-1])
    kokotajlod-2021:claimed  emulation  0  1.0e17  2061  6.3%  24.8%  +10.6
    """
    if format not in ("text", "json"):
        raise InvalidInputError(f"format: expected 'text' or 'json', got {format!r}")
    forecasts = list(forecasts)
    if not forecasts:
        raise InvalidInputError("forecasts: need at least one TaiForecast")
    ref = _pick_reference(forecasts, reference)
    years = [float(y) for y in check_years(years, ref.model.first_year, ref.model.last_year)]
    if format == "json":
        return _json(forecasts, ref, years)
    headers = [
        "brain",
        "frame",
        "penalty",
        "brain FLOP/s",
        "median TAI",
        *(f"P(by {year_key(y)})" for y in years),
        "shift (years)",
    ]
    rows = [
        [
            f.brain,
            f.frame_text,
            str(f.penalty),
            format_number(f.brain_median_flops),
            f.year_text(f.median_year),
            *(pct(f.prob_by(y)) for y in years),
            _shift_text(f, ref),
        ]
        for f in forecasts
    ]
    runs = {(f.anchors, f.n, f.seed) for f in forecasts}
    setup = (
        f"{ref.model.source_label}, n={ref.n}, seed={ref.seed}"
        if len(runs) == 1
        else "rows differ in anchors, n or seed"
    )
    ratio = _ratio_line(forecasts)
    return (
        f"TAI timelines with each brain swapped into {ref.model.title}\n"
        f"({setup}; brain FLOP/s = median; shift = median TAI year minus {ref.brain}'s)\n"
        f"penalty = orders of magnitude added to the brain's log10 FLOP/s, "
        f"{_rules(forecasts)}\n"
        + (f"{ratio}\n" if ratio else "")
        + "\n"
        + text_table(headers, rows, set(range(3, len(headers))))
    )


def _ratio_line(forecasts: Sequence[TaiForecast]) -> str:
    ratios = [f.log10_flop_per_param for f in forecasts if f.log10_flop_per_param is not None]
    if len(set(ratios)) <= 1:
        return flop_per_param_text(ratios[0] if ratios else None)
    # what the rows got, grouped by frame: a description, not a rule (a number given for one
    # brain is not "by frame")
    by_frame = sorted(
        {(f.frame, f"{f.log10_flop_per_param:.2g}") for f in forecasts if f.log10_flop_per_param}
    )
    listed = ", ".join(f"{frame} rows {ratio}" for frame, ratio in by_frame)
    return flop_per_param_text(ratios[0], f"r, r differs by row ({listed})")


def _rules(forecasts: Sequence[TaiForecast]) -> str:
    rules = {f.penalty_rule for f in forecasts}
    if rules == {"by frame"}:
        return "by frame (emulation: 0, the cost has it; functional, bound: the model's)"
    if rules == {"the model's own"}:
        return "the model's own for every brain, whatever its frame"
    if rules == {"given"}:
        return "given for every brain"
    return "chosen differently across rows (" + ", ".join(sorted(rules)) + ")"
