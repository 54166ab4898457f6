"""What an invitation, a cancellation and a reminder carry (G10): each person's own
times and place, themselves as the only attendee, and nothing of anyone else."""

from __future__ import annotations

import pytest
from django.core import mail

from amends.meetings.invitations import REMINDER, messages_for
from amends.meetings.tests.helpers import at, calendar_of, minutes, schedule_joint, whole_text
from amends.people.services import contact_channel_add

pytestmark = pytest.mark.django_db


def _details_of(participant) -> set[str]:
    """Everything that identifies or locates the participant, as it could appear."""
    person = participant.person
    values = {person.given_name, person.family_name}
    for channel in person.channels.all():
        values.add(channel.value)
        if channel.kind == "phone":
            values |= {channel.value.replace(" ", ""), channel.value[-6:]}
        if channel.kind == "post":
            values.add(channel.value.split(",")[0])
    return {value for value in values if value}


@pytest.fixture
def joint(cast, case, harmed, responsible, venue, django_capture_on_commit_callbacks):
    """An in-person meeting of both parties, staggered; both have a postal address too."""
    contact_channel_add(
        actor=None, person=harmed.person, kind="post", value="4 Elm Row, Northgate", is_safe=True
    )
    contact_channel_add(
        actor=None,
        person=responsible.person,
        kind="post",
        value="9 Quarry Close, Northgate",
        is_safe=True,
    )
    starts, ends = at(5, 14), at(5, 16)
    with django_capture_on_commit_callbacks(execute=True):
        return schedule_joint(
            cast,
            case,
            harmed,
            responsible,
            venue=venue,
            harmed_times=(starts - minutes(15), ends),
            responsible_times=(starts, ends + minutes(15)),
        )


def _to(address: str):
    [message] = [message for message in mail.outbox if message.to == [address]]
    return message


@pytest.mark.gate("G10")
def test_no_invitation_carries_the_other_partys_name_contact_details_or_times(
    harmed, responsible, joint
):
    for own, other, other_times in (
        ("hana.harmed@example.net", responsible, ("14:00", "16:15")),
        ("ray.responsible@example.net", harmed, ("13:45", "16:00 ")),
    ):
        text = whole_text(_to(own))
        for value in _details_of(other):
            assert value not in text, value
        for time in other_times:
            assert time not in text.replace("\r\n", "\n").replace("16:00\n", ""), time
        assert "side door" not in text
        assert "Mill Lane" not in text


@pytest.mark.gate("G10")
def test_staff_invitations_name_nobody_either(cast, harmed, responsible, joint):
    text = whole_text(_to("facilitator@example.org"))
    for value in _details_of(harmed) | _details_of(responsible):
        assert value not in text, value
    assert joint.case.reference in text
    assert f"/cases/{joint.case.reference}/meetings/{joint.pk}/" in text


@pytest.mark.gate("G10")
def test_each_calendar_file_lists_only_its_recipient_and_their_own_times(joint, harmed):
    calendar = calendar_of(_to("hana.harmed@example.net"))
    event = calendar.walk("VEVENT")[0]
    assert calendar["METHOD"] == "REQUEST"
    assert str(event["UID"]) == joint.uid
    assert event["SEQUENCE"] == 0
    attendees = event.get("ATTENDEE")
    assert str(attendees) == "mailto:hana.harmed@example.net"
    assert event.decoded("DTSTART") == at(5, 13, 45)
    assert event.decoded("DTEND") == at(5, 16)
    assert "Northgate Community Centre" in str(event["LOCATION"])
    assert str(event["ORGANIZER"]) == "mailto:amends@localhost"
    assert event["ORGANIZER"].params["CN"] == "Northshire RJ"


def test_the_calendar_file_keeps_its_crlf_line_endings(joint):
    message = _to("ray.responsible@example.net").message()
    [part] = [part for part in message.walk() if part.get_content_type() == "text/calendar"]
    raw = part.get_payload(decode=True)
    assert raw.startswith(b"BEGIN:VCALENDAR\r\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert part.get_param("method") == "REQUEST"


@pytest.mark.gate("G10")
def test_reminders_carry_nothing_of_the_other_party(harmed, responsible, joint):
    reminders = messages_for(joint, REMINDER, offset_hours=48)
    assert sorted(message.to[0] for message in reminders) == [
        "facilitator@example.org",
        "hana.harmed@example.net",
        "ray.responsible@example.net",
    ]
    for message in reminders:
        text = whole_text(message)
        assert "in about 48 hours" in text
        others = {
            "hana.harmed@example.net": _details_of(responsible),
            "ray.responsible@example.net": _details_of(harmed),
        }.get(message.to[0], _details_of(harmed) | _details_of(responsible))
        for value in others:
            assert value not in text, value


def test_a_video_invitation_carries_the_private_link(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule_joint(cast, case, harmed, responsible)
    text = whole_text(_to("ray.responsible@example.net"))
    assert f"https://meet.jit.si/{meeting.video_room}" in text
