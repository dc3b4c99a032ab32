"""A scenario file's ``[[correlations]]``: the spread of the result against the closed form of
correlated lognormals, the same draws as ``ba.correlate`` in Python, the checks of
``ba.correlate`` reported with the file and the entry, ``extends`` and ``with_inputs``."""

from __future__ import annotations

import math
import textwrap
import warnings
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import bioanchors as ba
from bioanchors._graph.nodes import CorrelationGroup, Leaf
from bioanchors._scenarios.spec import ScenarioSpec, read_spec

Z90 = float(stats.norm.ppf(0.95))  # a 90 % interval is median * gsd**(+-1.645)

HEAD = """\
title = "correlated"
output = "total"
unit = "FLOP/s"
frame = "emulation"
[source]
who = "me"
where = "my notes"
"""

INPUTS = """\
[[steps]]
name = "synapses"
unit = "synapse"
between = [1e13, 1e15]
assumption = true
note = "test"

[[steps]]
name = "spike_rate"
unit = "spike / synapse / s"
between = [0.1, 10]
assumption = true
note = "test"

[[steps]]
name = "flop_per_spike"
unit = "FLOP / spike"
between = [1, 100]
assumption = true
note = "test"

[[steps]]
name = "fixed"
unit = ""
value = 1
quote = "one"

[[steps]]
name = "total"
formula = "synapses * spike_rate * flop_per_spike * fixed"
"""


def _group(item: ba.Uncertain) -> CorrelationGroup | None:
    node = item.node
    assert isinstance(node, Leaf)
    return node.group


def _write(folder: Path, body: str, name: str = "corr", head: str = HEAD) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(f'name = "{name}"\n{head}\n{INPUTS}\n{textwrap.dedent(body)}', "utf-8")
    return path


def _sigma(lo: float, hi: float) -> float:
    return math.log(hi / lo) / (2 * Z90)


PAIR = '[[correlations]]\nsteps = ["synapses", "spike_rate"]\nrho = 0.6\nnote = "test"\n'


@pytest.mark.parametrize("rho", [-0.8, 0.0, 0.3, 0.9])
def test_the_spread_is_the_closed_form_of_correlated_lognormals(tmp_path: Path, rho: float) -> None:
    # log(total) = log(syn) + log(rate) + log(flop): normals with s1, s2, s3 and corr(1, 2) = rho,
    # so its variance is s1^2 + s2^2 + s3^2 + 2 rho s1 s2 (log of the product of lognormals).
    body = f'[[correlations]]\nsteps = ["synapses", "spike_rate"]\nrho = {rho}\n'
    sc = ba.load_scenario(_write(tmp_path, body))
    s1, s2, s3 = _sigma(1e13, 1e15), _sigma(0.1, 10), _sigma(1, 100)
    sd = math.sqrt(s1**2 + s2**2 + s3**2 + 2 * rho * s1 * s2)
    logs = np.log(sc.output.sample(200_000, seed=3).to("FLOP/s").magnitude)
    assert float(np.std(logs)) == pytest.approx(sd, rel=0.01)
    median = math.log(1e14 * 1.0 * 10)
    for q in (0.05, 0.5, 0.95):
        expected = median + float(stats.norm.ppf(q)) * sd
        assert float(np.quantile(logs, q)) == pytest.approx(expected, abs=0.02 * sd + 1e-3)


def _as_filed(bound: list[ba.Uncertain], filed: ba.Scenario) -> dict[str, ba.Uncertain]:
    """``ba.correlate``'s inputs drawing from the stream the file's group draws from (a file
    names its group's stream by file and steps, so that loading it twice draws alike)."""
    first = filed[str(bound[0].name)].node
    assert isinstance(first, Leaf)
    assert first.group is not None
    group = None
    out = {}
    for item in bound:
        node = item.node
        assert isinstance(node, Leaf)
        assert node.group is not None
        assert np.array_equal(node.group.matrix, first.group.matrix)
        group = group or replace(node.group, key=first.group.key)
        out[str(item.name)] = ba.Uncertain(replace(node, group=group), item.unit, item.name)
    return out


def test_a_files_correlation_draws_what_ba_correlate_draws(tmp_path: Path) -> None:
    # Same file name in two folders: the inputs draw from the same streams.
    plain = ba.load_scenario(_write(tmp_path / "plain", ""))
    filed = ba.load_scenario(_write(tmp_path / "filed", PAIR))
    bound = ba.correlate([plain["synapses"], plain["spike_rate"]], 0.6)
    by_hand = plain.with_inputs(**_as_filed(bound, filed))
    got = filed.output.sample(5_000, seed=7).magnitude
    assert np.array_equal(by_hand.output.sample(5_000, seed=7).magnitude, got)
    assert not np.array_equal(plain.output.sample(5_000, seed=7).magnitude, got)
    # and ba.correlate's own stream gives the same distribution
    loose = np.log(
        plain.with_inputs(**dict(zip(["synapses", "spike_rate"], bound, strict=True)))
        .output.sample(100_000, seed=7)
        .magnitude
    )
    assert float(np.std(loose)) == pytest.approx(float(np.std(np.log(got))), rel=0.05)


def test_loading_a_file_twice_draws_the_same_numbers(tmp_path: Path) -> None:
    path = _write(tmp_path, PAIR)
    first = ba.load_scenario(path).output.sample(2_000, seed=5).magnitude
    second = ba.load_scenario(path).output.sample(2_000, seed=5).magnitude
    assert np.array_equal(first, second)


def test_a_matrix_draws_what_ba_correlate_draws_with_it(tmp_path: Path) -> None:
    matrix = [[1.0, 0.2, -0.3], [0.2, 1.0, 0.4], [-0.3, 0.4, 1.0]]
    names = ["synapses", "spike_rate", "flop_per_spike"]
    body = f"[[correlations]]\nsteps = {names!r}\nmatrix = {matrix!r}\n".replace("'", '"')
    plain = ba.load_scenario(_write(tmp_path / "plain", ""))
    filed = ba.load_scenario(_write(tmp_path / "filed", body))
    bound = ba.correlate([plain[n] for n in names], matrix)
    by_hand = plain.with_inputs(**_as_filed(bound, filed))
    assert np.array_equal(
        by_hand.output.sample(4_000, seed=1).magnitude,
        filed.output.sample(4_000, seed=1).magnitude,
    )
    draws = np.log(np.stack([filed[n].sample(50_000, seed=2).magnitude for n in names]))
    assert np.corrcoef(draws) == pytest.approx(np.array(matrix), abs=0.02)


def test_every_problem_names_the_file_the_entry_and_the_field(tmp_path: Path) -> None:
    body = """\
    [[correlations]]
    steps = ["synapses", "spike_rat"]
    rho = 0.3

    [[correlations]]
    steps = ["synapses", "flop_per_spike"]
    rho = 1.5

    [[correlations]]
    steps = ["total", "flop_per_spike"]
    rho = 0.1

    [[correlations]]
    steps = ["fixed", "spike_rate"]
    rho = 0.1

    [[correlations]]
    steps = ["spike_rate", "flop_per_spike"]
    matrix = [[1.0, 0.5], [0.4, 1.0]]

    [[correlations]]
    steps = ["synapses", "spike_rate", "flop_per_spike"]
    matrix = [[1.0, 0.9, -0.9], [0.9, 1.0, 0.9], [-0.9, 0.9, 1.0]]
    """
    path = _write(tmp_path, body)
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    found = {p.field: p.detail for p in caught.value.problems}
    assert all(p.file == str(path) for p in caught.value.problems)
    assert "did you mean 'spike_rate'" in found["correlations #1.steps"]
    assert "[-1, 1]" in found["correlations #2.rho"]
    assert "is a formula" in found["correlations #3.steps"]
    assert "step 'fixed' is not an uncertain input" in found["correlations #4.steps"]
    assert "not symmetric" in found["correlations #5.matrix"]
    assert "positive semi-definite" in found["correlations #6.matrix"]
    assert len(found) == 6


def test_a_step_in_two_groups_is_refused(tmp_path: Path) -> None:
    body = PAIR + '[[correlations]]\nsteps = ["flop_per_spike", "synapses"]\nrho = 0.1\n'
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(_write(tmp_path, body))
    assert caught.value.field == "correlations #2.steps"
    assert "already in correlations #1" in caught.value.detail


def test_an_entry_needs_exactly_one_of_rho_and_matrix(tmp_path: Path) -> None:
    body = (
        '[[correlations]]\nsteps = ["synapses", "spike_rate"]\n\n'
        '[[correlations]]\nsteps = ["synapses"]\nrho = 0.1\nmatrix = [[1.0]]\n'
    )
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(_write(tmp_path, body))
    fields = {p.field for p in caught.value.problems}
    assert {"correlations #1", "correlations #2.steps"} <= fields


def test_extends_inherits_the_correlation(tmp_path: Path) -> None:
    parent = ba.load_scenario(_write(tmp_path, PAIR, name="base"))
    child_path = tmp_path / "child.toml"
    child_path.write_text(
        'name = "child"\ntitle = "c"\nextends = "./base.toml"\n', encoding="utf-8"
    )
    child = ba.load_scenario(child_path)
    assert np.array_equal(
        child.output.sample(3_000, seed=0).magnitude, parent.output.sample(3_000, seed=0).magnitude
    )


def test_a_child_that_replaces_a_correlated_step_takes_it_out_with_a_warning(
    tmp_path: Path,
) -> None:
    _write(tmp_path, PAIR, name="base")
    child_path = tmp_path / "child.toml"
    child_path.write_text(
        textwrap.dedent(
            """\
            name = "child"
            title = "c"
            extends = "./base.toml"
            [[steps]]
            name = "synapses"
            unit = "synapse"
            between = [1e14, 1e15]
            quote = "mine"
            who = "me"
            where = "here"

            [[correlations]]
            steps = ["synapses", "flop_per_spike"]
            rho = -0.5
            """
        ),
        encoding="utf-8",
    )
    with pytest.warns(ba.BioanchorsWarning, match=r"step 'synapses' leaves correlations #1"):
        child = ba.load_scenario(child_path)
    assert _group(child["spike_rate"]) is None  # its group lost its other member
    group = _group(child["synapses"])
    assert group is not None
    assert group is _group(child["flop_per_spike"])
    assert group.matrix[0][1] == -0.5


def test_with_inputs_takes_a_replaced_step_out_of_its_group(tmp_path: Path) -> None:
    matrix = [[1.0, 0.5, 0.2], [0.5, 1.0, 0.3], [0.2, 0.3, 1.0]]
    names = ["synapses", "spike_rate", "flop_per_spike"]
    body = f"[[correlations]]\nsteps = {names!r}\nmatrix = {matrix!r}\n".replace("'", '"')
    sc = ba.load_scenario(_write(tmp_path, body))
    with pytest.warns(ba.BioanchorsWarning, match="replaced by a user override"):
        variant = sc.with_inputs(synapses=ba.point(1e14, "synapse"))
    group = _group(variant["spike_rate"])
    assert group is not None
    assert group.matrix.tolist() == [[1.0, 0.3], [0.3, 1.0]]
    assert _group(variant["flop_per_spike"]) is group
    # a second override keeps the first one out (it warns again, and binds nothing new)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BioanchorsWarning)
        again = variant.with_inputs(spike_rate=1.0)
    assert _group(again["flop_per_spike"]) is None
    assert _group(again["synapses"]) is None


def test_the_entries_dump_back_to_the_same_shape(tmp_path: Path) -> None:
    name = "cmp_units_and_correlations"
    path = tmp_path / f"{name}.toml"
    path.write_text(
        f'name = "{name}"\n{HEAD}\n[units]\nroundtrip_compartment = "[roundtrip_compartment]"\n'
        f"{INPUTS}\n{PAIR}"
        '[[correlations]]\nsteps = ["flop_per_spike", "fixed"]\n'
        "matrix = [[1.0, 0.1], [0.1, 1.0]]\n",
        encoding="utf-8",
    )
    spec = read_spec(path)
    dumped = spec.model_dump(by_alias=True, exclude_none=True)
    assert dumped["correlations"][0] == {
        "steps": ["synapses", "spike_rate"],
        "rho": 0.6,
        "note": "test",
    }
    assert dumped["correlations"][1] == {
        "steps": ["flop_per_spike", "fixed"],
        "matrix": [[1.0, 0.1], [0.1, 1.0]],
    }
    assert dumped["units"] == {"roundtrip_compartment": "[roundtrip_compartment]"}
    assert ScenarioSpec.model_validate(dumped) == spec


def test_a_sweep_over_a_correlated_step_warns_once_not_once_per_value(tmp_path: Path) -> None:
    sc = ba.load_scenario(_write(tmp_path, PAIR))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        table = ba.sweep(sc, "synapses", [1e13, 1e14, 1e15], n=2_000)
    said = [str(w.message) for w in caught if issubclass(w.category, ba.BioanchorsWarning)]
    assert len(said) == 1
    assert "step 'synapses' leaves correlations #1" in said[0]
    assert len(table.rows) == 3
