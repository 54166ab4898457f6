"""The screening page (G1 under the current policy, accept or decline) and the
referrer's "My referrals": status and the reason written for them, nothing else."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.audit.models import AuditEvent
from amends.cases.models import ContactLog
from amends.cases.services import case_close, contact_record
from amends.core.testing.matrix import domain_snapshot
from amends.referrals.services import OffenceInput, referral_decide
from amends.referrals.tests.helpers import category, submit, to_screening

pytestmark = pytest.mark.django_db


def screening_url(case):
    return reverse("referrals:screening", args=[case.reference])


@pytest.mark.gate("G1")
def test_the_screening_page_shows_the_evaluation_under_the_current_policy(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme))
    response = client_for("coordinator").get(screening_url(case))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Eligibility under the current policy (version 1)" in page
    assert "Every offence is eligible under version 1 of the policy." in page
    assert "Record the decision" in page
    assert AuditEvent.objects.filter(action="case.viewed", target_id=str(case.pk)).exists()


@pytest.mark.gate("G1")
def test_a_referral_not_yet_in_screening_cannot_be_decided_from_the_page(cast, client_for):
    case = submit(cast.referrer, cast.programme)
    page = client_for("coordinator").get(screening_url(case)).content.decode()
    assert "Start screening on the case page first" in page
    assert "Record the decision" not in page


@pytest.mark.gate("G1")
def test_declining_on_the_page_needs_a_reason_for_the_referrer(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme))
    before = domain_snapshot()
    response = client_for("coordinator").post(screening_url(case), {"decision": "decline"})
    assert response.status_code == 400
    assert "Write the reason the referrer will read." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G1")
def test_declining_on_the_page_closes_the_case_and_returns_it(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme))
    response = client_for("coordinator").post(
        screening_url(case), {"decision": "decline", "reason_for_referrer": "Not suitable."}
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage == "closed"
    assert case.referral.decision == "declined"


@pytest.mark.gate("G1")
def test_accepting_an_ineligible_referral_on_the_page_shows_the_policys_reasons(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme, evidential_basis_confirmed=False))
    before = domain_snapshot()
    response = client_for("coordinator").post(screening_url(case), {"decision": "accept"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "This referral cannot be accepted under the programme" in page
    assert "The referrer has not confirmed that there is an evidential basis." in page
    assert domain_snapshot() == before


# --- My referrals ------------------------------------------------------------------------
def mine(client_for, name="referrer"):
    response = client_for(name).get(reverse("referrals:mine"))
    assert response.status_code == 200
    return response.content.decode()


def test_a_referrer_sees_each_referral_with_its_status_in_plain_words(cast, client_for):
    received = submit(cast.referrer, cast.programme)
    screening = to_screening(submit(cast.referrer, cast.programme))
    accepted = to_screening(submit(cast.referrer, cast.programme))
    referral_decide(actor=cast.coordinator, case=accepted)
    page = mine(client_for)
    for case, status in (
        (received, "Received"),
        (screening, "Being screened"),
        (accepted, "Accepted"),
    ):
        row = page.split(case.reference)[1].split("</tr>")[0]
        assert status in row


@pytest.mark.gate("G1")
def test_a_referrer_reads_the_decline_reason_written_for_them_and_nothing_else(cast, client_for):
    # given a declined referral with an internal note and a contact logged on the case
    case = to_screening(submit(cast.referrer, cast.programme))
    referral_decide(
        actor=cast.coordinator,
        case=case,
        decline=True,
        reason_for_referrer="The programme cannot offer a meeting at the moment.",
        note="Coordinator's private note about the family.",
    )
    # when
    page = mine(client_for)
    # then
    row = page.split(case.reference)[1].split("</tr>")[0]
    assert "Declined" in row
    assert "The programme cannot offer a meeting at the moment." in row
    for hidden in (
        "private note",
        "Hana",
        "Harmed",
        "Ray",
        "Responsible",
        "window was broken",
        "NP/123",
        "eligible",
        "Violence",
        "coordinator",
        "Coordinator",
    ):
        assert hidden not in page


def test_a_case_closed_after_acceptance_reads_closed_without_its_reason(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme))
    referral_decide(actor=cast.coordinator, case=case)
    case_close(actor=cast.coordinator, case=case, reason="other", note="Family moved abroad.")
    page = mine(client_for)
    row = page.split(case.reference)[1].split("</tr>")[0]
    assert "Closed" in row
    assert "moved abroad" not in page


def test_a_referrer_sees_only_their_own_referrals(cast, client_for):
    colleague = User.objects.create_user(email="colleague@example.org", full_name="Colleague")
    Membership.objects.create(user=colleague, programme=cast.programme, role="referrer")
    theirs = submit(colleague, cast.programme)
    staff_entered = submit(cast.coordinator, cast.programme)
    own = submit(cast.referrer, cast.programme)
    page = mine(client_for)
    assert own.reference in page
    assert theirs.reference not in page
    assert staff_entered.reference not in page


def test_the_list_takes_the_same_number_of_queries_however_many_referrals(cast, client_for):
    client = client_for("referrer")
    submit(cast.referrer, cast.programme)
    client.get(reverse("referrals:mine"))
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("referrals:mine"))
    for _ in range(4):
        submit(cast.referrer, cast.programme)
    with CaptureQueriesContext(connection) as five:
        client.get(reverse("referrals:mine"))
    assert len(five) == len(one)


def test_my_referrals_pages_back_through_older_referrals_by_cursor(cast, client_for, monkeypatch):
    from amends.referrals import selectors

    monkeypatch.setattr(selectors, "REFERRER_PAGE_SIZE", 2)
    sent = [submit(cast.referrer, cast.programme) for _ in range(5)]
    client = client_for("referrer")
    newest_first = [case.reference for case in reversed(sent)]

    seen, url, pages = [], reverse("referrals:mine"), 0
    while url:
        response = client.get(url)
        pages += 1
        seen += [ref for ref in newest_first if ref in response.content.decode()]
        older = response.context["older_query"]
        url = f"{reverse('referrals:mine')}?{older}" if older else ""

    assert pages == 3
    assert seen == newest_first


def test_a_made_up_cursor_shows_the_newest_referrals(cast, client_for):
    own = submit(cast.referrer, cast.programme)

    response = client_for("referrer").get(reverse("referrals:mine"), {"before": "made-up"})

    assert response.status_code == 200
    assert own.reference in response.content.decode()


def test_the_referrer_cannot_open_the_case_or_its_screening(cast, client_for):
    case = to_screening(submit(cast.referrer, cast.programme))
    client = client_for("referrer")
    assert client.get(screening_url(case)).status_code == 404
    assert client.get(reverse("cases:detail", args=[case.reference])).status_code == 404


def test_contact_notes_never_reach_the_referrer(cast, client_for):
    # The shared cast case was referred by `referrer`; a contact with notes is logged.
    case = cast.case
    harmed = case.participants.get(role="harmed")
    contact_record(
        actor=cast.coordinator,
        participant=harmed,
        method="in_person",
        outcome="reached",
        occurred_at=timezone.now(),
        notes="Disclosed something in confidence.",
    )
    assert ContactLog.objects.exists()
    page = mine(client_for)
    assert case.reference in page
    assert "confidence" not in page
    assert "Accepted" in page.split(case.reference)[1].split("</tr>")[0]


def test_other_offence_categories_are_invisible_to_the_referrer(cast, client_for):
    submit(
        cast.referrer,
        cast.programme,
        offences=[OffenceInput(category(cast.programme, "domestic-abuse"))],
    )
    assert "Domestic abuse" not in mine(client_for)
