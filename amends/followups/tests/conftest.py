"""Fixtures for the follow-up tests: the cast's case (in `contact`: planning does not
depend on the stage, so the tests need not wait for the stages after `ready`), its two key
participants with a safe e-mail address each, and a real SMTP server on loopback."""

from __future__ import annotations

import pytest

from amends.cases.models import ParticipantRole
from amends.cases.tests.builders import participant
from amends.consent.tests.conftest import smtp_server  # noqa: F401 - a fixture, reused
from amends.followups.tests.helpers import add_email


@pytest.fixture
def case(cast):
    """Northshire case: coordinator, facilitator assigned, advocate for the person harmed."""
    return cast.case


@pytest.fixture
def harmed(case):
    person = participant(case, ParticipantRole.HARMED)
    add_email(person, "hana@example.org")
    return person


@pytest.fixture
def responsible(case):
    person = participant(case, ParticipantRole.RESPONSIBLE)
    add_email(person, "ray@example.net")
    return person


@pytest.fixture
def planned(case, harmed, responsible):
    """The case's follow-up, planned by the system."""
    from amends.followups.services import follow_up_plan

    return follow_up_plan(actor=None, case=case)
