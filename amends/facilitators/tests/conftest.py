"""Fixtures for the facilitators tests: a builder that makes facilitators and their dated
records directly (tests may build their set-up without the services), cases they work on,
and a real SMTP server on loopback for the alert e-mails."""

from __future__ import annotations

import datetime
import email
import email.policy
import itertools
import socket
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.test import override_settings
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.accounts.selectors import forget_programme_roles
from amends.cases.models import Case, FacilitatorAssignment, StageChange
from amends.cases.tests.builders import build_case
from amends.facilitators.models import (
    Accreditation,
    AccreditationLevel,
    EndorsementRecord,
    ObservedPractice,
    SupervisionSession,
    TrainingRecord,
)
from amends.programmes.models import Programme

_numbers = itertools.count(1)


def at_noon(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(12, 0)))


@dataclass
class Roster:
    """Makes facilitators and their records in the cast's programme unless told."""

    cast: Any

    def facilitator(
        self, name: str = "", *, programme: Programme | None = None, role: str = Role.FACILITATOR
    ) -> User:
        number = next(_numbers)
        user = User.objects.create_user(
            email=f"facilitator{number}@example.org",
            full_name=name or f"Facilitator {number}",
        )
        Membership.objects.create(user=user, programme=programme or self.cast.programme, role=role)
        return user

    def grant(self, user: User, role: str, programme: Programme | None = None) -> None:
        Membership.objects.create(user=user, programme=programme or self.cast.programme, role=role)
        forget_programme_roles(user)

    def accreditation(
        self,
        user: User,
        valid_from: datetime.date,
        valid_to: datetime.date,
        level: str = AccreditationLevel.INTERMEDIATE,
    ) -> Accreditation:
        return Accreditation.objects.create(
            facilitator=user,
            recorded_by=self.cast.coordinator,
            level=level,
            issuer="RJC",
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def endorsement(
        self,
        user: User,
        code: str,
        valid_from: datetime.date = datetime.date(2020, 1, 1),
        valid_to: datetime.date | None = None,
    ) -> EndorsementRecord:
        return EndorsementRecord.objects.create(
            facilitator=user,
            recorded_by=self.cast.coordinator,
            endorsement=code,
            valid_from=valid_from,
            valid_to=valid_to,
        )

    def training(
        self, user: User, on: datetime.date, hours: str, *, counts_as_cpd: bool = True
    ) -> TrainingRecord:
        return TrainingRecord.objects.create(
            facilitator=user,
            recorded_by=user,
            course="Course",
            provider="Provider",
            completed_on=on,
            hours=Decimal(hours),
            counts_as_cpd=counts_as_cpd,
        )

    def supervision(self, user: User, on: datetime.date) -> SupervisionSession:
        return SupervisionSession.objects.create(
            facilitator=user,
            recorded_by=self.cast.coordinator,
            held_on=on,
            supervisor=self.cast.supervisor,
        )

    def observed(self, user: User, on: datetime.date) -> ObservedPractice:
        return ObservedPractice.objects.create(
            facilitator=user,
            recorded_by=self.cast.coordinator,
            observed_on=on,
            observer=self.cast.supervisor,
        )

    def process(self, user: User, on: datetime.date) -> Case:
        """A case `user` is assigned to that entered the process stage on `on`."""
        case = build_case(self.cast.programme)
        FacilitatorAssignment.objects.create(case=case, facilitator=user)
        change = StageChange.objects.create(case=case, from_stage="ready", to_stage="process")
        StageChange.objects.filter(pk=change.pk).update(created_at=at_noon(on))
        return case

    def compliant(self, user: User, day: datetime.date) -> User:
        """Everything in order on `day`: accredited (advanced, every year around it),
        supervised that day, 16 CPD hours, observed and a process that day."""
        self.accreditation(
            user,
            day - datetime.timedelta(days=365),
            day + datetime.timedelta(days=365),
            AccreditationLevel.ADVANCED,
        )
        self.supervision(user, day)
        self.training(user, day, "16")
        self.observed(user, day)
        self.process(user, day)
        return user


@pytest.fixture
def roster(cast: Any) -> Roster:
    return Roster(cast)


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
