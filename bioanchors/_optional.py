"""Optional dependencies, imported on first use with an install hint when they are missing."""

from __future__ import annotations

from typing import Any

__all__ = ["require_pandas"]


def require_pandas() -> Any:
    """The pandas module, or an ImportError that says how to install it."""
    try:
        import pandas
    except ImportError:  # pragma: no cover - depends on the environment
        raise ImportError(
            "to_frame() needs pandas: pip install 'bioanchors[frame]' (or pip install pandas)"
        ) from None
    return pandas
