"""Demo data for support referrals, for `manage.py demo` (called by the lead's demo
command): a partner directory and referrals in different states, through the services."""

from __future__ import annotations

from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, ParticipantRole
from amends.consent.services import consent_give
from amends.programmes.models import Programme
from amends.programmes.selectors import current_information_sheet, settings_for
from amends.support.models import Partner, SupportReferral
from amends.support.services import (
    PartnerDetails,
    partner_create,
    support_referral_send,
    support_referral_update,
)

PARTNERS = (
    PartnerDetails(
        name="Northshire Victim Counselling",
        service_types=["counselling", "mental_health"],
        languages=["en", "cy", "pl"],
        regions=["Northtown", "Eastvale"],
        phone="0113 496 0100",
        email="referrals@counselling.example",
        website="https://counselling.example",
        eligibility_notes="Adults harmed by crime; about two weeks' wait for a first session.",
    ),
    PartnerDetails(
        name="Shire Law Centre",
        service_types=["legal", "housing"],
        languages=["en"],
        regions=["Northshire"],
        phone="0113 496 0200",
        email="advice@lawcentre.example",
        eligibility_notes="Free advice for people on low incomes.",
    ),
    PartnerDetails(
        name="Turning Point Northshire",
        service_types=["substance_use", "mental_health"],
        languages=["en", "ur"],
        regions=["Northshire"],
        phone="0113 496 0300",
        eligibility_notes="Self-referral or professional referral; 18 and over.",
    ),
    PartnerDetails(
        name="Safe Steps Domestic Abuse Service",
        service_types=["domestic_abuse"],
        languages=["en", "pa", "ar"],
        regions=["Northshire", "Southvale"],
        phone="0113 496 0400",
        eligibility_notes="Independent domestic violence advisers (IDVAs).",
        is_active=False,
    ),
)


def create_demo_partners(programme: Programme, *, coordinator: User) -> list[Partner]:
    """Four organisations in the programme's directory, one not taking referrals now."""
    return [
        partner_create(actor=coordinator, programme=programme, details=details)
        for details in PARTNERS
    ]


def create_demo_referrals(
    case: Case, partners: list[Partner], *, coordinator: User, facilitator: User
) -> list[SupportReferral]:
    """On an open case whose two key participants are adults: the person harmed agrees
    to share with the counselling service, is referred, the service accepts; the person
    responsible agrees to share with the substance-use service and is referred, still
    waiting for an answer (both sent on the day the case was opened, so on a case opened
    more than the programme's reply days ago the reminder sweep picks the second up).
    `partners` are those of `create_demo_partners`. Returns the two referrals."""
    by_name = {partner.name: partner for partner in partners}
    counselling = by_name["Northshire Victim Counselling"]
    substance = by_name["Turning Point Northshire"]
    harmed = case.participants.get(role=ParticipantRole.HARMED)
    responsible = case.participants.get(role=ParticipantRole.RESPONSIBLE)
    today = timezone.localdate()
    opened = timezone.localtime(case.created_at).date()
    for participant, partner in ((harmed, counselling), (responsible, substance)):
        consent_give(
            actor=facilitator,
            participant=participant,
            scope="share",
            partner=partner.name,
            sheet=current_information_sheet(
                case.programme,
                participant.person.preferred_language
                or settings_for(case.programme).default_language,
            ),
            method="verbal",
            witness="A colleague",
        )
    accepted = support_referral_send(
        actor=coordinator,
        case=case,
        participant=harmed,
        partner=counselling,
        service_type="counselling",
        note="Asked for help with sleeping and going out alone.",
        sent_on=opened,
    )
    accepted = support_referral_update(
        actor=coordinator,
        referral=accepted,
        status="accepted",
        happened_on=today,
        note="First session booked.",
    )
    waiting = support_referral_send(
        actor=facilitator,
        case=case,
        participant=responsible,
        partner=substance,
        service_type="substance_use",
        note="Wants support to stop drinking.",
        sent_on=opened,
    )
    return [accepted, waiting]
