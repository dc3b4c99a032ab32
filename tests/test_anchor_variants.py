"""Anchor variants: a file that ``extends`` another, ``timelines --set``, variant names in every
view, ``--compare-anchors`` (issue 12, item 1)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import matplotlib
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.cli import main
from bioanchors.errors import InvalidInputError
from bioanchors.plots import plot_timelines
from bioanchors.timelines import compare_brains, tai_forecast, timelines_table
from bioanchors.timelines.cotra import Cotra2020, default_anchors_path, load_anchors_file
from bioanchors.timelines.cotra.variants import check_dotted, parse_set

matplotlib.use("Agg")

HALVING = "affordability.hardware_halving_time_years"

# The five-line variant of the "Done when": a 1.5-year hardware halving time.
FAST = """\
extends = "cotra-2020"
name = "fast-hardware"
[affordability]
hardware_halving_time_years = { value = 1.5, who = "Me", where = "my notes", page = "a guess" }
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def fast(tmp_path: Path) -> Path:
    return write(tmp_path, "fast.toml", FAST)


def bundled_citation(section: str, name: str) -> object:
    return getattr(load_anchors_file(default_anchors_path()), section).citation(name)


# --------------------------------------------------------------------------- extends


def test_extends_by_name_changes_one_value_and_keeps_every_other_citation(fast: Path) -> None:
    found = load_anchors_file(fast)
    assert (found.name, found.extends) == ("fast-hardware", "cotra-2020")
    changed = found.affordability.citation("hardware_halving_time_years")
    assert (changed.value, changed.who, changed.page) == (1.5, "Me", "a guess")
    bundled = load_anchors_file(default_anchors_path())
    for section in ("anchors", "weights", "affordability"):
        for name in type(getattr(bundled, section)).model_fields:
            if (section, name) != ("affordability", "hardware_halving_time_years"):
                assert getattr(found, section).citation(name) == bundled_citation(section, name)
    assert found.reproduction == bundled.reproduction
    assert found.params() == bundled.params().replace(
        affordability=bundled.params().affordability.replace(hardware_halving_time_years=1.5)
    )


def test_the_bundled_file_is_named_by_its_stem_and_extends_nothing() -> None:
    bundled = load_anchors_file(default_anchors_path())
    assert (bundled.name, bundled.extends, bundled.variant_label) == ("cotra-2020", None, None)
    assert Cotra2020.from_anchors().source_label == "anchors cotra-2020.toml"


def test_extends_by_a_path_relative_to_the_file_not_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "mine/base.toml", FAST.replace('name = "fast-hardware"\n', ""))
    child = write(
        tmp_path,
        "mine/child.toml",
        'extends = "base.toml"\n[affordability.spend_doubling_time_years]\n'
        'value = 2.0\nwho = "Me"\nwhere = "my notes"\nquote = "spending doubles every 2 years"\n',
    )
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    found = load_anchors_file(child)
    assert (found.name, found.extends) == ("child", "base")
    trends = found.params().affordability
    assert (trends.hardware_halving_time_years, trends.spend_doubling_time_years) == (1.5, 2.0)
    assert found.affordability.citation("gdp_base_usd") == bundled_citation(
        "affordability", "gdp_base_usd"
    )
    assert Cotra2020.from_anchors(child).source_label == "anchors child (extends base)"


def test_extends_a_missing_file_or_a_cycle_is_refused(tmp_path: Path) -> None:
    missing = write(tmp_path, "a.toml", 'extends = "nowhere.toml"\n')
    with pytest.raises(InvalidInputError, match=r"a\.toml: extends = 'nowhere.toml': no bundled"):
        load_anchors_file(missing)
    cycle = write(tmp_path, "b.toml", 'extends = "c.toml"\n')
    write(tmp_path, "c.toml", 'extends = "b.toml"\n')
    with pytest.raises(InvalidInputError, match="cycle"):
        load_anchors_file(cycle)


@pytest.mark.parametrize(
    ("entry", "missing"),
    [
        ("{ value = 1.5 }", "missing who, where, a quote or a page"),
        ('{ value = 1.5, who = "Me", where = "notes" }', "missing a quote or a page"),
        ('{ value = 1.5, who = "Me", page = "p" }', "missing where"),
        ('{ who = "Me", where = "notes", page = "p" }', "missing value"),
    ],
)
def test_a_changed_value_without_its_own_citation_is_refused_naming_file_and_field(
    tmp_path: Path, entry: str, missing: str
) -> None:
    path = write(
        tmp_path,
        "bad.toml",
        f'extends = "cotra-2020"\n[affordability]\nhardware_halving_time_years = {entry}\n',
    )
    with pytest.raises(InvalidInputError) as caught:
        load_anchors_file(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: {HALVING}: a changed value needs its own citation")
    assert message.endswith(missing)


def test_a_bare_number_is_not_a_changed_value(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bare.toml",
        'extends = "cotra-2020"\n[affordability]\nhardware_halving_time_years = 1.5\n',
    )
    with pytest.raises(InvalidInputError, match=rf"bare\.toml: {HALVING}: a changed value is a"):
        load_anchors_file(path)


def test_a_changed_value_out_of_bounds_blames_the_variant(tmp_path: Path) -> None:
    path = write(tmp_path, "slow.toml", FAST.replace("value = 1.5", "value = 1e-9"))
    with pytest.raises(InvalidInputError, match=r"slow\.toml: \[affordability\] hardware_halv"):
        load_anchors_file(path)


# --------------------------------------------------------------------------- dotted paths


@pytest.mark.parametrize(
    ("typo", "suggestion"),
    [
        ("affordability.hardware_halving_years", HALVING),
        ("hardware_halving_time_years", HALVING),
        ("afordability.hardware_halving_time_years", HALVING),
        ("weights.shortt", "weights.short"),
    ],
)
def test_an_unknown_dotted_path_suggests_the_close_ones(typo: str, suggestion: str) -> None:
    with pytest.raises(InvalidInputError, match=f"did you mean '{suggestion}'"):
        check_dotted(typo)


def test_an_unknown_field_in_a_variant_file_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = write(tmp_path, "typo.toml", FAST.replace("hardware_halving_time", "hardware_halving"))
    with pytest.raises(InvalidInputError, match=rf"typo\.toml: .*did you mean '{HALVING}'"):
        load_anchors_file(path)


@pytest.mark.parametrize(
    "text",
    [
        f"{HALVING}=1.5e",
        f"{HALVING}=nan",
        f"{HALVING}=inf",
        f"{HALVING}=1_5",
        f"{HALVING}=__import__('os')",
        f"{HALVING}=",
        f"{HALVING}",
        "=1.5",
        "affordability.algo_progress_by=sample",
        "affordability.algo_max_oom_ramp_log10_flop=32",
    ],
)
def test_set_values_are_read_strictly_never_evaluated(text: str) -> None:
    with pytest.raises(InvalidInputError):
        parse_set(text)


def test_set_values_are_read_by_the_fields_type() -> None:
    assert parse_set(f" {HALVING} = 1.5 ") == (HALVING, 1.5)
    assert parse_set("affordability.algo_progress_by=requirement")[1] == "requirement"
    assert parse_set("affordability.algo_max_oom_ramp_log10_flop=30,46")[1] == (30.0, 46.0)


@settings(max_examples=25, deadline=None)
@given(value=st.floats(0.05, 1000.0), spend=st.floats(0.05, 1000.0))
def test_with_values_equals_a_variant_file_for_any_value(value: float, spend: float) -> None:
    """Property: the Python/CLI route and the file route give the same parameters, and the
    command line's text of a float reads back as that float."""
    import tempfile

    changes = {HALVING: value, "affordability.spend_doubling_time_years": spend}
    from_python = load_anchors_file(default_anchors_path()).with_values(changes)
    texts = [f"{k}={v!r}" for k, v in changes.items()]
    assert dict(parse_set(t) for t in texts) == changes
    assert from_python.name == " + ".join(["cotra-2020", *texts])
    with tempfile.TemporaryDirectory() as folder:
        path = write(
            Path(folder),
            "v.toml",
            f'extends = "cotra-2020"\n[affordability]\n'
            f'hardware_halving_time_years = {{ value = {value!r}, who = "a", where = "b", '
            f'page = "c" }}\nspend_doubling_time_years = {{ value = {spend!r}, who = "a", '
            f'where = "b", page = "c" }}\n',
        )
        assert load_anchors_file(path).params() == from_python.params()


# --------------------------------------------------------------------------- numbers


def test_affordable_compute_follows_the_halving_time_in_closed_form(fast: Path) -> None:
    """FLOP per dollar is a*C / (a + C - 1) times the base, a = 2^(t/h) the growth and C the
    cap over the base (affordability.py); spending is the same in both, so the variant's
    affordable FLOP over the default's is that saturating growth at h = 1.5 over h = 2.5."""
    default, variant = Cotra2020.from_anchors(), Cotra2020.from_anchors(fast)
    years = np.array([2025.0, 2030.0, 2060.0])
    t = years - default.first_year
    cap = 1e24 / 1e17

    def saturated(halving: float) -> np.ndarray:
        a = 2.0 ** (t / halving)
        return np.log10(a * cap / (a + cap - 1.0))

    ratio = variant.log10_affordable_flop(years) - default.log10_affordable_flop(years)
    np.testing.assert_allclose(ratio, saturated(1.5) - saturated(2.5), rtol=1e-9)


def test_done_when_the_reference_median_moves_from_2052_to_2043(fast: Path) -> None:
    default = compare_brains([], n=100_000)[0]
    variant = compare_brains([], anchors=fast, n=100_000)[0]
    assert round(default.median_year) == 2052  # Cotra's reported median (cotra-2020.toml)
    assert round(variant.median_year) == 2043  # issue 12: "from about 2052 to about 2043"
    assert variant.prob_by(2040) > default.prob_by(2040) + 0.1


def test_set_gives_exactly_the_numbers_of_the_file(fast: Path) -> None:
    from_file = compare_brains(["kokotajlod-2021"], anchors=fast, n=20_000, seed=3)
    changed = load_anchors_file(default_anchors_path()).with_values({HALVING: 1.5})
    from_set = compare_brains(["kokotajlod-2021"], anchors=changed, n=20_000, seed=3)
    for a, b in zip(from_file, from_set, strict=True):
        assert np.array_equal(a.log10_training_flop, b.log10_training_flop)
        assert np.array_equal(a.prob_by_year, b.prob_by_year)
        assert a.percentiles == b.percentiles


def test_set_on_the_command_line_equals_the_file(
    fast: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    common = ["timelines", "--brain", "kokotajlod-2021", "-n", "5000", "--json"]
    assert main([*common, "--anchors", str(fast)]) == 0
    by_file = json.loads(capsys.readouterr().out)
    assert main([*common, "--set", f"{HALVING}=1.5"]) == 0
    by_set = json.loads(capsys.readouterr().out)
    assert by_file["rows"] == by_set["rows"]
    assert by_file["anchors_label"] == "anchors fast-hardware (extends cotra-2020)"
    assert by_set["anchors_label"] == f"anchors cotra-2020 + {HALVING}=1.5"


def test_set_errors_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["timelines", "--set", "affordability.hardware_halving=1.5"]) == 2
    assert f"did you mean '{HALVING}'" in capsys.readouterr().err
    assert main(["timelines", "--set", f"{HALVING}=1", "--set", f"{HALVING}=2"]) == 2
    assert "set twice" in capsys.readouterr().err
    assert main(["timelines", "--compare-anchors"]) == 2
    assert "no variant to compare" in capsys.readouterr().err


# --------------------------------------------------------------------------- names


def test_every_view_names_the_variant_never_as_cotra_2020(fast: Path) -> None:
    label = "anchors fast-hardware (extends cotra-2020)"
    rows = compare_brains(["kokotajlod-2021"], anchors=fast, n=2_000)
    header = timelines_table(rows).split("\n\n")[0]
    assert label in header
    assert "cotra-2020.toml" not in header
    record = json.loads(timelines_table(rows, "json"))
    assert (record["anchors"], record["anchors_label"]) == (str(fast), label)
    assert str(rows[1]).endswith(f"; {label}")
    assert f"; {label} (n=2000, seed=0)>" in repr(rows[1])
    figure = plot_timelines(rows)
    assert label in figure.axes[0].get_title()
    default = tai_forecast("kokotajlod-2021", n=2_000)
    assert "anchors" not in str(default)  # the default keeps its short text
    assert "anchors cotra-2020.toml" in plot_timelines([default]).axes[0].get_title()


# --------------------------------------------------------------------------- compare


def test_compare_anchors_shows_both_and_the_shift(
    fast: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["timelines", "--brain", "kokotajlod-2021", "-n", "5000"]
    assert main([*argv, "--compare-anchors", str(fast), "--json"]) == 0
    record = json.loads(capsys.readouterr().out)
    default = compare_brains(["kokotajlod-2021"], n=5000)
    variant = compare_brains(["kokotajlod-2021"], anchors=fast, n=5000)
    assert record["variant"]["anchors_label"] == "anchors fast-hardware (extends cotra-2020)"
    assert record["changes"] == [
        {
            "parameter": HALVING,
            "default": 2.5,
            "variant": 1.5,
            "reference_median_shift_years": variant[0].median_year - default[0].median_year,
        }
    ]
    for row, a, b in zip(record["rows"], default, variant, strict=True):
        assert row["brain"] == a.brain
        assert row["median_year"] == {"default": a.median_year, "variant": b.median_year}
        assert row["median_shift_years"] == b.median_year - a.median_year
        assert row["prob_by_2030"] == {"default": a.prob_by(2030), "variant": b.prob_by(2030)}
    assert main([*argv, "--compare-anchors", "--set", f"{HALVING}=1.5"]) == 0
    text = capsys.readouterr().out
    assert f"variant: anchors cotra-2020 + {HALVING}=1.5" in text
    assert f"{HALVING}: 2.5 -> 1.5" in text
    ref = f"{a.year_text(default[0].median_year)} -> {b.year_text(variant[0].median_year)}"
    assert ref in text


def test_compare_anchors_gives_each_change_alone(capsys: pytest.CaptureFixture[str]) -> None:
    spend = "affordability.spend_doubling_time_years"
    sets = ["--set", f"{HALVING}=1.5", "--set", f"{spend}=2"]
    assert (
        main(
            [
                "timelines",
                "--brain",
                "kokotajlod-2021",
                "-n",
                "5000",
                "--compare-anchors",
                *sets,
                "--json",
            ]
        )
        == 0
    )
    changes = json.loads(capsys.readouterr().out)["changes"]
    base = compare_brains([], n=5000)[0].median_year
    alone = load_anchors_file(default_anchors_path()).with_values({spend: 2.0})
    expected = compare_brains([], anchors=alone, n=5000)[0].median_year - base
    assert [c["parameter"] for c in changes] == [HALVING, spend]
    assert changes[1]["reference_median_shift_years"] == expected


def test_a_broken_parent_is_blamed_not_its_variant(tmp_path: Path) -> None:
    write(tmp_path, "parent.toml", FAST.replace("value = 1.5", 'value = "fast"'))
    child = write(tmp_path, "child.toml", 'extends = "parent.toml"\n')
    with pytest.raises(InvalidInputError) as caught:
        load_anchors_file(child)
    assert str(caught.value).startswith(f"{tmp_path / 'parent.toml'}: [affordability]")


def test_with_values_refuses_what_a_file_would(tmp_path: Path) -> None:
    bundled = load_anchors_file(default_anchors_path())
    with pytest.raises(InvalidInputError, match="value must be a number"):
        bundled.with_values({HALVING: "1.5"})
    with pytest.raises(InvalidInputError, match="finite"):
        bundled.with_values({HALVING: math.nan})
    with pytest.raises(InvalidInputError, match="did you mean"):
        bundled.with_values({"affordability.halving": 1.5})
    with pytest.raises(InvalidInputError, match="one line"):
        bundled.with_values({HALVING: 1.5}, name="two\nlines")
