"""A key participant's withdrawal cancels the case's joint meetings still to come (G9):
in the same transaction, with a cancellation to everyone invited after the commit, and
the facilitators told why."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail

from amends.audit.models import AuditEvent
from amends.consent.services import consent_give, consent_withdraw
from amends.meetings.models import Meeting
from amends.meetings.services import meeting_postpone, session_record_create
from amends.meetings.tests.helpers import (
    at,
    calendar_of,
    schedule_joint,
    schedule_preparation,
    whole_text,
)
from amends.programmes.selectors import current_information_sheet

pytestmark = pytest.mark.django_db


def _withdraw(cast, participant):
    consent_withdraw(
        actor=cast.advocate, participant=participant, scope="take_part", process_type="meeting"
    )


@pytest.fixture
def meetings(cast, case, harmed, responsible):
    """A held joint meeting in the past, a future one, a postponed one, a preparation one."""
    past = schedule_joint(cast, case, harmed, responsible, days=-2, now=at(-9))
    session_record_create(
        actor=cast.facilitator,
        meeting=past,
        took_place=True,
        attended=list(past.attendees.all()),
        outcome="continue",
    )
    future = schedule_joint(cast, case, harmed, responsible, days=5)
    postponed = meeting_postpone(
        actor=cast.facilitator, meeting=schedule_joint(cast, case, harmed, responsible, days=6)
    )
    preparation = schedule_preparation(cast, case, responsible)
    return {"past": past, "future": future, "postponed": postponed, "preparation": preparation}


def _status(meeting) -> tuple[str, str, int]:
    meeting.refresh_from_db()
    return meeting.status, meeting.cancel_reason, meeting.sequence


@pytest.mark.gate("G9")
def test_withdrawal_cancels_the_joint_meetings_still_to_come(cast, case, harmed, meetings):
    _withdraw(cast, harmed)
    assert _status(meetings["future"]) == ("cancelled", "withdrawal", 1)
    assert _status(meetings["postponed"]) == ("cancelled", "withdrawal", 2)
    assert _status(meetings["past"]) == ("held", "", 0)
    assert _status(meetings["preparation"]) == ("planned", "", 0)
    events = AuditEvent.objects.filter(action="meeting.cancelled").order_by("id")
    assert [(e.actor_label, e.data["reason"], e.data["participant"]) for e in events] == [
        ("system", "withdrawal", harmed.pk),
        ("system", "withdrawal", harmed.pk),
    ]


@pytest.mark.gate("G9")
def test_a_supporters_withdrawal_cancels_nothing(cast, case, harmed, responsible):
    from amends.cases.services import participant_add
    from amends.cases.tests.builders import make_person

    meeting = schedule_joint(cast, case, harmed, responsible)
    supporter = participant_add(
        actor=None, case=case, person=make_person("Sam", phone=None), role="supporter"
    )
    consent_withdraw(actor=cast.facilitator, participant=supporter, scope="data")
    assert _status(meeting) == ("planned", "", 0)


@pytest.mark.gate("G9")
def test_the_facilitator_learns_why_and_the_other_party_only_that_it_is_cancelled(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    meeting = schedule_joint(cast, case, harmed, responsible)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(cast, harmed)
    by_recipient: dict[str, list[Any]] = {}
    for message in mail.outbox:
        by_recipient.setdefault(message.to[0], []).append(message)
    # The person who withdrew allowed no channel: nothing is sent to her.
    assert sorted(by_recipient) == [
        "coordinator@example.org",
        "facilitator@example.org",
        "ray.responsible@example.net",
    ]
    [cancellation] = [m for m in by_recipient["facilitator@example.org"] if m.attachments]
    assert len(by_recipient["facilitator@example.org"]) == 2  # this and the withdrawal notice
    assert "Consent was withdrawn in this case" in cancellation.body
    event = calendar_of(cancellation).walk("VEVENT")[0]
    assert (str(event["UID"]), event["SEQUENCE"], str(event["STATUS"])) == (
        meeting.uid,
        1,
        "CANCELLED",
    )
    [other] = by_recipient["ray.responsible@example.net"]
    assert calendar_of(other)["METHOD"] == "CANCEL"
    text = whole_text(other).lower()
    assert "withdr" not in text
    assert "consent" not in text


@pytest.mark.gate("G9")
def test_the_person_who_withdrew_is_told_on_a_channel_they_agreed_to(
    cast, case, harmed, responsible, django_capture_on_commit_callbacks
):
    channel = harmed.person.channels.get(kind="email")
    consent_give(
        actor=cast.facilitator,
        participant=harmed,
        scope="contact",
        channel=channel,
        sheet=current_information_sheet(cast.programme, "en"),
        method="verbal",
        witness="A colleague",
    )
    schedule_joint(cast, case, harmed, responsible)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        _withdraw(cast, harmed)
    cancellations = [m.to[0] for m in mail.outbox if m.attachments]
    assert sorted(cancellations) == [
        "facilitator@example.org",
        "hana.harmed@example.net",
        "ray.responsible@example.net",
    ]


@pytest.mark.gate("G9")
def test_a_withdrawal_rolled_back_leaves_the_meetings_planned(cast, case, harmed, responsible):
    from django.db import transaction

    meeting = schedule_joint(cast, case, harmed, responsible)

    def withdraw_then_fail() -> None:
        with transaction.atomic():
            _withdraw(cast, harmed)
            raise RuntimeError("the surrounding work failed")

    with pytest.raises(RuntimeError):
        withdraw_then_fail()
    assert _status(meeting) == ("planned", "", 0)
    assert Meeting.objects.filter(status="cancelled").count() == 0
