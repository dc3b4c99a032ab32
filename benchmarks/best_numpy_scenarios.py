"""The best hand-written numpy for the bundled scenarios :mod:`best_numpy` does not cover.

Same rules as :mod:`best_numpy`: parameters read from each file through :func:`dist`, the
formula written out by hand from the file's steps with its constants folded, draws into
preallocated buffers, products of lognormals (and log-uniforms) summed in log space and
exponentiated once. ``*_idiomatic`` functions are the notebook versions, written straight from
the steps. :data:`POINT_VALUES` names the scenarios with nothing to sample, and why;
:func:`coverage` checks that every bundled scenario is one or the other.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from best_numpy import (
    Buffers,
    FloatArray,
    Model,
    _tcn_terms,
    dist,
    log_params,
    log_uniform_answers,
    lognormal_answers,
)

import bioanchors as ba

Rng = np.random.Generator

POINT_VALUES = {
    "carlsmith-2020-limit": "point value (Landauer's limit at 20 W, 310 K): nothing to sample",
    "kokotajlod-2021": "point value (1e5 FLOP/neuron-step x 1000 steps/s x 1e11 neurons): "
    "nothing to sample",
}


def _value(s: Any, name: str) -> float:
    return float(dist(s, name).value)


def _log_range(d: Any) -> tuple[float, float]:
    """``(log lo, log(hi / lo))`` of a log-uniform input: ``log x = lo + width * u``."""
    return math.log(d.lo), math.log(d.hi / d.lo)


# -- one lognormal ------------------------------------------------------------------------


def lognormal(name: str, step: str) -> Model:
    """A scenario whose output is one lognormal input (exact in closed form, sampled in MC)."""
    s = ba.load_scenario(name)
    mu, sigma = log_params(dist(s, step))

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out = buffers.get("out", n)
        rng.standard_normal(out=out)
        out *= sigma
        out += mu
        return np.exp(out, out=out)

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        return rng.lognormal(mu, sigma, n)

    return Model(s.name, s.output, best, idiomatic, 1, lambda: lognormal_answers(mu, sigma))


# -- constants times one log-uniform ------------------------------------------------------


def scaled_log_uniform(name: str, factor: str, constants: tuple[str, ...]) -> Model:
    """The product of point-valued steps and one log-uniform: one uniform, one affine, one exp."""
    s = ba.load_scenario(name)
    log_lo, width = _log_range(dist(s, factor))
    scale = math.prod(_value(s, c) for c in constants)
    offset = math.log(scale) + log_lo  # the constants folded into the log offset

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out = buffers.get("out", n)
        rng.random(out=out)
        out *= width
        out += offset
        return np.exp(out, out=out)

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        return scale * np.exp(rng.uniform(log_lo, log_lo + width, n))

    return Model(s.name, s.output, best, idiomatic, 1, lambda: log_uniform_answers(offset, width))


def ai_impacts_teps() -> Model:
    """brain_teps / teps_per_flop, both log-uniform: one dot of two uniforms, one exp."""
    s = ba.load_scenario("ai-impacts-2015-teps")
    lo_t, w_t = _log_range(dist(s, "brain_teps"))
    lo_r, w_r = _log_range(dist(s, "teps_per_flop"))
    weights, offset = np.array([w_t, -w_r]), lo_t - lo_r

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        u, out = buffers.get("u", 2, n), buffers.get("out", n)
        rng.random(out=u)
        np.dot(weights, u, out=out)
        out += offset
        return np.exp(out, out=out)

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        teps = np.exp(rng.uniform(lo_t, lo_t + w_t, n))
        return teps / np.exp(rng.uniform(lo_r, lo_r + w_r, n))

    return Model(s.name, s.output, best, idiomatic, 2)


# -- neuron counts times a per-neuron cost ------------------------------------------------


def elm() -> Model:
    """elm_flop_per_step * steps_per_second * neurons: one normal, one affine map."""
    s = ba.load_scenario("elm-2023")
    per_neuron = _value(s, "elm_flop_per_step") * _value(s, "steps_per_second")
    neurons = dist(s, "neurons")
    slope, intercept = per_neuron * neurons.sd, per_neuron * neurons.mean

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out = buffers.get("out", n)
        rng.standard_normal(out=out)
        out *= slope
        out += intercept
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        return per_neuron * rng.normal(neurons.mean, neurons.sd, n)

    return Model(s.name, s.output, best, idiomatic, 1)


def _tcn_total(s: Any) -> tuple[Callable[[Rng, int, Buffers], FloatArray], Callable[..., Any]]:
    """beniaguev-2021-tcn's total (uniform kernel split x normal neurons), best and idiomatic."""
    intercept, slope, neurons = _tcn_terms(s)

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out, count = buffers.get("out", n), buffers.get("count", n)
        rng.random(out=out)
        out *= slope
        out += intercept
        rng.standard_normal(out=count)
        count *= neurons.sd
        count += neurons.mean
        out *= count
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        split = rng.uniform(0.0, 1.0, n)
        return (intercept + slope * split) * rng.normal(neurons.mean, neurons.sd, n)

    return best, idiomatic


def tcn_times_log_uniform(name: str, step: str, sign: float) -> Model:
    """The TCN total times a log-uniform (``sign`` 1) or divided by one (``sign`` -1).

    irving-2021-reversed-control: ``reversed_control(1, r)`` is 1 / r (its checks of r > 0 and
    of 1 >= 0 always pass on this prior); steve2152-2021: ``useful_fraction(total, share)`` is
    total * share (its check total >= 0 fails only 10.6 sd below the mean neuron count).
    """
    s = ba.load_scenario(name)
    total_best, total_idiomatic = _tcn_total(s)
    log_lo, width = _log_range(dist(s, step))
    slope, offset = sign * width, sign * log_lo

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out = total_best(rng, n, buffers)
        factor = buffers.get("factor", n)
        rng.random(out=factor)
        factor *= slope
        factor += offset
        np.exp(factor, out=factor)
        out *= factor
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        total = total_idiomatic(rng, n)
        x = np.exp(rng.uniform(log_lo, log_lo + width, n))
        return total * x if sign > 0 else total * (1.0 / x)

    return Model(s.name, s.output, best, idiomatic, 3)


def michaelstjules() -> Model:
    """carlsmith-2020-mechanistic's total x a lognormal factor, folded into both terms' logs:
    exp(synaptic logs + factor) + neurons * exp(firing log + log steps + factor), two dots."""
    s = ba.load_scenario("michaelstjules-2021-10x")
    synaptic = [
        log_params(dist(s, k))
        for k in ("synapses", "spikes_per_synapse_per_second", "flop_per_spike_through_synapse")
    ]
    mu_p, sig_p = log_params(dist(s, "neuron_power_vs_standard_unit"))
    mu_f, sig_f = log_params(dist(s, "firing_decision_flop_per_step"))
    steps = _value(s, "steps_per_second")
    neurons = dist(s, "neurons")
    # rows of z: three synaptic factors, the power factor, the firing factor, neurons
    sig_syn = np.array([sigma for _, sigma in synaptic] + [sig_p])
    mu_syn = math.fsum(mu for mu, _ in synaptic) + mu_p
    sig_fire = np.array([sig_p, sig_f])
    mu_fire = mu_f + math.log(steps) + mu_p

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        z = buffers.get("z", 6, n)
        rng.standard_normal(out=z)
        out, firing = buffers.get("out", n), buffers.get("firing", n)
        np.dot(sig_syn, z[:4], out=out)
        out += mu_syn
        np.exp(out, out=out)
        np.dot(sig_fire, z[3:5], out=firing)
        firing += mu_fire
        np.exp(firing, out=firing)
        count = z[5]
        count *= neurons.sd
        count += neurons.mean
        firing *= count
        out += firing
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        total = rng.lognormal(synaptic[0][0], synaptic[0][1], n)
        for mu, sigma in synaptic[1:]:
            total = total * rng.lognormal(mu, sigma, n)
        firing = rng.normal(neurons.mean, neurons.sd, n) * rng.lognormal(mu_f, sig_f, n)
        return (total + firing * steps) * rng.lognormal(mu_p, sig_p, n)

    return Model(s.name, s.output, best, idiomatic, 6)


def event_driven() -> Model:
    """beniaguev-2021-tcn-event-driven. Expanding the file's steps, neurons cancel from the
    spike-driven term (input events x steps x neurons = synapses x spike rate):

    total = neurons * steps * (rest21 + u d_rest) + synapses * rate / one * (d21 + u dd)

    with d21 = one_spike21 - rest21 and dd the same difference at k1 = 87 minus d21.
    """
    s = ba.load_scenario("beniaguev-2021-tcn-event-driven")
    r21, r87 = _value(s, "rest_flop_per_step_k1_21"), _value(s, "rest_flop_per_step_k1_87")
    o21, o87 = (
        _value(s, "one_spike_flop_per_step_k1_21"),
        _value(s, "one_spike_flop_per_step_k1_87"),
    )
    steps, one = _value(s, "steps_per_second"), _value(s, "one_input_spike_per_step")
    neurons = dist(s, "neurons")
    (mu_s, sig_s), (mu_r, sig_r) = (
        log_params(dist(s, k)) for k in ("synapses", "spikes_per_synapse_per_second")
    )
    d21, dd = o21 - r21, (o87 - r87) - (o21 - r21)
    dense_slope, dense_intercept = steps * (r87 - r21), steps * r21
    spike_slope, spike_intercept = dd / one, d21 / one
    sigmas, offset = np.array([sig_s, sig_r]), mu_s + mu_r

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out, spike = buffers.get("out", n), buffers.get("spike", n)
        z = buffers.get("z", 3, n)
        rng.random(out=out)
        np.multiply(out, spike_slope, out=spike)
        spike += spike_intercept
        out *= dense_slope
        out += dense_intercept
        rng.standard_normal(out=z)
        count = z[2]
        count *= neurons.sd
        count += neurons.mean
        out *= count
        events = buffers.get("events", n)
        np.dot(sigmas, z[:2], out=events)
        events += offset
        np.exp(events, out=events)
        events *= spike
        out += events
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        split = rng.uniform(0.0, 1.0, n)
        count = rng.normal(neurons.mean, neurons.sd, n)
        synapses = rng.lognormal(mu_s, sig_s, n)
        rate = rng.lognormal(mu_r, sig_r, n)
        events = synapses / count * rate / steps
        flop = r21 + split * (r87 - r21) + events / one * (d21 + split * dd)
        return flop * steps * count

    return Model(s.name, s.output, best, idiomatic, 4)


def cortex() -> Model:
    """beniaguev-2021-cortex, per neuron: c (1 - f) tcn + (c f + rest) fcn + b point, x steps.

    With g = c tcn steps and h = g + rest fcn steps, that is h + f ((c + rest) fcn steps - h)
    plus b steps exp(point's log): one affine map of the split, one exp for the log-uniform f,
    one exp for the lognormal point-neuron cost, then times the neuron count.
    """
    s = ba.load_scenario("beniaguev-2021-cortex")
    intercept, slope, neurons = _tcn_terms(s)  # tcn * steps = intercept + slope * u
    c, b = _value(s, "cortex_fraction"), _value(s, "cerebellum_fraction")
    rest = 1.0 - c - b  # the file's formula, in its order
    steps = _value(s, "steps_per_second")
    fcn_steps = _value(s, "fcn_flop_per_step") * steps
    log_f, width_f = _log_range(dist(s, "nonpyramidal_fraction"))
    mu_p, sig_p = log_params(dist(s, "point_neuron_flop_per_step"))
    h_slope, h_intercept = c * slope, c * intercept + rest * fcn_steps
    k = (c + rest) * fcn_steps
    mu_cereb = mu_p + math.log(b * steps)

    def best(rng: Rng, n: int, buffers: Buffers) -> FloatArray:
        out, f, t = buffers.get("out", n), buffers.get("f", n), buffers.get("t", n)
        z = buffers.get("z", 2, n)
        rng.random(out=out)
        out *= h_slope
        out += h_intercept  # h
        rng.random(out=f)
        f *= width_f
        f += log_f
        np.exp(f, out=f)
        np.subtract(k, out, out=t)
        t *= f
        out += t
        rng.standard_normal(out=z)
        cereb = z[1]
        cereb *= sig_p
        cereb += mu_cereb
        np.exp(cereb, out=cereb)
        out += cereb
        count = z[0]
        count *= neurons.sd
        count += neurons.mean
        out *= count
        return out

    def idiomatic(rng: Rng, n: int) -> FloatArray:
        count = rng.normal(neurons.mean, neurons.sd, n)
        f = np.exp(rng.uniform(log_f, log_f + width_f, n))
        tcn_steps = intercept + slope * rng.uniform(0.0, 1.0, n)
        pyramidal = count * c * (1 - f) * tcn_steps
        shallow = count * (c * f + rest) * fcn_steps
        cerebellar = count * b * rng.lognormal(mu_p, sig_p, n) * steps
        return pyramidal + shallow + cerebellar

    return Model(s.name, s.output, best, idiomatic, 4)


def scenario_models() -> list[Model]:
    """The comparators of this module, one per sampled scenario best_numpy.py leaves out."""
    return [
        ai_impacts_teps(),
        cortex(),
        event_driven(),
        lognormal("carlsmith-2020-communication", "total"),
        lognormal("cotra-2020-brain", "total"),
        elm(),
        tcn_times_log_uniform("irving-2021-reversed-control", "reverse_overhead", -1.0),
        scaled_log_uniform(
            "kurzweil-2005", "order_of_magnitude", ("working_figure", "flop_per_calculation")
        ),
        scaled_log_uniform("merkle-1989", "operations_per_second", ("flop_per_operation",)),
        michaelstjules(),
        scaled_log_uniform(
            "moravec-1998",
            "flop_per_instruction",
            (
                "images_per_second",
                "detections_per_image",
                "instructions_per_detection",
                "brain_to_retina",
            ),
        ),
        tcn_times_log_uniform("steve2152-2021", "useful_share", 1.0),
        scaled_log_uniform("wbe-2008-electrophysiology", "order_of_magnitude", ("table_value",)),
        scaled_log_uniform("wbe-2008-metabolome", "order_of_magnitude", ("table_value",)),
        scaled_log_uniform("wbe-2008-spiking", "order_of_magnitude", ("table_value",)),
    ]


def coverage(models: list[Model]) -> dict[str, str]:
    """Every bundled scenario's row: "modelled" or why it has nothing to sample.

    Raises AssertionError naming a scenario that is neither, or a point value that samples.
    """
    names = {m.name for m in models}
    rows = {}
    for name in ba.scenarios():
        if name in names:
            rows[name] = "modelled"
            continue
        assert name in POINT_VALUES, f"{name}: no comparator and not listed as a point value"
        estimate = ba.load_scenario(name).output.estimate(100, method="mc", seed=0)
        assert estimate.percentile(5) == estimate.percentile(95), name
        rows[name] = POINT_VALUES[name]
    return rows
