"""The checks every evaluated chunk passes: finite values that never left float range.

:func:`refuse_lost_values` refuses values that are not finite, that overflowed on the way (1 /
inf reads as 0), or that underflowed: outputs left at zero or subnormal, and outputs that a
later step brought back into range from a subnormal intermediate (``x / 1e90 * 1e4`` of a
``1e-223``: every digit below the subnormal's few is gone). That last check re-evaluates the
chunk watching every step, and runs only when a step underflowed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeAlias

import numpy as np
from numpy.typing import NDArray

from bioanchors.errors import OutOfRangeError, SamplingError

__all__ = ["refuse_lost_values"]

FloatArray: TypeAlias = NDArray[np.float64]
_TINY = np.finfo(np.float64).tiny


def refuse_lost_values(
    values: FloatArray, flagged: list[str], again: Callable[[Callable[[FloatArray], None]], None]
) -> None:
    """Errors for values that are not finite, or that left float range on the way."""
    finite = np.isfinite(values)
    if not finite.all():
        raise SamplingError(
            f"{values.size - int(finite.sum())} of {values.size} sampled values are not finite "
            "(a division by zero, the log or square root of a negative number, or an overflow); "
            "check that each input's range suits the formula"
        )
    if "overflow" in flagged:
        # A step went beyond float range: even where a later step brought the value back (1 /
        # inf is 0), the samples lost their value.
        raise OutOfRangeError(
            "a step of the computation overflowed beyond the largest float (1.8e308) before "
            "reaching the output (1 / inf reads as 0); rescale the inputs (another unit, say) "
            "so that every step stays in float range"
        )
    if "underflow" in flagged:
        # Some step fell below the smallest normal float. Where that left zeros or subnormal
        # numbers in an output, those samples lost their value (0 instead of 1e-400, say).
        count = int(np.count_nonzero(np.abs(values) < _TINY))
        if count:
            raise OutOfRangeError(
                f"{count} of {values.size} sampled values underflowed below the smallest float "
                "(2.2e-308) and would read as 0; rescale the inputs (a larger unit, say) so "
                "that the result stays in float range"
            )
        passed = np.zeros(values.shape[1], dtype=bool)  # through a subnormal intermediate

        def watch(result: FloatArray) -> None:
            tiny = (result != 0) & (np.abs(result) < _TINY)
            if tiny.any():
                passed[...] |= np.broadcast_to(tiny, passed.shape)

        again(watch)
        lost = passed & (values != 0).any(axis=0)
        if lost.any():
            raise OutOfRangeError(
                f"{int(lost.sum())} of {lost.size} samples passed through a step below the "
                "smallest normal float (2.2e-308), where a float keeps fewer digits, and came "
                "back into range with their digits lost; rescale the inputs (another unit, "
                "say) so that every step stays in float range"
            )
