"""Scenario names on the command line: a name, a ``.toml`` path, or ``NAME:claimed``.

:func:`load` is what every command uses to load the scenario it is given. ``NAME:claimed`` (the
value scenario NAME's source claims for its output, :mod:`bioanchors._scenarios.claimed`) is a
scenario wherever one is estimated (``run``, ``report --scenarios``, ``plot`` forest and cdf,
``timelines --brain``); where it has nothing to show (``audit``, ``sweep``, ``run --set``,
``plot`` tornado and audit, ``show``) the command says why, naming what to run instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from bioanchors._scenarios.claimed import CLAIMED_SUFFIX, is_claimed, load_named
from bioanchors.errors import ScenarioError

if TYPE_CHECKING:
    from bioanchors import Scenario

__all__ = ["CLAIMED_REFUSALS", "load", "refuse_claimed"]

CLAIMED_REFUSALS = {
    "audit": "one claimed value has no derivation to audit; 'bioanchors audit {base}' compares "
    "the claim with the recomputed value",
    "sweep": "one claimed value has no inputs to vary; 'bioanchors sweep {base} ...' varies the "
    "inputs of the derivation",
    "--set": "one claimed value has no input steps to replace; --set changes the inputs of "
    "'{base}'",
    "a tornado plot": "one claimed value has no uncertain inputs to swing; 'bioanchors plot {base} "
    "--kind tornado' shows what drives the derivation",
    "an audit plot": "one claimed value has no derivation to audit; 'bioanchors plot {base} --kind "
    "audit' draws the claim against the recomputed value",
    "show": "a claimed value is not a file; 'bioanchors show {base}' prints the file that "
    "claims it",
}
"""Why ``NAME:claimed`` means nothing to a command (or an option), by its name."""


def refuse_claimed(name: str, where: str) -> None:
    """A ScenarioError saying why ``where`` takes no ``NAME:claimed``, if ``name`` is one."""
    if is_claimed(name):
        base = name.removesuffix(CLAIMED_SUFFIX)
        reason = CLAIMED_REFUSALS[where].format(base=base)
        raise ScenarioError(f"{where} takes no {name!r}: {reason}")


def load(name: str, *, refuse: str | None = None) -> Scenario:
    """The scenario ``name`` says; ``refuse``: a key of :data:`CLAIMED_REFUSALS` for a command
    that takes no ``NAME:claimed``."""
    if refuse is not None:
        refuse_claimed(name, refuse)
    return load_named(name)
