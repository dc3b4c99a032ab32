"""How a brain is swapped into a timelines model: the penalty by frame and the parameter ratio.

**The penalty.** Cotra (2020) adds a model penalty, log10 ~ Normal(1, 1) orders of magnitude
("artificial models are likely less efficient than brains"), to the brain's log10 FLOP/s to
get the FLOP per subjective second of a transformative model. Her brain input is a
*functional* estimate (the compute that suffices for the brain's task performance), so the
penalty belongs there. An *emulation* cost (every neuron's input/output run on digital
hardware) already measures how much worse digital hardware is at being neurons: adding the
penalty again counts it twice (kokotajlod set his 1e17 FLOP/s against Cotra's 1e16 FLOP per
subjective second, which already holds it). So the penalty is a function of the brain's frame
(:meth:`TimelinesModel.penalty_for <bioanchors.timelines.TimelinesModel.penalty_for>`):
emulation 0, functional and bound the model's own. :data:`PenaltyLike` overrides it per call:
``None`` or ``"auto"`` (by frame), ``"model"`` or ``"cotra"`` (the model's own distribution
for every brain), a number of orders (exactly that for every brain) or a :class:`Penalty`.
Brains that carry no frame (an Uncertain, an Estimate) are taken as functional, and say so
("functional (assumed)").

**The parameter ratio.** Cotra infers a model's parameter count from its FLOP per subjective
second, ``log10 P = m - 1.7`` (1e16 FLOP per subjective second for 2e14 parameters, about 50
FLOP per parameter per subjective second). A surrogate network run per neuron spends 2 FLOP
per parameter per step at 1000 steps (1 ms each) per simulated second: about 2000, log10 3.3
(:func:`emulation_log10_flop_per_param`, computed from the Beniaguev et al. 7x128x153 TCN
preset). With an emulation brain, Cotra's ratio gives the model ~40x more parameters than the
emulation it stands for, and so more training data. :data:`FlopPerParamLike` picks the ratio:
``"cotra"`` (the model's, the default), ``"emulation"`` (the TCN's, for every brain),
``"auto"`` (by frame: the TCN's for an emulation brain, the model's for the others) or a log10
number.

>>> print(Penalty(1.0, 1.0), Penalty(0.0), Penalty(-0.5))
+1 ± 1 OOM 0 -0.5 OOM
>>> round(emulation_log10_flop_per_param(), 2)
3.3
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass
from typing import Any, Final, Literal, TypeAlias

from bioanchors._frames import FRAMES, Frame
from bioanchors.errors import InvalidInputError
from bioanchors.surrogate.tcn import BENIAGUEV_2021_L5PC

__all__ = [
    "MAX_PENALTY_OOM",
    "NO_PENALTY",
    "FlopPerParamLike",
    "Penalty",
    "PenaltyLike",
    "PenaltyRule",
    "check_flop_per_param",
    "check_frame",
    "check_penalty",
    "emulation_log10_flop_per_param",
    "frame_text",
]

MAX_PENALTY_OOM: Final = 20.0
"""Largest |mean| of a penalty, in orders of magnitude (sd: at most 10)."""

_MAX_SD_OOM: Final = 10.0
_STEPS_PER_SECOND: Final = 1000.0  # one TCN output step per simulated millisecond (tcn.py)


def _fmt(value: float) -> str:
    return f"{value:.2f}".rstrip("0").rstrip(".")


@dataclass(frozen=True, slots=True)
class Penalty:
    """A model penalty in orders of magnitude: log10 ~ Normal(``mean_oom``, ``sd_oom``)
    added to the brain's log10 FLOP/s (``sd_oom = 0``: exactly ``mean_oom``).

    ``str`` gives ``"+1 ± 1 OOM"``, ``"+0.5 OOM"`` or ``"0"`` (no penalty).
    """

    mean_oom: float
    sd_oom: float = 0.0

    def __post_init__(self) -> None:
        for name, value, lo, hi in (
            ("mean_oom", self.mean_oom, -MAX_PENALTY_OOM, MAX_PENALTY_OOM),
            ("sd_oom", self.sd_oom, 0.0, _MAX_SD_OOM),
        ):
            if (
                isinstance(value, bool)
                or not isinstance(value, numbers.Real)
                or not math.isfinite(value)
                or not lo <= value <= hi
            ):
                raise InvalidInputError(
                    f"penalty: {name} must be a finite number of orders of magnitude in "
                    f"[{lo:g}, {hi:g}], got {value!r}"
                )
            object.__setattr__(self, name, float(value))

    @property
    def is_zero(self) -> bool:
        """Whether the penalty is exactly 0 (no draw adds anything)."""
        return self.mean_oom == 0.0 and self.sd_oom == 0.0

    def __str__(self) -> str:
        if self.is_zero:
            return "0"
        mean = ("+" if self.mean_oom >= 0 else "-") + _fmt(abs(self.mean_oom))
        return f"{mean} ± {_fmt(self.sd_oom)} OOM" if self.sd_oom else f"{mean} OOM"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``{"mean_oom": ..., "sd_oom": ..., "text": "+1 ± 1 OOM"}``."""
        return {"mean_oom": self.mean_oom, "sd_oom": self.sd_oom, "text": str(self)}


NO_PENALTY: Final = Penalty(0.0, 0.0)
"""No penalty: the brain's FLOP/s is the model's FLOP per subjective second."""

PenaltyLike: TypeAlias = "Penalty | float | Literal['auto', 'model', 'cotra'] | None"
"""A penalty override: ``None``/``"auto"`` by the brain's frame, ``"model"``/``"cotra"``
the model's own for every brain, a number of orders or a :class:`Penalty` for every brain."""

PenaltyRule: TypeAlias = Literal["by frame", "the model's own", "given"]
"""How a forecast's penalty was chosen (:attr:`TaiForecast.penalty_rule`)."""

FlopPerParamLike: TypeAlias = "float | Literal['cotra', 'emulation', 'auto'] | None"
"""log10 FLOP per parameter per subjective second: ``None``/``"cotra"`` the model's own
(1.7), ``"emulation"`` a surrogate's (:func:`emulation_log10_flop_per_param`) for every brain,
``"auto"`` a surrogate's for emulation brains and the model's for the others, or a number."""

_MODEL_WORDS: Final = ("model", "cotra")
_AUTO_WORDS: Final = ("auto",)


def check_penalty(penalty: object) -> Penalty | Literal["auto", "model"]:
    """``penalty`` (a :data:`PenaltyLike`) as ``"auto"``, ``"model"`` or a :class:`Penalty`;
    else :class:`~bioanchors.errors.InvalidInputError` naming ``penalty``."""
    if penalty is None or penalty in _AUTO_WORDS:
        return "auto"
    if isinstance(penalty, str) and penalty in _MODEL_WORDS:
        return "model"
    if isinstance(penalty, Penalty):
        return penalty
    if isinstance(penalty, numbers.Real) and not isinstance(penalty, bool):
        return Penalty(float(penalty))
    raise InvalidInputError(
        "penalty: expected None or 'auto' (by the brain's frame), 'model' or 'cotra' (the "
        f"model's own for every brain), a number of orders of magnitude or a Penalty; "
        f"got {penalty!r}"
    )


def check_frame(frame: object) -> Frame | None:
    """``frame`` (``None`` or one of :data:`~bioanchors.FRAMES`), checked."""
    if frame is None:
        return None
    for known in FRAMES:
        if frame == known:
            return known
    raise InvalidInputError(f"frame: expected one of {', '.join(FRAMES)} or None, got {frame!r}")


def frame_text(frame: Frame | None) -> str:
    """The frame as a table shows it: ``"functional (assumed)"`` when the brain has none."""
    return "functional (assumed)" if frame is None else frame


def emulation_log10_flop_per_param() -> float:
    """log10 FLOP per parameter per simulated second of a surrogate run per neuron: the
    Beniaguev et al. (2021) 7x128x153 TCN streamed at 1 ms steps, FLOP per step x 1000 steps
    per second / parameters (18,463,744 x 1000 / 9,234,582: about 2000, log10 3.3)."""
    tcn = BENIAGUEV_2021_L5PC
    return math.log10(tcn.flop_per_step("streaming") * _STEPS_PER_SECOND / tcn.parameters)


def check_flop_per_param(value: object) -> float | Literal["auto"] | None:
    """``value`` (a :data:`FlopPerParamLike`) as a log10 number, ``"auto"``, or ``None`` for
    the model's own; else :class:`~bioanchors.errors.InvalidInputError` naming
    ``log10_flop_per_param``."""
    if value is None or value == "cotra":
        return None
    if value == "auto":
        return "auto"
    if value == "emulation":
        return emulation_log10_flop_per_param()
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        if math.isfinite(number) and -MAX_PENALTY_OOM <= number <= MAX_PENALTY_OOM:
            return number
    raise InvalidInputError(
        "log10_flop_per_param: expected 'cotra' (the model's own), 'emulation' (a TCN "
        f"surrogate's, {emulation_log10_flop_per_param():.2f}), 'auto' (by frame) or a log10 "
        "number in "
        f"[{-MAX_PENALTY_OOM:g}, {MAX_PENALTY_OOM:g}]; got {value!r}"
    )
