"""Matrix rows for the meeting pages and the venue directory.

The meetings are made directly on `cast.case` (in `contact`): the matrix is about who may
reach each page, not the rules for scheduling, which the other tests cover. So scheduling
and moving answer 400 to those allowed (the permission check passed; the service then
says the case is not yet in preparation), and everything else its success.
"""

from __future__ import annotations

import datetime
import uuid

from django.urls import reverse
from django.utils import timezone

from amends.cases.tests.matrix import MANAGERS, STRANGERS, WORKERS
from amends.core.testing.matrix import Route

# The programme's members who neither keep nor read the venue directory, and outsiders.
NOT_VENUE_READERS = STRANGERS


def _meeting(cast, name: str = "meeting", *, past: bool = False, modality: str = "video"):
    """A meeting of `cast.case` with the person harmed and the facilitator, made once per
    test."""
    from amends.cases.models import ParticipantRole
    from amends.meetings.models import Attendee, Meeting

    key = f"_matrix_{name}"
    if key in cast.__dict__:
        return cast.__dict__[key]
    case = cast.case
    starts = timezone.now() + datetime.timedelta(days=-1 if past else 3)
    meeting = Meeting.objects.create(
        case=case,
        kind="preparation",
        modality=modality,
        starts_at=starts,
        ends_at=starts + datetime.timedelta(hours=1),
        video_room=uuid.uuid4().hex if modality == "video" else "",
        uid=f"{uuid.uuid4()}@matrix",
        scheduled_by=cast.coordinator,
    )
    harmed = case.participants.get(role=ParticipantRole.HARMED)
    for participant, user in ((harmed, None), (None, cast.facilitator)):
        Attendee.objects.create(
            meeting=meeting,
            participant=participant,
            user=user,
            role="participant" if participant else "facilitator",
            arrives_at=meeting.starts_at,
            leaves_at=meeting.ends_at,
        )
    cast.__dict__[key] = meeting
    return meeting


def _recorded(cast):
    from amends.meetings.models import SessionRecord

    meeting = _meeting(cast, "recorded", past=True)
    if not SessionRecord.objects.filter(meeting=meeting).exists():
        SessionRecord.objects.create(
            meeting=meeting,
            took_place=True,
            outcome="prepared",
            concern="A concern",
            recorded_by=cast.facilitator,
        )
    return meeting


def _url(name: str, meeting=_meeting):
    return lambda cast: reverse(f"meetings:{name}", args=[cast.case.reference, meeting(cast).pk])


def _case_url(name: str):
    return lambda cast: reverse(f"meetings:{name}", args=[cast.case.reference])


def _participant_url(role: str):
    return lambda cast: reverse(
        "meetings:participant", args=[cast.case.reference, cast.case.participants.get(role=role).pk]
    )


def _venue(cast):
    from amends.meetings.models import Venue

    venue, _ = Venue.objects.get_or_create(
        programme=cast.programme, name="Town Hall", defaults={"address": "1 High Street"}
    )
    return venue


def _venues_url(name: str):
    return lambda cast: reverse(f"meetings:{name}", args=[cast.programme.slug])


def _venue_edit_url(cast):
    return reverse("meetings:venue_edit", args=[cast.programme.slug, _venue(cast).pk])


def _when(days: int = 4) -> dict[str, str]:
    day = timezone.localdate() + datetime.timedelta(days=days)
    return {"day": day.isoformat(), "starts": "10:00", "ends": "11:00"}


def _record_data(cast):
    meeting = _meeting(cast, "past", past=True)
    return {
        "took_place": "yes",
        "attended": list(meeting.attendees.values_list("pk", flat=True)),
        "outcome": "prepared",
    }


VENUE_FORM = {"name": "Library", "address": "5 Book Lane"}
VENUE_WORKERS = MANAGERS | {"facilitator"}

ROUTES = [
    Route("meetings:list", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_case_url("list")),
    Route(
        "meetings:schedule",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_case_url("schedule"),
    ),
    Route(
        "meetings:schedule",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=400,
        path=_case_url("schedule"),
        data=lambda cast: {
            "kind": "preparation",
            "modality": "phone",
            "participants": [cast.case.participants.get(role="harmed").pk],
            "facilitators": [cast.facilitator.pk],
            **_when(),
        },
    ),
    Route("meetings:detail", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_url("detail")),
    Route(
        "meetings:move",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=400,
        path=_url("move"),
        data=lambda cast: _when(5),
    ),
    Route(
        "meetings:postpone",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("postpone"),
        data=lambda cast: {"note": ""},
    ),
    Route(
        "meetings:cancel",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("cancel"),
        data=lambda cast: {"note": ""},
    ),
    Route(
        "meetings:safety_check",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("safety_check"),
        data=lambda cast: {"checks": ["private", "alone", "call_back", "leave", "pause"]},
    ),
    Route(
        "meetings:record",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_url("record", lambda cast: _meeting(cast, "past", past=True)),
    ),
    Route(
        "meetings:record",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("record", lambda cast: _meeting(cast, "past", past=True)),
        data=_record_data,
    ),
    Route(
        "meetings:escalate",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_url("escalate", _recorded),
        data=lambda cast: {"basis": "safeguarding", "escalated_to": "Social care"},
    ),
    # An advocate sees the meetings of the participant they support, never the other's.
    Route(
        "meetings:participant",
        "GET",
        allowed=WORKERS | {"advocate"},
        hidden_from=STRANGERS - {"advocate"},
        path=_participant_url("harmed"),
        label="the person harmed",
    ),
    Route(
        "meetings:participant",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_participant_url("responsible"),
        label="the other party",
    ),
    Route(
        "meetings:venues",
        "GET",
        allowed=VENUE_WORKERS,
        hidden_from=NOT_VENUE_READERS,
        path=_venues_url("venues"),
    ),
    Route(
        "meetings:venue_add",
        "GET",
        allowed=MANAGERS,
        hidden_from=NOT_VENUE_READERS,
        path=_venues_url("venue_add"),
    ),
    Route(
        "meetings:venue_add",
        "POST",
        allowed=MANAGERS,
        hidden_from=NOT_VENUE_READERS,
        allowed_status=302,
        path=_venues_url("venue_add"),
        data=lambda cast: VENUE_FORM,
    ),
    Route(
        "meetings:venue_edit",
        "GET",
        allowed=MANAGERS,
        hidden_from=NOT_VENUE_READERS,
        path=_venue_edit_url,
    ),
    Route(
        "meetings:venue_edit",
        "POST",
        allowed=MANAGERS,
        hidden_from=NOT_VENUE_READERS,
        allowed_status=302,
        path=_venue_edit_url,
        data=lambda cast: {"name": "Town Hall", "address": "2 High Street", "is_active": "on"},
    ),
]
