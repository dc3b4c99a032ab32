"""Finding and loading scenario files: the bundled ``data/`` folder and ``BIOANCHORS_PATH``.

A public module (``from bioanchors import catalog``); the implementation lives in
:mod:`bioanchors._scenarios`. Besides the finders it names what a tool driving scenario files
(the ``bioanchors`` command) needs to know about them: :func:`scenario_schema`, the JSON
Schema of the file format (and :func:`references_schema`, that of ``references.toml``);
:data:`DEFAULT_TOLERANCE`, how far a recomputed step may sit from its claimed value before
:meth:`bioanchors.Scenario.audit` calls it a mismatch; and :data:`MAX_SAMPLES`, the most
samples an estimate draws.

>>> from bioanchors import catalog
>>> "steps" in catalog.scenario_schema()["properties"]
True
"""

from __future__ import annotations

from typing import Final

from bioanchors._engine.options import MAX_SAMPLES as _MAX_SAMPLES
from bioanchors._files import data_dir
from bioanchors._scenarios.catalog import (
    ENV_VAR,
    Reference,
    load_scenario,
    references,
    scenario_files,
    scenario_schema,
    scenarios,
)
from bioanchors._scenarios.references import references_schema
from bioanchors._scenarios.scenario import DEFAULT_TOLERANCE as _DEFAULT_TOLERANCE

__all__ = [
    "DEFAULT_TOLERANCE",
    "ENV_VAR",
    "MAX_SAMPLES",
    "Reference",
    "data_dir",
    "load_scenario",
    "references",
    "references_schema",
    "scenario_files",
    "scenario_schema",
    "scenarios",
]

DEFAULT_TOLERANCE: Final[float] = _DEFAULT_TOLERANCE
"""The default of :meth:`bioanchors.Scenario.audit`'s ``tolerance``, in orders of magnitude."""

MAX_SAMPLES: Final[int] = _MAX_SAMPLES
"""The most samples an estimate draws (10**12); a larger count is refused before sampling."""
