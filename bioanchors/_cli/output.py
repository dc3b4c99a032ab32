"""Where a command writes a figure: a path checked before any sampling starts."""

from __future__ import annotations

import importlib.util
from pathlib import Path

from bioanchors.errors import BioanchorsError

__all__ = ["PLOT_HINT", "check_output"]

PLOT_HINT = "plotting needs matplotlib: pip install 'bioanchors[plot]'"


def check_output(path: str) -> Path:
    """``path`` as a figure file to write: its folder exists, its suffix is an image format
    matplotlib writes, and matplotlib is installed (said before any sampling)."""
    target = Path(path)
    if not target.parent.is_dir():
        raise BioanchorsError(
            f"cannot write {path!r}: the folder {str(target.parent)!r} does not exist"
        )
    if target.suffix.lower() not in (".png", ".svg", ".pdf", ".jpg", ".jpeg"):
        raise BioanchorsError(f"cannot write {path!r}: use a .png, .svg, .pdf or .jpg file name")
    if importlib.util.find_spec("matplotlib") is None:
        raise BioanchorsError(f"cannot write {path!r}: {PLOT_HINT}")
    return target
