"""Scenario files: loading, building, extends, audit, and clear errors for bad files."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors import catalog
from bioanchors._graph.functions import register as register_formula_function
from bioanchors.adjustments import (
    formula_function,
    formula_functions,
    unregister_formula_function,
    useful_fraction,
)
from bioanchors.methods import landauer_limit, mechanistic

MINIMAL = """
name = "{name}"
title = "A test scenario"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_scenario.py"

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
claimed = "8.5e18 FLOP/s"
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / f"{name}.toml"
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def test_load_by_path_and_estimate(tmp_path: Path) -> None:
    path = write(tmp_path, "mine", MINIMAL.format(name="mine"))
    scenario = ba.load_scenario(path)
    assert scenario.name == "mine"
    assert [s.name for s in scenario.steps] == ["neurons", "cost", "total"]
    est = scenario.estimate()
    assert est.method == "analytic"
    assert est.median.magnitude == pytest.approx(1e8 * (8e10 * 9e10) ** 0.5)
    assert scenario.step("neurons").citation.startswith("A tester, tests/test_scenario.py")
    assert ba.load_scenario(str(path)).name == "mine"


def test_user_folder_on_bioanchors_path(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "my-anchor", MINIMAL.format(name="my-anchor"))
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    assert "my-anchor" in ba.scenarios()
    assert "kokotajlod-2021" in ba.scenarios()
    assert ba.load_scenario("my-anchor").title == "A test scenario"


def test_duplicate_names_name_both_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A name in two folders is an error where it is used, naming both files; the other
    scenarios (and either file by its path) still load."""
    a, b = tmp_path / "a", tmp_path / "b"
    a.mkdir()
    b.mkdir()
    write(a, "twin", MINIMAL.format(name="twin"))
    write(b, "twin", MINIMAL.format(name="twin"))
    monkeypatch.setenv("BIOANCHORS_PATH", f"{a}:{b}")
    assert "twin" in ba.scenarios()
    with pytest.raises(ba.ScenarioError, match=r"twin.*a/twin.toml.*b/twin.toml"):
        ba.load_scenario("twin")
    with pytest.raises(ba.ScenarioError, match=r"twin.*a/twin.toml.*b/twin.toml"):
        catalog.scenario_files()  # every name's one file: there is none for 'twin'
    assert ba.load_scenario("kokotajlod-2021").name == "kokotajlod-2021"
    assert ba.load_scenario(b / "twin.toml").name == "twin"


def test_missing_folder_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BIOANCHORS_PATH", "/no/such/folder")
    with pytest.raises(ba.ScenarioError, match="BIOANCHORS_PATH"):
        ba.scenarios()


def test_unknown_name_lists_close_matches() -> None:
    with pytest.raises(ba.ScenarioError, match="did you mean 'kokotajlod-2021'"):
        ba.load_scenario("kokotajlod-2012")


def test_extends_overrides_and_adds_steps(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, "base", MINIMAL.format(name="base"))
    write(
        tmp_path,
        "child",
        """
        name = "child"
        title = "Cheaper neurons"
        extends = "base"
        output = "discounted"
        [source]
        who = "Another tester"
        where = "here"
        [[steps]]
        name = "cost"
        unit = "FLOP / neuron / s"
        value = 1e6
        quote = "cheaper"
        [[steps]]
        name = "fraction"
        unit = ""
        between = [0.01, 0.5]
        shape = "loguniform"
        quote = "some of it is useless"
        [[steps]]
        name = "discounted"
        formula = "useful_fraction(total, fraction)"
        """,
    )
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    child = ba.load_scenario("child")
    assert [s.name for s in child.steps] == ["neurons", "cost", "total", "fraction", "discounted"]
    assert child.parents == ("base",)
    assert child.step("cost").citation.startswith("Another tester")
    assert child.step("neurons").citation.startswith("A tester")
    total = child.step("total").quantity.estimate()
    assert total.median.magnitude == pytest.approx(1e6 * (8e10 * 9e10) ** 0.5)
    assert child.estimate(1000).method == "mc"


def test_extends_cycle_and_missing_target(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name, parent in (("x1", "x2"), ("x2", "x1")):
        write(
            tmp_path,
            name,
            f'name = "{name}"\ntitle = "t"\nextends = "{parent}"\n',
        )
    write(tmp_path, "orphan", 'name = "orphan"\ntitle = "t"\nextends = "nowhere"\n')
    monkeypatch.setenv("BIOANCHORS_PATH", str(tmp_path))
    with pytest.raises(ba.ScenarioError, match=r"cycle: x1 -> x2 -> x1"):
        ba.load_scenario("x1")
    with pytest.raises(ba.ScenarioError, match=r"orphan.toml.*extends.*'nowhere'"):
        ba.load_scenario("orphan")


BAD_FILES = {
    "malformed toml": ("name = 'bad\n", None, None, "not valid TOML"),
    "misspelled field": (
        MINIMAL.replace('quote = "about', 'quot = "about'),
        "neurons",
        "quot",
        "unknown field",
    ),
    "missing title": (MINIMAL.replace('title = "A test scenario"\n', ""), None, "title", "missing"),
    "unknown shape": (
        MINIMAL.replace("between = [8e10, 9e10]", 'between = [8e10, 9e10]\nshape = "triangle"'),
        "neurons",
        "shape",
        "triangle",
    ),
    "no citation": (MINIMAL.replace('page = "12"\n', ""), "cost", None, "citation"),
    "undefined name": (
        MINIMAL.replace("neurons * cost", "neurons * costs"),
        "total",
        "formula",
        "did you mean 'cost'",
    ),
    "self reference": (
        MINIMAL.replace('formula = "neurons * cost"', 'formula = "neurons * cost * total"'),
        "total",
        "formula",
        "refers to its own step",
    ),
    "later step": (
        MINIMAL.replace("value = 1e8", 'formula = "total / neurons"').replace('page = "12"\n', ""),
        "cost",
        "formula",
        "later in the file",
    ),
    "wrong output unit": (
        MINIMAL.replace('unit = "FLOP/s"', 'unit = "neuron"'),
        None,
        "unit",
        "cannot be expressed",
    ),
    "unit mismatch in formula": (
        MINIMAL.replace("neurons * cost", "neurons + cost"),
        "total",
        "formula",
        "neuron",
    ),
    "unknown unit": (
        MINIMAL.replace('unit = "neuron"', 'unit = "neurone"'),
        "neurons",
        "unit",
        "neurone",
    ),
    "two kinds": (
        MINIMAL.replace("value = 1e8", "value = 1e8\nbetween = [1, 2]"),
        "cost",
        None,
        "exactly one",
    ),
    "lo above hi": (
        MINIMAL.replace("between = [8e10, 9e10]", "between = [9e10, 8e10]"),
        "neurons",
        "between",
        "lo < hi",
    ),
    "nan value": (MINIMAL.replace("value = 1e8", "value = nan"), "cost", "value", "finite"),
    "bad claim": (
        MINIMAL.replace('claimed = "8.5e18 FLOP/s"', 'claimed = "8.5e18 neuron"'),
        "total",
        "claimed",
        "dimension",
    ),
    "name mismatch": (
        MINIMAL.replace('name = "{name}"', 'name = "other"'),
        None,
        "name",
        "file name",
    ),
    "shaky point": (
        MINIMAL.replace('page = "12"', 'page = "12"\nshaky = true'),
        "cost",
        None,
        "wide prior",
    ),
    "bad step name": (
        MINIMAL.replace('name = "cost"', 'name = "Cost!"'),
        "Cost!",
        "name",
        "pattern",
    ),
}


@pytest.mark.parametrize(
    ("text", "step", "field", "message"), BAD_FILES.values(), ids=BAD_FILES.keys()
)
def test_bad_files_name_file_step_and_field(
    tmp_path: Path, text: str, step: str | None, field: str | None, message: str
) -> None:
    path = write(tmp_path, "broken", text.replace("{name}", "broken"))
    with pytest.raises(ba.ScenarioError) as info:
        ba.load_scenario(path)
    error = info.value
    text_of_error = str(error)
    assert "broken.toml" in text_of_error
    assert message in text_of_error
    if step is not None:
        assert error.step == step
        assert f"step {step!r}" in text_of_error
    if field is not None:
        assert error.field == field


ATTACKS = [
    "__import__('os').system('touch {marker}')",
    "neurons.__class__",
    "(lambda: 1)()",
    "[x for x in neurons]",
    "open('{marker}', 'w')",
    "neurons[0]",
    "eval('1')",
    "'a' * 3",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_forbidden_formula_syntax_never_runs(tmp_path: Path, attack: str) -> None:
    marker = tmp_path / "pwned"
    formula = attack.format(marker=marker).replace("\\", "\\\\").replace('"', '\\"')
    text = MINIMAL.replace('formula = "neurons * cost"', f'formula = "{formula}"')
    path = write(tmp_path, "attack", text.replace("{name}", "attack"))
    with pytest.raises(ba.ScenarioError) as info:
        ba.load_scenario(path)
    assert info.value.step == "total"
    assert info.value.field == "formula"
    assert not marker.exists()


toml_values = st.recursive(
    st.none().map(lambda _: "nan")
    | st.booleans().map(lambda b: str(b).lower())
    | st.integers(-10, 10**6).map(str)
    | st.floats(allow_nan=False).map(repr).filter(lambda s: "inf" not in s)
    | st.text(max_size=12).map(lambda s: '"' + s.replace("\\", "").replace('"', "") + '"'),
    lambda children: st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
    max_leaves=4,
)
keys = st.sampled_from(
    [
        "name",
        "title",
        "output",
        "unit",
        "extends",
        "value",
        "between",
        "formula",
        "claimed",
        "quote",
        "shape",
        "distribution",
        "architecture",
        "credibility",
        "steps",
        "kind",
        "zzz",
    ]
)


@settings(max_examples=150)
@given(
    header=st.lists(st.tuples(keys, toml_values), max_size=5),
    steps=st.lists(st.lists(st.tuples(keys, toml_values), max_size=6), max_size=4),
    junk=st.text(max_size=30),
)
def test_generated_garbage_gives_only_scenario_errors(
    tmp_path_factory: pytest.TempPathFactory,
    header: list[tuple[str, str]],
    steps: list[list[tuple[str, str]]],
    junk: str,
) -> None:
    lines = [f"{k} = {v}" for k, v in dict(header).items()]
    for step in steps:
        lines.append("[[steps]]")
        lines.extend(f"{k} = {v}" for k, v in dict(step).items())
    lines.append(junk)
    folder = tmp_path_factory.mktemp("garbage")
    path = folder / "garbage.toml"
    path.write_text("\n".join(lines), encoding="utf-8", errors="replace")
    try:
        scenario = ba.load_scenario(path)
    except ba.ScenarioError:
        return
    scenario.estimate(100)


@settings(max_examples=60)
@given(st.binary(max_size=200))
def test_random_bytes_give_only_scenario_errors(
    tmp_path_factory: pytest.TempPathFactory, data: bytes
) -> None:
    path = tmp_path_factory.mktemp("bytes") / "noise.toml"
    path.write_bytes(data)
    with pytest.raises(ba.ScenarioError):
        ba.load_scenario(path)


def test_missing_file() -> None:
    with pytest.raises(ba.ScenarioError, match="no scenario file"):
        ba.load_scenario("/no/such/file.toml")


def test_audit_kokotajlod_off_by_100x_only_at_the_end() -> None:
    rows = ba.load_scenario("kokotajlod-2021").audit()
    final = rows[-1]
    assert final.name == "total"
    assert final.claimed == pytest.approx(1e17)
    assert final.recomputed == pytest.approx(1e19)
    assert final.ratio == pytest.approx(100)
    assert final.ok is False
    assert all(row.ok for row in rows[:-1])
    assert any(row.claimed is not None for row in rows[:-1])


def test_audit_tolerance() -> None:
    scenario = ba.load_scenario("kokotajlod-2021")
    assert scenario.audit(tolerance=2.0)[-1].ok is True
    with pytest.raises(ba.ScenarioError):
        scenario.audit(tolerance=-1)


def test_schema_comes_from_the_models() -> None:
    schema = catalog.scenario_schema()
    assert "steps" in schema["properties"]
    assert schema["additionalProperties"] is False
    # architectures are a union keyed by kind, one member per registered architecture
    step = schema["$defs"]["StepSpec"]["properties"]["architecture"]
    # (one member while TCN is the only kind registered: then no "oneOf")
    (union,) = [member for member in step["anyOf"] if "oneOf" in member or "$ref" in member]
    refs = union.get("oneOf", [union])
    kinds = [schema["$defs"][ref["$ref"].rsplit("/", 1)[1]] for ref in refs]
    by_kind = {kind["properties"]["kind"]["const"]: kind for kind in kinds}
    assert "tcn" in by_kind  # whatever other kinds are registered, in whatever order
    assert {"inputs", "widths", "kernels", "quantity", "mode"} <= set(by_kind["tcn"]["properties"])


ARCHITECTURE = MINIMAL.replace(
    'unit = "FLOP / neuron / s"\nvalue = 1e8\npage = "12"',
    'unit = "FLOP / neuron / step"\n'
    "architecture = {{ {kind}inputs = 2, widths = [4], kernels = [3] }}\n"
    'page = "12"\n\n'
    '[[steps]]\nname = "rate"\nunit = "step / s"\nvalue = 1000\npage = "1"',
).replace('formula = "neurons * cost"', 'formula = "neurons * cost * rate"')


@pytest.mark.parametrize("kind", ["", 'kind = "tcn", '])
def test_an_architecture_without_kind_is_a_tcn(tmp_path: Path, kind: str) -> None:
    scenario = ba.load_scenario(
        write(tmp_path, "arch", ARCHITECTURE.format(name="arch", kind=kind))
    )
    expected = ba.surrogate.TCN(2, [4], [3]).flop_per_step()
    assert scenario["cost"].estimate().median.magnitude == expected
    architecture = scenario.step("cost").spec.architecture
    assert architecture is not None
    assert architecture.kind == "tcn"


def test_an_unknown_architecture_kind_is_named(tmp_path: Path) -> None:
    text = ARCHITECTURE.format(name="arch", kind='kind = "transformer", ')
    with pytest.raises(
        ba.ScenarioError, match=r"unknown architecture kind; known kinds: .*'tcn'"
    ) as info:
        ba.load_scenario(write(tmp_path, "arch", text))
    assert (info.value.step, info.value.field) == ("cost", "architecture")


def test_architecture_errors_name_the_field(tmp_path: Path) -> None:
    text = ARCHITECTURE.format(name="arch", kind="").replace("kernels = [3]", "kernels = [3, 3]")
    with pytest.raises(ba.ScenarioError, match=r"TCN kernels: expected one kernel size per layer"):
        ba.load_scenario(write(tmp_path, "arch", text))


def test_html_repr_shows_steps_and_citations() -> None:
    html = ba.load_scenario("beniaguev-2021-tcn")._repr_html_()
    assert "<table>" in html
    assert "Beniaguev" in html


# --------------------------------------------------------------------------- formula functions

FUNCTION_SCENARIO = """
name = "{name}"
title = "A scenario calling a registered function"
output = "total"
unit = "{unit}"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_scenario.py"

[[steps]]
name = "power"
unit = "W"
between = [15, 25]
quote = "about 20 W"
{temperature}
[[steps]]
name = "total"
formula = "{formula}"
"""

TEMPERATURE = """
[[steps]]
name = "temperature"
unit = "K"
value = 310
page = "1"
"""


def _function_scenario(tmp_path: Path, name: str, formula: str, unit: str) -> ba.Scenario:
    temperature = TEMPERATURE if "temperature" in formula else ""
    text = FUNCTION_SCENARIO.format(name=name, formula=formula, unit=unit, temperature=temperature)
    return ba.load_scenario(write(tmp_path, name, text))


def test_a_new_formula_function_is_one_decorated_function(tmp_path: Path) -> None:
    @formula_function("doubled_for_test")
    def doubled(x: ba.Uncertain) -> ba.Uncertain:
        return x * 2

    try:
        assert formula_functions()["doubled_for_test"] is doubled
        scenario = _function_scenario(tmp_path, "doubled", "doubled_for_test(power)", "W")
        direct = (scenario["power"] * 2).estimate(seed=3)
        assert scenario.estimate(seed=3).median == direct.median
        assert scenario.estimate(seed=3).interval(0.9) == direct.interval(0.9)
    finally:
        unregister_formula_function("doubled_for_test")
    assert "doubled_for_test" not in formula_functions()
    with pytest.raises(ba.ScenarioError, match="unknown function 'doubled_for_test'"):
        _function_scenario(tmp_path, "doubled", "doubled_for_test(power)", "W")


def test_methods_are_callable_from_scenario_files(tmp_path: Path) -> None:
    scenario = _function_scenario(
        tmp_path, "landauer", "landauer_limit(power, temperature)", "bit_erasure / s"
    )
    python = landauer_limit(scenario["power"], scenario["temperature"])
    from_file = scenario.estimate(seed=5)
    assert from_file.median == python.estimate(seed=5).median
    assert from_file.percentile(95) == python.estimate(seed=5).percentile(95)


MECHANISTIC = (
    """
name = "mech"
title = "Carlsmith's mechanistic method, called from a file"
output = "total"
unit = "FLOP/s"
frame = "functional"
[source]
who = "A tester"
where = "tests/test_scenario.py"
"""
    + "".join(
        f"""
[[steps]]
name = "{name}"
unit = "{unit}"
between = [{lo}, {hi}]
page = "1"
"""
        for name, unit, lo, hi in [
            ("synapses", "synapse", 1e14, 1e15),
            ("rate", "spike / synapse / s", 0.1, 2),
            ("flop_per_spike", "FLOP / spike", 1, 100),
            ("neurons", "neuron", 8e10, 9e10),
            ("firing", "FLOP / neuron / s", 1e3, 1e5),
        ]
    )
    + """
[[steps]]
name = "total"
formula = "mechanistic(synapses, rate, flop_per_spike, neurons, firing)"
"""
)


def test_mechanistic_is_callable_from_scenario_files(tmp_path: Path) -> None:
    scenario = ba.load_scenario(write(tmp_path, "mech", MECHANISTIC))
    names = ("synapses", "rate", "flop_per_spike", "neurons", "firing")
    python = mechanistic(*(scenario[name] for name in names)).to("FLOP/s")
    assert scenario.estimate(20_000, seed=2).to_dict() == python.estimate(20_000, seed=2).to_dict()


def test_formula_function_names_are_checked() -> None:
    for bad in ("two words", "1st", "__dunder", "lambda", "", "caf\u00e9"):
        with pytest.raises(ba.InvalidInputError, match="not an identifier"):
            formula_function(bad)
    with pytest.raises(ba.InvalidInputError, match="'sqrt' is already registered"):
        formula_function("sqrt")(lambda x: x)
    with pytest.raises(ba.InvalidInputError, match="expected a callable"):
        register_formula_function("not_callable_for_test", 3)  # type: ignore[arg-type]
    with pytest.raises(ba.InvalidInputError, match="is not registered"):
        unregister_formula_function("never_registered_for_test")
    with pytest.raises(TypeError):
        formula_functions()["sqrt"] = ba.sqrt  # type: ignore[index]


def test_a_formula_function_may_be_replaced_explicitly(tmp_path: Path) -> None:
    original = formula_functions()["useful_fraction"]

    @formula_function("useful_fraction", replace=True)
    def tenth(cost: ba.Uncertain, fraction: ba.Uncertain) -> ba.Uncertain:
        return cost / 10

    try:
        scenario = _function_scenario(tmp_path, "tenth", "useful_fraction(power, 0.5)", "W")
        assert scenario.estimate().median == (scenario["power"] / 10).estimate().median
    finally:
        formula_function("useful_fraction", replace=True)(original)
    assert formula_functions()["useful_fraction"] is useful_fraction


def test_every_bundled_scenario_says_what_its_number_measures() -> None:
    frames = {name: ba.load_scenario(name).frame for name in ba.scenarios()}
    assert set(frames.values()) <= set(ba.FRAMES)
    assert frames["beniaguev-2021-tcn"] == "emulation"
    assert frames["carlsmith-2020-mechanistic"] == "functional"
    # irving-2021 extends the TCN but asks what suffices: the child's frame wins.
    assert frames["irving-2021"] == "functional"
    assert set(ba.FRAME_GLOSSARY) == set(ba.FRAMES)


def test_a_file_without_frame_is_refused_naming_the_field(tmp_path: Path) -> None:
    text = MINIMAL.replace('frame = "functional"\n', "")
    path = tmp_path / "demo.toml"
    path.write_text(text.format(name="demo"), encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match="frame") as info:
        ba.load_scenario(path)
    assert info.value.field == "frame"


def test_an_unknown_frame_is_refused_with_the_choices(tmp_path: Path) -> None:
    text = MINIMAL.replace('frame = "functional"', 'frame = "emulated"')
    path = tmp_path / "demo.toml"
    path.write_text(text.format(name="demo"), encoding="utf-8")
    with pytest.raises(ba.ScenarioError, match="emulation") as info:
        ba.load_scenario(path)
    assert info.value.field == "frame"


def test_a_child_inherits_its_parents_frame(tmp_path: Path) -> None:
    (tmp_path / "child.toml").write_text(
        'name = "child"\ntitle = "c"\nextends = "beniaguev-2021-tcn"\n', encoding="utf-8"
    )
    assert ba.load_scenario(tmp_path / "child.toml").frame == "emulation"


def test_the_schema_explains_each_frame() -> None:
    described = ba.catalog.scenario_schema()["properties"]["frame"]["description"]
    for frame, meaning in ba.FRAME_GLOSSARY.items():
        assert f"{frame}: {meaning}" in described


def test_extends_may_name_a_file_beside_it(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    shared.mkdir()
    (shared / "base.toml").write_text(MINIMAL.format(name="base"), encoding="utf-8")
    child = (
        'name = "child"\ntitle = "c"\nextends = "./shared/base.toml"\n'
        '[[steps]]\nname = "cost"\nunit = "FLOP / neuron / s"\nvalue = 1e9\npage = "mine"\n'
    )
    (tmp_path / "child.toml").write_text(child, encoding="utf-8")
    scenario = ba.load_scenario(tmp_path / "child.toml")
    assert scenario.parents == ("base",)
    assert scenario.frame == "functional"
    assert scenario["cost"].estimate().median.magnitude == 1e9
    # relative to the file that says it, not to the working directory
    nested = tmp_path / "shared" / "grandchild.toml"
    nested.write_text(
        'name = "grandchild"\ntitle = "g"\nextends = "../child.toml"\n', encoding="utf-8"
    )
    assert ba.load_scenario(nested).parents == ("child", "base")


def test_extends_to_a_missing_file_names_the_resolved_path(tmp_path: Path) -> None:
    (tmp_path / "child.toml").write_text(
        'name = "child"\ntitle = "c"\nextends = "./nowhere.toml"\n', encoding="utf-8"
    )
    with pytest.raises(ba.ScenarioError, match=r"nowhere\.toml") as info:
        ba.load_scenario(tmp_path / "child.toml")
    assert info.value.field == "extends"
    assert "relative to the file that says it" in str(info.value)


def test_extends_by_a_name_points_to_a_file_beside_it(tmp_path: Path) -> None:
    (tmp_path / "base.toml").write_text(MINIMAL.format(name="base"), encoding="utf-8")
    (tmp_path / "child.toml").write_text(
        'name = "child"\ntitle = "c"\nextends = "base"\n', encoding="utf-8"
    )
    with pytest.raises(ba.ScenarioError, match=r"extends = './base.toml'"):
        ba.load_scenario(tmp_path / "child.toml")


def test_a_cycle_through_paths_is_named(tmp_path: Path) -> None:
    (tmp_path / "a.toml").write_text(
        'name = "a"\ntitle = "a"\nextends = "./b.toml"\n', encoding="utf-8"
    )
    (tmp_path / "b.toml").write_text(
        'name = "b"\ntitle = "b"\nextends = "./a.toml"\n', encoding="utf-8"
    )
    with pytest.raises(ba.ScenarioError, match="cycle"):
        ba.load_scenario(tmp_path / "a.toml")
