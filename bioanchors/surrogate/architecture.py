"""What every surrogate architecture offers, and how architectures appear in scenario files.

* :class:`Architecture`: the protocol (``parameters``, ``receptive_field``,
  ``flop_per_step(mode)``) that :class:`~bioanchors.surrogate.TCN` and any later architecture
  implement;
* :class:`ArchitectureStep`: the fields a scenario step's ``architecture = { kind = ..., ... }``
  table has beside the network's own (which number it gives, evaluated how);
* :func:`architecture_kind`: the decorator that registers a step model under its ``kind``;
  :func:`architecture_union` is the discriminated union of the registered kinds that the
  scenario format uses (a table without ``kind`` means ``"tcn"``).

Adding an architecture is one module: the model, with a step model registered by
:func:`architecture_kind`, imported by :mod:`bioanchors.surrogate`.
"""

from __future__ import annotations

import numbers
from collections.abc import Callable, Mapping, Sequence
from types import MappingProxyType
from typing import Annotated, Any, Final, Literal, Protocol, TypeVar, Union, runtime_checkable

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    StrictFloat,
    StrictInt,
    Tag,
    ValidationError,
)
from pydantic_core import PydanticCustomError

from bioanchors.errors import InvalidInputError

__all__ = [
    "ARCHITECTURE_UNITS",
    "BASIC_MODES",
    "DEFAULT_KIND",
    "DEFAULT_WINDOW",
    "MAX_LAYERS",
    "MAX_SIZE",
    "MODES",
    "WINDOWED_MODES",
    "Architecture",
    "ArchitectureStep",
    "Heads",
    "Layers",
    "Mode",
    "Size",
    "architecture_kind",
    "architecture_kinds",
    "architecture_union",
    "check_mode",
    "int_tuple",
    "invalid_input",
    "positive_int",
    "short",
]

Mode = Literal["streaming", "cone", "window", "overlapped"]
"""Evaluation strategy for the per-step cost; see :meth:`TCN.macs_per_step`."""

MODES: Final[tuple[str, ...]] = ("streaming", "cone", "window", "overlapped")
"""Every value of the ``mode`` argument (an architecture may support only some of them)."""

BASIC_MODES: Final[tuple[str, ...]] = ("streaming", "cone", "window")
"""The modes :func:`check_mode` accepts unless an architecture says it supports more."""

WINDOWED_MODES: Final[tuple[str, ...]] = ("window", "overlapped")
"""The modes that take a ``window``."""

ARCHITECTURE_UNITS: Final = MappingProxyType(
    {"flop_per_step": "FLOP / step / neuron", "parameters": "parameter / neuron"}
)
"""The unit of each ``quantity`` an architecture step gives: one network per neuron. A file's
``unit`` may leave it out (this is the default) or drop ``/ neuron`` (one network's cost); any
other dimension is refused, naming the step and its ``unit``."""

DEFAULT_WINDOW: Final[int] = 400
"""Window length (steps = ms) for the windowed modes: the authors' training and test window."""

MAX_SIZE: Final[int] = 10**9
"""Largest number of channels, kernel steps, head outputs or window steps accepted."""

MAX_LAYERS: Final[int] = 10_000
"""Largest number of hidden layers (or heads) accepted."""

DEFAULT_KIND: Final = "tcn"
"""The kind of an ``architecture`` table that does not say (files written before kinds)."""


@runtime_checkable
class Architecture(Protocol):
    """A surrogate network: its size, how far back it sees, and its cost per output step."""

    @property
    def parameters(self) -> int:
        """Trainable parameters."""
        ...

    @property
    def receptive_field(self) -> int:
        """Steps of input history one output depends on."""
        ...

    def flop_per_step(
        self,
        mode: Mode = "streaming",
        window: int | None = None,
        input_events_per_step: float | None = None,
    ) -> float:
        """Floating-point operations per output step, evaluated as ``mode`` says (an
        architecture without an event-driven variant refuses ``input_events_per_step``)."""
        ...


class ImmutableNetwork:
    """The refusals of a built network (:class:`~bioanchors.surrogate.TCN`, ``ELM``, ``LSTM``,
    ``PointNeuron``): its fields are set once, when it is validated; a changed network is a
    new one."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        kind = type(self).__name__
        raise AttributeError(f"{kind} is immutable: cannot set {name!r} (build a new {kind})")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{type(self).__name__} is immutable: cannot delete {name!r}")


class ArchitectureStep(BaseModel):
    """The fields of a scenario step's ``architecture`` table beside the network's own.

    ``quantity`` picks the number the step takes (``parameters``, or ``flop_per_step``
    evaluated in ``mode``, with ``window`` and ``input_events_per_step`` as in
    :meth:`Architecture.flop_per_step`). Subclasses add ``kind`` and the network's fields and
    say how to build the network.
    """

    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)
    kind: str
    """The registered kind (each subclass narrows it to ``Literal["<kind>"]``)."""
    quantity: Literal["flop_per_step", "parameters"] = Field(
        default="flop_per_step",
        description="the number the step takes: 'flop_per_step' (FLOP per 1 ms output step, "
        "in `mode`) or 'parameters' (trainable parameters)",
    )
    mode: Mode = Field(
        default="streaming",
        description="how the network is run for flop_per_step: 'streaming' (cached "
        "activations, the cheapest exact way), 'cone' (recompute each output's causal cone), "
        "'window' (rerun a whole window of `window` steps per output step, an upper bound) or "
        "'overlapped' (the authors' overlapping windows; TCN only)",
    )
    window: StrictInt | None = Field(
        default=None,
        description="the window length in steps (1 ms) for mode 'window' or 'overlapped' "
        "(default 400, the training window); only with those modes",
    )
    input_events_per_step: StrictFloat | None = Field(
        default=None,
        description="the mean number of input spikes per step over all inputs, for an "
        "event-driven first layer that adds kernel slices instead of multiplying (TCN in "
        "streaming mode only); leave out for a dense first layer",
    )

    def network(self) -> Architecture:
        """The described network (each kind builds its own)."""
        raise NotImplementedError  # pragma: no cover - every registered kind overrides it

    def value(self) -> float:
        """Parameters, or FLOP per output step, of the described network."""
        network = self.network()
        if self.quantity == "parameters":
            return float(network.parameters)
        # Every field goes to the network, which refuses a combination it does not define
        # (input events with a windowed mode, a window with streaming): nothing a file says is
        # dropped silently.
        window = self.window
        if self.mode in WINDOWED_MODES and window is None:
            window = DEFAULT_WINDOW
        return network.flop_per_step(
            mode=self.mode, window=window, input_events_per_step=self.input_events_per_step
        )


S = TypeVar("S", bound=type[ArchitectureStep])

_KINDS: dict[str, type[ArchitectureStep]] = {}


def architecture_kind(kind: str) -> Callable[[S], S]:
    """Class decorator: register a step model as the ``architecture`` table of ``kind``.

    The model must declare ``kind: Literal["<kind>"]``; a kind is registered once.
    """

    def decorate(model: S) -> S:
        if not isinstance(kind, str) or not kind.isidentifier():
            raise InvalidInputError(f"architecture_kind: kind {kind!r} is not an identifier")
        if kind in _KINDS and _KINDS[kind] is not model:
            raise InvalidInputError(
                f"architecture_kind: {kind!r} is already registered by {_KINDS[kind].__name__}"
            )
        _KINDS[kind] = model
        return model

    return decorate


def architecture_kinds() -> Mapping[str, type[ArchitectureStep]]:
    """The registered step models by kind (read-only)."""
    return MappingProxyType(_KINDS)


def _kind_of(value: Any) -> Any:
    if isinstance(value, dict):
        return value.get("kind", DEFAULT_KIND)
    return getattr(value, "kind", None)


def architecture_union() -> Any:
    """The discriminated union of the registered kinds, keyed by ``kind`` (default ``"tcn"``).

    With one kind registered the "union" is that model behind a check of ``kind`` (a union of
    one member is the member itself in ``typing``, and pydantic before 2.7 refuses a
    discriminator on it); the error for an unknown kind is the same either way.
    """
    known = ", ".join(repr(kind) for kind in _KINDS)
    message = f"unknown architecture kind; known kinds: {known}"
    if len(_KINDS) == 1:
        ((only, model),) = _KINDS.items()

        def check_kind(value: Any) -> Any:
            if _kind_of(value) != only:
                raise PydanticCustomError("architecture_kind", message)
            return value

        return Annotated[model, BeforeValidator(check_kind)]
    members = tuple(Annotated[model, Tag(kind)] for kind, model in _KINDS.items())
    return Annotated[
        Union[members],  # noqa: UP007  (a union built from a tuple)
        Discriminator(
            _kind_of, custom_error_type="architecture_kind", custom_error_message=message
        ),
    ]


Size = Annotated[int, Field(ge=1, le=MAX_SIZE)]
"""A count of channels, kernel steps or outputs (the JSON Schema's bounds)."""
Layers = Annotated[tuple[Size, ...], Field(min_length=1, max_length=MAX_LAYERS)]
"""One size per layer, at least one layer."""
Heads = Annotated[tuple[Size, ...], Field(max_length=MAX_LAYERS)]
"""One size per output head; may be empty."""


def invalid_input(owner: str, error: ValidationError) -> InvalidInputError:
    """The InvalidInputError a model's validator raised, or one quoting pydantic's message."""
    for detail in error.errors():
        cause = detail.get("ctx", {}).get("error")
        if isinstance(cause, InvalidInputError):
            return cause
    return InvalidInputError(f"{owner}: {error}")


def check_mode(
    owner: str,
    mode: str,
    window: int | None,
    receptive_field: int,
    supported: Sequence[str] = BASIC_MODES,
) -> int:
    """Validate ``mode``/``window``; return the window length (0 unless a windowed mode).

    ``supported`` lists the modes the architecture implements (by default
    :data:`BASIC_MODES`, so an architecture that does not opt in to ``"overlapped"`` refuses
    it rather than costing it as something else).
    """
    if mode not in supported:
        raise InvalidInputError(f"{owner} mode: expected one of {list(supported)}, got {mode!r}")
    if mode not in WINDOWED_MODES:
        if window is not None:
            raise InvalidInputError(
                f"{owner} window: only used with mode='window' or 'overlapped', got "
                f"window={window!r} with mode={mode!r}"
            )
        return 0
    w = DEFAULT_WINDOW if window is None else window
    if isinstance(w, bool) or not isinstance(w, numbers.Integral) or not 1 <= w <= MAX_SIZE:
        raise InvalidInputError(
            f"{owner} window: expected an int number of steps in [1, {MAX_SIZE:.0e}], "
            f"got {short(w)}"
        )
    if int(w) < receptive_field:
        raise InvalidInputError(
            f"{owner} window: expected window >= receptive_field ({receptive_field} steps), "
            f"got {w!r}"
        )
    return int(w)


def short(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 60 else f"{text[:57]}..."


def positive_int(owner: str, field: str, value: object, what: str = "a positive int") -> int:
    """``value`` as ``int`` if it is an integer in [1, MAX_SIZE] (not a bool), else raise."""
    if (
        isinstance(value, bool)
        or not isinstance(value, numbers.Integral)
        or not 1 <= int(value) <= MAX_SIZE
    ):
        raise InvalidInputError(
            f"{owner} {field}: expected {what} in [1, {MAX_SIZE:.0e}], got {short(value)}"
        )
    return int(value)


def int_tuple(owner: str, field: str, value: object, *, allow_empty: bool) -> tuple[int, ...]:
    """A sequence of ints in [1, MAX_SIZE] (at most MAX_LAYERS of them) as a tuple, or raise."""
    if isinstance(value, str | bytes) or not isinstance(value, Sequence):
        raise InvalidInputError(
            f"{owner} {field}: expected a sequence (list or tuple) of positive ints, "
            f"got {type(value).__name__} {value!r}"
        )
    if not allow_empty and len(value) == 0:
        raise InvalidInputError(
            f"{owner} {field}: expected at least one layer, got an empty sequence"
        )
    if len(value) > MAX_LAYERS:
        raise InvalidInputError(
            f"{owner} {field}: expected at most {MAX_LAYERS} entries, got {len(value)}"
        )
    out: list[int] = []
    for index, item in enumerate(value):
        if (
            isinstance(item, bool)
            or not isinstance(item, numbers.Integral)
            or not 1 <= int(item) <= MAX_SIZE
        ):
            raise InvalidInputError(
                f"{owner} {field}: expected ints in [1, {MAX_SIZE:.0e}], got {short(item)} at "
                f"index {index} of {short(list(value))}"
            )
        out.append(int(item))
    return tuple(out)
