"""TAI timelines: Cotra's (2020) biological anchors driven by any brain estimate."""

from __future__ import annotations

from bioanchors.timelines.forecast import TaiForecast, compare_brains, tai_forecast, timelines_table

__all__ = ["TaiForecast", "compare_brains", "tai_forecast", "timelines_table"]
