"""Uncertain quantities: lazy graph nodes that carry a pint unit.

Arithmetic on :class:`Uncertain` builds a graph and checks units at once; nothing is sampled
until :meth:`Uncertain.estimate` or :meth:`Uncertain.sample` is called. One evaluation draws
each input once, so a quantity used twice is the same draw: ``x / x`` is exactly 1 and
``x - x`` exactly 0 in every sample.

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
"""

from __future__ import annotations

import enum
import hashlib
import math
import numbers
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any, TypeAlias

import numpy as np
import pint
from numpy.typing import NDArray

from bioanchors._graph.distributions import Distribution, Point
from bioanchors._units.registry import (
    Quantity,
    affine,
    as_unit,
    check_arithmetic,
    conversion_factor,
    format_unit,
    get_registry,
    is_offset,
    result_unit,
)
from bioanchors.errors import InvalidInputError, OperandError, UncertainValueError

if TYPE_CHECKING:
    from concurrent.futures import Executor

    from bioanchors._engine.options import Progress
    from bioanchors._graph.inputs import CorrelationGroup, QuantileFit
    from bioanchors._results.estimate import Estimate
    from bioanchors._typing import Method

__all__ = [
    "Apply",
    "Leaf",
    "Mix",
    "Op",
    "Operand",
    "Uncertain",
    "exp",
    "log",
    "log10",
    "maximum",
    "minimum",
    "sqrt",
]


class Op(enum.Enum):
    """Operations a graph node can apply to its arguments."""

    ADD = "+"
    SUB = "-"
    MUL = "*"
    DIV = "/"
    POW = "**"  # constant exponent, stored in Apply.param
    POW_UNCERTAIN = "**~"  # dimensionless base and exponent
    NEG = "neg"
    SCALE = "scale"  # multiply by the constant Apply.param (unit conversions)
    SQRT = "sqrt"
    EXP = "exp"
    LOG = "log"
    LOG10 = "log10"
    MIN = "min"
    MAX = "max"
    CHECK = "check"  # the argument itself, after checking its samples lie in Apply.check


@dataclass(frozen=True)
class DomainCheck:
    """Where a derived argument's samples must lie (in its own unit), checked when sampled."""

    lo: float
    hi: float
    lo_open: bool
    hi_open: bool
    label: str  # "useful_fraction: fraction must lie in (0, 1]"

    def violations(self, values: NDArray[np.float64]) -> NDArray[np.bool_]:
        above = values > self.lo if self.lo_open else values >= self.lo
        below = values < self.hi if self.hi_open else values <= self.hi
        return ~(above & below)


StreamKey: TypeAlias = tuple[int, ...]
"""Names an input's random stream: its normal scores are drawn from
``numpy.random.SeedSequence(seed, spawn_key=(*key, chunk))``."""

_AUTO_KEY = 1  # first element of a key made at construction: (1, content digest, ordinal)
_LABEL_KEY = 2  # first element of a key given by a label: (2, label digest)
_ordinals: dict[int, int] = {}
_ordinals_lock = threading.Lock()


def digest(*parts: object) -> int:
    """A stable 64-bit digest of the parts' text (the same in every process and run)."""
    text = "\x1f".join(str(part) for part in parts).encode()
    return int.from_bytes(hashlib.blake2b(text, digest_size=8).digest(), "big")


def new_key(*content: object) -> StreamKey:
    """A fresh stream key for a new input: its content's digest and how many inputs with the
    same content this process made before it.

    So two inputs built alike are two independent random variables (like two draws from a
    generator), while a program that builds its inputs in the same order gets the same keys,
    and so the same numbers, in every run.
    """
    content_digest = digest(*content)
    with _ordinals_lock:
        ordinal = _ordinals.get(content_digest, 0)
        _ordinals[content_digest] = ordinal + 1
    return (_AUTO_KEY, content_digest, ordinal)


def reset_stream_ordinals() -> None:
    """Forget how many inputs this process made: new inputs get the keys they would get in a
    new interpreter (the documentation's examples run this way). Inputs made before keep
    their keys, so an old and a new input built alike may then share a stream."""
    with _ordinals_lock:
        _ordinals.clear()


def label_key(label: str) -> StreamKey:
    """The stream key of an input named by ``label`` (see :meth:`Uncertain.keyed`)."""
    return (_LABEL_KEY, digest(label))


@dataclass(frozen=True, eq=False)
class Leaf:
    """An input: one distribution, drawn once per evaluation from its own random stream.

    ``key`` names that stream (a new one for every input made, unless given).
    """

    dist: Distribution
    group: CorrelationGroup | None = None
    group_index: int = -1
    fit: QuantileFit | None = None
    citation: str | None = None
    key: StreamKey = ()

    def __post_init__(self) -> None:
        if not self.key and not isinstance(self.dist, Point):
            object.__setattr__(self, "key", new_key("leaf", repr(self.dist.model_dump()), ""))


@dataclass(frozen=True, eq=False)
class Apply:
    """An operation on other nodes."""

    op: Op
    args: tuple[Uncertain, ...]
    param: float = 0.0
    check: DomainCheck | None = None


@dataclass(frozen=True, eq=False)
class Mix:
    """A mixture of (possibly derived) quantities: each sample takes one component."""

    components: tuple[Uncertain, ...]
    weights: tuple[float, ...]
    key: StreamKey = ()  # the stream that picks each sample's component

    def __post_init__(self) -> None:
        if not self.key:
            object.__setattr__(self, "key", new_key("mix", self.weights, len(self.components)))


Node: TypeAlias = Leaf | Apply | Mix
Operand: TypeAlias = "Uncertain | float | int | Quantity"
"""What arithmetic with an Uncertain accepts on the other side."""


_REFUSAL = (
    "an uncertain quantity has no single {what}; use .estimate() and read .median, "
    ".percentile(q) or .prob_above(x) from the result"
)


@dataclass(eq=False)
class Uncertain:
    """An uncertain quantity with a unit: a node of a lazy computation graph.

    Build them with :func:`bioanchors.between`, :func:`bioanchors.lognormal` and friends, and
    combine them with ``+ - * / **``. ``name`` is for display only; it never changes a draw.
    """

    node: Node
    unit: pint.Unit
    name: str | None = field(default=None)

    # numpy must hand ``array * u`` back to us instead of building an object array.
    __array_ufunc__ = None

    # -- construction helpers -------------------------------------------------------------
    @classmethod
    def constant(cls, value: float, unit: Any = None) -> Uncertain:
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
        if isinstance(node, Leaf) and node.group is not None:
            raise InvalidInputError(
                "keyed: a correlated input draws from its group's stream; key the inputs "
                "before correlating them"
            )
        if isinstance(node, Leaf) and isinstance(node.dist, Point):
            return self
        if not isinstance(label, str) or not label:
            raise InvalidInputError(f"keyed: expected a non-empty label, got {label!r}")
        return Uncertain(replace(node, key=label_key(label)), self.unit, self.name)

    # -- units ----------------------------------------------------------------------------
    def to(self, unit: Any) -> Uncertain:
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

    # -- arithmetic -----------------------------------------------------------------------
    def __add__(self, other: Operand) -> Uncertain:
        return _additive(Op.ADD, self, as_uncertain(other))

    def __radd__(self, other: Operand) -> Uncertain:
        return _additive(Op.ADD, as_uncertain(other), self)

    def __sub__(self, other: Operand) -> Uncertain:
        return _additive(Op.SUB, self, as_uncertain(other))

    def __rsub__(self, other: Operand) -> Uncertain:
        return _additive(Op.SUB, as_uncertain(other), self)

    def __mul__(self, other: Operand) -> Uncertain:
        return _multiplicative(Op.MUL, self, as_uncertain(other))

    def __rmul__(self, other: Operand) -> Uncertain:
        return _multiplicative(Op.MUL, as_uncertain(other), self)

    def __truediv__(self, other: Operand) -> Uncertain:
        return _multiplicative(Op.DIV, self, as_uncertain(other))

    def __rtruediv__(self, other: Operand) -> Uncertain:
        return _multiplicative(Op.DIV, as_uncertain(other), self)

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

    # -- refusals -------------------------------------------------------------------------
    def __float__(self) -> float:
        raise UncertainValueError(_REFUSAL.format(what="float value"))

    def __int__(self) -> int:
        raise UncertainValueError(_REFUSAL.format(what="integer value"))

    def __index__(self) -> int:
        raise UncertainValueError(_REFUSAL.format(what="integer value"))

    def __bool__(self) -> bool:
        raise UncertainValueError(
            "an uncertain quantity is neither true nor false; use .estimate() and compare its "
            "percentiles, or .prob_above(x) for the probability of exceeding x"
        )

    def _compare(self, other: object) -> bool:
        raise UncertainValueError(
            "uncertain quantities cannot be ordered with <, <=, >, >=; use "
            "bioanchors.prob_greater(a, b) for P(a > b) from one joint draw, "
            ".estimate().prob_above(x) for P(value > x), or compare percentiles of .estimate()"
        )

    __lt__ = __le__ = __gt__ = __ge__ = _compare

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
        compare sample by sample in one call (``bioanchors._engine.draw_many([a, b], n)``)
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

    def describe(self) -> str:
        """A short text for the node: its name, its distribution or its operation."""
        if self.name:
            return self.name
        node = self.node
        if isinstance(node, Leaf):
            return _describe_dist(node.dist)
        if isinstance(node, Mix):
            return f"mixture of {len(node.components)}"
        if node.op is Op.SCALE:
            return node.args[0].describe()
        symbols = (Op.ADD, Op.SUB, Op.MUL, Op.DIV, Op.POW)
        return node.op.value if node.op in symbols else f"{node.op.value}(...)"


def walk(roots: Iterable[Uncertain]) -> list[Uncertain]:
    """Every node below the roots, each once (by identity of its node), inputs first."""
    seen: set[int] = set()
    order: list[Uncertain] = []
    stack: list[tuple[Uncertain, bool]] = [(root, False) for root in reversed(list(roots))]
    while stack:
        item, expanded = stack.pop()
        if expanded:
            order.append(item)
            continue
        key = id(item.node)
        if key in seen:
            continue
        seen.add(key)
        stack.append((item, True))
        stack.extend((child, False) for child in reversed(children(item)))
    return order


def children(item: Uncertain) -> tuple[Uncertain, ...]:
    """The direct arguments of a node (none for an input)."""
    node = item.node
    if isinstance(node, Apply):
        return node.args
    if isinstance(node, Mix):
        return node.components
    return ()


def _describe_dist(dist: Distribution) -> str:
    fields = dist.model_dump(exclude={"kind", "components"})
    text = ", ".join(f"{k}={_short(v)}" for k, v in fields.items() if not isinstance(v, tuple))
    return f"{dist.kind}({text})"


def _short(value: Any) -> str:
    return f"{value:.3g}" if isinstance(value, float) else str(value)


def _finite(value: Any, what: str) -> float:
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise InvalidInputError(f"{what}: expected a real number, got {value!r}")
    try:
        number = float(value)
    except OverflowError:
        raise InvalidInputError(
            f"{what}: {_abbreviated(value)} is too large for a float (largest 1.8e308)"
        ) from None
    if not math.isfinite(number):
        raise InvalidInputError(f"{what}: expected a finite number, got {value!r}")
    return number


def _abbreviated(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else f"{text[:20]}...({len(text)} digits)"


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
        magnitude = value.magnitude
        if np.ndim(magnitude) != 0:
            raise InvalidInputError(
                f"expected a scalar quantity, got an array of shape {np.shape(magnitude)}; "
                "use a distribution to describe many values"
            )
        return Uncertain.constant(_finite(magnitude, "a quantity"), as_unit(str(value.units)))
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        return Uncertain.constant(value)  # constant() refuses non-finite and huge values
    raise OperandError(
        f"cannot combine an uncertain quantity with {type(value).__name__} {value!r}; expected "
        "a number, a pint Quantity or another uncertain quantity"
    )


def _multiplicative(op: Op, left: Uncertain, right: Uncertain) -> Uncertain:
    """``left * right`` or ``left / right``; pint refuses offset units here (``degC * 2``)."""
    if is_offset(left.unit) or is_offset(right.unit):
        check_arithmetic(op.value, left.unit, right.unit)
    unit = left.unit * right.unit if op is Op.MUL else left.unit / right.unit
    return Uncertain(Apply(op, (left, right)), unit)


def _additive(op: Op, left: Uncertain, right: Uncertain) -> Uncertain:
    """``left op right`` for + and -: the right side is converted to the left side's unit.

    With offset units (degC, degF) the result is what pint gives: ``degC + K`` is refused,
    ``degC - degC`` is a ``delta_degC``, ``degC + delta_degC`` a ``degC``. pint's answer is
    affine in both magnitudes, ``a * left + b * right + c``, so it is read off pint at three
    points and applied to the samples.
    """
    if is_offset(left.unit) or is_offset(right.unit):
        return _offset_additive(op, left, right)
    factor = conversion_factor(right.unit, left.unit)  # DimensionalityError on a mismatch
    if factor != 1.0:
        right = Uncertain(Apply(Op.SCALE, (right,), factor), left.unit)
    return Uncertain(Apply(op, (left, right)), left.unit)


def _offset_additive(op: Op, left: Uncertain, right: Uncertain) -> Uncertain:
    check_arithmetic(op.value, left.unit, right.unit)  # OffsetUnitCalculusError where pint is
    unit = result_unit(op.value, left.unit, right.unit)
    registry = get_registry()

    def pint_value(x: float, y: float) -> float:
        a, b = registry.Quantity(x, left.unit), registry.Quantity(y, right.unit)
        result = a + b if op is Op.ADD else a - b
        return float(result.to(unit).magnitude)

    constant = pint_value(0.0, 0.0)
    left_coef = pint_value(1.0, 0.0) - constant
    right_coef = pint_value(0.0, 1.0) - constant
    terms = Uncertain(Apply(Op.SCALE, (left,), left_coef), unit)
    scaled_right = Uncertain(Apply(Op.SCALE, (right,), right_coef), unit)
    terms = Uncertain(Apply(Op.ADD, (terms, scaled_right)), unit)
    if constant != 0.0:
        terms = Uncertain(Apply(Op.ADD, (terms, Uncertain.constant(constant, unit))), unit)
    return terms


def _power(base: Uncertain, exponent: Operand) -> Uncertain:
    if isinstance(exponent, Uncertain):
        if isinstance(exponent.node, Leaf) and isinstance(exponent.node.dist, Point):
            return _power(base, exponent.node.dist.value * _dimensionless_factor(exponent))
        _require_dimensionless(base, "the base of a power with an uncertain exponent")
        _require_dimensionless(exponent, "an uncertain exponent")
        return Uncertain(
            Apply(Op.POW_UNCERTAIN, (_plain(base), _plain(exponent))),
            get_registry().dimensionless,
        )
    if isinstance(exponent, pint.Quantity):
        if not exponent.dimensionless:
            raise InvalidInputError(f"an exponent must be dimensionless, got {exponent!r}")
        # pint's conversion: 2000 ms/s is the number 2, not 2000
        exponent = exponent.to(get_registry().dimensionless).magnitude
    power = _finite(exponent, "exponent")
    if is_offset(base.unit):
        check_arithmetic("**", base.unit, power=power)
    return Uncertain(Apply(Op.POW, (base,), power), _unit_power(base.unit, power))


def _unit_power(unit: pint.Unit, power: float) -> pint.Unit:
    result: pint.Unit = unit**power  # type: ignore[assignment]
    return result


def _dimensionless_factor(item: Uncertain) -> float:
    return conversion_factor(item.unit, get_registry().dimensionless) if item.unit else 1.0


def _require_dimensionless(item: Uncertain, role: str) -> None:
    if not item.unit.dimensionless:
        raise pint.DimensionalityError(item.unit, "dimensionless", extra_msg=f" ({role})")


def _plain(item: Uncertain) -> Uncertain:
    """A dimensionless node in plain numbers (``ms/s`` becomes a factor of 1e-3)."""
    dimensionless = get_registry().dimensionless
    return item if item.unit == dimensionless else item.to(dimensionless)


def _unary(op: Op, item: Operand, unit_rule: Callable[[pint.Unit], pint.Unit]) -> Uncertain:
    node = as_uncertain(item)
    return Uncertain(Apply(op, (node,)), unit_rule(node.unit))


def sqrt(x: Operand) -> Uncertain:
    """Square root; the unit's exponents are halved (``sqrt(m**2)`` is in m)."""
    node = as_uncertain(x)
    if is_offset(node.unit):
        check_arithmetic("**", node.unit, power=0.5)  # pint refuses degC ** 0.5
    return _unary(Op.SQRT, node, lambda unit: _unit_power(unit, 0.5))


def _transcendental(op: Op, x: Operand) -> Uncertain:
    node = as_uncertain(x)
    _require_dimensionless(node, f"the argument of {op.value}")
    return Uncertain(Apply(op, (_plain(node),)), get_registry().dimensionless)


def exp(x: Operand) -> Uncertain:
    """``e ** x`` of a dimensionless quantity."""
    return _transcendental(Op.EXP, x)


def log(x: Operand) -> Uncertain:
    """Natural logarithm of a dimensionless quantity."""
    return _transcendental(Op.LOG, x)


def log10(x: Operand) -> Uncertain:
    """Base-10 logarithm of a dimensionless quantity (divide by a unit first)."""
    return _transcendental(Op.LOG10, x)


def _extremum(op: Op, first: Operand, rest: tuple[Operand, ...]) -> Uncertain:
    result = as_uncertain(first)
    if not rest:
        raise InvalidInputError(f"{op.value}() needs at least two arguments")
    for other in rest:
        right = as_uncertain(other)
        if right.unit != result.unit:
            right = right.to(result.unit)  # DimensionalityError on a mismatch
        result = Uncertain(Apply(op, (result, right)), result.unit)
    return result


def minimum(first: Operand, *rest: Operand) -> Uncertain:
    """Sample-wise minimum of quantities of one dimension."""
    return _extremum(Op.MIN, first, rest)


def maximum(first: Operand, *rest: Operand) -> Uncertain:
    """Sample-wise maximum of quantities of one dimension."""
    return _extremum(Op.MAX, first, rest)
