"""The seam for timelines models: :class:`TimelinesModel`, what a forecast needs of a model.

A model turns brain compute into the training compute a transformative model needs, and years
into the compute the largest training run can afford; the forecast layer
(:func:`~bioanchors.timelines.tai_forecast`, :func:`~bioanchors.timelines.compare_brains`,
:func:`~bioanchors.timelines.timelines_table`, the plots and the CLI) only talks to it through
this protocol, so a second model is one new class, without touching them. Cotra (2020),
:class:`~bioanchors.timelines.cotra.Cotra2020`, is the first.

The protocol speaks log10 units in plain numpy arrays: brain samples in log10 FLOP/s,
requirement samples in log10 training FLOP (``+inf``: "never"), affordable compute in log10
FLOP. The vectorised math stays fast and exact there (10**60 FLOP is an ordinary float in
log10); :class:`~bioanchors.timelines.TaiForecast` gives the results in FLOP as pint Quantities
(``training_flop``, ``affordable_flop()``).
"""

from __future__ import annotations

from typing import Protocol, runtime_checkable

import numpy as np
from numpy.typing import NDArray

from bioanchors._frames import Frame
from bioanchors.timelines.brains import Brain
from bioanchors.timelines.swap import Penalty

__all__ = ["TimelinesModel"]


@runtime_checkable
class TimelinesModel(Protocol):
    """What :func:`~bioanchors.timelines.tai_forecast` needs of a timelines model.

    Implement the five methods and the descriptive properties; the model must be
    immutable and picklable (a frozen dataclass is enough), since every
    :class:`~bioanchors.timelines.TaiForecast` keeps it to answer ``prob_by(year)``.
    """

    @property
    def name(self) -> str:
        """Short name of the model, e.g. ``"Cotra (2020)"`` (the HTML view, the plot title)."""
        ...

    @property
    def title(self) -> str:
        """What the brains are swapped into, for table titles: ``"Cotra's (2020) biological
        anchors"`` gives "TAI timelines with each brain swapped into Cotra's (2020) ..."."""
        ...

    @property
    def source(self) -> str:
        """Where the parameters come from (a file path, or a note such as "given in Python");
        :attr:`TaiForecast.anchors <bioanchors.timelines.TaiForecast.anchors>` holds it."""
        ...

    @property
    def source_label(self) -> str:
        """:attr:`source` for a table header, e.g. ``"anchors cotra-2020.toml"``."""
        ...

    @property
    def first_year(self) -> float:
        """First year the model covers (its requirements are in that year's algorithms)."""
        ...

    @property
    def last_year(self) -> float:
        """Last year the model covers; arrival after it is ``inf`` ("not by then")."""
        ...

    @property
    def reference_name(self) -> str | None:
        """The name of :meth:`reference_brain`'s row (``None``: the model has none)."""
        ...

    def reference_brain(self) -> Brain | None:
        """The model's own brain input, drawn as the first row of
        :func:`~bioanchors.timelines.compare_brains` (``None``: the model has none). Called
        once per comparison: building an input counts towards the stream keys of inputs
        built alike later, so the forecast layer does not call it otherwise."""
        ...

    def penalty_for(self, frame: Frame) -> Penalty:
        """The penalty the model adds to the log10 FLOP/s of a brain in ``frame`` (see
        :mod:`bioanchors.timelines.swap`). A model without one returns
        :data:`~bioanchors.timelines.NO_PENALTY` for every frame; Cotra's gives an emulation
        brain none and every other brain her Normal(1, 1) orders. ``penalty_for("functional")``
        is the model's own penalty (``penalty="model"``)."""
        ...

    def log10_requirements(
        self,
        log10_brain_flops: NDArray[np.float64],
        *,
        rng: np.random.Generator,
        penalty: Penalty | None = None,
    ) -> NDArray[np.float64]:
        """One sample of log10 training FLOP (``+inf``: never) per brain sample (log10 FLOP/s),
        in the same order; all randomness from ``rng``, drawn alike whatever the ``penalty``
        (so forecasts with different penalties differ by the penalty, not by noise).
        ``penalty``: the one to add (``None``: ``penalty_for("functional")``). Raise
        :class:`~bioanchors.errors.InvalidInputError` naming ``log10_brain_flops`` for samples
        the model cannot take."""
        ...

    def log10_affordable_flop(self, years: NDArray[np.float64]) -> NDArray[np.float64]:
        """log10 FLOP the largest training run can buy in each year."""
        ...

    def prob_tai_by(
        self, years: NDArray[np.float64], log10_requirements: NDArray[np.float64]
    ) -> NDArray[np.float64]:
        """P(TAI by each year): the fraction of requirement samples met by then (a CDF in the
        year; ``years`` strictly increasing within [first_year, last_year])."""
        ...

    def arrival_years(self, log10_requirements: NDArray[np.float64]) -> NDArray[np.float64]:
        """The year each requirement sample is first met (``inf``: not by ``last_year``)."""
        ...
