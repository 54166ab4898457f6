"""The survey page a participant opens from the e-mail: no account, one use, until it
expires; bad links and impossible answers get a clear page and change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole
from amends.cases.services import participant_add
from amends.cases.tests.builders import make_person
from amends.core.errors import ApplicationError
from amends.core.testing.matrix import domain_snapshot
from amends.followups.links import SurveyLinkRefused, new_token
from amends.followups.models import SurveyAnswer, SurveyInvitation, SurveyResponse
from amends.followups.services import follow_up_plan, survey_answer, survey_response_record
from amends.followups.tests.helpers import HARMED_ANSWERS, add_email, send_survey, stored_text

pytestmark = pytest.mark.django_db


def _form(answers):
    return {f"answer_{key}": value for key, value in answers.items()}


@pytest.fixture
def link(cast, harmed, planned):
    invitation, token = send_survey(cast.coordinator, harmed)
    return invitation, reverse("survey:answer", args=[token]), token


def test_the_page_shows_the_programme_and_the_questions_and_nothing_about_the_case(
    cast, case, link
):
    _invitation, url, _token = link
    response = Client().get(url)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Northshire RJ" in page
    assert "How satisfied are you with the restorative justice process overall?" in page
    assert "Did you receive an apology?" in page
    for value in (case.reference, "Hana", "Harmed", "Ray", "Responsible", "hana@example.org"):
        assert value not in page
    assert 'name="csrfmiddlewaretoken"' in page
    assert response["Cache-Control"].startswith("max-age=0")
    assert "no-store" in response["Cache-Control"]


def test_answers_are_stored_free_text_encrypted_and_the_link_is_used_up(cast, harmed, link):
    invitation, url, _token = link
    response = Client().post(url, _form(HARMED_ANSWERS))
    assert response.status_code == 200
    assert "Your answers are saved." in response.content.decode()
    stored = SurveyResponse.objects.get(participant=harmed)
    assert stored.method == "online"
    assert stored.invitation == invitation
    answers = {a.question_key: a for a in stored.answers.all()}
    assert answers["satisfaction"].number == 4
    assert answers["apology_sincere"].choice == "partly"
    assert answers["comments"].text == "It helped me to say how scared I was."
    assert "scared" not in stored_text(SurveyAnswer, answers["comments"].pk, "text")
    invitation.refresh_from_db()
    assert invitation.answered_at is not None
    event = AuditEvent.objects.get(action="survey.answered")
    assert event.actor_label == "anonymous"
    assert "scared" not in str(event.data)
    assert "partly" not in str(event.data)


def test_a_link_used_twice_says_so_and_changes_nothing(link):
    _invitation, url, _token = link
    Client().post(url, _form(HARMED_ANSWERS))
    before = domain_snapshot()
    again = Client().post(url, _form({"satisfaction": "1"}))
    assert again.status_code == 410
    assert "The answers to this survey have already been sent." in again.content.decode()
    assert domain_snapshot() == before
    assert Client().get(url).status_code == 410


def test_an_expired_link_says_so_and_changes_nothing(link):
    invitation, url, _token = link
    SurveyInvitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )
    before = domain_snapshot()
    response = Client().post(url, _form(HARMED_ANSWERS))
    assert response.status_code == 410
    assert "This survey link has expired." in response.content.decode()
    assert domain_snapshot() == before
    assert Client().get(url).status_code == 410


def test_a_replaced_link_no_longer_works(cast, harmed, link):
    _invitation, url, _token = link
    send_survey(cast.coordinator, harmed)
    assert Client().get(url).status_code == 410


def test_answers_entered_from_paper_end_the_link(cast, harmed, link):
    _invitation, url, _token = link
    survey_response_record(actor=cast.coordinator, participant=harmed, answers={"safety": "4"})
    before = domain_snapshot()
    assert Client().post(url, _form(HARMED_ANSWERS)).status_code == 410
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    "token",
    ["not-a-real-token", new_token(), "x" * 300, "%00", "thanks"],
    ids=["made-up", "well-formed", "too-long", "null", "a-word"],
)
def test_an_unknown_link_says_only_that_it_does_not_work(link, token):
    before = domain_snapshot()
    for response in (
        Client().get(f"/survey/{token}/"),
        Client().post(f"/survey/{token}/", _form(HARMED_ANSWERS)),
    ):
        page = response.content.decode()
        assert response.status_code == 404
        assert "This link does not work" in page
        assert "Northshire" not in page
        assert "expired" not in page
        assert "already" not in page
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"satisfaction": "7"}, "Choose one of the answers offered."),
        ({"apology_received": "perhaps"}, "Choose one of the answers offered."),
        ({"comments": "x" * 4001}, "Ensure this value has at most 4000 characters"),
        ({}, "Please answer at least one question."),
    ],
    ids=["scale", "yes-no", "long-text", "nothing"],
)
def test_impossible_answers_get_a_clear_message_and_the_link_still_works(link, answers, message):
    invitation, url, _token = link
    before = domain_snapshot()
    response = Client().post(url, _form(answers))
    assert response.status_code == 200
    assert "Your answers were not saved." in response.content.decode()
    assert message in response.content.decode()
    assert domain_snapshot() == before
    assert Client().post(url, _form(HARMED_ANSWERS)).status_code == 200


def test_the_service_checks_answers_against_the_version_the_link_was_sent_with(link):
    invitation, _url, token = link
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_answer(actor=None, token=token, answers={"satisfaction": 9, "mood": "ok"})
    assert refusal.value.message == "Your answers were not saved."
    assert "There is no question “mood” in this survey." in refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("change", "status"),
    [({"answered_at": timezone.now()}, 410), ({"revoked_at": timezone.now()}, 410)],
    ids=["used", "revoked"],
)
def test_the_service_refuses_a_link_that_cannot_be_used(link, change, status):
    invitation, _url, token = link
    SurveyInvitation.objects.filter(pk=invitation.pk).update(**change)
    with pytest.raises(SurveyLinkRefused) as refusal:
        survey_answer(actor=None, token=token, answers=HARMED_ANSWERS)
    assert refusal.value.status_code == status
    with pytest.raises(SurveyLinkRefused) as unknown:
        survey_answer(actor=None, token=new_token(), answers=HARMED_ANSWERS)
    assert unknown.value.status_code == 404


def test_the_answer_form_is_protected_against_cross_site_posting(link):
    _invitation, url, _token = link
    client = Client(enforce_csrf_checks=True)
    before = domain_snapshot()
    assert client.post(url, _form(HARMED_ANSWERS)).status_code == 403
    assert domain_snapshot() == before


def test_the_page_is_in_the_participants_language(cast, case, planned):
    person = make_person("Lucía", "López", phone=None, language="es")
    spanish = participant_add(actor=None, case=case, person=person, role=ParticipantRole.HARMED)
    add_email(spanish, "lucia@example.org")
    follow_up_plan(actor=None, case=case)
    _invitation, token = send_survey(cast.coordinator, spanish)
    response = Client().get(reverse("survey:answer", args=[token]))
    assert response.status_code == 200
    assert '<html lang="es">' in response.content.decode()
    # The visitor's own choice with the language switcher wins.
    client = Client()
    client.cookies["django_language"] = "en"
    assert '<html lang="en">' in client.get(reverse("survey:answer", args=[token])).content.decode()


def test_a_signed_in_member_of_staff_opening_a_link_is_recorded_as_themselves(
    cast, client_for, link
):
    _invitation, url, _token = link
    client_for("facilitator").post(url, _form(HARMED_ANSWERS))
    event = AuditEvent.objects.get(action="survey.answered")
    assert event.actor_label == "facilitator@example.org"


def test_a_link_that_still_works_is_never_written_to_the_log(link, caplog):
    _invitation, url, token = link
    Client().post(url, _form({"satisfaction": "7"}))
    Client().post(url, _form({}))
    assert Client().get(url).status_code == 200
    assert not [record for record in caplog.records if token in record.getMessage()]
