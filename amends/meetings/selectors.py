"""Reads about meetings for pages, jobs and the other apps.

`joint_meeting_held_on` tells the case workflow that the process took place. The
recipient list decides who may be e-mailed about a meeting (G10): staff on their account
address, participants only on an e-mail channel of their own that is marked safe, not
withdrawn, and (after a withdrawal) one they agreed to be contacted on.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import Prefetch, QuerySet
from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Participant
from amends.cases.selectors import participant_label
from amends.cases.services import contact_problems
from amends.meetings.gates import AttendeePlan, MeetingPlan
from amends.meetings.models import (
    Attendee,
    AttendeeRole,
    Meeting,
    MeetingKind,
    MeetingStatus,
    Venue,
)
from amends.people.models import ContactChannel
from amends.programmes.models import Programme
from amends.programmes.selectors import settings_for

DEFAULT_VIDEO_BASE_URL = "https://meet.jit.si"


def joint_meeting_held_on(case: Case) -> datetime.date | None:
    """The local date of the earliest joint meeting (any kind but preparation) recorded
    as held, or None when no joint meeting has been held."""
    first = (
        Meeting.objects.filter(case=case, status=MeetingStatus.HELD)
        .exclude(kind=MeetingKind.PREPARATION)
        .order_by("starts_at")
        .values_list("starts_at", flat=True)
        .first()
    )
    return None if first is None else timezone.localtime(first).date()


def video_base_url(programme: Programme) -> str:
    """The programme's video service, else the installation's (AMENDS_VIDEO_BASE_URL)."""
    base = settings_for(programme).video_base_url or getattr(
        settings, "AMENDS_VIDEO_BASE_URL", DEFAULT_VIDEO_BASE_URL
    )
    return str(base).rstrip("/")


def video_link(meeting: Meeting) -> str:
    """The meeting's private room, or '' for a meeting that is not by video."""
    if not meeting.video_room:
        return ""
    return f"{video_base_url(meeting.case.programme)}/{meeting.video_room}"


def attendee_label(attendee: Attendee, programme: Programme) -> str:
    if attendee.participant is not None:
        return participant_label(attendee.participant, programme)
    user = attendee.user
    return user.full_name or user.email if user is not None else ""


def _attendees() -> Prefetch[Any]:
    return Prefetch(
        "attendees",
        queryset=Attendee.objects.select_related("participant__person", "user").order_by(
            "arrives_at", "id"
        ),
    )


def meetings_for_case(case: Case) -> list[Meeting]:
    """The case's meetings, soonest first, each with `attendee_list` labelled (a fixed
    number of queries)."""
    meetings = list(
        Meeting.objects.filter(case=case)
        .select_related("venue", "record")
        .prefetch_related(_attendees())
        .order_by("starts_at", "id")
    )
    labels: dict[int, str] = {}
    for meeting in meetings:
        _label(meeting, case.programme, labels)
    return meetings


def meeting_with_attendees(meeting: Meeting) -> Meeting:
    """One meeting again, with its venue, record and labelled `attendee_list`."""
    fresh = (
        Meeting.objects.select_related("venue", "record", "case__programme", "safety_checked_by")
        .prefetch_related(_attendees())
        .get(pk=meeting.pk)
    )
    return _label(fresh, fresh.case.programme)


def _label(meeting: Meeting, programme: Programme, labels: dict[int, str] | None = None) -> Meeting:
    # One label per participant, however many meetings they attend (the programme's
    # words for the roles are read once per label).
    labels = {} if labels is None else labels
    attendees = list(meeting.attendees.all())
    for attendee in attendees:
        if attendee.participant_id is None:
            label = attendee_label(attendee, programme)
        elif attendee.participant_id in labels:
            label = labels[attendee.participant_id]
        else:
            label = labels[attendee.participant_id] = attendee_label(attendee, programme)
        attendee.label = label  # type: ignore[attr-defined]
    meeting.attendee_list = attendees  # type: ignore[attr-defined]
    return meeting


def participant_meetings(participant: Participant) -> list[Attendee]:
    """The participant's own places in the case's meetings, soonest first: what their
    advocate may see (their own times, the kind, the place), never who else comes."""
    return list(
        Attendee.objects.filter(participant=participant)
        .select_related("meeting__venue")
        .order_by("meeting__starts_at", "id")
    )


def venues_for_programme(programme: Programme, *, active_only: bool = False) -> QuerySet[Venue]:
    venues = Venue.objects.filter(programme=programme)
    if active_only:
        venues = venues.filter(is_active=True)
    return venues.order_by("name")


def plan_of(
    meeting: Meeting,
    *,
    starts_at: datetime.datetime | None = None,
    ends_at: datetime.datetime | None = None,
) -> MeetingPlan:
    """The gates' view of a stored meeting; with new `starts_at` and `ends_at`, as if
    moved there: every arrival moves with the start and every departure with the end."""
    starts_at = starts_at or meeting.starts_at
    ends_at = ends_at or meeting.ends_at
    arrive_shift, leave_shift = starts_at - meeting.starts_at, ends_at - meeting.ends_at
    programme = meeting.case.programme
    attendees = tuple(
        AttendeePlan(
            participant_id=attendee.participant_id,
            user_id=attendee.user_id,
            role=attendee.participant.role if attendee.participant else AttendeeRole.FACILITATOR,
            label=attendee_label(attendee, programme),
            arrives_at=attendee.arrives_at + arrive_shift,
            leaves_at=attendee.leaves_at + leave_shift,
        )
        for attendee in meeting.attendees.select_related("participant__person", "user").order_by(
            "id"
        )
    )
    venue = meeting.venue
    return MeetingPlan(
        kind=meeting.kind,
        modality=meeting.modality,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees,
        venue_has_separate_waiting=venue is not None and venue.has_separate_waiting_areas,
        separate_waiting_booked=meeting.separate_waiting_booked,
        stagger_minutes=settings_for(programme).meeting_stagger_minutes,
    )


@dataclass(frozen=True)
class Recipient:
    """Someone to e-mail about a meeting, on an address that is theirs and safe to use."""

    attendee: Attendee
    address: str
    is_staff: bool
    language: str


def usable_email(participant: Participant, today: datetime.date) -> ContactChannel | None:
    """The participant's first e-mail channel that may be used now (G9, G10), or None."""
    channels = participant.person.channels.filter(
        kind=ContactChannel.Kind.EMAIL, is_safe=True
    ).order_by("id")
    for channel in channels:
        if not contact_problems(participant, "email", channel, today):
            return channel
    return None


def invitation_recipients(meeting: Meeting, today: datetime.date | None = None) -> list[Recipient]:
    """Everyone invited to `meeting` who may be e-mailed, each once, on their own address.
    A participant with no usable e-mail is left out: the facilitator tells them another
    way (the meeting page says who was not e-mailed)."""
    today = today or timezone.localdate()
    default_language = settings_for(meeting.case.programme).default_language
    recipients = []
    for attendee in meeting.attendees.select_related("participant__person", "user").order_by("id"):
        if attendee.user is not None:
            user: User = attendee.user
            if user.is_active and user.email:
                recipients.append(Recipient(attendee, user.email, True, settings.LANGUAGE_CODE))
            continue
        participant = attendee.participant
        if participant is None:
            continue
        channel = usable_email(participant, today)
        if channel is not None:
            language = participant.person.preferred_language or default_language
            recipients.append(Recipient(attendee, channel.value.strip(), False, language))
    return recipients


def not_emailed(meeting: Meeting, today: datetime.date | None = None) -> list[Attendee]:
    """The participants of the meeting who cannot be e-mailed about it (G10)."""
    reached = {recipient.attendee.pk for recipient in invitation_recipients(meeting, today)}
    return [
        attendee
        for attendee in getattr(meeting, "attendee_list", meeting.attendees.all())
        if attendee.participant_id is not None and attendee.pk not in reached
    ]


def assigned_facilitators(case: Case) -> QuerySet[User]:
    """The case's assigned facilitators who may be invited to its meetings."""
    return User.objects.filter(case_assignments__case=case, is_active=True).order_by(
        "full_name", "pk"
    )
