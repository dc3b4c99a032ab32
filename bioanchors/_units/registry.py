"""The one pint unit registry of bioanchors, and conversions through it.

Built on first use (not at import: building a registry takes a noticeable fraction of a
second; :mod:`~bioanchors._units.cached` keeps pint's parsed definitions), once, under a
lock, from pint's defaults plus ``units.txt`` beside this file, which documents why ``FLOP``,
``neuron``, ``synapse``, ``spike``, ``parameter`` and ``step`` are
dimensions of their own. Building it also makes it pint's application registry
(:func:`pint.set_application_registry`), so quantities pickled anywhere unpickle into it.

Every unit or quantity string the registry reads, from :func:`as_unit`, :func:`parse_quantity`,
``Quantity(1, "FLOP/s")``, ``Quantity("1e17 FLOP/s")``, ``quantity.to("PFLOP/s")`` or
``registry("...")``, goes through the strict grammar of :mod:`bioanchors._units.text` instead of
pint's arithmetic evaluator: a refused string raises
:class:`~bioanchors.errors.UnitTextError`, an unknown name pint's ``UndefinedUnitError``.

Conversions go through pint's own conversion, which knows offset units: 37 degC is 310.15 K
(:func:`convert`, :func:`affine`), and :func:`conversion_factor` refuses offset units rather
than multiply them. :func:`check_arithmetic` and :func:`result_unit` answer what pint does with
``+ - * / ** neg`` on quantities of given units (with ``autoconvert_offset_to_baseunit=False``):
``degC * 2`` and ``degC + K`` are refused (``OffsetUnitCalculusError``), ``degC - degC`` is a
``delta_degC``, ``degC + delta_degC`` a ``degC``.
"""

from __future__ import annotations

import functools
import math
import threading
from pathlib import Path
from typing import Any, TypeAlias, overload

import numpy as np
import numpy.typing as npt
import pint

from bioanchors._typing import UnitLike
from bioanchors._units.cached import build_registry
from bioanchors._units.text import QUANTITY_FORM, Terms, parse_quantity_text, parse_unit_text
from bioanchors.errors import InvalidInputError, OperandError, UnitTextError

__all__ = [
    "Quantity",
    "Registry",
    "UnitLike",
    "affine",
    "as_unit",
    "check_arithmetic",
    "conversion_factor",
    "convert",
    "define_unit",
    "format_unit",
    "get_registry",
    "is_offset",
    "parse_quantity",
    "result_unit",
]

Quantity: TypeAlias = "pint.Quantity[Any]"
"""A pint Quantity (scalar or array magnitude), for annotations."""
Registry: TypeAlias = "pint.UnitRegistry[Any]"


Array: TypeAlias = "npt.NDArray[Any]"

_DEFINITIONS = str(Path(__file__).with_name("units.txt"))
_OPERATIONS = ("+", "-", "*", "/", "**", "neg")

_lock = threading.Lock()
_registry: _StrictRegistry | None = None


def _unpickle_quantity(magnitude: Any, units: Any) -> Quantity:
    registry = get_registry()
    for name in units:
        registry.get_name(name)  # defines a prefixed unit such as PFLOP on first sight
    return registry.Quantity(magnitude, units)


def _unpickle_unit(units: Any) -> pint.Unit:
    registry = get_registry()
    for name in units:
        registry.get_name(name)
    return registry.Unit(units)


class _Quantity(pint.UnitRegistry.Quantity):  # type: ignore[type-arg]
    def __new__(cls, value: Any, units: Any = None) -> Any:
        if units is None and isinstance(value, str) and not value.strip():
            # pint raises a bare ValueError for "" (and read "  " as a pure 1)
            raise UnitTextError(f"cannot read quantity {value!r}: expected {QUANTITY_FORM}")
        return super().__new__(cls, value, units)

    # Pickles by reference to bioanchors' registry, so that unpickling works in a fresh
    # interpreter (pint's own __reduce__ needs the application registry set beforehand).
    def __reduce__(self) -> tuple[Any, ...]:
        return _unpickle_quantity, (self._magnitude, self._units)


class _Unit(pint.UnitRegistry.Unit):
    def __reduce__(self) -> tuple[Any, ...]:
        return _unpickle_unit, (self._units,)


class _StrictRegistry(pint.UnitRegistry):  # type: ignore[type-arg]
    """pint's registry, reading unit and quantity strings with bioanchors' strict grammar."""

    Quantity = _Quantity
    Unit = _Unit

    def _container(self, terms: Terms, as_delta: bool, case_sensitive: bool | None) -> Any:
        # As pint's own _parse_units_as_container, from names and exponents already read.
        named = [(self.get_name(name, case_sensitive=case_sensitive), exp) for name, exp in terms]
        named = [(name, exp) for name, exp in named if name]  # "dimensionless" is ""
        many = len(named) > 1
        result = self.UnitsContainer({})
        for name, exponent in named:
            value: Any = int(exponent) if exponent.denominator == 1 else float(exponent)
            if as_delta and (many or value != 1) and not self._units[name].is_multiplicative:
                name = "delta_" + name
            result = result.add(name, value)
        return result

    def _parse_units_as_container(
        self, input_string: str, as_delta: bool = True, case_sensitive: bool = True
    ) -> Any:
        for preprocess in self.preprocessors:
            input_string = preprocess(input_string)
        return self._container(parse_unit_text(input_string), as_delta, case_sensitive)

    def parse_expression(
        self, input_string: str, case_sensitive: bool | None = None, **values: Any
    ) -> Any:
        if values:  # pint's contexts pass their own trusted expressions with named values
            return super().parse_expression(input_string, case_sensitive, **values)
        for preprocess in self.preprocessors:
            input_string = preprocess(input_string)
        parsed = parse_quantity_text(input_string, number_required=False)
        units = self._container(parsed.unit, self.default_as_delta, case_sensitive)
        return self.Quantity(parsed.magnitude, units)

    __call__ = parse_expression


def get_registry() -> Registry:
    """Return the registry, building it (once, even from many threads) the first time."""
    return _strict()


def _strict() -> _StrictRegistry:
    global _registry
    registry = _registry
    if registry is not None:
        return registry
    with _lock:
        if _registry is None:
            built = build_registry(_StrictRegistry, _DEFINITIONS)
            pint.set_application_registry(built)  # type: ignore[no-untyped-call]
            _registry = built
        return _registry


def define_unit(
    name: str, factor: float, reference: dict[str, float] | None, *, dimension: str = ""
) -> None:
    """Add unit ``name``, built from parts (no text parsed): ``factor`` times ``reference``
    (known unit names to exponents), or with ``reference=None`` the base unit of the new
    ``dimension`` (``"[compartment]"``). The caller checks that it is new
    (:mod:`bioanchors._scenarios.file_units`)."""
    from pint.facets.plain.definitions import ScaleConverter, UnitDefinition

    registry = _strict()
    container = registry.UnitsContainer({dimension: 1} if reference is None else reference)
    definition = UnitDefinition(name, None, (), ScaleConverter(factor), container)
    with _lock:
        registry.define(definition)  # type: ignore[arg-type]


def as_unit(unit: UnitLike) -> pint.Unit:
    """Parse ``unit`` into a registry Unit.

    ``None``, ``""``, ``"1"`` and ``"dimensionless"`` are dimensionless. Strings are read by
    the strict grammar (:class:`~bioanchors.errors.UnitTextError` outside it); an unknown name
    raises pint's ``UndefinedUnitError``, and something that is not a unit at all (a number, a
    Quantity) a ``TypeError``.
    """
    registry = get_registry()
    if unit is None:
        return registry.dimensionless
    if isinstance(unit, registry.Unit):
        return unit
    if isinstance(unit, str):
        return _unit_from_text(unit)
    if isinstance(unit, pint.Unit):  # from another registry: by its units' names
        names = {registry.get_name(name): value for name, value in unit._units.items()}
        return registry.Unit(registry.UnitsContainer(names))
    raise OperandError(f"expected a unit such as 'FLOP/s' or None, got {unit!r}")


@functools.lru_cache(maxsize=1024)
def _unit_from_text(text: str) -> pint.Unit:
    registry = get_registry()
    return registry.Unit(registry.parse_units_as_container(text))


def parse_quantity(text: str, *, what: str = "quantity") -> Quantity:
    """Read exactly one number and a unit, like ``"1e17 FLOP/s"`` or ``"37 degC"``.

    The grammar is :mod:`bioanchors._units.text`'s: ``"1e17–1e18 FLOP/s"``, ``"100 000
    parameter"``, ``"[1, 2] FLOP/s"`` and ``"1e400 FLOP"`` are refused with a
    :class:`~bioanchors.errors.UnitTextError` that shows the text (named by ``what``, e.g.
    ``"claimed value"``) and the expected form. An offset unit gives a real offset quantity
    (``37 degC`` is 310.15 K, not 37 times a temperature).
    """
    registry = _strict()
    parsed = parse_quantity_text(text, what)
    units = registry._container(parsed.unit, registry.default_as_delta, None)
    quantity: Quantity = registry.Quantity(parsed.magnitude, units)
    return quantity


def is_offset(unit: UnitLike) -> bool:
    """Whether pint treats ``unit`` (or a unit inside it) as non-multiplicative.

    True for offset units such as ``degC`` and ``degF`` and for logarithmic ones such as
    ``dB``; False for their ``delta_`` counterparts and every ordinary unit.
    """
    return _is_offset(as_unit(unit))


@functools.lru_cache(maxsize=1024)
def _is_offset(parsed: pint.Unit) -> bool:
    # Remembered per unit (a unit, once defined, never changes): every unit check of every
    # operation asks it, and a sweep builds a thousand graphs.
    registry = get_registry()
    return any(not registry._units[name].is_multiplicative for name in parsed._units)


@overload
def convert(value: float, source: UnitLike, target: UnitLike) -> float: ...
@overload
def convert(value: Array, source: UnitLike, target: UnitLike) -> Array: ...
def convert(value: float | Array, source: UnitLike, target: UnitLike) -> float | Array:
    """Express ``value`` (in ``source``) in ``target``, through pint's own conversion.

    Offset-aware (37 degC is 310.15 K). Raises pint's ``DimensionalityError`` when the
    dimensions differ, and :class:`~bioanchors.errors.InvalidInputError` when a finite value
    has no finite result (``1e308 PFLOP/s`` in ``FLOP/s``). Arrays give new arrays.
    """
    source_unit, target_unit = as_unit(source), as_unit(target)
    if source_unit == target_unit:
        return value
    try:
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            quantity = get_registry().Quantity(value, source_unit)
            result = quantity.to(target_unit).magnitude
    except OverflowError as error:  # a Python int too large for a float
        raise _overflow(value, source_unit, target_unit) from error
    if isinstance(result, np.ndarray):
        bad = ~np.isfinite(result) & np.isfinite(np.asarray(value, dtype=float))
        if bad.any():
            index = np.flatnonzero(bad)[0]
            raise _overflow(np.asarray(value).ravel()[index], source_unit, target_unit)
        return result
    converted = float(result)
    if not math.isfinite(converted) and math.isfinite(float(value)):
        raise _overflow(value, source_unit, target_unit)
    return converted


def _overflow(value: Any, source: pint.Unit, target: pint.Unit) -> InvalidInputError:
    shown = repr(value)
    shown = shown if len(shown) <= 40 else shown[:37] + "..."
    return InvalidInputError(
        f"cannot express {shown} {_name(source)} in {_name(target)}: the result is not a "
        "finite float"
    )


def _name(unit: pint.Unit) -> str:
    return format_unit(unit) or "dimensionless"


def affine(source: UnitLike, target: UnitLike) -> tuple[float, float]:
    """``(scale, offset)`` with ``convert(x, source, target) == scale * x + offset``.

    Taken from pint's conversion; ``offset`` is exactly 0.0 for multiplicative units (then
    ``scale`` is :func:`conversion_factor`). Logarithmic units such as ``dB`` have no affine
    conversion and raise :class:`~bioanchors.errors.InvalidInputError`.
    """
    source_unit, target_unit = as_unit(source), as_unit(target)
    if not is_offset(source_unit) and not is_offset(target_unit):
        return _factor(source_unit, target_unit), 0.0
    registry = get_registry()
    for unit in (source_unit, target_unit):
        if any(registry._units[name].is_logarithmic for name in unit._units):
            raise InvalidInputError(
                f"{_name(unit)} is a logarithmic unit: converting {_name(source_unit)} to "
                f"{_name(target_unit)} is not affine"
            )
    # A wide probe keeps the subtraction from cancelling digits when the offset is large.
    probe = 1024.0
    offset = convert(0.0, source_unit, target_unit)
    scale = (convert(probe, source_unit, target_unit) - offset) / probe
    check = convert(-probe, source_unit, target_unit)
    if not math.isclose(check, offset - scale * probe, rel_tol=1e-9, abs_tol=1e-9 * abs(offset)):
        raise InvalidInputError(
            f"converting {_name(source_unit)} to {_name(target_unit)} is not affine"
        )
    return scale, offset


def conversion_factor(source: pint.Unit, target: pint.Unit) -> float:
    """Multiply a magnitude in ``source`` by this to express it in ``target``.

    Only for multiplicative units: an offset unit such as ``degC`` raises
    :class:`~bioanchors.errors.InvalidInputError` (use :func:`convert` or :func:`affine`),
    unless ``source == target``. Raises pint's ``DimensionalityError`` if the dimensions
    differ, and ``InvalidInputError`` if the factor is zero or not a finite float.
    """
    if source == target:
        return 1.0
    for unit in (source, target):
        if is_offset(unit):
            raise InvalidInputError(
                f"{_name(as_unit(unit))} is not a multiplicative unit, so converting "
                f"{_name(as_unit(source))} to {_name(as_unit(target))} is not a "
                "multiplication; use bioanchors._units.registry.convert (or affine)"
            )
    return _factor(as_unit(source), as_unit(target))


def _factor(source: pint.Unit, target: pint.Unit) -> float:
    if source == target:
        return 1.0
    factor = convert(1.0, source, target)
    if factor == 0.0:
        raise InvalidInputError(
            f"cannot convert {_name(source)} to {_name(target)}: the factor underflows to 0"
        )
    return factor


def check_arithmetic(
    op: str, left: UnitLike, right: UnitLike = None, *, power: float = 2.0
) -> None:
    """Raise pint's error exactly when pint refuses ``op`` on quantities of these units.

    ``op`` is one of ``+ - * / ** neg``; ``right`` (None: dimensionless, a plain number) is
    the right operand's unit, unused for ``**`` (the exponent is ``power``) and ``neg``.
    pint refuses, with ``OffsetUnitCalculusError``, ``degC * 2``, ``degC / s``,
    ``degC + degC``, ``degC + K`` and ``degC ** 2``; it allows ``degC - degC``
    (a ``delta_degC``), ``degC ± delta_degC`` (a ``degC``), ``-degC`` and ``degC ** 1``.
    ``+`` and ``-`` across dimensions raise ``DimensionalityError``.
    """
    result_unit(op, left, right, power=power)


def result_unit(
    op: str, left: UnitLike, right: UnitLike = None, *, power: float = 2.0
) -> pint.Unit:
    """The unit pint gives ``op`` on quantities of these units (see :func:`check_arithmetic`).

    Computed by doing the operation on quantities of magnitude 1, so it is pint's unit algebra:
    ``degC - degC`` is ``delta_degC``, ``K - degC`` is ``K`` (pint converts the degC to K
    first). Raises as :func:`check_arithmetic`.
    """
    if op not in _OPERATIONS:
        raise InvalidInputError(f"unknown operation {op!r}; expected one of {_OPERATIONS}")
    if not isinstance(power, (int, float)) or not math.isfinite(power):
        raise InvalidInputError(f"power must be a finite number, got {power!r}")
    return _result_unit(op, as_unit(left), as_unit(right), float(power))


@functools.lru_cache(maxsize=4096)
def _result_unit(op: str, left: pint.Unit, right: pint.Unit, power: float) -> pint.Unit:
    registry = get_registry()
    a = registry.Quantity(1.0, left)
    b = registry.Quantity(1.0, right)
    if op == "+":
        result = a + b
    elif op == "-":
        result = a - b
    elif op == "*":
        result = a * b
    elif op == "/":
        result = a / b
    elif op == "**":
        result = a**power
    else:
        result = -a
    unit: pint.Unit = result.units
    return unit


def format_unit(unit: pint.Unit) -> str:
    """Short, compact spelling of a unit for tables: ``FLOP/s``, ``parameter/neuron``."""
    if unit.dimensionless and str(unit) in ("dimensionless", ""):
        return ""
    return f"{unit:~C}"
