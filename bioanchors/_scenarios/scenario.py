"""Scenarios: a published (or your own) derivation as named steps with citations.

A scenario file (TOML) lists steps in order. An *input* step holds a value or a distribution,
its unit and the citation it rests on; a *formula* step combines earlier steps; any step may
carry the value its source ``claimed``. :meth:`Scenario.audit` recomputes every step and flags
where the claim and the arithmetic disagree.

The parts live beside this module, one concern each: the file format (:mod:`.spec`), building
the steps (:mod:`.steps`), resolving ``extends`` (:mod:`.extends`), the audit (:mod:`.audit`),
presentation (:mod:`.present`) and finding files (:mod:`.catalog`).

>>> import bioanchors as ba
>>> sc = ba.load_scenario("kokotajlod-2021")
>>> [(row.name, row.ok) for row in sc.audit()][-1]
('total', False)
"""

from __future__ import annotations

import os
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import pint

from bioanchors._frames import FRAMES, Frame
from bioanchors._graph.uncertain import Uncertain
from bioanchors._results.estimate import Estimate
from bioanchors._results.sensitivity import Sensitivity, sensitivity
from bioanchors._scenarios.audit import (
    DEFAULT_TOLERANCE,
    AuditedStep,
    AuditTable,
    StepAudit,
    audit_steps,
    check_tolerance,
)
from bioanchors._scenarios.build import StepInput, from_steps_parts
from bioanchors._scenarios.file_correlations import CorrelationEntry
from bioanchors._scenarios.file_units import UnitEntry, units_used
from bioanchors._scenarios.overrides import (
    OverrideValue,
    as_override,
    check_overridable,
    describe,
    override_spec,
)
from bioanchors._scenarios.present import listing, scenario_html, scenario_text
from bioanchors._scenarios.spec import ScenarioSpec, Source
from bioanchors._scenarios.steps import Step, build_steps, names_in
from bioanchors._scenarios.to_toml import save_text, scenario_file
from bioanchors._scenarios.waterfall import Waterfall, build_waterfall
from bioanchors._units.registry import as_unit, format_unit
from bioanchors.errors import BioanchorsWarning, ScenarioError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors._engine.options import Progress

__all__ = [
    "DEFAULT_TOLERANCE",
    "AuditTable",
    "Scenario",
    "Step",
    "StepAudit",
    "build_steps",
]


class Scenario:
    """A brain-compute estimate as a chain of cited steps. Load with ``ba.load_scenario``."""

    def __init__(
        self,
        spec: ScenarioSpec,
        steps: list[Step],
        *,
        path: Path | None,
        parents: tuple[str, ...] = (),
        overridden: tuple[str, ...] = (),
        correlations: tuple[CorrelationEntry, ...] = (),
        units: tuple[UnitEntry, ...] = (),
    ) -> None:
        self.spec = spec
        self.correlations = correlations
        """The ``[[correlations]]`` of its files (parents first), bound when it was built."""
        self.units = units
        """The ``[units]`` of its files (parents first): (name, definition, file)."""
        self.overridden = overridden
        """The steps replaced by :meth:`with_inputs` (empty for a scenario as its file says)."""
        self.name = spec.name
        self.title = spec.title
        self.description = spec.description
        self.path = path
        self.parents = parents
        self.steps = steps
        self._by_name = {step.name: step for step in steps}
        output_name, unit_text = spec.output, spec.unit
        file = str(path) if path else None
        if output_name is None or unit_text is None:
            key = "output" if output_name is None else "unit"
            raise ScenarioError(f"field {key!r} is required", file=file, field=key)
        self._output_name = output_name
        if spec.frame is None:
            raise ScenarioError(
                f"field 'frame' is required: one of {', '.join(map(repr, FRAMES))}",
                file=file,
                field="frame",
            )
        self.frame: Frame = spec.frame
        """What the output measures: ``"emulation"``, ``"functional"`` or ``"bound"``."""
        if output_name not in self._by_name:
            raise ScenarioError(
                f"output {output_name!r} is not a step; steps are {listing(self._by_name)}",
                file=file,
                field="output",
            )
        try:
            self.unit = as_unit(unit_text)
            self.output = self._by_name[output_name].quantity.to(self.unit)
        except pint.UndefinedUnitError as error:
            raise ScenarioError(
                f"unknown unit {unit_text!r}: {error}", file=file, field="unit"
            ) from None
        except pint.DimensionalityError:
            got = format_unit(self._by_name[output_name].unit) or "dimensionless"
            raise ScenarioError(
                f"the output step {output_name!r} is in {got}, which cannot be expressed in the "
                f"declared unit {unit_text!r}",
                file=file,
                field="unit",
            ) from None
        except (ValueError, TypeError) as error:  # "1e3 FLOP/s": a number, not a unit
            raise ScenarioError(
                f"{unit_text!r} is not a unit ({error})", file=file, field="unit"
            ) from None
        self._warn_unused(file)

    def _warn_unused(self, file: str | None) -> None:
        """Warn about steps the output does not use (a typo in a formula, a forgotten term)."""
        used: set[str] = set()
        todo = [self.output_name]
        while todo:
            name = todo.pop()
            if name not in used and name in self._by_name:
                used.add(name)
                todo.extend(names_in(self._by_name[name].spec.formula))
        unused = [step.name for step in self.steps if step.name not in used]
        if unused:
            where = f"{file}: " if file else ""
            warnings.warn(
                f"{where}scenario {self.name!r}: step{'s' if len(unused) > 1 else ''} "
                f"{listing(unused)} {'are' if len(unused) > 1 else 'is'} not used by the output "
                f"{self.output_name!r}; remove {'them' if len(unused) > 1 else 'it'} or use "
                f"{'them' if len(unused) > 1 else 'it'} in a formula",
                BioanchorsWarning,
                stacklevel=4,
            )

    @property
    def output_name(self) -> str:
        """The name of the step that is the scenario's result."""
        return self._output_name

    def step(self, name: str) -> Step:
        """The step called ``name``."""
        try:
            return self._by_name[name]
        except KeyError:
            raise ScenarioError(
                f"no step {name!r} in scenario {self.name!r}; steps are {listing(self._by_name)}"
            ) from None

    def __getitem__(self, name: str) -> Uncertain:
        """The quantity of the step called ``name`` (``sc["neurons"]``)."""
        return self.step(name).quantity

    def estimate(
        self,
        n: int = 100_000,
        *,
        seed: int = 0,
        method: str = "auto",
        chunk_size: int | None = None,
        executor: Executor | None = None,
        max_in_memory: int | None = None,
        progress: Progress | None = None,
    ) -> Estimate:
        """Estimate of the scenario's output, in its declared unit (see
        :meth:`bioanchors.Uncertain.estimate` for the arguments)."""
        return self.output.estimate(
            n,
            seed=seed,
            method=method,
            chunk_size=chunk_size,
            executor=executor,
            max_in_memory=max_in_memory,
            progress=progress,
        )

    def audit(
        self, *, tolerance: float = DEFAULT_TOLERANCE, n: int = 20_000, seed: int = 0
    ) -> AuditTable:
        """Recompute every step and compare it with the value its source claimed.

        ``recomputed`` is the step's median (exact for closed forms and point values; all
        sampled steps come from one joint draw of ``n`` samples, see
        :mod:`bioanchors._scenarios.audit`); a step is ``ok`` when it makes no claim, or when
        |log10(recomputed / claimed)| <= ``tolerance`` (orders of magnitude). The output step
        is reported in the scenario's declared ``unit``, every other step in its own.
        """
        checked = check_tolerance(tolerance)
        entries = [
            AuditedStep(
                step.name,
                step.spec.formula,
                self.output if step.name == self.output_name else step.quantity,
                step.claimed,
                step.file,
            )
            for step in self.steps
        ]
        return audit_steps(entries, tolerance=checked, n=n, seed=seed)

    def waterfall(self, *, n: int = 20_000, seed: int = 0) -> Waterfall:
        """The running median along the output's chain: for each multiplicative step or
        adjustment, the median before and after and the factor it applied, in chain order,
        with the factor that moved the answer most marked (see
        :mod:`bioanchors._scenarios.waterfall`; medians from one joint draw of ``n``, as in
        :meth:`audit`).
        """
        return build_waterfall(self.name, self.steps, self.output_name, self.output, n=n, seed=seed)

    def sensitivity(self, *, n: int = 100_000, seed: int = 0) -> Sensitivity:
        """Which inputs drive the output: see :func:`bioanchors._results.sensitivity`."""
        return sensitivity(self.output, n=n, seed=seed)

    def with_inputs(self, **steps: OverrideValue) -> Scenario:
        """A new scenario with these input steps replaced; this one is untouched.

        Each value is an :class:`~bioanchors.Uncertain` (``ba.point(1e11, "neuron")``,
        ``ba.between(...)``), a pint Quantity, or a bare number read in the step's unit; its
        dimension must be the step's. Formulas are evaluated afresh over the new inputs, and
        every input not replaced draws the same numbers for the same seed as before. A
        replaced step is an uncited user assumption: its citation says "user override" and
        what it replaced, it keeps no claim, and :attr:`overridden` lists it. Only input steps
        can be replaced (a formula step is refused: replace the inputs it uses).

        >>> import bioanchors as ba
        >>> sc = ba.load_scenario("kokotajlod-2021").with_inputs(neurons=1e10)
        >>> sc.estimate().median
        <Quantity(1e+18, 'FLOP / second')>
        >>> sc.overridden
        ('neurons',)
        >>> print(sc.step("neurons").citation)
        user override, not from the source: "1.0e10 neuron, replacing the file's 1.0e11 neuron"
        """
        if not steps:
            return self
        replaced = {
            name: as_override(check_overridable(self._by_name, name, self.name), value)
            for name, value in steps.items()
        }
        specs = [
            (
                override_spec(s.spec, replaced[s.name]) if s.name in replaced else s.spec,
                s.file,
                s.source,
            )
            for s in self.steps
        ]
        built = build_steps(
            specs,
            output=self.spec.output,
            unit=self.spec.unit,
            # earlier overrides stay out of their correlation groups
            overrides={**{n: self[n] for n in self.overridden}, **replaced},
            correlations=self.correlations,
        )
        said = ", ".join(f"{name} = {describe(q)}" for name, q in replaced.items())
        base = self.spec.title.split(" [variant: ", 1)[0] if self.overridden else self.spec.title
        previous = [n for n in self.overridden if n not in replaced]
        if previous:
            said = ", ".join(f"{n} = {describe(self[n])}" for n in previous) + ", " + said
        spec = self.spec.model_copy(update={"title": f"{base} [variant: {said}]"})
        with warnings.catch_warnings():  # unused steps were reported when the file loaded
            warnings.filterwarnings("ignore", ".* not used by the output", BioanchorsWarning)
            return Scenario(
                spec,
                built,
                path=self.path,
                parents=self.parents,
                overridden=(*previous, *replaced),
                correlations=self.correlations,
                units=self.units,
            )

    @classmethod
    def from_steps(
        cls,
        name: str,
        *,
        title: str,
        frame: Frame,
        output: str,
        unit: str,
        steps: Mapping[str, StepInput],
        source: Source | Mapping[str, str] | None = None,
        description: str = "",
        tags: Sequence[str] = (),
    ) -> Scenario:
        """A scenario built in Python, checked as a file's is (its file: :meth:`to_toml`).

        ``steps`` maps each step's name, in order, to a formula string over earlier steps or
        to :func:`bioanchors.cite` of an input (``ba.point``, ``ba.between``, ...: a single
        input, not an expression of several) or of a formula, with its citation; ``source``
        is the default ``who`` and ``where`` (a :class:`Source` or a dict). ``name``,
        ``title``, ``frame``, ``output`` and ``unit`` mean what they mean in a file.

        >>> import bioanchors as ba
        >>> sc = ba.Scenario.from_steps(
        ...     "my-brain", title="Neurons times a cost per neuron", frame="functional",
        ...     output="total", unit="FLOP/s",
        ...     source={"who": "Azevedo et al.", "where": "J. Comp. Neurol. 2009"},
        ...     steps={
        ...         "neurons": ba.cite(ba.point(8.6e10, "neuron"), quote="86 billion neurons"),
        ...         "per_neuron": ba.cite(ba.between(1e3, 1e6, "FLOP/s/neuron"), "assumption",
        ...                               note="my range for one neuron's useful work"),
        ...         "total": "neurons * per_neuron",
        ...     },
        ... )
        >>> sc.estimate().median
        <Quantity(2.71955879e+15, 'FLOP / second')>
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     again = ba.load_scenario(sc.save(folder))
        >>> again.estimate().median == sc.estimate().median
        True
        """
        spec, steps_built = from_steps_parts(
            name,
            title=title,
            frame=frame,
            output=output,
            unit=unit,
            steps=steps,
            source=source,
            description=description,
            tags=tags,
        )
        built = cls(spec, steps_built, path=None)
        # Units that files defined, which its own file must then define (to load on its own).
        claims = [as_unit(s.claimed.units) for s in steps_built if s.claimed is not None]
        built.units = tuple(units_used([s.unit for s in steps_built] + [built.unit, *claims]))
        return built

    def to_toml(self, *, name: str | None = None) -> str:
        """This scenario as the text of a scenario file that loads back to it: the same steps,
        citations, distributions, claims and notes, and the same numbers for the same ``n``
        and seed. ``name`` renames it (the file must then be ``NAME.toml``).

        A scenario that ``extends`` another is written merged and self-contained (no
        ``extends``: every step, each with its own citation); a step drawn from another file's
        random stream says so (``stream``); a step replaced by :meth:`with_inputs` is written
        as your assumption (``assumption = true``, with a note of what it replaced). See
        :mod:`bioanchors._scenarios.to_toml`.
        """
        return scenario_file(
            self.spec,
            self.steps,
            overridden=self.overridden,
            parents=self.parents,
            name=name,
            units=self.units,
            correlations=self.correlations,
        )

    def save(self, path: str | os.PathLike[str], *, overwrite: bool = False) -> Path:
        """Write :meth:`to_toml` to ``path`` and return the file's path: a folder gets
        ``NAME.toml``; a file ``OTHER.toml`` names the scenario ``OTHER`` (a scenario's name is
        its file's); its numbers stay the same. An existing file is kept unless ``overwrite``."""
        return save_text(lambda stem: self.to_toml(name=stem), self.name, path, overwrite=overwrite)

    def __repr__(self) -> str:
        variant = (
            f" variant of its file ({', '.join(self.overridden)} replaced)"
            if self.overridden
            else ""
        )
        return f"<Scenario {self.name!r} ({self.frame}){variant}: {self.title}>"

    def __str__(self) -> str:
        return scenario_text(self.name, self.title, self.steps, self.frame)

    def _repr_html_(self) -> str:
        return scenario_html(self.name, self.title, self.steps, self.frame)
