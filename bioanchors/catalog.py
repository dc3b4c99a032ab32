"""Finding and loading scenario files: the bundled ``data/`` folder and ``BIOANCHORS_PATH``.

A public module (``from bioanchors import catalog``); the implementation lives in
:mod:`bioanchors._scenarios.catalog`.
"""

from __future__ import annotations

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

__all__ = [
    "ENV_VAR",
    "Reference",
    "data_dir",
    "load_scenario",
    "references",
    "scenario_files",
    "scenario_schema",
    "scenarios",
]
