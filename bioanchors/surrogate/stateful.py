"""The cost rules shared by stateful architectures: recurrent surrogates and point neurons.

A TCN sees a finite window of input; an ELM neuron, an LSTM or a point-neuron model instead
carries its history in a state that it updates once per step. For these:

* ``receptive_field`` is 1: one output step consumes one new input step, everything earlier
  reaches it through the state (how far back it matters is set by the model's time constants,
  not by a window);
* ``mode="streaming"`` (the default) is one state update, the natural way to run them;
* ``mode="window"`` reruns a whole window of ``window`` steps from a fresh state for every
  output step (the recurrent analogue of the TCN's window mode), i.e. ``window`` x streaming;
* ``mode="cone"`` is refused: without a finite causal cone there is nothing finite to
  recompute;
* an event-driven input (``input_events_per_step``) is refused: none of these kinds models it.
"""

from __future__ import annotations

from typing import Final, Literal, TypeAlias, get_args

from bioanchors.errors import InvalidInputError
from bioanchors.surrogate.architecture import Mode, check_mode

__all__ = ["STATEFUL_MODES", "STATEFUL_RECEPTIVE_FIELD", "StatefulMode", "stateful_steps"]

StatefulMode: TypeAlias = Literal["streaming", "window"]
"""The modes a stateful architecture has (its file steps' ``mode`` field, so the schema lists
only these)."""

STATEFUL_MODES: Final[tuple[str, ...]] = get_args(StatefulMode)
"""The modes a stateful architecture accepts."""

STATEFUL_RECEPTIVE_FIELD: Final = 1
"""Input steps one output step reads (the rest of the history is in the state)."""


def stateful_steps(
    owner: str, mode: Mode, window: int | None, input_events_per_step: float | None
) -> int:
    """How many state updates one output step costs in ``mode`` (1 when streaming).

    >>> stateful_steps("ELM", "streaming", None, None), stateful_steps("ELM", "window", 400, None)
    (1, 400)
    """
    if input_events_per_step is not None:
        raise InvalidInputError(
            f"{owner} input_events_per_step: {owner} has no event-driven variant (only the TCN "
            f"does), got input_events_per_step={input_events_per_step!r}"
        )
    if mode not in STATEFUL_MODES:
        raise InvalidInputError(
            f"{owner} mode: expected one of {list(STATEFUL_MODES)} for a stateful architecture "
            "('cone' and 'overlapped' are the TCN's: a recurrent state has no finite causal "
            f"cone to recompute, and no windows to overlap), got {mode!r}"
        )
    w = check_mode(owner, mode, window, STATEFUL_RECEPTIVE_FIELD)
    return 1 if mode == "streaming" else w
