"""Fixtures for the exchange tests: the cast's case, ready for a letter exchange."""

from __future__ import annotations

import pytest

from amends.exchanges.tests.helpers import letter_case


@pytest.fixture
def case(cast):
    """Northshire case in `ready` for letters: coordinator, facilitator assigned, advocate
    for the person harmed, whose address, phone and e-mail are recorded."""
    return letter_case(cast)
