"""Invitations, cancellations and reminders as e-mails with an iCalendar file (RFC 5545,
5546): one UID per meeting, SEQUENCE raised on every change, METHOD:REQUEST or CANCEL.

Every message is built for one recipient and carries only what is theirs (G10): their
own arrival and departure, the venue (a programme's office, never anyone's home) or the
video link, and themselves as the only ATTENDEE. No other attendee's name, address,
phone number or e-mail, no staff notes about the venue, no case notes. Staff messages
add the case reference and a link to the meeting page; a participant's say nothing about
why a meeting was cancelled.
"""

from __future__ import annotations

import datetime
from email.message import MIMEPart
from email.utils import parseaddr
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format, time_format
from icalendar import Calendar, Event, vCalAddress

from amends.meetings.models import CancelReason, Meeting, MeetingStatus, Modality
from amends.meetings.selectors import Recipient, invitation_recipients, video_link

REQUEST = "REQUEST"
CANCEL = "CANCEL"
INVITATION = "invitation"
CANCELLATION = "cancellation"
REMINDER = "reminder"
PRODID = "-//Amends//Meetings//EN"


def _context(meeting: Meeting, recipient: Recipient, purpose: str, **extra: Any) -> dict[str, Any]:
    attendee = recipient.attendee
    venue = meeting.venue if meeting.modality == Modality.IN_PERSON else None
    context: dict[str, Any] = {
        "purpose": purpose,
        "kind": meeting.get_kind_display(),
        "kind_in_sentence": str(meeting.get_kind_display()).lower(),
        "programme": meeting.case.programme.name,
        "arrives_date": date_format(timezone.localtime(attendee.arrives_at), "l j F Y"),
        "arrives_time": time_format(timezone.localtime(attendee.arrives_at), "H:i"),
        "leaves_time": time_format(timezone.localtime(attendee.leaves_at), "H:i"),
        "modality": meeting.modality,
        "venue": venue,
        "video_link": video_link(meeting) if meeting.modality == Modality.VIDEO else "",
        "is_staff": recipient.is_staff,
        **extra,
    }
    if recipient.is_staff:
        path = reverse("meetings:detail", args=[meeting.case.reference, meeting.pk])
        context["reference"] = meeting.case.reference
        context["link"] = f"{settings.SITE_URL}{path}"
        context["withdrawn"] = meeting.cancel_reason == CancelReason.WITHDRAWAL
    return context


def _location(context: dict[str, Any]) -> str:
    venue = context["venue"]
    if venue is not None:
        return f"{venue.name}, {' '.join(venue.address.split())}"
    if context["video_link"]:
        return str(context["video_link"])
    return str(Modality(context["modality"]).label)


def calendar_for(
    meeting: Meeting,
    recipient: Recipient,
    method: str,
    *,
    summary: str,
    description: str,
    location: str,
    now: datetime.datetime,
) -> bytes:
    """The recipient's own iCalendar file for the meeting's current version."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = Event()
    event.add("uid", meeting.uid)
    event.add("sequence", meeting.sequence)
    event.add("dtstamp", now.astimezone(datetime.UTC))
    event.add("dtstart", recipient.attendee.arrives_at.astimezone(datetime.UTC))
    event.add("dtend", recipient.attendee.leaves_at.astimezone(datetime.UTC))
    event.add("summary", summary)
    event.add("description", description)
    event.add("location", location)
    event.add("status", "CANCELLED" if method == CANCEL else "CONFIRMED")
    organiser_name, organiser_address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    organiser = vCalAddress(f"mailto:{organiser_address}")
    organiser.params["cn"] = meeting.case.programme.name or organiser_name
    event.add("organizer", organiser)
    attendee = vCalAddress(f"mailto:{recipient.address}")
    attendee.params["role"] = "REQ-PARTICIPANT"
    attendee.params["rsvp"] = "FALSE"
    event.add("attendee", attendee)
    calendar.add_component(event)
    return bytes(calendar.to_ical())


def message_for(
    meeting: Meeting,
    recipient: Recipient,
    purpose: str,
    *,
    now: datetime.datetime | None = None,
    offset_hours: int | None = None,
) -> EmailMessage:
    """One e-mail to one recipient, in their language, with their calendar file."""
    now = now or timezone.now()
    method = CANCEL if purpose == CANCELLATION else REQUEST
    with translation.override(recipient.language):
        context = _context(meeting, recipient, purpose, offset_hours=offset_hours)
        subject = render_to_string("meetings/email/subject.txt", context).strip()
        body = render_to_string("meetings/email/body.txt", context)
        summary = render_to_string("meetings/email/summary.txt", context).strip()
    ics = calendar_for(
        meeting,
        recipient,
        method,
        summary=summary,
        description=body,
        location=_location(context),
        now=now,
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[recipient.address],
    )
    part = MIMEPart()
    # As bytes, base64-encoded: the file keeps the CRLF line endings RFC 5545 requires.
    part.set_content(
        ics,
        maintype="text",
        subtype="calendar",
        cte="base64",
        params={"charset": "utf-8", "method": method},
        disposition="attachment",
        filename="meeting.ics",
    )
    message.attach(part)
    return message


def messages_for(
    meeting: Meeting,
    purpose: str,
    *,
    now: datetime.datetime | None = None,
    offset_hours: int | None = None,
) -> list[EmailMessage]:
    """One message per person who may be e-mailed about the meeting (G10)."""
    if purpose == REMINDER and meeting.status != MeetingStatus.PLANNED:
        return []
    return [
        message_for(meeting, recipient, purpose, now=now, offset_hours=offset_hours)
        for recipient in invitation_recipients(meeting)
    ]
