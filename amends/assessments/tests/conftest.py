"""Fixtures for assessment tests (helpers are in helpers.py)."""

from __future__ import annotations

import pytest

from amends.assessments.tests.helpers import build_sensitive_case
from amends.cases.models import Case


@pytest.fixture
def sensitive_case(cast) -> Case:
    """A domestic-abuse case in `contact`, coordinated by `coordinator`, with
    `facilitator` assigned."""
    return build_sensitive_case(cast)
