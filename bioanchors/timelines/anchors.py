"""The six biological anchors of Cotra (2020): training FLOP for a transformative model.

Ajeya Cotra, "Forecasting TAI with biological anchors" (draft report, Open Philanthropy, 2020;
posted as "Draft report on AI timelines", LessWrong, post KrJfoZzpSDpnrv9va) estimates the
training compute a transformative model would need with 2020 algorithms under six hypotheses
("anchors"), then mixes them with subjective weights. Summaries followed here: Anson Ho,
"Grokking 'Forecasting TAI with biological anchors'" (Epoch AI, 2022;
epochai.org/blog/grokking-bioanchors) and Scott Alexander, "Biological Anchors: A Trick That
Might Or Might Not Work" (Astral Codex Ten, 2022). The public Squiggle ports by Jesse Hoogland
and Peter Wildeford (GitHub ``jqhoogland/ai-timelines``, folder ``cotra2020/``) show the same
structure; this is an independent numpy implementation. Every parameter value, with its
source, is in ``data/anchors/cotra-2020.toml`` (:func:`load_anchor_params`).

Each anchor maps samples of log10 brain FLOP/s (any brain-compute estimate can drive it) to
samples of log10 training FLOP. With ``b`` the log10 brain FLOP/s and ``m = b + penalty`` the
log10 FLOP per subjective second of the transformative model (penalty ~ Normal(1, 1) orders of
magnitude, Cotra's "one order of magnitude" penalty over the brain):

* **neural network** (short / medium / long horizon): ``F = m + H + log D``, with horizon
  ``H`` log-uniform over 1-1e3, 1e3-1e6 or 1e6-1e9 subjective seconds, parameters
  ``P = m - 1.7`` (about 2e14 when ``b = 15``) and data ``D = K * P**a`` with ``a`` ~
  Normal(0.8, 0.2), written as ``log D = log D_ref + a (log P - log P_ref)`` through the
  reference point 1e11.2 parameters / 1e12 data points of Wildeford's port, so that ``K``
  moves with ``a``. Medians at ``b = 15``: 1e32, 1e35, 1e38 (the summaries report ~1e32,
  ~3e34, ~1e37: a common structure with 3 orders between horizon bands cannot give all three).
* **genome**: the same, with ``P`` fixed at the genome's 7.5e8 bytes and ``H`` log-uniform
  over 1e7-1e9 subjective seconds; median about 1.4e34 at ``b = 15`` (summaries: ~1e33;
  Wildeford's port, with the same structure, also gives ~1e34).
* **lifetime**: brain FLOP/s times ~1e9 s of childhood gives ~1e24 FLOP; Cotra's adjustments
  raise the median to ~1e28. Here ``F = m + 9 + adjustment``: the same 1-order model
  penalty plus a further 3 orders (Normal, sd 1.5) for her lifetime-specific adjustment,
  which also stands in for her update against requirements that 2020 could already afford.
* **evolution**: ~1e41 FLOP (Normal in log10, sd 4). It is *not* driven by the brain samples:
  Cotra counts the compute of the whole evolutionary history of ancestral nervous systems
  (C. elegans-like brains, ~1e4 FLOP/s), not of a human brain, so the brain samples only set
  how many samples are drawn.

:func:`mixture` picks an anchor for each sample with Cotra's weights (short 20 %, medium
30 %, long 15 %, genome 10 %, lifetime 5 %, evolution 10 %, none of these 10 %); "none" is
``+inf``: never affordable. All randomness comes from the explicit ``numpy.random.Generator``.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> brain = rng.normal(15.0, 1.5, 20_000)
>>> flop = mixture(brain, rng=rng)
>>> round(float(np.mean(np.isinf(flop))), 2)
0.1
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors._files import data_dir
from bioanchors.errors import InvalidInputError
from bioanchors.timelines._bounds import ANCHOR_BOUNDS, WEIGHT_BOUNDS, check_bounds
from bioanchors.timelines.affordability import AffordabilityParams

__all__ = [
    "ANCHOR_NAMES",
    "COMPONENT_NAMES",
    "DEFAULT_ANCHOR_PARAMS",
    "DEFAULT_WEIGHTS",
    "AnchorParams",
    "CotraParams",
    "MixtureWeights",
    "cotra_2020_params_path",
    "evolution_anchor",
    "genome_anchor",
    "lifetime_anchor",
    "load_anchor_params",
    "long_horizon_anchor",
    "medium_horizon_anchor",
    "mixture",
    "neural_network_anchor",
    "sample_anchors",
    "short_horizon_anchor",
]

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

# A guard against FLOP/s passed where log10 FLOP/s is expected (1e15 is far outside), not a
# plausibility range: wide brain distributions legitimately sample far tails (Carlsmith's
# "1e15 median, 1e21 at 90 %" is ~4.7 orders per sd, so 1e5 samples reach ~1e36 FLOP/s).
_BRAIN_RANGE: Final[tuple[float, float]] = (-30.0, 100.0)


def _fail(field_name: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{field_name}: {message}")


@dataclass(frozen=True, slots=True)
class AnchorParams:
    """Cotra's (2020) best-guess anchor parameters, in log10 units unless the name says not.

    ``*_oom`` are orders of magnitude; ``*_log10_s`` are (lo, hi) ranges of log10 subjective
    seconds for log-uniform horizons; ``*_sd*`` are standard deviations of Normal draws in log10
    units (0 makes the draw a constant). Sources of each value: ``data/anchors/cotra-2020.toml``.
    ``ValueError`` naming the field is raised for a non-finite value, a value outside its
    physically meaningful bound (sds within [0, 10] orders, the scaling exponent within
    [0, 3], ...: ``bioanchors.timelines._bounds``) or an empty range.
    """

    model_penalty_oom: float = 1.0
    """Median log10 (FLOP per subjective second of the model / brain FLOP/s); Cotra: ~10x."""
    model_penalty_sd_oom: float = 1.0
    """Spread of that penalty (our reading of her wide uncertainty; calibrated)."""
    log10_flop_per_param_per_subj_sec: float = 1.7
    """log10(1e16 FLOP per subjective second / 2e14 parameters): P ~ 2e14 at b = 15."""
    scaling_exponent: float = 0.8
    """``a`` in D = K P**a (Cotra, after Kaplan et al. 2020)."""
    scaling_exponent_sd: float = 0.2
    """Spread of ``a`` (Hoogland's port of her notebook: Normal(0.8, 0.2))."""
    reference_log10_params: float = 11.2
    """Reference point of the data scaling curve: 1e11.2 parameters (Wildeford's port)..."""
    reference_log10_data: float = 12.0
    """...trained on 1e12 data points (Wildeford's port; Hoogland's swaps 11.2 and 12)."""
    short_horizon_log10_s: tuple[float, float] = (0.0, 3.0)
    """Short-horizon NN anchor: 1-1e3 subjective seconds."""
    medium_horizon_log10_s: tuple[float, float] = (3.0, 6.0)
    """Medium-horizon NN anchor: 1e3-1e6 subjective seconds."""
    long_horizon_log10_s: tuple[float, float] = (6.0, 9.0)
    """Long-horizon NN anchor: 1e6-1e9 subjective seconds."""
    genome_horizon_log10_s: tuple[float, float] = (7.0, 9.0)
    """Genome anchor: 1e7-1e9 subjective seconds."""
    genome_log10_params: float = math.log10(7.5e8)
    """Genome anchor: parameters = bytes in the human genome, ~7.5e8."""
    lifetime_log10_seconds: float = 9.0
    """Lifetime anchor: ~1e9 s (about 32 years) of learning to adulthood."""
    lifetime_adjustment_oom: float = 3.0
    """Lifetime anchor: orders added beyond the model penalty so the median is ~1e28."""
    lifetime_adjustment_sd_oom: float = 1.5
    """Spread of that adjustment (calibrated)."""
    evolution_median_log10_flop: float = 41.0
    """Evolution anchor median: ~1e41 FLOP (Cotra 2020)."""
    evolution_sd_oom: float = 4.0
    """Evolution anchor spread (Hoogland's port: 90 % range ~1e34-1e47)."""

    def __post_init__(self) -> None:
        check_bounds(self, ANCHOR_BOUNDS)  # sds are >= 0
        for name in (
            "short_horizon_log10_s",
            "medium_horizon_log10_s",
            "long_horizon_log10_s",
            "genome_horizon_log10_s",
        ):
            lo_hi = getattr(self, name)
            if len(lo_hi) != 2 or not lo_hi[0] < lo_hi[1]:
                raise _fail(name, f"must be two increasing numbers (lo, hi), got {lo_hi!r}")


@dataclass(frozen=True, slots=True)
class MixtureWeights:
    """Cotra's (2020) best-guess weights on the anchors; they must sum to 1.

    Hoogland's and Wildeford's Squiggle ports and the Epoch AI summary give short 20 %,
    long 15 %; the project's reference notes that one secondary source swaps these two.
    ``ValueError`` naming the weight is raised for one outside [0, 1], and naming every weight
    and their sum if they do not sum to 1.
    """

    short: float = 0.20
    medium: float = 0.30
    long: float = 0.15
    genome: float = 0.10
    lifetime: float = 0.05
    evolution: float = 0.10
    none: float = 0.10

    def __post_init__(self) -> None:
        check_bounds(self, dict.fromkeys(COMPONENT_NAMES, WEIGHT_BOUNDS))
        total = float(sum(getattr(self, name) for name in COMPONENT_NAMES))
        if not math.isclose(total, 1.0, abs_tol=1e-6):
            listed = ", ".join(f"{name}={getattr(self, name):g}" for name in COMPONENT_NAMES)
            raise _fail("weights", f"must sum to 1, got {listed} (sum {total:.6g})")

    def as_array(self) -> NDArray[np.float64]:
        """Weights in :data:`COMPONENT_NAMES` order, normalised to sum exactly to 1."""
        w = np.array([getattr(self, name) for name in COMPONENT_NAMES], dtype=np.float64)
        out: NDArray[np.float64] = w / w.sum()
        return out


DEFAULT_ANCHOR_PARAMS: Final[AnchorParams] = AnchorParams()
"""Cotra's (2020) best-guess anchor parameters."""

DEFAULT_WEIGHTS: Final[MixtureWeights] = MixtureWeights()
"""Cotra's (2020) best-guess anchor weights."""


@dataclass(frozen=True, slots=True)
class CotraParams:
    """Everything the Cotra (2020) model needs: anchors, weights and affordability trends."""

    anchors: AnchorParams = field(default_factory=AnchorParams)
    weights: MixtureWeights = field(default_factory=MixtureWeights)
    affordability: AffordabilityParams = field(default_factory=AffordabilityParams)


# --------------------------------------------------------------------------- anchors


def _brain(log10_brain_flops: ArrayLike) -> NDArray[np.float64]:
    name = "log10_brain_flops"
    try:
        arr = np.asarray(log10_brain_flops, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise _fail(name, "must be numbers") from exc
    if arr.ndim != 1 or arr.size == 0:
        raise _fail(name, f"must be a non-empty 1-D array of samples, got shape {arr.shape}")
    if not np.all(np.isfinite(arr)):
        raise _fail(name, "must be finite")
    lo, hi = _BRAIN_RANGE
    if arr.min() < lo or arr.max() > hi:
        raise _fail(
            name,
            f"must be log10 FLOP/s in [{lo:g}, {hi:g}] (got {arr.min():g} to {arr.max():g});"
            " pass log10 of the FLOP/s, not the FLOP/s",
        )
    return arr


def _generator(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _model_log10_flop_per_subj_sec(
    brain: NDArray[np.float64], params: AnchorParams, rng: np.random.Generator
) -> NDArray[np.float64]:
    penalty = rng.normal(params.model_penalty_oom, params.model_penalty_sd_oom, brain.size)
    out: NDArray[np.float64] = brain + penalty
    return out


def _nn_flop(
    brain: NDArray[np.float64],
    horizon_log10_s: tuple[float, float],
    log10_params: float | None,
    params: AnchorParams,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    n = brain.size
    m = _model_log10_flop_per_subj_sec(brain, params, rng)
    p = m - params.log10_flop_per_param_per_subj_sec if log10_params is None else log10_params
    a = rng.normal(params.scaling_exponent, params.scaling_exponent_sd, n)
    log10_data = params.reference_log10_data + a * (p - params.reference_log10_params)
    log10_horizon = rng.uniform(horizon_log10_s[0], horizon_log10_s[1], n)
    out: NDArray[np.float64] = m + log10_horizon + log10_data
    return out


def neural_network_anchor(
    log10_brain_flops: ArrayLike,
    horizon_log10_s: tuple[float, float],
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """log10 training FLOP under a neural-network anchor with the given horizon (Cotra 2020).

    ``F = m + H + log10 D``: ``m`` = brain + model penalty (FLOP per subjective second),
    ``H`` ~ Uniform(``horizon_log10_s``) (log10 subjective seconds per data point),
    ``log10 D = reference_log10_data + a (log10 P - reference_log10_params)`` with
    ``log10 P = m - log10_flop_per_param_per_subj_sec``.

    >>> rng = np.random.default_rng(1)
    >>> flop = neural_network_anchor(np.full(4000, 15.0), (3.0, 6.0), rng=rng)
    >>> round(float(np.median(flop)))
    35
    """
    brain = _brain(log10_brain_flops)
    lo_hi = (float(horizon_log10_s[0]), float(horizon_log10_s[1]))
    if len(horizon_log10_s) != 2 or not lo_hi[0] < lo_hi[1]:
        raise _fail("horizon_log10_s", f"must be (lo, hi) with lo < hi, got {horizon_log10_s!r}")
    return _nn_flop(brain, lo_hi, None, params, _generator(rng))


def short_horizon_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Short-horizon NN anchor (1-1e3 subjective s); median ~1e32 at 1e15 brain FLOP/s."""
    return neural_network_anchor(log10_brain_flops, params.short_horizon_log10_s, params, rng=rng)


def medium_horizon_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Medium-horizon NN anchor (1e3-1e6 subjective s); median ~1e35 (Cotra: ~3e34)."""
    return neural_network_anchor(log10_brain_flops, params.medium_horizon_log10_s, params, rng=rng)


def long_horizon_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Long-horizon NN anchor (1e6-1e9 subjective s); median ~1e38 (Cotra: ~1e37)."""
    return neural_network_anchor(log10_brain_flops, params.long_horizon_log10_s, params, rng=rng)


def genome_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Genome anchor (Cotra 2020): 7.5e8 parameters, horizon 1e7-1e9 subjective s.

    The model still runs at brain FLOP/s x penalty per subjective second; only the parameter
    count (and so the data needed) is pinned to the genome. Median ~1.4e34 at 1e15 brain
    FLOP/s (Cotra: ~1e33).
    """
    brain = _brain(log10_brain_flops)
    return _nn_flop(
        brain, params.genome_horizon_log10_s, params.genome_log10_params, params, _generator(rng)
    )


def lifetime_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Lifetime anchor (Cotra 2020): brain FLOP/s x ~1e9 s, adjusted up to a ~1e28 median.

    ``F = b + penalty + lifetime_log10_seconds + adjustment``, penalty ~ Normal(1, 1) as for
    every anchor and adjustment ~ Normal(3, 1.5): raw ~1e24 at b = 15, median 1e28.

    >>> rng = np.random.default_rng(2)
    >>> round(float(np.median(lifetime_anchor(np.full(4000, 15.0), rng=rng))))
    28
    """
    brain = _brain(log10_brain_flops)
    gen = _generator(rng)
    m = _model_log10_flop_per_subj_sec(brain, params, gen)
    adjustment = gen.normal(
        params.lifetime_adjustment_oom, params.lifetime_adjustment_sd_oom, brain.size
    )
    out: NDArray[np.float64] = m + params.lifetime_log10_seconds + adjustment
    return out


def evolution_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Evolution anchor (Cotra 2020): ~1e41 FLOP, independent of the human-brain samples.

    Cotra sums the compute of all ancestral nervous systems over ~1e9 years (average ancestor
    ~C. elegans, ~1e4 FLOP/s, ~1e21 individuals at a time): nothing in it scales with the human
    brain's FLOP/s, so ``log10_brain_flops`` only sets the number of samples (and is checked).
    """
    brain = _brain(log10_brain_flops)
    out: NDArray[np.float64] = _generator(rng).normal(
        params.evolution_median_log10_flop, params.evolution_sd_oom, brain.size
    )
    return out


_AnchorFn = Callable[..., NDArray[np.float64]]

_ANCHORS: Final[Mapping[str, _AnchorFn]] = {
    "short": short_horizon_anchor,
    "medium": medium_horizon_anchor,
    "long": long_horizon_anchor,
    "genome": genome_anchor,
    "lifetime": lifetime_anchor,
    "evolution": evolution_anchor,
}


def sample_anchors(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> dict[str, NDArray[np.float64]]:
    """Every anchor evaluated on all the brain samples, keyed by :data:`ANCHOR_NAMES`."""
    brain = _brain(log10_brain_flops)
    gen = _generator(rng)
    return {name: _ANCHORS[name](brain, params, rng=gen) for name in ANCHOR_NAMES}


def mixture(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    weights: MixtureWeights = DEFAULT_WEIGHTS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Samples of log10 training FLOP from Cotra's (2020) weighted mixture of the anchors.

    Each brain sample is assigned one component with probability ``weights`` (short 20 %,
    medium 30 %, long 15 %, genome 10 %, lifetime 5 %, evolution 10 %, none 10 %), then
    evaluated under that anchor; "none of these" gives ``+inf``. The output has the length and
    order of ``log10_brain_flops``.
    """
    brain = _brain(log10_brain_flops)
    gen = _generator(rng)
    if not isinstance(weights, MixtureWeights):
        raise TypeError(f"weights must be MixtureWeights, got {type(weights).__name__}")
    labels = gen.choice(len(COMPONENT_NAMES), size=brain.size, p=weights.as_array())
    out = np.full(brain.size, np.inf)
    for k, name in enumerate(ANCHOR_NAMES):  # one vectorised call per anchor
        idx = np.flatnonzero(labels == k)
        if idx.size:
            out[idx] = _ANCHORS[name](brain[idx], params, rng=gen)
    return out


# --------------------------------------------------------------------------- TOML loader

_TOP_LEVEL_KEYS: Final[tuple[str, ...]] = (
    "meta",
    "anchors",
    "weights",
    "affordability",
    "reproduction",
)

_OPTIONAL_KEYS: Final[frozenset[str]] = frozenset(
    {"value", "who", "where", "quote", "page", "unit", "note", "choice", "alternatives", "tag"}
)


def _load_section(
    data: Mapping[str, Any], section: str, cls: type[Any], path: str
) -> dict[str, Any]:
    def bad(field_name: str, message: str) -> InvalidInputError:
        return InvalidInputError(f"{path}: [{section}] {field_name}: {message}")

    table = data.get(section)
    if not isinstance(table, dict):
        raise InvalidInputError(f"{path}: missing table [{section}]")
    known = {f.name: f for f in fields(cls)}
    unknown = sorted(set(table) - set(known))
    if unknown:
        raise bad(unknown[0], f"unknown field (expected one of {sorted(known)})")
    out: dict[str, Any] = {}
    for name, f in known.items():
        entry = table.get(name)
        if entry is None:
            raise bad(name, "missing field")
        if not isinstance(entry, dict):
            raise bad(name, "must be a table with value, who, where and quote or page")
        extra = sorted(set(entry) - _OPTIONAL_KEYS)
        if extra:
            raise bad(name, f"unknown key {extra[0]!r}")
        for key in ("value", "who", "where"):
            if key not in entry:
                raise bad(name, f"missing {key!r}")
        for key in ("who", "where", "quote", "page", "note", "choice", "unit"):
            if key in entry and not (isinstance(entry[key], str) and entry[key].strip()):
                raise bad(name, f"{key!r} must be a non-empty string")
        if "quote" not in entry and "page" not in entry:
            raise bad(name, "needs a 'quote' or a 'page' for its citation")
        value = entry["value"]
        if isinstance(f.default, tuple):
            if (
                not isinstance(value, list)
                or len(value) != 2
                or not all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
            ):
                raise bad(name, f"value must be an array of two numbers, got {_clip(value)}")
            out[name] = (_finite(value[0], bad, name), _finite(value[1], bad, name))
        else:
            if isinstance(value, bool) or not isinstance(value, int | float):
                raise bad(name, f"value must be a number, got {_clip(value)}")
            out[name] = _finite(value, bad, name)
    return out


def _clip(value: object, limit: int = 80) -> str:
    try:
        text = repr(value)
    except ValueError:  # an integer beyond Python's 4300-digit limit for str()
        return "a very large integer"
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _finite(value: float, bad: Callable[[str, str], InvalidInputError], name: str) -> float:
    """``float(value)``, refusing integers too large for a float and inf or nan."""
    try:
        number = float(value)
    except OverflowError:
        digits = int(int(value).bit_length() * math.log10(2)) + 1
        raise bad(
            name, f"value is an integer of about {digits} digits, too large for a float"
        ) from None
    if not math.isfinite(number):
        raise bad(name, f"value must be a finite number, got {number!r}")
    return number


def load_anchor_params(path: str | os.PathLike[str]) -> CotraParams:
    """Read Cotra-model parameters from a TOML file (stdlib :mod:`tomllib`, never ``eval``).

    The file has tables ``[anchors.<field>]``, ``[weights.<field>]`` and
    ``[affordability.<field>]`` for every field of :class:`AnchorParams`,
    :class:`MixtureWeights` and :class:`~bioanchors.timelines.affordability.AffordabilityParams`;
    each holds ``value`` plus its citation: ``who``, ``where`` and ``quote`` or ``page``
    (optionally ``unit``, ``note``, ``choice``, ``alternatives``, ``tag``). Any missing or
    unknown field, wrong type, missing citation, non-positive doubling time or weights that do
    not sum to 1 raises ``ValueError`` naming the file and the field.

    >>> params = load_anchor_params(cotra_2020_params_path())
    >>> params.weights.medium, params.affordability.spend_doubling_time_years
    (0.3, 2.5)
    """
    from bioanchors._files import read_toml  # regular files only, size-capped, UTF-8

    p = Path(path)
    data = read_toml(p, what="an anchors parameter file")
    path_s = str(p)
    unknown = sorted(set(data) - set(_TOP_LEVEL_KEYS))
    if unknown:
        raise InvalidInputError(
            f"{path_s}: unknown top-level table {unknown[0]!r} (expected {list(_TOP_LEVEL_KEYS)})"
        )
    built: dict[str, Any] = {}
    for section, cls in (
        ("anchors", AnchorParams),
        ("weights", MixtureWeights),
        ("affordability", AffordabilityParams),
    ):
        values = _load_section(data, section, cls, path_s)
        try:
            built[section] = cls(**values)
        except InvalidInputError as exc:
            raise InvalidInputError(f"{path_s}: [{section}] {exc}") from exc
    return CotraParams(
        anchors=built["anchors"], weights=built["weights"], affordability=built["affordability"]
    )


def cotra_2020_params_path() -> Path:
    """Path of the shipped ``cotra-2020.toml`` (source ``data/anchors/``, or wheel ``_data``)."""
    return data_dir() / "anchors" / "cotra-2020.toml"
