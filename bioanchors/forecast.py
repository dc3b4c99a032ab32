"""TAI timelines from a brain estimate: :func:`tai_forecast`, :func:`compare_brains`,
:func:`timelines_table`.

A public module kept for the first version's import paths; the timelines package,
:mod:`bioanchors.timelines`, is where the models live.
"""

from __future__ import annotations

from bioanchors.timelines import (
    CLAIMED_SUFFIX,
    DEFAULT_YEARS,
    REFERENCE_NAME,
    BrainLike,
    Cotra2020,
    TaiForecast,
    TimelinesModel,
    anchors_schema,
    compare_brains,
    default_anchors_path,
    default_brains,
    reference_brain,
    tai_forecast,
    timelines_table,
)

__all__ = [
    "CLAIMED_SUFFIX",
    "DEFAULT_YEARS",
    "REFERENCE_NAME",
    "BrainLike",
    "Cotra2020",
    "TaiForecast",
    "TimelinesModel",
    "anchors_schema",
    "compare_brains",
    "default_anchors_path",
    "default_brains",
    "reference_brain",
    "tai_forecast",
    "timelines_table",
]
