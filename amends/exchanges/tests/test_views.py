"""The exchange pages: who sees what (G10 on what the other side sees), the journey from
writing an item down to its being read, and bad input."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.cases.services import participant_set_advocate
from amends.core.testing.matrix import domain_snapshot
from amends.exchanges.models import ExchangeItem, ItemStatus
from amends.exchanges.tests.helpers import (
    HARMED_EMAIL,
    LETTER_WITH_WHEREABOUTS,
    PDF,
    approved,
    harmed,
    pdf_upload,
    redacted,
    relayed,
    responsible,
    submitted,
)
from conftest import enrol_totp, make_user


def _url(name, case, item=None):
    args = [case.reference] if item is None else [case.reference, item.pk]
    return reverse(f"exchanges:{name}", args=args)


@pytest.fixture
def recipients_advocate(cast, case):
    """An advocate for the person responsible: the other side of the person harmed."""
    advocate = make_user("ray.advocate@example.org", "Ray's Advocate")
    enrol_totp(advocate)
    Membership.objects.create(user=advocate, programme=cast.programme, role=Role.ADVOCATE)
    participant_set_advocate(actor=None, participant=responsible(case), advocate=advocate)
    return advocate


def _as(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


_WHEREABOUTS = ("12 Larch Street", "NT1 2AB", "07700 900123", "7700", "Larch", HARMED_EMAIL)


@pytest.mark.gate("G10")
def test_the_other_side_sees_the_version_passed_on_and_none_of_the_authors_whereabouts(
    cast, case, recipients_advocate
):
    item = relayed(cast, redacted(cast, case))
    client = _as(recipients_advocate)
    pages = [client.get(_url("case", case)), client.get(_url("item", case, item))]
    for response in pages:
        assert response.status_code == 200
        content = response.content.decode()
        for detail in _WHEREABOUTS:
            assert detail not in content
        # The other party is named by their role only (the letter may sign with a name).
        assert "Hana H." not in content
        assert "Person harmed" in content
    detail_page = pages[1].content.decode()
    assert "I moved after that night." in detail_page
    assert "Took out her new address" not in detail_page  # the review note
    assert "the author&#x27;s own detail" not in detail_page  # the flags


@pytest.mark.gate("G10")
def test_the_other_side_does_not_see_an_item_before_it_is_passed_on(
    cast, case, recipients_advocate
):
    item = approved(cast, case)
    client = _as(recipients_advocate)
    assert client.get(_url("item", case, item)).status_code == 404
    assert f"/{item.pk}/" not in client.get(_url("case", case)).content.decode()


@pytest.mark.gate("G10")
def test_a_file_withheld_by_a_redaction_never_reaches_the_other_side(
    cast, case, recipients_advocate
):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS, attachment=pdf_upload())
    from amends.exchanges.services import exchange_item_review

    item = exchange_item_review(
        actor=cast.facilitator,
        item=item,
        revision=item.revision,
        decision="redact",
        redacted_text="Dear Ray. Hana",
    )
    relayed(cast, item)
    client = _as(recipients_advocate)
    assert client.get(_url("item_file", case, item)).status_code == 403
    assert (
        _url("item_file", case, item) not in client.get(_url("item", case, item)).content.decode()
    )


def test_a_file_passed_on_downloads_decrypted_for_the_other_side(cast, case, recipients_advocate):
    item = relayed(cast, approved(cast, case, attachment=pdf_upload()))
    response = _as(recipients_advocate).get(_url("item_file", case, item))
    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "attachment" in response["Content-Disposition"]


def test_the_authors_advocate_reads_their_clients_words_but_no_review_notes_or_flags(cast, case):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    from amends.exchanges.services import exchange_item_review

    exchange_item_review(
        actor=cast.facilitator,
        item=item,
        revision=item.revision,
        decision="return",
        note="Ask Hana whether she wants her street in it.",
    )
    content = _as(cast.advocate).get(_url("item", case, item)).content.decode()
    assert "I moved to 12 Larch Street" in content
    assert "Ask Hana whether" not in content
    assert "Details of the author" not in content


def test_the_shuttle_log_is_not_shown_to_an_advocate(cast, case):
    from amends.exchanges.services import shuttle_round_record

    shuttle_round_record(
        actor=cast.facilitator,
        case=case,
        number=1,
        held_on=timezone.localdate(),
        facilitator=cast.facilitator,
        party=responsible(case),
        method="visit",
        summary="Ray said he wants to apologise in person.",
    )
    assert "apologise in person" in _as(cast.coordinator).get(_url("case", case)).content.decode()
    assert "apologise in person" not in _as(cast.advocate).get(_url("case", case)).content.decode()


def test_a_facilitator_sees_only_the_cases_they_are_assigned_to(cast, case):
    colleague = make_user("unassigned@example.org", "Unassigned Facilitator")
    enrol_totp(colleague)
    Membership.objects.create(user=colleague, programme=cast.programme, role=Role.FACILITATOR)
    item = approved(cast, case)
    client = _as(colleague)
    assert client.get(_url("case", case)).status_code == 404
    assert client.get(_url("item", case, item)).status_code == 404


def test_an_item_goes_from_being_written_down_to_being_read_through_the_pages(cast, case):
    coordinator, facilitator = _as(cast.coordinator), _as(cast.facilitator)
    response = coordinator.post(
        _url("item_add", case),
        {
            "author": harmed(case).pk,
            "recipient": responsible(case).pk,
            "kind": "letter",
            "text": "Dear Ray, the helpline 0113 496 0000 helped me.",
            "send_for_review": "1",
        },
    )
    item = ExchangeItem.objects.get()
    assert response.status_code == 302
    assert item.status == ItemStatus.SUBMITTED
    flag = item.flags.get()
    page = facilitator.get(_url("item", case, item)).content.decode()
    assert "I checked it; it does not tell where the author is." in page
    facilitator.post(
        _url("item_review", case, item),
        {"revision": 1, "decision": "approve", "confirmed_flags": [flag.pk]},
    )
    today = timezone.localdate().isoformat()
    facilitator.post(_url("item_relay", case, item), {"method": "in_person", "relayed_on": today})
    facilitator.post(_url("item_read", case, item), {"read_on": today})
    item.refresh_from_db()
    assert item.status == ItemStatus.READ


def test_a_review_with_bad_input_says_why_and_changes_nothing(cast, case):
    item = submitted(cast, case, "Dear Ray, the helpline is 0113 496 0000. Hana")
    before = domain_snapshot()
    response = _as(cast.facilitator).post(
        _url("item_review", case, item), {"revision": item.revision, "decision": "approve"}
    )
    assert response.status_code == 400
    assert "Confirm that you checked Phone number “0113 496 0000”." in response.content.decode()
    response = _as(cast.facilitator).post(
        _url("item_review", case, item), {"revision": "x", "decision": "publish"}
    )
    assert response.status_code == 400
    assert "The review was not recorded." in response.content.decode()
    assert domain_snapshot() == before


def test_an_upload_that_is_not_a_document_says_why_and_changes_nothing(cast, case):
    before = domain_snapshot()
    response = _as(cast.coordinator).post(
        _url("item_add", case),
        {
            "author": harmed(case).pk,
            "recipient": responsible(case).pk,
            "kind": "letter",
            "attachment": pdf_upload("letter.pdf", b"<script>alert(1)</script>"),
        },
    )
    assert response.status_code == 400
    assert "must be a PDF, a JPEG photo or a PNG image" in response.content.decode()
    assert domain_snapshot() == before


def test_the_case_page_reads_a_fixed_number_of_queries_however_many_items(
    cast, case, django_assert_max_num_queries
):
    client = _as(cast.coordinator)
    approved(cast, case)
    with django_assert_max_num_queries(60) as few:
        client.get(_url("case", case))
    for _ in range(4):
        approved(cast, case)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(_url("case", case))
