"""The best hand-written numpy for the throughput benchmark (issue 14), one function per model.

What a careful author writes for speed, not what a notebook does: standard normal and uniform
draws straight into preallocated buffers (``out=``), every product of lognormals summed in log
space by one matrix-vector product and exponentiated once, constants folded into the log
offset or into one affine step, a mixture of log-uniforms drawn from one uniform per sample
(each component evaluated on its own samples only), and percentiles by partitions with one kth
each, the interpolation neighbour read as the minimum of the segment to its right.

Each ``*_idiomatic`` function is the notebook version (``Generator.lognormal`` per factor, full
temporaries, ``numpy.percentile``): the second column of the table.

The parameters come from the bundled scenario files through :func:`dist` (so the comparator
cannot drift from the data); the formulas are written out by hand from the files' steps.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist
from typing import Any

import numpy as np
from numpy.typing import NDArray

import bioanchors as ba

FloatArray = NDArray[np.float64]
QS = (5.0, 50.0, 95.0)


def dist(scenario: Any, name: str) -> Any:
    """The distribution of a scenario's input ``name`` (magnitudes in the step's unit)."""
    return scenario.step(name).quantity.node.dist


def log_params(d: Any) -> tuple[float, float]:
    """``(mu, sigma)`` of a lognormal input."""
    params = d.log_params()
    assert params is not None, d
    return float(params[0]), float(params[1])


class Buffers:
    """Preallocated arrays, reused across calls (``out=`` everywhere)."""

    def __init__(self) -> None:
        self._arrays: dict[tuple[str, tuple[int, ...]], FloatArray] = {}

    def get(self, name: str, *shape: int) -> FloatArray:
        key = (name, shape)
        if key not in self._arrays:
            self._arrays[key] = np.empty(shape)
        return self._arrays[key]


# -- answers ------------------------------------------------------------------------------


def _lerp(low: float, high: float, fraction: float) -> float:
    """numpy's linear interpolation, exact at both ends."""
    if fraction == 0.0:
        return low
    if fraction >= 0.5:
        return high - (high - low) * (1.0 - fraction)
    return low + (high - low) * fraction


def answers_in_place(x: FloatArray) -> tuple[list[float], float]:
    """p5, p50, p95 (numpy's linear definition) and the mean; reorders ``x``.

    One kth per partition, each on the segment right of the last fixed position; the upper
    neighbour of an interpolated percentile is the minimum of the segment after it.
    """
    mean = float(x.mean())
    n = x.size
    start = 0
    values = []
    for q in QS:
        position = (n - 1) * (q / 100.0)
        index = min(math.floor(position), n - 1)
        fraction = position - index
        segment = x[start:]
        segment.partition(index - start)
        low = float(x[index])
        high = float(x[index + 1 :].min()) if fraction and index + 1 < n else low
        values.append(_lerp(low, high, fraction))
        start = index + 1
    return values, mean


def answers_idiomatic(x: FloatArray) -> tuple[list[float], float]:
    return [float(v) for v in np.percentile(x, QS)], float(x.mean())


# -- models -------------------------------------------------------------------------------


@dataclass
class Model:
    """One benchmark model: its bioanchors graph and its two numpy versions."""

    name: str
    graph: ba.Uncertain
    best: Any  # (rng, n, buffers) -> samples (a buffer)
    idiomatic: Any  # (rng, n) -> samples
    columns: int  # random columns per sample (normal or uniform draws)
    exact: Any = None  # () -> the exact p5/p50/p95 and mean, where the output has a closed form


def product_model() -> Model:
    import models

    specs = models.PRODUCT
    params = np.array([models.log_params(s) for s in specs])
    sigmas, offset = np.ascontiguousarray(params[:, 1]), float(params[:, 0].sum())

    def best(rng: np.random.Generator, n: int, buffers: Buffers) -> FloatArray:
        z = buffers.get("z", len(specs), n)
        rng.standard_normal(out=z)
        out = buffers.get("out", n)
        np.dot(sigmas, z, out=out)
        out += offset
        return np.exp(out, out=out)

    def idiomatic(rng: np.random.Generator, n: int) -> FloatArray:
        total = rng.lognormal(params[0, 0], params[0, 1], n)
        for mu, sigma in params[1:]:
            total = total * rng.lognormal(mu, sigma, n)
        return total

    return Model(
        "6-factor lognormal product (MC)",
        models.product(),
        best,
        idiomatic,
        len(specs),
        closed_form_product,
    )


def carlsmith_mechanistic() -> Model:
    s = ba.load_scenario("carlsmith-2020-mechanistic")
    logs = [
        log_params(dist(s, k))
        for k in ("synapses", "spikes_per_synapse_per_second", "flop_per_spike_through_synapse")
    ]
    sig_syn = np.array([sigma for _, sigma in logs])
    mu_syn = sum(mu for mu, _ in logs)
    neurons = dist(s, "neurons")
    mu_f, sig_f = log_params(dist(s, "firing_decision_flop_per_step"))
    steps = dist(s, "steps_per_second").value
    mu_f_steps = mu_f + math.log(steps)  # the constant folded into the log offset

    def best(rng: np.random.Generator, n: int, buffers: Buffers) -> FloatArray:
        z = buffers.get("z", 5, n)
        rng.standard_normal(out=z)
        out, firing = buffers.get("out", n), buffers.get("firing", n)
        np.dot(sig_syn, z[:3], out=out)
        out += mu_syn
        np.exp(out, out=out)
        np.multiply(z[4], sig_f, out=firing)
        firing += mu_f_steps
        np.exp(firing, out=firing)
        count = z[3]
        count *= neurons.sd
        count += neurons.mean
        firing *= count
        out += firing
        return out

    def idiomatic(rng: np.random.Generator, n: int) -> FloatArray:
        synaptic = rng.lognormal(logs[0][0], logs[0][1], n)
        for mu, sigma in logs[1:]:
            synaptic = synaptic * rng.lognormal(mu, sigma, n)
        firing = rng.normal(neurons.mean, neurons.sd, n) * rng.lognormal(mu_f, sig_f, n)
        return synaptic + firing * steps

    return Model(s.name, s.output, best, idiomatic, 5)


def _tcn_terms(s: Any) -> tuple[float, float, Any]:
    k21 = s.step("tcn_flop_per_step_k1_21").quantity.node.dist.value
    k87 = s.step("tcn_flop_per_step_k1_87").quantity.node.dist.value
    split = dist(s, "kernel_split")
    steps = dist(s, "steps_per_second").value
    # (k21 + (split.lo + width * u) * (k87 - k21)) * steps: one affine map of u.
    slope = (split.hi - split.lo) * (k87 - k21) * steps
    return (k21 + split.lo * (k87 - k21)) * steps, slope, dist(s, "neurons")


def beniaguev_tcn() -> Model:
    s = ba.load_scenario("beniaguev-2021-tcn")
    intercept, slope, neurons = _tcn_terms(s)
    k21 = s.step("tcn_flop_per_step_k1_21").quantity.node.dist.value
    k87 = s.step("tcn_flop_per_step_k1_87").quantity.node.dist.value

    def best(rng: np.random.Generator, n: int, buffers: Buffers) -> FloatArray:
        out, count = buffers.get("out", n), buffers.get("count", n)
        rng.random(out=out)
        out *= slope
        out += intercept
        rng.standard_normal(out=count)
        count *= neurons.sd
        count += neurons.mean
        out *= count
        return out

    def idiomatic(rng: np.random.Generator, n: int) -> FloatArray:
        split = rng.uniform(0.0, 1.0, n)
        per_step = k21 + split * (k87 - k21)
        return per_step * 1000.0 * rng.normal(neurons.mean, neurons.sd, n)

    return Model(s.name, s.output, best, idiomatic, 2)


def irving() -> Model:
    s = ba.load_scenario("irving-2021")
    intercept, slope, neurons = _tcn_terms(s)
    reverse = dist(s, "reverse_overhead")
    alpha = dist(s, "scaling_alpha")
    floor = 1.0 / s.step("hidden_units_per_neuron").quantity.node.dist.value
    log_r, width_r = math.log(reverse.lo), math.log(reverse.hi / reverse.lo)
    log_a, width_a = math.log(alpha.lo), math.log(alpha.hi / alpha.lo)

    def best(rng: np.random.Generator, n: int, buffers: Buffers) -> FloatArray:
        # total * (floor + (1/r - floor) * N**-alpha): the 1/r and *r of the file cancel.
        out, count = buffers.get("out", n), buffers.get("count", n)
        a, b = buffers.get("a", n), buffers.get("b", n)
        rng.random(out=out)
        out *= slope
        out += intercept
        rng.standard_normal(out=count)
        count *= neurons.sd
        count += neurons.mean
        out *= count  # the total
        rng.random(out=a)  # 1 / r = exp(-(log lo + width u))
        a *= -width_r
        a -= log_r
        np.exp(a, out=a)
        a -= floor
        rng.random(out=b)  # alpha
        b *= width_a
        b += log_a
        np.exp(b, out=b)
        np.log(count, out=count)
        b *= count
        np.negative(b, out=b)
        np.exp(b, out=b)  # N ** -alpha
        a *= b
        a += floor
        out *= a
        return out

    def idiomatic(rng: np.random.Generator, n: int) -> FloatArray:
        split = rng.uniform(0.0, 1.0, n)
        count = rng.normal(neurons.mean, neurons.sd, n)
        total = (intercept + slope * split) * count
        r = np.exp(rng.uniform(np.log(reverse.lo), np.log(reverse.hi), n))
        a = np.exp(rng.uniform(np.log(alpha.lo), np.log(alpha.hi), n))
        overhead = floor + (1.0 / r - floor) * count ** (-a)
        return total / r * (overhead / (1.0 / r))

    return Model(s.name, s.output, best, idiomatic, 4)


def carlsmith_functional() -> Model:
    s = ba.load_scenario("carlsmith-2020-functional")
    mixture = s.step("total").quantity.node.dist
    weights = np.array(mixture.weights)
    edges = np.cumsum(weights)[:-1]
    lows = np.log([c.lo for c in mixture.components])
    widths = np.log([c.hi / c.lo for c in mixture.components])
    lower = np.concatenate(([0.0], edges))
    # Component i on u in [lower_i, lower_i + w_i): log x = lows_i + widths_i (u - lower_i) / w_i
    slopes = widths / weights
    offsets = lows - slopes * lower

    def best(rng: np.random.Generator, n: int, buffers: Buffers) -> FloatArray:
        out = buffers.get("out", n)
        rng.random(out=out)
        pick = np.searchsorted(edges, out, side="right")
        out *= slopes[pick]
        out += offsets[pick]
        return np.exp(out, out=out)

    def idiomatic(rng: np.random.Generator, n: int) -> FloatArray:
        pick = rng.choice(len(weights), size=n, p=weights)
        draws = [
            np.exp(rng.uniform(low, low + width, n))
            for low, width in zip(lows, widths, strict=True)
        ]
        return np.choose(pick, draws)

    return Model(s.name, s.output, best, idiomatic, 1)


def all_models() -> list[Model]:
    """Every comparator: the five here, then one per other sampled bundled scenario."""
    import best_numpy_scenarios  # imports this module: loaded here, not at the top

    return [
        product_model(),
        carlsmith_mechanistic(),
        beniaguev_tcn(),
        irving(),
        carlsmith_functional(),
        *best_numpy_scenarios.scenario_models(),
    ]


def closed_form_product() -> tuple[list[float], float]:
    """The 6-factor product's p5/p50/p95 and mean by hand (the closed-form comparator)."""
    import models

    params = [models.log_params(spec) for spec in models.PRODUCT]
    mu = math.fsum(m for m, _ in params)
    return lognormal_answers(mu, math.sqrt(math.fsum(s * s for _, s in params)))


def lognormal_answers(mu: float, sigma: float) -> tuple[list[float], float]:
    """Exact p5/p50/p95 and mean of exp(N(mu, sigma))."""
    unit = NormalDist()
    qs = [math.exp(mu + sigma * unit.inv_cdf(q / 100.0)) for q in QS]
    return qs, math.exp(mu + sigma * sigma / 2)


def log_uniform_answers(log_lo: float, width: float) -> tuple[list[float], float]:
    """Exact p5/p50/p95 and mean of exp(log_lo + width * U(0, 1))."""
    qs = [math.exp(log_lo + width * q / 100.0) for q in QS]
    return qs, math.exp(log_lo) * math.expm1(width) / width


def z_exact(exact: tuple[list[float], float], samples: FloatArray) -> list[float]:
    """z-scores of a sample against exact p5/p50/p95 and mean.

    A percentile's: how far the share of the samples below the exact value is from q, in
    standard errors of one sample of this size; the mean's: the sample mean's distance from the
    exact mean in standard errors of a mean.
    """
    n = samples.size
    values, mean = exact
    zs = []
    for q, value in zip(QS, values, strict=True):
        p = q / 100.0
        share = float(np.count_nonzero(samples < value)) / n
        zs.append((share - p) / math.sqrt(p * (1 - p) / n))
    zs.append((float(samples.mean()) - mean) / (float(samples.std()) / math.sqrt(n)))
    return zs
