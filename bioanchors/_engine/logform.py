"""Log-space algebra: products, quotients and powers of lognormals as one linear form.

A product of lognormals and positive constants is ``exp(c + sum_i a_i * z_i)`` for the normal
scores ``z_i`` of its inputs. :class:`LogForm` holds ``(c, {column: a_i})``; :func:`log_form`
finds a node's form from its arguments' forms, or says why it has none. The engine evaluates
such a sub-graph as one matrix-vector product, and the closed form of a whole graph
(:func:`bioanchors._engine.plan.analytic_lognormal`) reads its ``mu`` and ``sigma`` from it.

Every node of a graph gets a form, but only a few forms are read (those of the nodes the
program computes, and the output's). So a form built by :meth:`LogForm.plus` or
:meth:`LogForm.scaled` records the operation and its operands, and its coefficients are
worked out on first read, replaying the operations in their order (the same float
arithmetic, the same order of columns): a chain of ``n`` products compiles in ``O(n)``
instead of copying ``n`` dictionaries of up to ``n`` entries.

>>> x = LogForm(1.0, {0: 2.0}).plus(LogForm(0.5, {1: 1.0})).scaled(0.5)
>>> x.const, x.coefs
(0.75, {0: 1.0, 1: 0.5})
"""

from __future__ import annotations

import math
import threading

import numpy as np

from bioanchors._graph.uncertain import Leaf, Mix, Op, Uncertain

__all__ = ["LogForm", "dict_copies", "log_form"]

_materializing = threading.Lock()
_copies = [0]  # dictionaries built by replaying operations (see dict_copies)


def dict_copies() -> int:
    """How many coefficient dictionaries have been built so far (a count of work for tests)."""
    return _copies[0]


class LogForm:
    """``log(value) = const + sum(coef * z[column])``: a product of lognormals and constants.

    ``LogForm(const, coefs)`` is a form with known coefficients; :meth:`plus` and
    :meth:`scaled` give forms whose coefficients are computed when first read.
    """

    __slots__ = ("_base", "_coefs", "_factor", "_other", "_sign", "const", "has_terms")

    const: float
    has_terms: bool  # whether ``coefs`` has any entry (known without computing it)

    def __init__(self, const: float, coefs: dict[int, float] | None = None) -> None:
        self.const = const
        self._coefs: dict[int, float] | None = {} if coefs is None else coefs
        self.has_terms = bool(self._coefs)
        self._base: LogForm | None = None  # the form an operation applies to
        self._other: LogForm | None = None  # plus: the form added (times ``_sign``)
        self._sign = 1.0
        self._factor = 1.0  # scaled: the factor

    @property
    def coefs(self) -> dict[int, float]:
        """``{column: coefficient}``, in the order the columns first entered the form."""
        coefs = self._coefs
        if coefs is None:
            with _materializing:  # plans are shared between threads
                if self._coefs is None:
                    tree = _tree_coefs(self)
                    if tree is None:
                        _materialize(self)
                    else:
                        self._coefs, self._base, self._other = tree, None, None
            coefs = self._coefs
        assert coefs is not None
        return coefs

    def scaled(self, k: float) -> LogForm:
        form = LogForm(self.const * k)
        form._coefs, form.has_terms, form._base, form._factor = None, self.has_terms, self, k
        return form

    def plus(self, other: LogForm, sign: float = 1.0) -> LogForm:
        form = LogForm(self.const + sign * other.const)
        form._coefs, form.has_terms = None, self.has_terms or other.has_terms
        form._base, form._other, form._sign = self, other, sign
        return form

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, LogForm):
            return NotImplemented
        return self.const == other.const and self.coefs == other.coefs

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"LogForm(const={self.const!r}, coefs={self.coefs!r})"

    def __reduce__(self) -> tuple[type[LogForm], tuple[float, dict[int, float]]]:
        # Only the result travels (to worker processes), never the chain of operations.
        return LogForm, (self.const, self.coefs)


def _materialize(target: LogForm) -> None:
    """Compute ``target``'s coefficients by replaying, oldest first, the operations from its
    nearest ancestor with known coefficients (iteratively: chains may be long)."""
    pending = [target]
    while pending:
        form = pending[-1]
        if form._coefs is not None:
            pending.pop()
            continue
        chain: list[LogForm] = []  # form, its base, ... up to (excluding) a known one
        node: LogForm | None = form
        while node is not None and node._coefs is None:
            chain.append(node)
            node = node._base
        assert node is not None  # the first form of every chain has known coefficients
        missing = [f._other for f in chain if f._other is not None and f._other._coefs is None]
        if missing:
            pending.extend(missing)
            continue
        pending.pop()
        assert node._coefs is not None
        form._coefs = _replayed(node._coefs, chain[::-1])
        for step in chain:  # the operands are no longer needed by this form
            if step is form:
                step._base = step._other = None


def _tree_coefs(target: LogForm) -> dict[int, float] | None:
    """``target``'s coefficients in one pass when its pending operations form a tree of sums
    (no factor, each form used once, each column in one known form), else None.

    Then the eager algebra only copies values (a form's own terms first, the added form's
    new columns after) and adds each added column to ``0.0`` times a sign of 1 or -1: a
    column's value is the product of the signs on its way up times its known value, a zero
    read as ``+0.0`` once it has been added. So the result comes from one walk, base before
    added form, with no dictionary per step: a chain built on the right (``x = y * x``)
    would otherwise build a dictionary of every length up to its own.
    """
    coefs: dict[int, float] = {}
    seen: set[int] = set()
    stack: list[tuple[LogForm, float, bool]] = [(target, 1.0, False)]
    while stack:
        form, sign, added = stack.pop()
        if id(form) in seen:
            return None  # a shared form: its columns would be summed
        seen.add(id(form))
        known = form._coefs
        if known is not None:
            for column, coef in known.items():
                if column in coefs:
                    return None  # a column of two forms: summed
                value = sign * coef
                coefs[column] = 0.0 + value if added else value
            continue
        other = form._other
        if other is None or form._sign not in (1.0, -1.0) or form._base is None:
            return None  # a factor (or a sign other than +-1): the replay keeps its rounding
        stack.append((other, sign * form._sign, True))  # popped after the base's terms
        stack.append((form._base, sign, added))
    _copies[0] += 1  # one dictionary built
    return coefs


def _replayed(start: dict[int, float], steps: list[LogForm]) -> dict[int, float]:
    """``start``'s coefficients with each step's operation applied, in order, as the eager
    algebra did it: ``a * k`` for a factor, ``coefs.get(c, 0.0) + sign * a`` for a sum, new
    columns after the known ones.

    Sums alone update one dictionary in place. With factors among the steps the values sit in
    one float64 buffer (IEEE arithmetic, as with Python floats), so that a factor is one
    vectorised multiply (a chain of powers scales every earlier term again) and a sum of many
    terms one vectorised add.
    """
    _copies[0] += 1
    if all(step._other is not None for step in steps):
        coefs = dict(start)
        for step in steps:
            assert step._other is not None
            other, sign = step._other._coefs, step._sign
            assert other is not None
            for column, coef in other.items():
                coefs[column] = coefs.get(column, 0.0) + sign * coef
        return coefs
    index = {column: i for i, column in enumerate(start)}
    count = len(start)
    values = np.empty(max(16, 2 * count), dtype=np.float64)
    values[:count] = np.fromiter(start.values(), dtype=np.float64, count=count)
    for step in steps:
        if step._other is None:
            values[:count] *= step._factor
            continue
        other = step._other._coefs
        assert other is not None
        terms = np.fromiter(other.values(), dtype=np.float64, count=len(other)) * step._sign
        where = np.fromiter((index.get(c, -1) for c in other), dtype=np.intp, count=len(other))
        known = where >= 0
        values[where[known]] += terms[known]  # each column once: elementwise sums
        added = [c for c, i in zip(other, where.tolist(), strict=True) if i < 0]
        if added:
            if count + len(added) > values.size:
                grown = np.empty(2 * (count + len(added)), dtype=np.float64)
                grown[:count] = values[:count]
                values = grown
            index.update(zip(added, range(count, count + len(added)), strict=True))
            values[count : count + len(added)] = 0.0 + terms[~known]
            count += len(added)
    return dict(zip(index, values[:count].tolist(), strict=True))


def log_form(
    item: Uncertain, columns: dict[int, int], forms: dict[int, LogForm | None]
) -> tuple[LogForm | None, str | None]:
    """The node's log form, or None and (for the node that breaks it) the reason.

    ``forms`` holds the forms of the node's arguments (nodes are visited inputs first).
    """
    node = item.node
    if isinstance(node, Leaf):
        params = node.dist.log_params()
        if params is None:
            return None, f"input {item.describe()} is {node.dist.kind}, not lognormal"
        mu, sigma = params
        return (LogForm(mu, {columns[id(node)]: sigma}) if sigma else LogForm(mu)), None
    if isinstance(node, Mix):
        return None, "a mixture"
    args = [forms[id(arg.node)] for arg in node.args]
    if any(form is None for form in args):
        return None, None  # the reason sits on the argument
    return _combined(node.op, node.param, [form for form in args if form is not None])


def _combined(op: Op, param: float, args: list[LogForm]) -> tuple[LogForm | None, str | None]:
    """The form of ``op`` applied to arguments that all have one."""
    first = args[0]
    if op is Op.MUL or op is Op.DIV:
        return first.plus(args[1], 1.0 if op is Op.MUL else -1.0), None
    if op is Op.POW:
        return first.scaled(param), None
    if op is Op.SQRT:
        return first.scaled(0.5), None
    if op is Op.SCALE and param > 0:
        return first.plus(LogForm(math.log(param))), None
    if op is Op.CHECK:
        return None, "a domain check on a derived argument (checked sample by sample)"
    return None, f"operation {op.value!r}"
