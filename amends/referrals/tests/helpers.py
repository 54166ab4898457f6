"""Test helpers for referrals: valid input for `referral_submit`, changed one piece at a
time by the tests, and a case brought to screening."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amends.cases.models import Case
from amends.cases.services import case_transition
from amends.programmes.models import OffenceCategory, Programme
from amends.referrals.services import ChannelInput, OffenceInput, PersonInput, referral_submit

HARMED_PHONE = "+44 7700 900111"
RESPONSIBLE_EMAIL = "ray.responsible@example.org"


def category(programme: Programme, code: str) -> OffenceCategory:
    return OffenceCategory.objects.get(programme=programme, code=code)


def harmed(**changes: Any) -> PersonInput:
    values: dict[str, Any] = {
        "role": "harmed",
        "given_name": "Hana",
        "family_name": "Harmed",
        "date_of_birth": datetime.date(1980, 5, 1),
        "preferred_language": "en",
        "channels": (ChannelInput("phone", HARMED_PHONE, True, safe_times="weekday mornings"),),
    }
    values.update(changes)
    return PersonInput(**values)


def responsible(**changes: Any) -> PersonInput:
    values: dict[str, Any] = {
        "role": "responsible",
        "given_name": "Ray",
        "family_name": "Responsible",
        "date_of_birth": datetime.date(1990, 2, 3),
        "channels": (ChannelInput("email", RESPONSIBLE_EMAIL, False),),
    }
    values.update(changes)
    return PersonInput(**values)


def referral_input(programme: Programme, **changes: Any) -> dict[str, Any]:
    """Keyword arguments for referral_submit (without the actor) that are all valid."""
    today = timezone.localdate()
    values: dict[str, Any] = {
        "programme": programme,
        "source_type": "police",
        "agency": "Northshire Police",
        "referrer_name": "PC Example",
        "referrer_contact": "pc.example@police.example",
        "initial_account": "A window was broken during an argument.",
        "urgency": "routine",
        "crime_reported_on": today - datetime.timedelta(days=2),
        "enhanced_rights": False,
        "evidential_basis_confirmed": True,
        "offences": [
            OffenceInput(
                category=category(programme, "violence"),
                occurred_on=today - datetime.timedelta(days=3),
                police_reference="NP/123/24",
                justice_stage="pre_charge",
            )
        ],
        "people": [harmed(), responsible()],
    }
    values.update(changes)
    return values


def submit(actor: Any, programme: Programme, **changes: Any) -> Case:
    return referral_submit(actor=actor, **referral_input(programme, **changes))


def to_screening(case: Case) -> Case:
    return case_transition(
        actor=None,
        case=case,
        target="screening",
        next_action="Screen the referral",
        next_action_due=timezone.localdate() + datetime.timedelta(days=2),
    )
