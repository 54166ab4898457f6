"""Fixtures for the dashboard tests: cases in any stage, made directly (tests may build
their set-up without the services; the dashboard only reads)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from amends.cases.models import Case, FacilitatorAssignment
from amends.cases.stages import CaseStage, ClosureReason, PauseReason
from amends.programmes.models import Programme
from amends.referrals.models import Referral, SourceType
from amends.tasks.models import Task, TaskKind

_numbers = itertools.count(1)


def days(number: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=number)


def moment(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(
        day, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
    )


@dataclass
class Builder:
    cast: Any

    def referral(
        self, *, programme: Programme | None = None, received_on: datetime.date | None = None
    ) -> Referral:
        referral = Referral.objects.create(
            programme=programme or self.cast.programme, source_type=SourceType.POLICE
        )
        if received_on is not None:
            Referral.objects.filter(pk=referral.pk).update(created_at=moment(received_on))
        return referral

    def case(
        self,
        *,
        programme: Programme | None = None,
        stage: str = CaseStage.CONTACT,
        coordinator: Any = "default",
        facilitators: tuple[Any, ...] = (),
        next_action_due: datetime.date | None = None,
        sensitive: bool = False,
        closure_reason: str = ClosureReason.NOT_SUITABLE,
        closed_on: datetime.date | None = None,
    ) -> Case:
        programme = programme or self.cast.programme
        closed = stage == CaseStage.CLOSED
        paused = stage == CaseStage.PAUSED
        case = Case.objects.create(
            programme=programme,
            referral=self.referral(programme=programme),
            reference=f"D-{next(_numbers):06d}",
            stage=stage,
            paused_from=CaseStage.CONTACT if paused else "",
            pause_reason=PauseReason.UNAVAILABLE if paused else "",
            coordinator=self.cast.coordinator if coordinator == "default" else coordinator,
            is_sensitive=sensitive,
            next_action="" if closed else "Ring the person harmed",
            next_action_due=None if closed else (next_action_due or days(60)),
            closure_reason=closure_reason if closed else "",
            closed_at=moment(closed_on or timezone.localdate()) if closed else None,
        )
        for facilitator in facilitators:
            FacilitatorAssignment.objects.create(case=case, facilitator=facilitator)
        return case

    def task(self, *, due_on: datetime.date, done: bool = False, case: Case | None = None) -> Task:
        return Task.objects.create(
            programme=case.programme if case else self.cast.programme,
            case=case,
            kind=TaskKind.OTHER,
            title="Send the letter",
            due_on=due_on,
            done_at=timezone.now() if done else None,
        )


@pytest.fixture
def build(cast: Any) -> Builder:
    return Builder(cast)
