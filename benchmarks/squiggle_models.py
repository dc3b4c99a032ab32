"""The benchmark models in squigglepy (the ``bench`` extra), from the same input lists.

squigglepy's ``lognorm(x, y, credibility=...)`` takes a central credible interval in percent,
``lognorm(norm_mean=mu, norm_sd=sigma)`` the parameters of ln X, ``norm(mean=, sd=)`` a normal;
arithmetic on distributions builds a lazy expression that ``squigglepy.sample`` evaluates. Every
input appears once per expression (squigglepy would draw a reused input independently each time
it appears), so these models mean the same as the bioanchors and numpy ones.
"""

from __future__ import annotations

import math
from typing import Any

import squigglepy as sq
from models import FIRING, MIXTURE_WEIGHTS, PRODUCT, STEPS_PER_SECOND, SURROGATE, SYNAPTIC, Input


def _input(spec: Input) -> Any:
    _, kind, a, b, credibility = spec
    if kind == "between":
        return sq.lognorm(a, b, credibility=credibility * 100)
    if kind == "lognormal":
        return sq.lognorm(norm_mean=math.log(a), norm_sd=math.log(b))
    return sq.norm(mean=a, sd=b)


def _product(specs: list[Input]) -> Any:
    total = _input(specs[0])
    for spec in specs[1:]:
        total = total * _input(spec)
    return total


def product() -> Any:
    return _product(PRODUCT)


def carlsmith() -> Any:
    return _product(SYNAPTIC) + _product(FIRING) * STEPS_PER_SECOND


def mixture() -> Any:
    return sq.mixture([carlsmith(), _product(SURROGATE)], list(MIXTURE_WEIGHTS))


def sample(model: Any, n: int) -> Any:
    return sq.sample(model, n=n, verbose=False)
