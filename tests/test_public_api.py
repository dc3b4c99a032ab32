"""The public surface: exactly the documented names, and no side effects at import."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import bioanchors as ba

DOCUMENTED = {
    # quantities and estimates (DESIGN.md, first block)
    "ureg",
    "Q_",
    "Uncertain",
    "Estimate",
    # what a number measures (the scenario format's frame)
    "Frame",
    "FRAMES",
    "FRAME_GLOSSARY",
    "point",
    "as_uncertain",
    "between",
    "lognormal",
    "normal",
    "uniform",
    "loguniform",
    "mixture",
    "correlate",
    "from_quantiles",
    # scenarios and surrogates (DESIGN.md, second block)
    "scenarios",
    "load_scenario",
    "Scenario",
    "StepAudit",
    "surrogate",
    "sensitivity",
    "Sensitivity",
    "sweep",
    "cite",
    # functions on uncertain quantities
    "sqrt",
    "exp",
    "log",
    "log10",
    "minimum",
    "maximum",
    # added in the second round (DESIGN.md, third block)
    "prob_greater",
    # errors
    "BioanchorsError",
    "InvalidInputError",
    "CorrelationError",
    "FitError",
    "SamplingError",
    "AnalyticUnavailableError",
    "UncertainValueError",
    "ScenarioError",
    "FormulaError",
    "FrozenValueError",
    "OutOfRangeError",
    "OperandError",
    "UnitTextError",
    "BioanchorsWarning",
    "__version__",
}


def test_all_is_exactly_the_documented_surface() -> None:
    assert set(ba.__all__) == DOCUMENTED
    assert len(ba.__all__) == len(set(ba.__all__))


def test_every_public_name_exists() -> None:
    for name in ba.__all__:
        assert getattr(ba, name) is not None


def test_errors_are_also_builtin_errors() -> None:
    assert issubclass(ba.InvalidInputError, ValueError)
    assert issubclass(ba.SamplingError, ValueError)
    assert issubclass(ba.ScenarioError, ValueError)
    assert issubclass(ba.UncertainValueError, TypeError)
    for name in ba.__all__:
        obj = getattr(ba, name)
        if isinstance(obj, type) and issubclass(obj, Exception) and not issubclass(obj, Warning):
            assert issubclass(obj, ba.BioanchorsError)
    assert issubclass(ba.BioanchorsWarning, UserWarning)


def test_import_is_quiet_and_light() -> None:
    code = (
        "import sys, bioanchors\n"
        "heavy = [m for m in ('scipy.stats', 'matplotlib', 'pandas') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
        "assert 'bioanchors._units.registry' not in sys.modules or "
        "bioanchors._units.registry._registry is None\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    assert result.stderr == ""


def test_import_does_not_load_the_sampling_engine() -> None:
    code = (
        "import sys, bioanchors\n"
        "engine = [m for m in ('draw', 'program', 'plan', 'scores', 'interpret', 'options')\n"
        "          if f'bioanchors._engine.{m}' in sys.modules]\n"
        "assert not engine, engine\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_lazy_names_resolve_to_the_documented_objects() -> None:
    code = (
        "import bioanchors as ba\n"
        "import bioanchors._scenarios.scenario, bioanchors._results.sensitivity\n"
        "import bioanchors._scenarios.catalog\n"
        "assert callable(ba.sensitivity)\n"
        "assert ba.sensitivity.__module__ == 'bioanchors._results.sensitivity'\n"
        "assert callable(ba.load_scenario) and callable(ba.scenarios)\n"
        "assert ba.surrogate.TCN is not None\n"
        "assert issubclass(ba.FormulaError, ba.BioanchorsError)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


def test_dir_is_the_curated_surface_even_after_every_submodule_is_imported() -> None:
    code = textwrap.dedent(
        """
        import importlib, pkgutil, types
        import bioanchors as ba
        assert dir(ba) == sorted(ba.__all__), set(dir(ba)) ^ set(ba.__all__)
        for info in pkgutil.walk_packages(ba.__path__, "bioanchors."):
            if not info.name.endswith("__main__"):
                importlib.import_module(info.name)
        assert dir(ba) == sorted(ba.__all__), set(dir(ba)) ^ set(ba.__all__)
        for name in ba.__all__:
            assert getattr(ba, name) is not None, name
        assert isinstance(ba.sensitivity, types.FunctionType), ba.sensitivity
        assert isinstance(ba.surrogate, types.ModuleType)
        for helper in ("Any", "annotations", "TYPE_CHECKING"):
            assert not hasattr(ba, helper), helper
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
