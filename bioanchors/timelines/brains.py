"""Brains for the timelines: what a brain may be (:data:`BrainLike`) and how it is sampled.

A brain is an :class:`~bioanchors.Uncertain` or an :class:`~bioanchors.Estimate` in FLOP/s, a
:class:`~bioanchors._scenarios.scenario.Scenario`, a scenario name or ``.toml`` path, or
``"NAME:claimed"`` for the value a scenario's output step claims. :func:`resolve` turns one into
a :class:`Brain` (a name, a label, the FLOP/s and the frame) before any sampling, so that a bad
name fails at once; :func:`log10_brain_samples` draws it. Every timelines model takes the
same brains.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any, Final, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._format import format_number
from bioanchors._frames import Frame
from bioanchors._graph.inputs import point
from bioanchors._graph.uncertain import Uncertain
from bioanchors._results.brain import estimate_log10_flops, positive_log10
from bioanchors._results.estimate import Estimate
from bioanchors._scenarios.catalog import load_every_or_skip, load_scenario
from bioanchors._scenarios.scenario import Scenario
from bioanchors._units.registry import as_unit, conversion_factor, format_unit
from bioanchors.errors import InvalidInputError, OperandError, ScenarioError

__all__ = [
    "CLAIMED_SUFFIX",
    "Brain",
    "BrainLike",
    "default_brains",
    "log10_brain_samples",
    "resolve",
    "resolve_default_brains",
]

BrainLike: TypeAlias = "Brain | Uncertain | Estimate | Scenario | str | os.PathLike[str]"
"""A brain: an Uncertain or an Estimate in FLOP/s, a Scenario, a scenario name or path,
``"NAME:claimed"``, or a :class:`Brain` already resolved (its FLOP/s checked again)."""

CLAIMED_SUFFIX: Final = ":claimed"
"""``"NAME:claimed"`` is the value scenario NAME's output step claims (kokotajlod's 1e17)."""


@dataclass(frozen=True, slots=True)
class Brain:
    """A resolved brain: its short ``name`` (a table row), a longer ``label``, ``flops``,
    an Uncertain in FLOP/s or an Estimate in any unit of it, and ``frame``, what the number
    measures (a scenario's frame; ``None`` for an Uncertain or an Estimate, which carry none:
    the timelines take them as functional, "functional (assumed)")."""

    name: str
    label: str
    flops: Uncertain | Estimate
    frame: Frame | None = None


def _flops_unit() -> pint.Unit:
    return as_unit("FLOP/s")


def _is_flops(unit: Any) -> bool:
    return bool(as_unit(unit).dimensionality == _flops_unit().dimensionality)


def _from_uncertain(brain: Uncertain) -> Brain:
    name = brain.name or "brain"
    if not _is_flops(brain.unit):
        got = format_unit(brain.unit) or "dimensionless"
        raise InvalidInputError(
            f"brain {name!r} is in {got!r}, not FLOP/s: a TAI forecast needs brain compute "
            "(dimension [computation]/[time])"
        )
    return Brain(name, name, brain.to(_flops_unit()))


def _from_scenario(scenario: Scenario) -> Brain:
    if not _is_flops(scenario.unit):
        got = format_unit(scenario.unit) or "dimensionless"
        raise ScenarioError(
            f"scenario {scenario.name!r} gives its output in {got!r}, not FLOP/s: a TAI forecast "
            "needs brain compute (dimension [computation]/[time])",
            file=str(scenario.path) if scenario.path else None,
            field="unit",
        )
    return Brain(scenario.name, scenario.title, scenario.output.to(_flops_unit()), scenario.frame)


def _from_claim(scenario: Scenario) -> Brain:
    step = scenario.step(scenario.output_name)
    file = str(scenario.path) if scenario.path else None
    if step.claimed is None:
        raise ScenarioError(
            f"scenario {scenario.name!r} claims no value for its output step "
            f"{step.name!r}, so there is no {scenario.name + CLAIMED_SUFFIX!r} brain",
            file=file,
            step=step.name,
            field="claimed",
        )
    if not _is_flops(step.unit):
        got = format_unit(step.unit) or "dimensionless"
        raise ScenarioError(
            f"the claimed output of scenario {scenario.name!r} is in {got!r}, not FLOP/s",
            file=file,
            step=step.name,
            field="claimed",
        )
    value = float(step.claimed.magnitude) * conversion_factor(step.unit, _flops_unit())
    name = scenario.name + CLAIMED_SUFFIX
    label = f"{scenario.title} (the claimed {format_number(value)} FLOP/s)"
    return Brain(name, label, point(value, "FLOP/s", name=name), scenario.frame)


def _from_estimate(estimate: Estimate) -> Brain:
    source = estimate.source
    name = (source.name if source is not None else None) or "estimate"
    label = f"an Estimate ({estimate.method}, n={estimate.n}, seed={estimate.seed})"
    estimate_log10_flops(estimate, name, 1, 0)  # refuse other units before any sampling
    return Brain(name, label, estimate)


def resolve(brain: BrainLike) -> Brain:
    if isinstance(brain, Brain):  # already resolved: its number is checked as any other
        if isinstance(brain.flops, Uncertain):
            _from_uncertain(brain.flops)
        elif isinstance(brain.flops, Estimate):
            _from_estimate(brain.flops)
        else:
            raise OperandError(
                f"brain {brain.name!r}: flops must be an Uncertain or an Estimate in FLOP/s, "
                f"got {type(brain.flops).__name__}"
            )
        return brain
    if isinstance(brain, Uncertain):
        return _from_uncertain(brain)
    if isinstance(brain, Estimate):
        return _from_estimate(brain)
    if isinstance(brain, Scenario):
        return _from_scenario(brain)
    if isinstance(brain, str) and brain.endswith(CLAIMED_SUFFIX):
        return _from_claim(load_scenario(brain.removesuffix(CLAIMED_SUFFIX)))
    if isinstance(brain, str | os.PathLike):
        return _from_scenario(load_scenario(brain))
    raise OperandError(
        "brain must be an Uncertain or an Estimate in FLOP/s, a Scenario, a scenario name or "
        f"path, 'NAME{CLAIMED_SUFFIX}' or a Brain; got {type(brain).__name__}"
    )


def _default_scenarios() -> list[tuple[str, Scenario, bool]]:
    """Every scenario that loads: its name, itself and whether its output claims a value."""
    return [  # a broken file on BIOANCHORS_PATH: warned and skipped
        (name, scenario, scenario.step(scenario.output_name).claimed is not None)
        for name, scenario in load_every_or_skip()
    ]


def default_brains() -> list[str]:
    """Every scenario (:func:`bioanchors.scenarios`), each followed by ``NAME:claimed`` when its
    output step carries a claimed value (kokotajlod's 1e17 FLOP/s beside his recomputed 1e19).
    A user's file that cannot be loaded is skipped with a warning naming it.
    """
    names: list[str] = []
    for name, _, claims in _default_scenarios():
        names.append(name)
        if claims:
            names.append(name + CLAIMED_SUFFIX)
    return names


def resolve_default_brains() -> list[Brain]:
    """``[resolve(name) for name in default_brains()]``, loading each scenario once."""
    brains: list[Brain] = []
    for _, scenario, claims in _default_scenarios():
        brains.append(_from_scenario(scenario))
        if claims:
            brains.append(_from_claim(scenario))
    return brains


def log10_brain_samples(brain: Brain, n: int, seed: int) -> NDArray[np.float64]:
    """``n`` samples of log10 FLOP/s of ``brain``, drawn with ``seed`` (refusing values <= 0)."""
    if isinstance(brain.flops, Estimate):
        return estimate_log10_flops(brain.flops, brain.name, n, seed)
    flops = np.asarray(brain.flops.sample(n, seed=seed).magnitude, dtype=np.float64)
    return positive_log10(flops, brain.name)
