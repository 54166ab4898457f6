"""Fixtures for the support tests."""

from __future__ import annotations

import pytest


@pytest.fixture
def case(cast):
    """Northshire case in `contact`: coordinator, facilitator assigned, advocate for the
    person harmed (conftest's cast.case)."""
    return cast.case
