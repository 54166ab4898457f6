"""What stands between a case and closing as completed (`follow_up_unmet`)."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amends.consent.models import ConsentScope
from amends.consent.services import consent_withdraw
from amends.followups.selectors import follow_up_unmet
from amends.followups.services import check_in_record, follow_up_not_possible
from amends.followups.tests.helpers import check_ins_of
from amends.programmes.models import ProgrammeSettings

pytestmark = pytest.mark.django_db


def test_before_any_plan_each_person_to_follow_up_is_named(case, harmed, responsible):
    assert follow_up_unmet(case) == [
        "No follow-up check-in is planned with Hana H. (person harmed).",
        "No follow-up check-in is planned with Ray R. (person responsible).",
    ]


def test_each_person_with_check_ins_not_recorded_is_named_with_the_dates(case, planned):
    dates = [
        ", ".join(c.due_on.isoformat() for c in planned if c.participant.role == role)
        for role in ("harmed", "responsible")
    ]
    assert follow_up_unmet(case) == [
        f"The follow-up check-ins with Hana H. (person harmed) due on {dates[0]} are not "
        "recorded yet.",
        f"The follow-up check-ins with Ray R. (person responsible) due on {dates[1]} are not "
        "recorded yet.",
    ]


def test_follow_up_is_done_when_every_check_in_is_recorded_or_not_possible(
    cast, case, harmed, responsible, planned
):
    for check_in in check_ins_of(harmed):
        check_in_record(
            actor=cast.facilitator,
            check_in=check_in,
            outcome="not_reached",
            occurred_on=timezone.localdate(),
        )
    assert len(follow_up_unmet(case)) == 1
    check_in_record(
        actor=cast.facilitator,
        check_in=check_ins_of(responsible)[0],
        outcome="declined",
        occurred_on=timezone.localdate(),
    )
    due = check_ins_of(responsible)[1].due_on.isoformat()
    assert follow_up_unmet(case) == [
        f"The follow-up check-in with Ray R. (person responsible) due on {due} is not recorded yet."
    ]
    follow_up_not_possible(actor=cast.coordinator, participant=responsible, reason="In prison")
    assert follow_up_unmet(case) == []


@pytest.mark.gate("G9")
def test_someone_who_withdrew_before_the_plan_is_not_waited_for(cast, case, harmed, responsible):
    consent_withdraw(actor=cast.coordinator, participant=harmed, scope=ConsentScope.DATA_PROCESSING)
    assert follow_up_unmet(case) == [
        "No follow-up check-in is planned with Ray R. (person responsible)."
    ]


@pytest.mark.gate("G9")
def test_someone_who_withdrew_after_the_plan_still_has_their_check_ins_to_close(
    cast, case, harmed, planned
):
    consent_withdraw(actor=cast.coordinator, participant=harmed, scope=ConsentScope.DATA_PROCESSING)
    assert any("Hana H." in reason for reason in follow_up_unmet(case))


def test_a_programme_without_check_ins_asks_for_none(cast, case, harmed, responsible):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(follow_up_offsets_days=[])
    assert follow_up_unmet(case) == []
