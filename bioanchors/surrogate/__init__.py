"""Surrogate network architectures: parameters, receptive field and FLOP per step.

``ba.surrogate.TCN`` is the temporal convolutional network of Beniaguev, Segev & London (2021).
Every architecture implements the :class:`Architecture` protocol and registers the table that
describes it in scenario files (``architecture = { kind = "tcn", ... }``) with
:func:`~bioanchors.surrogate.architecture.architecture_kind`; importing this package registers
them all.
"""

from __future__ import annotations

from bioanchors.surrogate.architecture import DEFAULT_WINDOW, MODES, Architecture, Mode
from bioanchors.surrogate.tcn import BENIAGUEV_2021_AMPA, BENIAGUEV_2021_L5PC, TCN

__all__ = [
    "BENIAGUEV_2021_AMPA",
    "BENIAGUEV_2021_L5PC",
    "DEFAULT_WINDOW",
    "MODES",
    "TCN",
    "Architecture",
    "Mode",
]
