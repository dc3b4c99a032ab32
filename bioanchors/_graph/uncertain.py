"""Uncertain quantities: lazy graph nodes that carry a pint unit.

Arithmetic on :class:`Uncertain` builds a graph and checks units at once; nothing is sampled
until :meth:`Uncertain.estimate` or :meth:`Uncertain.sample` is called. One evaluation draws
each input once, so a quantity used twice is the same draw: ``x / x`` is exactly 1 and
``x - x`` exactly 0 in every sample. An Uncertain is immutable: ``.to(unit)``, ``.named(name)``
and arithmetic give new ones.

>>> import bioanchors as ba
>>> neurons = ba.between(78e9, 94e9, "neuron")
>>> rate = ba.point(1e8, "FLOP / neuron / s")
>>> total = neurons * rate
>>> total.unit
<Unit('FLOP / second')>
>>> neurons + ba.point(1, "synapse")
Traceback (most recent call last):
...
pint.errors.DimensionalityError: Cannot convert from 'synapse' ([synapse]) to 'neuron' ([neuron])

``sample`` and ``estimate`` are a facade over the engine, imported when called: the one
import that points up the layers. Node types and stream keys are re-exported here.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, TypeAlias

import pint
import pint.compat

from bioanchors._graph.display import expression, pad_only
from bioanchors._graph.distributions import Point
from bioanchors._graph.finite import finite as _finite
from bioanchors._graph.nodes import (
    Apply,
    CorrelationGroup,
    DomainCheck,
    Leaf,
    Mix,
    Op,
    QuantileFit,
    children,
    rekeyed,
    walk,
)
from bioanchors._graph.refusals import Refusals
from bioanchors._graph.streams import StreamKey, digest, label_key, new_key, reset_stream_ordinals
from bioanchors._typing import UnitLike
from bioanchors._units.arithmetic import (
    dimensionless,
    exponent_magnitude,
    offset_sum,
    require_dimensionless,
    scalar_magnitude,
    unit_power,
)
from bioanchors._units.registry import (
    Quantity,
    affine,
    as_unit,
    check_arithmetic,
    conversion_factor,
    format_unit,
    get_registry,
    is_offset,
)
from bioanchors.errors import InvalidInputError, OperandError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors._engine.options import Progress
    from bioanchors._results.estimate import Estimate
    from bioanchors._typing import Method

__all__ = [
    "Apply",
    "CorrelationGroup",
    "DomainCheck",
    "Leaf",
    "Mix",
    "Node",
    "Op",
    "Operand",
    "QuantileFit",
    "StreamKey",
    "Uncertain",
    "as_uncertain",
    "children",
    "digest",
    "label_key",
    "new_key",
    "reset_stream_ordinals",
    "walk",
]

Node: TypeAlias = "Leaf | Apply[Uncertain] | Mix[Uncertain]"
"""What an :class:`Uncertain` wraps: an input, an operation or a mixture."""
Operand: TypeAlias = "Uncertain | float | int | Quantity"
"""What arithmetic with an Uncertain accepts on the other side."""


def _multiplicative(op: Op, left: Uncertain, right: Uncertain) -> Uncertain:
    """``left * right`` or ``left / right``; pint refuses offset units here (``degC * 2``)."""
    if is_offset(left.unit) or is_offset(right.unit):
        check_arithmetic(op.value, left.unit, right.unit)
    unit = left.unit * right.unit if op is Op.MUL else left.unit / right.unit
    return Uncertain(Apply(op, (left, right)), unit)


def _additive(op: Op, left: Uncertain, right: Uncertain) -> Uncertain:
    """``left op right`` for + and -: the right side is converted to the left side's unit.

    With offset units (degC, degF) the result is what pint gives
    (:func:`~bioanchors._units.arithmetic.offset_sum`): ``degC + K`` is refused,
    ``degC - degC`` is a ``delta_degC``, ``degC + delta_degC`` a ``degC``.
    """
    if is_offset(left.unit) or is_offset(right.unit):
        rule = offset_sum("+" if op is Op.ADD else "-", left.unit, right.unit)
        unit = rule.unit
        terms = Uncertain(Apply(Op.SCALE, (left,), rule.left_coef), unit)
        scaled_right = Uncertain(Apply(Op.SCALE, (right,), rule.right_coef), unit)
        terms = Uncertain(Apply(Op.ADD, (terms, scaled_right)), unit)
        if rule.constant != 0.0:
            constant = Uncertain.constant(rule.constant, unit)
            terms = Uncertain(Apply(Op.ADD, (terms, constant)), unit)
        return terms
    factor = conversion_factor(right.unit, left.unit)  # DimensionalityError on a mismatch
    if factor != 1.0:
        right = Uncertain(Apply(Op.SCALE, (right,), factor), left.unit)
    return Uncertain(Apply(op, (left, right)), left.unit)


def _binary(op: Op, *, reflected: bool = False) -> Callable[[Uncertain, Operand], Uncertain]:
    """The method for ``self op other`` (or ``other op self`` when ``reflected``)."""
    rule = _additive if op in (Op.ADD, Op.SUB) else _multiplicative

    def reflected_operator(self: Uncertain, other: Operand) -> Uncertain:
        return rule(op, as_uncertain(other), self)

    def operator(self: Uncertain, other: Operand) -> Uncertain:
        return rule(op, self, as_uncertain(other))

    return reflected_operator if reflected else operator


class Uncertain(Refusals):
    """An uncertain quantity with a unit: a node of a lazy computation graph.

    Build them with :func:`bioanchors.between`, :func:`bioanchors.lognormal` and friends, and
    combine them with ``+ - * / **``. ``name`` is for display only; it never changes a draw.
    Immutable: assigning an attribute raises :class:`~bioanchors.errors.FrozenValueError`.
    """

    __slots__ = ("name", "node", "unit")

    node: Node
    unit: pint.Unit
    name: str | None

    # numpy must hand ``array * u`` back to us instead of building an object array.
    __array_ufunc__ = None

    def __init__(self, node: Node, unit: pint.Unit, name: str | None = None) -> None:
        # Straight to the slots (the fastest way past __setattr__, on the graph-building path).
        _set_node(self, node)
        _set_unit(self, unit)
        _set_name(self, name)

    def __reduce__(self) -> tuple[type[Uncertain], tuple[Node, pint.Unit, str | None]]:
        return Uncertain, (self.node, self.unit, self.name)

    # -- construction helpers -------------------------------------------------------------
    @classmethod
    def constant(cls, value: float, unit: UnitLike = None) -> Uncertain:
        """A known value (no uncertainty)."""
        value = _finite(value, "constant")
        return cls(Leaf(Point(value=value)), as_unit(unit))

    def named(self, name: str) -> Uncertain:
        """The same quantity (the same draws) under a display name."""
        return Uncertain(self.node, self.unit, name)

    def keyed(self, label: str) -> Uncertain:
        """A new input with this one's distribution, drawn from the stream named ``label``.

        Every input draws from a random stream of its own, made when the input is made, so
        two inputs built alike are independent. An input keyed by a label draws the same
        numbers for the same seed wherever and whenever it is built (scenario steps are keyed
        by scenario and step name, so loading a scenario twice gives the same numbers).
        Inputs keyed alike are one random variable (comonotone if their distributions differ).

        >>> import bioanchors as ba
        >>> a = ba.between(1, 10).keyed("my-model/a")
        >>> b = ba.between(1, 10).keyed("my-model/a")
        >>> bool((a.sample(5, seed=1) == b.sample(5, seed=1)).all())
        True
        """
        node = self.node
        if not isinstance(node, Leaf | Mix):
            raise InvalidInputError(
                f"keyed: only an input (or a mixture) has a random stream of its own, got "
                f"{self.describe()!r}; key its inputs instead"
            )
        new = rekeyed(node, label)
        return self if new is node else Uncertain(new, self.unit, self.name)

    # -- units ----------------------------------------------------------------------------
    def to(self, unit: UnitLike) -> Uncertain:
        """The same quantity in another unit of the same dimension.

        >>> import bioanchors as ba
        >>> ba.point(2e15, "FLOP/s").to("PFLOP/s").unit
        <Unit('petaFLOP / second')>
        """
        target = as_unit(unit)
        scale, offset = affine(self.unit, target)  # pint's conversion: 37 degC is 310.15 K
        if (scale, offset) == (1.0, 0.0):
            return Uncertain(self.node, target, self.name)
        scaled = Uncertain(Apply(Op.SCALE, (self,), scale), target, self.name)
        if offset == 0.0:
            return scaled
        shift = Uncertain.constant(offset, target)
        return Uncertain(Apply(Op.ADD, (scaled, shift)), target, self.name)

    # -- arithmetic: each rule written once (below the class), the dunders spelled out --------
    __add__ = _binary(Op.ADD)
    __radd__ = _binary(Op.ADD, reflected=True)
    __sub__ = _binary(Op.SUB)
    __rsub__ = _binary(Op.SUB, reflected=True)
    __mul__ = _binary(Op.MUL)
    __rmul__ = _binary(Op.MUL, reflected=True)
    __truediv__ = _binary(Op.DIV)
    __rtruediv__ = _binary(Op.DIV, reflected=True)

    def __pow__(self, exponent: Operand) -> Uncertain:
        return _power(self, exponent)

    def __rpow__(self, base: Operand) -> Uncertain:
        return _power(as_uncertain(base), self)

    def __neg__(self) -> Uncertain:
        if is_offset(self.unit):
            check_arithmetic("neg", self.unit)
        return Uncertain(Apply(Op.NEG, (self,)), self.unit)

    def __pos__(self) -> Uncertain:
        return self

    # Identity semantics: two nodes are the same quantity only if they are the same object.
    __hash__ = object.__hash__

    # -- evaluation -----------------------------------------------------------------------
    def sample(
        self, n: int, *, seed: int = 0, method: Method = "mc", chunk_size: int | None = None
    ) -> Quantity:
        """Draw ``n`` samples (a 1-D pint Quantity in this node's unit).

        ``method`` is ``"mc"`` (pseudo-random) or ``"qmc"`` (scrambled Sobol). The same seed, n,
        method and chunk size give the same numbers. Each call is one evaluation: two separate
        calls with one seed reuse the same normal scores, so draw quantities you want to
        compare sample by sample in one call (``bioanchors._engine.draw.draw_many([a, b], n)``)
        or combine them in one graph first.
        """
        from bioanchors._engine.draw import draw

        values = draw(self, n, seed=seed, method=method, chunk_size=chunk_size)
        return get_registry().Quantity(values, self.unit)

    def estimate(
        self,
        n: int = 100_000,
        *,
        seed: int = 0,
        method: str = "auto",
        chunk_size: int | None = None,
        executor: Executor | None = None,
        max_in_memory: int | None = None,
        progress: Progress | None = None,
    ) -> Estimate:
        """Summarise the distribution of this quantity.

        ``method``: ``"auto"`` (closed form when the graph is a product of lognormals and
        constants, else Monte Carlo), ``"analytic"`` (closed form or an error naming the node
        that prevents it), ``"mc"`` or ``"qmc"``. Large ``n`` is evaluated in chunks of
        ``chunk_size`` samples; ``executor`` (any ``concurrent.futures.Executor``) evaluates
        chunks in parallel with the same numbers. Above ``max_in_memory`` samples (default
        2**24) the estimate is streamed: memory stays bounded and percentiles are within a
        relative 2**-10 (see ``docs/performance.md``). ``progress(done, total)`` is called
        after each chunk (the command line draws a progress bar with it).

        >>> import bioanchors as ba
        >>> est = ba.between(1e14, 1e16, "FLOP/s").estimate()
        >>> est.method, str(est)
        ('analytic', '1.0e15 FLOP/s (90% CI 1.0e14 – 1.0e16)')
        """
        from bioanchors._engine.options import SamplingOptions
        from bioanchors._results.run import run_estimate

        options = SamplingOptions.of(
            n,
            seed=seed,
            method=method,
            chunk_size=chunk_size,
            executor=executor,
            max_in_memory=max_in_memory,
            progress=progress,
        )
        return run_estimate(self, options)

    def walk(self) -> Iterator[Uncertain]:
        """Every node of the graph below and including this one, each once, inputs first."""
        return iter(walk([self]))

    def inputs(self) -> list[Uncertain]:
        """The uncertain inputs (leaves that are not constants) this quantity depends on."""
        return [
            node
            for node in self.walk()
            if isinstance(node.node, Leaf) and not isinstance(node.node.dist, Point)
        ]

    def __repr__(self) -> str:
        return f"<Uncertain {self.describe()} [{format_unit(self.unit) or 'dimensionless'}]>"

    def __format__(self, spec: str) -> str:
        hint = "an uncertain value has no one number; format its estimate: f'{u.estimate():.2e}'"
        return pad_only(repr(self), spec, "an Uncertain", hint)

    def describe(self) -> str:
        """A short text for the node: its name, else its expression (``a * lognormal(...)``,
        at most 100 characters; see :func:`~bioanchors._graph.display.expression`)."""
        return self.name or expression(self, limit=100)


_set_node = Uncertain.__dict__["node"].__set__
_set_unit = Uncertain.__dict__["unit"].__set__
_set_name = Uncertain.__dict__["name"].__set__

# pint returns NotImplemented for ``Quantity * Uncertain``, so that Python falls back to
# Uncertain.__rmul__ (pint's mechanism for wrapper types, "upcast types"). pint finds them by
# fully qualified name, so the name is read off the class (it follows the class if it moves).
_UPCAST_NAME = f"{Uncertain.__module__}.{Uncertain.__qualname__}"
if _UPCAST_NAME not in pint.compat.upcast_type_names:
    pint.compat.upcast_type_names = (*pint.compat.upcast_type_names, _UPCAST_NAME)  # type: ignore[assignment]
pint.compat.upcast_type_map[_UPCAST_NAME] = Uncertain  # type: ignore[index]


def as_uncertain(value: Operand) -> Uncertain:
    """``value`` as an :class:`Uncertain`: itself if it is one, else a constant node.

    Plain numbers become dimensionless constants and scalar pint Quantities keep their unit;
    anything else (strings, arrays, booleans, non-finite numbers) is refused. Domain formulas
    call it on each argument so that they accept numbers, Quantities and uncertain values alike.

    >>> import bioanchors as ba
    >>> ba.as_uncertain(ba.Q_(3.0, "neuron")).estimate().median
    <Quantity(3.0, 'neuron')>
    """
    if isinstance(value, Uncertain):
        return value
    if isinstance(value, pint.Quantity):
        magnitude = scalar_magnitude(value)  # refuses arrays
        return Uncertain.constant(_finite(magnitude, "a quantity"), as_unit(str(value.units)))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Uncertain.constant(value)  # constant() refuses non-finite and huge values
    raise OperandError(
        f"cannot combine an uncertain quantity with {type(value).__name__} {value!r}; expected "
        "a number, a pint Quantity or another uncertain quantity"
    )


def _power(base: Uncertain, exponent: Operand) -> Uncertain:
    if isinstance(exponent, Uncertain):
        if isinstance(exponent.node, Leaf) and isinstance(exponent.node.dist, Point):
            factor = conversion_factor(exponent.unit, dimensionless()) if exponent.unit else 1.0
            return _power(base, exponent.node.dist.value * factor)
        require_dimensionless(base.unit, "the base of a power with an uncertain exponent")
        require_dimensionless(exponent.unit, "an uncertain exponent")
        return Uncertain(Apply(Op.POW_UNCERTAIN, (plain(base), plain(exponent))), dimensionless())
    # pint's conversion of a Quantity: 2000 ms/s is the number 2, not 2000
    number = exponent_magnitude(exponent) if isinstance(exponent, pint.Quantity) else exponent
    power = _finite(number, "exponent")
    if is_offset(base.unit):
        check_arithmetic("**", base.unit, power=power)
    return Uncertain(Apply(Op.POW, (base,), power), unit_power(base.unit, power))


def plain(item: Uncertain) -> Uncertain:
    """A dimensionless node in plain numbers (``ms/s`` becomes a factor of 1e-3)."""
    target = dimensionless()
    return item if item.unit == target else item.to(target)
