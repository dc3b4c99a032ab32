"""Finding and loading scenario files: bundled ones, user folders, and paths.

Bundled scenarios live in ``data/scenarios`` (shipped in the wheel as ``bioanchors/_data``).
Users add folders of ``*.toml`` files with the ``BIOANCHORS_PATH`` environment variable
(folders separated by ``os.pathsep``) or load a file by its path.

>>> import bioanchors as ba
>>> "kokotajlod-2021" in ba.scenarios()
True
"""

from __future__ import annotations

import difflib
import os
import stat
import warnings
from collections.abc import Callable
from pathlib import Path

from bioanchors._files import data_dir
from bioanchors._scenarios.extends import Merged, merge, resolve_chain
from bioanchors._scenarios.file_units import units_used
from bioanchors._scenarios.found import AmbiguousNameError, Found
from bioanchors._scenarios.present import listing
from bioanchors._scenarios.problems import combined
from bioanchors._scenarios.references import Reference, read_references
from bioanchors._scenarios.scenario import Scenario
from bioanchors._scenarios.spec import ScenarioSpec, read_spec, scenario_schema
from bioanchors._scenarios.steps import Step, build_steps
from bioanchors._units.registry import as_unit
from bioanchors._units.text import parse_quantity_text
from bioanchors.errors import BioanchorsWarning, ScenarioError

__all__ = [
    "ENV_VAR",
    "Reference",
    "data_dir",
    "found_files",
    "load_every_or_skip",
    "load_or_skip",
    "load_scenario",
    "references",
    "scenario_files",
    "scenario_schema",
    "scenarios",
]

ENV_VAR = "BIOANCHORS_PATH"


def _folders() -> list[Path]:
    folders = [data_dir() / "scenarios"]
    for entry in os.environ.get(ENV_VAR, "").split(os.pathsep):
        if not entry.strip():
            continue
        folder = Path(entry).expanduser()
        if not folder.is_dir():
            raise ScenarioError(
                f"{ENV_VAR} names {str(folder)!r}, which is not a folder; set it to folders of "
                f"scenario .toml files separated by {os.pathsep!r}"
            )
        folders.append(folder)
    return folders


def scenario_files() -> dict[str, Path]:
    """Every scenario name with its file; a name found in several files is an error naming
    them all (:func:`scenarios` lists it, and only using it is an error)."""
    found = found_files()
    if found.ambiguous:
        raise combined([found.ambiguous_error(name) for name in sorted(found.ambiguous)])
    return dict(found.files)


def found_files() -> Found:
    """Every scenario name with its file, a name found in several folders kept apart: an
    error only where it is used (see :mod:`bioanchors._scenarios.found`)."""
    found: dict[str, list[Path]] = {}
    for folder in _folders():
        for path in sorted(folder.glob("*.toml")):
            if not _is_regular(path):
                continue  # a FIFO, a device, a folder or a broken link: never opened
            paths = found.setdefault(path.stem, [])
            if all(path.resolve() != seen.resolve() for seen in paths):
                paths.append(path)  # a folder listed twice is one file, not a duplicate
    return Found(
        {name: paths[0] for name, paths in found.items() if len(paths) == 1},
        {name: tuple(paths) for name, paths in found.items() if len(paths) > 1},
    )


def _is_regular(path: Path) -> bool:
    """A regular file, or a symlink to one (``stat`` follows links, and never opens)."""
    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, ValueError):
        return False


def scenarios() -> list[str]:
    """Names of the bundled and user scenarios, sorted; a name defined in several files is
    listed too (loading it is the error naming them)."""
    return found_files().names()


def _find(name: str, found: Found) -> Path:
    path = found.file(name)
    if path is not None:
        return path
    names = found.names()
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else "."
    raise ScenarioError(f"unknown scenario {name!r}{hint} Known scenarios: {', '.join(names)}")


def _looks_like_path(text: str) -> bool:
    return text.endswith(".toml") or os.sep in text or "/" in text


def load_scenario(name_or_path: str | os.PathLike[str]) -> Scenario:
    """Load a scenario by name (bundled or on ``BIOANCHORS_PATH``) or from a ``.toml`` path."""
    return _load(name_or_path, found_files(), read_spec)


def _load(
    name_or_path: str | os.PathLike[str],
    files: Found,
    read: Callable[[Path], ScenarioSpec],
) -> Scenario:
    if isinstance(name_or_path, os.PathLike) or _looks_like_path(str(name_or_path)):
        path = Path(name_or_path)
        if not path.exists():
            raise ScenarioError(f"no scenario file at {str(path)!r}", file=str(path))
    elif isinstance(name_or_path, str):
        path = _find(name_or_path, files)
    else:
        raise ScenarioError(f"expected a scenario name or path, got {name_or_path!r}")
    return _build(merge(resolve_chain(path, files, read)))


def load_every_or_skip() -> list[tuple[str, Scenario]]:
    """Every scenario name with its scenario, sorted by name, as :func:`load_or_skip` gives
    each (a user's file that cannot be loaded: warned and left out), in one pass: the folders
    scanned once, and a file that several scenarios extend read and checked once."""
    files = found_files()
    specs: dict[Path, ScenarioSpec] = {}

    def read(path: Path) -> ScenarioSpec:  # this pass's memo of read_spec (specs are frozen)
        key = path.resolve()
        if key not in specs:
            specs[key] = read_spec(path)
        return specs[key]

    found = []
    for name in files.names():
        try:
            found.append((name, _load(name, files, read)))
        except ScenarioError as error:
            _skip(name, error, files)
    return found


def load_or_skip(name: str) -> Scenario | None:
    """Scenario ``name``, or ``None`` with a one-line warning if it is a user's file (on
    ``BIOANCHORS_PATH``) that cannot be loaded: one broken file does not stop a command that
    shows every scenario (``load_scenario(name)`` still raises the full error). A bundled file
    that fails to load is a bug, and raises."""
    try:
        return load_scenario(name)
    except ScenarioError as error:
        _skip(name, error, found_files())
        return None


def _skip(name: str, error: ScenarioError, files: Found) -> None:
    """Warn that user scenario ``name`` is skipped; re-raise ``error`` for a bundled file,
    unless it uses a name defined in several files (one of them is then a user's)."""
    path = files.files.get(name)
    bundled = data_dir() / "scenarios"
    ambiguous = any(isinstance(problem, AmbiguousNameError) for problem in error.problems)
    if not ambiguous and (path is None or path.resolve().parent == bundled.resolve()):
        raise error
    first, more = error.problems[0], len(error.problems) - 1
    problem = str(first).replace("\n", " ")
    rest = f"and {more} more problem{'s' if more > 1 else ''}; " if more else ""
    where = "" if first.file or name in files.ambiguous else f" ({path})"
    whole = more == 0 and isinstance(first, AmbiguousNameError)  # the warning says it all
    pointer = "" if whole else f" ({rest}`bioanchors run {name}` shows the full error)"
    warnings.warn(
        f"skipped scenario {name!r}{where}, which cannot be loaded: {problem}{pointer}",
        BioanchorsWarning,
        stacklevel=3,
    )


def _build(merged: Merged) -> Scenario:
    spec = merged.spec
    try:
        steps = build_steps(
            list(merged.steps),
            output=spec.output,
            unit=spec.unit,
            units=merged.units,
            correlations=merged.correlations,
        )
    except ScenarioError as error:
        names = [step.name for step, _, _ in merged.steps]
        if spec.output is None or spec.output in names:
            raise
        # Scenario() names a wrong output, but only once the steps build: told beside them.
        close = difflib.get_close_matches(spec.output, names, n=1, cutoff=0.6)
        hint = f" (did you mean {close[0]!r}?)" if close else ""
        wrong_output = ScenarioError(
            f"output {spec.output!r} is not a step{hint}; steps are {listing(names)}",
            file=str(merged.path),
            field="output",
        )
        raise combined([*error.problems, wrong_output]) from None
    _check_own_units(steps, merged)
    return Scenario(
        spec,
        steps,
        path=merged.path,
        parents=merged.parents,
        correlations=merged.correlations,
        units=merged.units,
    )


def _check_own_units(steps: list[Step], merged: Merged) -> None:
    """Refuse a step in a unit that only another file's ``[units]`` defines: it would load
    only after that file (in the order files happen to load), never on its own."""
    own = {name for name, _, _ in merged.units}
    problems = []
    for step in steps:
        used = [step.unit]
        if step.spec.input_unit is not None:
            used.append(as_unit(step.spec.input_unit))
        if isinstance(step.spec.claimed, str):  # as written: the claim is kept in the step's unit
            terms = parse_quantity_text(step.spec.claimed, number_required=False).unit
            used.append(as_unit(" * ".join(name for name, _ in terms) or None))
        for name, definition, file in units_used(used):
            if name not in own:
                problems.append(
                    ScenarioError(
                        f"unit {name!r} is defined by the [units] of {file}, not by this file "
                        "or a file it extends, so this file would load only after that one; "
                        f"define it here too ([units] {name} = {definition!r})",
                        file=step.file,
                        step=step.name,
                        field="unit",
                    )
                )
    if problems:
        raise combined(problems)


def references() -> list[Reference]:
    """Reference points from the bundled ``references.toml`` (validated, see
    :mod:`bioanchors._scenarios.references`)."""
    return read_references(data_dir() / "references.toml")
