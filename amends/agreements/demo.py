"""Demo data: an agreement with an apology, restitution with two payments, and work with
verified hours, made through the services (the demo command calls `demo_agreement`)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from amends.accounts.models import User
from amends.agreements.models import Agreement, AgreementItem, ApologyForm, ItemKind
from amends.agreements.selectors import earliest_agreement_date
from amends.agreements.services import (
    agreement_create,
    agreement_item_add,
    payment_record,
    work_hours_log,
    work_hours_verify,
)
from amends.agreements.terms import ItemTerms
from amends.cases.models import Case, Participant, ParticipantRole
from amends.consent.models import ConsentMethod, ConsentScope
from amends.consent.selectors import information_sheet_for
from amends.consent.services import consent_give


def _consent(actor: User, item: AgreementItem, parties: list[Participant]) -> None:
    for participant in parties:
        consent_give(
            actor=actor,
            participant=participant,
            scope=ConsentScope.AGREEMENT,
            agreement_item=item,
            sheet=information_sheet_for(participant),
            method=ConsentMethod.ON_SCREEN,
            signature_name=participant.person.given_name,
        )


def demo_agreement(
    *, case: Case, coordinator: User, facilitator: User, supervisor: User
) -> Agreement:
    """For a case in `process` or `agreement` with one person harmed and one person
    responsible (adults, both informed on the current sheet), `facilitator` assigned:
    an agreement made on the day of the process with a written apology, restitution of
    150.00 GBP (the documented loss) paid in two instalments of 50.00 and 40.00, and
    10 hours of work of which 6 are logged and verified. Both parties consent to every
    item. `supervisor` is accepted for symmetry with other demos (nothing is flagged)."""
    harmed = case.participants.select_related("person", "case__programme").get(
        role=ParticipantRole.HARMED
    )
    responsible = case.participants.select_related("person", "case__programme").get(
        role=ParticipantRole.RESPONSIBLE
    )
    today = timezone.localdate()
    made_on = earliest_agreement_date(case) or today
    agreement = agreement_create(
        actor=coordinator, case=case, responsible=responsible, made_on=made_on
    )
    due = made_on + datetime.timedelta(days=60)
    apology = agreement_item_add(
        actor=facilitator,
        agreement=agreement,
        terms=ItemTerms(
            kind=ItemKind.APOLOGY,
            terms="A written apology, read by the facilitator before it is passed on.",
            due_on=made_on + datetime.timedelta(days=14),
            owed_to=harmed,
            apology_form=ApologyForm.LETTER,
        ),
    )
    restitution = agreement_item_add(
        actor=facilitator,
        agreement=agreement,
        terms=ItemTerms(
            kind=ItemKind.RESTITUTION,
            terms="Pay for the repair of the broken window.",
            due_on=due,
            owed_to=harmed,
            amount=Decimal("150.00"),
            documented_loss=Decimal("150.00"),
            currency="GBP",
            schedule="50.00 a month",
        ),
    )
    work = agreement_item_add(
        actor=facilitator,
        agreement=agreement,
        terms=ItemTerms(
            kind=ItemKind.WORK,
            terms="Help at the community garden on Saturday mornings.",
            due_on=due,
            hours_planned=Decimal("10"),
            placement="Community garden",
        ),
    )
    for item in (apology, restitution):
        _consent(facilitator, item, [responsible, harmed])
    _consent(facilitator, work, [responsible])
    for amount in (Decimal("50.00"), Decimal("40.00")):
        payment_record(
            actor=coordinator,
            item=restitution,
            paid_on=today,
            amount=amount,
            reference="Standing order",
        )
    for hours in (Decimal("3"), Decimal("3")):
        log = work_hours_log(actor=facilitator, item=work, worked_on=today, hours=hours)
        work_hours_verify(actor=coordinator, log=log)
    return agreement
