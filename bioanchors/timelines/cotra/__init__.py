"""Cotra (2020), "Forecasting TAI with biological anchors", as a timelines model.

* :mod:`~bioanchors.timelines.cotra.params`: the parameters (pydantic models with bounds);
* :mod:`~bioanchors.timelines.cotra.file`: the cited parameter file and its JSON Schema;
* :mod:`~bioanchors.timelines.cotra.anchors`: the six anchors and their mixture;
* :mod:`~bioanchors.timelines.cotra.affordability`: hardware, spending and algorithmic trends;
* :mod:`~bioanchors.timelines.cotra.model`: :class:`Cotra2020`, the
  :class:`~bioanchors.timelines.TimelinesModel`.
"""

from __future__ import annotations

from bioanchors.timelines.cotra.file import (
    AnchorsFile,
    Cited,
    anchors_schema,
    cotra_2020_params_path,
    default_anchors_path,
    load_anchor_params,
    load_anchors_file,
)
from bioanchors.timelines.cotra.model import REFERENCE_NAME, AnchorsLike, Cotra2020, reference_brain
from bioanchors.timelines.cotra.params import (
    AffordabilityParams,
    AnchorParams,
    CotraParams,
    MixtureWeights,
)

__all__ = [
    "REFERENCE_NAME",
    "AffordabilityParams",
    "AnchorParams",
    "AnchorsFile",
    "AnchorsLike",
    "Cited",
    "Cotra2020",
    "CotraParams",
    "MixtureWeights",
    "anchors_schema",
    "cotra_2020_params_path",
    "default_anchors_path",
    "load_anchor_params",
    "load_anchors_file",
    "reference_brain",
]
