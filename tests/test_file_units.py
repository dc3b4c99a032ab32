"""A scenario file's ``[units]`` table: new dimensions and names in known units, checked against
the library's registry (never redefining its units), shared safely across files, inherited
through ``extends``, and dumped back to the same shape."""

from __future__ import annotations

import textwrap
import uuid
from pathlib import Path

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._scenarios.file_units import check_name, parse_definition, register_units
from bioanchors._scenarios.spec import ScenarioSpec, read_spec
from bioanchors._units.registry import get_registry

SOURCE = '[source]\nwho = "me"\nwhere = "my notes"\n'


def _fresh(stem: str) -> str:
    """A unit name no other test defines (the registry is shared by the whole process)."""
    return f"{stem}_{uuid.uuid4().hex[:8]}"


def _write(folder: Path, name: str, body: str, head: str = "") -> Path:
    path = folder / f"{name}.toml"
    path.write_text(
        f'name = "{name}"\ntitle = "t"\n{head}\n{SOURCE}\n' + textwrap.dedent(body),
        encoding="utf-8",
    )
    return path


def _input(name: str, unit: str, lo: float, hi: float) -> str:
    return (
        f'[[steps]]\nname = "{name}"\nunit = "{unit}"\nbetween = [{lo}, {hi}]\n'
        'assumption = true\nnote = "a test value"\n'
    )


HEAD = 'output = "total"\nunit = "FLOP/s"\nframe = "emulation"'


def _compartment_file(folder: Path, unit: str) -> Path:
    body = (
        f'[units]\n{unit} = "[{unit}]"\n'
        + _input("compartments", unit, 1e11, 1e13)
        + _input("cost", f"FLOP / {unit} / s", 1.0, 100.0)
        + '[[steps]]\nname = "total"\nformula = "compartments * cost"\n'
    )
    return _write(folder, "cmp", body, HEAD)


def test_a_new_dimension_loads_and_estimates_in_its_unit(tmp_path: Path) -> None:
    unit = _fresh("compartment")
    sc = ba.load_scenario(_compartment_file(tmp_path, unit))
    assert sc["compartments"].unit.dimensionality == {f"[{unit}]": 1}
    # closed form: the product of two lognormals with medians sqrt(lo*hi): 1e12 * 10
    assert sc.estimate().median.to("FLOP/s").magnitude == pytest.approx(1e13, rel=1e-9)
    # a kilo-compartment is read through pint's prefixes
    assert sc["compartments"].to(f"k{unit}").estimate(2_000).median.magnitude == pytest.approx(
        1e9, rel=1e-9
    )
    # and the new dimension is a dimension: it does not mix with neurons
    with pytest.raises(pint.DimensionalityError):
        sc["compartments"] + ba.point(1.0, "neuron")


def test_a_formula_that_forgets_the_new_unit_is_a_dimension_error(tmp_path: Path) -> None:
    unit = _fresh("compartment")
    body = (
        f'[units]\n{unit} = "[{unit}]"\n'
        + _input("compartments", unit, 1e11, 1e13)
        + _input("cost", "FLOP / neuron / s", 1.0, 100.0)
        + '[[steps]]\nname = "total"\nformula = "compartments * cost"\n'
    )
    path = _write(tmp_path, "bad", body, HEAD)
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    message = str(caught.value)
    assert caught.value.field == "unit"
    assert f"FLOP*{unit}/neuron/s" in message
    assert "cannot be expressed in the declared unit 'FLOP/s'" in message


def test_a_name_in_known_units_with_a_factor(tmp_path: Path) -> None:
    event, burst = _fresh("synaptic_event"), _fresh("burst")
    body = (
        f'[units]\n{event} = "spike"\n{burst} = "10 * {event}"\n'
        + _input("bursts", f"{burst} / s", 1.0, 1.0 + 1e-9)
        + '[[steps]]\nname = "total"\nformula = "bursts"\nunit = "spike / s"\n'
    )
    sc = ba.load_scenario(
        _write(tmp_path, "b", body, 'output = "total"\nunit = "spike/s"\nframe = "bound"')
    )
    assert sc.estimate(2_000).median.to("spike/s").magnitude == pytest.approx(10.0, rel=1e-6)


@pytest.mark.parametrize(
    "name", ["neuron", "second", "FLOP", "s", "neurons", "kFLOP", "c", "Neuron", "dimensionless"]
)
def test_the_librarys_units_are_never_redefined(tmp_path: Path, name: str) -> None:
    before = get_registry().Quantity(1, "FLOP/s").to("kFLOP/s").magnitude
    path = _write(
        tmp_path, "r", f'[units]\n{name} = "[{_fresh("x")}]"\n' + _input("a", "", 1, 2), HEAD
    )
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    error = caught.value.problems[0]
    assert error.field == f"units.{name}"
    assert error.file == str(path)
    assert "cannot define unit" in error.detail
    assert get_registry().Quantity(1, "FLOP/s").to("kFLOP/s").magnitude == before


def test_same_definition_twice_is_fine_and_reloading_is_idempotent(tmp_path: Path) -> None:
    unit = _fresh("compartment")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    one = _compartment_file(tmp_path / "a", unit)
    two = _compartment_file(tmp_path / "b", unit)
    first = ba.load_scenario(one).estimate(2_000).median
    assert ba.load_scenario(one).estimate(2_000).median == first
    assert ba.load_scenario(two).estimate(2_000).median == first
    # "spike / s" and "spike per second" are one definition
    rate = _fresh("rate")
    assert register_units([(rate, "spike / s", "x.toml")]) == []
    assert register_units([(rate, "spike per second", "y.toml")]) == []


def test_two_files_with_different_definitions_are_refused_naming_both(tmp_path: Path) -> None:
    name = _fresh("event")
    head = f'output = "a"\nunit = "{name}"\nframe = "bound"'
    one = _write(tmp_path, "one", f'[units]\n{name} = "spike"\n' + _input("a", name, 1, 2), head)
    two = _write(
        tmp_path, "two", f'[units]\n{name} = "2 * spike"\n' + _input("a", name, 1, 2), head
    )
    ba.load_scenario(one)
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(two)
    error = caught.value.problems[0]
    assert error.field == f"units.{name}"
    assert error.file == str(two)
    assert str(one) in error.detail
    assert "differs" in error.detail
    ba.load_scenario(one)  # the first definition stands


def test_extends_inherits_units_and_adds_new_ones(tmp_path: Path) -> None:
    unit, extra = _fresh("compartment"), _fresh("compartment_event")
    _compartment_file(tmp_path, unit)
    child = _write(
        tmp_path,
        "child",
        f'[units]\n{extra} = "{unit} * spike"\n'
        + _input("events", f"{extra} / s", 1e12, 1e12 * (1 + 1e-9))
        + _input("per_event", f"FLOP / {extra}", 2.0, 2.0 * (1 + 1e-9))
        + '[[steps]]\nname = "child_total"\nformula = "events * per_event"\n',
        'extends = "./cmp.toml"\noutput = "child_total"',
    )
    with pytest.warns(ba.BioanchorsWarning, match="not used"):
        sc = ba.load_scenario(child)
    assert sc["compartments"].unit == get_registry().Unit(unit)
    assert sc.estimate(2_000).median.to("FLOP/s").magnitude == pytest.approx(2e12, rel=1e-6)


def test_problems_in_units_come_with_the_files_other_problems(tmp_path: Path) -> None:
    path = _write(
        tmp_path,
        "many",
        '[units]\n"bad name" = "spike"\nfine_but_offset = "degC"\n'
        + '[[steps]]\nname = "a"\nunit = "nope"\nvalue = 1\nquote = "q"\n',
        HEAD,
    )
    with pytest.raises(ba.ScenarioError) as caught:
        ba.load_scenario(path)
    fields = [p.field for p in caught.value.problems]
    assert fields[:2] == ["units.bad name", "units.fine_but_offset"]
    assert ("a", "unit") in [(p.step, p.field) for p in caught.value.problems]


def test_a_definition_is_never_evaluated() -> None:
    for text in ("9**9**9 spike", "__import__('os')", "spike; x", "1e400 spike", "-1 spike"):
        with pytest.raises(ValueError, match=r"cannot read|positive"):
            parse_definition(text)
    with pytest.raises(ValueError, match="not a dimension"):
        parse_definition("[two words]")


def test_the_table_dumps_back_to_the_same_shape(tmp_path: Path) -> None:
    unit = _fresh("compartment")
    spec = read_spec(_compartment_file(tmp_path, unit))
    assert spec.units == {unit: f"[{unit}]"}
    dumped = spec.model_dump(by_alias=True, exclude_none=True)
    assert dumped["units"] == {unit: f"[{unit}]"}
    assert ScenarioSpec.model_validate(dumped) == spec


_IDENT = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,20}", fullmatch=True)


@settings(max_examples=200, deadline=None)
@given(st.one_of(_IDENT, st.text(max_size=12)))
def test_a_name_accepted_is_new_to_the_registry_and_reads_as_itself(name: str) -> None:
    registry = get_registry()
    reason = check_name(name)
    if reason is None:
        assert name.isascii()
        assert name.isidentifier()
        assert name[0].isalpha()
        assert not registry.parse_unit_name(name, case_sensitive=False)
        assert name not in registry._prefixes
        # no known unit is a prefix or plural ending away from it
        assert not any(
            f"{p}{name}{s}" in registry._units
            for p in registry._prefixes
            for s in registry._suffixes
        )
    else:
        assert isinstance(reason, str)
        assert reason


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(sorted(get_registry()._units)))
def test_every_known_unit_name_is_refused(name: str) -> None:
    assert check_name(name) is not None


def test_a_file_edited_after_loading_says_to_restart(tmp_path: Path) -> None:
    name = _fresh("event")
    head = f'output = "a"\nunit = "{name}"\nframe = "bound"'
    path = _write(tmp_path, "e", f'[units]\n{name} = "spike"\n' + _input("a", name, 1, 2), head)
    ba.load_scenario(path)
    _write(tmp_path, "e", f'[units]\n{name} = "3 * spike"\n' + _input("a", name, 1, 2), head)
    with pytest.raises(ba.ScenarioError, match="restart Python"):
        ba.load_scenario(path)
