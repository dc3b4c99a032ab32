"""TAI timelines: any brain estimate driving a timelines model, Cotra's (2020) by default.

* :func:`tai_forecast`, :class:`TaiForecast`: one brain's P(TAI by year)
  (:mod:`~bioanchors.timelines.forecast`);
* :func:`compare_brains`, :func:`timelines_table`: several brains and the swap table
  (:mod:`~bioanchors.timelines.compare`);
* :data:`BrainLike`, :func:`default_brains`: what a brain may be
  (:mod:`~bioanchors.timelines.brains`);
* :class:`Penalty`, :data:`PenaltyLike`, :data:`FlopPerParamLike`: how a brain is swapped in,
  the model penalty by the brain's frame and the parameter ratio
  (:mod:`~bioanchors.timelines.swap`);
* :class:`TimelinesModel`: the protocol a model implements (:mod:`~bioanchors.timelines.model`);
  :class:`Cotra2020` is the first (:mod:`bioanchors.timelines.cotra`), with
  :func:`reference_brain` (Cotra's own brain input) and :func:`anchors_schema` (the JSON Schema
  of its parameter file).
"""

from __future__ import annotations

from bioanchors.timelines.brains import CLAIMED_SUFFIX, Brain, BrainLike, default_brains
from bioanchors.timelines.compare import ForecastTable, compare_brains, timelines_table
from bioanchors.timelines.cotra import (
    REFERENCE_NAME,
    Cotra2020,
    anchors_schema,
    default_anchors_path,
    reference_brain,
)
from bioanchors.timelines.forecast import DEFAULT_YEARS, TaiForecast, tai_forecast
from bioanchors.timelines.model import TimelinesModel
from bioanchors.timelines.swap import (
    NO_PENALTY,
    FlopPerParamLike,
    Penalty,
    PenaltyLike,
    emulation_log10_flop_per_param,
)

__all__ = [
    "CLAIMED_SUFFIX",
    "DEFAULT_YEARS",
    "NO_PENALTY",
    "REFERENCE_NAME",
    "Brain",
    "BrainLike",
    "Cotra2020",
    "FlopPerParamLike",
    "ForecastTable",
    "Penalty",
    "PenaltyLike",
    "TaiForecast",
    "TimelinesModel",
    "anchors_schema",
    "compare_brains",
    "default_anchors_path",
    "default_brains",
    "emulation_log10_flop_per_param",
    "reference_brain",
    "tai_forecast",
    "timelines_table",
]
