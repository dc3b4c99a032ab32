"""Tests for the formula parser (safe parsing and evaluation of formula strings)."""

from __future__ import annotations

import ast
import copy
import dataclasses
import math
import operator
import os
import pickle
import subprocess
import sys
from collections import defaultdict
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

import bioanchors._scenarios.formula as formula_module
from bioanchors._scenarios.formula import (
    MATH_FUNCTIONS,
    MAX_DEPTH,
    MAX_LENGTH,
    Formula,
    FormulaError,
    formula_names,
    parse_formula,
)

# Deterministic property tests that leave no example database in the work tree.
PROPERTY = settings(
    derandomize=True,
    database=None,
    deadline=None,
    max_examples=400,
    suppress_health_check=[HealthCheck.too_slow],
)

A, B, C, D = 2.5, -1.25, 3.0, 0.5
VALUES: dict[str, float] = {"a": A, "b": B, "c": C, "d": D}


def evaluate(text: str, names: Mapping[str, float] = VALUES) -> Any:
    return parse_formula(text).evaluate(names, MATH_FUNCTIONS)


# --------------------------------------------------------------------------- evaluation


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1", 1.0),
        ("2.5e3", 2.5e3),
        ("1_000", 1_000.0),
        ("0x10", 16.0),
        (".5", 0.5),
        ("a", A),
        ("a + b * c", A + B * C),
        ("(a + b) * c", (A + B) * C),
        ("a - b - c", A - B - C),
        ("a - (b - c)", A - (B - C)),
        ("a / b / c", A / B / C),
        ("a / (b / c)", A / (B / C)),
        ("a * b / c * d", A * B / C * D),
        ("a ** c ** d", A**C**D),
        ("(a ** c) ** d", (A**C) ** D),
        ("2 ** 3 ** 2", 2.0**3.0**2.0),
        ("-2 ** 2", -(2.0**2.0)),
        ("(-2) ** 2", (-2.0) ** 2.0),
        ("-a ** 2", -(A**2)),
        ("2 ** -1", 2.0**-1.0),
        ("a ** -b", A**-B),
        ("-a * b", -A * B),
        ("--a", A),
        ("-+-a", A),
        ("+a", A),
        ("a * -b", A * -B),
        ("a - -b", A + B),
        ("-a - b", -A - B),
        ("a + b * c ** d - a / b", A + B * C**D - A / B),
        ("((a))", A),
        ("  a*b  ", A * B),
        ("(a +\n b)", A + B),
        ("sqrt(c) * 10 ** 3 / (a - b)", math.sqrt(C) * 10.0**3.0 / (A - B)),
        ("max(a, b, c) - min(a, b)", max(A, B, C) - min(A, B)),
        ("log10(1e11) * a", 11.0 * A),
        ("sqrt(sqrt(16))", 2.0),
        ("exp(log(a))", math.exp(math.log(A))),
        ("abs(b) + abs(-a)", abs(B) + abs(-A)),
        ("log(8, 2)", math.log(8.0, 2.0)),
        ("a # a trailing comment", A),
    ],
)
def test_evaluation_matches_python(text: str, expected: float) -> None:
    result = evaluate(text)
    assert isinstance(result, float)
    assert math.isclose(result, expected, rel_tol=1e-15, abs_tol=0.0)


def test_unary_minus_binds_looser_than_power() -> None:
    assert evaluate("-2**2") == -4.0
    assert evaluate("(-2)**2") == 4.0
    assert evaluate("2**-2") == 0.25


def test_power_is_right_associative() -> None:
    assert evaluate("2 ** 3 ** 2") == 512.0
    assert evaluate("(2 ** 3) ** 2") == 64.0


def test_literals_and_int_values_become_floats() -> None:
    assert type(evaluate("7")) is float
    assert type(evaluate("n * 2", {"n": 3})) is float
    # No unbounded big-int arithmetic: this overflows (as floats) instead of hanging.
    with pytest.raises(FormulaError, match="OverflowError"):
        evaluate("9 ** 9 ** 9")
    with pytest.raises(FormulaError, match="OverflowError"):
        evaluate("n ** n ** n", {"n": 9})


def test_functions_default_to_none() -> None:
    assert parse_formula("a + 1").evaluate({"a": 1.0}) == 2.0
    with pytest.raises(FormulaError, match="unknown function 'sqrt'"):
        parse_formula("sqrt(a)").evaluate({"a": 1.0})


class Sym:
    """A stand-in for lazy graph nodes: records the operations applied to it."""

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return f"Sym({self.text!r})"

    @staticmethod
    def _str(value: object) -> str:
        if isinstance(value, Sym):
            return value.text
        assert type(value) is float, f"plain operands must be floats, got {value!r}"
        return repr(value)

    def _bin(self, op: str, other: object, *, reflected: bool = False) -> Sym:
        left, right = (other, self) if reflected else (self, other)
        return Sym(f"({self._str(left)} {op} {self._str(right)})")

    def __add__(self, other: object) -> Sym:
        return self._bin("+", other)

    def __radd__(self, other: object) -> Sym:
        return self._bin("+", other, reflected=True)

    def __sub__(self, other: object) -> Sym:
        return self._bin("-", other)

    def __rsub__(self, other: object) -> Sym:
        return self._bin("-", other, reflected=True)

    def __mul__(self, other: object) -> Sym:
        return self._bin("*", other)

    def __rmul__(self, other: object) -> Sym:
        return self._bin("*", other, reflected=True)

    def __truediv__(self, other: object) -> Sym:
        return self._bin("/", other)

    def __rtruediv__(self, other: object) -> Sym:
        return self._bin("/", other, reflected=True)

    def __pow__(self, other: object) -> Sym:
        return self._bin("**", other)

    def __rpow__(self, other: object) -> Sym:
        return self._bin("**", other, reflected=True)

    def __neg__(self) -> Sym:
        return Sym(f"(-{self.text})")

    def __pos__(self) -> Sym:
        return Sym(f"(+{self.text})")


def sym_call(name: str) -> Callable[..., Sym]:
    def call(*args: object) -> Sym:
        return Sym(f"{name}({', '.join(Sym._str(arg) for arg in args)})")

    return call


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("x * y", "(x * y)"),
        ("2 - x", "(2.0 - x)"),
        ("x / 4", "(x / 4.0)"),
        ("10 ** x", "(10.0 ** x)"),
        ("-x ** 2", "(-(x ** 2.0))"),
        ("+x", "(+x)"),
        ("x - y - z", "((x - y) - z)"),
        ("x ** y ** z", "(x ** (y ** z))"),
        ("sqrt(x) * 10 ** 3 / (y - z)", "((sqrt(x) * 1000.0) / (y - z))"),
        (
            "reversed_control(total, reverse_overhead)",
            "reversed_control(total, reverse_overhead)",
        ),
        ("flop_per_second_per_neuron * neurons", "(flop_per_second_per_neuron * neurons)"),
    ],
)
def test_generic_operands_use_dunder_methods(text: str, expected: str) -> None:
    formula = parse_formula(text)
    names = {name: Sym(name) for name in formula.names}
    functions = {name: sym_call(name) for name in formula.functions}
    result = formula.evaluate(names, functions)
    assert isinstance(result, Sym)
    assert result.text == expected


def test_generic_operand_errors_are_wrapped_and_chained() -> None:
    class Strict(Sym):
        def __add__(self, other: object) -> Sym:
            raise TypeError("units do not match")

    with pytest.raises(FormulaError) as info:
        parse_formula("2 * (x + y)").evaluate({"x": Strict("x"), "y": Sym("y")})
    err = info.value
    assert err.offending == "x + y"
    assert "evaluating 'x + y' failed: TypeError: units do not match" in str(err)
    assert isinstance(err.__cause__, TypeError)


# --------------------------------------------------------------------------- evaluation errors


def test_unknown_name_suggests_close_matches() -> None:
    formula = parse_formula("flop_per_second_per_neuron * neuronz")
    names = {"flop_per_second_per_neuron": 1.0, "neurons": 8.6e10, "synapses": 1e14}
    with pytest.raises(FormulaError) as info:
        formula.evaluate(names)
    err = info.value
    assert err.offending == "neuronz"
    assert err.suggestions == ("neurons",)
    assert err.formula == "flop_per_second_per_neuron * neuronz"
    assert str(err) == (
        "formula \"flop_per_second_per_neuron * neuronz\": unknown name 'neuronz'; "
        "did you mean 'neurons'?"
    )


def test_unknown_name_without_close_match_lists_available_names() -> None:
    with pytest.raises(FormulaError, match=r"unknown name 'q'; available names: a, b, c, d$"):
        evaluate("q + 1")
    many = {f"name_{i:02d}": 1.0 for i in range(30)}
    with pytest.raises(FormulaError, match=r"name_11, \.\.\. \(18 more\)$"):
        parse_formula("zzz").evaluate(many)
    with pytest.raises(FormulaError, match="no names are available"):
        parse_formula("zzz").evaluate({})


def test_unknown_function_suggests_close_matches() -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula("sqrtt(a)").evaluate(VALUES, MATH_FUNCTIONS)
    assert info.value.suggestions == ("sqrt",)
    assert "unknown function 'sqrtt'; did you mean 'sqrt'?" in str(info.value)


def test_names_and_functions_are_separate_namespaces() -> None:
    # A function is never looked up among the names, nor a name among the functions.
    with pytest.raises(FormulaError, match="unknown function 'a'"):
        evaluate("a(1)")
    with pytest.raises(FormulaError, match="unknown name 'sqrt'"):
        evaluate("sqrt + 1")


@pytest.mark.parametrize(
    ("text", "names", "message"),
    [
        ("1 / (a - a)", {"a": 1.0}, "evaluating '1 / (a - a)' failed: ZeroDivisionError"),
        ("10 ** 400", {}, "evaluating '10 ** 400' failed: OverflowError"),
        ("a * a", {"a": 1e200}, "evaluating 'a * a' gave inf from finite inputs"),
        ("a ** 0.5", {"a": -4.0}, "evaluating 'a ** 0.5' gave a complex number"),
        ("sqrt(a)", {"a": -1.0}, "evaluating 'sqrt(a)' failed: ValueError: math domain error"),
        ("sqrt(a, a)", {"a": 1.0}, "evaluating 'sqrt(a, a)' failed: TypeError"),
        ("n * 1", {"n": 10**400}, "value of 'n' is too large for a float"),
    ],
)
def test_arithmetic_failures_name_the_subexpression(
    text: str, names: dict[str, float], message: str
) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text).evaluate(names, MATH_FUNCTIONS)
    assert str(info.value).startswith(f'formula "{text}": ')
    assert message in str(info.value)


def test_non_finite_inputs_propagate_without_error() -> None:
    # Only operations that *create* inf/nan from finite floats are refused.
    assert evaluate("a * 2", {"a": math.inf}) == math.inf


# --------------------------------------------------------------------------- parse results


def test_names_and_functions() -> None:
    formula = parse_formula("sqrt(a) * 10 ** 3 / (b - c) + max(a, d)")
    assert formula.names == frozenset({"a", "b", "c", "d"})
    assert formula.functions == frozenset({"sqrt", "max"})
    assert isinstance(formula.names, frozenset)
    assert parse_formula("2 * 3").names == frozenset()
    assert formula_names("flop_per_second_per_neuron * neurons") == {
        "flop_per_second_per_neuron",
        "neurons",
    }


def test_formula_is_immutable_and_compares_by_text() -> None:
    formula = parse_formula(" a * b + 2\n")
    assert formula.text == "a * b + 2"
    assert str(formula) == "a * b + 2"
    assert repr(formula) == "Formula('a * b + 2')"
    with pytest.raises(dataclasses.FrozenInstanceError):
        formula.text = "a"  # type: ignore[misc]
    assert formula == parse_formula("a * b + 2")
    assert hash(formula) == hash(parse_formula("a * b + 2"))
    assert formula != parse_formula("a*b+2")
    assert pickle.loads(pickle.dumps(formula)).evaluate(VALUES) == A * B + 2
    assert copy.deepcopy(formula) == formula


def test_allowed_functions_are_checked_at_parse_time() -> None:
    allowed = ["sqrt", "log10", "reversed_control"]
    formula = parse_formula("reversed_control(total, sqrt(x))", allowed_functions=allowed)
    assert formula.functions == {"reversed_control", "sqrt"}
    with pytest.raises(FormulaError) as info:
        parse_formula("1 + sqr(x)", allowed_functions=allowed)
    err = info.value
    assert err.offending == "sqr"
    assert err.suggestions == ("sqrt",)
    assert str(err).endswith(
        "formulas may use numbers, step names, + - * / **, parentheses "
        "and the functions: log10, reversed_control, sqrt"
    )
    with pytest.raises(FormulaError, match=r"parentheses$"):
        parse_formula("f(x)", allowed_functions=())


# --------------------------------------------------------------------------- refusals

ATTACKS = [
    "__import__('os').system('touch {marker}')",
    "__import__('os')",
    "().__class__.__bases__[0].__subclasses__()",
    "[c for c in ().__class__.__base__.__subclasses__()]",
    "(lambda: 1)()",
    "lambda: 1",
    "[x for x in y]",
    "{x for x in y}",
    "{x: 1 for x in y}",
    "(x for x in y)",
    "[1, 2]",
    "(1, 2)",
    "a, b",
    "{1: 2}",
    "{1}",
    '"a" * 3',
    "'a'",
    "b'a'",
    "f'{a}'",
    "a if b else c",
    "a < b",
    "a == b",
    "a and b",
    "a or b",
    "not a",
    "~a",
    "a.b",
    "a[0]",
    "a[1:2]",
    "f(x=1)",
    "f(*a)",
    "f(**a)",
    "f(x)(y)",
    "f(x).y",
    "1(2)",
    "a; b",
    "a\nb",
    "import os",
    "from os import system",
    "a = 1",
    "a += 1",
    "del a",
    "(a := 1)",
    "yield a",
    "await a",
    "*a",
    "a // b",
    "a % b",
    "a @ b",
    "a << b",
    "a >> b",
    "a | b",
    "a & b",
    "a ^ b",
    "True",
    "False",
    "None",
    "...",
    "1j",
    "2 + 3j",
    "1e999",
    "-1e999",
    "9" * 400,
    "__builtins__",
    "__class__",
    "__dict__(a)",
    "ﬁle",  # NFKC-normalises to "file"
    "",
    "   ",
    "a +",
    "(a",
    "a)",
    "a b",
    "$a",
    "a\x00",
    "\ud800",
    "exec('1')",
    "eval('1')",
    "open('/etc/passwd').read()",
    "getattr(a, '__class__')",
    "a.__class__",
    "x" * (MAX_LENGTH + 1),
    "-" * (MAX_DEPTH + 5) + "a",
    "(" * 300 + "a" + ")" * 300,
    "+".join(["a"] * (MAX_DEPTH + 5)),
    "f(" * 120 + ")" * 120,
]


@pytest.mark.parametrize("template", ATTACKS)
def test_attacks_are_refused_without_side_effects(
    template: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    marker = tmp_path / "pwned"
    text = template.replace("{marker}", str(marker))
    calls: list[tuple[Any, ...]] = []

    def forbidden(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        raise AssertionError("formula code must never execute anything")

    monkeypatch.setattr(os, "system", forbidden)
    monkeypatch.setattr(subprocess, "Popen", forbidden)
    monkeypatch.setattr("builtins.eval", forbidden)
    monkeypatch.setattr("builtins.exec", forbidden)
    with pytest.raises(FormulaError) as info:
        parse_formula(text).evaluate(defaultdict(lambda: 1.0), {"f": max})
    assert not calls
    assert not marker.exists()
    err = info.value
    assert isinstance(err, ValueError)
    assert err.reason
    assert str(err) == err.message


def test_refusals_only_happen_at_parse_time_for_attacks() -> None:
    # Every attack string is refused by parse_formula itself, before any evaluation.
    for text in ATTACKS:
        with pytest.raises(FormulaError):
            parse_formula(text.replace("{marker}", "/nonexistent"))


@pytest.mark.parametrize(
    ("text", "offending", "reason"),
    [
        ("__import__('os').system('ls')", ".system", "attribute access '.system' is not allowed"),
        ("x + a.b * 2", ".b", "attribute access '.b' is not allowed"),
        ("__import__('os')", "__import__", "function name '__import__' is not allowed"),
        ("2 * __builtins__", "__builtins__", "name '__builtins__' is not allowed"),
        ("(lambda: 1)()", "lambda: 1", "lambda 'lambda: 1' is not allowed"),
        ("f(x)(y)", "f(x)(y)", "call 'f(x)(y)' is not allowed"),
        ("a + x[0]", "x[0]", "subscript 'x[0]' is not allowed"),
        ('2 * "a" * 3', '"a"', "string literal '\"a\"' is not allowed"),
        ("a + (b if c else d)", "b if c else d", "conditional expression"),
        ("1 + (a < b)", "a < b", "comparison 'a < b' is not allowed"),
        ("f(a, x=1)", "x=1", "keyword argument 'x=1' is not allowed"),
        ("f(a, *b)", "*b", "'*' argument '*b' is not allowed"),
        ("f(**kw)", "**kw", "'**' argument '**kw' is not allowed"),
        ("1 + a // b", "a // b", "operator '//' (floor division) in 'a // b' is not allowed"),
        ("a ^ 2", "a ^ 2", "use ** for powers"),
        ("not a", "not a", "operator 'not' in 'not a' is not allowed"),
        ("True * 2", "True", "boolean 'True' is not allowed"),
        ("1j", "1j", "complex number '1j' is not allowed"),
        ("1e999 * a", "1e999", "number '1e999' is not finite"),
        ("import os", "import os", "statement 'import os' is not allowed"),
        ("a; b", "b", "a formula must be a single expression"),
        ("[x for x in y]", "[x for x in y]", "list comprehension"),
        ("(x := 2)", "x := 2", "assignment expression"),
        ("a b", "b", "syntax error (invalid syntax) at 'b'"),
        ("a +", None, "syntax error (invalid syntax) at the end"),
        ("", None, "formula is empty"),
        ("-" * 150 + "a", None, f"nested more than {MAX_DEPTH} levels deep"),
    ],
)
def test_refusals_quote_the_offending_source(text: str, offending: str | None, reason: str) -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula(text)
    err = info.value
    assert err.offending == offending
    assert reason in err.reason
    assert err.formula == text
    assert reason in str(err)
    assert "formulas may use numbers, step names, + - * / **, parentheses" in str(err)
    if offending is not None:
        assert offending in text


def test_message_format_matches_the_documented_example() -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula("__import__('os').system('ls')", allowed_functions=["sqrt", "log10"])
    assert str(info.value) == (
        "formula \"__import__('os').system('ls')\": attribute access '.system' is not allowed; "
        "formulas may use numbers, step names, + - * / **, parentheses "
        "and the functions: log10, sqrt"
    )


def test_length_and_depth_limits_are_inclusive() -> None:
    parse_formula("1" + " " * (MAX_LENGTH - 1))
    with pytest.raises(FormulaError, match=f"{MAX_LENGTH + 1} characters long"):
        parse_formula("1" + " " * MAX_LENGTH)
    parse_formula("-" * (MAX_DEPTH - 1) + "a")  # MAX_DEPTH nodes from root to leaf
    with pytest.raises(FormulaError, match="levels deep"):
        parse_formula("-" * MAX_DEPTH + "a")
    # Deep inputs within the length limit never escape as RecursionError/MemoryError.
    for text in [
        "-" * (MAX_LENGTH - 1) + "a",
        "+" * (MAX_LENGTH - 1) + "a",
        "2**" * 666 + "2",
        "a+" * 999 + "a",
        "(" * 999 + "a" + ")" * 999,
        "f(" * 666 + ")" * 666,
        "[" * 999 + "]" * 999,
    ]:
        assert len(text) <= MAX_LENGTH
        with pytest.raises(FormulaError):
            parse_formula(text)


def test_non_string_input_is_refused() -> None:
    with pytest.raises(FormulaError, match="must be a string, not int"):
        parse_formula(5)  # type: ignore[arg-type]


def test_non_nfkc_names_are_refused_but_unicode_names_work() -> None:
    assert parse_formula("größe * 2").evaluate({"größe": 2.0}) == 4.0
    with pytest.raises(FormulaError, match="write it as 'fix'"):
        parse_formula("2 * ﬁx")


# --------------------------------------------------------------------------- FormulaError


def test_formula_error_structure_and_context() -> None:
    err = FormulaError(
        "unknown name 'neuronz'",
        formula="2 * neuronz",
        offending="neuronz",
        suggestions=["neurons"],
        hint="check the step names",
    )
    assert isinstance(err, ValueError)
    assert err.context is None
    base = (
        "formula \"2 * neuronz\": unknown name 'neuronz'; did you mean 'neurons'?; "
        "check the step names"
    )
    assert str(err) == base
    located = err.with_context("human.yaml", "brain_flops")
    assert located is not err
    assert located.context == "human.yaml, step 'brain_flops'"
    assert str(located) == "human.yaml, step 'brain_flops': " + base
    assert (located.reason, located.offending, located.suggestions) == (
        err.reason,
        err.offending,
        err.suggestions,
    )
    assert str(err) == base  # the original is unchanged
    assert str(located.with_context(step="other")).startswith("human.yaml, step 'other': ")
    assert str(err.with_context(file="x.yaml")).startswith("x.yaml: formula")
    assert str(FormulaError("bad")) == "bad"
    restored = pickle.loads(pickle.dumps(located))
    assert str(restored) == str(located)
    assert restored.offending == "neuronz"


def test_with_context_keeps_the_cause() -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula("1 / a").evaluate({"a": 0.0})
    located = info.value.with_context("f.yaml", "s")
    assert isinstance(located.__cause__, ZeroDivisionError)


def test_quoted_formula_escapes_awkward_text() -> None:
    with pytest.raises(FormulaError) as info:
        parse_formula('a +\n"x"')
    assert str(info.value).startswith("formula 'a +\\n\"x\"': ")
    with pytest.raises(FormulaError) as info:
        parse_formula("q" * (MAX_LENGTH + 1))
    assert len(str(info.value)) < 250


# --------------------------------------------------------------------------- safety of the module


def test_package_never_calls_eval_exec_or_compile_and_uses_only_stdlib_and_errors() -> None:
    package = Path(formula_module.__file__).parent
    modules = sorted(package.glob("*.py"))
    assert len(modules) > 1  # the parser, the tree and the evaluator
    forbidden = {"eval", "exec", "compile", "__import__", "getattr", "globals", "locals"}
    for module in modules:
        tree = ast.parse(module.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            where = f"{module.name}:{getattr(node, 'lineno', '?')}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                assert node.func.id not in forbidden, f"{where}: {node.func.id}()"
            if isinstance(node, ast.Import):
                for alias in node.names:
                    assert alias.name.split(".")[0] in sys.stdlib_module_names, where
            if isinstance(node, ast.ImportFrom):
                assert node.level == 0
                assert node.module is not None
                allowed = sys.stdlib_module_names | {"__future__"}
                assert (
                    node.module.split(".")[0] in allowed
                    or node.module == "bioanchors.errors"
                    or node.module.startswith(formula_module.__name__ + ".")
                ), where


# --------------------------------------------------------------------------- property tests

SYNTAX_CHARS = "abfx_019.e+-*/()[]{}<>=!,:;'\"@%&|^~ \n\t\\#jJ"


@PROPERTY
@given(
    st.one_of(
        st.text(),
        st.text(alphabet=SYNTAX_CHARS, max_size=60),
        st.text(alphabet=st.characters(exclude_categories=()), max_size=20),
        st.sampled_from(ATTACKS).map(lambda s: s.replace("{marker}", "/nonexistent")),
        st.sampled_from(ATTACKS).flatmap(
            lambda s: st.text(alphabet=SYNTAX_CHARS, max_size=5).map(lambda t: s + t)
        ),
    )
)
def test_arbitrary_text_only_raises_formula_error(text: str) -> None:
    try:
        formula: Formula | FormulaError = parse_formula(text)
    except FormulaError as err:
        formula = err
    if isinstance(formula, FormulaError):
        event("refused")
        assert str(formula)  # the message can always be built
        return
    event("parsed")
    # Anything that parses evaluates to a float or fails with FormulaError.
    names: defaultdict[str, float] = defaultdict(lambda: 1.5)
    functions: defaultdict[str, Callable[..., float]] = defaultdict(
        lambda: lambda *args: sum(args) + 1.0
    )
    try:
        value = formula.evaluate(names, functions)
    except FormulaError:
        return
    assert isinstance(value, float)


# Expression trees: ("num", value, source) | ("name", name) | ("neg"|"pos", tree)
# | ("bin", op, left, right) | ("call", function, args)
Tree = tuple[Any, ...]

TREE_NAMES = {"a": 2.5, "b": -1.75, "neurons": 8.6e10, "rate": 3e-2, "zero": 0.0, "big": 1e300}
TREE_FUNCTIONS: dict[str, Callable[..., float]] = {
    "sqrt": math.sqrt,
    "max": max,
    "min": min,
    "mean": lambda *args: sum(args) / len(args),
}
BINARY: dict[str, Callable[[float, float], Any]] = {
    "+": operator.add,
    "-": operator.sub,
    "*": operator.mul,
    "/": operator.truediv,
    "**": operator.pow,
}


def numbers() -> st.SearchStrategy[Tree]:
    floats = st.floats(min_value=0.0, max_value=1e6, allow_nan=False, allow_infinity=False)
    return st.one_of(
        floats.map(lambda x: ("num", x, repr(x))),
        st.integers(min_value=0, max_value=10**6).map(lambda n: ("num", float(n), str(n))),
        st.sampled_from(["0.5", "1e3", "2.5e-3", "1_000", "0x1F", ".25"]).map(
            lambda s: ("num", float(s.replace("_", "")) if "x" not in s else 31.0, s)
        ),
    )


def extend(children: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
    return st.one_of(
        st.tuples(st.sampled_from(["neg", "pos"]), children),
        st.tuples(st.just("bin"), st.sampled_from(sorted(BINARY)), children, children),
        st.tuples(st.just("call"), st.just("sqrt"), st.tuples(children)),
        st.tuples(
            st.just("call"),
            st.sampled_from(["max", "min", "mean"]),
            st.lists(children, min_size=2, max_size=3).map(tuple),
        ),
    )


TREES = st.recursive(
    st.one_of(numbers(), st.sampled_from(sorted(TREE_NAMES)).map(lambda n: ("name", n))),
    extend,
    max_leaves=12,
)


def render(tree: Tree, space: str) -> str:
    kind = tree[0]
    if kind == "num":
        return str(tree[2])
    if kind == "name":
        return str(tree[1])
    if kind in ("neg", "pos"):
        return f"({'-' if kind == 'neg' else '+'}{render(tree[1], space)})"
    if kind == "bin":
        return f"({render(tree[2], space)}{space}{tree[1]}{space}{render(tree[3], space)})"
    args = f",{space}".join(render(arg, space) for arg in tree[2])
    return f"{tree[1]}({args})"


class Invalid(Exception):
    """The direct computation left the finite real numbers or raised."""


def direct(tree: Tree) -> float:
    """Compute ``tree`` with plain Python arithmetic, flagging every non-finite step."""
    kind = tree[0]
    if kind == "num":
        return float(tree[1])
    if kind == "name":
        return TREE_NAMES[tree[1]]
    if kind in ("neg", "pos"):
        return -direct(tree[1]) if kind == "neg" else +direct(tree[1])
    if kind == "bin":
        args = [direct(tree[2]), direct(tree[3])]
        func: Callable[..., Any] = BINARY[tree[1]]
    else:
        args = [direct(arg) for arg in tree[2]]
        func = TREE_FUNCTIONS[tree[1]]
    try:
        result = func(*args)
    except (ArithmeticError, ValueError) as exc:
        raise Invalid from exc
    if isinstance(result, complex) or not math.isfinite(result):
        raise Invalid
    underflowed = result == 0 and all(arg != 0 for arg in args)
    if (
        underflowed
        and (tree[0] != "bin" or tree[1] not in ("+", "-"))
        and tree[1]
        not in (
            "min",
            "max",
            "log",
            "log10",
        )
    ):
        raise Invalid  # an exact 0 from non-zero numbers: an underflow, refused
    return float(result)


def tree_names(tree: Tree) -> set[str]:
    if tree[0] == "name":
        return {tree[1]}
    if tree[0] == "num":
        return set()
    children = tree[2] if tree[0] == "call" else tree[1:]
    return set().union(*(tree_names(c) for c in children if isinstance(c, tuple)))


def tree_functions(tree: Tree) -> set[str]:
    if tree[0] in ("num", "name"):
        return set()
    if tree[0] == "call":
        return {tree[1]}.union(*(tree_functions(c) for c in tree[2]))
    return set().union(*(tree_functions(c) for c in tree[1:] if isinstance(c, tuple)))


@PROPERTY
@given(TREES, st.sampled_from(["", " ", "  "]))
def test_generated_trees_round_trip(tree: Tree, space: str) -> None:
    text = render(tree, space)
    assume(len(text) <= MAX_LENGTH)
    formula = parse_formula(text, allowed_functions=TREE_FUNCTIONS)
    assert formula.names == tree_names(tree)
    assert formula.functions == tree_functions(tree)
    try:
        expected = direct(tree)
    except Invalid:
        event("refused: the computation leaves the finite reals")
        with pytest.raises(FormulaError):
            formula.evaluate(TREE_NAMES, TREE_FUNCTIONS)
        return
    event("compared with the direct computation")
    result = formula.evaluate(TREE_NAMES, TREE_FUNCTIONS)
    assert isinstance(result, float)
    # The same float operations in the same order: equal in practice, isclose by contract.
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=0.0)


ORACLE_NAMES = {"a": 0.5, "b": 1.5, "c": 2.0, "d": 3.0}


@st.composite
def flat_expressions(draw: st.DrawFn, depth: int = 0) -> str:
    """Unparenthesised float expressions such as ``-a ** b * 2.5 - (c / d) ** -a``."""
    terms = draw(st.integers(min_value=1, max_value=4 if depth == 0 else 2))
    parts: list[str] = []
    for i in range(terms):
        if i:
            parts.append(draw(st.sampled_from(["+", "-", "*", "/", "**"])))
        prefix = draw(st.sampled_from(["", "", "-", "+", "--"]))
        if depth < 1 and draw(st.booleans()):
            atom = f"({draw(flat_expressions(depth + 1))})"
        elif draw(st.booleans()):
            atom = draw(st.sampled_from(sorted(ORACLE_NAMES)))
        else:
            value = draw(st.floats(min_value=0.5, max_value=3.0, allow_nan=False))
            atom = repr(value)
        parts.append(prefix + atom)
    return " ".join(parts)


@PROPERTY
@given(flat_expressions())
def test_precedence_matches_python(text: str) -> None:
    # Oracle: CPython evaluating the same (generated, float-only) expression with no builtins.
    # Only this test uses eval, and only on strings built by the strategy above.
    try:
        expected = eval(text, {"__builtins__": {}}, dict(ORACLE_NAMES))
    except ArithmeticError:
        expected = None
    formula = parse_formula(text)
    if expected is None or isinstance(expected, complex) or not math.isfinite(expected):
        event("refused: Python raises or leaves the finite reals")
        with pytest.raises(FormulaError):
            formula.evaluate(ORACLE_NAMES)
        return
    event("compared with Python")
    result = formula.evaluate(ORACLE_NAMES)
    assert math.isclose(result, expected, rel_tol=1e-12, abs_tol=0.0), (text, result, expected)
