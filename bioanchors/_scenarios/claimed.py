"""``NAME:claimed``: a scenario's claimed output value as a scenario of its own.

Where a scenario's output step states the value its source claims (kokotajlod-2021 claims
1e17 FLOP/s; its own arithmetic gives 1e19), ``NAME:claimed`` is that value as a one-step
scenario: the same frame, file and citation, its output a point at the claim (in the
scenario's unit), and no claim left to audit. The command line takes it wherever a name that
is estimated goes (``run``, ``report --scenarios``, ``plot``; ``timelines --brain`` through
:mod:`bioanchors.timelines.brains`).

>>> claimed = load_named("kokotajlod-2021:claimed")
>>> claimed.name, claimed.frame, claimed.estimate().median
('kokotajlod-2021:claimed', 'emulation', <Quantity(1e+17, 'FLOP / second')>)
"""

from __future__ import annotations

from bioanchors._format import format_number
from bioanchors._graph.inputs import point
from bioanchors._scenarios.catalog import load_scenario
from bioanchors._scenarios.scenario import Scenario
from bioanchors._scenarios.steps import Step
from bioanchors._units.registry import format_unit
from bioanchors.errors import ScenarioError

__all__ = ["CLAIMED_SUFFIX", "claimed_scenario", "is_claimed", "load_named"]

CLAIMED_SUFFIX = ":claimed"
"""``"NAME:claimed"`` is the value scenario NAME's output step claims."""


def is_claimed(name: str) -> bool:
    """Whether ``name`` asks for a claimed value (``NAME:claimed``)."""
    return name.endswith(CLAIMED_SUFFIX)


def claimed_scenario(scenario: Scenario) -> Scenario:
    """``scenario``'s claimed output as a one-step scenario named ``NAME:claimed``."""
    step = scenario.step(scenario.output_name)
    name = scenario.name + CLAIMED_SUFFIX
    if step.claimed is None:
        raise ScenarioError(
            f"scenario {scenario.name!r} claims no value for its output step {step.name!r}, "
            f"so there is no {name!r}",
            file=str(scenario.path) if scenario.path else None,
            step=step.name,
            field="claimed",
        )
    value = float(step.claimed.to(scenario.unit).magnitude)
    unit = format_unit(scenario.unit)
    quantity = point(value, scenario.unit, name=step.name)
    # A point now, not the formula over steps it no longer has (the waterfall, the HTML
    # report and the step table read the spec).
    as_point = step.spec.model_copy(
        update={"formula": None, "value": value, "unit": unit, "claimed": None}
    )
    alone = Step(step.name, as_point, quantity, None, step.file, step.source)
    title = f"{scenario.title} (the claimed {format_number(value)} {unit})"
    spec = scenario.spec.model_copy(update={"name": name, "title": title})
    return Scenario(spec, [alone], path=scenario.path, parents=scenario.parents)


def load_named(name: str) -> Scenario:
    """:func:`~bioanchors.catalog.load_scenario`, or for ``NAME:claimed`` the claimed value."""
    if is_claimed(name):
        return claimed_scenario(load_scenario(name.removesuffix(CLAIMED_SUFFIX)))
    return load_scenario(name)
