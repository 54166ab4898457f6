"""Fixtures for the agreement tests: the cast's case carried honestly to `process`, its two
key participants, and an agreement of the person responsible made today."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amends.agreements.services import agreement_create
from amends.cases.models import ParticipantRole
from amends.cases.tests.builders import drive_to_ready, move, participant


@pytest.fixture
def case(cast):
    """Northshire case in `process` (letters): coordinator, facilitator assigned, advocate
    for the person harmed."""
    ready = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    return move(ready, "process", cast.coordinator)


@pytest.fixture
def harmed(case):
    return participant(case, ParticipantRole.HARMED)


@pytest.fixture
def responsible(case):
    return participant(case, ParticipantRole.RESPONSIBLE)


@pytest.fixture
def agreement(cast, case, responsible):
    return agreement_create(
        actor=cast.facilitator, case=case, responsible=responsible, made_on=timezone.localdate()
    )
