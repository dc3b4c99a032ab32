"""Exact order statistics of many samples without reordering them: a histogram of bit keys.

A double's bits, with every bit but the sign flipped for negative values, are an integer key
that orders like the double itself. :class:`BinnedRanks` counts the samples in ``2**16`` or so
equal ranges of those keys between the smallest and the largest sample (a few passes over the
samples, no copy, no partition); the ``k``-th smallest sample then lies in the range where the
running count passes ``k``, and only the samples in that range (a few hundred at a million
samples, unless many share one value) are gathered and partitioned. The values are exactly
``np.sort(samples)[k]``: each is a sample, found by counting.

The gathered samples are picked by comparing the doubles with the range's ends; where that
does not pick exactly the samples counted in the range (``-0.0`` and ``+0.0`` have different
keys but compare equal), :meth:`BinnedRanks.order_statistic` returns ``None`` and the caller
partitions as before.

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
_BIN_BITS: Final = 16  # about 2**16 ranges between the smallest and the largest key
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


def _double(key: int) -> float:
    bits = key if key >= 0 else key ^ int(_LOW_BITS)
    return float(np.array([bits], dtype=np.int64).view(np.float64)[0])


class BinnedRanks:
    """The counts of ``values`` in equal ranges of their keys; see the module docstring."""

    __slots__ = ("_ends", "_first", "_high", "_low", "_shift", "size")

    def __init__(
        self, ends: NDArray[np.int64], first: int, shift: int, low: int, high: int
    ) -> None:
        self._ends = ends  # samples in ranges 0..b, for each range b
        self._first = first  # the first range's number: its keys start at first << shift
        self._shift = shift
        self._low, self._high = low, high  # the smallest and the largest key
        self.size = int(ends[-1])

    @classmethod
    def of(cls, values: NDArray[np.float64]) -> BinnedRanks | None:
        """The counts of ``values`` (1-D float64), or None if they hold a NaN or are empty."""
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
        first = low_key >> shift
        keys -= first
        counts = np.bincount(keys, minlength=(high_key >> shift) - first + 1)
        return cls(counts.cumsum(), first, shift, low_key, high_key)

    def order_statistics(
        self, values: NDArray[np.float64], k: int, count: int = 1
    ) -> list[float] | None:
        """``np.sort(values)[k : k + count]`` (``count`` 1 or 2), ``values`` those counted;
        None where a range's samples cannot be picked out by comparing doubles (the caller
        then partitions)."""
        ends = self._ends
        b = int(np.searchsorted(ends, k, side="right"))
        before = int(ends[b - 1]) if b else 0
        start = (self._first + b) << self._shift
        lowest = _double(max(start, self._low))
        highest = _double(min(start + (1 << self._shift) - 1, self._high))
        picked = values[(values >= lowest) & (values <= highest)]
        if picked.size != int(ends[b]) - before:
            return None
        at = k - before
        picked.partition(at)
        found = [float(picked[at])]
        if count == 2 and at + 1 < picked.size:  # the next: the smallest to its right
            found.append(float(picked[at + 1 :].min()))
        elif count == 2:  # the first of a later range
            later = self.order_statistics(values, k + 1)
            if later is None:
                return None
            found += later
        return found
