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
source, is in ``data/anchors/cotra-2020.toml``
(:func:`~bioanchors.timelines.cotra.file.load_anchor_params`).

Each anchor maps samples of log10 brain FLOP/s (any brain-compute estimate can drive it) to
samples of log10 training FLOP. With ``b`` the log10 brain FLOP/s and ``m = b + penalty`` the
log10 FLOP per subjective second of the transformative model (penalty ~ Normal(1, 1) orders of
magnitude, Cotra's "one order of magnitude" penalty over the brain):

* **neural network** (short / medium / long horizon): ``F = m + H + log D``, with horizon
  ``H`` log-uniform over 1-1e3, 1e3-1e6 or 1e6-1e9 subjective seconds, parameters
  ``P = m - 1.7`` (about 2e14 when ``b = 15``) and data ``D = K * P**a`` with ``a`` ~
  Normal(0.8, 0.2), written as ``log D = log D_ref + a (log P - log P_ref)`` through the
  reference point 1e11.2 parameters / 1e12 data points of Wildeford's port, so that ``K``
  moves with ``a``. Medians at ``b = 15``: 1e32, 1e35, 1e38 from this structure alone (horizon
  bands 3 orders apart, as in both Squiggle ports); Epoch AI's summary reports ~1e32, ~3e34,
  ~1e37, so the medium and long anchors carry calibrated offsets (``medium_adjustment_oom``
  -0.45, ``long_adjustment_oom`` -0.93 orders) that put their medians there.
* **genome**: the same, with ``P`` fixed at the genome's 7.5e8 bytes and ``H`` log-uniform
  over 1e7-1e9 subjective seconds; about 1.4e34 at ``b = 15`` from the structure (Wildeford's
  port also gives ~1e34), ~1e33 as in Epoch's summary with ``genome_adjustment_oom`` (-1.14).
* **lifetime**: brain FLOP/s times ~1e9 s of childhood gives ~1e24 FLOP; Cotra's adjustments
  raise the median to ~1e28. Here ``F = m + 9 + adjustment``: the same 1-order model
  penalty plus a further 3 orders (Normal, sd 1.5) for her lifetime-specific adjustment,
  which also stands in for her update against requirements that 2020 could already afford.
* **evolution**: ~1e41 FLOP (Normal in log10, sd 4). It is *not* driven by the brain samples:
  Cotra counts the compute of the whole evolutionary history of ancestral nervous systems
  (C. elegans-like brains, ~1e4 FLOP/s), not of a human brain, so the brain samples only set
  how many samples are drawn.

:func:`mixture` picks an anchor for each sample with Cotra's weights (short 15 %, medium
30 %, long 20 %, genome 10 %, lifetime 5 %, evolution 10 %, none of these 10 %); "none" is
``+inf``: never affordable. All randomness comes from the explicit ``numpy.random.Generator``.

>>> import numpy as np
>>> rng = np.random.default_rng(0)
>>> brain = rng.normal(15.0, 1.5, 20_000)
>>> flop = mixture(brain, rng=rng)
>>> round(float(np.mean(np.isinf(flop))), 2)
0.1
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors.errors import InvalidInputError, OperandError
from bioanchors.timelines.cotra._replay import replaying
from bioanchors.timelines.cotra.params import (
    ANCHOR_NAMES,
    COMPONENT_NAMES,
    DEFAULT_ANCHOR_PARAMS,
    DEFAULT_WEIGHTS,
    AnchorParams,
    MixtureWeights,
)
from bioanchors.timelines.cotra.progress import LabelledRequirements

__all__ = [
    "evolution_anchor",
    "genome_anchor",
    "lifetime_anchor",
    "long_horizon_anchor",
    "medium_horizon_anchor",
    "mixture",
    "neural_network_anchor",
    "sample_anchors",
    "short_horizon_anchor",
]

# A guard against FLOP/s passed where log10 FLOP/s is expected (1e15 is far outside), not a
# plausibility range: wide brain distributions legitimately sample far tails (Carlsmith's
# "1e15 median, 1e21 at 90 %" is ~4.7 orders per sd, so 1e5 samples reach ~1e36 FLOP/s).
_BRAIN_RANGE: Final[tuple[float, float]] = (-30.0, 100.0)


def _fail(field_name: str, message: str) -> InvalidInputError:
    return InvalidInputError(f"{field_name}: {message}")


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
        raise OperandError(f"rng must be a numpy.random.Generator, got {type(rng).__name__}")
    return rng


def _model_log10_flop_per_subj_sec(
    brain: NDArray[np.float64], params: AnchorParams, rng: np.random.Generator
) -> NDArray[np.float64]:
    # The model penalty step (kept separate): the transformative model's log10 FLOP per
    # subjective second is the brain's log10 FLOP/s plus model_penalty_oom ~ N(1, 1).
    penalty = rng.normal(params.model_penalty_oom, params.model_penalty_sd_oom, brain.size)
    out: NDArray[np.float64] = brain + penalty
    return out


def _nn_flop(
    brain: NDArray[np.float64],
    horizon_log10_s: tuple[float, float],
    log10_params: float | None,
    params: AnchorParams,
    rng: np.random.Generator,
    adjustment_oom: float = 0.0,
) -> NDArray[np.float64]:
    n = brain.size
    m = _model_log10_flop_per_subj_sec(brain, params, rng)
    p = m - params.log10_flop_per_param_per_subj_sec if log10_params is None else log10_params
    a = rng.normal(params.scaling_exponent, params.scaling_exponent_sd, n)
    log10_data = params.reference_log10_data + a * (p - params.reference_log10_params)
    log10_horizon = rng.uniform(horizon_log10_s[0], horizon_log10_s[1], n)
    out: NDArray[np.float64] = m + log10_horizon + log10_data + adjustment_oom
    return out


def neural_network_anchor(
    log10_brain_flops: ArrayLike,
    horizon_log10_s: tuple[float, float],
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
    adjustment_oom: float = 0.0,
) -> NDArray[np.float64]:
    """log10 training FLOP under a neural-network anchor with the given horizon (Cotra 2020).

    ``F = m + H + log10 D``: ``m`` = brain + model penalty (FLOP per subjective second),
    ``H`` ~ Uniform(``horizon_log10_s``) (log10 subjective seconds per data point),
    ``log10 D = reference_log10_data + a (log10 P - reference_log10_params)`` with
    ``log10 P = m - log10_flop_per_param_per_subj_sec``; ``adjustment_oom`` is added as is
    (the medium and long anchors' calibrated offsets, see :class:`AnchorParams`).

    >>> rng = np.random.default_rng(1)
    >>> flop = neural_network_anchor(np.full(4000, 15.0), (3.0, 6.0), rng=rng)
    >>> round(float(np.median(flop)))
    35
    """
    brain = _brain(log10_brain_flops)
    lo_hi = (float(horizon_log10_s[0]), float(horizon_log10_s[1]))
    if len(horizon_log10_s) != 2 or not lo_hi[0] < lo_hi[1]:
        raise _fail("horizon_log10_s", f"must be (lo, hi) with lo < hi, got {horizon_log10_s!r}")
    if not np.isfinite(adjustment_oom):
        raise _fail("adjustment_oom", f"must be a finite number, got {adjustment_oom!r}")
    return _nn_flop(brain, lo_hi, None, params, _generator(rng), float(adjustment_oom))


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
    """Medium-horizon NN anchor (1e3-1e6 subjective s); median ~3e34 as Cotra's (via Epoch)."""
    return neural_network_anchor(
        log10_brain_flops,
        params.medium_horizon_log10_s,
        params,
        rng=rng,
        adjustment_oom=params.medium_adjustment_oom,
    )


def long_horizon_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Long-horizon NN anchor (1e6-1e9 subjective s); median ~1e37 as Cotra's (via Epoch)."""
    return neural_network_anchor(
        log10_brain_flops,
        params.long_horizon_log10_s,
        params,
        rng=rng,
        adjustment_oom=params.long_adjustment_oom,
    )


def genome_anchor(
    log10_brain_flops: ArrayLike,
    params: AnchorParams = DEFAULT_ANCHOR_PARAMS,
    *,
    rng: np.random.Generator,
) -> NDArray[np.float64]:
    """Genome anchor (Cotra 2020): 7.5e8 parameters, horizon 1e7-1e9 subjective s.

    The model still runs at brain FLOP/s x penalty per subjective second; only the parameter
    count (and so the data needed) is pinned to the genome. Median ~1e33 at 1e15 brain FLOP/s
    (Cotra, via Epoch), with the calibrated ``genome_adjustment_oom``.
    """
    brain = _brain(log10_brain_flops)
    return _nn_flop(
        brain,
        params.genome_horizon_log10_s,
        params.genome_log10_params,
        params,
        _generator(rng),
        params.genome_adjustment_oom,
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

    Each brain sample is assigned one component with probability ``weights`` (short 15 %,
    medium 30 %, long 20 %, genome 10 %, lifetime 5 %, evolution 10 %, none 10 %), then
    evaluated under that anchor; "none of these" gives ``+inf``. The output has the length and
    order of ``log10_brain_flops``; it is a
    :class:`~bioanchors.timelines.cotra.progress.LabelledRequirements` that also records each
    sample's anchor, so that the affordability functions apply that anchor's
    algorithmic-progress schedule.
    """
    brain = _brain(log10_brain_flops)
    gen = _generator(rng)
    if not isinstance(weights, MixtureWeights):
        raise OperandError(f"weights must be MixtureWeights, got {type(weights).__name__}")
    # The draws do not depend on the brain's values: every brain with the same stream state
    # and n (common random numbers) replays them (see _replay; bit-identical).
    with replaying(gen, (params, weights), brain.size) as draws:
        labels = draws.choice(len(COMPONENT_NAMES), size=brain.size, p=weights.as_array())
        out = np.full(brain.size, np.inf)
        positions = [np.flatnonzero(labels == k) for k in range(len(COMPONENT_NAMES))]
        for name, idx in zip(ANCHOR_NAMES, positions, strict=False):  # one call per anchor
            if idx.size:
                out[idx] = _ANCHORS[name](brain[idx], params, rng=draws)
    return LabelledRequirements.build(out, labels, positions)
