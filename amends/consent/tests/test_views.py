"""The consent pages: the ledger, the give and withdraw forms, and the signed-form download."""

from __future__ import annotations

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import StageChange
from amends.cases.services import case_close
from amends.cases.stages import CaseStage
from amends.consent.models import ConsentEntry, ConsentScope
from amends.consent.selectors import consent_summaries_for_case
from amends.consent.services import consent_withdraw
from amends.consent.tests.helpers import PDF, give, pdf_upload
from amends.core.testing.matrix import domain_snapshot
from amends.programmes.services import information_sheet_publish

pytestmark = pytest.mark.django_db


def url(name, participant, *extra):
    return reverse(f"consent:{name}", args=[participant.case.reference, participant.pk, *extra])


def _give_form(sheet, **overrides):
    data = {
        "scope": "take_part",
        "process_type": "conference",
        "kind": "consent",
        "sheet": sheet.pk,
        "method": "on_screen",
        "signature_name": "Hana Harmed",
    }
    data.update(overrides)
    return data


def test_the_consent_page_shows_where_consent_stands_and_every_entry(cast, client_for, harmed):
    # given
    give(cast.coordinator, harmed)
    give(cast.coordinator, harmed, scope=ConsentScope.SHARE_INFORMATION, partner="Victim Support")
    consent_withdraw(
        actor=cast.coordinator,
        participant=harmed,
        scope=ConsentScope.SHARE_INFORMATION,
        partner="Victim Support",
    )
    # when
    response = client_for("facilitator").get(url("participant", harmed))
    # then
    page = response.content.decode()
    assert response.status_code == 200
    assert "Take part in: Conference" in page
    assert "Share information with: Victim Support" in page
    assert page.count("Withdrawn") >= 2  # the status and the history row
    assert len(response.context["history"]) == 3
    statuses = {line.subject: line.status for line in response.context["lines"]}
    assert statuses == {
        "Take part in: Conference": "active",
        "Share information with: Victim Support": "withdrawn",
    }


def test_viewing_the_consent_page_is_audited(cast, client_for, harmed):
    client_for("coordinator").get(url("participant", harmed))
    event = AuditEvent.objects.filter(action="person.viewed").latest("id")
    assert event.actor_id == cast.coordinator.pk
    assert event.target_id == str(harmed.pk)
    assert event.data["page"] == "consent"


def test_the_consent_page_reads_a_fixed_number_of_queries(cast, client_for, harmed):
    client = client_for("coordinator")
    give(cast.coordinator, harmed)
    with CaptureQueriesContext(connection) as few:
        client.get(url("participant", harmed))
    for _ in range(4):
        give(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING)
        give(
            cast.coordinator,
            harmed,
            scope=ConsentScope.CONTACT,
            channel=harmed.person.channels.get(),
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url("participant", harmed))
    assert len(many) == len(few)


@pytest.mark.gate("G9")
def test_the_advocate_sees_the_withdraw_button_but_cannot_record_consent(cast, client_for, harmed):
    give(cast.coordinator, harmed)
    page = client_for("advocate").get(url("participant", harmed)).content.decode()
    assert url("withdraw", harmed) in page
    assert "Record a withdrawal of consent" in page
    assert url("give", harmed) not in page
    # the advocate may not see the case page either, so it is not linked
    assert reverse("cases:detail", args=[harmed.case.reference]) + '"' not in page


@pytest.mark.gate("G3")
def test_the_give_form_preselects_the_current_sheet_in_the_persons_language(
    cast, client_for, harmed, sheet
):
    information_sheet_publish(
        actor=None, programme=cast.programme, language="en", title="Version two", body="New"
    )
    response = client_for("facilitator").get(url("give", harmed))
    page = response.content.decode()
    current = response.context["current_sheet"]
    assert (current.title, current.version, current.language) == ("Version two", 2, "en")
    assert response.context["form"]["sheet"].value() == current.pk
    assert "“Version two”, version 2, language en" in page
    assert 'enctype="multipart/form-data"' in page


@pytest.mark.gate("G3")
def test_a_signed_form_is_uploaded_with_the_consent(cast, client_for, harmed, sheet):
    response = client_for("coordinator").post(
        url("give", harmed),
        _give_form(sheet, method="signed_form", signature_name="", document=pdf_upload()),
    )
    assert response.status_code == 302
    entry = ConsentEntry.objects.get(participant=harmed)
    assert entry.method == "signed_form"
    with entry.document.open("rb") as stored:
        assert stored.read() == PDF


@pytest.mark.gate("G3")
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"signature_name": ""}, "Ask the person to type their name on the screen to sign."),
        (
            {"method": "signed_form", "document": pdf_upload(content=b"GIF89a")},
            "The signed form must be a PDF, a JPEG photo or a PNG image.",
        ),
        (
            {"method": "verbal", "witness": ""},
            "Name the witness who heard the consent being given.",
        ),
        ({"kind": "assent"}, "Only a participant under 18 gives assent; an adult gives consent."),
    ],
    ids=["no-typed-name", "not-a-pdf", "no-witness", "adult-assent"],
)
def test_bad_consent_is_shown_in_the_form_and_changes_nothing(
    cast, client_for, harmed, sheet, overrides, reason
):
    client = client_for("coordinator")
    before = domain_snapshot()
    response = client.post(url("give", harmed), _give_form(sheet, **overrides))
    assert response.status_code == 400
    assert reason in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G3")
def test_a_form_drawn_before_the_sheet_changed_is_refused_with_the_reason(
    cast, client_for, harmed, sheet
):
    client = client_for("coordinator")
    information_sheet_publish(
        actor=None, programme=cast.programme, language="en", title="Version two", body="New"
    )
    before = domain_snapshot()
    response = client.post(url("give", harmed), _give_form(sheet))
    assert response.status_code == 400
    assert "The information sheet has changed" in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_one_click_withdraws_a_consent_and_pauses_the_case(cast, client_for, case, harmed):
    # given
    entry = give(cast.coordinator, harmed)
    client = client_for("advocate")
    withdraw_page = client.get(url("withdraw", harmed)).content.decode()
    assert f'name="entry" value="{entry.pk}"' in withdraw_page
    # when
    response = client.post(
        url("withdraw", harmed), {"entry": entry.pk, "note": "Needs time."}, follow=True
    )
    # then
    assert response.redirect_chain[-1][0] == url("participant", harmed)
    page = response.content.decode()
    assert "The withdrawal is recorded." in page
    assert "The case is paused." in page
    case.refresh_from_db()
    assert case.stage == CaseStage.PAUSED
    assert StageChange.objects.filter(case=case).latest("id").note == "Needs time."


@pytest.mark.gate("G9")
def test_withdrawing_another_participants_consent_through_the_form_is_refused(
    cast, client_for, harmed, responsible
):
    theirs = give(cast.coordinator, responsible)
    before = domain_snapshot()
    response = client_for("coordinator").post(url("withdraw", harmed), {"entry": theirs.pk})
    assert response.status_code == 400
    assert "Choose the consent to withdraw." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_a_withdrawal_without_a_choice_is_refused(cast, client_for, harmed):
    before = domain_snapshot()
    response = client_for("coordinator").post(url("withdraw", harmed), {"note": "x"})
    assert response.status_code == 400
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_withdrawal_stays_possible_after_the_case_is_closed(cast, client_for, case, harmed):
    entry = give(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING)
    case_close(actor=cast.coordinator, case=case, reason="not_suitable")
    client = client_for("coordinator")
    page = client.get(url("participant", harmed)).content.decode()
    assert url("give", harmed) not in page
    response = client.post(url("withdraw", harmed), {"entry": entry.pk})
    assert response.status_code == 302
    assert not ConsentEntry.objects.filter(participant=harmed).latest("recorded_at").is_given


def test_the_signed_form_downloads_as_an_attachment_that_browsers_do_not_sniff(
    cast, client_for, harmed
):
    entry = give(
        cast.coordinator, harmed, method="signed_form", document=pdf_upload(), signature_name=""
    )
    response = client_for("facilitator").get(url("document", harmed, entry.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert f"consent-{harmed.case.reference}-{entry.pk}.pdf" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == PDF
    event = AuditEvent.objects.filter(action="person.viewed").latest("id")
    assert event.data == {"page": "consent_document", "case": harmed.case_id, "entry": entry.pk}


def test_the_signed_form_is_not_served_from_any_public_address(cast, client_for, harmed):
    entry = give(
        cast.coordinator, harmed, method="signed_form", document=pdf_upload(), signature_name=""
    )
    client = client_for("coordinator")
    for address in (f"/{entry.document.name}", f"/media/{entry.document.name}"):
        assert client.get(address).status_code == 404


def test_a_consent_without_a_form_has_nothing_to_download(cast, client_for, harmed, responsible):
    on_screen = give(cast.coordinator, harmed)
    theirs = give(
        cast.coordinator,
        responsible,
        method="signed_form",
        document=pdf_upload(),
        signature_name="",
    )
    client = client_for("coordinator")
    assert client.get(url("document", harmed, on_screen.pk)).status_code == 404
    # an entry of someone else, asked for under this participant
    assert client.get(url("document", harmed, theirs.pk)).status_code == 404


def test_the_case_page_summary_shows_each_status_and_the_way_to_withdraw(cast, case, harmed):
    give(cast.coordinator, harmed)
    consent_withdraw(actor=cast.coordinator, participant=harmed, scope=ConsentScope.DATA_PROCESSING)
    participants = list(case.participants.order_by("id"))
    summaries = consent_summaries_for_case(participants, timezone.localdate())
    html = render_to_string(
        "consent/_participant_summary.html", {"summary": summaries[harmed.pk], "case": case}
    )
    assert "Take part in: Conference" in html
    assert "Consent withdrawn" in html
    assert url("withdraw", harmed) in html
    assert summaries[harmed.pk].has_withdrawal_outstanding
    assert summaries[participants[1].pk].lines == []
