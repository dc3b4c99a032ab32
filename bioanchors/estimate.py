"""The result type, :class:`Estimate`, and the number formats its tables use.

This public module keeps the import paths of the first version (``from bioanchors.estimate
import format_number``); the implementation lives in :mod:`bioanchors._results`.
"""

from __future__ import annotations

from bioanchors._format import format_number, format_probability
from bioanchors._results.estimate import SUMMARY_PERCENTILES, Estimate

__all__ = ["SUMMARY_PERCENTILES", "Estimate", "format_number", "format_probability"]
