"""Untrusted files: scenarios, anchors and reference files that try to mislead, hang or crash.

Regression tests for issue 9 (items 8, 13, 14 and 15): every file problem is a clear
BioanchorsError naming the file (and the step and field where there is one), never a hang, a
builtin exception or a number that silently means something else.
"""

from __future__ import annotations

import math
import os
import signal
import textwrap
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from types import FrameType

import pint
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors import _files as files
from bioanchors import catalog
from bioanchors._scenarios.spec import ScenarioSpec
from bioanchors.errors import BioanchorsWarning
from bioanchors.timelines.cotra import cotra_2020_params_path, load_anchor_params
from tests.oracle import check_samples

HEADER = """
name = "{name}"
title = "A test scenario"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_adversarial_files.py"
"""

MINIMAL = (
    HEADER
    + """
[[steps]]
name = "neurons"
unit = "neuron"
between = [8e10, 9e10]
quote = "about 86 billion"

[[steps]]
name = "cost"
unit = "FLOP / neuron / s"
value = 1e8
page = "12"

[[steps]]
name = "total"
formula = "neurons * cost"
"""
)


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(text).replace("{name}", name), encoding="utf-8")
    return path


@pytest.fixture
def deadline() -> Iterator[None]:
    """Fail (instead of hanging the suite) if the test blocks for more than 10 s."""
    if not hasattr(signal, "SIGALRM"):
        yield
        return

    def expire(signum: int, frame: FrameType | None) -> None:
        raise TimeoutError("blocked reading a file")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(10)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


needs_fifo = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs os.mkfifo")


# --------------------------------------------------------------------------- item 8


def test_bare_claim_on_the_output_is_read_in_the_declared_unit(tmp_path: Path) -> None:
    # The formula yields FLOP/ms; the file declares FLOP/s and claims 8.5e18 (FLOP/s).
    text = MINIMAL.replace('unit = "FLOP / neuron / s"', 'unit = "FLOP / neuron / ms"')
    text = text.replace("value = 1e8", "value = 1e5") + "claimed = 8.5e18\n"
    scenario = ba.load_scenario(write(tmp_path, "ms", text))
    row = scenario.audit()[-1]
    assert row.name == "total"
    assert row.unit == "FLOP/s"
    assert row.claimed == pytest.approx(8.5e18)
    assert row.recomputed == pytest.approx(1e8 * (8e10 * 9e10) ** 0.5)
    assert row.ok


def test_claim_with_a_unit_on_the_output_is_audited_in_the_declared_unit(tmp_path: Path) -> None:
    text = MINIMAL.replace('unit = "FLOP / neuron / s"', 'unit = "FLOP / neuron / ms"')
    text = text.replace("value = 1e8", "value = 1e5") + 'claimed = "8.5e15 FLOP/ms"\n'
    row = ba.load_scenario(write(tmp_path, "ms2", text)).audit()[-1]
    assert row.unit == "FLOP/s"
    assert row.claimed == pytest.approx(8.5e18)
    assert row.ok


def test_bare_claim_on_a_step_whose_unit_only_the_formula_knows_is_refused(
    tmp_path: Path,
) -> None:
    text = MINIMAL.replace(
        '[[steps]]\nname = "total"',
        '[[steps]]\nname = "per_second"\nformula = "cost * 1"\nclaimed = 1e8\n\n'
        '[[steps]]\nname = "total"',
    ).replace('formula = "neurons * cost"', 'formula = "neurons * per_second"')
    with pytest.raises(ba.ScenarioError, match="unit") as info:
        ba.load_scenario(write(tmp_path, "bare", text))
    assert (info.value.step, info.value.field) == ("per_second", "claimed")
    # With the unit written, it is fine.
    fixed = text.replace("claimed = 1e8", 'claimed = "1e8 FLOP/neuron/s"')
    assert ba.load_scenario(write(tmp_path, "bare", fixed)).audit()[-2].ok


def test_extends_that_adds_steps_needs_its_own_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "base", MINIMAL)
    child = """
        name = "child"
        title = "Adds a discount but forgets output"
        extends = "base"
        [[steps]]
        name = "fraction"
        unit = ""
        between = [0.01, 1]
        quote = "some of it is useless"
        [[steps]]
        name = "discounted"
        formula = "total * fraction"
        """
    path = write(tmp_path, "child", child)
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    with pytest.raises(ba.ScenarioError, match="output") as info:
        ba.load_scenario("child")
    assert info.value.file == str(path)
    assert info.value.field == "output"
    assert "fraction" in str(info.value)
    # Overriding a parent's step keeps the parent's output: that is the point of a variant.
    write(
        tmp_path,
        "variant",
        """
        name = "variant"
        title = "Cheaper neurons"
        extends = "base"
        [[steps]]
        name = "cost"
        unit = "FLOP / neuron / s"
        value = 1e6
        quote = "cheaper"
        """,
    )
    assert ba.load_scenario("variant").output_name == "total"


def test_unused_steps_are_flagged(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        '[[steps]]\nname = "total"',
        '[[steps]]\nname = "forgotten"\nunit = "s"\nvalue = 2\nquote = "never used"\n\n'
        '[[steps]]\nname = "total"',
    )
    with pytest.warns(BioanchorsWarning, match="forgotten"):
        ba.load_scenario(write(tmp_path, "unused", text))


@pytest.mark.parametrize("name", ba.scenarios())
def test_bundled_scenarios_use_every_step(name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", BioanchorsWarning)
        ba.load_scenario(name)


STRICT_NUMBERS = {
    "bool value": ("value = 1e8", "value = true", "cost", "value"),
    "string value": ("value = 1e8", 'value = "1.2e3"', "cost", "value"),
    "bool in between": ("between = [8e10, 9e10]", "between = [true, 9e10]", "neurons", "between"),
    "string in between": (
        "between = [8e10, 9e10]",
        'between = ["8e10", 9e10]',
        "neurons",
        "between",
    ),
    "string credibility": (
        "between = [8e10, 9e10]",
        'between = [8e10, 9e10]\ncredibility = "0.9"',
        "neurons",
        "credibility",
    ),
    "bool claim": (
        'formula = "neurons * cost"',
        'formula = "neurons * cost"\nclaimed = true',
        "total",
        "claimed",
    ),
    "bool in distribution": (
        "between = [8e10, 9e10]",
        'distribution = { kind = "normal", mean = 8.6e10, sd = true }',
        "neurons",
        "distribution",
    ),
    "string in distribution": (
        "between = [8e10, 9e10]",
        'distribution = { kind = "normal", mean = "8.6e10", sd = 1e9 }',
        "neurons",
        "distribution",
    ),
    "huge integer value": ("value = 1e8", "value = 1" + "0" * 400, "cost", "value"),
    "string shaky": ('page = "12"', 'page = "12"\nshaky = "no"', "cost", "shaky"),
}


@pytest.mark.parametrize(
    ("old", "new", "step", "field"), STRICT_NUMBERS.values(), ids=STRICT_NUMBERS.keys()
)
def test_numbers_must_be_numbers(tmp_path: Path, old: str, new: str, step: str, field: str) -> None:
    assert old in MINIMAL
    path = write(tmp_path, "strict", MINIMAL.replace(old, new))
    with pytest.raises(ba.ScenarioError) as info:
        ba.load_scenario(path)
    assert info.value.step == step
    assert (info.value.field or "").startswith(field)
    assert len(str(info.value)) < 600  # a 400-digit number is not quoted in full


@pytest.mark.parametrize(
    "architecture",
    [
        "{ kind = 'tcn', inputs = true, widths = [4], kernels = [3] }",
        "{ kind = 'tcn', inputs = 4.5, widths = [4], kernels = [3] }",
        "{ kind = 'tcn', inputs = '4', widths = [4], kernels = [3] }",
        "{ kind = 'tcn', inputs = 4, widths = [4], kernels = [3], batchnorm = 1 }",
    ],
)
def test_architecture_numbers_must_be_numbers(tmp_path: Path, architecture: str) -> None:
    text = MINIMAL.replace(
        'unit = "FLOP / neuron / s"\nvalue = 1e8',
        f"unit = 'FLOP / neuron / s'\narchitecture = {architecture}",
    )
    with pytest.raises(ba.ScenarioError) as info:
        ba.load_scenario(write(tmp_path, "arch", text))
    assert (info.value.step, (info.value.field or "")[:12]) == ("cost", "architecture")


@pytest.mark.parametrize("shape", ["normal", "lognormal", "uniform", "loguniform"])
@pytest.mark.parametrize("credibility", ["0.9999999999999999", "1.0", "0", "1e-300", "-0.5"])
def test_degenerate_credibility_is_refused(tmp_path: Path, shape: str, credibility: str) -> None:
    text = MINIMAL.replace(
        "between = [8e10, 9e10]",
        f'between = [8e10, 9e10]\ncredibility = {credibility}\nshape = "{shape}"',
    )
    with pytest.raises(ba.ScenarioError, match="credibility") as info:
        ba.load_scenario(write(tmp_path, "cred", text))
    assert (info.value.step, info.value.field) == ("neurons", "credibility")


def test_ordinary_credibility_still_works(tmp_path: Path) -> None:
    text = MINIMAL.replace(
        "between = [8e10, 9e10]", 'between = [8e10, 9e10]\ncredibility = 0.999\nshape = "normal"'
    )
    est = ba.load_scenario(write(tmp_path, "cred", text)).estimate(2000)
    assert est.percentile(5) < est.percentile(95)


# --------------------------------------------------------------------------- item 15 (part)


def test_empty_unit_means_dimensionless(tmp_path: Path) -> None:
    text = """
        name = "{name}"
        title = "A pure number"
        output = "total"
        unit = ""
        frame = "bound"
        [[steps]]
        name = "a"
        unit = ""
        value = 3
        quote = "three"
        [[steps]]
        name = "total"
        unit = ""
        formula = "a * 2"
        claimed = 6
        """
    scenario = ba.load_scenario(write(tmp_path, "pure", text))
    assert scenario.unit.dimensionless
    assert scenario.estimate(100).median.magnitude == pytest.approx(6.0)
    assert all(row.ok for row in scenario.audit())


def test_deeply_nested_toml_is_a_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match="nested") as info:
        ba.load_scenario(path)
    assert info.value.file == str(path)


def test_non_utf8_scenario_is_a_scenario_error(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(
        MINIMAL.replace("{name}", "latin").replace("A tester", "T\xe9st").encode("latin-1")
    )
    with pytest.raises(ba.ScenarioError, match="UTF-8"):
        ba.load_scenario(path)


def _anchors_text() -> str:
    return cotra_2020_params_path().read_text(encoding="utf-8")


def _first_scalar_value(text: str) -> tuple[str, str]:
    """The first ``value = <number>`` line of the anchors file, and the field it belongs to."""
    section = ""
    for line in text.splitlines():
        if line.startswith("[") and not line.startswith("[["):
            section = line.strip("[] ")
        if line.startswith("value = ") and not line.startswith("value = ["):
            return line, section
    raise AssertionError("no scalar value in the anchors file")


def test_anchors_integer_too_large_for_a_float(tmp_path: Path) -> None:
    text = _anchors_text()
    line, section = _first_scalar_value(text)
    path = tmp_path / "huge.toml"
    path.write_text(text.replace(line, "value = 1" + "0" * 400, 1), encoding="utf-8")
    with pytest.raises(ba.InvalidInputError) as info:
        load_anchor_params(path)
    message = str(info.value)
    assert str(path) in message
    assert section.split(".")[-1] in message
    assert len(message) < 600


def test_anchors_non_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin.toml"
    path.write_bytes(_anchors_text().encode("utf-8") + b"\n# caf\xe9\n")
    with pytest.raises(ba.InvalidInputError, match="UTF-8") as info:
        load_anchor_params(path)
    assert str(path) in str(info.value)


def test_anchors_deeply_nested(tmp_path: Path) -> None:
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    with pytest.raises(ba.InvalidInputError, match="nested"):
        load_anchor_params(path)


# --------------------------------------------------------------------------- item 14


@needs_fifo
@pytest.mark.usefixtures("deadline")
def test_fifo_on_bioanchors_path_is_skipped_and_refused_by_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "good", MINIMAL)
    fifo = tmp_path / "pipe.toml"
    os.mkfifo(fifo)
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    assert "good" in ba.scenarios()
    assert "pipe" not in ba.scenarios()
    with pytest.raises(ba.ScenarioError, match="regular file"):
        ba.load_scenario(fifo)


@needs_fifo
@pytest.mark.usefixtures("deadline")
def test_fifo_as_anchors_file(tmp_path: Path) -> None:
    fifo = tmp_path / "anchors.toml"
    os.mkfifo(fifo)
    with pytest.raises(ba.InvalidInputError, match="regular file"):
        load_anchor_params(fifo)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
@pytest.mark.usefixtures("deadline")
def test_symlink_to_dev_zero(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    link = tmp_path / "zero.toml"
    link.symlink_to("/dev/zero")
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    assert "zero" not in ba.scenarios()
    with pytest.raises(ba.ScenarioError, match="regular file"):
        ba.load_scenario(link)
    with pytest.raises(ba.InvalidInputError, match="regular file"):
        load_anchor_params(link)


def test_symlink_to_a_regular_file_is_fine(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = tmp_path / "real"
    real.mkdir()
    target = write(real, "linked", MINIMAL)
    listed = tmp_path / "listed"
    listed.mkdir()
    (listed / "linked.toml").symlink_to(target)
    monkeypatch.setenv("BIOANCHORS_PATH", str(listed))
    assert ba.load_scenario("linked").name == "linked"


def test_oversized_files_are_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path, "big", MINIMAL + "\n# " + "x" * 2000 + "\n")
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 1000)
    with pytest.raises(ba.ScenarioError, match="larger than"):
        ba.load_scenario(path)
    anchors = tmp_path / "anchors.toml"
    anchors.write_text(_anchors_text(), encoding="utf-8")
    with pytest.raises(ba.InvalidInputError, match="larger than"):
        load_anchor_params(anchors)


def test_read_text_refuses_directories_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(ba.InvalidInputError, match="regular file"):
        files.read_text(tmp_path, what="a scenario file")
    with pytest.raises(ba.InvalidInputError, match="cannot read"):
        files.read_text(tmp_path / "missing.toml", what="a scenario file")
    (tmp_path / "crlf.toml").write_bytes(b"a = 1\r\nb = 2\r\n")
    assert files.read_text(tmp_path / "crlf.toml", what="x") == "a = 1\nb = 2\n"


@needs_fifo
@pytest.mark.usefixtures("deadline")
def test_references_file_that_is_a_fifo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    os.mkfifo(tmp_path / "references.toml")
    monkeypatch.setattr("bioanchors._scenarios.catalog.data_dir", lambda: tmp_path)
    with pytest.raises(ba.ScenarioError, match="regular file"):
        catalog.references()


def test_no_direct_file_reads_left_in_the_package() -> None:
    package = Path(ba.__file__).parent
    # Every read goes through bioanchors._files (the CLI opens os.devnull to write, no read).
    allowed = {"_files.py"}
    offenders = []
    for source in package.rglob("*.py"):
        if source.name in allowed:
            continue
        text = source.read_text(encoding="utf-8").replace("os.open(os.devnull, os.O_WRONLY)", "")
        for needle in ("open(", ".read_text(", ".read_bytes(", "tomllib.load("):
            if needle in text:
                offenders.append(f"{source.relative_to(package)}: {needle}")
    assert offenders == []


# --------------------------------------------------------------------------- item 13


def _chain(folder: Path, steps: int, kind: str) -> Path:
    lines = [
        f'name = "chain-{kind}"',
        'title = "A long chain"',
        f'output = "s{steps - 1}"',
        'unit = "FLOP/s"',
        'frame = "functional"',
        "[[steps]]",
        'name = "s0"',
        'unit = "FLOP/s"',
        "between = [1e14, 1e16]",
        'quote = "start"',
    ]
    for i in range(1, steps):
        if kind == "mul":  # closed form: a product of lognormals
            lines += ["[[steps]]", f'name = "y{i}"', 'unit = ""', "between = [0.9, 1.1]"]
            formula = f"s{i - 1} * y{i}"
        else:  # sampled: a sum of normals
            lines += ["[[steps]]", f'name = "y{i}"', 'unit = "FLOP/s"', "between = [1e9, 2e9]"]
            lines += ['shape = "normal"']
            formula = f"s{i - 1} + y{i}"
        lines += ['quote = "a factor"', "[[steps]]", f'name = "s{i}"', f'formula = "{formula}"']
        lines += ['claimed = "1e15 FLOP/s"']
    path = folder / f"chain-{kind}.toml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize("kind", ["mul", "add"])
def test_audit_of_a_long_chain_is_fast(tmp_path: Path, kind: str) -> None:
    scenario = ba.load_scenario(_chain(tmp_path, 1000, kind))  # 1999 steps
    assert len(scenario.steps) == 1999
    start = time.perf_counter()
    rows = scenario.audit()
    assert time.perf_counter() - start < 20
    assert len(rows) == 1999
    assert all(math.isfinite(row.recomputed) for row in rows)


def test_audit_equals_step_by_step_estimates(tmp_path: Path) -> None:
    # The joint audit gives each step the median its own estimate gives: exactly for
    # closed-form and constant steps, and up to sampling noise for sampled ones.
    for name in ("kokotajlod-2021", "beniaguev-2021-cortex", "irving-2021"):
        scenario = ba.load_scenario(name)
        for row, step in zip(scenario.audit(n=20_000), scenario.steps, strict=True):
            quantity = step.quantity
            if step.name == scenario.output_name:
                quantity = scenario.output
            own = quantity.estimate(20_000)
            if own.method == "analytic":
                assert row.recomputed == own.median.magnitude, (name, step.name)
            else:
                assert row.recomputed == pytest.approx(own.median.magnitude, rel=0.05)


def test_scenario_spec_with_many_steps_validates_in_linear_time() -> None:
    steps = [{"name": f"s{i}", "formula": "1"} for i in range(50_000)]  # was 55 s
    start = time.perf_counter()
    ScenarioSpec.model_validate(
        {"name": "x", "title": "t", "output": "s0", "unit": "", "frame": "bound", "steps": steps}
    )
    assert time.perf_counter() - start < 10


# --------------------------------------------------------------------------- fuzzing

PINT_ERRORS = (pint.DimensionalityError, pint.UndefinedUnitError, pint.OffsetUnitCalculusError)

_ODD_UNITS = [
    "FLOP/s",
    "FLOP / s",
    "",
    " ",
    "1",
    "dimensionless",
    "FLOP/ms",
    "neuron",
    "FLOP / neuron / s",
    "degC",
    "delta_degC",
    "percent",
    "FLOP**2",
    "s**0.5",
    "1e3 FLOP/s",
    "flops",
    "m/s/s/s",
    "__class__",
    "1 0",
]
# Unit texts on which pint's parser raises builtins (TokenError, AssertionError): as_unit is
# hardened in another change, so here they appear only inside claims, which this file parses.
_PARSER_BREAKERS = ["FLOP/(s", "(", "*", "s**", "\u00ae", "a\u00aeb"]
_FUNCTIONS = ["sqrt", "log10", "exp", "log", "min", "max", "useful_fraction", "nosuch"]


def _toml(value: object) -> str:
    """A Python value as TOML (floats keep inf/nan; strings are escaped basic strings)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return repr(value)
    if isinstance(value, str):
        escaped = "".join(
            ch if ch.isprintable() and ch not in '"\\' else f"\\U{ord(ch):08x}"
            for ch in value
            if not 0xD800 <= ord(ch) <= 0xDFFF
        )
        return f'"{escaped}"'
    if isinstance(value, list):
        return "[" + ", ".join(_toml(item) for item in value) + "]"
    assert isinstance(value, dict)
    return "{" + ", ".join(f"{key} = {_toml(item)}" for key, item in value.items()) + "}"


good_numbers = st.floats(min_value=1e-3, max_value=1e6) | st.integers(1, 1000)
# Finite floats stay below 1e250 in size: sampling values near 1e306 overflows numpy's mean
# (a RuntimeWarning in the estimate's summary, reported; not a file-reading problem).
odd_numbers = st.one_of(
    st.floats(min_value=-1e250, max_value=1e250),
    st.sampled_from([math.inf, -math.inf, math.nan]),
    st.integers(-3, 10**6),
    st.sampled_from([0, -1, 10**400, -(10**19), 2**63, 5e-324, 1e-300]),
)
wrong = st.one_of(
    st.booleans(),
    st.text(max_size=8),
    st.sampled_from(["1.2e3", "1e17 FLOP/s", "true"]),
    st.lists(odd_numbers, max_size=3),
    st.fixed_dictionaries({"x": odd_numbers}),
)


def sometimes(
    good: st.SearchStrategy[object], bad: st.SearchStrategy[object]
) -> st.SearchStrategy[object]:
    """Mostly ``good``, one time in twenty ``bad``."""
    return st.integers(0, 19).flatmap(lambda k: bad if k == 0 else good)


numbers = sometimes(good_numbers, odd_numbers | wrong)
not_text = st.one_of(st.booleans(), odd_numbers, st.lists(odd_numbers, max_size=2))
units = sometimes(st.sampled_from(["", "", "", "FLOP/s"]), st.sampled_from(_ODD_UNITS) | not_text)
claims = sometimes(
    numbers | st.just("3"),
    st.sampled_from(_ODD_UNITS + _PARSER_BREAKERS).map(lambda u: f"3 {u}") | wrong,
)


def formulas(names: list[str]) -> st.SearchStrategy[str]:
    names = names or ["zzz"]

    @st.composite
    def build(draw: st.DrawFn) -> str:
        def term(depth: int) -> str:
            choice = draw(st.integers(0, 5 if depth < 3 else 1))
            if choice == 0:
                return str(draw(sometimes(st.sampled_from(names), st.sampled_from(["zzz", "__x"]))))
            if choice == 1:
                return draw(st.sampled_from(["0", "1", "2.5", "1e308", "-1", "1e-300", "1_000"]))
            if choice in (2, 3):
                op = draw(sometimes(st.sampled_from(["+", "-", "*", "/", "**"]), st.just("%")))
                return f"({term(depth + 1)} {op} {term(depth + 1)})"
            if choice == 4:
                args = ", ".join(term(depth + 1) for _ in range(draw(st.integers(1, 3))))
                return f"{draw(st.sampled_from(_FUNCTIONS))}({args})"
            return f"-{term(depth + 1)}"

        return term(0)

    return build()


def distributions() -> st.SearchStrategy[dict[str, object]]:
    return st.one_of(
        st.fixed_dictionaries({"kind": st.just("normal"), "mean": numbers, "sd": numbers}),
        st.fixed_dictionaries({"kind": st.just("lognormal"), "median": numbers, "gsd": numbers}),
        st.fixed_dictionaries(
            {"kind": st.sampled_from(["uniform", "loguniform"]), "lo": numbers, "hi": numbers}
        ),
        st.fixed_dictionaries({"kind": st.just("point"), "value": numbers}),
        st.fixed_dictionaries({"kind": st.sampled_from(["mixture", "beta"]), "weights": wrong}),
    )


@st.composite
def steps(draw: st.DrawFn, name: str, earlier: list[str]) -> dict[str, object]:
    step: dict[str, object] = {"name": name}
    kinds = ["value", "between", "distribution", "architecture", "formula", "formula"]
    kind = draw(st.sampled_from(kinds if earlier else kinds[:4]))
    if kind == "value":
        step["value"] = draw(numbers)
    elif kind == "between":
        low, high = draw(numbers), draw(numbers)
        step["between"] = draw(sometimes(st.just([low, high]), wrong))
        if draw(st.booleans()):
            step["credibility"] = draw(sometimes(st.floats(0.01, 0.99), odd_numbers | wrong))
        if draw(st.booleans()):
            step["shape"] = draw(st.sampled_from(["normal", "lognormal", "uniform", "loguniform"]))
    elif kind == "distribution":
        step["distribution"] = draw(distributions())
    elif kind == "formula":
        step["formula"] = draw(formulas(earlier))
    else:
        layers = draw(st.integers(1, 3))
        sizes = st.lists(st.integers(1, 6), min_size=layers, max_size=layers)
        step["architecture"] = {
            "kind": "tcn",
            "inputs": draw(sometimes(st.integers(1, 50), st.integers(-1, 10**20) | wrong)),
            "widths": draw(
                sometimes(sizes, st.lists(st.sampled_from([0, -1, 10**12]), max_size=3))
            ),
            "kernels": draw(sometimes(sizes, st.lists(st.sampled_from([0, 10**6]), max_size=3))),
        }
    if kind != "formula" or draw(st.integers(0, 3)) == 0:
        step["unit"] = draw(units)
    if kind != "formula" and draw(st.integers(0, 39)):
        step["quote"] = "a quote"
    if draw(st.integers(0, 3)) == 0:
        step["claimed"] = draw(claims)
    if draw(st.integers(0, 19)) == 0:
        step[draw(st.sampled_from(["shaky", "zzz", "page", "note"]))] = draw(wrong)
    return step


@st.composite
def scenario_files(draw: st.DrawFn) -> tuple[str, str]:
    """Text of fuzz.toml and of fuzz2.toml (which it may extend, and which may extend it)."""

    def document(name: str) -> str:
        lines = [f"name = {_toml(draw(sometimes(st.just(name), st.just('other'))))}"]
        lines.append('title = "fuzz"')
        count = draw(st.integers(0, 4)) or draw(st.integers(0, 4))  # rarely no steps at all
        names = [f"s{i}" for i in range(count)]
        if count > 1 and draw(st.integers(0, 19)) == 0:
            names[-1] = names[0]  # a repeated step name
        if draw(sometimes(st.just(True), st.just(False))):
            output = draw(sometimes(st.just(names[-1] if names else "s0"), st.sampled_from(["x"])))
            lines.append(f"output = {_toml(output)}")
        if draw(sometimes(st.just(True), st.just(False))):
            lines.append(f"unit = {_toml(draw(units))}")
        if draw(st.integers(0, 5)) == 0:
            target = draw(st.sampled_from(["fuzz", "fuzz2", "kokotajlod-2021", "nowhere"]))
            lines.append(f"extends = {_toml(target)}")
        if draw(st.integers(0, 19)) == 0:
            lines.append(f"tags = {_toml(draw(wrong))}")
        for index, step_name in enumerate(names):
            lines.append("[[steps]]")
            step = draw(steps(step_name, names[:index]))
            lines.extend(f"{key} = {_toml(value)}" for key, value in step.items())
        return "\n".join(lines) + "\n"

    return document("fuzz"), document("fuzz2")


@settings(max_examples=800)
@given(scenario_files())
def test_fuzzed_scenario_files_give_clear_errors_or_finite_results(
    tmp_path_factory: pytest.TempPathFactory, texts: tuple[str, str]
) -> None:
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "fuzz.toml"
    path.write_text(texts[0], encoding="utf-8")
    (folder / "fuzz2.toml").write_text(texts[1], encoding="utf-8")
    previous = os.environ.get(catalog.ENV_VAR)
    os.environ[catalog.ENV_VAR] = str(folder)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BioanchorsWarning)  # unused steps are expected
            scenario = ba.load_scenario(path)
            estimate = scenario.estimate(200)
            rows = scenario.audit(n=200)
    except (ba.BioanchorsError, *PINT_ERRORS):
        return
    finally:
        if previous is None:
            del os.environ[catalog.ENV_VAR]
        else:
            os.environ[catalog.ENV_VAR] = previous
    for q in (5, 50, 95):
        assert math.isfinite(estimate.percentile(q).magnitude)
    assert all(math.isfinite(row.recomputed) for row in rows)
    if estimate.method != "analytic":
        # The independent numpy oracle re-evaluates the loaded scenario on the same draws.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", BioanchorsWarning)
            check_samples(scenario.output, 200, seed=0)
