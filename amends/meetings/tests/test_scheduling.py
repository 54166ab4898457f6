"""Scheduling, moving, postponing and cancelling meetings: who may, when, and what bad
input is told (with nothing changed)."""

from __future__ import annotations

import pytest
from django.core import mail

from amends.audit.models import AuditEvent
from amends.cases.tests.builders import move
from amends.core.errors import ApplicationError, PermissionRefused
from amends.meetings.models import Attendee, Meeting
from amends.meetings.selectors import video_link
from amends.meetings.services import (
    AttendeeInput,
    meeting_cancel,
    meeting_move,
    meeting_postpone,
    meeting_schedule,
)
from amends.meetings.tests.helpers import (
    at,
    calendar_of,
    minutes,
    schedule_joint,
    schedule_preparation,
)
from amends.programmes.services import programme_settings_update

pytestmark = pytest.mark.django_db


def _refusal(call) -> ApplicationError:
    before = (Meeting.objects.count(), Attendee.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ApplicationError) as refused:
        call()
    after = (Meeting.objects.count(), Attendee.objects.count(), AuditEvent.objects.count())
    assert after == before
    return refused.value


def test_a_preparation_meeting_is_scheduled_with_one_participant_and_the_facilitator(
    cast, case, harmed
):
    meeting = schedule_preparation(cast, case, harmed)
    assert meeting.status == "planned"
    assert meeting.sequence == 0
    assert {(a.participant_id, a.user_id, a.role) for a in meeting.attendees.all()} == {
        (harmed.pk, None, "participant"),
        (None, cast.facilitator.pk, "facilitator"),
    }
    event = AuditEvent.objects.get(action="meeting.scheduled")
    assert event.data["kind"] == "preparation"


def test_a_preparation_meeting_with_two_participants_is_refused(cast, case, harmed, responsible):
    refused = _refusal(
        lambda: meeting_schedule(
            actor=cast.facilitator,
            case=case,
            kind="preparation",
            modality="phone",
            starts_at=at(2, 10),
            ends_at=at(2, 11),
            attendees=[
                AttendeeInput(participant=harmed),
                AttendeeInput(participant=responsible),
                AttendeeInput(user=cast.facilitator),
            ],
        )
    )
    assert refused.message == "The meeting was not scheduled."
    assert refused.reasons == [
        "A preparation meeting is with one participant at a time (an interpreter may join them)."
    ]


def test_a_meeting_in_the_past_is_refused(cast, case, harmed):
    refused = _refusal(
        lambda: schedule_preparation(cast, case, harmed, starts_at=at(-1, 10), ends_at=at(-1, 11))
    )
    assert refused.reasons == ["The meeting must start in the future."]


def test_a_meeting_that_ends_before_it_starts_is_refused(cast, case, harmed):
    refused = _refusal(
        lambda: schedule_preparation(cast, case, harmed, starts_at=at(2, 11), ends_at=at(2, 10))
    )
    assert refused.reasons == ["The meeting must end after it starts."]


def test_a_departure_before_the_arrival_is_refused(cast, case, harmed, responsible):
    starts = at(5, 14)
    refused = _refusal(
        lambda: schedule_joint(
            cast, case, harmed, responsible, harmed_times=(starts + minutes(30), starts)
        )
    )
    assert refused.reasons == ["Hana H. (person harmed) must leave after they arrive."]


def test_times_far_from_the_meeting_are_refused(cast, case, harmed, responsible):
    starts, ends = at(5, 14), at(5, 16)
    refused = _refusal(
        lambda: schedule_joint(
            cast, case, harmed, responsible, harmed_times=(starts - minutes(240), ends)
        )
    )
    assert refused.reasons == [
        "Hana H. (person harmed)'s arrival and departure must be within three hours of the meeting."
    ]


def test_a_meeting_in_person_needs_a_venue(cast, case, harmed):
    refused = _refusal(lambda: schedule_preparation(cast, case, harmed, modality="in_person"))
    assert refused.reasons == ["Choose the venue of a meeting in person."]


def test_a_venue_of_another_programme_is_refused(cast, case, harmed):
    from amends.meetings.services import venue_create

    elsewhere = venue_create(
        actor=cast.other_supervisor,
        programme=cast.other_programme,
        name="Southvale Hub",
        address="3 Quay",
    )
    refused = _refusal(
        lambda: schedule_preparation(cast, case, harmed, modality="in_person", venue=elsewhere)
    )
    assert refused.reasons == ["That venue belongs to another programme."]


def test_every_meeting_needs_an_assigned_facilitator(cast, case, harmed):
    refused = _refusal(
        lambda: meeting_schedule(
            actor=cast.coordinator,
            case=case,
            kind="preparation",
            modality="phone",
            starts_at=at(2, 10),
            ends_at=at(2, 11),
            attendees=[AttendeeInput(participant=harmed), AttendeeInput(user=cast.supervisor)],
        )
    )
    assert refused.reasons == [
        "Invite at least one of the case's facilitators.",
        "Supervisor is not assigned to this case.",
    ]


def test_a_victim_offender_meeting_needs_both_parties(cast, case, harmed):
    refused = _refusal(
        lambda: meeting_schedule(
            actor=cast.facilitator,
            case=case,
            kind="victim_offender",
            modality="phone",
            starts_at=at(2, 10),
            ends_at=at(2, 11),
            attendees=[AttendeeInput(participant=harmed), AttendeeInput(user=cast.facilitator)],
        )
    )
    assert refused.reasons == [
        "A victim–offender meeting needs both the person harmed and the person responsible."
    ]


def test_joint_meetings_wait_for_ready_and_preparation_meetings_for_preparation(cast):
    from amends.cases.models import ParticipantRole
    from amends.cases.tests.builders import participant

    in_contact = cast.case
    harmed = participant(in_contact, ParticipantRole.HARMED)
    refused = _refusal(lambda: schedule_preparation(cast, in_contact, harmed))
    assert refused.reasons == [
        "Preparation meetings can be scheduled from the preparation stage on."
    ]


def test_a_joint_meeting_is_refused_before_the_case_is_ready(cast, case, harmed, responsible):
    back = move(case, "preparation", cast.coordinator)
    refused = _refusal(lambda: schedule_joint(cast, back, harmed, responsible))
    assert refused.reasons == [
        "Joint meetings can be scheduled when the case is ready, in process or monitoring an "
        "agreement."
    ]
    assert schedule_preparation(cast, back, harmed).kind == "preparation"


def test_a_follow_up_meeting_waits_for_the_follow_up_stage(cast, case, harmed, responsible):
    refused = _refusal(lambda: schedule_joint(cast, case, harmed, responsible, kind="follow_up"))
    assert refused.reasons == ["Follow-up meetings are scheduled once the case is in follow-up."]


def test_only_people_working_on_the_case_schedule(cast, case, harmed):
    for outsider in (cast.advocate, cast.referrer, cast.evaluator, cast.other_supervisor):
        with pytest.raises(PermissionRefused):
            schedule_preparation(cast, case, harmed, actor=outsider)
    assert not Meeting.objects.exists()


def test_a_video_meeting_gets_an_unguessable_private_room_on_the_programmes_service(
    cast, case, harmed, responsible, settings
):
    settings.AMENDS_VIDEO_BASE_URL = "https://video.example.org/"
    first = schedule_joint(cast, case, harmed, responsible)
    second = schedule_joint(cast, case, harmed, responsible, days=6)
    assert len(first.video_room) == 32
    assert first.video_room != second.video_room
    assert video_link(first) == f"https://video.example.org/{first.video_room}"
    programme_settings_update(
        actor=cast.administrator,
        programme=cast.programme,
        video_base_url="https://meet.northshire.example",
    )
    assert video_link(first) == f"https://meet.northshire.example/{first.video_room}"


def test_a_meeting_by_phone_has_no_video_room(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    assert meeting.video_room == ""
    assert video_link(meeting) == ""


def test_moving_a_meeting_moves_everyones_times_and_raises_the_sequence(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast, case, harmed, responsible, harmed_times=(starts - minutes(15), ends)
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = meeting_move(
            actor=cast.coordinator, meeting=meeting, starts_at=at(7, 9), ends_at=at(7, 12)
        )
    assert (moved.starts_at, moved.ends_at, moved.sequence) == (at(7, 9), at(7, 12), 1)
    harmed_place = moved.attendees.get(participant=harmed)
    assert (harmed_place.arrives_at, harmed_place.leaves_at) == (at(7, 8, 45), at(7, 12))
    calendars = [calendar_of(message) for message in mail.outbox]
    assert len(calendars) == 3
    for calendar in calendars:
        event = calendar.walk("VEVENT")[0]
        assert calendar["METHOD"] == "REQUEST"
        assert str(event["UID"]) == meeting.uid
        assert event["SEQUENCE"] == 1
    assert AuditEvent.objects.filter(action="meeting.moved").count() == 1


def test_moving_to_the_same_time_changes_nothing(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    again = meeting_move(
        actor=cast.facilitator,
        meeting=meeting,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
    )
    assert again.sequence == 0
    assert not AuditEvent.objects.filter(action="meeting.moved").exists()


def test_moving_into_the_past_is_refused(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    with pytest.raises(ApplicationError) as refused:
        meeting_move(
            actor=cast.facilitator, meeting=meeting, starts_at=at(-1, 9), ends_at=at(-1, 10)
        )
    assert refused.value.reasons == ["The meeting must start in the future."]
    meeting.refresh_from_db()
    assert (meeting.starts_at, meeting.sequence) == (at(2, 10), 0)


def test_shortening_a_meeting_below_someones_arrival_is_refused(cast, case, harmed, responsible):
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast, case, harmed, responsible, responsible_times=(starts + minutes(60), ends)
    )
    with pytest.raises(ApplicationError) as refused:
        meeting_move(actor=cast.facilitator, meeting=meeting, starts_at=starts, ends_at=at(5, 15))
    # Departures move with the end: Ray would leave at 15:00, when he arrives.
    assert refused.value.reasons == ["Ray R. (person responsible) must leave after they arrive."]


def test_a_domestic_abuse_meeting_is_checked_again_when_moved(cast, da_case, venue):
    from amends.cases.models import ParticipantRole
    from amends.cases.tests.builders import participant
    from amends.safety.services import safety_plan_save

    harmed = participant(da_case, ParticipantRole.HARMED)
    responsible = participant(da_case, ParticipantRole.RESPONSIBLE)
    starts, ends = at(5, 14), at(5, 16)
    meeting = schedule_joint(
        cast,
        da_case,
        harmed,
        responsible,
        venue=venue,
        separate_waiting_booked=True,
        harmed_times=(starts - minutes(15), ends),
        responsible_times=(starts, ends + minutes(15)),
    )
    safety_plan_save(
        actor=cast.facilitator, case=da_case, measures=["staggered", "separate_waiting"]
    )
    moved = meeting_move(
        actor=cast.facilitator, meeting=meeting, starts_at=at(6, 14), ends_at=at(6, 16)
    )
    assert moved.sequence == 1


def test_postponing_sends_a_cancellation_and_a_new_time_an_update(
    cast, case, harmed, django_capture_on_commit_callbacks
):
    meeting = schedule_preparation(cast, case, harmed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        postponed = meeting_postpone(actor=cast.facilitator, meeting=meeting, note="Illness")
    assert (postponed.status, postponed.sequence) == ("postponed", 1)
    assert {calendar_of(m)["METHOD"] for m in mail.outbox} == {"CANCEL"}
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        moved = meeting_move(
            actor=cast.facilitator, meeting=postponed, starts_at=at(9, 10), ends_at=at(9, 11)
        )
    assert (moved.status, moved.sequence) == ("planned", 2)
    assert {calendar_of(m)["METHOD"] for m in mail.outbox} == {"REQUEST"}


def test_cancelling_sends_the_cancellation_once(
    cast, case, harmed, django_capture_on_commit_callbacks
):
    meeting = schedule_preparation(cast, case, harmed)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = meeting_cancel(actor=cast.facilitator, meeting=meeting)
        again = meeting_cancel(actor=cast.facilitator, meeting=meeting)
    assert (cancelled.status, cancelled.cancel_reason, again.sequence) == (
        "cancelled",
        "decided",
        1,
    )
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        event = calendar_of(message).walk("VEVENT")[0]
        assert (str(event["STATUS"]), event["SEQUENCE"]) == ("CANCELLED", 1)


def test_a_cancelled_meeting_cannot_be_moved_or_postponed(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed)
    meeting_cancel(actor=cast.facilitator, meeting=meeting)
    with pytest.raises(ApplicationError) as refused:
        meeting_move(
            actor=cast.facilitator, meeting=meeting, starts_at=at(4, 10), ends_at=at(4, 11)
        )
    assert refused.value.reasons == ["Only a planned or postponed meeting can be moved."]
    with pytest.raises(ApplicationError) as refused:
        meeting_postpone(actor=cast.facilitator, meeting=meeting)
    assert refused.value.reasons == ["A meeting that is cancelled cannot be postponed."]


def test_a_joint_meeting_may_be_scheduled_while_the_process_runs(cast, case, harmed, responsible):
    from amends.cases.selectors import case_facts

    in_process = move(case, "process", cast.coordinator)
    meeting = schedule_joint(cast, in_process, harmed, responsible, kind="review")
    assert meeting.kind == "review"
    assert case_facts(in_process).process_held_on is None
