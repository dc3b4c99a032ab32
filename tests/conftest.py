"""Test configuration: deterministic hypothesis, and the examples folder for test_examples."""

from __future__ import annotations

from hypothesis import HealthCheck, settings

settings.register_profile(
    "bioanchors",
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile("bioanchors")
