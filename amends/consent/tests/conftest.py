"""Fixtures for the consent tests: the cast's prepared case, its two key participants,
a fresh folder for uploaded forms, and a real SMTP server on loopback."""

from __future__ import annotations

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings

from amends.cases.models import ParticipantRole
from amends.cases.tests.builders import participant
from amends.programmes.selectors import current_information_sheet


@pytest.fixture(autouse=True)
def _uploads_in_a_temporary_folder(tmp_path):
    """Signed forms written by a test go to a folder of its own, never to var/uploads."""
    with override_settings(MEDIA_ROOT=tmp_path / "uploads"):
        yield


@pytest.fixture
def case(cast):
    """Northshire case in `contact`: coordinator, facilitator assigned, advocate for the
    person harmed (conftest's cast.case)."""
    return cast.case


@pytest.fixture
def harmed(case):
    return participant(case, ParticipantRole.HARMED)


@pytest.fixture
def responsible(case):
    return participant(case, ParticipantRole.RESPONSIBLE)


@pytest.fixture
def sheet(cast):
    return current_information_sheet(cast.programme, "en")


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
