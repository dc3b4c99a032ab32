"""Anchor variants on the command line: ``timelines --set`` and ``--compare-anchors``.

:func:`variant_from_args` turns ``--anchors FILE`` / ``--compare-anchors FILE`` and the
``--set SECTION.FIELD=VALUE`` list into what ``compare_brains(anchors=...)`` takes;
:func:`compare_anchors` runs the same brains, ``n`` and ``seed`` (so the same draws) under the
bundled default anchors and under the variant, and :func:`comparison_text` /
:func:`comparison_json` show them side by side with the shift the variant causes (and, when it
changes several parameters, the shift each change alone causes for the reference brain).
"""

from __future__ import annotations

import argparse
import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bioanchors._format import format_signed
from bioanchors.errors import BioanchorsError
from bioanchors.timelines import TaiForecast, compare_brains
from bioanchors.timelines._text import year_key
from bioanchors.timelines.cotra import AnchorsFile, CotraParams, load_anchors_file
from bioanchors.timelines.cotra.file import default_anchors_path
from bioanchors.timelines.cotra.variants import parse_set, value_text

__all__ = [
    "COMPARE_YEARS",
    "Comparison",
    "compare_anchors",
    "comparison_json",
    "comparison_record",
    "comparison_text",
    "variant_from_args",
]

COMPARE_YEARS = (2030, 2040, 2050)
"""The default P(TAI by year) columns of the comparison (``--years`` chooses others)."""


def variant_from_args(args: argparse.Namespace) -> str | AnchorsFile | None:
    """The anchors ``--anchors``, ``--compare-anchors FILE`` and ``--set`` name (None: the
    bundled default)."""
    path = args.anchors
    if args.compare_anchors:
        if path is not None:
            raise BioanchorsError("give the variant as --anchors FILE or --compare-anchors FILE")
        path = args.compare_anchors
    if not args.set:
        return path  # type: ignore[no-any-return]
    changes: dict[str, Any] = {}
    for text in args.set:
        dotted, value = parse_set(text)
        if dotted in changes:
            raise BioanchorsError(f"--set: {dotted} is set twice")
        changes[dotted] = value
    base = load_anchors_file(path if path is not None else default_anchors_path())
    return base.with_values(changes, where="bioanchors timelines --set")


@dataclass(frozen=True)
class Comparison:
    """The same brains under the default anchors and a variant, row by row."""

    default: list[TaiForecast]
    variant: list[TaiForecast]
    changes: list[tuple[str, Any, Any, float | None]]  # path, default, variant, shift alone


def _flat(params: CotraParams) -> dict[str, Any]:
    return {
        f"{section}.{name}": value
        for section in ("anchors", "weights", "affordability")
        for name, value in dict(getattr(params, section)).items()
    }


def _shift(a: float, b: float) -> float | None:
    return b - a if math.isfinite(a) and math.isfinite(b) else None


def compare_anchors(
    brains: Sequence[str] | None, variant: str | AnchorsFile, **options: Any
) -> Comparison:
    """Forecasts under the bundled anchors and under ``variant`` (``options`` as for
    ``compare_brains``: ``n``, ``seed``, ``penalty``, ``log10_flop_per_param``)."""
    default_file = load_anchors_file(default_anchors_path())
    variant_file = variant if isinstance(variant, AnchorsFile) else load_anchors_file(variant)
    before, after = _flat(default_file.params()), _flat(variant_file.params())
    changed = [(k, before[k], after[k]) for k in before if before[k] != after[k]]
    default = compare_brains(brains, **options)
    moved = compare_brains(brains, anchors=variant, **options)
    changes: list[tuple[str, Any, Any, float | None]] = []
    for dotted, old, new in changed:
        shift = None
        if len(changed) > 1:  # each change alone, for the reference brain
            alone = default_file.with_values({dotted: new})
            row = compare_brains([], anchors=alone, **options)[0]
            shift = _shift(default[0].median_year, row.median_year)
        elif default and moved:
            shift = _shift(default[0].median_year, moved[0].median_year)
        changes.append((dotted, old, new, shift))
    return Comparison(default, moved, changes)


def _shift_text(shift: float | None) -> str:
    return "n/a" if shift is None else format_signed(shift)


def comparison_text(comparison: Comparison, years: Sequence[float] = COMPARE_YEARS) -> str:
    """The side-by-side table: median TAI year and P(TAI by each of ``years``) under each."""
    from bioanchors._format import text_table

    first, second = comparison.default[0], comparison.variant[0]
    headers = ["brain", "median TAI", "shift (years)", *(f"P(by {year_key(y)})" for y in years)]
    rows = [
        [
            a.brain,
            f"{a.year_text(a.median_year)} -> {b.year_text(b.median_year)}",
            _shift_text(_shift(a.median_year, b.median_year)),
            *(f"{100 * a.prob_by(y):.1f}% -> {100 * b.prob_by(y):.1f}%" for y in years),
        ]
        for a, b in zip(comparison.default, comparison.variant, strict=True)
    ]
    alone = len(comparison.changes) > 1
    changes = "\n".join(
        f"  {dotted}: {value_text(old)} -> {value_text(new)}"
        + (f" (alone: reference median {_shift_text(shift)} years)" if alone else "")
        for dotted, old, new, shift in comparison.changes
    )
    return (
        f"TAI timelines under two sets of anchors: default -> variant (the same brains and "
        f"draws, n={first.n}, seed={first.seed}; shift = variant's median TAI year minus the "
        f"default's)\n"
        f"default: {first.model.source_label}\n"
        f"variant: {second.model.source_label}\n"
        f"changes:\n{changes or '  none (the variant has the default values)'}\n\n"
        + text_table(headers, rows, set(range(1, len(headers))))
    )


def _year(value: float) -> float | None:
    return value if math.isfinite(value) else None


def comparison_record(
    comparison: Comparison, years: Sequence[float] = COMPARE_YEARS
) -> dict[str, Any]:
    """The comparison as a JSON-ready record (a year or shift not reached by 2200 is ``None``;
    the schema is ``bioanchors schema timelines-compare``)."""
    first, second = comparison.default[0], comparison.variant[0]
    return {
        "default": {"anchors": first.anchors, "anchors_label": first.model.source_label},
        "variant": {"anchors": second.anchors, "anchors_label": second.model.source_label},
        "unit": "FLOP/s",
        "n": first.n,
        "seed": first.seed,
        "method": "mc",
        "years": [float(y) for y in years],
        "null_means": f"not reached by {first.model.last_year:.0f}",
        "changes": [
            {"parameter": d, "default": old, "variant": new, "reference_median_shift_years": s}
            for d, old, new, s in comparison.changes
        ],
        "rows": [
            {
                "brain": a.brain,
                "frame": a.frame,
                "median_year": {"default": _year(a.median_year), "variant": _year(b.median_year)},
                "median_shift_years": _shift(a.median_year, b.median_year),
                **{
                    f"prob_by_{year_key(y)}": {"default": a.prob_by(y), "variant": b.prob_by(y)}
                    for y in years
                },
            }
            for a, b in zip(comparison.default, comparison.variant, strict=True)
        ],
    }


def comparison_json(comparison: Comparison, years: Sequence[float] = COMPARE_YEARS) -> str:
    """:func:`comparison_record` as JSON text (never NaN or Infinity)."""
    return json.dumps(comparison_record(comparison, years), indent=2, allow_nan=False)
