"""Development and the demo print e-mails so that their links can be copied whole."""

from __future__ import annotations

import io

from django.core.mail import EmailMessage

from amends.core.mail import ReadableConsoleBackend

LINK = (
    "http://127.0.0.1:8000/accounts/password/reset/key/9-diea35-caf8bea3716e02aee3aae0f688f7477b/"
)


def test_a_long_link_is_printed_on_one_line_and_readable():
    stream = io.StringIO()
    message = EmailMessage(
        subject="Your Amends account",
        body=f"Hello Inés,\n\nChoose your password with this link:\n\n{LINK}\n",
        from_email="Amends <amends@localhost>",
        to=["ines@example.org"],
    )
    sent = ReadableConsoleBackend(stream=stream).send_messages([message])
    printed = stream.getvalue()
    assert sent == 1
    assert LINK in printed.splitlines()
    assert "Hello Inés," in printed
    assert "To: ines@example.org" in printed
