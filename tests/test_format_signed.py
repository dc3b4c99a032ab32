"""Signed numbers in tables: never "-0.0" (the report printed carlsmith-2020-communication's
OOM above 1e15 as "-0.0")."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._format import format_signed
from bioanchors.report import format_report, report_rows


@given(
    st.floats(allow_nan=False, allow_infinity=False, min_value=-1e6, max_value=1e6),
    st.integers(0, 3),
)
def test_property_signed_never_negative_zero(value: float, digits: int) -> None:
    text = format_signed(value, digits)
    assert text[0] in "+-"
    assert float(text) == round(value, digits) or math.isclose(
        float(text), value, abs_tol=10.0**-digits
    )
    if float(text) == 0:
        assert text.startswith("+")


def test_report_oom_of_a_median_at_1e15_is_plus_zero() -> None:
    import io

    rows, _ = report_rows([ba.load_scenario("carlsmith-2020-communication")], n=20_000)
    out = io.StringIO()
    format_report(rows, "text", n=20_000, seed=0, out=out)
    assert "-0.0" not in out.getvalue()


@given(st.floats(min_value=-1e300, max_value=1e300, allow_nan=False).filter(lambda v: v != 0))
def test_property_exact_reads_back_to_six_figures(value: float) -> None:
    """A point a user typed is shown as typed, up to six significant figures (896 was shown
    as "900" in a point estimate, an override's citation and a variant's title)."""
    from bioanchors._format import format_exact

    assert math.isclose(float(format_exact(value)), value, rel_tol=5e-6)


def test_a_point_estimate_and_an_override_show_the_value_typed() -> None:
    assert str(ba.point(896, "neuron").estimate()) == "896 neuron"
    variant = ba.load_scenario("carlsmith-2020-mechanistic").with_inputs(neurons=896)
    assert "896 neuron" in variant.title
    assert str(variant.step("neurons").citation).startswith(
        'user override, not from the source: "896 neuron'
    )


def test_percent_spec_is_for_dimensionless_estimates_only() -> None:
    """Red team: format(est, "%") printed "1000000.000000% FLOP/s" for a FLOP/s estimate."""
    import pytest

    assert format(ba.between(0.1, 0.5).estimate(), ".1%").startswith("22.4% (90% CI 10.0%")
    with pytest.raises(ba.InvalidInputError, match="not dimensionless"):
        format(ba.between(1, 5, "FLOP/s").estimate(), "%")
    with pytest.raises(ValueError, match="not dimensionless"):  # also a ValueError, as format's
        f"{ba.point(3, 'neuron').estimate():.0%}"
