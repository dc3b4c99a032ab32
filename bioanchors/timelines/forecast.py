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

The brain's frame decides the model penalty (:mod:`bioanchors.timelines.swap`): Cotra's
Normal(1, 1) orders for a functional or bound brain, none for an emulation cost, which already
holds digital hardware's inefficiency at being neurons; ``penalty=`` overrides it, and
``log10_flop_per_param=`` picks how parameter counts are inferred from FLOP/s.

Every brain is sampled with the library's engine (``brain.to("FLOP/s").sample(n, seed=seed)``);
the model then draws from its own random stream, the same for every brain at a given seed,
so rows of a comparison differ by their brains and not by sampling noise.

>>> fc = tai_forecast("kokotajlod-2021:claimed", n=20_000)
>>> print(fc)
kokotajlod-2021:claimed: emulation, penalty 0; brain 1.0e17 FLOP/s -> median TAI year 2062
(10th-90th percentile 2044 - after 2200); P(TAI by 2040) 6.1%, by 2050 25.1%
>>> round(fc.prob_by(2100), 2)
0.8
>>> doubled = tai_forecast("kokotajlod-2021:claimed", n=20_000, penalty="cotra")
>>> print(doubled.penalty, doubled.year_text(doubled.median_year))
+1 ± 1 OOM 2075
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from types import MappingProxyType
from typing import Final, Literal

import numpy as np
from numpy.typing import NDArray

from bioanchors._engine.options import check_n, check_seed
from bioanchors._frames import Frame
from bioanchors.errors import InvalidInputError, OperandError
from bioanchors.timelines._years import check_years, order_statistics, percentile_years
from bioanchors.timelines.brains import Brain, BrainLike, log10_brain_samples, resolve
from bioanchors.timelines.cotra.model import AnchorsLike, Cotra2020
from bioanchors.timelines.model import TimelinesModel
from bioanchors.timelines.result import TaiForecast
from bioanchors.timelines.swap import (
    FlopPerParamLike,
    Penalty,
    PenaltyLike,
    PenaltyRule,
    check_flop_per_param,
    check_frame,
    check_penalty,
    emulation_log10_flop_per_param,
)

__all__ = [
    "DEFAULT_YEARS",
    "Swap",
    "TaiForecast",
    "choose_model",
    "choose_swap",
    "run_forecast",
    "tai_forecast",
]

DEFAULT_YEARS: Final = range(2025, 2101)
"""Years at which :attr:`TaiForecast.prob_by_year` is tabulated by default."""

_PERCENTILES: Final[tuple[int, int, int]] = (10, 50, 90)
_MODEL_STREAM: Final = 2020  # entropy word that separates the model's stream from the brain's


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


@dataclasses.dataclass(frozen=True, slots=True)
class Swap:
    """How brains go into a model: the penalty override (``"auto"``: by frame), the frame
    given to brains that carry none (``None``: functional, assumed) and Cotra's parameter
    ratio (``None``: the model's own; ``"auto"``: a TCN surrogate's for emulation brains)."""

    penalty: Penalty | str = "auto"
    frame: Frame | None = None
    flop_per_param: float | Literal["auto"] | None = None

    def model_for(self, brain: Brain, model: TimelinesModel) -> TimelinesModel:
        """``model``, inferring parameter counts at this swap's ratio for ``brain``."""
        ratio = self.flop_per_param
        if ratio == "auto":
            ratio = emulation_log10_flop_per_param() if brain.frame == "emulation" else None
        return model if ratio is None else _cotra(model).with_log10_flop_per_param(ratio)

    def framed(self, brain: Brain) -> Brain:
        """``brain`` with :attr:`frame` if it has none; a brain whose own frame differs is
        refused (``frame=`` labels Uncertains and Estimates; ``penalty=`` changes penalties)."""
        if self.frame is None or brain.frame == self.frame:
            return brain
        if brain.frame is None:
            return dataclasses.replace(brain, frame=self.frame)
        raise InvalidInputError(
            f"frame: brain {brain.name!r} is {brain.frame}, not {self.frame}; frame= gives a "
            "frame only to brains without one (an Uncertain, an Estimate): pass penalty= to "
            "change the penalty of a scenario"
        )

    def unframed(self) -> Swap:
        """The same penalty rule, with no frame to give (for brains already framed)."""
        return dataclasses.replace(self, frame=None)

    def penalty_of(self, brain: Brain, model: TimelinesModel) -> tuple[Penalty, PenaltyRule]:
        """The penalty ``model`` adds to ``brain`` and how it was chosen."""
        if isinstance(self.penalty, Penalty):
            return self.penalty, "given"
        if self.penalty == "model":
            return model.penalty_for("functional"), "the model's own"
        return model.penalty_for(brain.frame or "functional"), "by frame"


def choose_swap(
    penalty: PenaltyLike,
    frame: Frame | None,
    log10_flop_per_param: FlopPerParamLike,
    model: TimelinesModel,
) -> Swap:
    """The arguments checked (``InvalidInputError`` naming the argument; ``OperandError`` for
    a parameter ratio given to a model that infers no parameters)."""
    ratio = check_flop_per_param(log10_flop_per_param)
    if ratio is not None:
        _cotra(model)  # refused before any sampling
    return Swap(check_penalty(penalty), check_frame(frame), ratio)


def _cotra(model: TimelinesModel) -> Cotra2020:
    if not isinstance(model, Cotra2020):
        raise OperandError(
            f"log10_flop_per_param: the {model.name} model infers no parameter counts from "
            "FLOP/s; only Cotra (2020) takes this option"
        )
    return model


def _ratio(model: TimelinesModel) -> float | None:
    return model.log10_flop_per_param if isinstance(model, Cotra2020) else None


def _median(values: NDArray[np.float64]) -> float:
    """``np.median(values)`` of finite ``values``, bit for bit: the middle order statistics
    from one partition with one kth (numpy's median partitions with two, its slow path), the
    mean of the two middle ones computed as numpy computes it."""
    if values.size % 2:
        return float(order_statistics(values, [values.size // 2])[0])
    low, high = order_statistics(values, [values.size // 2 - 1, values.size // 2])
    return float((low + high) / 2)


def run_forecast(
    brain: Brain,
    model: TimelinesModel,
    n: int,
    seed: int,
    years: NDArray[np.float64],
    swap: Swap | None = None,
) -> TaiForecast:
    """The forecast of one resolved brain (``n``, ``seed``, ``years`` and ``swap`` already
    checked; the model's reference brain comes with its own frame)."""
    swap = Swap() if swap is None else swap
    brain = swap.framed(brain)
    model = swap.model_for(brain, model)
    penalty, rule = swap.penalty_of(brain, model)
    log10_brain = log10_brain_samples(brain, n, seed)
    # The model's own stream: SeedSequence([seed, 2020]) never coincides with the engine's
    # SeedSequence(seed) children, and is the same for every brain (common random numbers).
    rng = np.random.default_rng([seed, _MODEL_STREAM])
    try:
        required = model.log10_requirements(log10_brain, rng=rng, penalty=penalty)
    except InvalidInputError as exc:
        raise InvalidInputError(f"brain {brain.name!r}: {exc}") from exc
    probabilities = [q / 100 for q in _PERCENTILES]
    if isinstance(model, Cotra2020):  # the same numbers, from one pass over the samples
        prob, pct_years = model.tai_summary(years, required, probabilities)
    else:
        prob = model.prob_tai_by(years, required)
        pct_years = percentile_years(model.arrival_years(required), probabilities)
    for array in (years, prob, required):
        array.setflags(write=False)
    return TaiForecast(
        brain=brain.name,
        label=brain.label,
        brain_median_flops=float(10.0 ** _median(log10_brain)),
        years=years,
        prob_by_year=prob,
        percentiles=MappingProxyType(
            {q: float(y) for q, y in zip(_PERCENTILES, pct_years, strict=True)}
        ),
        n=n,
        seed=seed,
        anchors=model.source,
        frame=brain.frame or "functional",
        frame_assumed=brain.frame is None,
        penalty=penalty,
        penalty_rule=rule,
        log10_flop_per_param=_ratio(model),
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
    penalty: PenaltyLike = None,
    frame: Frame | None = None,
    log10_flop_per_param: FlopPerParamLike = None,
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

    ``penalty``: the model penalty added to the brain's log10 FLOP/s. ``None`` or ``"auto"``
    (default): by the brain's frame (Cotra: an emulation brain none, a functional or bound one
    her Normal(1, 1) orders); ``"model"`` or ``"cotra"``: the model's own whatever the frame; a
    number: exactly that many orders; or a :class:`~bioanchors.timelines.Penalty`. ``frame``:
    the frame of a brain that carries none (an Uncertain or an Estimate; default: taken as
    functional, shown "functional (assumed)"); a scenario keeps its own, and a different
    ``frame`` for it is refused. ``log10_flop_per_param``: how Cotra's neural-network anchors
    infer parameter counts from FLOP per subjective second: ``None`` or ``"cotra"`` (default,
    her 1.7 log10 FLOP per parameter), ``"emulation"`` (a TCN surrogate's ~3.3), ``"auto"``
    (the TCN's for an emulation brain, hers for the others) or a number.

    Raises :class:`~bioanchors.errors.ScenarioError` for an unknown scenario or one whose output
    is not FLOP/s, and :class:`~bioanchors.errors.InvalidInputError` naming the field for bad
    years, penalty, frame or log10_flop_per_param, a brain not in FLOP/s, non-positive brain
    samples, or an anchors file with a missing or bad field (weights that do not sum to 1, a
    non-positive doubling time, ...).

    >>> import bioanchors as ba
    >>> small = tai_forecast(ba.point(1e15, "FLOP/s").named("1e15"), n=5_000)
    >>> large = tai_forecast(ba.point(1e19, "FLOP/s").named("1e19"), n=5_000)
    >>> small.median_year < large.median_year
    True
    >>> print(small.frame_text, small.penalty)
    functional (assumed) +1 ± 1 OOM
    """
    chosen = choose_model(anchors, model)
    grid = check_years(years, chosen.first_year, chosen.last_year).copy()  # read-only later
    n, seed = check_n(n), check_seed(seed)
    swap = choose_swap(penalty, frame, log10_flop_per_param, chosen)
    return run_forecast(resolve(brain), chosen, n, seed, grid, swap)
