"""Demo meetings for `manage.py demo`, made through the same services people use.

`create_demo_meetings` takes a case at `ready` or later whose planned process is a
meeting face to face and gives it a venue, a recorded preparation meeting with each key
participant, and a joint meeting held three days ago with its session record. The past
is set up with the services' `now` argument, as if each step had been taken at the time.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Participant, ParticipantRole
from amends.meetings.models import Meeting, MeetingKind, Modality, SessionOutcome, Venue
from amends.meetings.selectors import venues_for_programme
from amends.meetings.services import (
    AttendeeInput,
    meeting_schedule,
    session_record_create,
    venue_create,
)
from amends.programmes.models import ProcessType
from amends.programmes.selectors import settings_for

KIND_OF_PROCESS = {
    ProcessType.VICTIM_OFFENDER_MEETING: MeetingKind.VICTIM_OFFENDER,
    ProcessType.CONFERENCE: MeetingKind.CONFERENCE,
    ProcessType.CIRCLE: MeetingKind.CIRCLE,
    ProcessType.REPARATION_PANEL: MeetingKind.REPARATION_PANEL,
}


def _venue(case: Case, coordinator: User) -> Venue:
    existing = venues_for_programme(case.programme).filter(name="Northgate Community Centre")
    if existing.exists():
        return existing.get()
    return venue_create(
        actor=coordinator,
        programme=case.programme,
        name="Northgate Community Centre",
        address="12 Market Street\nNorthgate NG1 4AB",
        accessibility="Step-free entrance, hearing loop in both rooms, accessible toilet.",
        has_separate_waiting_areas=True,
        notes="Side entrance opens onto Mill Lane; the caretaker has the keys.",
    )


def _at(days: int, hour: int, minute: int = 0) -> datetime.datetime:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _preparation(
    case: Case, facilitator: User, participant: Participant, venue: Venue, days: int
) -> Meeting:
    starts, ends = _at(days, 10), _at(days, 11)
    meeting = meeting_schedule(
        actor=facilitator,
        case=case,
        kind=MeetingKind.PREPARATION,
        modality=Modality.IN_PERSON,
        starts_at=starts,
        ends_at=ends,
        attendees=[AttendeeInput(participant=participant), AttendeeInput(user=facilitator)],
        venue=venue,
        now=starts - datetime.timedelta(days=7),
    )
    session_record_create(
        actor=facilitator,
        meeting=meeting,
        took_place=True,
        attended=list(meeting.attendees.all()),
        outcome=SessionOutcome.PREPARED,
        notes="Talked through what the meeting will be like and what they want to say.",
    )
    return meeting


def create_demo_meetings(*, case: Case, coordinator: User, facilitator: User) -> list[Meeting]:
    """Meetings for a demo case at `ready` or later with `facilitator` assigned and a
    face-to-face process planned (victim–offender meeting, conference, circle or panel).
    Returns the meetings made. Raises ValueError for a case with another process."""
    kind = KIND_OF_PROCESS.get(ProcessType(case.process_type)) if case.process_type else None
    if kind is None:
        raise ValueError("the demo's joint meeting needs a case planned as a meeting face to face")
    venue = _venue(case, coordinator)
    harmed = case.participants.select_related("person").get(role=ParticipantRole.HARMED)
    responsible = case.participants.select_related("person").get(role=ParticipantRole.RESPONSIBLE)
    made = [
        _preparation(case, facilitator, harmed, venue, days=-10),
        _preparation(case, facilitator, responsible, venue, days=-9),
    ]
    gap = datetime.timedelta(minutes=settings_for(case.programme).meeting_stagger_minutes)
    starts, ends = _at(-3, 14), _at(-3, 16)
    joint = meeting_schedule(
        actor=coordinator,
        case=case,
        kind=kind,
        modality=Modality.IN_PERSON,
        starts_at=starts,
        ends_at=ends,
        attendees=[
            # The person harmed arrives first and leaves first; they never cross (G7).
            AttendeeInput(participant=harmed, arrives_at=starts - gap, leaves_at=ends),
            AttendeeInput(participant=responsible, arrives_at=starts, leaves_at=ends + gap),
            AttendeeInput(user=facilitator, arrives_at=starts - 2 * gap, leaves_at=ends + gap),
        ],
        venue=venue,
        separate_waiting_booked=True,
        now=starts - datetime.timedelta(days=5),
    )
    session_record_create(
        actor=facilitator,
        meeting=joint,
        took_place=True,
        attended=list(joint.attendees.all()),
        outcome=SessionOutcome.AGREEMENT,
        notes="Both spoke about the harm and its effects; an apology was offered and accepted.",
        disclosures="",
    )
    made.append(joint)
    return made
