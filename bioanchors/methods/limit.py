"""The limit method: the Landauer bound on irreversible computation.

Erasing one bit dissipates at least k T ln 2 of energy (Landauer 1961). A brain running on
P watts at temperature T can erase at most P / (k T ln 2) bits per second: about 6.7e21 at
20 W and 310 K (Carlsmith 2020, section 4, "the limit method"; Cotra's notebook rounds to
7e21). Reading that as FLOP/s needs an assumption of bit erasures per FLOP.
"""

from __future__ import annotations

import math

from bioanchors._graph.domain import NON_NEGATIVE, POSITIVE, check
from bioanchors._graph.functions import formula_function
from bioanchors._graph.uncertain import Operand, Uncertain
from bioanchors._units.registry import get_registry

__all__ = ["BOLTZMANN", "landauer_limit"]

BOLTZMANN = 1.380649e-23
"""Boltzmann constant in J/K (exact by the 2019 SI definition)."""


@formula_function()
def landauer_limit(power: Operand, temperature: Operand) -> Uncertain:
    """Maximum bit erasures per second for ``power`` (>= 0) dissipated at ``temperature``
    (> 0, an absolute temperature such as K).

    >>> import bioanchors as ba
    >>> bound = landauer_limit(ba.point(20, "W"), ba.point(310, "K"))
    >>> print(bound.to("bit_erasure / s").estimate())
    6.7e21 bit_erasure/s
    """
    registry = get_registry()
    k_ln2 = registry.Quantity(BOLTZMANN * math.log(2), "J / K / bit_erasure")
    watts = check(power, "landauer_limit", "power", NON_NEGATIVE)
    kelvin = check(temperature, "landauer_limit", "temperature", POSITIVE)
    return (watts / (kelvin * k_ln2)).to("bit_erasure / s")
