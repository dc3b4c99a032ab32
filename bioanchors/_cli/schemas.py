"""The JSON each results command prints, one pydantic model per command (docs/json-output.md).

The command line validates every JSON document against its model before printing it (a
mismatch is a bug), and ``bioanchors schema NAME`` prints a model's JSON Schema. No number is
ever NaN or Infinity: a field that may be ``null`` says in its description what ``null`` means.
Names: ``report``, ``run`` (exactly ``Estimate.to_dict()``), ``audit``, ``waterfall``
(``audit --waterfall``), ``sweep``, ``timelines`` and ``timelines-compare``
(``timelines --compare-anchors``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    TypeAdapter,
    model_validator,
)

from bioanchors._frames import Frame

__all__ = [
    "OUTPUT_SCHEMAS",
    "AuditOutput",
    "ReportOutput",
    "RunOutput",
    "SweepOutput",
    "TimelinesCompareOutput",
    "TimelinesOutput",
    "WaterfallOutput",
    "output_schema",
]

_NULL_FINITE = "null only if the number is not finite (beyond float range), which is a bug"
Number = Annotated[float, Field(allow_inf_nan=False)]
MaybeNumber = Annotated[float | None, Field(allow_inf_nan=False, description=_NULL_FINITE)]
Probability = Annotated[float, Field(ge=0.0, le=1.0, allow_inf_nan=False)]
_PROBABILITY: TypeAdapter[float] = TypeAdapter(Probability)
_PROB_BY = re.compile(r"prob_by_[0-9]+(\.[0-9]+)?")
Count = Annotated[StrictInt, Field(ge=1, description="number of samples")]
Seed = Annotated[StrictInt, Field(ge=0)]
Method = Literal["analytic", "mc", "qmc"]
Year = Annotated[
    float | None,
    Field(allow_inf_nan=False, description="null: not reached by the model's last year"),
]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, allow_inf_nan=False)


# --------------------------------------------------------------------------- run


class _LogParams(_Model):
    mu: Number
    sigma: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]


class RunOutput(_Model):
    """``bioanchors run NAME --format json``: exactly ``Estimate.to_dict()`` of the scenario's
    output, numbers in ``unit`` (``Estimate.from_dict`` reads it back)."""

    unit: StrictStr
    n: Count
    seed: Seed
    method: Method
    percentiles: dict[StrictStr, MaybeNumber] = Field(
        description='percentile ("5", "10", "25", "50", "75", "90", "95") -> value in unit'
    )
    mean: MaybeNumber
    log_params: _LogParams | None = Field(
        default=None, description="mu and sigma of ln X; present only for a closed form"
    )


# --------------------------------------------------------------------------- report


class _ReportScenario(_Model):
    scenario: StrictStr
    title: StrictStr
    frame: Frame
    method: Method
    median: Number
    p5: Number
    p95: Number
    oom_above_1e15: float | None = Field(
        description="log10(median / 1e15); null when the median is <= 0"
    )
    p_above_1e21: Probability
    audit: StrictStr
    audit_failures: list[StrictStr]
    p_above_1e21_se: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
    n: Count
    seed: Seed
    negative: StrictBool
    unit: Literal["FLOP/s"]


class ReportOutput(_Model):
    """``bioanchors report --format json``: every scenario's median and 90 % interval in
    FLOP/s, grouped by frame."""

    unit: Literal["FLOP/s"]
    n: Count
    seed: Seed
    frames: dict[Frame, StrictStr] = Field(description="each frame present -> its meaning")
    frames_note: StrictStr | None = Field(description="null when one frame only")
    scenarios: list[_ReportScenario]


# --------------------------------------------------------------------------- audit


class _AuditStep(_Model):
    name: StrictStr
    formula: StrictStr | None = Field(description="null for an input step")
    unit: StrictStr
    claimed: Number | None = Field(description="null: the source claimed no value")
    recomputed: MaybeNumber = Field(description="the median of the joint draw, in unit")
    ratio: Number | None = Field(description="recomputed / claimed; null without a claim")
    ok: StrictBool = Field(description="true unless the claim and the recomputed value differ")
    verdict: Literal["ok", "MISMATCH", "no claim"] = Field(
        description="ok, MISMATCH, or no claim (a step whose source claimed no value)"
    )


class AuditOutput(_Model):
    """``bioanchors audit NAME --format json``: each step's claim and its recomputed median."""

    scenario: StrictStr
    frame: Frame
    tolerance: Annotated[float, Field(ge=0.0, allow_inf_nan=False)]
    n: Count
    seed: Seed
    method: Literal["mc"]
    steps: list[_AuditStep]


class _WaterfallStep(_Model):
    name: StrictStr
    op: StrictStr
    step: StrictStr
    formula: StrictStr | None
    unit: StrictStr
    median_before: Number | None = Field(description="null on the first row")
    median_after: MaybeNumber
    factor: Number | None = Field(description="null on the first row, or at a sign change")
    factor_unit: StrictStr
    largest: StrictBool


class WaterfallOutput(_Model):
    """``bioanchors audit NAME --waterfall --format json``: the running median along the
    output's chain."""

    frame: Frame
    scenario: StrictStr
    output: StrictStr
    unit: StrictStr
    n: Count
    seed: Seed
    method: Literal["mc"]
    steps: list[_WaterfallStep]


# --------------------------------------------------------------------------- sweep


class _SweepRow(_Model):
    value: MaybeNumber
    label: StrictStr
    median: MaybeNumber
    p5: MaybeNumber
    p95: MaybeNumber
    method: Method


class SweepOutput(_Model):
    """``bioanchors sweep NAME STEP VALUES... --format json`` (and ``run --set`` with
    ``--format json`` prints :class:`RunOutput`)."""

    frame: Frame
    scenario: StrictStr
    step: StrictStr
    value_unit: StrictStr
    unit: StrictStr
    n: Count
    seed: Seed
    rows: list[_SweepRow]


# --------------------------------------------------------------------------- timelines


class _Penalty(_Model):
    mean_oom: Number
    sd_oom: Number
    text: StrictStr


class _TimelinesRow(_Model):
    # The prob_by_YEAR columns are extra fields, each a probability (checked below rather than
    # by a typed __pydantic_extra__, which pydantic 2.6, the declared minimum, refuses).
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False)

    brain: StrictStr
    label: StrictStr
    brain_median_flops: Number
    frame: Frame
    frame_assumed: StrictBool
    penalty: _Penalty
    penalty_rule: Literal["by frame", "the model's own", "given"]
    log10_flop_per_param: Number | None = Field(description="null: the model infers none")
    median_year: Year
    median_reached: StrictBool
    percentiles: dict[StrictStr, Year]
    prob_by_year: dict[StrictStr, Probability] = Field(
        description="the full CDF: every whole year from the model's first to its last"
    )
    prob_by: dict[StrictStr, Probability] = Field(description="P(TAI by year), chosen years")
    median_shift_years: Number | None = Field(
        description="median year minus the reference's; null if either is not reached"
    )

    @model_validator(mode="after")
    def _year_columns(self) -> _TimelinesRow:
        for key, value in (self.model_extra or {}).items():
            if not _PROB_BY.fullmatch(key):
                raise ValueError(f"unexpected field {key!r} (only prob_by_YEAR columns)")
            _PROBABILITY.validate_python(value)
        return self


class TimelinesOutput(_Model):
    """``bioanchors timelines --format json``: one row per brain, each ``TaiForecast.to_dict()``
    less what all rows share (anchors, unit, n, seed, null_means: said once, here), with the
    full per-year CDF, the chosen years (``--years``) in ``prob_by`` and as
    ``prob_by_YEAR`` keys, and the shift against the reference."""

    reference: StrictStr
    anchors: StrictStr
    anchors_label: StrictStr
    unit: Literal["FLOP/s"]
    n: Count
    seed: Seed
    method: Literal["mc"]
    years: list[Number]
    first_year: Number
    last_year: Number
    null_means: StrictStr
    rows: list[_TimelinesRow]


class _Anchors(_Model):
    anchors: StrictStr
    anchors_label: StrictStr


class _Change(_Model):
    parameter: StrictStr
    default: Any
    variant: Any
    reference_median_shift_years: Number | None = Field(
        description="null: not reached, or the only change (then see the rows)"
    )


class _Pair(_Model):
    default: Year
    variant: Year


class _ProbPair(_Model):
    default: Probability
    variant: Probability


class _CompareRow(_Model):
    model_config = ConfigDict(extra="allow", strict=True, allow_inf_nan=False)  # prob_by_YEAR

    brain: StrictStr
    frame: Frame
    median_year: _Pair
    median_shift_years: Number | None = Field(description="null: either is not reached")

    @model_validator(mode="after")
    def _year_columns(self) -> _CompareRow:
        for key, value in (self.model_extra or {}).items():
            if not _PROB_BY.fullmatch(key):
                raise ValueError(f"unexpected field {key!r} (only prob_by_YEAR columns)")
            _ProbPair.model_validate(value)
        return self


class TimelinesCompareOutput(_Model):
    """``bioanchors timelines --compare-anchors ... --format json``: the same brains and draws
    under the default anchors and a variant."""

    default: _Anchors
    variant: _Anchors
    unit: Literal["FLOP/s"]
    n: Count
    seed: Seed
    method: Literal["mc"]
    years: list[Number]
    null_means: StrictStr
    changes: list[_Change]
    rows: list[_CompareRow]


OUTPUT_SCHEMAS: dict[str, type[BaseModel]] = {
    "report": ReportOutput,
    "run": RunOutput,
    "audit": AuditOutput,
    "waterfall": WaterfallOutput,
    "sweep": SweepOutput,
    "timelines": TimelinesOutput,
    "timelines-compare": TimelinesCompareOutput,
}
"""Each command's JSON output model, by the name ``bioanchors schema NAME`` takes."""


def output_schema(name: str) -> dict[str, Any]:
    """The JSON Schema of command output ``name`` (a key of :data:`OUTPUT_SCHEMAS`)."""
    return OUTPUT_SCHEMAS[name].model_json_schema()
