"""Doctests (README.md and docstrings) run as in a fresh interpreter.

Every input made draws from a stream keyed by its content and by how many alike inputs the
process made before it, so a documented Monte Carlo number is the one a reader gets in a new
session. Each doctest therefore starts with the ordinals a new process has.
"""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _fresh_streams_for_doctests(request: pytest.FixtureRequest) -> None:
    if isinstance(request.node, pytest.DoctestItem):
        from bioanchors._graph.uncertain import reset_stream_ordinals

        reset_stream_ordinals()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "chromium: renders a page in headless Chromium (skipped when `chromium` is not on PATH)",
    )
