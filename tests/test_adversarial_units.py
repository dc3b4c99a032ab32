"""Regression and property tests for issue 9's unit items: strings, offsets, threads, pickling.

Items 2 (offset units multiplied), 6 (quantity strings mis-parsed), 11 (power towers),
15 (builtin exceptions from odd unit strings), 17 (one registry per thread) and 18 (pickling).
"""

from __future__ import annotations

import contextlib
import math
import pickle
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import numpy as np
import pint
import pytest
from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._units.registry import (
    affine,
    as_unit,
    check_arithmetic,
    conversion_factor,
    convert,
    format_unit,
    get_registry,
    is_offset,
    parse_quantity,
    result_unit,
)
from bioanchors._units.text import MAX_DEPTH, MAX_LENGTH
from bioanchors.errors import BioanchorsError, InvalidInputError, UnitTextError

ROOT = Path(__file__).resolve().parent.parent

# The errors a unit or quantity string may raise: ours for the grammar, pint's for unknown
# names, mismatched dimensions and prefixed offset units ("kdegC").
STRING_ERRORS = (
    UnitTextError,
    pint.UndefinedUnitError,
    pint.DimensionalityError,
    pint.OffsetUnitCalculusError,
)


def _run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        check=False,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout


# Item 2: offset units are converted, never multiplied.


def test_37_degc_is_310_15_kelvin() -> None:
    degc, kelvin = as_unit("degC"), as_unit("K")
    assert convert(37.0, degc, kelvin) == pytest.approx(310.15, abs=1e-12)
    assert parse_quantity("37 degC").to("K").magnitude == pytest.approx(310.15, abs=1e-12)
    assert ba.Q_("37 degC").to("K").magnitude == pytest.approx(310.15, abs=1e-12)


def test_310_kelvin_is_below_38_degc() -> None:
    # The threshold of between(36, 38, "degC").estimate().prob_above("310 K"): 36.85 degC.
    threshold = parse_quantity("310 K")
    assert convert(threshold.magnitude, threshold.units, as_unit("degC")) == pytest.approx(36.85)


def test_conversion_factor_refuses_offset_units() -> None:
    with pytest.raises(InvalidInputError, match=r"convert"):
        conversion_factor(as_unit("degC"), as_unit("K"))
    with pytest.raises(InvalidInputError, match=r"convert"):
        conversion_factor(as_unit("K"), as_unit("degF"))
    assert conversion_factor(as_unit("degC"), as_unit("degC")) == 1.0
    assert conversion_factor(as_unit("delta_degC"), as_unit("K")) == 1.0


@pytest.mark.parametrize(
    ("op", "left", "right"),
    [
        ("*", "degC", None),
        ("*", None, "degC"),
        ("/", "degC", "s"),
        ("+", "degC", "K"),
        ("+", "K", "degC"),
        ("+", "degC", "degC"),
        ("**", "degC", None),
    ],
)
def test_arithmetic_pint_refuses_on_offsets_is_refused(
    op: str, left: str | None, right: str | None
) -> None:
    with pytest.raises(pint.OffsetUnitCalculusError):
        check_arithmetic(op, left, right)


def test_offset_differences_follow_pint() -> None:
    assert result_unit("-", "degC", "degC") == as_unit("delta_degC")
    assert result_unit("+", "degC", "delta_degC") == as_unit("degC")
    assert result_unit("-", "degC", "delta_degC") == as_unit("degC")
    assert result_unit("neg", "degC") == as_unit("degC")
    assert result_unit("**", "degC", power=1) == as_unit("degC")
    assert result_unit("*", "FLOP/s", "s") == as_unit("FLOP")
    assert result_unit("**", "s", power=0.5) == as_unit("s**(1/2)")


def test_compound_offset_units_are_deltas_as_in_pint() -> None:
    assert as_unit("degC/s") == as_unit("delta_degC/s")
    assert not is_offset("degC/s")
    assert all(is_offset(unit) for unit in ("degC", "degF", "dB"))
    assert is_offset(get_registry().Unit("degC") * get_registry().Unit("s"))


# Item 6: quantity strings take exactly one number, then a unit.


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("1e17–1e18 FLOP/s", "unexpected '–' right after the number 1e17"),
        ("100 000 parameter", "more than one number"),
        ("[1, 2] FLOP/s", "does not start with a number"),
        ("1,000 FLOP", "unexpected ','"),
        ("1e400 FLOP/s", "too large for a float"),
        ("1e-400 FLOP/s", "too small for a float"),
        ("inf FLOP/s", "does not start with a number"),
        ("nan", "does not start with a number"),
        ("", "does not start with a number"),
    ],
)
def test_misread_quantity_strings_are_refused(text: str, reason: str) -> None:
    with pytest.raises(UnitTextError) as info:
        parse_quantity(text, what="claimed value")
    message = str(info.value)
    assert f"claimed value {text!r}" in message
    assert reason in message
    assert "expected one number then a unit, like '1e17 FLOP/s'" in message
    assert isinstance(info.value, BioanchorsError)
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize("text", ["1e17–1e18 FLOP/s", "100 000 parameter", "[1, 2] FLOP/s"])
def test_quantity_class_refuses_them_too(text: str) -> None:
    with pytest.raises(UnitTextError):
        ba.Q_(text)
    with pytest.raises(UnitTextError):
        get_registry()(text)


@pytest.mark.parametrize(
    ("text", "magnitude", "unit"),
    [
        ("1e17 FLOP/s", 1e17, "FLOP/s"),
        ("1e8 FLOP / neuron / s", 1e8, "FLOP/neuron/s"),
        ("1000 step / s", 1000.0, "step/s"),
        ("1_000_000 parameter", 1e6, "parameter"),
        ("-1.5e-3 s", -1.5e-3, "s"),
        (".5 MAC", 0.5, "MAC"),
        ("  42  ", 42.0, ""),
        ("5 1/s", 5.0, "1/s"),
        ("3 spike synapse", 3.0, "spike*synapse"),
    ],
)
def test_well_formed_quantities(text: str, magnitude: float, unit: str) -> None:
    quantity = parse_quantity(text)
    assert quantity.magnitude == magnitude
    assert quantity.units == as_unit(unit)
    assert isinstance(quantity, get_registry().Quantity)


# Item 11: power towers and other unbounded texts.


@pytest.mark.parametrize(
    "text",
    [
        "9**9**9 FLOP/s",
        "1 FLOP/s**9**9**9",
        "1 s**(9**9)",
        "1 s**99999999999999999999",
        "1 (((((((((((((((((((((s)))))))))))))))))))))",
        "1 " + "(" * 100_000,
        "1 " + "s*" * 1000 + "s",
        "1" * 100_000 + " s",
    ],
)
def test_power_towers_and_huge_texts_fail_fast(text: str) -> None:
    start = time.perf_counter()
    with pytest.raises(UnitTextError):
        ba.Q_(text)
    with pytest.raises(UnitTextError):
        parse_quantity(text)
    assert time.perf_counter() - start < 5.0  # pint took minutes (15 for 9**9**9)


def test_limits_are_named_in_the_message() -> None:
    with pytest.raises(UnitTextError, match=f"at most {MAX_LENGTH}"):
        as_unit("s*" * MAX_LENGTH)
    with pytest.raises(UnitTextError, match=f"deeper than {MAX_DEPTH}"):
        as_unit("(" * (MAX_DEPTH + 1) + "s" + ")" * (MAX_DEPTH + 1))
    with pytest.raises(UnitTextError, match="larger than 16"):
        as_unit("s**17")
    with pytest.raises(UnitTextError, match="total exponent 32"):
        as_unit("(s**16)**2")
    with pytest.raises(UnitTextError, match="small rational"):
        as_unit("s**0.35")
    with pytest.raises(UnitTextError, match="power of a power"):
        as_unit("s**2**3")


def test_unit_arguments_and_conversions_are_bounded_too() -> None:
    with pytest.raises(UnitTextError):
        ba.Q_(1, "9**9**9")
    with pytest.raises(UnitTextError):
        ba.Q_(1, "FLOP").to("FLOP**9**9")
    with pytest.raises(UnitTextError):
        get_registry().Unit("2**2**2**2**2")


# Item 15: odd unit strings raise our error, not the tokenizer's builtins.


# Each of these raised TokenError, AssertionError, TypeError or ZeroDivisionError from pint,
# or was read as something else ("a.b" as year * barn, "s," and "s;" as second).
_ODD = ["(", ")", "s**", "s**s", "1/0", "[", "s[", '"', "s**-", "**", "s++", "1 +", ".", "\x00"]
_ODD += ["s**1/0", "s**(1/0)", "0**-1", "s**0.5**0.5", "s**nan", "s**inf", "a.b", "s,", "s;"]


@pytest.mark.parametrize("text", _ODD)
def test_odd_unit_strings_are_unit_text_errors(text: str) -> None:
    with pytest.raises(UnitTextError):
        as_unit(text)
    with pytest.raises(UnitTextError):
        ba.Q_(1, text)


@pytest.mark.parametrize("text", ["", " ", "1", "dimensionless", " dimensionless ", None])
def test_spellings_of_a_pure_number(text: str | None) -> None:
    assert as_unit(text) == get_registry().dimensionless
    assert format_unit(as_unit(text)) == ""


@pytest.mark.parametrize("text", ["", "  ", "\t"])
def test_blank_quantity_text_is_a_unit_text_error_not_an_assertion(text: str) -> None:
    with pytest.raises(UnitTextError, match="expected one number then a unit"):
        ba.Q_(text)
    assert ba.Q_(2, text) == get_registry().Quantity(2.0)


def test_non_strings_are_type_errors() -> None:
    with pytest.raises(TypeError):
        as_unit(3)  # type: ignore[arg-type]
    with pytest.raises(UnitTextError):
        parse_quantity(3)  # type: ignore[arg-type]


# Item 17: one registry, even when eight threads ask first.


def test_first_use_from_eight_threads_builds_one_registry() -> None:
    out = _run(
        """
        import threading
        import bioanchors._units.registry as units

        barrier = threading.Barrier(8)
        registries, quantities = [], []

        def work():
            barrier.wait()
            registry = units.get_registry()
            registries.append(registry)
            quantities.append(registry.Quantity(1.0, units.as_unit("FLOP/s")))

        threads = [threading.Thread(target=work) for _ in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        print(len({id(r) for r in registries}), sum(quantities).to("FLOP/s").magnitude)
        """
    )
    assert out.split() == ["1", "8.0"]


# Item 18: quantities and units pickle, also into a fresh interpreter.


def _samples() -> list[object]:
    return [
        ba.Q_(1.5, "PFLOP/s"),
        as_unit("FLOP / neuron / s"),
        ba.Q_(np.array([1.0, 2.0, 3.0]), "kFLOP"),
        ba.Q_(37, "degC"),
    ]


def test_pickle_round_trip_in_process() -> None:
    registry = get_registry()
    for item in _samples():
        clone = pickle.loads(pickle.dumps(item))
        assert isinstance(clone, (registry.Quantity, registry.Unit))
        if isinstance(item, registry.Quantity):
            assert isinstance(clone, registry.Quantity)
            assert clone.units == item.units
            np.testing.assert_array_equal(clone.magnitude, item.magnitude)
        else:
            assert clone == item
    assert pickle.loads(pickle.dumps(ba.Q_(1, "FLOP/s"))) + ba.Q_(1, "FLOP/s") == ba.Q_(2, "FLOP/s")


@pytest.mark.parametrize("preamble", ["import bioanchors", "", "import bioanchors as ba; ba.ureg"])
def test_pickle_round_trip_in_a_fresh_interpreter(preamble: str, tmp_path: Path) -> None:
    path = tmp_path / "quantities.pickle"
    path.write_bytes(pickle.dumps(_samples()))
    out = _run(
        f"""
        {preamble}
        import pickle
        q, unit, array, temperature = pickle.loads(open({str(path)!r}, "rb").read())
        import bioanchors as ba
        assert isinstance(q, ba.ureg.Quantity), type(q)
        print(q.to("FLOP/s").magnitude, unit, array.to("FLOP").magnitude.tolist())
        print(temperature.to("K").magnitude)
        """
    )
    first, second = out.splitlines()
    assert first == "1500000000000000.0 FLOP / neuron / second [1000.0, 2000.0, 3000.0]"
    assert float(second) == pytest.approx(310.15)


def test_registry_is_the_application_registry() -> None:
    registry = get_registry()
    assert pint.get_application_registry().get() is registry  # type: ignore[no-untyped-call]


# Properties.

_UNITS = [
    "FLOP/s",
    "PFLOP/s",
    "FLOP / neuron / s",
    "spike / synapse / s",
    "parameter / neuron",
    "step / s",
    "ms / step",
    "1 / neuron",
    "m**2 / s**(1/2)",
    "s**(-3/2)",
    "s**(1/3)",
    "m**(31/3) * s**(-1/7)",
    "",
    "degC",
    "degF",
    "K",
    "delta_degC / s",
    "USD",
]
_ALPHABET = st.sampled_from(list("FLOPsmkneurtp/*^()+-.,_ 0123456789e[]'\"–%°Δµ\t\n"))
_TEXTS = st.one_of(
    st.text(_ALPHABET, max_size=60),
    st.text(max_size=60),
    st.lists(st.sampled_from(["FLOP", "s", "**", "*", "/", "(", ")", "9", "-1", " ", "1/2"])).map(
        "".join
    ),
)


@given(_TEXTS)
def test_random_strings_raise_only_unit_errors(text: str) -> None:
    for parse in (as_unit, parse_quantity, ba.Q_):
        start = time.perf_counter()
        with contextlib.suppress(*STRING_ERRORS):
            parse(text)
        assert time.perf_counter() - start < 2.0


_FINITE = st.floats(allow_nan=False, allow_infinity=False)


@given(_FINITE, st.sampled_from(_UNITS))
def test_parse_quantity_round_trips_repr_and_format_unit(x: float, unit: str) -> None:
    parsed = parse_quantity(f"{x!r} {format_unit(as_unit(unit))}")
    assert parsed.magnitude == x
    assert parsed.units == as_unit(unit)


_TEMPERATURES = st.sampled_from(["degC", "degF", "K", "degR", "delta_degC", "delta_degF"])


@given(st.floats(-1e6, 1e6), _TEMPERATURES, _TEMPERATURES)
def test_offset_conversions_agree_with_pint(x: float, source: str, target: str) -> None:
    registry = get_registry()
    try:
        expected = registry.Quantity(x, source).to(target).magnitude
    except pint.DimensionalityError:
        with pytest.raises(pint.DimensionalityError):
            convert(x, as_unit(source), as_unit(target))
        return
    assert convert(x, as_unit(source), as_unit(target)) == expected
    scale, offset = affine(source, target)
    assert scale * x + offset == pytest.approx(expected, rel=1e-12, abs=1e-9)
    if not is_offset(source) and not is_offset(target):
        assert offset == 0.0


@given(st.lists(st.floats(-1e6, 1e6), min_size=1, max_size=5), _TEMPERATURES, _TEMPERATURES)
def test_array_conversion_matches_scalar(xs: list[float], source: str, target: str) -> None:
    try:
        result = convert(np.array(xs), as_unit(source), as_unit(target))
    except pint.DimensionalityError:
        return
    assert isinstance(result, np.ndarray)
    for x, y in zip(xs, result, strict=True):
        assert y == convert(x, as_unit(source), as_unit(target))


@given(st.sampled_from(_UNITS), st.sampled_from(_UNITS))
def test_affine_of_multiplicative_units_is_the_factor(source: str, target: str) -> None:
    try:
        scale, offset = affine(source, target)
    except pint.DimensionalityError:
        return
    assert offset == 0.0 or is_offset(source) or is_offset(target)
    assert math.isclose(scale * 3.0 + offset, convert(3.0, as_unit(source), as_unit(target)))


def test_overflowing_conversions_are_clear_errors() -> None:
    with pytest.raises(InvalidInputError, match=r"1e\+308 PFLOP/s in FLOP/s"):
        convert(1e308, as_unit("PFLOP/s"), as_unit("FLOP/s"))
    with pytest.raises(InvalidInputError, match="PFLOP/s in FLOP/s"):
        convert(np.array([1.0, 1e308]), as_unit("PFLOP/s"), as_unit("FLOP/s"))
    with pytest.raises(InvalidInputError, match="not a finite float"):
        convert(10**400, as_unit("PFLOP/s"), as_unit("FLOP/s"))
    with pytest.raises(InvalidInputError):
        affine("dB", "")
