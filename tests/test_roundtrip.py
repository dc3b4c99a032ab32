"""Scenario files that round-trip: ``to_toml`` / ``save`` and ``Scenario.from_steps``.

The references are independent of the writer: the bundled files themselves (a scenario read
from its file and the file written from it must be the same spec and draw the same numbers),
a file written by hand (``from_steps`` must build what it says), and closed forms.
"""

from __future__ import annotations

import math
import tomllib
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import bioanchors as ba
from bioanchors._graph.distributions import Lognormal
from bioanchors._scenarios.build import StepInput
from bioanchors._scenarios.spec import ScenarioSpec, StepSpec
from bioanchors._scenarios.to_toml import dump_spec

BUNDLED = ba.scenarios()
EXTENDING = {"irving-2021", "irving-2021-reversed-control", "michaelstjules-2021-10x"}
PERCENTILES = [0.5, 5, 25, 50, 75, 95, 99.5]


def same_numbers(a: ba.Estimate, b: ba.Estimate) -> None:
    """Bit for bit: every percentile, the mean and (when kept) every sample."""
    assert a.unit == b.unit
    assert np.array_equal(a.percentile(PERCENTILES).magnitude, b.percentile(PERCENTILES).magnitude)
    assert a.mean.magnitude == b.mean.magnitude
    if a.samples is not None or b.samples is not None:
        assert a.samples is not None
        assert b.samples is not None
        assert np.array_equal(a.samples.magnitude, b.samples.magnitude)


def saved(sc: ba.Scenario, where: Path) -> ba.Scenario:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a saved file loads without a new warning
        return ba.load_scenario(sc.save(where))


@pytest.mark.parametrize("name", BUNDLED)
def test_every_bundled_scenario_round_trips(name: str, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ba.BioanchorsWarning)  # unused steps, said once
        sc = ba.load_scenario(name)
        again = ba.load_scenario(sc.save(tmp_path))
    assert again.path == tmp_path / f"{name}.toml"
    assert again.spec.extends is None
    if not sc.parents:
        assert again.spec == sc.spec  # the file as the library read it, field for field
    else:
        assert {"output", "unit", "frame"} <= set(again.spec.model_fields_set)
    assert (again.name, again.title, again.frame, again.output_name, again.unit) == (
        sc.name,
        sc.title,
        sc.frame,
        sc.output_name,
        sc.unit,
    )
    assert [s.name for s in again.steps] == [s.name for s in sc.steps]
    for mine, theirs in zip(again.steps, sc.steps, strict=True):
        assert mine.citation == theirs.citation
        assert mine.claimed == theirs.claimed
        keep = {"stream", "who", "where"}  # made explicit for a step from a parent file
        assert mine.spec.model_dump(exclude=keep) == theirs.spec.model_dump(exclude=keep)
    same_numbers(again.estimate(4_000, seed=7), sc.estimate(4_000, seed=7))
    assert [(r.name, r.recomputed, r.ok) for r in again.audit(n=2_000)] == [
        (r.name, r.recomputed, r.ok) for r in sc.audit(n=2_000)
    ]
    # and writing the loaded file again gives the same text (but for the merge comment)
    body = [line for line in sc.to_toml().splitlines() if not line.startswith("#")]
    assert [line for line in again.to_toml().splitlines() if not line.startswith("#")] == body


def test_a_scenario_that_extends_is_written_merged_and_says_so(tmp_path: Path) -> None:
    sc = ba.load_scenario("irving-2021")
    text = sc.to_toml()
    assert "extends" not in tomllib.loads(text)
    assert "merged with what it extends (irving-2021-reversed-control, beniaguev-2021-tcn)" in text
    streams = {step["name"]: step.get("stream") for step in tomllib.loads(text)["steps"]}
    assert streams["reverse_overhead"] == "irving-2021-reversed-control/reverse_overhead"
    assert set(BUNDLED) >= EXTENDING


def test_a_renamed_file_draws_the_same_numbers(tmp_path: Path) -> None:
    sc = ba.load_scenario("carlsmith-2020-mechanistic")
    mine = saved(sc, tmp_path / "my-copy.toml")
    assert mine.name == "my-copy"
    assert all(step["stream"].startswith("carlsmith-2020-mechanistic/") for step in _sampled(mine))
    same_numbers(mine.estimate(3_000, seed=2), sc.estimate(3_000, seed=2))
    # without the stream field the copy would draw other numbers: the field is what keeps them
    text = (tmp_path / "my-copy.toml").read_text(encoding="utf-8")
    plain = "\n".join(line for line in text.splitlines() if not line.startswith("stream ="))
    (tmp_path / "other" / "my-copy.toml").parent.mkdir()
    (tmp_path / "other" / "my-copy.toml").write_text(plain, encoding="utf-8")
    other = ba.load_scenario(tmp_path / "other" / "my-copy.toml").estimate(3_000, seed=2)
    assert other.median != sc.estimate(3_000, seed=2).median


def _sampled(sc: ba.Scenario) -> list[dict[str, str]]:
    assert sc.path is not None
    steps = tomllib.loads(sc.path.read_text(encoding="utf-8"))["steps"]
    return [s for s in steps if "distribution" in s or "between" in s]


def test_an_overridden_scenario_is_written_as_the_users_assumption(tmp_path: Path) -> None:
    sc = ba.load_scenario("kokotajlod-2021").with_inputs(
        neurons=ba.point(1e7, "kneuron"), params_per_neuron=ba.lognormal(1e5, 3, "parameter/neuron")
    )
    again = saved(sc, tmp_path / "my-kokotajlod.toml")
    same_numbers(again.estimate(4_000, seed=1), sc.estimate(4_000, seed=1))
    assert again.overridden == ()
    assert again.title == sc.title  # "... [variant: neurons = ..., params_per_neuron = ...]"
    neurons = again.step("neurons")
    assert (neurons.spec.value, neurons.spec.unit) == (1e10, "neuron")
    assert neurons.spec.assumption
    assert neurons.spec.quote is None
    assert neurons.claimed is None
    assert neurons.citation == "assumption (user override)"
    assert neurons.spec.note is not None
    assert neurons.spec.note.startswith("1.0e10 neuron, replacing the file's 1.0e11 neuron. ")
    params = again.step("params_per_neuron").spec
    assert params.distribution == Lognormal(median=1e5, gsd=3.0)
    assert params.stream == "kokotajlod-2021/params_per_neuron"
    # an override that is not one input cannot be written as one
    derived = ba.load_scenario("kokotajlod-2021").with_inputs(
        neurons=ba.point(1e10, "neuron") * ba.between(1, 2)
    )
    with pytest.raises(ba.ScenarioError, match=r"'neurons' is a derived quantity.*formula"):
        derived.to_toml()


def test_a_bad_name_for_the_file_is_refused(tmp_path: Path) -> None:
    sc = ba.load_scenario("moravec-1998")
    with pytest.raises(ba.ScenarioError, match="name"):
        sc.save(tmp_path / "My File.toml")
    with pytest.raises(ba.ScenarioError, match=r"neither a folder nor a .toml file"):
        sc.save(tmp_path / "notes.txt")
    first = sc.save(tmp_path)
    with pytest.raises(ba.ScenarioError, match="exists; pass overwrite=True") as error:
        sc.save(tmp_path)
    assert error.value.file == str(first)
    assert sc.save(tmp_path, overwrite=True) == first


# --- from_steps ---------------------------------------------------------------------------

HAND_WRITTEN = """\
name = "my-brain"
title = "Neurons times a per-neuron cost"
output = "total"
unit = "FLOP/s"
frame = "functional"

[source]
who = "Azevedo et al."
where = "J. Comp. Neurol. 2009"

[[steps]]
name = "neurons"
unit = "neuron"
value = 8.6e10
quote = "86 billion neurons"

[[steps]]
name = "per_neuron"
unit = "FLOP/neuron/s"
distribution = { kind = "loguniform", lo = 1e3, hi = 1e6 }
assumption = true
note = "my range"

[[steps]]
name = "total"
formula = "neurons * per_neuron"
claimed = "1e16 FLOP/s"
"""


def _my_brain() -> ba.Scenario:
    return ba.Scenario.from_steps(
        "my-brain",
        title="Neurons times a per-neuron cost",
        frame="functional",
        output="total",
        unit="FLOP/s",
        source={"who": "Azevedo et al.", "where": "J. Comp. Neurol. 2009"},
        steps={
            "neurons": ba.cite(ba.point(8.6e10, "neuron"), quote="86 billion neurons"),
            "per_neuron": ba.cite(
                ba.loguniform(1e3, 1e6, "FLOP/s/neuron"), "assumption", note="my range"
            ),
            "total": ba.cite("neurons * per_neuron", claimed="1e16 FLOP/s"),
        },
    )


def test_from_steps_builds_what_the_same_file_says(tmp_path: Path) -> None:
    (tmp_path / "my-brain.toml").write_text(HAND_WRITTEN, encoding="utf-8")
    by_hand = ba.load_scenario(tmp_path / "my-brain.toml")
    built = _my_brain()
    assert built.spec == by_hand.spec
    assert built.path is None
    same_numbers(built.estimate(5_000, seed=4), by_hand.estimate(5_000, seed=4))
    (tmp_path / "out").mkdir()
    again = saved(built, tmp_path / "out")
    assert again.spec == built.spec
    same_numbers(again.estimate(5_000, seed=4), built.estimate(5_000, seed=4))
    # a closed form: the median of 8.6e10 x loguniform(1e3, 1e6) is 8.6e10 x sqrt(1e9)
    median = built.estimate(200_000, seed=0).median.magnitude
    assert math.isclose(median, 8.6e10 * math.sqrt(1e9), rel_tol=0.02)
    assert built.step("per_neuron").citation == "assumption (Azevedo et al.)"
    assert [r.ok for r in built.audit()][-1] is False  # 2.7e15 against the claimed 1e16


def test_from_steps_takes_a_source_and_every_citation_field() -> None:
    from bioanchors._scenarios.spec import Source

    sc = ba.Scenario.from_steps(
        "cited",
        title="t",
        frame="bound",
        output="x",
        unit="FLOP/s",
        steps={
            "x": ba.cite(
                ba.between(1e15, 1e17, "FLOP/s"),
                Source(who="Sandberg & Bostrom", where="WBE roadmap", url="https://x"),
                page="p. 80",
                shaky=True,
                note="a note with \"quotes\", 'apostrophes' and ünïcödé",
            )
        },
    )
    spec = sc.step("x").spec
    assert (spec.who, spec.where, spec.url, spec.page, spec.shaky) == (
        "Sandberg & Bostrom",
        "WBE roadmap",
        "https://x",
        "p. 80",
        True,
    )
    assert ScenarioSpec.model_validate(tomllib.loads(sc.to_toml())) == sc.spec


def test_from_steps_refuses_what_a_file_could_not_say() -> None:
    def build(**steps: Any) -> ba.Scenario:
        return ba.Scenario.from_steps(
            "bad", title="t", frame="functional", output="y", unit="FLOP/s", steps=steps
        )

    a = ba.cite(ba.point(1.0, "FLOP/s"), "assumption", note="n")
    with pytest.raises(ba.ScenarioError, match=r"derived quantity.*formula string") as error:
        build(y=ba.cite(ba.point(1.0, "FLOP/s") * ba.between(1, 2), "assumption", note="n"))
    assert error.value.step == "y"
    with pytest.raises(ba.ScenarioError, match=r"without a citation.*ba.cite") as error:
        build(y=ba.point(1.0, "FLOP/s"))
    assert str(error.value).count("step 'y'") == 1  # named once, by the error's prefix
    with pytest.raises(ba.ScenarioError, match="needs a note"):
        build(y=ba.cite(ba.point(1.0, "FLOP/s"), "assumption"))
    with pytest.raises(ba.ScenarioError, match="needs a citation"):
        build(y=ba.cite(ba.point(1.0, "FLOP/s"), {"who": "me", "where": "here"}))
    with pytest.raises(ba.ScenarioError, match=r"unknown citation field.*'year'"):
        ba.cite(ba.point(1.0), {"who": "me", "year": "2020"})
    with pytest.raises(ba.ScenarioError, match="own unit"):
        build(y=ba.cite(ba.point(1.0, "FLOP/s"), "assumption", note="n", unit="FLOP/s"))
    with pytest.raises(ba.ScenarioError, match="cannot be expressed in the declared unit"):
        build(a=a, y=ba.cite("a * 2 * a", unit=None))  # FLOP**2/s**2
    with pytest.raises(ba.ScenarioError, match="later in the file") as error:
        build(y="a * 2", a=a)
    assert error.value.step == "y"
    with pytest.raises(ba.ScenarioError, match="expected a formula string") as error:
        build(a=a, y=3.0)
    assert str(error.value).startswith("step 'y': expected")
    with pytest.raises(ba.ScenarioError, match="name"):
        ba.Scenario.from_steps(
            "Bad Name", title="t", frame="functional", output="a", unit="FLOP/s", steps={"a": a}
        )


def test_a_stream_field_names_the_inputs_stream(tmp_path: Path) -> None:
    text = HAND_WRITTEN.replace('note = "my range"', 'note = "my range"\nstream = "other/x"')
    (tmp_path / "my-brain.toml").write_text(text, encoding="utf-8")
    sc = ba.load_scenario(tmp_path / "my-brain.toml")
    ours = sc["per_neuron"].sample(50, seed=3).magnitude
    theirs = ba.loguniform(1e3, 1e6).keyed("other/x").sample(50, seed=3).magnitude
    assert np.array_equal(ours, theirs)
    (tmp_path / "my-brain.toml").write_text(text.replace("other/x", "Not A/Stream"), "utf-8")
    with pytest.raises(ba.ScenarioError, match="stream"):
        ba.load_scenario(tmp_path / "my-brain.toml")


# --- property: any spec the format accepts is written and read back exactly ---------------

texts = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
words = st.text(st.characters(exclude_categories=["Cs", "Cc"]), min_size=1, max_size=20).filter(
    str.strip
)
floats = st.one_of(
    st.floats(allow_nan=False, allow_infinity=False),
    st.sampled_from([1e-300, 5e-324, 1.7976931348623157e308, -0.0, 0.1, 1e16, 123456789.123]),
)
positive = st.floats(min_value=5e-324, max_value=1e300, allow_nan=False)
names = st.from_regex(r"\A[a-z_][a-z0-9_]{0,8}\Z")


@st.composite
def distributions(draw: st.DrawFn) -> dict[str, object]:
    kind = draw(st.sampled_from(["point", "normal", "lognormal", "uniform"]))
    if kind == "point":
        return {"kind": kind, "value": draw(floats)}
    if kind == "normal":
        return {"kind": kind, "mean": draw(floats), "sd": draw(positive)}
    if kind == "lognormal":
        return {"kind": kind, "median": draw(positive), "gsd": draw(st.floats(1.0001, 1e3))}
    lo = draw(st.floats(-1e300, 1e300))
    return {"kind": kind, "lo": lo, "hi": draw(st.floats(lo, 1e300).filter(lambda x: x > lo))}


@st.composite
def step_specs(draw: st.DrawFn, name: str) -> StepSpec:
    cited = {"quote": draw(words), "who": draw(st.none() | words), "note": draw(st.none() | texts)}
    kind = draw(st.sampled_from(["value", "between", "distribution", "formula"]))
    if kind == "formula":
        return StepSpec(name=name, formula="x * 2", claimed=draw(st.none() | floats | words))
    if kind == "value":
        unit, given = draw(texts), draw(st.none() | texts)  # input_unit: any text is written
        return StepSpec(name=name, unit=unit, input_unit=given, value=draw(floats), **cited)
    if kind == "between":
        lo = draw(positive)
        hi = draw(st.floats(lo, 1e300).filter(lambda x: x > lo))
        credibility = draw(st.none() | st.floats(0.01, 1.0 - 1e-9))
        return StepSpec(name=name, unit="s", between=(lo, hi), credibility=credibility, **cited)
    dist = draw(distributions())
    return StepSpec.model_validate({"name": name, "unit": "", "distribution": dist, **cited})


@st.composite
def scenario_specs(draw: st.DrawFn) -> ScenarioSpec:
    step_names = draw(st.lists(names, min_size=1, max_size=4, unique=True))
    return ScenarioSpec(
        name=draw(st.from_regex(r"\A[a-z0-9][a-z0-9._-]{0,10}\Z")),
        title=draw(words),
        description=draw(texts),
        output=step_names[-1],
        unit=draw(texts),
        frame=draw(st.sampled_from(ba.FRAMES)),
        tags=draw(st.lists(texts, max_size=3)),
        steps=[draw(step_specs(n)) for n in step_names],
    )


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(scenario_specs())
def test_any_spec_reads_back_exactly(spec: ScenarioSpec) -> None:
    text = dump_spec(spec, comment=["a comment"])
    again = ScenarioSpec.model_validate(tomllib.loads(text))
    assert again == spec
    for mine, theirs in zip(again.steps, spec.steps, strict=True):  # floats bit for bit
        assert repr(mine.model_dump()) == repr(theirs.model_dump())


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.tuples(st.floats(1e-30, 1e30), st.floats(1.01, 20.0)), min_size=1, max_size=4),
    st.integers(0, 2**32 - 1),
)
def test_any_python_scenario_saves_to_the_same_numbers(
    factors: list[tuple[float, float]], seed: int
) -> None:
    import tempfile

    steps: dict[str, StepInput] = {
        f"f{i}": ba.cite(ba.lognormal(m, g, "FLOP/s" if i == 0 else ""), "assumption", note="n")
        for i, (m, g) in enumerate(factors)
    }
    steps["total"] = " * ".join(f"f{i}" for i in range(len(factors)))
    sc = ba.Scenario.from_steps(
        "prop", title="p", frame="functional", output="total", unit="FLOP/s", steps=steps
    )
    with tempfile.TemporaryDirectory() as folder:
        again = ba.load_scenario(sc.save(folder))
    assert again.spec == sc.spec
    same_numbers(
        again.estimate(500, seed=seed, method="mc"), sc.estimate(500, seed=seed, method="mc")
    )
