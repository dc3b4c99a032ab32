"""From brain FLOP/s to TAI timelines: any brain-compute scenario through Cotra's (2020) anchors.

Ajeya Cotra, "Forecasting TAI with biological anchors" (draft report, Open Philanthropy, 2020;
LessWrong post KrJfoZzpSDpnrv9va) starts from an estimate of the brain's FLOP/s (1e15, after
Carlsmith 2020) and turns it, through six "biological anchors" and trends in hardware, spending
and algorithms, into P(transformative AI by each year). The anchors and trends are the numpy
reproduction in :mod:`bioanchors.timelines.anchors` and :mod:`bioanchors.timelines.affordability`
(after the summaries by Epoch AI 2022 and ACX 2022, and the Squiggle ports by Jesse Hoogland
and Peter Wildeford, GitHub ``jqhoogland/ai-timelines``, folder ``cotra2020/``); every
parameter is cited in ``data/anchors/cotra-2020.toml``. This module swaps the brain input: any
:class:`~bioanchors.Uncertain` or :class:`~bioanchors.Estimate` in FLOP/s,
any scenario, or a scenario's claimed value
(``"NAME:claimed"``) drives the same model, so "does a costlier neuron lengthen or shorten
timelines?" (kokotajlod, EA Forum, 2021) is one call.

Every brain is sampled with the library's engine (``brain.to("FLOP/s").sample(n, seed=seed)``);
the anchors then draw from their own random stream, the same for every brain at a given seed,
so rows of a comparison differ by their brains and not by sampling noise.

>>> fc = tai_forecast("kokotajlod-2021:claimed", n=20_000)
>>> print(fc)
kokotajlod-2021:claimed: brain 1.0e17 FLOP/s -> median TAI year 2068
(10th-90th percentile 2045 - after 2200); P(TAI by 2040) 5.6%, by 2050 17.3%
>>> round(fc.prob_by(2100), 2)
0.68
"""

from __future__ import annotations

import html
import json
import math
import numbers
import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Final, NamedTuple, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._engine import check_n, check_seed
from bioanchors._format import format_number, text_table
from bioanchors._graph.inputs import lognormal, point
from bioanchors._graph.uncertain import Uncertain
from bioanchors._results.brain import estimate_log10_flops, positive_log10
from bioanchors._results.estimate import Estimate
from bioanchors._scenarios.catalog import data_dir, load_scenario, scenarios
from bioanchors._scenarios.scenario import Scenario
from bioanchors._units.registry import as_unit, conversion_factor, format_unit
from bioanchors.errors import InvalidInputError, OperandError, ScenarioError
from bioanchors.timelines.affordability import (
    MAX_YEAR,
    AffordabilityParams,
    check_years,
    prob_tai_by,
    year_percentiles,
)
from bioanchors.timelines.anchors import CotraParams, load_anchor_params, mixture

__all__ = [
    "CLAIMED_SUFFIX",
    "DEFAULT_YEARS",
    "REFERENCE_NAME",
    "BrainLike",
    "TaiForecast",
    "compare_brains",
    "default_anchors_path",
    "default_brains",
    "reference_brain",
    "tai_forecast",
    "timelines_table",
]

BrainLike: TypeAlias = "Uncertain | Estimate | Scenario | str | os.PathLike[str]"
"""A brain: an Uncertain or an Estimate in FLOP/s, a Scenario, a scenario name or path, or
``"NAME:claimed"``."""

AnchorsLike: TypeAlias = "str | os.PathLike[str] | CotraParams | None"

REFERENCE_NAME: Final = "cotra-2020"
"""Name of the reference row: Cotra's own brain input (see :func:`reference_brain`)."""

CLAIMED_SUFFIX: Final = ":claimed"
"""``"NAME:claimed"`` is the value scenario NAME's output step claims (kokotajlod's 1e17)."""

DEFAULT_YEARS: Final = range(2025, 2101)
"""Years at which :attr:`TaiForecast.prob_by_year` is tabulated by default."""

TABLE_YEARS: Final[tuple[int, int]] = (2040, 2050)
"""The years of the P(TAI by year) columns of :func:`timelines_table`."""

_PERCENTILES: Final[tuple[int, int, int]] = (10, 50, 90)
_ANCHOR_STREAM: Final = 2020  # entropy word that separates the anchors' stream from the brain's


# --------------------------------------------------------------------------- the result


@dataclass(frozen=True, eq=False)
class TaiForecast:
    """P(TAI by year) when one brain-compute estimate drives Cotra's (2020) model.

    ``brain`` is a short name (the scenario's, ``NAME:claimed``, or the Uncertain's ``name``),
    ``label`` a longer description. ``years`` and ``prob_by_year`` are the tabulated CDF;
    ``percentiles`` maps 10, 50 and 90 to the year by which P(TAI) reaches that percentage
    (``inf`` if not by 2200; with Cotra's 10 % "none of these anchors" the 90th never is).
    ``log10_training_flop`` holds the requirement samples (log10 FLOP with 2020 algorithms,
    ``inf`` for "none"), so :meth:`prob_by` answers any year exactly.
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
    affordability: AffordabilityParams = field(repr=False)

    def __getstate__(self) -> dict[str, Any]:
        state = dict(self.__dict__)
        state["percentiles"] = dict(self.percentiles)  # a mappingproxy does not pickle
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        state = dict(state)
        state["percentiles"] = MappingProxyType(dict(state["percentiles"]))
        for name in ("years", "prob_by_year", "log10_training_flop"):
            array = np.array(state[name], dtype=np.float64)
            array.setflags(write=False)  # read-only again: pickle does not keep the flag
            state[name] = array
        self.__dict__.update(state)

    @property
    def median_year(self) -> float:
        """Year by which P(TAI) reaches 50 % (``inf`` if not by 2200)."""
        return self.percentiles[50]

    def prob_by(self, year: float) -> float:
        """P(TAI by ``year``), for any year in ``[2020, 2200]``."""
        lo = self.affordability.base_year
        if (
            isinstance(year, bool)
            or not isinstance(year, numbers.Real)
            or not lo <= year <= MAX_YEAR
        ):
            raise InvalidInputError(
                f"year: must be a number in [{lo:g}, {MAX_YEAR:g}], got {year!r}"
            )
        p = prob_tai_by([float(year)], self.log10_training_flop, self.affordability)
        return float(p[0])

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: years that are not reached by 2200 are ``None`` (JSON ``null``), as
        ``null_means`` says; ``median_reached`` is False when the median year is ``None``."""
        return {
            "brain": self.brain,
            "label": self.label,
            "brain_median_flops": self.brain_median_flops,
            "unit": "FLOP/s",
            "n": self.n,
            "seed": self.seed,
            "anchors": self.anchors,
            "median_year": _json_number(self.median_year),
            "median_reached": math.isfinite(self.median_year),
            "percentiles": {str(q): _json_number(y) for q, y in self.percentiles.items()},
            "null_means": _NULL_MEANS,
            "prob_by_year": {
                _year_key(y): float(p) for y, p in zip(self.years, self.prob_by_year, strict=True)
            },
        }

    def __str__(self) -> str:
        p10, p90 = self.percentiles[10], self.percentiles[90]
        first, second = (self.prob_by(y) for y in TABLE_YEARS)
        return (
            f"{self.brain}: brain {format_number(self.brain_median_flops)} FLOP/s -> median TAI "
            f"year {_year_text(self.median_year)} (10th-90th percentile {_year_text(p10)} - "
            f"{_year_text(p90)}); P(TAI by {TABLE_YEARS[0]}) {_pct(first)}, "
            f"by {TABLE_YEARS[1]} {_pct(second)}"
        )

    def __repr__(self) -> str:
        return (
            f"<TaiForecast {self.brain!r}: median TAI year {_year_text(self.median_year)} "
            f"(n={self.n}, seed={self.seed})>"
        )

    def _repr_html_(self) -> str:
        cells = [
            ("brain", f"{self.brain} ({self.label})"),
            ("brain FLOP/s (median)", format_number(self.brain_median_flops)),
            *((f"{q}th percentile TAI year", _year_text(y)) for q, y in self.percentiles.items()),
            *((f"P(TAI by {y})", _pct(self.prob_by(y))) for y in (2030, *TABLE_YEARS, 2100)),
            ("model", f"Cotra (2020) anchors from {self.anchors}; n={self.n}, seed={self.seed}"),
        ]
        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in cells
        )
        return f"<table>{rows}</table>"


_NULL_MEANS: Final = (
    f"a year or shift of null is not reached by {MAX_YEAR:.0f} (the last year the model covers)"
)


def _json_number(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _year_key(year: float) -> str:
    return str(int(year)) if float(year).is_integer() else repr(float(year))


def _year_text(year: float) -> str:
    return f"{year:.0f}" if math.isfinite(year) else f"after {MAX_YEAR:.0f}"


def _pct(p: float) -> str:
    return f"{100 * p:.1f}%"


# --------------------------------------------------------------------------- brains


class _Brain(NamedTuple):
    name: str
    label: str
    flops: Uncertain | Estimate  # an Uncertain in FLOP/s; an Estimate in any unit of it


def _flops_unit() -> pint.Unit:
    return as_unit("FLOP/s")


def _is_flops(unit: Any) -> bool:
    return bool(as_unit(unit).dimensionality == _flops_unit().dimensionality)


def _from_uncertain(brain: Uncertain) -> _Brain:
    name = brain.name or "brain"
    if not _is_flops(brain.unit):
        got = format_unit(brain.unit) or "dimensionless"
        raise InvalidInputError(
            f"brain {name!r} is in {got!r}, not FLOP/s: a TAI forecast needs brain compute "
            "(dimension [computation]/[time])"
        )
    return _Brain(name, name, brain.to(_flops_unit()))


def _from_scenario(scenario: Scenario) -> _Brain:
    if not _is_flops(scenario.unit):
        got = format_unit(scenario.unit) or "dimensionless"
        raise ScenarioError(
            f"scenario {scenario.name!r} gives its output in {got!r}, not FLOP/s: a TAI forecast "
            "needs brain compute (dimension [computation]/[time])",
            file=str(scenario.path) if scenario.path else None,
            field="unit",
        )
    return _Brain(scenario.name, scenario.title, scenario.output.to(_flops_unit()))


def _from_claim(scenario: Scenario) -> _Brain:
    step = scenario.step(scenario.output_name)
    file = str(scenario.path) if scenario.path else None
    if step.claimed is None:
        raise ScenarioError(
            f"scenario {scenario.name!r} claims no value for its output step "
            f"{step.name!r}, so there is no {scenario.name + CLAIMED_SUFFIX!r} brain",
            file=file,
            step=step.name,
            field="claimed",
        )
    if not _is_flops(step.unit):
        got = format_unit(step.unit) or "dimensionless"
        raise ScenarioError(
            f"the claimed output of scenario {scenario.name!r} is in {got!r}, not FLOP/s",
            file=file,
            step=step.name,
            field="claimed",
        )
    value = float(step.claimed.magnitude) * conversion_factor(step.unit, _flops_unit())
    name = scenario.name + CLAIMED_SUFFIX
    label = f"{scenario.title} (the claimed {format_number(value)} FLOP/s)"
    return _Brain(name, label, point(value, "FLOP/s", name=name))


def _from_estimate(estimate: Estimate) -> _Brain:
    source = estimate.source
    name = (source.name if source is not None else None) or "estimate"
    label = f"an Estimate ({estimate.method}, n={estimate.n}, seed={estimate.seed})"
    estimate_log10_flops(estimate, name, 1, 0)  # refuse other units before any sampling
    return _Brain(name, label, estimate)


def _resolve(brain: BrainLike) -> _Brain:
    if isinstance(brain, Uncertain):
        return _from_uncertain(brain)
    if isinstance(brain, Estimate):
        return _from_estimate(brain)
    if isinstance(brain, Scenario):
        return _from_scenario(brain)
    if isinstance(brain, str) and brain.endswith(CLAIMED_SUFFIX):
        return _from_claim(load_scenario(brain.removesuffix(CLAIMED_SUFFIX)))
    if isinstance(brain, str | os.PathLike):
        return _from_scenario(load_scenario(brain))
    raise OperandError(
        "brain must be an Uncertain or an Estimate in FLOP/s, a Scenario, a scenario name or "
        f"path, or 'NAME{CLAIMED_SUFFIX}'; got {type(brain).__name__}"
    )


def default_brains() -> list[str]:
    """Every scenario (:func:`bioanchors.scenarios`), each followed by ``NAME:claimed`` when its
    output step carries a claimed value (kokotajlod's 1e17 FLOP/s beside his recomputed 1e19).
    """
    names: list[str] = []
    for name in scenarios():
        names.append(name)
        scenario = load_scenario(name)
        if scenario.step(scenario.output_name).claimed is not None:
            names.append(name + CLAIMED_SUFFIX)
    return names


# --------------------------------------------------------------------------- anchors


def default_anchors_path() -> Path:
    """The bundled Cotra (2020) parameter file, ``data/anchors/cotra-2020.toml``."""
    return data_dir() / "anchors" / "cotra-2020.toml"


def _anchor_params(anchors: AnchorsLike) -> tuple[CotraParams, str]:
    if isinstance(anchors, CotraParams):
        return anchors, "CotraParams given in Python"
    if anchors is None:
        anchors = default_anchors_path()
    if not isinstance(anchors, str | os.PathLike):
        raise OperandError(
            "anchors must be a path to an anchors .toml file, CotraParams or None; "
            f"got {type(anchors).__name__}"
        )
    return load_anchor_params(anchors), str(anchors)


def _reproduction_brain(path: Path) -> tuple[float, float] | None:
    from bioanchors._files import read_toml  # regular files only, size-capped, strict UTF-8

    raw = read_toml(path, what="an anchors parameter file")
    table = raw.get("reproduction")
    if not isinstance(table, dict) or "brain_log10_flops_median" not in table:
        return None
    values: list[float] = []
    for key in ("brain_log10_flops_median", "brain_log10_flops_sd"):
        value = table.get(key)
        is_sd = key.endswith("_sd")
        if (
            isinstance(value, bool)
            or not isinstance(value, int | float)
            or not math.isfinite(value)
            or (is_sd and value <= 0)
        ):
            need = "a positive number" if is_sd else "a finite number"
            raise InvalidInputError(f"{path}: [reproduction] {key}: must be {need}, got {value!r}")
        values.append(float(value))
    return values[0], values[1]


def reference_brain(anchors: str | os.PathLike[str] | None = None) -> Uncertain:
    """Cotra's (2020) own brain input, named ``"cotra-2020"``: log10 FLOP/s ~ Normal(15, 1.5).

    Read from the ``[reproduction]`` table of the anchors file (the bundled one if ``anchors``
    is None or has no such table): median 1e15 FLOP/s (Carlsmith 2020, used by Cotra), sd 1.5
    orders of magnitude. With it the model reproduces her headline numbers
    (``tests/test_timelines.py``).

    >>> print(reference_brain().estimate())
    1.0e15 FLOP/s (90% CI 3.4e12 – 2.9e17)
    """
    median, sd = _reference_log10(anchors)
    brain = lognormal(10.0**median, 10.0**sd, "FLOP/s", name=REFERENCE_NAME)
    # Keyed by its parameters: the same reference draws the same numbers in every call.
    return brain.keyed(f"{REFERENCE_NAME}/brain/{median!r}/{sd!r}")


def _reference_log10(anchors: str | os.PathLike[str] | None) -> tuple[float, float]:
    found = None if anchors is None else _reproduction_brain(Path(anchors))
    return found or _reproduction_brain(default_anchors_path()) or (15.0, 1.5)


def _reference(anchors: AnchorsLike) -> _Brain:
    path = anchors if isinstance(anchors, str | os.PathLike) else None
    median, sd = _reference_log10(path)
    label = f"Cotra (2020)'s brain input: log10 FLOP/s ~ Normal({median:g}, {sd:g})"
    return _Brain(REFERENCE_NAME, label, reference_brain(path))


# --------------------------------------------------------------------------- forecasts


def _log10_brain_samples(brain: _Brain, n: int, seed: int) -> NDArray[np.float64]:
    if isinstance(brain.flops, Estimate):
        return estimate_log10_flops(brain.flops, brain.name, n, seed)
    flops = np.asarray(brain.flops.sample(n, seed=seed).magnitude, dtype=np.float64)
    return positive_log10(flops, brain.name)


def _forecast(
    brain: _Brain, params: CotraParams, source: str, n: int, seed: int, years: NDArray[np.float64]
) -> TaiForecast:
    log10_brain = _log10_brain_samples(brain, n, seed)
    # The anchors' own stream: SeedSequence([seed, 2020]) never coincides with the engine's
    # SeedSequence(seed) children, and is the same for every brain (common random numbers).
    rng = np.random.default_rng([seed, _ANCHOR_STREAM])
    try:
        required = mixture(log10_brain, params.anchors, params.weights, rng=rng)
    except InvalidInputError as exc:
        raise InvalidInputError(f"brain {brain.name!r}: {exc}") from exc
    prob = prob_tai_by(years, required, params.affordability)
    pct = year_percentiles(required, [q / 100 for q in _PERCENTILES], params.affordability)
    for array in (years, prob, required):
        array.setflags(write=False)
    return TaiForecast(
        brain=brain.name,
        label=brain.label,
        brain_median_flops=float(10.0 ** np.median(log10_brain)),
        years=years,
        prob_by_year=prob,
        percentiles=MappingProxyType({q: float(y) for q, y in zip(_PERCENTILES, pct, strict=True)}),
        n=n,
        seed=seed,
        anchors=source,
        log10_training_flop=required,
        affordability=params.affordability,
    )


def tai_forecast(
    brain: BrainLike,
    *,
    anchors: AnchorsLike = None,
    n: int = 100_000,
    seed: int = 0,
    years: Sequence[float] | NDArray[np.float64] = DEFAULT_YEARS,
) -> TaiForecast:
    """P(TAI by year) with ``brain`` as the brain-FLOP/s input of Cotra's (2020) model.

    ``brain``: an :class:`~bioanchors.Uncertain` in FLOP/s (e.g. ``scenario.output``),
    an :class:`~bioanchors.Estimate` in a FLOP/s unit (its samples are resampled, its
    closed-form lognormal or its histogram's quantile function sampled, with their own seeded
    stream; another unit raises pint's ``DimensionalityError``),
    a :class:`~bioanchors._scenarios.scenario.Scenario`, a scenario name or ``.toml`` path, or
    ``"NAME:claimed"`` for the value a scenario's output step claims. ``anchors``: a variant
    parameter file in the format of ``data/anchors/cotra-2020.toml`` (default: that file) or a
    :class:`~bioanchors.timelines.anchors.CotraParams`. ``n`` brain samples are drawn with
    ``seed``; ``years`` (strictly increasing, within [2020, 2200]) is where the CDF is tabulated.

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
    params, source = _anchor_params(anchors)
    grid = check_years(years, params.affordability).copy()  # made read-only in the result
    n, seed = check_n(n), check_seed(seed)
    return _forecast(_resolve(brain), params, source, n, seed, grid)


def compare_brains(
    brains: Iterable[BrainLike] | None = None,
    *,
    anchors: AnchorsLike = None,
    n: int = 100_000,
    seed: int = 0,
    years: Sequence[float] | NDArray[np.float64] = DEFAULT_YEARS,
    reference: bool = True,
) -> list[TaiForecast]:
    """Forecasts for several brains with the same anchors, ``n``, ``seed`` and years.

    ``brains`` defaults to :func:`default_brains` (every scenario, plus ``NAME:claimed`` rows).
    With ``reference=True`` the first forecast is Cotra's own brain input,
    :func:`reference_brain`, named ``"cotra-2020"``. Every brain is resolved (and every name
    checked) before any sampling.

    >>> rows = compare_brains(["kokotajlod-2021", "kokotajlod-2021:claimed"], n=5_000)
    >>> [row.brain for row in rows]
    ['cotra-2020', 'kokotajlod-2021', 'kokotajlod-2021:claimed']
    """
    params, source = _anchor_params(anchors)
    grid = check_years(years, params.affordability).copy()  # shared, read-only, by the rows
    n, seed = check_n(n), check_seed(seed)
    if isinstance(brains, str | os.PathLike | Uncertain | Estimate | Scenario):
        brains = [brains]
    resolved = [_resolve(b) for b in (default_brains() if brains is None else brains)]
    if reference:
        resolved.insert(0, _reference(anchors))
    return [_forecast(b, params, source, n, seed, grid) for b in resolved]


# --------------------------------------------------------------------------- the swap table


def _pick_reference(
    forecasts: Sequence[TaiForecast], reference: TaiForecast | str | None
) -> TaiForecast:
    if isinstance(reference, TaiForecast):
        return reference
    if reference is None:
        named = [f for f in forecasts if f.brain == REFERENCE_NAME]
        return named[0] if named else forecasts[0]
    for forecast in forecasts:
        if forecast.brain == reference:
            return forecast
    known = ", ".join(f.brain for f in forecasts)
    raise InvalidInputError(f"reference: no forecast named {reference!r}; the rows are {known}")


def _shift(forecast: TaiForecast, ref: TaiForecast) -> float | None:
    shift = forecast.median_year - ref.median_year
    return shift if math.isfinite(shift) else None


def _shift_text(forecast: TaiForecast, ref: TaiForecast) -> str:
    if not math.isfinite(ref.median_year):
        return "n/a"
    if not math.isfinite(forecast.median_year):
        return f">{MAX_YEAR - ref.median_year:+.0f}"
    return f"{forecast.median_year - ref.median_year:+.1f}"


def timelines_table(
    forecasts: Sequence[TaiForecast],
    format: str = "text",
    *,
    reference: TaiForecast | str | None = None,
) -> str:
    """The swap table: each brain's median FLOP/s, median TAI year, P(TAI by 2040 and 2050),
    and the shift of its median year against the reference (default: the ``"cotra-2020"`` row
    if present, else the first). ``format``: ``"text"`` or ``"json"``; in JSON a year or shift
    that is not reached by 2200 is ``null`` (``null_means`` says so, and each row's
    ``median_reached`` is False when its median year is ``null``).

    >>> rows = compare_brains(["kokotajlod-2021:claimed"], n=5_000)
    >>> print(timelines_table(rows).splitlines()[-1])
    kokotajlod-2021:claimed  1.0e17  2068  6.0%  17.4%  +16.2
    """
    if format not in ("text", "json"):
        raise InvalidInputError(f"format: expected 'text' or 'json', got {format!r}")
    forecasts = list(forecasts)
    if not forecasts:
        raise InvalidInputError("forecasts: need at least one TaiForecast")
    ref = _pick_reference(forecasts, reference)
    if format == "json":
        record = {
            "reference": ref.brain,
            "anchors": ref.anchors,
            "n": ref.n,
            "seed": ref.seed,
            "null_means": _NULL_MEANS,
            "rows": [
                {
                    "brain": f.brain,
                    "label": f.label,
                    "brain_median_flops": f.brain_median_flops,
                    "median_year": _json_number(f.median_year),
                    "median_reached": math.isfinite(f.median_year),
                    "percentiles": {str(q): _json_number(y) for q, y in f.percentiles.items()},
                    **{f"prob_by_{y}": f.prob_by(y) for y in TABLE_YEARS},
                    "median_shift_years": _shift(f, ref),
                }
                for f in forecasts
            ],
        }
        return json.dumps(record, indent=2, allow_nan=False)
    headers = [
        "brain",
        "brain FLOP/s",
        "median TAI",
        *(f"P(by {y})" for y in TABLE_YEARS),
        "shift (years)",
    ]
    rows = [
        [
            f.brain,
            format_number(f.brain_median_flops),
            _year_text(f.median_year),
            *(_pct(f.prob_by(y)) for y in TABLE_YEARS),
            _shift_text(f, ref),
        ]
        for f in forecasts
    ]
    runs = {(f.anchors, f.n, f.seed) for f in forecasts}
    setup = (
        f"anchors {Path(ref.anchors).name}, n={ref.n}, seed={ref.seed}"
        if len(runs) == 1
        else "rows differ in anchors, n or seed"
    )
    return (
        "TAI timelines with each brain swapped into Cotra's (2020) biological anchors\n"
        f"({setup}; brain FLOP/s = median; shift = median TAI year minus {ref.brain}'s)\n\n"
        + text_table(headers, rows, {1, 2, 3, 4, 5})
    )
