"""Exact order statistics of many samples without reordering them: a histogram of bit keys.

A double's bits, with every bit but the sign flipped for negative values, are an integer key
that orders like the double itself. :class:`BinnedRanks` counts the samples in ``2**15`` or so
equal ranges of those keys between the smallest and the largest sample and keeps each
sample's range as a 16-bit number (a few passes over the samples, no copy of them, no
partition); the ``k``-th smallest sample then lies in the range where the running count
passes ``k``, and only the samples in that range (a few hundred at a million samples, unless
many share one value) are gathered and partitioned. The values are exactly
``np.sort(samples)[k]``: each is a sample, found by counting.

>>> import numpy as np
>>> x = np.random.default_rng(0).lognormal(0.0, 3.0, 100_000)
>>> ranks = BinnedRanks.of(x)
>>> s = np.sort(x)
>>> all(ranks.order_statistics(x, k, 2) == [s[k], s[k + 1]] for k in (0, 4_999, 50_000))
True
"""

from __future__ import annotations

from typing import Final

import numpy as np
from numpy.typing import NDArray

__all__ = ["BINNED_FROM", "BinnedRanks"]

BINNED_FROM: Final = 1 << 16
"""Sample counts from which percentiles are read through :class:`BinnedRanks`: below it a
partition of the whole costs less than the counting passes."""
_BIN_BITS: Final = 15  # at most 2**15 + 1 ranges: each sample's range fits 16 bits
_LOW_BITS: Final = np.int64(0x7FFF_FFFF_FFFF_FFFF)


def _keys(values: NDArray[np.float64]) -> NDArray[np.int64]:
    """Integer keys ordered as ``values`` are (``-0.0`` just below ``+0.0``)."""
    bits = values.view(np.int64)
    keys = np.right_shift(bits, 63)  # -1 where negative, 0 elsewhere
    keys &= _LOW_BITS
    keys ^= bits
    return keys


def _key(value: float) -> int:
    return int(_keys(np.array([value]))[0])


class BinnedRanks:
    """Each sample's range of keys and the running counts; see the module docstring."""

    __slots__ = ("_ends", "_ranges", "size")

    def __init__(self, ranges: NDArray[np.uint16], ends: NDArray[np.int64]) -> None:
        self._ranges = ranges  # each sample's range, 0 for the smallest key's
        self._ends = ends  # samples in ranges 0..b, for each range b
        self.size = int(ends[-1])

    @classmethod
    def of(cls, values: NDArray[np.float64]) -> BinnedRanks | None:
        """The ranges of ``values`` (1-D float64), or None if they hold a NaN or are empty."""
        if values.size == 0:
            return None
        low, high = float(values.min()), float(values.max())
        if not low <= high:  # a NaN
            return None
        low_key, high_key = _key(low), _key(high)
        if low == 0.0:  # min and max do not tell -0.0 from +0.0: both may be present
            low_key = min(low_key, -1)
        if high == 0.0:
            high_key = max(high_key, 0)
        shift = max(0, (high_key - low_key).bit_length() - _BIN_BITS)
        keys = _keys(values)
        keys >>= shift
        keys -= low_key >> shift
        counts = np.bincount(keys, minlength=(high_key >> shift) - (low_key >> shift) + 1)
        return cls(keys.astype(np.uint16), counts.cumsum())

    def order_statistics(self, values: NDArray[np.float64], k: int, count: int = 1) -> list[float]:
        """``np.sort(values)[k : k + count]`` (``count`` 1 or 2), ``values`` those counted."""
        ends = self._ends
        b = int(np.searchsorted(ends, k, side="right"))
        before = int(ends[b - 1]) if b else 0
        picked = values[np.flatnonzero(self._ranges == b)]
        at = k - before
        picked.partition(at)
        found = [float(picked[at])]
        if count == 2 and at + 1 < picked.size:  # the next: the smallest to its right
            found.append(float(picked[at + 1 :].min()))
        elif count == 2:  # the first of a later range
            found += self.order_statistics(values, k + 1)
        return found
