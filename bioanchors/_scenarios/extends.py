"""Resolving ``extends``: a scenario file on top of its parents, as one list of step specs.

A child names its parent by scenario name, or by a path relative to the child's own file
(``extends = "./base.toml"``); the chain is followed up to a file without
``extends`` (a cycle is an error naming it). Merging goes parents first: a child's step replaces
the parent's step of that name in place, new steps come after; ``output``, ``unit``
and ``frame`` are inherited unless the child sets them. A child also inherits its parents'
``[units]`` (and may add its own) and ``[[correlations]]`` (a step it replaces leaves its
parent's group: see :mod:`.file_correlations`).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bioanchors._scenarios.file_correlations import CorrelationEntry
from bioanchors._scenarios.file_units import UnitEntry
from bioanchors._scenarios.found import Found
from bioanchors._scenarios.present import listing
from bioanchors._scenarios.spec import ScenarioSpec, Source, StepSpec, read_spec
from bioanchors.errors import ScenarioError

__all__ = ["Merged", "StepEntry", "merge", "resolve_chain"]

StepEntry = tuple[StepSpec, str, Source | None]
"""A step spec with the file it came from and that file's default ``[source]``."""


@dataclass(frozen=True)
class Merged:
    """A resolved scenario: the child's spec with the inherited ``output``, ``unit`` and
    ``frame``, its steps in order, the child's file and the names of its parents (nearest
    first), with every file's units and correlations (parents first)."""

    spec: ScenarioSpec
    steps: tuple[StepEntry, ...]
    path: Path
    parents: tuple[str, ...]
    units: tuple[UnitEntry, ...] = ()
    correlations: tuple[CorrelationEntry, ...] = ()


def resolve_chain(
    path: Path, files: Found, read: Callable[[Path], ScenarioSpec] = read_spec
) -> list[tuple[ScenarioSpec, Path]]:
    """Read ``path`` and every scenario it extends, child first; ``files``: the scenario
    files by name (extending a name defined in several files is an error naming them);
    ``read`` reads one file (:func:`read_spec`, or a pass's memo of it)."""
    chain: list[tuple[ScenarioSpec, Path]] = []
    seen: list[str] = []
    current: Path | None = path
    while current is not None:
        spec = read(current)
        if spec.name in seen:
            cycle = " -> ".join([*seen, spec.name])
            raise ScenarioError(
                f"extends forms a cycle: {cycle}", file=str(current), field="extends"
            )
        seen.append(spec.name)
        chain.append((spec, current))
        if spec.extends is None:
            current = None
        elif _is_path(spec.extends):
            current = _relative(spec.extends, current)
        elif spec.extends in files.ambiguous:
            raise files.ambiguous_error(spec.extends, file=str(current))
        elif spec.extends in files.files:
            current = files.files[spec.extends]
        else:
            close = difflib.get_close_matches(spec.extends, files.names(), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            beside = current.parent / f"{spec.extends}.toml"
            if beside.is_file():
                hint = f"; a file beside this one is extends = './{beside.name}'"
            raise ScenarioError(
                f"extends {spec.extends!r}, which is not a known scenario{hint}",
                file=str(current),
                field="extends",
            )
    return chain


def _is_path(text: str) -> bool:
    """``extends`` names a file (``./base.toml``, ``../shared/base.toml``), not a scenario."""
    return text.endswith(".toml") or "/" in text or "\\" in text


def _relative(text: str, current: Path) -> Path:
    """The file ``extends = text`` names, relative to the file that says it."""
    target = (current.parent / text).resolve()
    if not target.is_file():
        raise ScenarioError(
            f"extends {text!r}: no scenario file at {str(target)!r} (a path in extends is "
            "relative to the file that says it)",
            file=str(current),
            field="extends",
        )
    return target


def merge(chain: list[tuple[ScenarioSpec, Path]]) -> Merged:
    """Merge a chain from :func:`resolve_chain`: parents first; a child's step replaces the
    parent's of that name.

    A child inherits its parent's ``output``, ``unit`` and ``frame`` unless it sets them; a
    child that adds steps of new names must set ``output`` (otherwise its new steps would
    silently not count).
    """
    ordered: dict[str, StepEntry] = {}
    output: str | None = None
    unit: str | None = None
    frame: str | None = None
    for spec, path in reversed(chain):
        added = [step.name for step in spec.steps if step.name not in ordered]
        if spec.extends is not None and spec.output is None and added:
            raise ScenarioError(
                f"extends {spec.extends!r} and adds the step{'s' if len(added) > 1 else ''} "
                f"{listing(added)}, but has no output: say which step is the result, e.g. "
                f"output = {added[-1]!r} (or output = {output!r} to keep the parent's)",
                file=str(path),
                field="output",
            )
        for step in spec.steps:
            ordered[step.name] = (step, str(path), spec.source)
        output = spec.output if spec.output is not None else output
        unit = spec.unit if spec.unit is not None else unit
        frame = spec.frame if spec.frame is not None else frame
    child, path = chain[0]
    merged = child.model_copy(update={"output": output, "unit": unit, "frame": frame})
    parents = tuple(spec.name for spec, _ in chain[1:])
    units = tuple(
        (name, text, str(file))
        for spec, file in reversed(chain)
        for name, text in spec.units.items()
    )
    return Merged(merged, tuple(ordered.values()), path, parents, units, _correlations(chain))


def _correlations(chain: list[tuple[ScenarioSpec, Path]]) -> tuple[CorrelationEntry, ...]:
    """Every file's correlation entries, parents first, each with the steps of it that a
    nearer file (a child) replaces, and that file."""
    entries: list[CorrelationEntry] = []
    for depth in range(len(chain) - 1, -1, -1):
        spec, file = chain[depth]
        for index, entry in enumerate(spec.correlations, start=1):
            replaced = []
            for name in entry.steps:
                by = next(
                    (str(p) for s, p in chain[depth - 1 :: -1] if depth and _defines(s, name)),
                    None,
                )
                if by is not None:
                    replaced.append((name, by))
            entries.append(CorrelationEntry(entry, str(file), index, tuple(replaced)))
    return tuple(entries)


def _defines(spec: ScenarioSpec, name: str) -> bool:
    return any(step.name == name for step in spec.steps)
