"""Building pint's registry with its parsed definitions kept in the user's cache directory.

Parsing pint's definition files is most of the first estimate of a session (100-150 ms of
about 250 ms). pint can keep what it parsed (``cache_folder``), named by the hash of each
file's content; :func:`build_registry` keeps it in a folder of the user's cache directory, per
pint version, and writes it on the first build (never at import). A folder that cannot be
written, or a file another process is still writing, only means building without the cache:
the registry is the same either way (tests/test_latency.py compares them).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, TypeVar

import pint

__all__ = ["NO_CACHE_VAR", "build_registry", "cache_folder"]

R = TypeVar("R", bound="pint.UnitRegistry[Any]")


NO_CACHE_VAR = "BIOANCHORS_NO_CACHE"
"""Set to any value but "" or "0" to build the registry without reading or writing a cache."""


def cache_folder() -> Path | None:
    """``<user cache dir>/bioanchors/pint-<version>``, or None where there is none or
    :data:`NO_CACHE_VAR` is set (``XDG_CACHE_HOME`` moves the user cache dir on Linux)."""
    if os.environ.get(NO_CACHE_VAR, "") not in ("", "0"):
        return None
    try:
        import platformdirs  # a dependency of pint

        base = platformdirs.user_cache_path("bioanchors", appauthor=False)
    except Exception:  # no home directory, say: build without a cache
        return None
    return base / f"pint-{pint.__version__}"


def build_registry(kind: type[R], definitions: str, cache: Path | bool | None = True) -> R:
    """A ``kind`` registry (offset units not converted) with ``definitions`` loaded.

    ``cache``: True for :func:`cache_folder`, a folder, or None/False for no cache.
    """
    folder = cache_folder() if cache is True else (cache or None)
    if folder is not None:
        try:
            registry = kind(autoconvert_offset_to_baseunit=False, cache_folder=folder)
            registry.load_definitions(definitions)
            return registry
        except Exception:  # any failure of the cache: build without it (same registry)
            pass
    registry = kind(autoconvert_offset_to_baseunit=False)
    registry.load_definitions(definitions)
    return registry
