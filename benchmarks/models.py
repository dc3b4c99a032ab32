"""The benchmark models, written once as data and built three ways.

Every model is the same list of inputs for bioanchors, hand-written numpy and squigglepy, so
the three implementations cannot drift apart: an input is ``(name, kind, a, b, credibility)``
with ``kind`` "between" (a lognormal through the central ``credibility`` interval [a, b]),
"lognormal" (median a, geometric standard deviation b) or "normal" (mean a, sd b).

* ``PRODUCT``: six lognormal factors, each given as a 90 % interval; exact answer in closed form.
* ``CARLSMITH``: Carlsmith (2020), mechanistic method, as in the bundled scenario: synaptic
  transmission (synapses x firing rate x FLOP per spike) plus firing decisions (neurons x FLOP
  per neuron-step x 1000 steps/s). Not a pure product: the sum needs sampling.
* ``MIXTURE``: two schools of thought, 60 : 40: that mechanistic total, or every neuron run as
  a surrogate network (neurons x FLOP/s per neuron). Each component has its own inputs.
"""

from __future__ import annotations

import math

import bioanchors as ba

Input = tuple[str, str, float, float, float]

PRODUCT: list[Input] = [
    ("neurons", "between", 7e10, 1e11, 0.9),
    ("synapses_per_neuron", "between", 1e3, 1e4, 0.9),
    ("spikes_per_second", "between", 0.1, 2.0, 0.9),
    ("flop_per_spike", "between", 1.0, 100.0, 0.9),
    ("learning_overhead", "between", 1.0, 10.0, 0.9),
    ("reserve_factor", "between", 0.5, 3.0, 0.9),
]

SYNAPTIC: list[Input] = [
    ("synapses", "between", 1e14, 1e15, 0.9),
    ("spikes_per_synapse_per_second", "between", 0.1, 1.0, 0.8),
    ("flop_per_spike_through_synapse", "between", 1.0, 100.0, 0.8),
]
FIRING: list[Input] = [
    ("neurons", "normal", 86.1e9, 8.1e9, 0.0),
    ("firing_decision_flop_per_step", "lognormal", 13.0, 7.0, 0.0),
]
STEPS_PER_SECOND = 1000.0
CARLSMITH = SYNAPTIC + FIRING

SURROGATE: list[Input] = [
    ("surrogate_neurons", "normal", 86.1e9, 8.1e9, 0.0),
    ("surrogate_flop_per_second_per_neuron", "between", 1e7, 1e11, 0.9),
]
MIXTURE_WEIGHTS = (0.6, 0.4)


def normal_score(credibility: float) -> float:
    """z such that a standard normal has ``credibility`` of its mass in [-z, z]."""
    from scipy.special import ndtri

    return float(ndtri((1.0 + credibility) / 2.0))


def log_params(spec: Input) -> tuple[float, float]:
    """``(mu, sigma)`` of ln X for a lognormal input."""
    _, kind, a, b, credibility = spec
    if kind == "between":
        sigma = math.log(b / a) / (2.0 * normal_score(credibility))
        return (math.log(a) + math.log(b)) / 2.0, sigma
    if kind == "lognormal":
        return math.log(a), math.log(b)
    raise ValueError(f"{spec[0]} is not lognormal")


def _input(spec: Input) -> ba.Uncertain:
    name, kind, a, b, credibility = spec
    if kind == "between":
        return ba.between(a, b, credibility=credibility, name=name)
    if kind == "lognormal":
        return ba.lognormal(a, b, name=name)
    return ba.normal(a, b, name=name)


def _product(specs: list[Input]) -> ba.Uncertain:
    inputs = [_input(spec) for spec in specs]
    total = inputs[0]
    for item in inputs[1:]:
        total = total * item
    return total


def product() -> ba.Uncertain:
    return _product(PRODUCT)


def carlsmith() -> ba.Uncertain:
    return _product(SYNAPTIC) + _product(FIRING) * STEPS_PER_SECOND


def mixture() -> ba.Uncertain:
    return ba.mixture([carlsmith(), _product(SURROGATE)], list(MIXTURE_WEIGHTS))


def exact_product_percentiles(qs: tuple[float, ...]) -> list[float]:
    """The product's percentiles from its lognormal parameters alone (no bioanchors)."""
    from scipy.special import ndtri

    mu = sum(log_params(spec)[0] for spec in PRODUCT)
    sigma = math.sqrt(sum(log_params(spec)[1] ** 2 for spec in PRODUCT))
    return [math.exp(mu + sigma * float(ndtri(q / 100.0))) for q in qs]
