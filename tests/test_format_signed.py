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
