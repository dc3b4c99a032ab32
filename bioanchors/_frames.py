"""What a brain-compute number measures: its *frame*, one of three, with a one-line glossary.

Two different questions used to share one FLOP/s column. An *emulation* cost prices running
the brain's neurons on digital hardware at some level of biological detail (a Beniaguev-style
surrogate per neuron, a level of the WBE roadmap); a *functional* estimate is the compute that
suffices for the brain's task performance (Carlsmith's methods, irving's and steve2152's
arguments); a *bound* is a physical or argued limit that brackets the others (Landauer).
Comparing across frames is allowed, but every table and figure labels the frame, and the
timelines swap prices them differently (an emulation cost already carries digital hardware's
inefficiency at being neurons, so Cotra's "artificial models are less efficient than brains"
penalty is not added again).

A bottom-layer module (no bioanchors imports): the scenario format, the references file, the
timelines swap, tables and plots all read it.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Final, Literal, TypeAlias, get_args

__all__ = ["FRAMES", "FRAME_GLOSSARY", "Frame", "frame_glossary_text"]

Frame: TypeAlias = Literal["emulation", "functional", "bound"]
"""What a number measures: ``"emulation"``, ``"functional"`` or ``"bound"``
(see :data:`FRAME_GLOSSARY`)."""

FRAMES: Final[tuple[Frame, ...]] = get_args(Frame)
"""The frames, in the order tables group them."""

FRAME_GLOSSARY: Final = MappingProxyType(
    {
        "emulation": "the cost of emulating the brain's neurons on digital hardware at some "
        "level of biological detail (a trained surrogate network per neuron, a WBE roadmap "
        "level)",
        "functional": "the compute that suffices for the brain's task performance, however "
        "the brain itself does it",
        "bound": "a physical or argued limit that brackets the other two (the Landauer "
        "limit), not a best estimate",
    }
)
"""One line per frame: what a number in that frame measures."""


def frame_glossary_text() -> str:
    """The glossary as ``emulation: ...; functional: ...; bound: ...`` (schema, help texts)."""
    return "; ".join(f"{frame}: {FRAME_GLOSSARY[frame]}" for frame in FRAMES)
