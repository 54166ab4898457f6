"""Helpers for the meeting tests: times in the future, scheduling through the service,
and reading the iCalendar file out of a message."""

from __future__ import annotations

import datetime

from django.utils import timezone
from icalendar import Calendar

from amends.meetings.services import AttendeeInput, meeting_schedule
from amends.people.services import contact_channel_add


def at(days: int, hour: int = 10, minute: int = 0) -> datetime.datetime:
    """A local time `days` from today."""
    day = timezone.localdate() + datetime.timedelta(days=days)
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def add_email(participant, value: str, *, safe: bool = True):
    return contact_channel_add(
        actor=None, person=participant.person, kind="email", value=value, is_safe=safe
    )


def minutes(count: int) -> datetime.timedelta:
    return datetime.timedelta(minutes=count)


def schedule_joint(cast, case, harmed, responsible, *, venue=None, days=5, **options):
    """A victim–offender meeting of both parties and the facilitator; by video unless a
    venue is given. `harmed_times`/`responsible_times` are (arrives, leaves) pairs."""
    starts, ends = at(days, 14), at(days, 16)
    harmed_times = options.pop("harmed_times", (None, None))
    responsible_times = options.pop("responsible_times", (None, None))
    return meeting_schedule(
        actor=options.pop("actor", cast.facilitator),
        case=case,
        kind=options.pop("kind", "victim_offender"),
        modality="in_person" if venue is not None else options.pop("modality", "video"),
        starts_at=options.pop("starts_at", starts),
        ends_at=options.pop("ends_at", ends),
        attendees=[
            AttendeeInput(
                participant=harmed, arrives_at=harmed_times[0], leaves_at=harmed_times[1]
            ),
            AttendeeInput(
                participant=responsible,
                arrives_at=responsible_times[0],
                leaves_at=responsible_times[1],
            ),
            AttendeeInput(user=cast.facilitator),
        ],
        venue=venue,
        **options,
    )


def schedule_preparation(cast, case, person, *, days=2, modality="phone", **options):
    return meeting_schedule(
        actor=options.pop("actor", cast.facilitator),
        case=case,
        kind="preparation",
        modality=modality,
        starts_at=options.pop("starts_at", at(days, 10)),
        ends_at=options.pop("ends_at", at(days, 11)),
        attendees=[AttendeeInput(participant=person), AttendeeInput(user=cast.facilitator)],
        **options,
    )


def calendar_of(message) -> Calendar:
    """The iCalendar attachment of an e-mail (a Django or a parsed standard message)."""
    parsed = message.message() if hasattr(message, "message") else message
    for part in parsed.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("the message has no calendar file")


def whole_text(message) -> str:
    """Everything a recipient receives: headers, body and attachments, decoded."""
    parsed = message.message() if hasattr(message, "message") else message
    pieces = [f"{name}: {value}" for name, value in parsed.items()]
    for part in parsed.walk():
        payload = part.get_payload(decode=True)
        if payload:
            pieces.append(payload.decode("utf-8", "replace"))
    return "\n".join(pieces)
