"""The parameters of the Cotra (2020) model: pydantic models with bounds, best guesses as defaults.

:class:`AnchorParams` (the six anchors), :class:`MixtureWeights` (their weights) and
:class:`AffordabilityParams` (hardware, spending and algorithmic trends), together
:class:`CotraParams`. Each field is a number (or an increasing pair) with a physically
meaningful bound (:class:`~bioanchors.timelines.cotra._fields.Within`); the defaults are Cotra's
best guesses, every one cited in ``data/anchors/cotra-2020.toml``
(:mod:`bioanchors.timelines.cotra.file` reads it). A bad value raises
:class:`~bioanchors.errors.InvalidInputError` (a ``ValueError``) ``"<field>: must be ..."``
naming the allowed range; :meth:`replace` returns a validated copy with some fields changed.

>>> try:
...     AffordabilityParams(spend_doubling_time_years=1e-20)
... except ValueError as error:
...     print(error)
spend_doubling_time_years: must be in [0.05, 1000] years (from ~3 weeks to a millennium), got 1e-20
"""

from __future__ import annotations

import math
from typing import Annotated, Any, Final, Literal, Self, TypeAlias

import numpy as np
from numpy.typing import NDArray
from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError, model_validator

from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra._fields import Number, Within, explain, increasing_pair

__all__ = [
    "ANCHOR_NAMES",
    "COMPONENT_NAMES",
    "DEFAULT_AFFORDABILITY",
    "DEFAULT_ANCHOR_PARAMS",
    "DEFAULT_WEIGHTS",
    "MAX_YEAR",
    "AffordabilityParams",
    "AnchorParams",
    "CotraParams",
    "MixtureWeights",
]

MAX_YEAR: Final[float] = 2200.0
"""Last year the model may be asked about; arrival after it is reported as ``inf``."""

ANCHOR_NAMES: Final[tuple[str, ...]] = (
    "short",
    "medium",
    "long",
    "genome",
    "lifetime",
    "evolution",
)
"""The six anchors, in the order of :class:`MixtureWeights`."""

COMPONENT_NAMES: Final[tuple[str, ...]] = (*ANCHOR_NAMES, "none")
"""The mixture's components: the six anchors and "none of these" (``+inf`` FLOP)."""


class _Params(BaseModel):
    """A frozen, validated parameter set; errors are ``InvalidInputError("<field>: ...")``."""

    model_config = ConfigDict(
        frozen=True, extra="forbid", allow_inf_nan=False, protected_namespaces=()
    )

    def __init__(self, **values: Any) -> None:
        try:
            super().__init__(**values)
        except ValidationError as error:
            message = explain(error.errors()[0], values, fields=list(type(self).model_fields))
            raise InvalidInputError(message) from None

    def replace(self, **changes: Any) -> Self:
        """A new, validated parameter set with ``changes`` applied."""
        return type(self)(**{**dict(self), **changes})


# Bounds shared by several fields.
_Time: TypeAlias = Annotated[Number, Within(0.05, 1000.0, "years (from ~3 weeks to a millennium)")]
_Sd: TypeAlias = Annotated[Number, Within(0.0, 10.0, "orders of magnitude (a standard deviation)")]
_Oom: TypeAlias = Annotated[Number, Within(-20.0, 20.0, "orders of magnitude")]
_Year: TypeAlias = Annotated[Number, Within(1900.0, 2200.0, "(a calendar year the model covers)")]
_FlopPerUsd: TypeAlias = Annotated[Number, Within(1.0, 1e40, "FLOP per dollar")]
_Cap: TypeAlias = Annotated[Number, Within(0.0, 30.0, "orders of magnitude")]
_Ramp: TypeAlias = Annotated[Number, Within(0.0, 150.0, "log10 FLOP")]
_RampPair: TypeAlias = Annotated[tuple[_Ramp, _Ramp], AfterValidator(increasing_pair)]
_Horizon: TypeAlias = Annotated[Number, Within(-10.0, 20.0, "log10 subjective seconds")]
_HorizonPair: TypeAlias = Annotated[tuple[_Horizon, _Horizon], AfterValidator(increasing_pair)]
_Weight: TypeAlias = Annotated[Number, Within(0.0, 1.0, "(a probability weight)")]
_LogParams: TypeAlias = Annotated[Number, Within(0.0, 30.0, "log10 parameters")]


class AnchorParams(_Params):
    """Cotra's (2020) best-guess anchor parameters, in log10 units unless the name says not.

    ``*_oom`` are orders of magnitude; ``*_log10_s`` are (lo, hi) ranges of log10 subjective
    seconds for log-uniform horizons; ``*_sd*`` are standard deviations of Normal draws in log10
    units (0 makes the draw a constant). Sources of each value: ``data/anchors/cotra-2020.toml``.
    ``ValueError`` naming the field is raised for a non-finite value, a value outside its
    physically meaningful bound (sds within [0, 10] orders, the scaling exponent within
    [0, 3], ...) or an empty range.
    """

    model_penalty_oom: _Oom = 1.0
    """Median log10 (FLOP per subjective second of the model / brain FLOP/s); Cotra: ~10x."""
    model_penalty_sd_oom: _Sd = 1.0
    """Spread of that penalty (our reading of her wide uncertainty; calibrated)."""
    log10_flop_per_param_per_subj_sec: _Oom = 1.7
    """log10(1e16 FLOP per subjective second / 2e14 parameters): P ~ 2e14 at b = 15."""
    scaling_exponent: Annotated[Number, Within(0.0, 3.0, "(the exponent a of D = K P**a)")] = 0.8
    """``a`` in D = K P**a (Cotra, after Kaplan et al. 2020)."""
    scaling_exponent_sd: Annotated[
        Number, Within(0.0, 2.0, "(a standard deviation of the exponent)")
    ] = 0.2
    """Spread of ``a`` (Hoogland's port of her notebook: Normal(0.8, 0.2))."""
    reference_log10_params: _LogParams = 11.2
    """Reference point of the data scaling curve: 1e11.2 parameters (Wildeford's port)..."""
    reference_log10_data: Annotated[Number, Within(0.0, 40.0, "log10 data points")] = 12.0
    """...trained on 1e12 data points (Wildeford's port; Hoogland's swaps 11.2 and 12)."""
    short_horizon_log10_s: _HorizonPair = (0.0, 3.0)
    """Short-horizon NN anchor: 1-1e3 subjective seconds."""
    medium_horizon_log10_s: _HorizonPair = (3.0, 6.0)
    """Medium-horizon NN anchor: 1e3-1e6 subjective seconds."""
    long_horizon_log10_s: _HorizonPair = (6.0, 9.0)
    """Long-horizon NN anchor: 1e6-1e9 subjective seconds."""
    genome_horizon_log10_s: _HorizonPair = (7.0, 9.0)
    """Genome anchor: 1e7-1e9 subjective seconds."""
    genome_log10_params: _LogParams = math.log10(7.5e8)
    """Genome anchor: parameters = bytes in the human genome, ~7.5e8."""
    medium_adjustment_oom: _Oom = -0.45
    """Medium-horizon anchor: orders added so its median is Epoch's ~3e34 (calibrated)."""
    long_adjustment_oom: _Oom = -0.93
    """Long-horizon anchor: orders added so its median is Epoch's ~1e37 (calibrated)."""
    genome_adjustment_oom: _Oom = -1.14
    """Genome anchor: orders added so its median is Epoch's ~1e33 (calibrated)."""
    lifetime_log10_seconds: Annotated[
        Number, Within(0.0, 15.0, "log10 seconds (1e15 s is ~30 million years)")
    ] = 9.0
    """Lifetime anchor: ~1e9 s (about 32 years) of learning to adulthood."""
    lifetime_adjustment_oom: _Oom = 3.0
    """Lifetime anchor: orders added beyond the model penalty so the median is ~1e28."""
    lifetime_adjustment_sd_oom: _Sd = 1.5
    """Spread of that adjustment (calibrated)."""
    evolution_median_log10_flop: Annotated[Number, Within(0.0, 100.0, "log10 FLOP")] = 41.0
    """Evolution anchor median: ~1e41 FLOP (Cotra 2020)."""
    evolution_sd_oom: Annotated[
        Number, Within(0.0, 20.0, "orders of magnitude (a standard deviation)")
    ] = 4.0
    """Evolution anchor spread (Hoogland's port: 90 % range ~1e34-1e47)."""


class MixtureWeights(_Params):
    """Cotra's (2020) best-guess weights on the anchors; they must sum to 1.

    Short 15 %, long 20 % as in Epoch AI's summary (Ho 2022); Wildeford's Squiggle port gives
    the reverse, short 20 %, long 15 % (rescaled to "none" = 10 %; see the anchors file).
    ``ValueError`` naming the weight is raised for one outside [0, 1], and naming every weight
    and their sum if they do not sum to 1.
    """

    short: _Weight = 0.15
    medium: _Weight = 0.30
    long: _Weight = 0.20
    genome: _Weight = 0.10
    lifetime: _Weight = 0.05
    evolution: _Weight = 0.10
    none: _Weight = 0.10

    @model_validator(mode="after")
    def _sums_to_one(self) -> Self:
        total = float(sum(getattr(self, name) for name in COMPONENT_NAMES))
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            listed = ", ".join(f"{name}={getattr(self, name):g}" for name in COMPONENT_NAMES)
            raise ValueError(f"weights: must sum to 1, got {listed} (sum {total:.6g})")
        return self

    def as_array(self) -> NDArray[np.float64]:
        """Weights in :data:`COMPONENT_NAMES` order, normalised to sum exactly to 1."""
        w = np.array([getattr(self, name) for name in COMPONENT_NAMES], dtype=np.float64)
        out: NDArray[np.float64] = w / w.sum()
        return out


class AffordabilityParams(_Params):
    """Best-guess affordability trends of Cotra (2020); every value is cited in
    ``data/anchors/cotra-2020.toml``.

    Times are in years, money in 2020 US dollars, ``*_oom`` in orders of magnitude (log10).
    ``ValueError`` (:class:`~bioanchors.errors.InvalidInputError`) naming the field is raised for
    a non-finite value, a value outside its physically meaningful bound (doubling and halving
    times within [0.05, 1000] years, GDP growth within [0, 1] per year, base and reference
    years within [1900, 2200), ...), a cap not above the base, or a ramp whose ends are not
    increasing.
    """

    base_year: Annotated[
        Number, Within(1900.0, MAX_YEAR, "(a calendar year the model covers)", hi_open=True)
    ] = 2020.0
    """Year of the 2020 algorithms, prices and GDP that the model starts from (Cotra 2020)."""
    flop_per_usd_base: _FlopPerUsd = 1e17
    """FLOP per dollar in ``base_year``: her spreadsheet's 4e17 in 2025 (both ports) brought
    back to 2020 with the 2.5-year halving time (her notebook's V100 figure: 1.2e17)."""
    hardware_halving_time_years: _Time = 2.5
    """Years for the price of a FLOP to halve (Cotra 2020 best guess, via the ports)."""
    # 1e40 FLOP per dollar is ~12 orders past the Landauer limit at room temperature and
    # $0.1/kWh (~1e28 bit erasures per dollar): generous for reversible-computing what-ifs.
    hardware_max_flop_per_usd: _FlopPerUsd = 1e24
    """Level at which FLOP per dollar saturates: 1e24, ~6.4 orders above the ports' 2025 value
    (4e17) and ~6.9 above 2020's (Hoogland's and Wildeford's ports)."""
    spend_reference_year: _Year = 2025.0
    """Year in which the largest training run costs ``spend_reference_usd``."""
    spend_reference_usd: Annotated[
        Number, Within(1.0, 1e16, "US dollars (1e16 is ~100x world GDP)")
    ] = 1e9
    """Cost of the largest training run in ``spend_reference_year`` (Cotra: ~$1B in 2025)."""
    spend_doubling_time_years: _Time = 2.5
    """Doubling time of that spending (2.5 y in Hoogland's port; some summaries give 2 y)."""
    gdp_base_usd: Annotated[Number, Within(1e9, 1e18, "US dollars")] = 2.13e13
    """GDP of the largest economy in ``base_year`` (Cotra 2020, via the ports)."""
    # A shrinking economy would make affordable compute, and so P(TAI by year), fall.
    gdp_growth_per_year: Annotated[
        Number, Within(0.0, 1.0, "per year (0 to 100 % real growth)")
    ] = 0.03
    """Real GDP growth per year (Cotra 2020, via the ports)."""
    max_gdp_fraction: Annotated[Number, Within(0.0, 1.0, "(a fraction of GDP)", lo_open=True)] = (
        0.01
    )
    """Largest share of that GDP spent on one training run (Cotra 2020: 1 %)."""
    algo_halving_time_slow_years: _Time = 3.5
    """Halving time of the FLOP needed, for requirements at or below the low ramp end."""
    algo_halving_time_fast_years: _Time = 2.0
    """Halving time of the FLOP needed, for requirements at or above the high ramp end."""
    algo_halving_ramp_log10_flop: _RampPair = (29.0, 35.0)
    """log10 FLOP between which the halving time goes linearly from slow to fast."""
    algo_max_oom_low: _Cap = 2.0
    """Cap on algorithmic progress (orders of magnitude) for small requirements."""
    algo_max_oom_high: _Cap = 5.0
    """Cap on algorithmic progress (orders of magnitude) for large requirements."""
    algo_max_oom_ramp_log10_flop: _RampPair = (32.0, 44.0)
    """log10 FLOP between which the cap goes linearly from low to high."""
    algo_progress_by: Literal["anchor", "requirement"] = "anchor"
    """Where the rule above is read: ``"anchor"`` (Cotra's spreadsheet: one halving time and cap
    per anchor, read at ``algo_point_log10_flop_<anchor>``) or ``"requirement"`` (at every
    sample's own requirement, as in Wildeford's port; the reproduction is then up to 4.6 points
    off her curve, but a larger brain also gets faster progress and a higher cap)."""
    # One algorithmic-progress schedule per anchor, as in Cotra's spreadsheet: the rule above
    # evaluated at each anchor's point (its median as Epoch AI reports it), not at every sample.
    algo_point_log10_flop_short: _Ramp = 32.0
    """log10 FLOP at which the short-horizon anchor's halving time and cap are read."""
    algo_point_log10_flop_medium: _Ramp = 34.48
    """log10 FLOP at which the medium-horizon anchor's halving time and cap are read."""
    algo_point_log10_flop_long: _Ramp = 37.0
    """log10 FLOP at which the long-horizon anchor's halving time and cap are read."""
    algo_point_log10_flop_genome: _Ramp = 33.0
    """log10 FLOP at which the genome anchor's halving time and cap are read."""
    algo_point_log10_flop_lifetime: _Ramp = 28.0
    """log10 FLOP at which the lifetime anchor's halving time and cap are read."""
    algo_point_log10_flop_evolution: _Ramp = 41.0
    """log10 FLOP at which the evolution anchor's halving time and cap are read."""

    @model_validator(mode="after")
    def _cap_above_base(self) -> Self:
        if self.hardware_max_flop_per_usd <= self.flop_per_usd_base:
            raise ValueError(
                f"hardware_max_flop_per_usd: must exceed flop_per_usd_base "
                f"({self.flop_per_usd_base:g}), got {self.hardware_max_flop_per_usd:g}"
            )
        return self


DEFAULT_ANCHOR_PARAMS: Final[AnchorParams] = AnchorParams()
"""Cotra's (2020) best-guess anchor parameters."""

DEFAULT_WEIGHTS: Final[MixtureWeights] = MixtureWeights()
"""Cotra's (2020) best-guess anchor weights."""

DEFAULT_AFFORDABILITY: Final[AffordabilityParams] = AffordabilityParams()
"""Cotra's (2020) best-guess affordability trends."""


class CotraParams(_Params):
    """Everything the Cotra (2020) model needs: anchors, weights and affordability trends."""

    anchors: AnchorParams = DEFAULT_ANCHOR_PARAMS
    weights: MixtureWeights = DEFAULT_WEIGHTS
    affordability: AffordabilityParams = DEFAULT_AFFORDABILITY
