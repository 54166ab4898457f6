"""The invitation e-mail goes out through a real SMTP server (started here, on loopback),
and its link lets the new member choose a password."""

from __future__ import annotations

import email
import email.policy
import re
import socket

import pytest
from aiosmtpd.controller import Controller
from django.test import Client, override_settings

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.services import member_invite


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        return "250 Message accepted for delivery"


@pytest.fixture
def smtp_server():
    inbox = _Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


@pytest.mark.smtp
def test_invitation_is_delivered_by_smtp_and_its_link_sets_a_password(
    cast, smtp_server, django_capture_on_commit_callbacks
):
    inbox, port = smtp_server
    mailers = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "use_tls": False, "timeout": 10},
        }
    }
    with (
        override_settings(MAILERS=mailers, SITE_URL="http://testserver"),
        django_capture_on_commit_callbacks(execute=True),
    ):
        member_invite(
            actor=cast.administrator,
            programme=cast.programme,
            email="ines.garcia@example.org",
            full_name="Inés García",
            role=Role.FACILITATOR,
        )

    assert len(inbox.messages) == 1
    message = inbox.messages[0]
    assert message["To"] == "ines.garcia@example.org"
    assert message["Subject"] == "Your Amends account"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "Inés García" in body
    match = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", body)
    assert match, body
    link = match[1]

    client = Client()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new_password = "a fresh passphrase for Inés"
    response = client.post(
        form_page.redirect_chain[-1][0] if form_page.redirect_chain else link,
        {"password1": new_password, "password2": new_password},
    )
    assert response.status_code == 302
    assert User.objects.get(email="ines.garcia@example.org").check_password(new_password)
