"""POST data for the intake page, as a browser would send it."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils import timezone

from amends.programmes.models import Programme
from amends.referrals.tests.helpers import HARMED_PHONE, RESPONSIBLE_EMAIL, category


def person_row(**changes: Any) -> dict[str, Any]:
    row = {
        "role": "harmed",
        "given_name": "Hana",
        "family_name": "Harmed",
        "date_of_birth": "1980-05-01",
        "pronouns": "",
        "preferred_language": "en",
        "accessibility_needs": "",
        "guardian_for": "",
        "phone": HARMED_PHONE,
        "phone_safe": "yes",
        "phone_safe_times": "mornings",
        "email": "",
        "email_safe_times": "",
        "address": "",
        "address_safe_times": "",
        "duplicate_choice": "",
        "duplicates_shown": "",
    }
    row.update(changes)
    return {name: value for name, value in row.items() if value is not None}


def responsible_row(**changes: Any) -> dict[str, Any]:
    values = {
        "role": "responsible",
        "given_name": "Ray",
        "family_name": "Responsible",
        "date_of_birth": "1990-02-03",
        "phone": "",
        "phone_safe": None,
        "email": RESPONSIBLE_EMAIL,
        "email_safe": "no",
    }
    values.update(changes)
    return person_row(**values)


def intake_data(
    programme: Programme,
    *,
    people: list[dict[str, Any]] | None = None,
    offences: list[dict[str, Any]] | None = None,
    **changes: Any,
) -> dict[str, Any]:
    today = timezone.localdate()
    people = [person_row(), responsible_row()] if people is None else people
    offences = (
        [
            {
                "category": str(category(programme, "violence").pk),
                "occurred_on": (today - datetime.timedelta(days=3)).isoformat(),
                "police_reference": "NP/123/24",
                "justice_stage": "pre_charge",
            }
        ]
        if offences is None
        else offences
    )
    data: dict[str, Any] = {
        "source_type": "police",
        "agency": "Northshire Police",
        "referrer_name": "PC Example",
        "referrer_contact": "pc.example@police.example",
        "urgency": "routine",
        "crime_reported_on": (today - datetime.timedelta(days=2)).isoformat(),
        "evidential_basis_confirmed": "on",
        "initial_account": "A window was broken during an argument.",
        "people-TOTAL_FORMS": str(len(people)),
        "people-INITIAL_FORMS": "0",
        "offences-TOTAL_FORMS": str(len(offences)),
        "offences-INITIAL_FORMS": "0",
        "send": "",
    }
    for prefix, rows in (("people", people), ("offences", offences)):
        for index, row in enumerate(rows):
            for name, value in row.items():
                data[f"{prefix}-{index}-{name}"] = value
    data.update(changes)
    return {name: value for name, value in data.items() if value is not None}
