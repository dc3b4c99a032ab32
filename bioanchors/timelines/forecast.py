"""From brain FLOP/s to TAI timelines: :class:`TaiForecast` and :func:`tai_forecast`.

Ajeya Cotra, "Forecasting TAI with biological anchors" (draft report, Open Philanthropy, 2020;
LessWrong post KrJfoZzpSDpnrv9va) starts from an estimate of the brain's FLOP/s (1e15, after
Carlsmith 2020) and turns it, through six "biological anchors" and trends in hardware, spending
and algorithms, into P(transformative AI by each year). Her model is the default
:class:`~bioanchors.timelines.TimelinesModel`, :class:`~bioanchors.timelines.cotra.Cotra2020`
(every parameter cited in ``data/anchors/cotra-2020.toml``); ``model=`` takes any other. This
module swaps the brain input: any :class:`~bioanchors.Uncertain` or
:class:`~bioanchors.Estimate` in FLOP/s, any scenario, or a scenario's claimed value
(``"NAME:claimed"``) drives the same model, so "does a costlier neuron lengthen or shorten
timelines?" (kokotajlod, EA Forum, 2021) is one call.

Every brain is sampled with the library's engine (``brain.to("FLOP/s").sample(n, seed=seed)``);
the model then draws from its own random stream, the same for every brain at a given seed,
so rows of a comparison differ by their brains and not by sampling noise.

>>> fc = tai_forecast("kokotajlod-2021:claimed", n=20_000)
>>> print(fc)
kokotajlod-2021:claimed: brain 1.0e17 FLOP/s -> median TAI year 2075
(10th-90th percentile 2046 - after 2200); P(TAI by 2040) 5.5%, by 2050 15.4%
>>> round(fc.prob_by(2100), 2)
0.6
"""

from __future__ import annotations

import html
import math
import numbers
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any, Final

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.options import check_n, check_seed
from bioanchors._format import format_number
from bioanchors._units.registry import Quantity, get_registry
from bioanchors.errors import InvalidInputError, OperandError
from bioanchors.timelines._text import TABLE_YEARS, json_number, null_means, pct, year_key
from bioanchors.timelines._text import year_text as _year_text
from bioanchors.timelines._years import check_years, percentile_years
from bioanchors.timelines.brains import Brain, BrainLike, log10_brain_samples, resolve
from bioanchors.timelines.cotra.model import AnchorsLike, Cotra2020
from bioanchors.timelines.cotra.params import AffordabilityParams
from bioanchors.timelines.model import TimelinesModel

__all__ = ["DEFAULT_YEARS", "TaiForecast", "choose_model", "run_forecast", "tai_forecast"]

DEFAULT_YEARS: Final = range(2025, 2101)
"""Years at which :attr:`TaiForecast.prob_by_year` is tabulated by default."""

_PERCENTILES: Final[tuple[int, int, int]] = (10, 50, 90)
_MODEL_STREAM: Final = 2020  # entropy word that separates the model's stream from the brain's


@dataclass(frozen=True, eq=False)
class TaiForecast:
    """P(TAI by year) when one brain-compute estimate drives a timelines model.

    ``brain`` is a short name (the scenario's, ``NAME:claimed``, or the Uncertain's ``name``),
    ``label`` a longer description. ``years`` and ``prob_by_year`` are the tabulated CDF;
    ``percentiles`` maps 10, 50 and 90 to the year by which P(TAI) reaches that percentage
    (``inf`` if not by the model's last year, 2200 for Cotra; with her 10 % "none of these
    anchors" the 90th never is). ``log10_training_flop`` holds the requirement samples (log10
    FLOP, ``inf`` for "none"), so :meth:`prob_by` answers any year exactly; ``training_flop``
    and :meth:`affordable_flop` give them in FLOP. ``anchors`` says where the model's
    parameters came from; ``model`` is the :class:`~bioanchors.timelines.TimelinesModel`.
    """

    brain: str
    label: str
    brain_median_flops: float
    years: NDArray[np.float64]
    prob_by_year: NDArray[np.float64]
    percentiles: Mapping[int, float]
    n: int
    seed: int
    anchors: str
    log10_training_flop: NDArray[np.float64] = field(repr=False)
    model: TimelinesModel = field(repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["percentiles"] = dict(self.percentiles)  # a mappingproxy does not pickle
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["percentiles"] = MappingProxyType(dict(state["percentiles"]))
        for name in ("years", "prob_by_year", "log10_training_flop"):
            array = state[name]  # fresh from pickle: kept as is, so a model's array subclass
            if not (isinstance(array, np.ndarray) and array.dtype == np.float64):  # survives
                array = np.array(array, dtype=np.float64)
            array.setflags(write=False)  # read-only again: pickle does not keep the flag
            state[name] = array
        self.__dict__.update(state)

    @property
    def median_year(self) -> float:
        """Year by which P(TAI) reaches 50 % (``inf`` if not by the model's last year)."""
        return self.percentiles[50]

    @property
    def is_reference(self) -> bool:
        """Whether this row is the model's own brain input (Cotra's ``"cotra-2020"``)."""
        return self.brain == self.model.reference_name

    @property
    def brain_median(self) -> Quantity:
        """:attr:`brain_median_flops` as a Quantity in FLOP/s."""
        return get_registry().Quantity(self.brain_median_flops, "FLOP/s")

    @property
    def training_flop(self) -> Quantity:
        """The requirement samples in FLOP (``inf``: never), a Quantity array."""
        with np.errstate(over="ignore"):
            flop = np.power(10.0, self.log10_training_flop)
        return get_registry().Quantity(flop, "FLOP")

    def affordable_flop(
        self, years: Sequence[float] | NDArray[np.float64] | None = None
    ) -> Quantity:
        """FLOP the largest training run can buy in each of ``years`` (default: :attr:`years`)."""
        grid = self.years if years is None else self._years(years)
        return get_registry().Quantity(
            np.power(10.0, self.model.log10_affordable_flop(grid)), "FLOP"
        )

    @property
    def affordability(self) -> AffordabilityParams:
        """The affordability trends of a Cotra (2020) forecast (``model.params.affordability``)."""
        if not isinstance(self.model, Cotra2020):
            raise AttributeError(f"a {self.model.name} forecast has no Cotra affordability")
        return self.model.affordability

    def _years(self, years: Sequence[float] | NDArray[np.float64]) -> NDArray[np.float64]:
        return check_years(years, self.model.first_year, self.model.last_year)

    def prob_by(self, year: float) -> float:
        """P(TAI by ``year``), for any year the model covers (``[2020, 2200]`` for Cotra)."""
        lo, hi = self.model.first_year, self.model.last_year
        if isinstance(year, bool) or not isinstance(year, numbers.Real) or not lo <= year <= hi:
            raise InvalidInputError(f"year: must be a number in [{lo:g}, {hi:g}], got {year!r}")
        p = self.model.prob_tai_by(np.array([float(year)]), self.log10_training_flop)
        return float(p[0])

    def year_text(self, year: float) -> str:
        """``year`` rounded, or "after 2200" (the model's last year) when it is ``inf``."""
        return _year_text(year, self.model.last_year)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: years that are not reached by the model's last year are ``None`` (JSON
        ``null``), as ``null_means`` says; ``median_reached`` is False when the median year is
        ``None``."""
        return {
            "brain": self.brain,
            "label": self.label,
            "brain_median_flops": self.brain_median_flops,
            "unit": "FLOP/s",
            "n": self.n,
            "seed": self.seed,
            "anchors": self.anchors,
            "median_year": json_number(self.median_year),
            "median_reached": math.isfinite(self.median_year),
            "percentiles": {str(q): json_number(y) for q, y in self.percentiles.items()},
            "null_means": null_means(self.model.last_year),
            "prob_by_year": {
                year_key(y): float(p) for y, p in zip(self.years, self.prob_by_year, strict=True)
            },
        }

    def __str__(self) -> str:
        p10, p90 = self.percentiles[10], self.percentiles[90]
        first, second = (self.prob_by(y) for y in TABLE_YEARS)
        return (
            f"{self.brain}: brain {format_number(self.brain_median_flops)} FLOP/s -> median TAI "
            f"year {self.year_text(self.median_year)} (10th-90th percentile "
            f"{self.year_text(p10)} - {self.year_text(p90)}); P(TAI by {TABLE_YEARS[0]}) "
            f"{pct(first)}, by {TABLE_YEARS[1]} {pct(second)}"
        )

    def __repr__(self) -> str:
        return (
            f"<TaiForecast {self.brain!r}: median TAI year {self.year_text(self.median_year)} "
            f"(n={self.n}, seed={self.seed})>"
        )

    def _repr_html_(self) -> str:
        cells = [
            ("brain", f"{self.brain} ({self.label})"),
            ("brain FLOP/s (median)", format_number(self.brain_median_flops)),
            *(
                (f"{q}th percentile TAI year", self.year_text(y))
                for q, y in self.percentiles.items()
            ),
            *((f"P(TAI by {y})", pct(self.prob_by(y))) for y in (2030, *TABLE_YEARS, 2100)),
            (
                "model",
                f"{self.model.name} anchors from {self.anchors}; n={self.n}, seed={self.seed}",
            ),
        ]
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in cells
        )
        return f"<table>{rows}</table>"


_MODEL_MEMBERS: Final = tuple(
    sorted(name for name in dir(TimelinesModel) if not name.startswith("_"))
)
"""What a timelines model must have, for an error that names what is missing."""


def choose_model(anchors: AnchorsLike, model: TimelinesModel | None) -> TimelinesModel:
    """``model``, or Cotra (2020) with ``anchors`` (default: the bundled parameter file)."""
    if model is None:
        return Cotra2020.from_anchors(anchors)
    if anchors is not None:
        raise OperandError("give anchors (for the default Cotra 2020 model) or model, not both")
    if not isinstance(model, TimelinesModel):
        missing = [name for name in _MODEL_MEMBERS if not hasattr(model, name)]
        raise OperandError(
            f"model must be a TimelinesModel, got {type(model).__name__}"
            + (f" without {', '.join(missing)}" if missing else "")
            + " (see bioanchors.timelines.TimelinesModel)"
        )
    return model


def run_forecast(
    brain: Brain, model: TimelinesModel, n: int, seed: int, years: NDArray[np.float64]
) -> TaiForecast:
    """The forecast of one resolved brain (``n``, ``seed`` and ``years`` already checked)."""
    log10_brain = log10_brain_samples(brain, n, seed)
    # The model's own stream: SeedSequence([seed, 2020]) never coincides with the engine's
    # SeedSequence(seed) children, and is the same for every brain (common random numbers).
    rng = np.random.default_rng([seed, _MODEL_STREAM])
    try:
        required = model.log10_requirements(log10_brain, rng=rng)
    except InvalidInputError as exc:
        raise InvalidInputError(f"brain {brain.name!r}: {exc}") from exc
    prob = model.prob_tai_by(years, required)
    pct_years = percentile_years(model.arrival_years(required), [q / 100 for q in _PERCENTILES])
    for array in (years, prob, required):
        array.setflags(write=False)
    return TaiForecast(
        brain=brain.name,
        label=brain.label,
        brain_median_flops=float(10.0 ** np.median(log10_brain)),
        years=years,
        prob_by_year=prob,
        percentiles=MappingProxyType(
            {q: float(y) for q, y in zip(_PERCENTILES, pct_years, strict=True)}
        ),
        n=n,
        seed=seed,
        anchors=model.source,
        log10_training_flop=required,
        model=model,
    )


def tai_forecast(
    brain: BrainLike,
    *,
    anchors: AnchorsLike = None,
    model: TimelinesModel | None = None,
    n: int = 100_000,
    seed: int = 0,
    years: Sequence[float] | NDArray[np.float64] = DEFAULT_YEARS,
) -> TaiForecast:
    """P(TAI by year) with ``brain`` as the brain-FLOP/s input of a timelines model.

    ``brain``: an :class:`~bioanchors.Uncertain` in FLOP/s (e.g. ``scenario.output``),
    an :class:`~bioanchors.Estimate` in a FLOP/s unit (its samples are resampled, its
    closed-form lognormal or its histogram's quantile function sampled, with their own seeded
    stream; another unit raises pint's ``DimensionalityError``),
    a :class:`~bioanchors._scenarios.scenario.Scenario`, a scenario name or ``.toml`` path, or
    ``"NAME:claimed"`` for the value a scenario's output step claims. ``model``: a
    :class:`~bioanchors.timelines.TimelinesModel`; by default Cotra's (2020), with ``anchors``
    a variant parameter file in the format of ``data/anchors/cotra-2020.toml`` (default: that
    file) or a :class:`~bioanchors.timelines.cotra.CotraParams`. ``n`` brain samples are drawn
    with ``seed``; ``years`` (strictly increasing, within the years the model covers: [2020,
    2200] for Cotra) is where the CDF is tabulated.

    Raises :class:`~bioanchors.errors.ScenarioError` for an unknown scenario or one whose output
    is not FLOP/s, and :class:`~bioanchors.errors.InvalidInputError` naming the field for bad
    years, a brain not in FLOP/s, non-positive brain samples, or an anchors file with a missing
    or bad field (weights that do not sum to 1, a non-positive doubling time, ...).

    >>> import bioanchors as ba
    >>> small = tai_forecast(ba.point(1e15, "FLOP/s").named("1e15"), n=5_000)
    >>> large = tai_forecast(ba.point(1e19, "FLOP/s").named("1e19"), n=5_000)
    >>> small.median_year < large.median_year
    True
    """
    chosen = choose_model(anchors, model)
    grid = check_years(years, chosen.first_year, chosen.last_year).copy()  # read-only later
    n, seed = check_n(n), check_seed(seed)
    return run_forecast(resolve(brain), chosen, n, seed, grid)
