"""Surrogate network architectures: parameters, receptive field and FLOP per step.

``ba.surrogate.TCN`` is the temporal convolutional network of Beniaguev, Segev & London (2021).
"""

from __future__ import annotations

from bioanchors.surrogate.tcn import (
    BENIAGUEV_2021_AMPA,
    BENIAGUEV_2021_L5PC,
    DEFAULT_WINDOW,
    MODES,
    TCN,
    Mode,
)

__all__ = ["BENIAGUEV_2021_AMPA", "BENIAGUEV_2021_L5PC", "DEFAULT_WINDOW", "MODES", "TCN", "Mode"]
