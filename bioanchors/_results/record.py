"""An estimate as a JSON-ready record: the shape of ``Estimate.to_dict()``, read back.

:func:`read_record` validates a record (a pydantic model) and gives the summary it describes:
a closed form when it carries ``log_params`` (checked against its percentiles), else a
:class:`~bioanchors._results.derived.TableSummary` of the known percentiles.
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Annotated, Any, Literal, TypeAlias

import pint
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
)

from bioanchors._results.derived import TableSummary
from bioanchors._results.summaries import LognormalSummary, Summary
from bioanchors._units.registry import as_unit
from bioanchors.errors import InvalidInputError

__all__ = ["SUMMARY_PERCENTILES", "EstimateMethod", "Record", "read_record", "write_record"]

EstimateMethod: TypeAlias = Literal["analytic", "mc", "qmc"]
"""How an estimate was made: in closed form, by Monte Carlo or by quasi-Monte Carlo."""

SUMMARY_PERCENTILES: tuple[int, ...] = (5, 10, 25, 50, 75, 90, 95)
"""The percentiles an estimate's summaries show: ``Estimate.to_dict()`` (and so
``bioanchors run --json``), the notebook table (``_repr_html_``) and the report."""


class _LogParams(BaseModel):
    model_config = ConfigDict(extra="forbid", allow_inf_nan=False)
    mu: StrictFloat
    sigma: Annotated[StrictFloat, Field(ge=0.0)]


class _EstimateRecord(BaseModel):
    """The shape of :meth:`Estimate.to_dict`, validated when read back."""

    model_config = ConfigDict(extra="ignore", allow_inf_nan=False)
    unit: StrictStr
    n: Annotated[StrictInt, Field(ge=1)]
    seed: Annotated[StrictInt, Field(ge=0)]
    method: EstimateMethod
    percentiles: dict[StrictStr, float] = Field(min_length=1)
    mean: float
    log_params: _LogParams | None = None


@dataclass(frozen=True)
class Record:
    """What a record describes: the summary and the estimate's unit, n, seed and method."""

    summary: Summary
    unit: pint.Unit
    n: int
    seed: int
    method: EstimateMethod


def read_record(record: Mapping[str, Any]) -> Record:
    """The estimate a record describes, or an InvalidInputError saying what is wrong."""
    try:
        parsed = _EstimateRecord.model_validate(dict(record))
    except (ValidationError, TypeError, ValueError) as error:
        raise InvalidInputError(f"Estimate.from_dict: not an estimate record: {error}") from None
    unit = as_unit(parsed.unit)
    summary: Summary
    if parsed.log_params is not None:
        summary = _closed_form(parsed.log_params, parsed.percentiles)
    else:
        summary = _table(parsed.percentiles, parsed.mean)
    return Record(summary, unit, parsed.n, parsed.seed, parsed.method)


def _closed_form(params: _LogParams, percentiles: dict[str, float]) -> LognormalSummary:
    summary = LognormalSummary(params.mu, params.sigma)
    for q, value in percentiles.items():
        implied = summary.value(float(q))
        if not math.isclose(implied, value, rel_tol=1e-9):
            raise InvalidInputError(
                f"Estimate.from_dict: log_params give the {q}th percentile "
                f"{implied:.6g}, the record says {value:.6g}"
            )
    return summary


def _table(percentiles: dict[str, float], mean: float) -> TableSummary:
    try:
        pairs = sorted((float(q), v) for q, v in percentiles.items())
    except ValueError:
        raise InvalidInputError(
            "Estimate.from_dict: percentile keys must be numbers such as '5' or '95', "
            f"got {list(percentiles)}"
        ) from None
    if len({q for q, _ in pairs}) != len(pairs):
        raise InvalidInputError(f"Estimate.from_dict: a percentile is given twice: {percentiles}")
    if any(not 0 <= q <= 100 for q, _ in pairs) or any(
        b[1] < a[1] for a, b in itertools.pairwise(pairs)
    ):
        raise InvalidInputError(
            "Estimate.from_dict: percentiles must be keyed by numbers in [0, 100] and "
            f"not decrease, got {percentiles}"
        )
    return TableSummary(tuple(q for q, _ in pairs), tuple(v for _, v in pairs), mean)


def write_record(
    unit: str,
    n: int,
    seed: int,
    method: EstimateMethod,
    percentiles: Sequence[tuple[int, float]],
    mean: float,
    log_params: tuple[float, float] | None,
) -> dict[str, Any]:
    """The JSON-ready record of an estimate (what :func:`read_record` reads back)."""
    record: dict[str, Any] = {
        "unit": unit,
        "n": n,
        "seed": seed,
        "method": method,
        "percentiles": {str(q): value for q, value in percentiles},
        "mean": mean,
    }
    if log_params is not None:
        mu, sigma = log_params
        record["log_params"] = {"mu": mu, "sigma": sigma}
    return record
