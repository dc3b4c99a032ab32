"""Log-space algebra: products, quotients and powers of lognormals as one linear form.

A product of lognormals and positive constants is ``exp(c + sum_i a_i * z_i)`` for the normal
scores ``z_i`` of its inputs. :class:`LogForm` holds ``(c, {column: a_i})``; :func:`log_form`
finds a node's form from its arguments' forms, or says why it has none. The engine evaluates
such a sub-graph as one matrix-vector product, and the closed form of a whole graph
(:func:`bioanchors._engine.plan.analytic_lognormal`) reads its ``mu`` and ``sigma`` from it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from bioanchors._graph.uncertain import Leaf, Mix, Op, Uncertain

__all__ = ["LogForm", "log_form"]


@dataclass(frozen=True)
class LogForm:
    """``log(value) = const + sum(coef * z[column])``: a product of lognormals and constants."""

    const: float
    coefs: dict[int, float] = field(default_factory=dict)

    def scaled(self, k: float) -> LogForm:
        return LogForm(self.const * k, {c: a * k for c, a in self.coefs.items()})

    def plus(self, other: LogForm, sign: float = 1.0) -> LogForm:
        coefs = dict(self.coefs)
        for column, coef in other.coefs.items():
            coefs[column] = coefs.get(column, 0.0) + sign * coef
        return LogForm(self.const + sign * other.const, coefs)


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
