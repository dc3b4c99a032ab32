"""Cotra (2020) as a :class:`~bioanchors.timelines.TimelinesModel`: :class:`Cotra2020`.

It wraps the six anchors (:mod:`bioanchors.timelines.cotra.anchors`) and the affordability
trends (:mod:`bioanchors.timelines.cotra.affordability`) with one parameter set, read from a
file in the format of ``data/anchors/cotra-2020.toml`` (:meth:`Cotra2020.from_anchors`) or given
as :class:`~bioanchors.timelines.cotra.params.CotraParams`. Its reference brain is Cotra's own
brain input, :func:`reference_brain`, from the file's ``[reproduction]`` table (a functional
estimate). Its model penalty goes by the brain's frame (:meth:`Cotra2020.penalty_for`):
an emulation brain gets none, since an emulation cost already holds digital hardware's
inefficiency at being neurons (:mod:`bioanchors.timelines.swap`).

>>> model = Cotra2020.from_anchors()
>>> model.name, model.source_label
('Cotra (2020)', 'anchors cotra-2020.toml')
>>> print(model.affordable_compute([2030.0]))
[6.31...e+27] FLOP
>>> print(model.penalty_for("functional"), "|", model.penalty_for("emulation"))
+1 ± 1 OOM | 0
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, TypeAlias

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors._frames import Frame
from bioanchors._graph.inputs import lognormal
from bioanchors._graph.uncertain import Uncertain
from bioanchors._units.registry import Quantity, get_registry
from bioanchors.errors import OperandError
from bioanchors.timelines.brains import Brain
from bioanchors.timelines.cotra import affordability
from bioanchors.timelines.cotra.anchors import mixture
from bioanchors.timelines.cotra.file import AnchorsFile, default_anchors_path, load_anchors_file
from bioanchors.timelines.cotra.params import MAX_YEAR, AffordabilityParams, CotraParams
from bioanchors.timelines.swap import NO_PENALTY, Penalty

__all__ = ["REFERENCE_NAME", "AnchorsLike", "Cotra2020", "reference_brain"]

AnchorsLike: TypeAlias = "str | os.PathLike[str] | AnchorsFile | CotraParams | None"
"""Cotra (2020) parameters: a file in the format of ``cotra-2020.toml`` (None: that file), a
loaded :class:`~bioanchors.timelines.cotra.file.AnchorsFile` (such as a variant made with
:meth:`~bioanchors.timelines.cotra.file.AnchorsFile.with_values`), or
:class:`~bioanchors.timelines.cotra.params.CotraParams`."""

REFERENCE_NAME: Final = "cotra-2020"
"""Name of the reference row: Cotra's own brain input (see :func:`reference_brain`)."""

_DEFAULT_REFERENCE: Final = (15.0, 1.5)  # if no file says: log10 FLOP/s ~ Normal(15, 1.5)


def _reproduction(path: str | os.PathLike[str]) -> tuple[float, float] | None:
    found = load_anchors_file(path).reproduction
    return None if found is None else found.brain


def _reference_log10(anchors: str | os.PathLike[str] | None) -> tuple[float, float]:
    found = None if anchors is None else _reproduction(anchors)
    return found or _reproduction(default_anchors_path()) or _DEFAULT_REFERENCE


def _reference_uncertain(median: float, sd: float) -> Uncertain:
    brain = lognormal(10.0**median, 10.0**sd, "FLOP/s", name=REFERENCE_NAME)
    # Keyed by its parameters: the same reference draws the same numbers in every call.
    return brain.keyed(f"{REFERENCE_NAME}/brain/{median!r}/{sd!r}")


def reference_brain(anchors: str | os.PathLike[str] | None = None) -> Uncertain:
    """Cotra's (2020) own brain input, named ``"cotra-2020"``: log10 FLOP/s ~ Normal(15, 1.5).

    Read from the ``[reproduction]`` table of the anchors file (the bundled one if ``anchors``
    is None or has no such table): median 1e15 FLOP/s (Carlsmith 2020, used by Cotra), sd 1.5
    orders of magnitude. With it the model reproduces her headline numbers
    (``tests/test_timelines.py``).

    >>> print(reference_brain().estimate())
    1.0e15 FLOP/s (90% CI 3.4e12 – 2.9e17)
    """
    return _reference_uncertain(*_reference_log10(anchors))


@dataclass(frozen=True, slots=True)
class Cotra2020:
    """Cotra's (2020) biological anchors with one parameter set, as a timelines model.

    ``params`` are the anchors, weights and affordability trends; ``source`` says where they
    came from (the file, or "CotraParams given in Python"); ``reference`` is the (median, sd)
    in log10 FLOP/s of Cotra's brain input; ``variant`` names an anchors variant (a file that
    ``extends`` another, or one made with ``--set``), None otherwise. Build it with
    :meth:`from_anchors`.
    """

    params: CotraParams = field(default_factory=CotraParams)
    source: str = "CotraParams given in Python"
    reference: tuple[float, float] = _DEFAULT_REFERENCE
    variant: str | None = None

    @classmethod
    def from_anchors(cls, anchors: AnchorsLike = None) -> Cotra2020:
        """The model with the parameters of ``anchors``: a parameter file (default: the bundled
        ``cotra-2020.toml``), a loaded :class:`~bioanchors.timelines.cotra.file.AnchorsFile` or
        :class:`~bioanchors.timelines.cotra.params.CotraParams`. The reference brain comes
        from the file's ``[reproduction]`` table, else the bundled one.

        >>> from bioanchors.timelines.cotra.file import load_anchors_file
        >>> fast = load_anchors_file(default_anchors_path()).with_values(
        ...     {"affordability.hardware_halving_time_years": 1.5})
        >>> Cotra2020.from_anchors(fast).source_label
        'anchors cotra-2020 + affordability.hardware_halving_time_years=1.5'
        """
        if isinstance(anchors, CotraParams):
            return cls(anchors, "CotraParams given in Python", _reference_log10(None))
        if anchors is None:
            anchors = default_anchors_path()
        if isinstance(anchors, AnchorsFile):
            found, source = anchors, anchors.name or "an AnchorsFile given in Python"
        elif isinstance(anchors, str | os.PathLike):
            found, source = load_anchors_file(anchors), str(anchors)
        else:
            raise OperandError(
                "anchors must be a path to an anchors .toml file, an AnchorsFile, CotraParams "
                f"or None; got {type(anchors).__name__}"
            )
        reference = found.reproduction.brain if found.reproduction is not None else None
        return cls(found.params(), source, reference or _reference_log10(None), found.variant_label)

    # ------------------------------------------------------------------ description

    @property
    def name(self) -> str:
        return "Cotra (2020)"

    @property
    def title(self) -> str:
        return "Cotra's (2020) biological anchors"

    @property
    def source_label(self) -> str:
        return f"anchors {self.variant or Path(self.source).name}"

    @property
    def first_year(self) -> float:
        return self.params.affordability.base_year

    @property
    def last_year(self) -> float:
        return MAX_YEAR

    @property
    def affordability(self) -> AffordabilityParams:
        """The affordability trends (``params.affordability``)."""
        return self.params.affordability

    @property
    def reference_name(self) -> str:
        return REFERENCE_NAME

    def reference_brain(self) -> Brain:
        median, sd = self.reference
        label = f"Cotra (2020)'s brain input: log10 FLOP/s ~ Normal({median:g}, {sd:g})"
        return Brain(REFERENCE_NAME, label, _reference_uncertain(median, sd), "functional")

    # ------------------------------------------------------------------ the swap

    @property
    def log10_flop_per_param(self) -> float:
        """log10 FLOP per parameter per subjective second the neural-network anchors infer
        parameter counts with (Cotra: 1.7, i.e. 1e16 / 2e14)."""
        return self.params.anchors.log10_flop_per_param_per_subj_sec

    def with_log10_flop_per_param(self, value: float) -> Cotra2020:
        """The same model with parameters inferred at ``value`` log10 FLOP per parameter per
        subjective second (``InvalidInputError`` outside [-20, 20])."""
        anchors = self.params.anchors.replace(log10_flop_per_param_per_subj_sec=value)
        return dataclasses.replace(self, params=self.params.replace(anchors=anchors))

    def penalty_for(self, frame: Frame) -> Penalty:
        """None for an emulation brain (the emulation cost already holds it); Cotra's
        Normal(``model_penalty_oom``, ``model_penalty_sd_oom``) for a functional or bound one."""
        if frame == "emulation":
            return NO_PENALTY
        anchors = self.params.anchors
        return Penalty(anchors.model_penalty_oom, anchors.model_penalty_sd_oom)

    # ------------------------------------------------------------------ log10 arrays

    def log10_requirements(
        self,
        log10_brain_flops: NDArray[np.float64],
        *,
        rng: np.random.Generator,
        penalty: Penalty | None = None,
    ) -> NDArray[np.float64]:
        anchors = self.params.anchors
        if penalty is not None:  # the same draws, scaled: a 0 sd still consumes its normals
            anchors = anchors.replace(
                model_penalty_oom=penalty.mean_oom, model_penalty_sd_oom=penalty.sd_oom
            )
        return mixture(log10_brain_flops, anchors, self.params.weights, rng=rng)

    def log10_affordable_flop(self, years: ArrayLike) -> NDArray[np.float64]:
        return affordability.log10_affordable_flop(years, self.affordability)

    def prob_tai_by(self, years: ArrayLike, log10_requirements: ArrayLike) -> NDArray[np.float64]:
        return affordability.prob_tai_by(years, log10_requirements, self.affordability)

    def arrival_years(self, log10_requirements: ArrayLike) -> NDArray[np.float64]:
        return affordability.arrival_years(log10_requirements, self.affordability)

    def tai_summary(
        self,
        years: ArrayLike,
        log10_requirements: ArrayLike,
        probabilities: Sequence[float] | NDArray[np.float64],
    ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
        """:meth:`prob_tai_by` and the percentile years of :meth:`arrival_years`, the same
        numbers from one pass (:func:`~bioanchors.timelines.cotra.affordability.tai_summary`)."""
        return affordability.tai_summary(
            years, log10_requirements, probabilities, self.affordability
        )

    # ------------------------------------------------------------------ in FLOP

    def requirements(
        self, brain_flops: Quantity, *, rng: np.random.Generator, penalty: Penalty | None = None
    ) -> Quantity:
        """Training FLOP (with 2020 algorithms; ``inf``: never) for samples of brain compute
        given as a Quantity in a unit of FLOP/s (``penalty`` as for
        :meth:`log10_requirements`)."""
        log10_brain = np.log10(np.asarray(brain_flops.to("FLOP/s").magnitude, dtype=np.float64))
        log10_flop = self.log10_requirements(log10_brain, rng=rng, penalty=penalty)
        return get_registry().Quantity(np.power(10.0, log10_flop), "FLOP")

    def affordable_compute(self, years: ArrayLike) -> Quantity:
        """FLOP the largest training run can buy in each year."""
        return get_registry().Quantity(np.power(10.0, self.log10_affordable_flop(years)), "FLOP")
