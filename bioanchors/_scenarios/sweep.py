"""Sweeps: how a scenario's answer moves as one input takes several values.

:func:`sweep` replaces one input step by each value in turn (as
:meth:`~bioanchors.Scenario.with_inputs` does), estimates the output with the same ``n`` and
seed each time, and returns a frozen :class:`SweepTable`: per value, the median and the 5th and
95th percentiles of the output. The same seed means every input not swept draws the same
numbers for every value, so the rows differ only by the swept input; in Monte Carlo they are
drawn in one vectorised pass, not one run per value, and for point values the variants are
not rebuilt from the file one by one: two are built and the others derived from them, where
that is known to give the same graphs (:mod:`bioanchors._scenarios.substitute`). When the
scenario's graph is lognormal throughout the estimate is the closed form (``method="auto"``),
exact and fast, for every value.

>>> import bioanchors as ba
>>> table = ba.sweep(ba.load_scenario("kokotajlod-2021"), "neurons", [1e10, 1e11, 1e12])
>>> [format_number(row.median) for row in table.rows]
['1.0e18', '1.0e19', '1.0e20']
"""

from __future__ import annotations

import html
import math
import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bioanchors._engine.options import SamplingOptions
from bioanchors._format import format_exact, format_number, text_table
from bioanchors._graph.distributions import Point
from bioanchors._graph.functions import formula_functions
from bioanchors._graph.nodes import Leaf
from bioanchors._optional import require_pandas
from bioanchors._results.run import run_estimate, run_estimates
from bioanchors._scenarios.formula import FormulaError, parse_formula
from bioanchors._scenarios.overrides import (
    OverrideValue,
    as_override,
    check_overridable,
    describe,
)
from bioanchors._scenarios.scenario import Scenario
from bioanchors._scenarios.steps import names_in
from bioanchors._scenarios.substitute import Substitution, same_graph, substituted
from bioanchors._units.registry import format_unit

if TYPE_CHECKING:
    from bioanchors._engine.options import Progress
    from bioanchors._graph.uncertain import Uncertain
from bioanchors.errors import (
    AnalyticUnavailableError,
    BioanchorsError,
    InvalidInputError,
    SamplingError,
)

__all__ = ["SweepRow", "SweepTable", "sweep"]


@dataclass(frozen=True)
class SweepRow:
    """One value of the swept input and the output's summary there (in the table's units)."""

    value: float
    """The input's value (its median, if the value given was uncertain), in ``value_unit``."""
    label: str
    """The value as given, in a few words (``1.0e10 neuron``, ``lognormal, median ...``)."""
    median: float
    p5: float
    p95: float
    method: str

    def to_dict(self) -> dict[str, Any]:
        """The row as plain JSON-ready values (never NaN: a non-finite number is ``None``)."""
        return {
            "value": _finite(self.value),
            "label": self.label,
            "median": _finite(self.median),
            "p5": _finite(self.p5),
            "p95": _finite(self.p95),
            "method": self.method,
        }


@dataclass(frozen=True)
class SweepTable:
    """A scenario's output across values of one input (see :func:`sweep`)."""

    scenario: str
    step: str
    value_unit: str
    """The swept step's unit."""
    unit: str
    """The output's unit (the scenario's declared one)."""
    rows: tuple[SweepRow, ...]
    n: int
    seed: int

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready values, never NaN."""
        return {
            "scenario": self.scenario,
            "step": self.step,
            "value_unit": self.value_unit,
            "unit": self.unit,
            "n": self.n,
            "seed": self.seed,
            "rows": [row.to_dict() for row in self.rows],
        }

    def to_frame(self) -> Any:
        """The rows as a ``pandas.DataFrame`` indexed by value (needs pandas)."""
        return require_pandas().DataFrame([row.to_dict() for row in self.rows]).set_index("value")

    def _cells(self) -> tuple[list[str], list[list[str]]]:
        headers = [
            f"{self.step} ({self.value_unit or '1'})",
            f"median ({self.unit or '1'})",
            "5 %",
            "95 %",
            "method",
        ]
        cells = [
            [
                format_number(r.value),
                format_number(r.median),
                format_number(r.p5),
                format_number(r.p95),
                r.method,
            ]
            for r in self.rows
        ]
        return headers, cells

    def __str__(self) -> str:
        headers, cells = self._cells()
        heading = (
            f"Sweep of {self.scenario} over {self.step} (n={self.n}, seed={self.seed}; the "
            "other inputs draw the same numbers in every row)"
        )
        return f"{heading}\n\n{text_table(headers, cells, {0, 1, 2, 3})}"

    def _repr_html_(self) -> str:
        headers, cells = self._cells()
        head = "".join(f"<th>{html.escape(h)}</th>" for h in headers)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(c)}</td>" for c in row) + "</tr>" for row in cells
        )
        caption = html.escape(f"Sweep of {self.scenario} over {self.step}")
        heading = f"<p><b>{caption}</b> (n={self.n}, seed={self.seed})</p>"
        return f"{heading}<table><tr>{head}</tr>{body}</table>"


def sweep(
    scenario: Scenario,
    step: str,
    values: Iterable[OverrideValue],
    *,
    n: int = 100_000,
    seed: int = 0,
    method: str = "auto",
    progress: Progress | None = None,
) -> SweepTable:
    """The scenario's output with input ``step`` at each of ``values``.

    Each value is what :meth:`~bioanchors.Scenario.with_inputs` accepts: a bare number (in the
    step's unit), a Quantity or an :class:`~bioanchors.Uncertain`. Every row is the estimate
    ``scenario.with_inputs(step=value).estimate(n, seed=seed, method=method)`` would give, bit
    for bit; the Monte Carlo rows are drawn in one vectorised pass (every input not swept is
    drawn once for all of them). ``progress(done, total)`` is called as rows are done (the
    command line draws a progress bar with it).
    """
    if not isinstance(scenario, Scenario):
        raise InvalidInputError(
            f"sweep: expected a Scenario (ba.load_scenario(name)), got "
            f"{type(scenario).__name__} {scenario!r}"[:300]
        )
    chosen = check_overridable({s.name: s for s in scenario.steps}, step, scenario.name)
    if isinstance(values, str) or not isinstance(values, Iterable):
        raise InvalidInputError(
            f"sweep of {step!r}: values is a list of values, got {type(values).__name__} "
            f"{values!r}"[:300]
        )
    given = list(values)
    if not given:
        raise InvalidInputError(f"sweep of {step!r}: no values given; give one or more")
    options = SamplingOptions.of(n, seed=seed, method=method)
    quantities = [as_override(chosen, value) for value in given]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        outputs = _derived_outputs(scenario, step, quantities) or [
            scenario.with_inputs(**{step: quantity}).output for quantity in quantities
        ]
    # Every value replaces the same step, so each warning (the step leaves its correlation
    # group, ...) is said once for the sweep, not once per value.
    for text, category in dict.fromkeys((str(w.message), w.category) for w in caught):
        warnings.warn(text, category, stacklevel=2)
    try:
        estimates = run_estimates(outputs, options, progress=progress)
    except (InvalidInputError, SamplingError) as error:
        raise _at_value(error, scenario, step, quantities, options) from None
    rows = []
    units: dict[int, str] = {}  # id(unit) -> its text: formatting a unit costs ~50 us
    for quantity, estimate in zip(quantities, estimates, strict=True):
        lo, hi = (float(q.magnitude) for q in estimate.interval(0.9))
        node = quantity.node
        if isinstance(node, Leaf) and isinstance(node.dist, Point):
            at = float(node.dist.median)
            unit = units.get(id(quantity.unit))
            if unit is None:
                unit = units[id(quantity.unit)] = format_unit(quantity.unit)
            label = f"{format_exact(node.dist.median)} {unit}".strip()  # as describe() says it
        else:
            at = float(quantity.estimate(n, seed=seed).median.magnitude)
            label = describe(quantity)
        rows.append(SweepRow(at, label, float(estimate.median.magnitude), lo, hi, estimate.method))
    return SweepTable(
        scenario.name,
        step,
        format_unit(chosen.unit),
        format_unit(scenario.unit),
        tuple(rows),
        n,
        seed,
    )


def _derived_outputs(
    scenario: Scenario, step: str, quantities: list[Uncertain]
) -> list[Uncertain] | None:
    """Each value's ``scenario.with_inputs(step=value).output``, two of them built and the
    rest derived from the first by swapping the swept input's node
    (:func:`~bioanchors._scenarios.substitute.substituted`), or None where that is not
    known to give the same graphs: then every variant is built.

    Derived only when every value is a point, the steps computed from the swept one call no
    formula function (which could read a point's value while building, or refuse some
    values), and the second variant built equals the first one with its value swapped, node
    for node (:func:`~bioanchors._scenarios.substitute.same_graph`: a constant the builder
    derived from the value would differ there).
    """
    values = [q.node.dist for q in quantities if isinstance(q.node, Leaf)]
    values = [v for v in values if isinstance(v, Point)]
    if len(quantities) < 3 or len(values) < len(quantities) or _calls_functions(scenario, step):
        return None
    first = quantities[0]
    second = next((q for q, v in zip(quantities, values, strict=True) if v != values[0]), None)
    if second is None:
        return None
    built = {id(q): scenario.with_inputs(**{step: q}) for q in (first, second)}
    template, check = built[id(first)], built[id(second)]
    if template[step].node is not first.node or check[step].node is not second.node:
        return None
    if not same_graph(substituted(template.output, first.node, second.node), check.output):
        return None
    swap = Substitution(template.output, first.node)
    return [built[id(q)].output if id(q) in built else swap.into(q.node) for q in quantities]


def _calls_functions(scenario: Scenario, step: str) -> bool:
    """True when a formula step computed (directly or not) from ``step`` calls a function."""
    functions = formula_functions()
    above = {step}
    for s in scenario.steps:
        formula = s.spec.formula
        if formula is None or not names_in(formula) & above:
            continue
        above.add(s.name)
        try:
            if parse_formula(formula, allowed_functions=functions).functions:
                return True
        except FormulaError:  # pragma: no cover - a scenario that loaded parses
            return True
    return False


def _at_value(
    error: InvalidInputError | SamplingError,
    scenario: Scenario,
    step: str,
    quantities: list[Uncertain],
    options: SamplingOptions,
) -> BioanchorsError:
    """``error`` saying which value of the sweep caused it (the first that fails alone)."""
    for quantity in quantities:
        try:
            run_estimate(scenario.with_inputs(**{step: quantity}).output, options)
        except AnalyticUnavailableError as alone:
            return alone  # its message names the node without a closed form
        except (InvalidInputError, SamplingError) as alone:
            return type(alone)(f"sweep of {step!r} at {describe(quantity)}: {alone}")
    return error  # pragma: no cover - every value estimates alone


def _finite(value: float) -> float | None:
    return value if math.isfinite(value) else None


def draw_sweep(ax: Any, table: SweepTable, *, title: str = "") -> None:
    """Draw ``table`` on the matplotlib axes ``ax``: the median line over the 5-95 % band,
    on log axes where every value is positive and they span more than a factor of 10 (used by
    :func:`bioanchors.plots.sweep_plot`)."""
    xs = [row.value for row in table.rows]
    medians = [row.median for row in table.rows]
    lows = [row.p5 for row in table.rows]
    highs = [row.p95 for row in table.rows]
    ax.fill_between(xs, lows, highs, color="#56b4e9", alpha=0.35, linewidth=0, label="5–95 %")
    ax.plot(xs, medians, color="#000000", marker="o", markersize=4, label="median")
    log_x = _spans_decades(xs)
    log_y = _spans_decades([*lows, *highs, *medians])
    if log_x:
        ax.set_xscale("log")
    if log_y:
        ax.set_yscale("log")
    ax.set_xlabel(f"{table.step} ({table.value_unit or 'dimensionless'}{', log' if log_x else ''})")
    ax.set_ylabel(f"output ({table.unit or 'dimensionless'}{', log' if log_y else ''})")
    ax.set_title(
        title
        or f"{table.scenario}: the output as {table.step} varies\n"
        f"(median and 5–95 % per value; n={table.n}, seed={table.seed})",
        fontsize=10,
    )
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="best", frameon=False)


def _spans_decades(values: list[float]) -> bool:
    return min(values) > 0 and max(values) / min(values) > 10
