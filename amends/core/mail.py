"""A console mailer a person can read: development and demo print e-mails instead of
sending them, and Django's console mailer prints the raw MIME, where quoted-printable
wraps a long link with "=" and breaks it for whoever copies it from the terminal."""

from __future__ import annotations

from typing import Any

from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend


class ReadableConsoleBackend(EmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        lines = [
            f"Subject: {message.subject}",
            f"From: {message.from_email}",
            f"To: {', '.join(message.to)}",
            "",
            str(message.body),
        ]
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")

    def send_messages(self, email_messages: Any) -> int:
        return int(super().send_messages(email_messages) or 0)
