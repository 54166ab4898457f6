"""The demo follow-up runs through the services and can be run twice."""

from __future__ import annotations

import pytest

from amends.core.testing.matrix import domain_snapshot
from amends.followups.demo import create_demo_follow_up
from amends.followups.models import CheckIn, CheckInStatus, SurveyInvitation, SurveyResponse

pytestmark = pytest.mark.django_db


def test_the_demo_has_check_ins_one_recorded_a_survey_answered_and_one_sent(cast, case):
    create_demo_follow_up(case=case, coordinator=cast.coordinator, facilitator=cast.facilitator)
    assert CheckIn.objects.filter(case=case).count() == 4
    assert CheckIn.objects.filter(case=case, status=CheckInStatus.REACHED).count() == 1
    assert SurveyResponse.objects.get(case=case).participant.role == "harmed"
    assert SurveyInvitation.objects.get(case=case).participant.role == "responsible"
    before = domain_snapshot()
    create_demo_follow_up(case=case, coordinator=cast.coordinator, facilitator=cast.facilitator)
    assert domain_snapshot() == before
