"""Requirement samples grouped by anchor once: the positions a mixture hands on.

``mixture`` already finds the samples of each anchor; it hands those positions on with the
labels (``LabelledRequirements``) so that P(TAI) and the arrival years do not group the samples
again. The positions must be exactly ``np.flatnonzero(labels == k)``, dropped by every derived
array, and the answers with them identical to the answers without them.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bioanchors.errors import InvalidInputError
from bioanchors.timelines.cotra.affordability import arrival_years, prob_tai_by
from bioanchors.timelines.cotra.anchors import mixture
from bioanchors.timelines.cotra.params import COMPONENT_NAMES
from bioanchors.timelines.cotra.progress import LabelledRequirements, anchor_positions_of


def _relabelled(req: LabelledRequirements) -> LabelledRequirements:
    """The same samples and labels, without the mixture's positions (found when asked)."""
    assert req.anchor_index is not None
    return LabelledRequirements.build(np.asarray(req).copy(), req.anchor_index.copy())


@settings(max_examples=25, deadline=None)
@given(
    n=st.integers(1, 3_000),
    seed=st.integers(0, 2**32 - 1),
    centre=st.floats(5.0, 25.0),
)
def test_the_mixture_positions_are_each_label_s_samples_and_change_no_answer(
    n: int, seed: int, centre: float
) -> None:
    brain = np.random.default_rng(seed).normal(centre, 2.0, n)
    req = mixture(brain, rng=np.random.default_rng([seed, 2020]))
    assert isinstance(req, LabelledRequirements)
    assert req.anchor_index is not None
    given_positions = anchor_positions_of(req, req.size)
    assert given_positions is not None
    assert len(given_positions) == len(COMPONENT_NAMES)
    for k, where in enumerate(given_positions):
        np.testing.assert_array_equal(where, np.flatnonzero(req.anchor_index == k))
        assert not where.flags.writeable
    plain = _relabelled(req)
    years = np.arange(2025.0, 2101.0)
    for grid in (years, years[10:13]):
        np.testing.assert_array_equal(prob_tai_by(grid, req), prob_tai_by(grid, plain))
    np.testing.assert_array_equal(arrival_years(req), arrival_years(plain))


def test_derived_arrays_drop_the_positions_with_the_labels() -> None:
    req = LabelledRequirements.build([30.0, 41.0, np.inf], [0, 5, 6])
    positions = req.anchor_positions()
    assert positions is not None
    assert [p.tolist() for p in positions] == [[0], [], [], [], [], [1], [2]]
    part = req[:2]
    assert isinstance(part, LabelledRequirements)
    assert part.anchor_positions() is None
    assert anchor_positions_of(np.asarray(req), 3) is None


def test_positions_that_do_not_cover_the_samples_are_refused() -> None:
    empty = np.array([], dtype=np.intp)
    with pytest.raises(InvalidInputError, match="positions"):
        LabelledRequirements.build([30.0, 31.0], [0, 0], [np.array([0])] + [empty] * 6)
    with pytest.raises(InvalidInputError, match="positions"):
        LabelledRequirements.build([30.0], [0], [np.array([0])])
