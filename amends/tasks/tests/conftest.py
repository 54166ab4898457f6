"""Fixtures for the tasks tests: cases, participants, assessments and consent made
directly (tests may build their set-up without the services; production code may not)."""

from __future__ import annotations

import datetime
import itertools
from dataclasses import dataclass
from typing import Any

import pytest
from django.utils import timezone

from amends.assessments.models import Assessment, RiskLevel
from amends.cases.models import Case, FacilitatorAssignment, Participant, ParticipantRole
from amends.cases.stages import CaseStage, ClosureReason
from amends.consent.models import ConsentEntry, ConsentMethod, ConsentScope
from amends.people.services import person_create
from amends.programmes.models import (
    AssessmentTemplate,
    InformationSheet,
    Modality,
    ProcessType,
    Programme,
)
from amends.referrals.models import Referral, SourceType
from amends.tasks.models import Task, TaskKind

_numbers = itertools.count(1)


def _not_soon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=365)


@dataclass
class Builder:
    """Makes the rows the tasks tests need, in the cast's programme unless told."""

    cast: Any

    def case(
        self,
        *,
        programme: Programme | None = None,
        coordinator: Any = "default",
        next_action_due: datetime.date | None = None,
        next_action: str = "Call the person harmed",
        stage: str = CaseStage.CONTACT,
        crime_reported_on: datetime.date | None = None,
        enhanced_rights: bool = False,
        received_on: datetime.date | None = None,
        facilitators: tuple[Any, ...] = (),
    ) -> Case:
        programme = programme or self.cast.programme
        referral = Referral.objects.create(
            programme=programme,
            source_type=SourceType.POLICE,
            crime_reported_on=crime_reported_on,
            enhanced_rights=enhanced_rights,
        )
        if received_on is not None:
            received = datetime.datetime.combine(
                received_on, datetime.time(10, 0), tzinfo=timezone.get_current_timezone()
            )
            Referral.objects.filter(pk=referral.pk).update(created_at=received)
            referral.refresh_from_db()
        closed = stage == CaseStage.CLOSED
        case = Case.objects.create(
            programme=programme,
            referral=referral,
            reference=f"RJ-{next(_numbers):05d}",
            stage=stage,
            coordinator=self.cast.coordinator if coordinator == "default" else coordinator,
            next_action="" if closed else next_action,
            # Unless a test says otherwise, the case's next action is not due for a year.
            next_action_due=None if closed else (next_action_due or _not_soon()),
            closure_reason=ClosureReason.NOT_SUITABLE if closed else "",
            closed_at=timezone.now() if closed else None,
        )
        for facilitator in facilitators:
            FacilitatorAssignment.objects.create(case=case, facilitator=facilitator)
        return case

    def participant(self, case: Case, role: str = ParticipantRole.HARMED) -> Participant:
        person = person_create(actor=None, given_name="Sam", family_name=f"Doe {next(_numbers)}")
        return Participant.objects.create(case=case, person=person, role=role)

    def task(
        self,
        *,
        due_on: datetime.date,
        case: Case | None = None,
        assignee: Any = None,
        programme: Programme | None = None,
        title: str = "Ring back about the meeting date",
        key: str = "",
        kind: str = TaskKind.OTHER,
        done: bool = False,
    ) -> Task:
        programme = programme or (case.programme if case else self.cast.programme)
        return Task.objects.create(
            programme=programme,
            case=case,
            title=title,
            due_on=due_on,
            assignee=assignee,
            key=key,
            kind=kind,
            done_at=timezone.now() if done else None,
        )

    def assessment(
        self,
        participant: Participant,
        *,
        valid_until: datetime.date,
        assessed_on: datetime.date | None = None,
    ) -> Assessment:
        template, _ = AssessmentTemplate.objects.get_or_create(
            programme=participant.case.programme,
            version=1,
            defaults={"questions": [], "medium_threshold": 3, "high_threshold": 6},
        )
        return Assessment.objects.create(
            participant=participant,
            template=template,
            score=0,
            computed_risk=RiskLevel.LOW,
            risk_level=RiskLevel.LOW,
            permitted_modality=Modality.DIRECT,
            assessed_on=assessed_on or valid_until - datetime.timedelta(days=90),
            valid_until=valid_until,
            assessed_by=self.cast.facilitator,
        )

    def consent(
        self,
        participant: Participant,
        *,
        valid_until: datetime.date | None,
        is_given: bool = True,
        scope: str = ConsentScope.TAKE_PART,
    ) -> ConsentEntry:
        sheet, _ = InformationSheet.objects.get_or_create(
            programme=participant.case.programme,
            language="en",
            version=1,
            defaults={"title": "About restorative justice", "body": "What happens."},
        )
        return ConsentEntry.objects.create(
            participant=participant,
            scope=scope,
            process_type=ProcessType.choices[0][0] if scope == ConsentScope.TAKE_PART else "",
            is_given=is_given,
            sheet=sheet if is_given else None,
            method=ConsentMethod.ON_SCREEN if is_given else "",
            valid_until=valid_until if is_given else None,
            recorded_by=self.cast.coordinator,
        )


@pytest.fixture
def build(cast: Any) -> Builder:
    return Builder(cast)
