"""The facilitators and the coordinator are e-mailed about a withdrawal through a real SMTP
server (started here, on loopback), and the message names no one."""

from __future__ import annotations

import pytest

from amends.consent.models import ConsentScope
from amends.consent.services import consent_withdraw

pytestmark = pytest.mark.django_db


def _everything_personal(case):
    """Every personal value of the case's participants, as it could appear in a message."""
    values: set[str] = set()
    for participant in case.participants.select_related("person"):
        person = participant.person
        values.update(value for value in (person.given_name, person.family_name) if value)
        for channel in person.channels.all():
            values.add(channel.value)
            values.add(channel.value.replace(" ", ""))
            values.add(channel.value[-6:])
    return values


@pytest.mark.smtp
@pytest.mark.gate("G9")
def test_withdrawal_mails_each_facilitator_and_the_coordinator_with_no_personal_details(
    cast, case, harmed, smtp_server, django_capture_on_commit_callbacks
):
    # when
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(
            actor=cast.advocate,
            participant=harmed,
            scope=ConsentScope.TAKE_PART,
            process_type="conference",
            note="Hana said she is frightened of Ray.",
        )
    # then
    messages = smtp_server.messages
    assert sorted(message["To"] for message in messages) == [
        "coordinator@example.org",
        "facilitator@example.org",
    ]
    for message in messages:
        subject = message["Subject"]
        body = message.get_body(preferencelist=("plain",)).get_content()
        assert subject == f"Consent withdrawn: case {case.reference} is paused"
        assert f"Consent was withdrawn in case {case.reference}." in body
        assert f"http://testserver/cases/{case.reference}/" in body
        text = f"{subject}\n{body}"
        for value in _everything_personal(case):
            assert value not in text, value
        for staff in (cast.advocate, cast.coordinator, cast.facilitator):
            assert staff.full_name not in text
        assert "frightened" not in text
        assert "@" not in body


@pytest.mark.smtp
@pytest.mark.gate("G9")
def test_a_withdrawal_that_does_not_pause_sends_no_mail(
    cast, harmed, smtp_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        consent_withdraw(
            actor=cast.coordinator,
            participant=harmed,
            scope=ConsentScope.SHARE_INFORMATION,
            partner="Victim Support",
        )
    assert smtp_server.messages == []
