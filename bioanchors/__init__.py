"""bioanchors: how much computation does it take to match a brain, and how sure can we be?

Assumptions are uncertain quantities with units; formulas over them build a lazy graph whose
units are checked at once; estimates sample it reproducibly (or answer in closed form).

>>> import bioanchors as ba
>>> neurons = ba.between(78e9, 94e9, "neuron")
>>> flop_per_neuron = ba.between(1e5, 1e8, "FLOP / neuron / s")
>>> print((neurons * flop_per_neuron).to("PFLOP/s").estimate())
270 PFLOP/s (90% CI 8.6 – 8600)
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bioanchors.errors import (
    AnalyticUnavailableError,
    BioanchorsError,
    BioanchorsWarning,
    CorrelationError,
    FitError,
    InvalidInputError,
    OperandError,
    OutOfRangeError,
    SamplingError,
    ScenarioError,
    UncertainValueError,
    UnitTextError,
)
from bioanchors.estimate import Estimate
from bioanchors.inputs import (
    between,
    correlate,
    from_quantiles,
    lognormal,
    loguniform,
    mixture,
    normal,
    point,
    uniform,
)

# Imported now, not lazily: the submodule bioanchors.sensitivity would otherwise shadow the
# function of the same name once anything imports it.
from bioanchors.sensitivity import Sensitivity, sensitivity
from bioanchors.uncertain import Uncertain, exp, log, log10, maximum, minimum, sqrt

if TYPE_CHECKING:
    from bioanchors import surrogate
    from bioanchors.catalog import load_scenario, scenarios
    from bioanchors.compare import prob_greater
    from bioanchors.formula import FormulaError
    from bioanchors.scenario import Scenario, StepAudit
    from bioanchors.units import Quantity, Registry

    ureg: Registry
    Q_: type[Quantity]

# Names whose modules load on first use, so that `import bioanchors` stays quick: scenarios
# and formulas pull in the file-format models and tomllib.
_LAZY = {
    "FormulaError": "bioanchors.formula",
    "Scenario": "bioanchors.scenario",
    "StepAudit": "bioanchors.scenario",
    "load_scenario": "bioanchors.catalog",
    "prob_greater": "bioanchors.compare",
    "scenarios": "bioanchors.catalog",
    "surrogate": "bioanchors.surrogate",
}

__version__ = "0.1.0"

__all__ = [
    "Q_",
    "AnalyticUnavailableError",
    "BioanchorsError",
    "BioanchorsWarning",
    "CorrelationError",
    "Estimate",
    "FitError",
    "FormulaError",
    "InvalidInputError",
    "OperandError",
    "OutOfRangeError",
    "SamplingError",
    "Scenario",
    "ScenarioError",
    "Sensitivity",
    "StepAudit",
    "Uncertain",
    "UncertainValueError",
    "UnitTextError",
    "__version__",
    "between",
    "correlate",
    "exp",
    "from_quantiles",
    "load_scenario",
    "log",
    "log10",
    "lognormal",
    "loguniform",
    "maximum",
    "minimum",
    "mixture",
    "normal",
    "point",
    "prob_greater",
    "scenarios",
    "sensitivity",
    "sqrt",
    "surrogate",
    "uniform",
    "ureg",
]


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        loaded = importlib.import_module(module)
        value = loaded if module.endswith(f".{name}") else getattr(loaded, name)
        globals()[name] = value
        return value
    # The unit registry is built on first use, not at import (it takes a noticeable moment).
    if name in ("ureg", "Q_"):
        from bioanchors.units import get_registry

        registry = get_registry()
        return registry if name == "ureg" else registry.Quantity
    raise AttributeError(f"module 'bioanchors' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
