"""The follow-up pages for staff: what each person sees, and forms that refuse clearly."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.core.testing.matrix import domain_snapshot
from amends.followups.models import CheckInStatus
from amends.followups.services import check_in_record, survey_response_record
from amends.followups.tests.helpers import check_ins_of, send_survey

pytestmark = pytest.mark.django_db


@pytest.fixture
def worked_on(cast, harmed, responsible, planned):
    """The person harmed reached and answered on paper; the person responsible sent a link."""
    check_in_record(
        actor=cast.facilitator,
        check_in=check_ins_of(harmed)[0],
        outcome="reached",
        occurred_on=timezone.localdate(),
        notes="Feels safer walking home.",
        wellbeing=4,
        further_support_needed=True,
    )
    survey_response_record(
        actor=cast.facilitator,
        participant=harmed,
        answers={"satisfaction": "5", "comments": "Glad I did it."},
    )
    send_survey(cast.coordinator, responsible)


def _page(client, url):
    response = client.get(url)
    return response, response.content.decode()


def test_the_case_page_shows_check_ins_outcomes_surveys_and_answers(
    cast, client_for, case, worked_on
):
    url = reverse("followups:case", args=[case.reference])
    response, page = _page(client_for("facilitator"), url)
    assert response.status_code == 200
    assert "Hana H. (person harmed)" in page
    assert "Ray R. (person responsible)" in page
    assert "Feels safer walking home." in page
    assert "Wellbeing 4 of 5" in page
    assert "Needs further support" in page
    assert "Glad I did it." in page
    assert "5 – Very satisfied" in page
    assert "Link sent on" in page
    assert "are not recorded yet" in page
    event = AuditEvent.objects.filter(action="case.viewed").latest("id")
    assert event.data == {"page": "follow_up"}


def test_the_advocate_sees_their_clients_check_ins_and_survey_status_only(
    cast, client_for, case, harmed, worked_on
):
    url = reverse("followups:participant", args=[case.reference, harmed.pk])
    response, page = _page(client_for("advocate"), url)
    assert response.status_code == 200
    assert "Spoke with them" in page
    assert "Answered on" in page
    hidden_from_advocate = ("Feels safer", "Wellbeing", "Glad I did", "Very satisfied", "Record")
    for hidden in (*hidden_from_advocate, "Ray R.", "Follow-up of the whole case"):
        assert hidden not in page, hidden
    assert "E-mail the survey link" not in page
    event = AuditEvent.objects.filter(action="person.viewed").latest("id")
    assert event.data == {"page": "follow_up", "case": case.pk}


def test_recording_a_check_in_through_the_form(cast, client_for, case, harmed, planned):
    check_in = check_ins_of(harmed)[1]
    url = reverse("followups:check_in", args=[case.reference, check_in.pk])
    response = client_for("coordinator").post(
        url, {"outcome": "declined", "occurred_on": timezone.localdate().isoformat()}
    )
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.DECLINED


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Choose how the check-in went."),
        ({"outcome": "not_reached", "occurred_on": "2020-13-01"}, "Enter a valid date."),
        (
            {"outcome": "not_reached", "occurred_on": "today", "wellbeing": "9"},
            "Select a valid choice.",
        ),
        (
            {"outcome": "not_reached", "wellbeing": "3"},
            "Wellbeing and the need for further support are recorded only after speaking with",
        ),
    ],
    ids=["empty", "date", "wellbeing", "wellbeing-not-reached"],
)
def test_a_check_in_form_with_bad_input_says_why_and_changes_nothing(
    cast, client_for, case, harmed, planned, data, message
):
    data = {"occurred_on": timezone.localdate().isoformat(), **data} if data else data
    check_in = check_ins_of(harmed)[0]
    url = reverse("followups:check_in", args=[case.reference, check_in.pk])
    before = domain_snapshot()
    response = client_for("facilitator").post(url, data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert domain_snapshot() == before


def test_recording_a_check_in_twice_through_the_form_is_a_conflict(
    cast, client_for, case, harmed, planned
):
    check_in = check_ins_of(harmed)[0]
    url = reverse("followups:check_in", args=[case.reference, check_in.pk])
    data = {"outcome": "not_reached", "occurred_on": timezone.localdate().isoformat()}
    client_for("facilitator").post(url, data)
    before = domain_snapshot()
    response = client_for("coordinator").post(url, data)
    assert response.status_code == 409
    assert "This check-in is already recorded." in response.content.decode()
    assert domain_snapshot() == before


def test_sending_without_a_safe_address_explains_what_to_do_instead(
    cast, client_for, case, harmed, planned
):
    harmed.person.channels.filter(kind="email").update(is_safe=False)
    url = reverse("followups:survey_send", args=[case.reference, harmed.pk])
    before = domain_snapshot()
    response = client_for("coordinator").post(url)
    page = response.content.decode()
    assert response.status_code == 400
    assert "The survey was not sent." in page
    assert "enter their answers from paper" in page
    assert domain_snapshot() == before


def test_answers_from_paper_through_the_form(cast, client_for, case, harmed, planned):
    url = reverse("followups:survey_paper", args=[case.reference, harmed.pk])
    response, page = _page(client_for("facilitator"), url)
    assert "Did you receive an apology?" in page
    response = client_for("facilitator").post(
        url, {"answer_apology_received": "no", "answer_safety": "2"}
    )
    assert response.status_code == 302
    assert {a.question_key for a in harmed.survey_response.answers.all()} == {
        "apology_received",
        "safety",
    }


def test_paper_answers_out_of_range_are_refused_clearly(cast, client_for, case, harmed, planned):
    url = reverse("followups:survey_paper", args=[case.reference, harmed.pk])
    before = domain_snapshot()
    response = client_for("facilitator").post(url, {"answer_safety": "0"})
    assert response.status_code == 400
    assert "Choose one of the answers offered." in response.content.decode()
    assert domain_snapshot() == before


def test_not_possible_through_the_form(cast, client_for, case, responsible, planned):
    url = reverse("followups:not_possible", args=[case.reference, responsible.pk])
    before = domain_snapshot()
    empty = client_for("coordinator").post(url, {"reason": "  "})
    assert empty.status_code == 400
    assert "Say why follow-up is not possible." in empty.content.decode()
    assert domain_snapshot() == before
    assert client_for("coordinator").post(url, {"reason": "Moved abroad"}).status_code == 302
    assert {c.status for c in check_ins_of(responsible)} == {CheckInStatus.NOT_POSSIBLE}
