"""Errors raised by bioanchors.

Every error is a :class:`BioanchorsError`, and also the builtin that fits it, so
``except ValueError`` keeps working for callers who do not know this library::

    BioanchorsError
    ├── InvalidInputError (ValueError)        a value outside what it must be
    │   ├── CorrelationError                  a bad correlation or a twice-correlated input
    │   ├── FitError                          quantiles that no lognormal passes through
    │   └── OutOfRangeError                   a result beyond what a float can hold
    ├── SamplingError (ValueError)            a bad n, method, seed or chunk size
    │   └── AnalyticUnavailableError          method="analytic" on a graph that has no closed form
    ├── UncertainValueError (TypeError)       float(u), bool(u), u < v on an uncertain value
    ├── OperandError (TypeError)              a value of a type that cannot be used there
    ├── FrozenValueError (AttributeError)     u.unit = ... on an immutable value
    ├── ScenarioError (ValueError)            a bad scenario file; names the file, step and field
    ├── FormulaError (ValueError)             a refused formula (bioanchors._scenarios.formula)
    └── UnitTextError (ValueError)            a unit or quantity string outside the strict grammar

Unit mismatches raise pint's own ``DimensionalityError`` (a ``TypeError``) and unknown unit
strings pint's ``UndefinedUnitError`` (an ``AttributeError``), so that code written against
pint keeps working. Each message names the bad value and what was expected.

Warnings are :class:`BioanchorsWarning` (a ``UserWarning``): a result that is right for its
inputs but likely not what the inputs meant (negative samples of a count or rate, say).
"""

from __future__ import annotations

__all__ = [
    "AnalyticUnavailableError",
    "BioanchorsError",
    "BioanchorsWarning",
    "CorrelationError",
    "FitError",
    "FrozenValueError",
    "InvalidInputError",
    "OperandError",
    "OutOfRangeError",
    "SamplingError",
    "ScenarioError",
    "UncertainValueError",
    "UnitTextError",
]


class BioanchorsError(Exception):
    """Base of every error this library raises on purpose."""


class InvalidInputError(BioanchorsError, ValueError):
    """A number or argument outside what it must be (NaN, lo >= hi, gsd <= 1, ...)."""


class CorrelationError(InvalidInputError):
    """A correlation outside [-1, 1], a malformed matrix, or an input correlated twice."""


class FitError(InvalidInputError):
    """Quantiles that cannot define a distribution (not increasing, outside (0, 1), ...)."""


class OutOfRangeError(InvalidInputError):
    """A result too large or too small (underflowing to zero) to be held in a float.

    Raised rather than answering inf, NaN or an exact zero that the arithmetic did not mean.
    """


class BioanchorsWarning(UserWarning):
    """A result that is computed right but that its inputs likely did not mean."""


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


class OperandError(BioanchorsError, TypeError):
    """A value of a type that cannot be used there: a string where a quantity is expected, a
    Quantity where a unit is, a number where a brain estimate is."""


class UncertainValueError(BioanchorsError, TypeError):
    """An uncertain value was used where a single number or truth value is needed."""


class FrozenValueError(BioanchorsError, AttributeError):
    """An attribute of an immutable value (an :class:`~bioanchors.Uncertain` or an
    :class:`~bioanchors.Estimate`) was assigned or deleted; the message names the method that
    gives a changed copy (``.to(unit)``, ...)."""


class ScenarioError(BioanchorsError, ValueError):
    """A scenario that cannot be loaded or built.

    The message names the file, the step and the field where they are known. A file with
    several problems raises one error listing them all, one a line: ``problems`` holds each
    (a ``ScenarioError`` with its own ``step`` and ``field``), and ``step`` and ``field`` are
    the first one's. A single problem's ``problems`` is ``(self,)``.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        step: str | None = None,
        field: str | None = None,
        problems: tuple[ScenarioError, ...] = (),
    ) -> None:
        self.file = file
        self.step = step
        self.field = field
        self.detail = message
        self.problems: tuple[ScenarioError, ...] = problems if len(problems) > 1 else (self,)
        where = []
        if file is not None:
            where.append(f"file {file}")
        if step is not None and len(problems) <= 1:
            where.append(f"step {step!r}")
        if field is not None and len(problems) <= 1:
            where.append(f"field {field!r}")
        prefix = ", ".join(where)
        super().__init__(f"{prefix}: {message}" if prefix else message)


class UnitTextError(BioanchorsError, ValueError):
    """A unit or quantity string outside the strict grammar of :mod:`bioanchors._units.text`.

    The message shows the string and the expected form, like ``'1e17 FLOP/s'``.
    """
