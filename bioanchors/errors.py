"""Errors raised by bioanchors.

Every error is a :class:`BioanchorsError`, and also the builtin that fits it, so
``except ValueError`` keeps working for callers who do not know this library::

    BioanchorsError
    ├── InvalidInputError (ValueError)        a value outside what it must be
    │   ├── CorrelationError                  a bad correlation or a twice-correlated input
    │   └── FitError                          quantiles that no lognormal passes through
    ├── SamplingError (ValueError)            a bad n, method, seed or chunk size
    │   └── AnalyticUnavailableError          method="analytic" on a graph that has no closed form
    ├── UncertainValueError (TypeError)       float(u), bool(u), u < v on an uncertain value
    ├── ScenarioError (ValueError)            a bad scenario file; names the file, step and field
    └── FormulaError (ValueError)             a refused formula (bioanchors.formula)

Unit mismatches raise pint's own ``DimensionalityError`` (a ``TypeError``) and unknown unit
strings pint's ``UndefinedUnitError`` (an ``AttributeError``), so that code written against
pint keeps working. Each message names the bad value and what was expected.
"""

from __future__ import annotations

__all__ = [
    "AnalyticUnavailableError",
    "BioanchorsError",
    "BioanchorsWarning",
    "CorrelationError",
    "FitError",
    "InvalidInputError",
    "SamplingError",
    "ScenarioError",
    "UncertainValueError",
]


class BioanchorsError(Exception):
    """Base of every error this library raises on purpose."""


class InvalidInputError(BioanchorsError, ValueError):
    """A number or argument outside what it must be (NaN, lo >= hi, gsd <= 1, ...)."""


class CorrelationError(InvalidInputError):
    """A correlation outside [-1, 1], a malformed matrix, or an input correlated twice."""


class FitError(InvalidInputError):
    """Quantiles that cannot define a distribution (not increasing, outside (0, 1), ...)."""


class SamplingError(BioanchorsError, ValueError):
    """A bad request for samples: n, seed, method or chunk size."""


class AnalyticUnavailableError(SamplingError):
    """``method="analytic"`` was asked of a graph with no closed form.

    ``node`` names the part of the graph that prevents it.
    """

    def __init__(self, node: str, reason: str) -> None:
        self.node = node
        self.reason = reason
        super().__init__(
            f"no closed form for this estimate: {reason} (at {node}); the analytic path covers "
            "products, quotients and constant powers of lognormals and positive constants. "
            "Use method='auto', 'mc' or 'qmc' to sample it."
        )


class UncertainValueError(BioanchorsError, TypeError):
    """An uncertain value was used where a single number or truth value is needed."""


class ScenarioError(BioanchorsError, ValueError):
    """A scenario that cannot be loaded or built.

    The message names the file, the step and the field where they are known.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        step: str | None = None,
        field: str | None = None,
    ) -> None:
        self.file = file
        self.step = step
        self.field = field
        self.detail = message
        where = []
        if file is not None:
            where.append(f"file {file}")
        if step is not None:
            where.append(f"step {step!r}")
        if field is not None:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class BioanchorsWarning(UserWarning):
    """Something a careful user should look at, though the result is computed (e.g. a
    scenario step that nothing uses)."""
