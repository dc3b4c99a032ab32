"""The small-n and start-up work (issue 14 items 3, 4 and 9) keeps every answer the same.

Caches and shortcuts are checked against what they replace: the remembered plan against a
fresh compile, the remembered seeding against numpy's SeedSequence, the direct Quantity
against pint's constructor, the table of interval scores against scipy, and the peak memory
of a streamed 1000-cell-type population against its bound (in a subprocess; no timings here).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._engine import plan as plan_module
from bioanchors._engine.plan import compile_plan
from bioanchors._engine.program import ApplyStep, CheckStep, MixStep
from bioanchors._engine.seeds import stream_generator
from bioanchors._graph.shapes import _INTERVAL_SCORES, interval_score
from bioanchors._units.cached import build_registry
from bioanchors._units.quantity import scalar_quantity
from bioanchors._units.registry import _DEFINITIONS, _StrictRegistry, as_unit, get_registry


def _graph() -> ba.Uncertain:
    a, b = ba.between(1, 10, "s"), ba.lognormal(3, 2)
    return (a * b + ba.normal(5, 1, "s")) * ba.mixture([b, ba.uniform(1, 2)], [0.3, 0.7])


def test_a_plan_is_remembered_for_the_same_output_only() -> None:
    x = _graph()
    assert compile_plan(x) is compile_plan(x)
    twin = _graph()  # built alike: other nodes, other streams
    assert compile_plan(twin) is not compile_plan(x)
    assert compile_plan(twin).outputs[0] is twin
    assert compile_plan([x, twin]) is not compile_plan([twin, x])


def test_a_remembered_plan_gives_the_fresh_numbers() -> None:
    x = _graph()
    first = x.estimate(5_000, seed=4, method="mc").samples
    plan_module._plans.clear()
    fresh = x.estimate(5_000, seed=4, method="mc").samples
    again = x.estimate(5_000, seed=4, method="mc").samples
    assert first is not None
    assert fresh is not None
    assert again is not None
    assert np.array_equal(first.magnitude, fresh.magnitude)
    assert np.array_equal(again.magnitude, fresh.magnitude)


def test_the_plan_cache_is_bounded() -> None:
    for _ in range(3 * plan_module.PLAN_CACHE_SIZE):
        compile_plan(ba.between(1, 2) * ba.between(3, 4))
    assert len(plan_module._plans) <= plan_module.PLAN_CACHE_SIZE
    weights = sum(map(plan_module._weight, plan_module._plans.values()))
    assert weights <= plan_module.PLAN_CACHE_WEIGHT


def test_released_registers_are_read_by_no_later_step() -> None:
    # An independent statement of what ``release`` means, checked on a graph with sharing.
    a = ba.between(1, 10)
    b = a + 1
    x = ba.maximum(b * b, a) / ba.mixture([b, a], [0.5, 0.5]) - ba.sqrt(b)
    program = compile_plan(x).program
    steps = program.instructions
    for index, step in enumerate(steps):
        later = {r for s in steps[index + 1 :] for r in s.args} | set(program.outputs)
        assert set(step.release) == {r for r in step.args if r not in later}
        if isinstance(step, ApplyStep | CheckStep | MixStep):
            assert step.args
    assert [s.target for s in steps] == list(range(len(steps)))


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 2**63),
    key=st.tuples(st.integers(0, 2**64 - 1), st.integers(0, 2**64 - 1), st.integers(0, 9)),
    chunk=st.integers(0, 10**6),
)
def test_a_remembered_seeding_is_numpys_seeding(
    seed: int, key: tuple[int, int, int], chunk: int
) -> None:
    sequence = np.random.SeedSequence(seed, spawn_key=(*key, chunk))
    expected = np.random.Generator(np.random.PCG64(sequence)).standard_normal(7)
    first = stream_generator(seed, key, chunk).standard_normal(7)
    again = stream_generator(seed, key, chunk).standard_normal(7)
    assert np.array_equal(first, expected)
    assert np.array_equal(again, expected)


@settings(max_examples=60, deadline=None)
@given(
    value=st.floats(allow_nan=False, allow_infinity=False),
    unit=st.sampled_from(["FLOP/s", "PFLOP/s", "degC", "", "neuron", "synapse/neuron", "s**-2"]),
)
def test_a_direct_quantity_is_pints_quantity(value: float, unit: str) -> None:
    target = as_unit(unit)
    ours, pints = scalar_quantity(value, target), get_registry().Quantity(value, target)
    assert type(ours) is type(pints)
    assert vars(ours) == vars(pints)
    assert repr(ours) == repr(pints)
    assert str(ours) == str(pints)


def test_the_estimate_answers_with_pints_quantities() -> None:
    est = ba.between(1e14, 1e16, "FLOP/s").estimate(2_000, method="mc")
    p50 = est.percentile(50)
    assert p50 == get_registry().Quantity(p50.magnitude, as_unit("FLOP/s"))
    # pint multiplies by 1e-15, which can differ from dividing by 1e15 in the last bit
    assert p50.to("PFLOP/s").magnitude == pytest.approx(p50.magnitude / 1e15, rel=4e-16)
    assert type(p50.magnitude) is float


def test_the_interval_scores_are_scipys() -> None:
    from scipy.special import erfinv

    for credibility, score in _INTERVAL_SCORES.items():
        assert score == math.sqrt(2.0) * float(erfinv(credibility))
    assert interval_score(0.123) == math.sqrt(2.0) * float(erfinv(0.123))


def test_the_first_estimate_does_not_import_scipy() -> None:
    # pint itself imports the top-level scipy package (``import numpy, pint`` does too); the
    # heavy parts are scipy.special and scipy.stats.
    code = (
        "import sys, bioanchors as ba; "
        "ba.between(1e14, 1e16, 'FLOP/s').estimate(); "
        "(ba.between(1, 10) * ba.normal(3, 1)).estimate(1000); "
        "print(sorted(m for m in sys.modules if m.startswith(('scipy.special', 'scipy.stats'))))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


_PEAK = """
import json, sys
import bioanchors as ba
from bioanchors.methods.population import CellClass, population
classes = [
    CellClass(f"c{i}", ba.between(1e6, 1e8, "neuron"), ba.between(1e2, 1e5, "FLOP/neuron/s"))
    for i in range(1000)
]
estimate = population(classes).estimate(20_000, seed=1, method="mc", max_in_memory=1024)
status = open("/proc/self/status").read().split("VmHWM:")[1].split()[0]
print(json.dumps([estimate.streamed, int(status) / 1024]))
"""


def test_a_streamed_1000_cell_type_population_peaks_under_200_mib() -> None:
    # VmHWM: the peak resident memory of this interpreter alone (ru_maxrss after a fork
    # would carry over the parent's peak).
    result = subprocess.run([sys.executable, "-c", _PEAK], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    streamed, peak_mib = json.loads(result.stdout)
    assert streamed
    assert peak_mib < 200, peak_mib


def _registry_facts(registry: Any, names: list[str]) -> tuple[object, ...]:
    # A registry built afresh has defined a few prefixed units (kilometer, say) while
    # resolving pint's definitions; one from the cache defines them on first sight, as any
    # prefixed unit is: so look every name up first.
    return (
        [registry.get_name(name) for name in names],
        [str(registry._units[name].reference) for name in names],
        [registry.Quantity(3.0, u).to_base_units().magnitude for u in ("PFLOP/s", "hour", "mm")],
        registry.Quantity(37.0, "degC").to("K").magnitude,
        str(registry.Quantity(1.0, "FLOP/neuron/s").units),
    )


def test_a_registry_from_the_cache_is_the_registry_built_afresh(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    fresh = build_registry(_StrictRegistry, _DEFINITIONS, None)
    names = sorted(fresh._units)
    first = build_registry(_StrictRegistry, _DEFINITIONS, folder)  # writes the cache
    assert any(folder.iterdir())
    again = build_registry(_StrictRegistry, _DEFINITIONS, folder)  # reads it
    assert _registry_facts(first, names) == _registry_facts(fresh, names)
    assert _registry_facts(again, names) == _registry_facts(fresh, names)
    assert set(again._units) <= set(fresh._units)


def test_a_broken_cache_only_means_building_without_it(tmp_path: Path) -> None:
    folder = tmp_path / "cache"
    build_registry(_StrictRegistry, _DEFINITIONS, folder)
    for pickled in folder.glob("*.pickle"):
        pickled.write_bytes(pickled.read_bytes()[:10])  # as if another process were writing
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")
    built = build_registry(_StrictRegistry, _DEFINITIONS, None)
    names = sorted(built._units)
    fresh = _registry_facts(built, names)
    assert _registry_facts(build_registry(_StrictRegistry, _DEFINITIONS, folder), names) == fresh
    assert _registry_facts(build_registry(_StrictRegistry, _DEFINITIONS, blocked), names) == fresh


def test_the_cache_can_be_turned_off_and_moved(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """BIOANCHORS_NO_CACHE=1: no folder, so nothing is read or written; XDG_CACHE_HOME moves
    the folder (platformdirs on Linux); "0" or "" leaves the cache on."""
    from bioanchors._units.cached import NO_CACHE_VAR, cache_folder

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    for off in ("", "0"):
        monkeypatch.setenv(NO_CACHE_VAR, off)
        folder = cache_folder()
        if sys.platform.startswith("linux"):
            assert folder is not None
            assert tmp_path in folder.parents
    monkeypatch.setenv(NO_CACHE_VAR, "1")
    assert cache_folder() is None
    build_registry(_StrictRegistry, _DEFINITIONS)
    assert not (tmp_path / "bioanchors").exists()
