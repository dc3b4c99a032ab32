"""A scenario file's ``[[correlations]]``: inputs bound as :func:`bioanchors.correlate` binds them.

A file may say::

    [[correlations]]
    steps = ["synapses", "spike_rate"]
    rho = 0.3
    note = "why these move together"

    [[correlations]]
    steps = ["a", "b", "c"]
    matrix = [[1.0, 0.2, 0.1], [0.2, 1.0, 0.4], [0.1, 0.4, 1.0]]

Each entry is checked here for what only a file can get wrong (a name that is not a step, a
formula step, a step in two entries) and then handed to the library's own checks, the ones
:func:`~bioanchors.correlate` makes (the correlation in [-1, 1], the matrix square, symmetric,
unit-diagonal and positive semi-definite, each step an uncertain input rather than a single
value); every problem names the file and ``correlations #N.FIELD`` (N counts the entries of
that file from 1). The correlated inputs are the ones ``ba.correlate`` returns for the built
steps, with one difference: the group's random stream is named by the file and the steps
(as each step's own stream is), so the file draws the same numbers however often it is
loaded, where two ``ba.correlate`` calls alike draw two independent groups.

A correlation binds the distributions its file wrote. A step replaced afterwards, by a file
that ``extends`` this one or by :meth:`~bioanchors.Scenario.with_inputs`, leaves the group with
a :class:`~bioanchors.errors.BioanchorsWarning` (the rest of the group keeps its correlations;
a group left with one step is dropped): the new value was not part of that judgement. A child
file may correlate the new step in its own ``[[correlations]]``.
"""

from __future__ import annotations

import difflib
import re
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Annotated, Final

import numpy as np
from pydantic import BaseModel, ConfigDict, Field, StrictFloat, StrictStr, model_validator

from bioanchors._graph.combine import _correlation_matrix, correlate
from bioanchors._graph.nodes import Leaf
from bioanchors._graph.streams import label_key
from bioanchors._graph.uncertain import Uncertain
from bioanchors.errors import BioanchorsWarning, CorrelationError, ScenarioError

__all__ = [
    "CORRELATIONS_DESCRIPTION",
    "CorrelationEntry",
    "CorrelationSpec",
    "correlate_steps",
    "entry_field",
    "group_stream",
]

_STREAM = r"^[a-z0-9][a-z0-9._-]*/correlations/[a-z_][a-z0-9_]*(\+[a-z_][a-z0-9_]*)+$"

CORRELATIONS_DESCRIPTION: Final = (
    "inputs whose uncertainties move together, each entry a group of input steps bound by a "
    "Gaussian copula as ba.correlate binds them: `steps` and either `rho` (one correlation for "
    "every pair) or `matrix`. A step is in at most one group; a file that extends this one "
    "inherits the groups (a step it replaces leaves its group, with a warning)"
)


class CorrelationSpec(BaseModel):
    """One ``[[correlations]]`` entry, as written."""

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    steps: list[Annotated[str, Field(pattern=r"^[a-z_][a-z0-9_]*$")]] = Field(
        min_length=2,
        description="the names of two or more input steps with a spread (between or a "
        "distribution; not a single value, an architecture or a formula), in the order of "
        "`matrix`'s rows",
    )
    rho: StrictFloat | None = Field(
        default=None,
        description="the correlation of every pair, in [-1, 1]: the Pearson correlation of the "
        "steps' normal scores (for lognormals, of their logarithms); their rank correlation is "
        "(6 / pi) asin(rho / 2)",
    )
    matrix: list[list[StrictFloat]] | None = Field(
        default=None,
        description="instead of rho, the full correlation matrix, one row per step of `steps`: "
        "square, symmetric, 1 on the diagonal, entries in [-1, 1], positive semi-definite",
    )
    note: StrictStr | None = Field(
        default=None,
        description="why these steps move together, and where the number comes from",
    )
    stream: Annotated[str, Field(pattern=_STREAM)] | None = Field(
        default=None,
        description="the random stream the group draws from, as 'scenario/correlations/a+b' "
        "(default: this file's name and the steps'); Scenario.to_toml writes it where a "
        "merged or renamed file must keep drawing the same numbers",
    )

    @model_validator(mode="after")
    def _one_form(self) -> CorrelationSpec:
        if (self.rho is None) == (self.matrix is None):
            raise ValueError("a correlations entry needs exactly one of rho or matrix")
        return self


@dataclass(frozen=True)
class CorrelationEntry:
    """A ``[[correlations]]`` entry with its file, its place there (1 for the first), and
    the steps of it that a file extending that one replaces, with that file."""

    spec: CorrelationSpec
    file: str
    index: int
    replaced: tuple[tuple[str, str], ...] = ()


def group_stream(scenario: str, steps: Sequence[str]) -> str:
    """The default stream of a file's correlation group: the file's and the steps' names."""
    return f"{scenario}/correlations/{'+'.join(steps)}"


def entry_field(index: int, field: str | None = None) -> str:
    """The ``field`` of a problem in the ``index``-th entry (from 1): ``correlations #2.rho``."""
    return f"correlations #{index}" + (f".{field}" if field else "")


_INPUT: Final = re.compile(r"input (\d+) \(.*?\) is")


def correlate_steps(
    entries: Sequence[CorrelationEntry],
    built: Mapping[str, Uncertain],
    formulas: frozenset[str],
    *,
    known: frozenset[str],
    replaced: Mapping[str, str] | None = None,
) -> tuple[dict[str, Uncertain], list[ScenarioError]]:
    """The correlated inputs by step name, and the problems (returned, not raised).

    ``built`` holds the steps that were built (a step that failed is missing: an entry using
    it is skipped, its problem being the step's), ``formulas`` the names of formula steps,
    ``known`` every step name, and ``replaced`` the steps replaced after the files were written,
    with who replaced them (those leave their groups, with a warning).
    """
    result: dict[str, Uncertain] = {}
    problems: list[ScenarioError] = []
    grouped: dict[str, CorrelationEntry] = {}
    for entry in entries:
        try:
            gone = {**dict(entry.replaced), **(replaced or {})}
            result.update(_one(entry, built, formulas, known, gone, grouped))
        except ScenarioError as error:
            problems.append(error)
    return result, problems


def _one(
    entry: CorrelationEntry,
    built: Mapping[str, Uncertain],
    formulas: frozenset[str],
    known: frozenset[str],
    replaced: Mapping[str, str],
    grouped: dict[str, CorrelationEntry],
) -> dict[str, Uncertain]:
    spec, file = entry.spec, entry.file

    def refuse(message: str, field: str) -> ScenarioError:
        return ScenarioError(message, file=file, field=entry_field(entry.index, field))

    form = "rho" if spec.rho is not None else "matrix"
    for name in spec.steps:
        if name not in known:
            close = difflib.get_close_matches(name, sorted(known), n=3, cutoff=0.5)
            hint = f"; did you mean {' or '.join(map(repr, close))}?" if close else ""
            raise refuse(f"{name!r} is not a step of the scenario{hint}", "steps")
        if name in formulas and name not in replaced:
            raise refuse(
                f"step {name!r} is a formula, not an input: correlate the inputs it uses",
                "steps",
            )
    try:  # the matrix's own checks first, so that its problems name rho or matrix
        corr: float | list[list[float]] = spec.rho if spec.rho is not None else spec.matrix or []
        matrix = _correlation_matrix(corr, len(spec.steps))
    except CorrelationError as error:
        raise refuse(str(error).removeprefix("correlate: "), form) from None
    for name in spec.steps:
        other = grouped.get(name)
        if other is not None and name not in replaced:
            where = "" if other.file == file else f" of {other.file}"
            raise refuse(
                f"step {name!r} is already in {entry_field(other.index)}{where}; a step is in "
                "at most one group: put the steps that depend on each other in one entry with "
                "a matrix",
                "steps",
            )
    kept = [i for i, name in enumerate(spec.steps) if name not in replaced]
    for name in spec.steps:
        if name in replaced:
            warnings.warn(
                f"{file}: step {name!r} leaves {entry_field(entry.index)} (correlated with "
                f"{', '.join(repr(n) for n in spec.steps if n != name)}): it was replaced by "
                f"{replaced[name]}, and a correlation binds the values its file wrote",
                BioanchorsWarning,
                stacklevel=5,
            )
    names = [spec.steps[i] for i in kept]
    grouped.update((name, entry) for name in names)
    if len(names) < 2 or any(name not in built for name in names):
        return {}  # nothing left to bind, or a step failed (its own problem says why)
    sub = np.asarray(matrix)[np.ix_(kept, kept)]
    rows = [[float(v) for v in row] for row in sub]
    try:
        bound = correlate([built[name] for name in names], rows)
    except CorrelationError as error:
        message = str(error).removeprefix("correlate: ")
        found = _INPUT.search(message)
        if found is not None:
            message = _INPUT.sub(f"step {names[int(found.group(1))]!r} is", message)
        if "not an uncertain input" in message:
            message += " (in a file: between or a distribution, not a value or an architecture)"
        raise refuse(message, "steps") from None
    label = spec.stream or group_stream(Path(file).stem, names)
    return dict(zip(names, _keyed(bound, label), strict=True))


def _keyed(bound: list[Uncertain], label: str) -> list[Uncertain]:
    """``bound`` (from one ``correlate`` call) drawing from the group stream named ``label``:
    a file's group, like its steps, draws the same numbers however often the file is loaded
    (``correlate`` names a new group's stream by how many alike the process made before)."""
    first = bound[0].node
    assert isinstance(first, Leaf)
    assert first.group is not None
    group = replace(first.group, key=label_key(label))  # one object: the engine groups by it
    result = []
    for item in bound:
        node = item.node
        assert isinstance(node, Leaf)
        result.append(Uncertain(replace(node, group=group), item.unit, item.name))
    return result
