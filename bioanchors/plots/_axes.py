"""Axes the figures share: a log (or symmetric-log) value axis whose ticks are always labelled.

matplotlib's log axis labels only powers of ten, so a range inside one decade (2e15 to 6e15)
shows no number at all. :func:`readable_log_axis` gives a log axis ticks it can label: powers
of ten when at least two fall inside the view, else 1-2-5 steps, else every integer mantissa,
else evenly spaced values, each labelled as ``2×10^15``. A symmetric-log axis (values at or
below zero) gets zero and at most five powers of ten a side (:func:`symlog_ticks`), so its
labels never run into each other near zero.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, Final

__all__ = ["log_ticks", "readable_log_axis", "scale_x", "symlog_ticks", "tick_text"]

_MOST_DECADE_TICKS: Final = 9
"""Most labelled powers of ten on one axis; beyond it every second (third, ...) one."""


def tick_text(value: float) -> str:
    """A tick label: ``10^15``, ``2×10^15``, or plain (``0.5``, ``20``) near 1."""
    if value == 0 or not math.isfinite(value):
        return f"{value:g}"
    if 1e-2 <= abs(value) < 1e4:
        return f"{value:g}"
    mantissa, exponent = f"{value:.6e}".split("e")
    digits = mantissa.rstrip("0").rstrip(".")
    power = f"10^{{{int(exponent)}}}"
    if digits in ("1", "-1"):
        return f"$\\mathdefault{{{'-' if digits == '-1' else ''}{power}}}$"
    return f"$\\mathdefault{{{digits}\\times{power}}}$"


def _decimal(mantissa: float, exponent: int) -> float:
    return float(f"{mantissa:g}e{exponent}")


def log_ticks(lo: float, hi: float) -> list[float]:
    """At least two tick values inside ``[lo, hi]`` (both > 0) for a log axis."""
    lo, hi = sorted((lo, hi))
    if not (lo > 0 and math.isfinite(hi)):
        return []
    first, last = math.floor(math.log10(lo)), math.ceil(math.log10(hi))
    tolerance = 1e-9 * (hi - lo)

    def inside(subs: Sequence[float]) -> list[float]:
        values = (_decimal(m, k) for k in range(first, last + 1) for m in subs)
        return [v for v in values if lo - tolerance <= v <= hi + tolerance]

    decades = inside((1.0,))
    if len(decades) >= 2:
        stride = math.ceil(len(decades) / _MOST_DECADE_TICKS)
        return [t for t in decades if round(math.log10(t)) % stride == 0] or decades
    # Inside (about) one decade: 1-2-5 steps, else every mantissa; three ticks if they can.
    steps = [inside((1.0, 2.0, 5.0)), inside(tuple(float(m) for m in range(1, 10)))]
    for enough in (3, 2):
        for ticks in steps:
            if len(ticks) >= enough:
                return ticks[::2] if len(ticks) > 6 else ticks  # labels that fit side by side
    step = _nice_step((hi - lo) / 4)  # a step of at most half the span: two ticks inside
    start = math.ceil(lo / step)
    return [value for i in range(start, start + 5) if (value := i * step) <= hi + tolerance]


def _nice_step(raw: float) -> float:
    exponent = math.floor(math.log10(raw))
    for mantissa in (1.0, 2.0, 2.5, 5.0, 10.0):
        if mantissa * 10.0**exponent >= raw:
            return _decimal(mantissa, exponent)
    return _decimal(1.0, exponent + 1)  # pragma: no cover - 10 * 10**e >= raw always


def symlog_ticks(lo: float, hi: float, linthresh: float) -> list[float]:
    """Zero and signed powers of ten outside ``linthresh``, at most five a side (every second,
    third, ... decade when more), for a symmetric-log axis over ``[lo, hi]``."""
    lo, hi = sorted((lo, hi))
    first = math.ceil(math.log10(linthresh) - 1e-9)
    ticks = [0.0] if lo <= 0 <= hi else []
    for sign, edge in ((1.0, hi), (-1.0, -lo)):
        if edge < linthresh:
            continue
        powers = list(range(first, math.floor(math.log10(edge) + 1e-9) + 1))
        stride = math.ceil(len(powers) / 5)
        ticks.extend(sign * _decimal(1.0, k) for k in powers[::-1][::stride])
    return sorted(ticks)


def _install(axis: Any, ticks: Any) -> None:
    """Ticks from ``ticks(lo, hi)`` for the view of ``axis``, labelled by :func:`tick_text`."""
    from matplotlib.ticker import FuncFormatter, Locator, NullFormatter

    class _Readable(Locator):
        def __call__(self) -> Sequence[float]:
            lo, hi = self.axis.get_view_interval() if self.axis is not None else (1.0, 10.0)
            return self.tick_values(float(lo), float(hi))

        def tick_values(self, vmin: float, vmax: float) -> Sequence[float]:
            values: Sequence[float] = ticks(vmin, vmax)
            return values

    axis.set_major_locator(_Readable())
    axis.set_major_formatter(FuncFormatter(lambda value, _pos: tick_text(value)))
    axis.set_minor_formatter(NullFormatter())


def readable_log_axis(axis: Any) -> None:
    """Give the log-scaled matplotlib ``axis`` (``ax.xaxis``) ticks that are always labelled.

    Call it after ``set_xscale("log")`` (which resets the ticks); the ticks follow the view,
    so they stay right when the limits change later.
    """
    _install(axis, log_ticks)


def scale_x(ax: Any, values: Sequence[float], *, fit: bool = True) -> str:
    """A log x axis over ``values`` (all > 0), else a symmetric-log one; returns its name.

    ``fit``: also set the limits of a log axis to whole decades around the values.
    """
    if min(values) > 0:
        ax.set_xscale("log")
        readable_log_axis(ax.xaxis)
        if fit:
            ax.set_xlim(
                10.0 ** math.floor(math.log10(min(values)) - 0.5),
                10.0 ** math.ceil(math.log10(max(values)) + 0.5),
            )
        return "log scale"
    # Zero or negative values (a normal input, a difference) have no place on a log axis:
    # linear within the smallest non-zero magnitude, logarithmic beyond it.
    magnitudes = [abs(v) for v in values if v != 0]
    threshold = min(magnitudes) if magnitudes else 1.0
    ax.set_xscale("symlog", linthresh=threshold)
    _install(ax.xaxis, lambda lo, hi: symlog_ticks(lo, hi, threshold))
    top = max(max(magnitudes, default=1.0), threshold)
    lo = -(10.0 ** math.ceil(math.log10(top) + 0.5)) if min(values) < 0 else -threshold
    ax.set_xlim(lo, 10.0 ** math.ceil(math.log10(top) + 0.5))
    return "symmetric log scale: values <= 0 present"
