"""After a meeting: the session record (restricted, encrypted), passing a safeguarding
concern on with its legal basis, the "record the session" task, the video safety check,
and when the process counts as having taken place."""

from __future__ import annotations

import pytest
from django.db import connection

from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, ConflictError
from amends.meetings.models import SessionRecord
from amends.meetings.selectors import joint_meeting_held_on
from amends.meetings.services import (
    meeting_cancel,
    meeting_record_task_if_due,
    meeting_safety_check_record,
    session_concern_escalate,
    session_record_create,
)
from amends.meetings.tests.helpers import at, schedule_joint, schedule_preparation
from amends.tasks.models import Task

pytestmark = pytest.mark.django_db


@pytest.fixture
def past_joint(cast, case, harmed, responsible):
    """A joint meeting two days ago, not yet recorded."""
    return schedule_joint(cast, case, harmed, responsible, days=-2, now=at(-9))


def _record(cast, meeting, **options):
    attended = options.pop("attended", None)
    return session_record_create(
        actor=options.pop("actor", cast.facilitator),
        meeting=meeting,
        took_place=options.pop("took_place", True),
        attended=list(meeting.attendees.all()) if attended is None else attended,
        outcome=options.pop("outcome", "agreement"),
        **options,
    )


def test_recording_a_session_marks_it_held_with_who_came(cast, past_joint, responsible):
    came = list(past_joint.attendees.exclude(participant=responsible))
    record = _record(cast, past_joint, attended=came, notes="Hana spoke first.")
    past_joint.refresh_from_db()
    assert (past_joint.status, record.outcome) == ("held", "agreement")
    assert {a.participant_id: a.attended for a in past_joint.attendees.all()}[
        responsible.pk
    ] is False
    event = AuditEvent.objects.get(action="meeting.recorded")
    assert event.data["written"] == ["notes"]
    assert "Hana spoke first" not in str(event.data)


def test_restricted_notes_are_encrypted_at_rest(cast, past_joint):
    record = _record(cast, past_joint, notes="Ray said he was sorry.", disclosures="A disclosure")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT notes, disclosures FROM meetings_sessionrecord WHERE id = %s", [record.pk]
        )
        stored = " ".join(cursor.fetchone())
    assert "sorry" not in stored
    assert "disclosure" not in stored
    assert SessionRecord.objects.get().notes == "Ray said he was sorry."


def test_a_meeting_nobody_came_to_is_recorded_as_not_attended(cast, past_joint):
    record = _record(cast, past_joint, took_place=False, attended=[], outcome="agreement")
    past_joint.refresh_from_db()
    assert (past_joint.status, record.outcome, record.took_place) == (
        "not_attended",
        "not_held",
        False,
    )


def test_a_meeting_that_took_place_needs_a_participant_who_came(cast, past_joint):
    staff = list(past_joint.attendees.filter(user__isnull=False))
    with pytest.raises(ApplicationError) as refused:
        _record(cast, past_joint, attended=staff)
    assert refused.value.reasons == ["Say which participants came."]
    assert not SessionRecord.objects.exists()


def test_a_meeting_cannot_be_recorded_before_it_starts(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    with pytest.raises(ApplicationError) as refused:
        _record(cast, meeting, outcome="prepared")
    assert refused.value.reasons == ["A meeting can be recorded once it has started."]
    meeting.refresh_from_db()
    assert meeting.status == "planned"


def test_a_cancelled_meeting_cannot_be_recorded(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    meeting_cancel(actor=cast.facilitator, meeting=meeting)
    with pytest.raises(ApplicationError) as refused:
        _record(cast, meeting, now=at(3), outcome="prepared")
    assert refused.value.reasons == ["The meeting was not held: it is cancelled or postponed."]


def test_a_meeting_is_recorded_once(cast, past_joint):
    _record(cast, past_joint)
    with pytest.raises(ConflictError):
        _record(cast, past_joint)
    assert SessionRecord.objects.count() == 1


def test_attendees_of_another_meeting_are_refused(cast, case, harmed, past_joint):
    other = schedule_preparation(cast, case, harmed, days=-1, now=at(-9))
    with pytest.raises(ApplicationError) as refused:
        _record(cast, past_joint, attended=list(other.attendees.all()))
    assert "Choose the people who came from those invited." in refused.value.reasons


def test_an_ended_meeting_without_a_record_gets_one_task_for_its_facilitator(cast, past_joint):
    first = meeting_record_task_if_due(meeting=past_joint)
    again = meeting_record_task_if_due(meeting=past_joint)
    assert first is not None
    assert first == again
    assert (first.kind, first.assignee, first.case_id) == (
        "meeting_record_due",
        cast.facilitator,
        past_joint.case_id,
    )
    _record(cast, past_joint)
    first.refresh_from_db()
    assert first.done_at is not None


def test_no_task_before_the_end_or_for_a_cancelled_meeting(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    assert meeting_record_task_if_due(meeting=meeting) is None
    meeting_cancel(actor=cast.facilitator, meeting=meeting)
    assert meeting_record_task_if_due(meeting=meeting, now=at(3)) is None
    assert not Task.objects.filter(kind="meeting_record_due").exists()


def test_a_concern_is_passed_on_with_its_legal_basis_and_a_task_for_the_coordinator(
    cast, past_joint
):
    record = _record(cast, past_joint, concern="A child at home may be at risk.")
    escalated = session_concern_escalate(
        actor=cast.facilitator,
        record=record,
        basis="safeguarding",
        escalated_to="Northshire children's social care",
    )
    assert escalated.escalated_by == cast.facilitator
    event = AuditEvent.objects.get(action="meeting.concern_escalated")
    assert event.reason == "Statutory safeguarding duty (child or adult at risk)"
    assert event.data["legal_basis"] == "safeguarding"
    assert "child" not in str(event.data)
    task = Task.objects.get(key=f"meeting:{past_joint.pk}:concern")
    assert (task.assignee, task.case_id) == (None, past_joint.case_id)
    with pytest.raises(ConflictError):
        session_concern_escalate(
            actor=cast.facilitator, record=record, basis="safeguarding", escalated_to="Police"
        )


def test_a_concern_needs_a_legal_basis_and_a_recipient(cast, past_joint):
    record = _record(cast, past_joint, concern="Worrying remark")
    with pytest.raises(ApplicationError) as refused:
        session_concern_escalate(actor=cast.facilitator, record=record, basis="", escalated_to="")
    assert refused.value.reasons == [
        "Choose the legal basis for passing it on.",
        "Say who it is passed to (an agency or team, not a person's name).",
    ]
    record.refresh_from_db()
    assert record.escalated_at is None
    assert not Task.objects.filter(key__endswith=":concern").exists()


def test_without_a_concern_there_is_nothing_to_pass_on(cast, past_joint):
    record = _record(cast, past_joint)
    with pytest.raises(ApplicationError) as refused:
        session_concern_escalate(
            actor=cast.facilitator, record=record, basis="consent", escalated_to="GP"
        )
    assert refused.value.reasons == ["The session record notes no safeguarding concern."]


def test_the_process_took_place_on_the_first_joint_meeting_held(
    cast, case, harmed, responsible, past_joint
):
    assert joint_meeting_held_on(case) is None
    preparation = schedule_preparation(cast, case, harmed, days=-5, now=at(-9))
    _record(cast, preparation, outcome="prepared")
    assert joint_meeting_held_on(case) is None
    later = schedule_joint(cast, case, harmed, responsible, days=-1, now=at(-9))
    _record(cast, later)
    assert joint_meeting_held_on(case) == at(-1).date()
    _record(cast, past_joint)
    assert joint_meeting_held_on(case) == at(-2).date()


def test_a_joint_meeting_nobody_came_to_is_not_the_process(cast, case, past_joint):
    _record(cast, past_joint, took_place=False, attended=[])
    assert joint_meeting_held_on(case) is None


def test_the_video_safety_check_needs_every_item(cast, case, harmed, responsible):
    meeting = schedule_joint(cast, case, harmed, responsible)
    with pytest.raises(ApplicationError) as refused:
        meeting_safety_check_record(
            actor=cast.facilitator, meeting=meeting, confirmed=["private", "alone"]
        )
    assert len(refused.value.reasons) == 3
    meeting.refresh_from_db()
    assert meeting.safety_checked_at is None
    checked = meeting_safety_check_record(
        actor=cast.facilitator,
        meeting=meeting,
        confirmed=["private", "alone", "call_back", "leave", "pause"],
    )
    assert checked.safety_checked_by == cast.facilitator


def test_the_safety_check_is_for_video_meetings(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    with pytest.raises(ApplicationError) as refused:
        meeting_safety_check_record(actor=cast.facilitator, meeting=meeting, confirmed=[])
    assert refused.value.reasons == ["The safety check is for video meetings."]
