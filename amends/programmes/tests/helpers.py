"""Small helpers for the programme tests."""

from __future__ import annotations


def present[T](value: T | None) -> T:
    """`value`, failing the test when it is None (and telling mypy it is not)."""
    assert value is not None
    return value
