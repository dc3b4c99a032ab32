"""One input of a built graph swapped for another, and graphs compared node by node.

A sweep (:mod:`bioanchors._scenarios.sweep`) asks for ``scenario.with_inputs(step=value)``
at many values. Rebuilding every step from its file for each value costs far more than
drawing the samples at small ``n``, so, where it is safe, the sweep builds the variant twice
and derives the others by :func:`substituted`: the first variant's output graph with the swept
input's node replaced, every node not above it shared (the same objects, so the same draws).

:func:`same_graph` is the check that this is what building gives: the second real variant
must equal the first one substituted, node by node, every distribution, key, operation,
parameter, unit and name alike. A constant that the builder derived from the value (an
exponent, say) differs between the two values and fails it.

>>> import bioanchors as ba
>>> a, k = ba.point(2.0), ba.lognormal(1, 2)
>>> b = ba.point(3.0)
>>> same_graph(substituted(a * k + 1, a.node, b.node), b * k + 1)
True
>>> same_graph(substituted(a ** 2, a.node, b.node), b ** 2), same_graph(k ** a, k ** b)
(True, False)
"""

from __future__ import annotations

from dataclasses import replace

from bioanchors._graph.nodes import Apply, CorrelationGroup, Leaf, Mix, children
from bioanchors._graph.uncertain import Node, Uncertain, walk

__all__ = ["Substitution", "same_graph", "substituted"]


def substituted(output: Uncertain, old: Node, new: Node) -> Uncertain:
    """``output`` with node ``old`` replaced by ``new`` wherever it occurs: the nodes above it
    rebuilt with the same operation, parameters, units and names, every other node shared."""
    return Substitution(output, old).into(new)


class Substitution:
    """:func:`substituted` for many new nodes: the graph is walked once, and each
    :meth:`into` rebuilds only the nodes above ``old``."""

    __slots__ = ("_above", "_old", "_output")

    def __init__(self, output: Uncertain, old: Node) -> None:
        self._output, self._old = output, old
        moved = {id(old)}
        self._above: list[Apply[Uncertain] | Mix[Uncertain]] = []  # inputs first
        for item in walk([output]):
            node = item.node
            if isinstance(node, Apply | Mix) and any(id(c.node) in moved for c in children(item)):
                moved.add(id(node))
                self._above.append(node)

    def into(self, new: Node) -> Uncertain:
        """The output with ``old`` replaced by ``new``."""
        nodes: dict[int, Node] = {id(self._old): new}

        def swapped(values: tuple[Uncertain, ...]) -> tuple[Uncertain, ...]:
            return tuple(
                Uncertain(nodes[id(v.node)], v.unit, v.name) if id(v.node) in nodes else v
                for v in values
            )

        for node in self._above:
            if isinstance(node, Apply):
                nodes[id(node)] = replace(node, args=swapped(node.args))
            else:
                nodes[id(node)] = replace(node, components=swapped(node.components))
        output = self._output
        top = nodes.get(id(output.node))
        return output if top is None else Uncertain(top, output.unit, output.name)


def same_graph(a: Uncertain, b: Uncertain) -> bool:
    """True when the graphs below ``a`` and ``b`` are alike node for node: the same shape,
    operations, parameters (bit for bit), distributions, stream keys, correlation groups,
    units and names."""
    paired: dict[int, int] = {}  # id(node of a) -> id(node of b) already matched
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if x.unit != y.unit or x.name != y.name:
            return False
        left, right = x.node, y.node
        seen = paired.get(id(left))
        if seen is not None:
            if seen != id(right):
                return False
            continue
        paired[id(left)] = id(right)
        if isinstance(left, Leaf) and isinstance(right, Leaf):
            if not _same_leaf(left, right):
                return False
        elif isinstance(left, Apply) and isinstance(right, Apply):
            if (
                left.op is not right.op
                or left.param.hex() != right.param.hex()
                or left.check != right.check
                or len(left.args) != len(right.args)
            ):
                return False
            stack.extend(zip(left.args, right.args, strict=True))
        elif isinstance(left, Mix) and isinstance(right, Mix):
            if (
                left.weights != right.weights
                or left.key != right.key
                or len(left.components) != len(right.components)
            ):
                return False
            stack.extend(zip(left.components, right.components, strict=True))
        else:
            return False
    return True


def _same_leaf(left: Leaf, right: Leaf) -> bool:
    return (
        type(left.dist) is type(right.dist)
        and left.dist == right.dist
        and left.key == right.key
        and left.group_index == right.group_index
        and _same_group(left.group, right.group)
        and left.fit == right.fit
        and left.citation == right.citation
    )


def _same_group(left: CorrelationGroup | None, right: CorrelationGroup | None) -> bool:
    if left is None or right is None:
        return left is right
    return (left.matrix, left.size, left.key) == (right.matrix, right.size, right.key)
