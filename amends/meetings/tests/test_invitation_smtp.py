"""Through a real SMTP server (started here, on loopback): the invitation arrives with its
calendar file, and after a withdrawal the cancellation of the same event."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from amends.consent.services import consent_withdraw
from amends.meetings.tests.helpers import at, schedule_joint

pytestmark = pytest.mark.django_db


def _calendar(message) -> Calendar:
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    return Calendar.from_ical(part.get_payload(decode=True))


def _for(inbox, address: str):
    return [message for message in inbox.messages if message["To"] == address]


@pytest.mark.smtp
@pytest.mark.gate("G9")
@pytest.mark.gate("G10")
def test_the_invitation_and_then_its_cancellation_arrive_by_smtp(
    cast, case, harmed, responsible, smtp_server, django_capture_on_commit_callbacks
):
    # given an invitation received by the person responsible
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_joint(cast, case, harmed, responsible)
    [invitation] = _for(smtp_server, "ray.responsible@example.net")
    assert invitation["Subject"].startswith("Invitation: Victim–offender meeting on ")
    calendar = _calendar(invitation)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert (str(event["UID"]), event["SEQUENCE"]) == (meeting.uid, 0)
    assert event.decoded("DTSTART") == at(5, 14)
    assert str(event.get("ATTENDEE")) == "mailto:ray.responsible@example.net"
    # when the person harmed withdraws
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(
            actor=cast.advocate, participant=harmed, scope="take_part", process_type="meeting"
        )
    # then the same event is cancelled in his calendar
    [_, cancellation] = _for(smtp_server, "ray.responsible@example.net")
    assert cancellation["Subject"].startswith("Cancelled: Victim–offender meeting on ")
    calendar = _calendar(cancellation)
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "CANCEL"
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        meeting.uid,
        1,
        "CANCELLED",
    )
    body = cancellation.get_body(preferencelist=("plain",)).get_content()
    assert "has been cancelled" in body
    assert "Hana" not in body
    # and the facilitator's cancellation says why
    facilitator = _for(smtp_server, "facilitator@example.org")
    assert any(
        "Consent was withdrawn in this case" in m.get_body(preferencelist=("plain",)).get_content()
        for m in facilitator
        if m.get_content_type() == "multipart/mixed"
    )
