"""Physically meaningful bounds for the parameters of the Cotra (2020) model.

The bounds are wide (what-if variants stay possible) but keep every parameter where the model
means something and where its arithmetic stays exact enough: a halving time of 1e-20 years or
a spread of 1e300 orders of magnitude is a typo, and would give a silently wrong year (or
samples that overflow to ``inf``, "never affordable"). A value outside them raises
:class:`~bioanchors.errors.InvalidInputError` ``"<field>: must be in [lo, hi] ..., got v"``;
:func:`bioanchors.timelines.anchors.load_anchor_params` prefixes the file and the table.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import fields
from typing import TYPE_CHECKING, Final, NamedTuple

from bioanchors.errors import InvalidInputError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

__all__ = ["AFFORDABILITY_BOUNDS", "ANCHOR_BOUNDS", "WEIGHT_BOUNDS", "check_bounds", "fail"]


class Bound(NamedTuple):
    lo: float
    hi: float
    what: str  # the unit and why, e.g. "years (from weeks to a millennium)"


_TIME: Final = Bound(0.05, 1000.0, "years (from ~3 weeks to a millennium)")
_SD: Final = Bound(0.0, 10.0, "orders of magnitude (a standard deviation)")
_OOM: Final = Bound(-20.0, 20.0, "orders of magnitude")
_RAMP: Final = Bound(0.0, 150.0, "log10 FLOP")

AFFORDABILITY_BOUNDS: Final[Mapping[str, Bound]] = {
    "base_year": Bound(1900.0, 2200.0, "(a calendar year the model covers)"),
    "spend_reference_year": Bound(1900.0, 2200.0, "(a calendar year the model covers)"),
    "flop_per_usd_base": Bound(1.0, 1e40, "FLOP per dollar"),
    # 1e40 FLOP per dollar is ~12 orders past the Landauer limit at room temperature and
    # $0.1/kWh (~1e28 bit erasures per dollar): generous for reversible-computing what-ifs.
    "hardware_max_flop_per_usd": Bound(1.0, 1e40, "FLOP per dollar"),
    "hardware_halving_time_years": _TIME,
    "spend_doubling_time_years": _TIME,
    "algo_halving_time_slow_years": _TIME,
    "algo_halving_time_fast_years": _TIME,
    "spend_reference_usd": Bound(1.0, 1e16, "US dollars (1e16 is ~100x world GDP)"),
    "gdp_base_usd": Bound(1e9, 1e18, "US dollars"),
    # A shrinking economy would make affordable compute, and so P(TAI by year), fall.
    "gdp_growth_per_year": Bound(0.0, 1.0, "per year (0 to 100 % real growth)"),
    "max_gdp_fraction": Bound(0.0, 1.0, "(a fraction of GDP)"),
    "algo_max_oom_low": Bound(0.0, 30.0, "orders of magnitude"),
    "algo_max_oom_high": Bound(0.0, 30.0, "orders of magnitude"),
    "algo_halving_ramp_log10_flop": _RAMP,
    "algo_max_oom_ramp_log10_flop": _RAMP,
}

ANCHOR_BOUNDS: Final[Mapping[str, Bound]] = {
    "model_penalty_oom": _OOM,
    "model_penalty_sd_oom": _SD,
    "log10_flop_per_param_per_subj_sec": _OOM,
    "scaling_exponent": Bound(0.0, 3.0, "(the exponent a of D = K P**a)"),
    "scaling_exponent_sd": Bound(0.0, 2.0, "(a standard deviation of the exponent)"),
    "reference_log10_params": Bound(0.0, 30.0, "log10 parameters"),
    "reference_log10_data": Bound(0.0, 40.0, "log10 data points"),
    "short_horizon_log10_s": Bound(-10.0, 20.0, "log10 subjective seconds"),
    "medium_horizon_log10_s": Bound(-10.0, 20.0, "log10 subjective seconds"),
    "long_horizon_log10_s": Bound(-10.0, 20.0, "log10 subjective seconds"),
    "genome_horizon_log10_s": Bound(-10.0, 20.0, "log10 subjective seconds"),
    "genome_log10_params": Bound(0.0, 30.0, "log10 parameters"),
    "lifetime_log10_seconds": Bound(0.0, 15.0, "log10 seconds (1e15 s is ~30 million years)"),
    "lifetime_adjustment_oom": _OOM,
    "lifetime_adjustment_sd_oom": _SD,
    "evolution_median_log10_flop": Bound(0.0, 100.0, "log10 FLOP"),
    "evolution_sd_oom": Bound(0.0, 20.0, "orders of magnitude (a standard deviation)"),
}

WEIGHT_BOUNDS: Final = Bound(0.0, 1.0, "(a probability weight)")


def fail(field_name: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{field_name}: {message}")


def check_bounds(obj: DataclassInstance, bounds: Mapping[str, Bound]) -> None:
    """Every field of ``obj`` is a finite real number (or a tuple of them) within its bound."""
    for f in fields(obj):
        value = getattr(obj, f.name)
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if isinstance(item, bool) or not isinstance(item, int | float):
                raise fail(f.name, f"must be a number, got {item!r}")
            if not math.isfinite(item):
                raise fail(f.name, f"must be finite, got {item!r}")
        bound = bounds.get(f.name)
        if bound is None:
            continue
        for item in items:
            if not bound.lo <= item <= bound.hi:
                raise fail(
                    f.name,
                    f"must be in [{bound.lo:g}, {bound.hi:g}] {bound.what}, got {value!r}",
                )
