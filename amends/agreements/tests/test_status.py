"""What the case workflow and the outcome report read about agreements
(`selectors.agreement_status`): whether one exists, G11's reasons, the items still to be
done, whether an agreement was reached and whether it was completed."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.utils import timezone

from amends.agreements.selectors import AgreementStatus, agreement_status
from amends.agreements.services import (
    agreement_item_set_status,
    payment_record,
)
from amends.agreements.tests.helpers import add, apology, consent, consent_all, restitution
from amends.cases.selectors import case_facts

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G11")]


def test_without_an_agreement_nothing_is_reached_or_completed(case):
    assert agreement_status(case) == AgreementStatus(
        exists=False, unmet=(), open_items=0, reached=False, completed=None
    )


def test_an_item_without_every_consent_leaves_the_agreement_not_reached(
    cast, agreement, harmed, responsible
):
    item = add(cast.facilitator, agreement, restitution(harmed))
    consent(cast.facilitator, item, responsible)
    status = agreement_status(agreement.case)
    assert status.exists
    assert status.reached is False
    assert status.open_items == 1
    assert status.completed is None
    assert status.unmet == (
        "Restitution (money) in the agreement with Ray R. (person responsible): "
        "Hana H. (person harmed) has not consented to it.",
    )


def test_an_agreed_agreement_is_reached_and_runs_until_every_item_is_done(cast, agreement, harmed):
    owed = add(cast.facilitator, agreement, restitution(harmed))
    sorry = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, owed)
    consent_all(cast.facilitator, sorry)
    status = agreement_status(agreement.case)
    assert (status.reached, status.open_items, status.completed, status.unmet) == (
        True,
        2,
        None,
        (),
    )
    payment_record(
        actor=cast.coordinator, item=owed, paid_on=timezone.localdate(), amount=Decimal("150.00")
    )
    agreement_item_set_status(
        actor=cast.coordinator, item=sorry, status="waived", reason="She no longer wants it."
    )
    status = agreement_status(agreement.case)
    assert (status.open_items, status.completed, status.reached) == (0, True, True)


def test_the_case_workflow_reads_the_same_reasons(cast, agreement, harmed):
    add(cast.facilitator, agreement, apology(harmed))
    facts = case_facts(agreement.case)
    assert facts.agreement_exists is True
    assert facts.agreement_unmet == agreement_status(agreement.case).unmet
    assert facts.agreement_open_items == 1


def test_consent_to_an_agreement_item_never_asks_for_renewal(cast):
    """Agreement consent holds until withdrawn or the item is varied: the daily sweep
    makes no 'renew consent' task for it, even on the eve of its recorded date."""
    import datetime as _datetime

    from django.utils import timezone as _timezone

    from amends.agreements.services import agreement_create
    from amends.agreements.tests.helpers import add, apology, consent_all
    from amends.cases.tests.builders import move
    from amends.consent.models import ConsentEntry, ConsentScope
    from amends.exchanges.tests.helpers import approved, harmed, letter_case, relayed, responsible
    from amends.tasks.jobs import expiring_sweep
    from amends.tasks.models import Task, TaskKind

    case = move(letter_case(cast), "process", cast.coordinator)
    relayed(cast, approved(cast, case))
    agreement = agreement_create(
        actor=cast.coordinator,
        case=case,
        responsible=responsible(case),
        made_on=_timezone.localdate(),
    )
    item = add(cast.coordinator, agreement, apology(harmed(case)))
    consent_all(cast.coordinator, item)
    entries = list(ConsentEntry.objects.filter(scope=ConsentScope.AGREEMENT))
    assert entries
    assert all(entry.valid_until is not None for entry in entries)
    latest = max(entry.valid_until for entry in entries if entry.valid_until)
    expiring_sweep(latest - _datetime.timedelta(days=1))
    keys = [f"consent:{entry.pk}:expiring" for entry in entries]
    assert not Task.objects.filter(kind=TaskKind.CONSENT_EXPIRING, key__in=keys).exists()
