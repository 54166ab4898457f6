"""The demo's meetings are made through the services and leave a case whose process took
place."""

from __future__ import annotations

import datetime

import pytest

from amends.meetings.demo import create_demo_meetings
from amends.meetings.models import Meeting, SessionRecord, Venue
from amends.meetings.selectors import joint_meeting_held_on
from amends.meetings.tests.helpers import at

pytestmark = pytest.mark.django_db


def test_demo_meetings_give_a_ready_case_its_preparation_and_a_held_joint_meeting(cast, case):
    made = create_demo_meetings(
        case=case, coordinator=cast.coordinator, facilitator=cast.facilitator
    )
    assert [meeting.kind for meeting in made] == ["preparation", "preparation", "victim_offender"]
    assert set(Meeting.objects.values_list("status", flat=True)) == {"held"}
    assert SessionRecord.objects.count() == 3
    assert Venue.objects.get().has_separate_waiting_areas
    assert joint_meeting_held_on(case) == at(-3).date()


def test_demo_meetings_work_in_a_domestic_abuse_case(cast, da_case):
    made = create_demo_meetings(
        case=da_case, coordinator=cast.coordinator, facilitator=cast.facilitator
    )
    joint = made[-1]
    arrivals = sorted(a.arrives_at for a in joint.attendees.filter(participant__isnull=False))
    assert arrivals[1] - arrivals[0] >= datetime.timedelta(minutes=15)


def test_the_demo_needs_a_face_to_face_process(cast):
    from amends.cases.tests.builders import drive_to_ready

    letters = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    with pytest.raises(ValueError, match="face to face"):
        create_demo_meetings(
            case=letters, coordinator=cast.coordinator, facilitator=cast.facilitator
        )
    assert not Meeting.objects.exists()
