"""Which algorithmic-progress schedule each requirement sample follows (Cotra 2020).

Cotra's best-guess spreadsheet gives every anchor (hypothesis) its own algorithmic-progress
setting: a halving time of the FLOP needed and a cap on the total reduction, applied to the
whole of that anchor's requirement distribution. Peter Wildeford's Squiggle port interpolates
those settings by the requirement itself (halving time 3.5 y at 1e29 FLOP falling to 2 y at
1e35, cap 2 orders at 1e32 rising to 5 at 1e44). Applied *per sample*, that rule hands the
upper tail of every anchor (a short-horizon sample of 1e38 FLOP, say) the fast progress and
large cap of the evolution anchor, which compresses each anchor's arrival years and put the
reproduction 4 points away from Cotra's curve. Here the rule is evaluated once per anchor, at
the point ``AffordabilityParams.algo_point_log10_flop_<anchor>`` (the anchor's median), and
every sample of that anchor follows the same schedule, as in her spreadsheet.

:class:`LabelledRequirements` is a float64 array of log10 training FLOP that also carries the
anchor of each sample (``anchor_index``, positions in
:data:`~bioanchors.timelines.cotra.params.COMPONENT_NAMES`), so that it passes through the
:class:`~bioanchors.timelines.TimelinesModel` protocol unchanged. Arrays derived from it
(slices, sorted copies, arithmetic) drop the labels rather than carry them misaligned; the
affordability functions then use the per-requirement rule, as they do for a plain array.

>>> req = LabelledRequirements.build([30.0, 41.0], [0, 5])
>>> req.anchor_index.tolist(), type(req[:1]).__name__, req[:1].anchor_index is None
([0, 5], 'LabelledRequirements', True)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

import numpy as np
from numpy.typing import ArrayLike, NDArray

from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra.params import (
    ANCHOR_NAMES,
    COMPONENT_NAMES,
    AffordabilityParams,
)

__all__ = [
    "LabelledRequirements",
    "anchor_index_of",
    "anchor_positions_of",
    "anchor_schedules",
    "schedule",
    "schedule_by_anchor",
]

_NONE_INDEX: Final[int] = COMPONENT_NAMES.index("none")


class LabelledRequirements(np.ndarray[Any, np.dtype[np.float64]]):
    """log10 training FLOP samples with the anchor of each (``anchor_index``, or ``None``)."""

    anchor_index: NDArray[np.int8] | None
    _positions: tuple[NDArray[np.intp], ...] | None

    @classmethod
    def build(
        cls,
        values: ArrayLike,
        anchor_index: ArrayLike,
        positions: Sequence[NDArray[np.intp]] | None = None,
    ) -> LabelledRequirements:
        """The samples ``values`` labelled with ``anchor_index`` (same length, 1-D).
        ``positions``, if the caller has them: the positions of each label in
        :data:`~bioanchors.timelines.cotra.params.COMPONENT_NAMES` order, each ascending
        (``np.flatnonzero(anchor_index == k)``), else found when first asked for."""
        arr = np.asarray(values, dtype=np.float64)
        labels = np.array(anchor_index, dtype=np.int8)  # a copy: the positions stay true
        if arr.ndim != 1 or labels.shape != arr.shape:
            raise InvalidInputError(
                f"anchor_index: must be one label per sample, got shape {labels.shape} "
                f"for samples of shape {arr.shape}"
            )
        if labels.size and (labels.min() < 0 or labels.max() >= len(COMPONENT_NAMES)):
            raise InvalidInputError(
                f"anchor_index: must be in [0, {len(COMPONENT_NAMES) - 1}] (positions in "
                f"COMPONENT_NAMES), got {labels.min()} to {labels.max()}"
            )
        out = arr.view(cls)
        labels.setflags(write=False)
        out.anchor_index = labels
        if positions is not None:
            if len(positions) != len(COMPONENT_NAMES) or sum(map(len, positions)) != arr.size:
                raise InvalidInputError(
                    f"positions: must be one array per label of {len(COMPONENT_NAMES)}, "
                    f"{arr.size} positions in all"
                )
            out._positions = tuple(_frozen(np.asarray(p, dtype=np.intp)) for p in positions)
        return out

    def __array_finalize__(self, obj: Any) -> None:
        # A derived array (slice, sorted copy, arithmetic) cannot know which labels still
        # belong to which sample: it drops them.
        self.anchor_index = None
        self._positions = None

    def anchor_positions(self) -> tuple[NDArray[np.intp], ...] | None:
        """The positions of each label's samples (COMPONENT_NAMES order, each ascending), found
        once per array (P(TAI) and the arrival years both group the samples by anchor); None
        without labels."""
        if self.anchor_index is None:
            return None
        if self._positions is None:
            self._positions = tuple(
                _frozen(np.flatnonzero(self.anchor_index == k)) for k in range(len(COMPONENT_NAMES))
            )
        return self._positions

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (np.asarray(self).copy(), self.anchor_index))


def _frozen(array: NDArray[np.intp]) -> NDArray[np.intp]:
    array.setflags(write=False)
    return array


def _rebuild(values: NDArray[np.float64], labels: NDArray[np.int8] | None) -> NDArray[np.float64]:
    return values if labels is None else LabelledRequirements.build(values, labels)


def anchor_index_of(samples: object, size: int) -> NDArray[np.int8] | None:
    """The labels of ``samples`` if it is a :class:`LabelledRequirements` of ``size``, else None."""
    if not isinstance(samples, LabelledRequirements):
        return None
    labels = samples.anchor_index
    return labels if labels is not None and labels.size == size else None


def anchor_positions_of(samples: object, size: int) -> tuple[NDArray[np.intp], ...] | None:
    """:meth:`LabelledRequirements.anchor_positions` of ``samples`` (None as for
    :func:`anchor_index_of`)."""
    if not isinstance(samples, LabelledRequirements) or anchor_index_of(samples, size) is None:
        return None
    return samples.anchor_positions()


def schedule(
    log10_flop: ArrayLike, params: AffordabilityParams
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Halving time (years) and cap (orders) of Wildeford's rule at each log10 FLOP point."""
    f = np.asarray(log10_flop, dtype=np.float64)
    halving = np.interp(
        f,
        params.algo_halving_ramp_log10_flop,
        (params.algo_halving_time_slow_years, params.algo_halving_time_fast_years),
    )
    cap = np.interp(
        f,
        params.algo_max_oom_ramp_log10_flop,
        (params.algo_max_oom_low, params.algo_max_oom_high),
    )
    return np.asarray(halving, dtype=np.float64), np.asarray(cap, dtype=np.float64)


def schedule_by_anchor(
    anchor_index: NDArray[np.int8], params: AffordabilityParams
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Each sample's (halving time, cap): its anchor's, from the rule at the anchor's point.

    "none of these" samples get the slow end of the rule (they are ``+inf`` and never met).

    >>> h, c = schedule_by_anchor(np.array([0, 4, 5], dtype=np.int8), AffordabilityParams())
    >>> print(np.round(h, 2), np.round(c, 2))
    [2.75 3.5  2.  ] [2.   2.   4.25]
    """
    halving, cap = anchor_schedules(params)
    return halving[anchor_index], cap[anchor_index]


def anchor_schedules(
    params: AffordabilityParams,
) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """(halving time, cap) of each anchor, indexed by the anchor labels (the last entry:
    "none of these", at the slow end of the rule)."""
    points = [getattr(params, f"algo_point_log10_flop_{name}") for name in ANCHOR_NAMES]
    points.append(params.algo_halving_ramp_log10_flop[0])  # "none": never met anyway
    return schedule(np.asarray(points), params)
