"""The outcome report to the referrer (G12): participation and completion only — no notes,
no statements, no disclosures, no names or contact details — issued under a legal basis
that is recorded, and readable by the referrer only once issued."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.agreements import rules
from amends.agreements.models import LegalBasis, OutcomeReportIssue
from amends.agreements.reports import outcome_report
from amends.agreements.services import (
    agreement_item_confirm,
    agreement_item_set_status,
    agreement_item_vary,
    outcome_report_issue,
    payment_record,
)
from amends.agreements.tests.helpers import (
    add,
    apology,
    consent_all,
    held_meeting,
    refused,
    restitution,
)
from amends.agreements.views.documents import outcome_report_html
from amends.assessments.models import Assessment
from amends.audit.models import AuditEvent
from amends.cases.models import Acknowledgment
from amends.cases.services import contact_record
from amends.consent.services import consent_withdraw
from amends.core.errors import ApplicationError, PermissionRefused
from amends.safety.services import safety_plan_save
from conftest import enrol_totp, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G12")]

SECRETS = {
    "account": "ZEBRA-ACCOUNT-the window was smashed",
    "contact": "ZEBRA-CONTACT-said she is frightened",
    "acknowledgment": "ZEBRA-ACK-admitted throwing the brick",
    "assessment": "ZEBRA-ASSESS-history of anxiety",
    "consent": "ZEBRA-CONSENT-does not want the school told",
    "safety": "ZEBRA-SAFETY-side door",
    "terms": "ZEBRA-TERMS-pay for the window",
    "reference": "ZEBRA-REF-payment from H Harmed",
    "variation": "ZEBRA-VARY-lost his job",
    "confirmation": "ZEBRA-CONFIRM-call-out fee",
    "session": "ZEBRA-SESSION-he cried",
    "disclosure": "ZEBRA-DISCLOSURE-another incident",
    "letter": "ZEBRA-LETTER-I am sorry",
}
# Names and the phone numbers of the two parties (the nav bar shows the reader's own e-mail).
PERSONAL = ["Hana", "Harmed", "Ray", "Responsible", "7700"]


def _meeting_with_a_record(case, harmed, coordinator):
    """A held conference the person harmed attended, with restricted notes."""
    from amends.meetings.models import SessionRecord

    SessionRecord.objects.create(
        meeting=held_meeting(case, days_ago=0, attendee=harmed),
        took_place=True,
        outcome="agreement",
        notes=SECRETS["session"],
        disclosures=SECRETS["disclosure"],
        recorded_by=coordinator,
    )


def _letter(case, harmed, responsible, user):
    from amends.exchanges.models import ExchangeItem

    ExchangeItem.objects.create(
        case=case,
        author=responsible,
        recipient=harmed,
        kind="letter",
        text=SECRETS["letter"],
        status="relayed",
        entered_by=user,
        revised_by=user,
        relayed_on=timezone.localdate(),
        relayed_by=user,
        relay_method="post",
    )


@pytest.fixture
def told_everything(cast, case, agreement, harmed, responsible):
    """A case whose records hold a distinctive string everywhere a note, a statement, a
    disclosure or a term can be written."""
    referral = case.referral
    referral.initial_account = SECRETS["account"]
    referral.save()
    contact_record(
        actor=cast.facilitator,
        participant=harmed,
        method="in_person",
        outcome="reached",
        occurred_at=timezone.now(),
        notes=SECRETS["contact"],
    )
    acknowledgment = Acknowledgment.objects.get(participant=responsible)
    acknowledgment.notes = SECRETS["acknowledgment"]
    acknowledgment.save()
    assessment = Assessment.objects.filter(participant=harmed).latest("id")
    assessment.notes = SECRETS["assessment"]
    assessment.save()
    safety_plan_save(
        actor=cast.facilitator, case=case, measures=["exit_plan"], notes=SECRETS["safety"]
    )
    _meeting_with_a_record(case, harmed, cast.coordinator)
    _letter(case, harmed, responsible, cast.facilitator)
    item = add(
        cast.facilitator,
        agreement,
        restitution(harmed, terms=SECRETS["terms"], documented_loss=Decimal("100.00")),
    )
    agreement_item_confirm(actor=cast.supervisor, item=item, reason=SECRETS["confirmation"])
    consent_all(cast.facilitator, item)
    payment_record(
        actor=cast.coordinator,
        item=item,
        paid_on=timezone.localdate(),
        amount=Decimal("20.00"),
        reference=SECRETS["reference"],
    )
    new = agreement_item_vary(
        actor=cast.facilitator,
        item=item,
        terms=restitution(harmed, terms=SECRETS["terms"], amount=Decimal("100.00")),
        reason=SECRETS["variation"],
    )
    consent_all(cast.facilitator, new)
    consent_withdraw(
        actor=cast.facilitator,
        participant=harmed,
        scope="share",
        partner="Victim Support",
        note=SECRETS["consent"],
    )
    return case


def _assert_clean(text):
    for key, secret in SECRETS.items():
        assert secret not in text, key
    for word in PERSONAL:
        assert word not in text, word
    assert rules.harsher_outcome_words(text) == []


def test_the_report_carries_participation_and_completion_and_nothing_else(
    cast, told_everything, client_for
):
    # when
    issue = outcome_report_issue(
        actor=cast.coordinator, case=told_everything, legal_basis=LegalBasis.COURT_ORDER
    )
    page = client_for("referrer").get(
        reverse("agreements:report", args=[told_everything.reference])
    )
    pdf = client_for("referrer").get(
        reverse("agreements:report_pdf", args=[told_everything.reference])
    )
    report = outcome_report(told_everything)
    html = outcome_report_html(told_everything, report)
    # then
    assert page.status_code == 200
    body = page.content.decode()
    assert "The person harmed took part" in body
    assert "The person responsible took part" in body
    assert "An agreement was reached" in body
    assert "never evidence of guilt" in body
    for text in (body, html, json.dumps(issue.report)):
        _assert_clean(text)
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_took_part_comes_from_the_process_records(cast, told_everything):
    report = outcome_report(told_everything)
    answers = {line.role: line.took_part for line in report.participation}
    # The person harmed attended the conference; both wrote or received the letter.
    assert answers == {"harmed": True, "responsible": True}
    assert report.agreement_reached is True
    assert report.agreement_completed is None


def test_nobody_took_part_when_nothing_took_place(cast, case):
    report = outcome_report(case)
    assert [line.took_part for line in report.participation] == [False, False]
    assert report.agreement_reached is False


def test_issuing_records_the_legal_basis_in_the_audit_log(cast, told_everything):
    issue = outcome_report_issue(
        actor=cast.supervisor, case=told_everything, legal_basis=LegalBasis.STATUTORY_DUTY
    )
    event = AuditEvent.objects.get(action="outcome_report.issued")
    assert event.data["legal_basis"] == "statutory_duty"
    assert event.data["referrer"] == cast.referrer.pk
    assert event.reason == "A statutory duty"
    assert event.target_id == str(issue.pk)
    _assert_clean(json.dumps(event.data))


def test_issuing_needs_a_legal_basis_and_a_manager(cast, case):
    refused(
        lambda: outcome_report_issue(actor=cast.coordinator, case=case, legal_basis="curiosity"),
        "Choose the legal basis for sharing the report.",
    )
    for name in ("facilitator", "referrer", "advocate"):
        refused(
            lambda name=name: outcome_report_issue(
                actor=cast.users[name], case=case, legal_basis=LegalBasis.CONSENT
            ),
            error=PermissionRefused,
        )


def test_there_is_nothing_to_issue_before_the_process(cast):
    case = cast.case
    refused(
        lambda: outcome_report_issue(actor=cast.coordinator, case=case, legal_basis="consent"),
        "There is nothing to report yet: the process has not started.",
        error=ApplicationError,
    )


def test_the_referrer_reads_only_what_was_issued_to_them(cast, case, agreement, harmed, client_for):
    url = reverse("agreements:report", args=[case.reference])
    assert client_for("referrer").get(url).status_code == 404
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    outcome_report_issue(actor=cast.coordinator, case=case, legal_basis=LegalBasis.CONSENT)
    agreement_item_set_status(
        actor=cast.facilitator, item=item, status="completed", on=timezone.localdate()
    )
    # The referrer still reads the report as issued; staff see today's.
    referrer_page = client_for("referrer").get(url).content.decode()
    assert "In progress" in referrer_page
    staff_page = client_for("coordinator").get(url).content.decode()
    assert "In progress" not in staff_page
    assert OutcomeReportIssue.objects.count() == 1


def test_another_referrer_of_the_programme_never_sees_it(cast, case, client_for):
    from amends.accounts.models import Membership

    outcome_report_issue(actor=cast.coordinator, case=case, legal_basis=LegalBasis.CONSENT)
    other = make_user("other.referrer@example.org", "Other Referrer")
    enrol_totp(other)
    Membership.objects.create(user=other, programme=cast.programme, role="referrer")
    client = client_for(None)
    client.force_login(other)
    assert client.get(reverse("agreements:report", args=[case.reference])).status_code == 404
