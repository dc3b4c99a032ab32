"""The vectorised sweep: one shared Monte Carlo pass whose rows equal one-by-one estimates."""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pytest

import bioanchors as ba
from bioanchors._engine.draw import sample as real_sample
from bioanchors._engine.options import SamplingOptions
from bioanchors._results import run
from bioanchors._scenarios.sweep import SweepRow
from bioanchors.errors import BioanchorsError

CARLSMITH = "carlsmith-2020-mechanistic"


def _alone(sc: ba.Scenario, step: str, value: Any, n: int, method: str) -> ba.Estimate:
    return sc.with_inputs(**{step: value}).estimate(n, seed=7, method=method)


def _same(row: SweepRow, alone: ba.Estimate) -> None:
    lo, hi = alone.interval(0.9)
    assert (row.median, row.p5, row.p95) == (
        alone.median.magnitude,
        lo.magnitude,
        hi.magnitude,
    )
    assert row.method == alone.method


@pytest.mark.parametrize("method", ["auto", "mc", "qmc"])
def test_rows_equal_estimates_made_one_by_one(method: Literal["auto", "mc", "qmc"]) -> None:
    """Point values and distributions (which add a random column) in one sweep, every row bit
    for bit the estimate of the overridden scenario alone."""
    sc = ba.load_scenario(CARLSMITH)
    values: list[Any] = [
        1e10,
        ba.between(3e10, 3e11, "neuron"),
        8.6e10,
        ba.lognormal(1e11, 3, "neuron"),
        1e12,
    ]
    table = ba.sweep(sc, "neurons", values, n=5_000, seed=7, method=method)
    for row, value in zip(table.rows, values, strict=True):
        _same(row, _alone(sc, "neurons", value, 5_000, method))


def test_monte_carlo_rows_are_one_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[int] = []

    def counting(plan: Any, options: SamplingOptions) -> Any:
        calls.append(len(plan.outputs))
        return real_sample(plan, options)

    monkeypatch.setattr(run, "sample", counting)
    ba.sweep(ba.load_scenario(CARLSMITH), "neurons", [1e10, 3e10, 1e11, 3e11], n=2_000)
    assert calls == [4]


def test_a_small_memory_budget_splits_the_pass_with_the_same_numbers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sc = ba.load_scenario(CARLSMITH)
    values = [1e10, 3e10, 1e11, 3e11, 1e12]
    whole = ba.sweep(sc, "neurons", values, n=4_000, seed=2)
    monkeypatch.setattr(run, "BATCH_BYTES", 2 * 8 * 4_000)  # two rows per pass
    split = ba.sweep(sc, "neurons", values, n=4_000, seed=2)
    assert split.rows == whole.rows


def test_run_estimates_keeps_samples_equal_to_the_single_run() -> None:
    a = ba.between(1, 3).keyed("vec/a")
    b = ba.lognormal(2, 4)
    outputs = [a * b + a, (a + b) * 2, a - b]
    options = SamplingOptions.of(3_000, seed=11, method="auto")
    together = run.run_estimates(outputs, options)
    for output, estimate in zip(outputs, together, strict=True):
        alone = run.run_estimate(output, options)
        assert estimate.samples is not None
        assert alone.samples is not None
        np.testing.assert_array_equal(estimate.samples.magnitude, alone.samples.magnitude)


def test_an_error_in_the_pass_names_the_row_that_caused_it() -> None:
    """The shared pass fails; the rows are then estimated one by one, and the error names the
    overridden value's row (a negative count where a log is taken)."""
    x = ba.between(1, 10).keyed("vec/x")
    good = ba.log(x + 1)
    bad = ba.log(x - 20)
    options = SamplingOptions.of(1_000, seed=0, method="mc")
    with pytest.raises(BioanchorsError) as alone:
        run.run_estimate(bad, options)
    with pytest.raises(type(alone.value)) as together:
        run.run_estimates([good, bad], options)
    assert str(together.value) == str(alone.value)


def test_outputs_reading_one_stream_as_different_kinds_take_separate_passes() -> None:
    """Regression: a sweep step's values share its stream; a log-uniform value (drawn from
    uniforms alone) and a lognormal one (normal scores) in one pass shared one column of
    normal scores, so the log-uniform row differed from its estimate alone (2288 vs 1509)."""
    flat = ba.loguniform(1, 1e4).keyed("vec/kinds")
    bell = ba.lognormal(100, 10).keyed("vec/kinds")
    outputs = [flat * 2, bell * 2, flat + 1]
    options = SamplingOptions.of(2_000, seed=4, method="mc")
    together = run.run_estimates(outputs, options)
    for output, estimate in zip(outputs, together, strict=True):
        alone = run.run_estimate(output, options)
        assert estimate.samples is not None
        assert alone.samples is not None
        np.testing.assert_array_equal(estimate.samples.magnitude, alone.samples.magnitude)
