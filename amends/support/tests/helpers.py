"""Short ways to build a partner directory and referrals in tests, through the services."""

from __future__ import annotations

from typing import Any

from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.tests.builders import participant
from amends.consent.models import ConsentEntry
from amends.consent.services import consent_give, consent_withdraw
from amends.programmes.selectors import current_information_sheet
from amends.support.models import Partner, SupportReferral
from amends.support.services import PartnerDetails, partner_create, support_referral_send

COUNSELLING = "Northshire Victim Counselling"


def details(**overrides: Any) -> PartnerDetails:
    values: dict[str, Any] = {
        "name": COUNSELLING,
        "service_types": ["counselling", "mental_health"],
        "languages": ["en", "cy"],
        "regions": ["Northtown"],
        "phone": "0113 496 0100",
        "email": "referrals@counselling.example",
        "website": "https://counselling.example",
        "eligibility_notes": "Adults harmed by crime.",
    }
    values.update(overrides)
    return PartnerDetails(**values)


def add_partner(cast: Any, **overrides: Any) -> Partner:
    return partner_create(
        actor=cast.coordinator, programme=cast.programme, details=details(**overrides)
    )


def harmed(case: Case) -> Participant:
    return participant(case, ParticipantRole.HARMED)


def responsible(case: Case) -> Participant:
    return participant(case, ParticipantRole.RESPONSIBLE)


def agree_to_share(
    cast: Any, who: Participant, partner_name: str = COUNSELLING, **values: Any
) -> ConsentEntry:
    defaults: dict[str, Any] = {
        "scope": "share",
        "partner": partner_name,
        "sheet": current_information_sheet(who.case.programme, "en"),
        "method": "on_screen",
        "signature_name": "Typed Name",
    }
    defaults.update(values)
    actor = defaults.pop("actor", cast.coordinator)
    return consent_give(actor=actor, participant=who, **defaults)


def withdraw_sharing(cast: Any, who: Participant, partner_name: str = COUNSELLING) -> ConsentEntry:
    return consent_withdraw(
        actor=cast.facilitator, participant=who, scope="share", partner=partner_name
    )


def refer(cast: Any, case: Case, partner: Partner, **overrides: Any) -> SupportReferral:
    values: dict[str, Any] = {
        "actor": cast.coordinator,
        "case": case,
        "participant": harmed(case),
        "partner": partner,
        "service_type": "counselling",
        "note": "Asked for help with sleeping.",
    }
    values.update(overrides)
    return support_referral_send(**values)


def referred(cast: Any, case: Case, **overrides: Any) -> SupportReferral:
    """A partner, the person harmed's consent to share with it, and a referral."""
    partner = add_partner(cast)
    agree_to_share(cast, harmed(case))
    return refer(cast, case, partner, **overrides)
