"""What ``bioanchors timelines`` prints, in each format (and with ``--compare-anchors``).

``years`` (``--years``) chooses the P(TAI by year) columns; the JSON of every brain also
carries its full CDF, ``prob_by_year``: P(TAI by each whole year from the model's first year
to its last, 2020 to 2200 for Cotra's), whatever the columns.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, TextIO

import numpy as np

from bioanchors._cli.anchors import Comparison, comparison_record, comparison_text
from bioanchors._cli.formats import Table, emit
from bioanchors._format import format_number, format_signed
from bioanchors.timelines import TaiForecast, timelines_table
from bioanchors.timelines._text import null_means, pct, year_key

__all__ = ["full_cdf", "show_comparison", "show_timelines", "timelines_record"]

_METHOD = "mc"  # the model's requirements are always a Monte Carlo draw
_TOP_LEVEL = frozenset({"anchors", "n", "seed", "unit", "null_means"})
"""What every row of one run shares: said once, at the top of the JSON record."""


def full_cdf(forecast: TaiForecast) -> dict[str, float]:
    """P(TAI by year) for every whole year the forecast's model covers, keyed ``"2020"``..."""
    model = forecast.model
    grid = np.arange(math.ceil(model.first_year), math.floor(model.last_year) + 1, dtype=float)
    probs = model.prob_tai_by(grid, forecast.log10_training_flop)
    return {year_key(y): float(p) for y, p in zip(grid, probs, strict=True)}


def _reference(forecasts: Sequence[TaiForecast]) -> TaiForecast:
    return next((f for f in forecasts if f.is_reference), forecasts[0])


def _shift(a: float, b: float) -> float | None:
    return b - a if math.isfinite(a) and math.isfinite(b) else None


def _shift_cell(shift: float | None) -> str:
    return "n/a" if shift is None else format_signed(shift)


def _label(forecast: TaiForecast) -> str:
    return forecast.model.source_label.removeprefix("anchors ")


def timelines_record(forecasts: Sequence[TaiForecast], years: Sequence[float]) -> dict[str, Any]:
    """The JSON record of ``bioanchors timelines`` (schema: ``bioanchors schema timelines``)."""
    ref = _reference(forecasts)
    rows = []
    for f in forecasts:
        chosen = {year_key(y): f.prob_by(y) for y in years}
        own = {k: v for k, v in f.to_dict().items() if k not in _TOP_LEVEL}
        rows.append(
            {
                **own,
                "prob_by_year": full_cdf(f),
                "prob_by": chosen,
                **{f"prob_by_{key}": p for key, p in chosen.items()},
                "median_shift_years": _shift(ref.median_year, f.median_year),
            }
        )
    return {
        "reference": ref.brain,
        "anchors": ref.anchors,
        "anchors_label": ref.model.source_label,
        "unit": "FLOP/s",
        "n": ref.n,
        "seed": ref.seed,
        "method": _METHOD,
        "years": [float(y) for y in years],
        "first_year": float(ref.model.first_year),
        "last_year": float(ref.model.last_year),
        "null_means": null_means(ref.model.last_year),
        "rows": rows,
    }


def _timelines_table(forecasts: Sequence[TaiForecast], years: Sequence[float]) -> Table:
    ref = _reference(forecasts)
    keys = [year_key(y) for y in years]
    records = []
    for f in forecasts:
        records.append(
            {
                "brain": f.brain,
                "label": f.label,
                "frame": f.frame,
                "frame_assumed": f.frame_assumed,
                "penalty": str(f.penalty),
                "penalty_mean_oom": f.penalty.mean_oom,
                "penalty_sd_oom": f.penalty.sd_oom,
                "penalty_rule": f.penalty_rule,
                "log10_flop_per_param": f.log10_flop_per_param,
                "brain_median_flops": f.brain_median_flops,
                "unit": "FLOP/s",
                "median_year": f.median_year if math.isfinite(f.median_year) else None,
                **{f"prob_by_{k}": f.prob_by(y) for k, y in zip(keys, years, strict=True)},
                "median_shift_years": _shift(ref.median_year, f.median_year),
                "anchors": f.anchors,
                "n": f.n,
                "seed": f.seed,
                "method": _METHOD,
            }
        )
    cells = [
        [
            f.brain,
            f.frame_text,
            str(f.penalty),
            format_number(f.brain_median_flops),
            f.year_text(f.median_year),
            *(pct(f.prob_by(y)) for y in years),
            _shift_cell(_shift(ref.median_year, f.median_year)),
        ]
        for f in forecasts
    ]
    headers = [
        "brain",
        "frame",
        "penalty",
        "brain FLOP/s (median)",
        "median TAI year",
        *(f"P(TAI by {k})" for k in keys),
        f"shift vs {ref.brain} (years)",
    ]
    return Table(
        title=f"TAI timelines with each brain swapped into {ref.model.title}",
        headers=headers,
        cells=cells,
        fields=list(records[0]),
        records=records,
        meta=_meta(ref, _label(ref)),
        right=frozenset(range(3, len(headers))),
        notes=[
            f"penalty: orders of magnitude added to the brain's log10 FLOP/s; frame per row; "
            f"'after {ref.model.last_year:.0f}' and a shift of n/a: not reached by "
            f"{ref.model.last_year:.0f} (the last year the model covers)"
        ],
    )


def show_timelines(
    forecasts: Sequence[TaiForecast], years: Sequence[float], fmt: str, out: TextIO
) -> None:
    """``bioanchors timelines``: the swap table, one row per brain."""
    emit(
        fmt,
        out,
        text=lambda: timelines_table(forecasts, "text", years=years),
        table=lambda: _timelines_table(forecasts, years),
        record=lambda: timelines_record(forecasts, years),
        model="timelines",
    )


def _comparison_table(comparison: Comparison, years: Sequence[float]) -> Table:
    first = comparison.default[0]
    keys = [year_key(y) for y in years]
    pairs = list(zip(comparison.default, comparison.variant, strict=True))
    records = [
        {
            "brain": a.brain,
            "frame": a.frame,
            "median_year_default": a.median_year if math.isfinite(a.median_year) else None,
            "median_year_variant": b.median_year if math.isfinite(b.median_year) else None,
            "median_shift_years": _shift(a.median_year, b.median_year),
            **{
                f"prob_by_{k}_{which}": f.prob_by(y)
                for k, y in zip(keys, years, strict=True)
                for which, f in (("default", a), ("variant", b))
            },
            "anchors_default": a.anchors,
            "anchors_variant": b.anchors,
            "unit": "FLOP/s",
            "n": a.n,
            "seed": a.seed,
            "method": _METHOD,
        }
        for a, b in pairs
    ]
    cells = [
        [
            a.brain,
            a.frame_text,
            f"{a.year_text(a.median_year)} -> {b.year_text(b.median_year)}",
            _shift_cell(_shift(a.median_year, b.median_year)),
            *(f"{pct(a.prob_by(y))} -> {pct(b.prob_by(y))}" for y in years),
        ]
        for a, b in pairs
    ]
    headers = [
        "brain",
        "frame",
        "median TAI year",
        "shift (years)",
        *(f"P(TAI by {k})" for k in keys),
    ]
    return Table(
        title="TAI timelines under two sets of anchors: default -> variant",
        headers=headers,
        cells=cells,
        fields=list(records[0]),
        records=records,
        meta=_meta(first, f"{_label(first)} -> {_label(comparison.variant[0])}"),
        right=frozenset(range(2, len(headers))),
    )


def show_comparison(comparison: Comparison, years: Sequence[float], fmt: str, out: TextIO) -> None:
    """``bioanchors timelines --compare-anchors``: the same brains under two sets of anchors."""
    emit(
        fmt,
        out,
        text=lambda: comparison_text(comparison, years),
        table=lambda: _comparison_table(comparison, years),
        record=lambda: comparison_record(comparison, years),
        model="timelines-compare",
    )


def _meta(forecast: TaiForecast, anchors: str) -> dict[str, object]:
    """What every row of a timelines table shares, for its Markdown title line and CSV."""
    return {
        "unit": "FLOP/s",
        "n": forecast.n,
        "seed": forecast.seed,
        "method": _METHOD,
        "anchors": anchors,
    }
