"""The agreement pages: what staff and an advocate see, forms that refuse bad input with
a clear message and change nothing, and the PDF that names no one."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Membership
from amends.agreements import rules
from amends.agreements.models import AgreementItem, CatalogueItem, ItemStatus, Payment
from amends.agreements.services import (
    agreement_create,
    agreement_item_confirm,
    agreement_item_vary,
    payment_record,
    work_hours_log,
)
from amends.agreements.tests.helpers import (
    add,
    apology,
    consent_all,
    in_days,
    restitution,
    work,
)
from amends.agreements.views.documents import agreement_document_html
from amends.cases.models import ParticipantRole
from amends.cases.services import participant_add
from amends.cases.tests.builders import drive_to_ready, make_person, move, participant
from amends.consent.models import ConsentEntry
from amends.core.testing.matrix import domain_snapshot
from conftest import enrol_totp, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G11")]


def url(name, *args):
    return reverse(f"agreements:{name}", args=args)


@pytest.fixture
def owed(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed, terms="Pay for the window."))
    consent_all(cast.facilitator, item)
    return item


def test_the_agreement_page_shows_items_consent_and_totals(cast, case, owed, client_for):
    payment_record(
        actor=cast.coordinator, item=owed, paid_on=timezone.localdate(), amount=Decimal("50.00")
    )
    response = client_for("facilitator").get(url("case", case.reference))
    body = response.content.decode()
    assert response.status_code == 200
    assert "Pay for the window." in body
    assert "100.00 GBP" in body  # still owed, computed
    assert "Record a payment" in body
    assert rules.harsher_outcome_words(body) == []


def test_an_advocate_sees_only_the_items_that_bind_their_client(cast, client_for):
    # given a case with a second person harmed, and work that binds only the person
    # responsible
    other = participant_add(
        actor=None,
        case=cast.case,
        person=make_person(
            "Olga", "Other", date_of_birth=datetime.date(1985, 1, 1), phone="+44 7700 900999"
        ),
        role=ParticipantRole.HARMED,
    )
    ready = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    case = move(ready, "process", cast.coordinator)
    harmed = case.participants.get(role=ParticipantRole.HARMED, advocate=cast.advocate)
    agreement = agreement_create(
        actor=cast.facilitator,
        case=case,
        responsible=participant(case, ParticipantRole.RESPONSIBLE),
        made_on=timezone.localdate(),
    )
    mine = add(cast.facilitator, agreement, apology(harmed, terms="Apology to my client."))
    add(cast.facilitator, agreement, apology(other, terms="Apology to someone else."))
    add(cast.facilitator, agreement, work(terms="Garden work."))
    # when
    body = client_for("advocate").get(url("case", case.reference)).content.decode()
    # then
    assert "Apology to my client." in body
    assert "Apology to someone else." not in body
    assert "Garden work." not in body
    assert "Hana H." in body  # their own client, by name
    assert "Ray" not in body  # the other party, by role only
    assert "person responsible" in body
    assert "Olga" not in body
    assert "Record the consent" not in body  # read-only
    pdf = client_for("advocate").get(url("pdf", case.reference, agreement.pk))
    assert pdf.status_code == 200
    assert mine.terms in agreement_document_html(case, agreement.pk, only_for={harmed.pk})


def test_an_advocate_of_nobody_in_the_case_does_not_see_it(cast, case, agreement, client_for):
    other = make_user("other.advocate@example.org", "Other Advocate")
    enrol_totp(other)
    Membership.objects.create(user=other, programme=cast.programme, role="advocate")
    client = client_for(None)
    client.force_login(other)
    assert client.get(url("case", case.reference)).status_code == 404


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"amount": "-5.00"}, "Ensure this value is greater than or equal to 0.01."),
        ({"amount": "500.00"}, "more than the 150.00 GBP owed"),
        ({"amount": "abc"}, "Enter a number."),
        ({"paid_on": "2001-01-01"}, "cannot be before the restorative process"),
    ],
)
def test_a_bad_payment_is_refused_with_a_clear_message_and_changes_nothing(
    cast, case, owed, client_for, data, message
):
    values = {
        "paid_on": timezone.localdate().isoformat(),
        "amount": "10.00",
        "received_by": "programme",
        "reference": "",
    }
    values.update(data)
    before = domain_snapshot()
    response = client_for("coordinator").post(url("payment", case.reference, owed.pk), values)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before
    assert not Payment.objects.exists()


def test_a_payment_through_the_page_is_a_decimal_in_the_ledger(cast, case, owed, client_for):
    response = client_for("coordinator").post(
        url("payment", case.reference, owed.pk),
        {
            "paid_on": timezone.localdate().isoformat(),
            "amount": "0.10",
            "received_by": "direct",
            "reference": "Cash",
        },
    )
    assert response.status_code == 302
    payment = Payment.objects.get()
    assert payment.amount == Decimal("0.10")


def test_items_are_added_through_their_page(cast, case, agreement, harmed, client_for):
    client = client_for("facilitator")
    assert client.get(url("item_add", case.reference, agreement.pk)).status_code == 200
    response = client.post(
        url("item_add", case.reference, agreement.pk),
        {
            "kind": "restitution",
            "terms": "Pay for the phone.",
            "due_on": in_days(30).isoformat(),
            "owed_to": harmed.pk,
            "amount": "80.00",
            "documented_loss": "80.00",
            "currency": "GBP",
        },
    )
    assert response.status_code == 302
    item = AgreementItem.objects.get()
    assert (item.amount, item.documented_loss) == (Decimal("80.00"), Decimal("80.00"))


def test_an_item_with_bad_terms_is_refused_on_its_page(cast, case, agreement, harmed, client_for):
    response = client_for("facilitator").post(
        url("item_add", case.reference, agreement.pk),
        {
            "kind": "restitution",
            "terms": "Pay.",
            "due_on": in_days(30).isoformat(),
            "owed_to": harmed.pk,
            "amount": "80.00",
            "currency": "GBP",
        },
    )
    assert response.status_code == 400
    assert "Give the documented loss." in response.content.decode()
    assert not AgreementItem.objects.exists()


def test_consent_to_an_item_is_recorded_from_the_agreement_page(
    cast, case, agreement, harmed, client_for
):
    item = add(cast.facilitator, agreement, apology(harmed))
    response = client_for("facilitator").post(
        url("consent", case.reference, item.pk),
        {
            "participant": harmed.pk,
            "kind": "consent",
            "method": "verbal",
            "witness": "A colleague",
        },
    )
    assert response.status_code == 302
    entry = ConsentEntry.objects.get(scope="agreement")
    assert (entry.participant, entry.agreement_item) == (harmed, item)


def test_an_agreement_consent_is_named_and_withdrawn_on_the_consent_page(
    cast, case, agreement, harmed, client_for
):
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    entry = ConsentEntry.objects.get(participant=harmed, agreement_item=item)
    page = client_for("advocate").get(
        reverse("consent:participant", args=[case.reference, harmed.pk])
    )
    assert "Agreement item: Apology (version 1)" in page.content.decode()
    response = client_for("advocate").post(
        reverse("consent:withdraw", args=[case.reference, harmed.pk]), {"entry": entry.pk}
    )
    assert response.status_code == 302
    latest = ConsentEntry.objects.filter(participant=harmed, agreement_item=item).last()
    assert latest is not None
    assert not latest.is_given


def test_the_agreement_prints_as_a_pdf_naming_parties_by_role_only(
    cast, case, owed, harmed, client_for
):
    payment_record(
        actor=cast.coordinator,
        item=owed,
        paid_on=timezone.localdate(),
        amount=Decimal("50.00"),
        reference="From Hana's account 7700",
    )
    new = agreement_item_vary(
        actor=cast.facilitator,
        item=owed,
        terms=restitution(harmed, terms="Pay for the window.", amount=Decimal("120.00")),
        reason="Private reason about Ray's job",
    )
    response = client_for("coordinator").get(url("pdf", case.reference, owed.agreement_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = agreement_document_html(case, owed.agreement_id, only_for=None)
    assert "Pay for the window." in html
    assert "Person harmed" in html
    assert "Person responsible" in html
    assert "Signature and date" in html
    assert "120.00 GBP" in html
    assert "70.00 GBP" in html
    assert new.get_status_display() in html
    for private in ("Hana", "Ray", "Harmed", "Responsible R", "7700", "Private reason"):
        assert private not in html, private
    assert rules.harsher_outcome_words(html) == []


def test_a_supervisor_keeps_the_programmes_list_of_other_items(cast, client_for):
    client = client_for("supervisor")
    page = url("catalogue", cast.programme.slug)
    assert client.post(page, {"name": "Victim-awareness course"}).status_code == 302
    item = CatalogueItem.objects.get()
    duplicate = client.post(page, {"name": "victim-awareness course"})
    assert duplicate.status_code == 400
    assert "The list already has an item of that name." in duplicate.content.decode()
    client.post(url("catalogue_offer", cast.programme.slug, item.pk), {})
    item.refresh_from_db()
    assert not item.is_active


def test_the_status_form_completes_an_item(cast, case, agreement, harmed, client_for):
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    response = client_for("facilitator").post(
        url("status", case.reference, item.pk),
        {"status": "completed", "on": timezone.localdate().isoformat()},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.status == ItemStatus.COMPLETED


def test_the_agreement_page_costs_the_same_queries_however_many_items(
    cast, case, agreement, harmed, client_for
):
    client = client_for("supervisor")
    first = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, first)
    with CaptureQueriesContext(connection) as one:
        client.get(url("case", case.reference))
    owed = add(cast.facilitator, agreement, restitution(harmed, documented_loss=Decimal("90")))
    consent_all(cast.facilitator, owed)
    hours = add(cast.facilitator, agreement, work())
    consent_all(cast.facilitator, hours)
    agreement_item_confirm(actor=cast.supervisor, item=owed, reason="Fair")
    for amount in ("10.00", "20.00"):
        payment_record(
            actor=cast.coordinator, item=owed, paid_on=timezone.localdate(), amount=Decimal(amount)
        )
    work_hours_log(
        actor=cast.facilitator, item=hours, worked_on=timezone.localdate(), hours=Decimal("2")
    )
    with CaptureQueriesContext(connection) as many:
        client.get(url("case", case.reference))
    assert len(many) == len(one)
