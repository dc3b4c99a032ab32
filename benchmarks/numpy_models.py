"""The benchmark models written by hand in vectorised numpy, the way one would in a notebook.

``idiomatic``: each input drawn with ``Generator.lognormal`` / ``Generator.normal`` and
multiplied out, a mixture by ``numpy.where`` on a uniform draw; percentiles by
``numpy.percentile`` (one call for all three) and the mean by ``ndarray.mean``. This is the
comparator of target 2.

``tuned``: what a careful author does for speed: standard normal draws, each product of
lognormals summed in log space and exponentiated once (the same trick as bioanchors' log
forms). Reported for context, not as a target.
"""

from __future__ import annotations

import numpy as np
from models import (
    FIRING,
    MIXTURE_WEIGHTS,
    STEPS_PER_SECOND,
    SURROGATE,
    SYNAPTIC,
    Input,
    log_params,
)
from numpy.typing import NDArray

FloatArray = NDArray[np.float64]
QS = (5.0, 50.0, 95.0)


def _draw(rng: np.random.Generator, spec: Input, n: int) -> FloatArray:
    _, kind, a, b, _ = spec
    if kind == "normal":
        return rng.normal(a, b, n)
    mu, sigma = log_params(spec)
    return rng.lognormal(mu, sigma, n)


def _product(rng: np.random.Generator, specs: list[Input], n: int) -> FloatArray:
    total = _draw(rng, specs[0], n)
    for spec in specs[1:]:
        total *= _draw(rng, spec, n)
    return total


def carlsmith_samples(rng: np.random.Generator, n: int) -> FloatArray:
    synaptic = _product(rng, SYNAPTIC, n)
    firing = _product(rng, FIRING, n)
    firing *= STEPS_PER_SECOND
    synaptic += firing
    return synaptic


def mixture_samples(rng: np.random.Generator, n: int) -> FloatArray:
    mechanistic = carlsmith_samples(rng, n)
    surrogate = _product(rng, SURROGATE, n)
    first = rng.random(n) < MIXTURE_WEIGHTS[0]
    return np.where(first, mechanistic, surrogate)


def _log_product(rng: np.random.Generator, specs: list[Input], n: int) -> FloatArray:
    """Lognormal factors multiplied in log space; normal factors multiplied after one exp."""
    lognormals = [spec for spec in specs if spec[1] != "normal"]
    normals = [spec for spec in specs if spec[1] == "normal"]
    z = rng.standard_normal((len(lognormals), n))
    params = np.array([log_params(spec) for spec in lognormals])
    log_total = params[:, 1] @ z
    log_total += params[:, 0].sum()
    total = np.exp(log_total, out=log_total)
    for spec in normals:
        total *= rng.normal(spec[2], spec[3], n)
    return total


def carlsmith_tuned(rng: np.random.Generator, n: int) -> FloatArray:
    synaptic = _log_product(rng, SYNAPTIC, n)
    firing = _log_product(rng, FIRING, n)
    firing *= STEPS_PER_SECOND
    synaptic += firing
    return synaptic


def mixture_tuned(rng: np.random.Generator, n: int) -> FloatArray:
    mechanistic = carlsmith_tuned(rng, n)
    surrogate = _log_product(rng, SURROGATE, n)
    first = rng.random(n) < MIXTURE_WEIGHTS[0]
    return np.where(first, mechanistic, surrogate)


def summarise(samples: FloatArray) -> tuple[list[float], float]:
    """p5, p50, p95 and the mean: what each benchmark asks of every implementation."""
    return [float(v) for v in np.percentile(samples, QS)], float(samples.mean())
