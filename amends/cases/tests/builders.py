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
