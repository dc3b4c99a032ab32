"""Surrogate network architectures: parameters, receptive field and FLOP per step.

``ba.surrogate.TCN`` is the temporal convolutional network of Beniaguev, Segev & London (2021);
``ELM`` (and Branch-ELM) the neuron of Spieler et al. (2024), ``LSTM`` the recurrent baseline,
``PointNeuron`` the integrate-and-fire, Izhikevich and Hodgkin-Huxley models (Izhikevich 2004).
Every architecture implements the :class:`Architecture` protocol and registers the table that
describes it in scenario files (``architecture = { kind = "tcn", ... }``) with
:func:`~bioanchors.surrogate.architecture.architecture_kind`; importing this package registers
them all.
"""

from __future__ import annotations

from bioanchors.surrogate.architecture import DEFAULT_WINDOW, MODES, Architecture, Mode
from bioanchors.surrogate.elm import ELM, SPIELER_2024_BEST_ELM, SPIELER_2024_BRANCH_ELM
from bioanchors.surrogate.lstm import LSTM
from bioanchors.surrogate.point import IZHIKEVICH_2004_FLOP_PER_MS, PointNeuron
from bioanchors.surrogate.tcn import BENIAGUEV_2021_AMPA, BENIAGUEV_2021_L5PC, TCN

__all__ = [
    "BENIAGUEV_2021_AMPA",
    "BENIAGUEV_2021_L5PC",
    "DEFAULT_WINDOW",
    "ELM",
    "IZHIKEVICH_2004_FLOP_PER_MS",
    "LSTM",
    "MODES",
    "SPIELER_2024_BEST_ELM",
    "SPIELER_2024_BRANCH_ELM",
    "TCN",
    "Architecture",
    "Mode",
    "PointNeuron",
]
