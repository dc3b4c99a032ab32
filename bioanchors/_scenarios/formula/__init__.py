"""Safe parsing and evaluation of arithmetic formula strings.

Scenario files are untrusted input. Their formulas, such as
``"flop_per_second_per_neuron * neurons"`` or ``"sqrt(a) * 10 ** 3 / (b - c)"``, are parsed
with :func:`ast.parse` and checked against a small whitelist. Evaluation walks the checked
tree; nothing is ever passed to ``eval``, ``exec`` or ``compile``.

The grammar is a subset of Python expressions:

* number literals (``3``, ``2.5``, ``1e-3``, ``1_000``); they must be finite, and they are
  always converted to ``float``;
* names (``neurons``), except names that start with a double underscore or that Python
  would silently NFKC-normalise into a different name;
* binary ``+ - * / **`` and unary ``-`` and ``+`` with Python's precedence, so ``**`` is
  right-associative and binds tighter than unary minus (``-2 ** 2 == -4``);
* parentheses;
* calls ``f(x, y, ...)`` of a plain function name with positional arguments only.

Everything else (attributes, subscripts, strings, comparisons, lambdas, ``//``, ``%``, ...)
is refused with a :class:`FormulaError` that quotes the offending source text.

Evaluation is generic over the operand type: numbers in tests, lazy graph nodes in the
library. Operands only need the arithmetic dunder methods, with plain floats on either side.

>>> f = parse_formula("sqrt(a) * 10 ** 3 / (b - c)")
>>> sorted(f.names), sorted(f.functions)
(['a', 'b', 'c'], ['sqrt'])
>>> f.evaluate({"a": 4.0, "b": 3.0, "c": 1.0}, MATH_FUNCTIONS)
1000.0
>>> try:
...     parse_formula("__import__('os').system('ls')")
... except FormulaError as err:
...     print(err)
formula "__import__('os').system('ls')": attribute access '.system' is not allowed;
formulas may use numbers, step names, + - * / **, parentheses and function calls f(x, ...)

The package's modules, one concern each: :mod:`.errors` (:class:`FormulaError` and how it
quotes), :mod:`.nodes` (the validated, immutable syntax tree), :mod:`.parser` (the whitelist,
from ``ast`` to that tree) and :mod:`.evaluator` (:class:`Formula` and its evaluation).
"""

from __future__ import annotations

from bioanchors._scenarios.formula.errors import FormulaError
from bioanchors._scenarios.formula.evaluator import MATH_FUNCTIONS, Formula
from bioanchors._scenarios.formula.parser import (
    MAX_DEPTH,
    MAX_LENGTH,
    formula_names,
    parse_formula,
)

__all__ = [
    "MATH_FUNCTIONS",
    "MAX_DEPTH",
    "MAX_LENGTH",
    "Formula",
    "FormulaError",
    "formula_names",
    "parse_formula",
]
