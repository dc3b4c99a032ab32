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

from typing import TYPE_CHECKING

from bioanchors._frames import FRAME_GLOSSARY, FRAMES, Frame
from bioanchors._graph.inputs import (
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
from bioanchors._graph.maths import exp, log, log10, maximum, minimum, sqrt
from bioanchors._graph.uncertain import Uncertain, as_uncertain
from bioanchors._results.estimate import Estimate
from bioanchors.errors import (
    AnalyticUnavailableError,
    BioanchorsError,
    BioanchorsWarning,
    CorrelationError,
    FitError,
    FrozenValueError,
    InvalidInputError,
    OperandError,
    OutOfRangeError,
    SamplingError,
    ScenarioError,
    UncertainValueError,
    UnitTextError,
)

if TYPE_CHECKING:
    from bioanchors import surrogate
    from bioanchors._results.compare import prob_greater
    from bioanchors._results.sensitivity import Sensitivity, sensitivity
    from bioanchors._scenarios.build import cite
    from bioanchors._scenarios.catalog import load_scenario, scenarios
    from bioanchors._scenarios.formula import FormulaError
    from bioanchors._scenarios.scenario import Scenario, StepAudit
    from bioanchors._scenarios.sweep import sweep
    from bioanchors._units.registry import Quantity, Registry

    ureg: Registry
    Q_: type[Quantity]

# Names whose modules load on first use, so that `import bioanchors` stays quick: scenarios
# and formulas pull in the file-format models and tomllib, sensitivity the sampling engine.
_LAZY = {
    "FormulaError": "bioanchors._scenarios.formula",
    "Scenario": "bioanchors._scenarios.scenario",
    "Sensitivity": "bioanchors._results.sensitivity",
    "StepAudit": "bioanchors._scenarios.scenario",
    "cite": "bioanchors._scenarios.build",
    "load_scenario": "bioanchors._scenarios.catalog",
    "prob_greater": "bioanchors._results.compare",
    "scenarios": "bioanchors._scenarios.catalog",
    "sensitivity": "bioanchors._results.sensitivity",
    "surrogate": "bioanchors.surrogate",
    "sweep": "bioanchors._scenarios.sweep",
}

__version__ = "0.1.0"

__all__ = [
    "FRAMES",
    "FRAME_GLOSSARY",
    "Q_",
    "AnalyticUnavailableError",
    "BioanchorsError",
    "BioanchorsWarning",
    "CorrelationError",
    "Estimate",
    "FitError",
    "FormulaError",
    "Frame",
    "FrozenValueError",
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
    "as_uncertain",
    "between",
    "cite",
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
    "sweep",
    "uniform",
    "ureg",
]


def __getattr__(name: str) -> object:
    module = _LAZY.get(name)
    if module is not None:
        import importlib

        loaded = importlib.import_module(module)
        # A public subpackage is the value itself (ba.surrogate); otherwise a name inside it
        # (ba.sensitivity is the function of bioanchors._results.sensitivity).
        value = loaded if module == f"bioanchors.{name}" else getattr(loaded, name)
        globals()[name] = value
        return value
    # The unit registry is built on first use, not at import (it takes a noticeable moment).
    if name in ("ureg", "Q_"):
        from bioanchors._units.registry import get_registry

        registry = get_registry()
        return registry if name == "ureg" else registry.Quantity
    raise AttributeError(f"module 'bioanchors' has no attribute {name!r}")


def __dir__() -> list[str]:
    # The curated surface only: not the submodules the import system sets as attributes, nor
    # this module's own helpers.
    return sorted(__all__)


del annotations, TYPE_CHECKING
