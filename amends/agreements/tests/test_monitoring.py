"""Keeping an agreement (G11): the payments ledger and the hours of work, totals computed
from their rows as Decimal, status changes, and bad input refused with nothing changed."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from amends.agreements.models import ItemStatus, Payment, PaymentReceiver
from amends.agreements.selectors import agreement_views, hours_logged, total_paid
from amends.agreements.services import (
    agreement_item_set_status,
    agreement_item_vary,
    payment_record,
    work_hours_log,
    work_hours_verify,
)
from amends.agreements.tests.helpers import (
    add,
    apology,
    consent,
    consent_all,
    in_days,
    refused,
    restitution,
    work,
)
from amends.cases.models import StageChange
from amends.core.errors import ConflictError, PermissionRefused

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G11")]

TODAY = timezone.localdate


@pytest.fixture
def owed(cast, agreement, harmed):
    """Restitution of 150.00 GBP to the person harmed, in force."""
    item = add(cast.facilitator, agreement, restitution(harmed))
    consent_all(cast.facilitator, item)
    return item


@pytest.fixture
def hours(cast, agreement):
    """Ten hours of work, in force."""
    item = add(cast.facilitator, agreement, work())
    consent_all(cast.facilitator, item)
    return item


def pay(cast, item, amount, **overrides):
    values: dict[str, Any] = {"paid_on": TODAY(), "amount": Decimal(amount), "reference": "SO 1"}
    values.update(overrides)
    return payment_record(actor=cast.coordinator, item=item, **values)


# --- payments --------------------------------------------------------------------------------
def test_payments_are_a_ledger_whose_totals_are_computed_as_decimal(cast, owed):
    pay(cast, owed, "50.00")
    pay(cast, owed, "40.10", received_by=PaymentReceiver.DIRECT)
    assert total_paid(owed) == Decimal("90.10")
    assert isinstance(total_paid(owed), Decimal)
    [view] = agreement_views(owed.agreement.case)
    [line] = view.items
    assert (line.paid, line.outstanding) == (Decimal("90.10"), Decimal("59.90"))
    assert all(isinstance(payment.amount, Decimal) for payment in Payment.objects.all())
    owed.refresh_from_db()
    assert owed.status == ItemStatus.IN_PROGRESS


def test_the_payment_that_pays_in_full_completes_the_item(cast, owed):
    pay(cast, owed, "100.00")
    pay(cast, owed, "50.00")
    owed.refresh_from_db()
    assert owed.status == ItemStatus.COMPLETED
    assert owed.completed_on == TODAY()


def test_a_payment_beyond_what_is_owed_is_refused_and_says_how_much_is_left(cast, owed):
    pay(cast, owed, "100.00")
    refused(
        lambda: pay(cast, owed, "50.01"),
        "This payment would take the total paid to 150.01 GBP, more than the 150.00 GBP owed. "
        "Still owed: 50.00 GBP.",
    )


@pytest.mark.parametrize(
    ("amount", "reason"),
    [
        ("-10.00", "The amount must be more than zero."),
        ("0", "The amount must be more than zero."),
        ("1.005", "The amount can have at most two decimal places."),
    ],
)
def test_bad_amounts_are_refused(cast, owed, amount, reason):
    refused(lambda: pay(cast, owed, amount), reason)


def test_a_payment_is_never_dated_before_the_process_nor_in_the_future(cast, owed):
    StageChange.objects.filter(to_stage="process").update(
        created_at=timezone.now() + datetime.timedelta(days=2)
    )
    refused(
        lambda: pay(cast, owed, "10.00"),
        "The date it was paid cannot be before the restorative process it came from "
        f"({in_days(2).isoformat()}).",
    )
    refused(
        lambda: pay(cast, owed, "10.00", paid_on=in_days(1)),
        "The date it was paid cannot be in the future.",
    )


def test_a_payment_is_never_dated_before_the_agreement_was_made(cast, owed):
    refused(
        lambda: pay(cast, owed, "10.00", paid_on=in_days(-1)),
        # The process started today too: the earlier of the two rules speaks first.
        f"The date it was paid cannot be before the restorative process it came from "
        f"({TODAY().isoformat()}).",
    )


def test_payments_count_only_on_an_item_in_force(cast, agreement, harmed, responsible):
    item = add(cast.facilitator, agreement, restitution(harmed))
    consent(cast.facilitator, item, responsible)
    error = refused(lambda: pay(cast, item, "10.00"), "The item is not in force yet.")
    assert any("Hana H." in reason for reason in error.reasons)


def test_a_payment_is_only_for_restitution(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    refused(lambda: pay(cast, item, "10.00"), "This is not a restitution (money) item.")


def test_payments_on_an_earlier_version_count_for_the_new_one(cast, owed, harmed):
    pay(cast, owed, "60.00")
    new = agreement_item_vary(
        actor=cast.facilitator,
        item=owed,
        terms=restitution(harmed, amount=Decimal("100.00")),
        reason="Agreed to less",
    )
    consent_all(cast.facilitator, new)
    assert total_paid(new) == Decimal("60.00")
    refused(lambda: pay(cast, new, "40.01"), None)
    pay(cast, new, "40.00")
    new.refresh_from_db()
    assert new.status == ItemStatus.COMPLETED


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator"])
def test_people_not_working_on_the_case_cannot_record_payments(cast, owed, name):
    refused(
        lambda: payment_record(
            actor=cast.users[name], item=owed, paid_on=TODAY(), amount=Decimal("1.00")
        ),
        error=PermissionRefused,
    )


# --- hours -----------------------------------------------------------------------------------
def test_hours_count_once_verified_and_complete_the_item_when_all_are(cast, hours):
    first = work_hours_log(
        actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=Decimal("6")
    )
    assert hours_logged(hours) == Decimal("6")
    assert hours_logged(hours, verified_only=True) == Decimal("0")
    verified = work_hours_verify(actor=cast.coordinator, log=first)
    assert verified.verified_by == cast.coordinator
    assert verified.verified_at is not None
    second = work_hours_log(
        actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=Decimal("4.00")
    )
    hours.refresh_from_db()
    assert hours.status == ItemStatus.IN_PROGRESS
    work_hours_verify(actor=cast.facilitator, log=second)
    hours.refresh_from_db()
    assert hours.status == ItemStatus.COMPLETED


def test_hours_beyond_those_planned_are_refused(cast, hours):
    work_hours_log(actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=Decimal("8"))
    refused(
        lambda: work_hours_log(
            actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=Decimal("2.5")
        ),
        "These hours would take the total to 10.50, more than the 10.00 hours planned. "
        "Hours left: 2.00.",
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("0", "The hours must be more than zero."),
        ("-1", "The hours must be more than zero."),
        ("25", "The hours must be at most 24."),
    ],
)
def test_bad_hours_are_refused(cast, hours, value, reason):
    refused(
        lambda: work_hours_log(
            actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=Decimal(value)
        ),
        reason,
    )


def test_hours_are_decimal_and_a_float_is_a_programming_error(cast, hours):
    with pytest.raises(TypeError):
        work_hours_log(actor=cast.facilitator, item=hours, worked_on=TODAY(), hours=2.5)  # type: ignore[arg-type]


# --- status ----------------------------------------------------------------------------------
def test_restitution_is_not_completed_while_money_is_owed(cast, owed):
    pay(cast, owed, "100.00")
    refused(
        lambda: agreement_item_set_status(
            actor=cast.coordinator, item=owed, status="completed", on=TODAY()
        ),
        "50.00 GBP is still owed: record the payments first.",
    )


def test_an_apology_is_completed_on_a_date(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    refused(
        lambda: agreement_item_set_status(actor=cast.facilitator, item=item, status="completed"),
        "Give the date it was done.",
    )
    done = agreement_item_set_status(
        actor=cast.facilitator, item=item, status="completed", on=TODAY()
    )
    assert (done.status, done.completed_on) == (ItemStatus.COMPLETED, TODAY())
    refused(
        lambda: agreement_item_set_status(actor=cast.facilitator, item=item, status="in_progress"),
        "This item is already “Completed”.",
        error=ConflictError,
    )


def test_an_item_not_in_force_cannot_be_completed(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, apology(harmed))
    refused(
        lambda: agreement_item_set_status(
            actor=cast.facilitator, item=item, status="completed", on=TODAY()
        ),
        "The item is not in force yet.",
    )


def test_only_a_coordinator_or_supervisor_waives_an_item_and_says_why(cast, owed):
    refused(
        lambda: agreement_item_set_status(
            actor=cast.facilitator, item=owed, status="waived", reason="Released"
        ),
        error=PermissionRefused,
    )
    refused(
        lambda: agreement_item_set_status(actor=cast.coordinator, item=owed, status="waived"),
        "Say why the item is waived.",
    )
    waived = agreement_item_set_status(
        actor=cast.coordinator,
        item=owed,
        status="waived",
        reason="The person harmed released the rest.",
    )
    assert waived.status == ItemStatus.WAIVED
    assert waived.status_reason == "The person harmed released the rest."


def test_varied_and_not_completed_are_not_statuses_a_person_sets(cast, owed):
    for status in ("varied", "not_completed", "cancelled"):
        refused(
            lambda status=status: agreement_item_set_status(
                actor=cast.coordinator, item=owed, status=status
            ),
            "Choose a status from the list.",
        )
