"""Fixtures for the meeting tests: the cast's case driven to `ready` for a victim–offender
meeting, its two parties with safe e-mail addresses, a venue with separate waiting
areas, a domestic-abuse case, and a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from amends.cases.models import ParticipantRole
from amends.cases.tests.builders import build_case, drive_to_ready, participant
from amends.meetings.services import venue_create
from amends.meetings.tests.helpers import add_email


@pytest.fixture
def case(cast):
    """`cast.case` at `ready` for a victim–offender meeting; the person harmed has the
    advocate; both parties have a safe e-mail address."""
    ready = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type="meeting",
    )
    add_email(participant(ready, ParticipantRole.HARMED), "hana.harmed@example.net")
    add_email(participant(ready, ParticipantRole.RESPONSIBLE), "ray.responsible@example.net")
    return ready


@pytest.fixture
def harmed(case):
    return participant(case, ParticipantRole.HARMED)


@pytest.fixture
def responsible(case):
    return participant(case, ParticipantRole.RESPONSIBLE)


@pytest.fixture
def venue(cast):
    return venue_create(
        actor=cast.coordinator,
        programme=cast.programme,
        name="Northgate Community Centre",
        address="12 Market Street\nNorthgate NG1 4AB",
        accessibility="Step-free entrance",
        has_separate_waiting_areas=True,
        notes="Ray uses the side door on Mill Lane.",
    )


@pytest.fixture
def da_case(cast):
    """A domestic-abuse case at `ready` for a victim–offender meeting (its safety plan
    has staggered times and separate waiting areas), `facilitator` assigned."""
    built = build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator)
    return drive_to_ready(
        built,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type="meeting",
    )


class Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    """A real SMTP server on 127.0.0.1 and the MAILERS setting that sends to it."""
    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    try:
        with override_settings(MAILERS=mailers, SITE_URL="http://testserver"):
            yield inbox
    finally:
        controller.stop()
