"""Test builders for cases: a referral, a case with its two key participants, and the
shortest honest path through the gates.

Tests may create fixtures directly; builders go through the services wherever a service
exists so that a case built here is a case the product could have made.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.services import case_open, participant_add
from amends.people.models import Person
from amends.people.services import contact_channel_add, person_create
from amends.programmes.models import OffenceCategory, Programme
from amends.programmes.selectors import current_eligibility_policy
from amends.referrals.models import Decision, Offence, Referral, SourceType


def make_person(
    given_name: str,
    family_name: str = "",
    *,
    date_of_birth: datetime.date | None = None,
    phone: str | None = "+44 7700 900123",
    phone_is_safe: bool = True,
    language: str = "",
) -> Person:
    person = person_create(
        actor=None,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        preferred_language=language,
    )
    if phone is not None:
        contact_channel_add(
            actor=None, person=person, kind="phone", value=phone, is_safe=phone_is_safe
        )
    return person


def make_referral(
    programme: Programme,
    *,
    categories: tuple[str, ...] = ("violence",),
    submitted_by: User | None = None,
    evidential_basis_confirmed: bool = True,
    crime_reported_on: datetime.date | None = None,
    enhanced_rights: bool = False,
) -> Referral:
    referral = Referral.objects.create(
        programme=programme,
        source_type=SourceType.POLICE,
        agency="Northshire Police",
        referrer_name="PC Example",
        submitted_by=submitted_by,
        initial_account="An account of what happened.",
        crime_reported_on=crime_reported_on or timezone.localdate(),
        enhanced_rights=enhanced_rights,
        evidential_basis_confirmed=evidential_basis_confirmed,
    )
    for code in categories:
        Offence.objects.create(
            referral=referral,
            category=OffenceCategory.objects.get(programme=programme, code=code),
        )
    return referral


def build_case(
    programme: Programme,
    *,
    categories: tuple[str, ...] = ("violence",),
    coordinator: User | None = None,
    submitted_by: User | None = None,
    harmed: Person | None = None,
    responsible: Person | None = None,
) -> Case:
    """A case in `referred` with a person harmed and a person responsible."""
    referral = make_referral(programme, categories=categories, submitted_by=submitted_by)
    case = case_open(actor=None, referral=referral, coordinator=coordinator)
    participant_add(
        actor=None,
        case=case,
        person=harmed or make_person("Hana", "Harmed", date_of_birth=datetime.date(1980, 5, 1)),
        role=ParticipantRole.HARMED,
    )
    participant_add(
        actor=None,
        case=case,
        person=responsible
        or make_person(
            "Ray", "Responsible", date_of_birth=datetime.date(1990, 2, 3), phone="+44 7700 900456"
        ),
        role=ParticipantRole.RESPONSIBLE,
    )
    return case


def accept_referral(case: Case, actor: User | None = None, **changes: Any) -> Case:
    """Record an accepted eligibility decision under the current policy (as screening does)."""
    referral = case.referral
    referral.decision = changes.get("decision", Decision.ACCEPTED)
    referral.decision_policy = current_eligibility_policy(case.programme)
    referral.decided_by = actor
    referral.decided_at = timezone.now()
    referral.save()
    return case


def participant(case: Case, role: str) -> Participant:
    return case.participants.select_related("person").get(role=role)


def _soon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


def move(case: Case, target: str, actor: User) -> Case:
    from amends.cases.services import case_transition

    return case_transition(
        actor=actor,
        case=case,
        target=target,
        next_action=f"Work in {target}",
        next_action_due=_soon(),
    )


def quiet_answers(programme: Programme, level: int = 0) -> dict[str, int]:
    """An answer for every question of the current template, all at `level`."""
    from amends.programmes.selectors import current_assessment_template

    template = current_assessment_template(programme)
    assert template is not None
    return {question["key"]: level for question in template.questions}


def drive_to_ready(
    case: Case,
    *,
    coordinator: User,
    supervisor: User,
    facilitator: User,
    process_type: str = "letters",
) -> Case:
    """Carry a case from wherever it is to `ready` through the services, meeting every
    gate the honest way: screening, information, acknowledgment, assessment, sign-off
    when needed, a safety plan when needed, consent, a facilitator."""
    from amends.assessments.services import assessment_record, sign_off_record
    from amends.cases.gates import sign_off_required
    from amends.cases.selectors import case_facts
    from amends.cases.services import (
        acknowledgment_record,
        case_assign_facilitator,
        case_update_plan,
        information_give,
    )
    from amends.consent.services import consent_give
    from amends.programmes.selectors import current_information_sheet
    from amends.safety.services import safety_plan_save

    today = timezone.localdate()
    if case.stage == "referred":
        case = move(case, "screening", coordinator)
    if case.referral.decision == Decision.PENDING:
        accept_referral(case, coordinator)
    if case.stage == "screening":
        case = move(case, "contact", coordinator)
    if not case.assignments.filter(facilitator=facilitator).exists():
        case_assign_facilitator(actor=coordinator, case=case, facilitator=facilitator)
    sheet = current_information_sheet(case.programme, "en")
    assert sheet is not None
    key_people = list(case.participants.filter(role__in=["harmed", "responsible"]))
    for person in key_people:
        information_give(
            actor=facilitator,
            participant=person,
            sheet=sheet,
            method="in_person",
            given_on=today,
            legal_advice_offered=True,
            interpreter_offered=True,
        )
        if person.role == "responsible":
            acknowledgment_record(
                actor=facilitator, participant=person, acknowledged_on=today, method="verbal"
            )
    case = move(case, "assessment", coordinator)
    for person in key_people:
        assessment_record(
            actor=facilitator,
            participant=person,
            answers=quiet_answers(case.programme),
            assessed_on=today,
        )
    facts = case_facts(case)
    if sign_off_required(facts):
        sign_off_record(actor=supervisor, case=case)
    case = move(case, "preparation", coordinator)
    case = case_update_plan(
        actor=coordinator,
        case=case,
        process_type=process_type,
        next_action="Prepare",
        next_action_due=_soon(),
    )
    if case.is_sensitive:
        safety_plan_save(
            actor=facilitator,
            case=case,
            measures=["staggered", "separate_waiting", "exit_plan"],
        )
    for person in key_people:
        consent_give(
            actor=facilitator,
            participant=person,
            scope="take_part",
            process_type=process_type,
            sheet=sheet,
            method="verbal",
            witness="A colleague",
        )
    return move(case, "ready", coordinator)
