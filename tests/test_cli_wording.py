"""Errors on the command line name options (``--method``), not Python keywords (``method=``)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bioanchors._cli_io import command_line_wording
from bioanchors.cli import main

PYTHON_WORDING = re.compile(
    r"(?<![\w-])(method|n|seed|penalty|tolerance|log10_flop_per_param)=|tornado_plot|audit_plot"
)


@pytest.mark.parametrize(
    ("argv", "option"),
    [
        # AnalyticUnavailableError said "Use method='auto', 'mc' or 'qmc' to sample it."
        (["run", "carlsmith-2020-mechanistic", "--method", "analytic"], "--method auto, mc or qmc"),
        (
            ["sweep", "carlsmith-2020-mechanistic", "neurons", "1e11", "--method", "analytic"],
            "--method auto, mc or qmc",
        ),
        # sensitivity said "n=1 samples are too few ...; use n >= 1000"
        (
            [
                "plot",
                "carlsmith-2020-mechanistic",
                "--kind",
                "tornado",
                "-n",
                "1",
                "--out",
                "t.png",
            ],
            "--samples 1 is too few",
        ),
        # the plots said "tornado_plot: the estimate has ..." and "audit_plot: no step ..."
        (["plot", "kokotajlod-2021", "--kind", "tornado", "--out", "t.png"], "--kind tornado:"),
        (["plot", "merkle-1989", "--kind", "audit", "--out", "t.png"], "--kind audit:"),
    ],
)
def test_library_errors_are_worded_as_options(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    argv: list[str],
    option: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert option in err
    assert not PYTHON_WORDING.search(err), err
    assert not list(tmp_path.iterdir())  # nothing written


@pytest.mark.parametrize(
    "argv",
    [
        ["run", "kokotajlod-2021", "-n", "0"],
        ["run", "kokotajlod-2021", "-n", "1e13"],
        ["run", "kokotajlod-2021", "-n", "1.5"],
        ["run", "kokotajlod-2021", "--seed", "-1"],
        ["run", "kokotajlod-2021", "--method", "exact"],
        ["audit", "kokotajlod-2021", "--tolerance", "-1"],
        ["audit", "kokotajlod-2021", "--tolerance", "nan"],
        ["timelines", "--penalty", "99"],
        ["timelines", "--log10-flop-per-param", "many"],
        ["report", "--format", "xml"],
        ["plot", "--kind", "pie", "--out", "x.png"],
        ["sweep", "kokotajlod-2021", "neurons", "lots"],
        ["run", "kokotajlod-2021", "--set", "neurons"],
        ["timelines", "--set", "affordability.hardware_halving_time_years=-1"],
    ],
)
def test_invalid_option_values_are_one_line_in_option_terms(
    capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own refusals
        code = int(str(exit_.code))
    assert code == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1, err
    assert not PYTHON_WORDING.search(err), err


_KEYWORD = st.sampled_from(["method", "n", "seed", "penalty", "tolerance", "log10_flop_per_param"])
_VALUE = st.sampled_from(["'mc'", "'qmc'", "1", "1000", "1e3", "0.5", "'auto'", "-2"])
_PROSE = st.text(alphabet=st.characters(categories=("L", "Zs")), max_size=20)


@given(st.lists(st.tuples(_PROSE, _KEYWORD, _VALUE), min_size=1, max_size=4), _PROSE)
def test_no_keyword_argument_survives_and_the_rewrite_is_stable(
    parts: list[tuple[str, str, str]], tail: str
) -> None:
    message = "".join(f"{prose} {keyword}={value}" for prose, keyword, value in parts) + tail
    worded = command_line_wording(message)
    assert not re.search(
        r"(?<![\w-])(method|n|seed|penalty|tolerance|log10_flop_per_param)=", worded
    )
    assert command_line_wording(worded) == worded
    for _, keyword, value in parts:  # the value is kept, beside its option
        assert value.strip("'") in worded
        assert "--" + {"n": "samples"}.get(keyword, keyword).replace("_", "-") in worded


@given(st.text(alphabet=st.characters(categories=("L", "Zs", "Nd")), max_size=60))
def test_prose_without_keywords_is_unchanged(text: str) -> None:
    assert command_line_wording(text) == text
