"""Sending the survey link: only to a safe e-mail address, with nothing about the case."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core import mail
from django.tasks import task_backends
from django.test import override_settings
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole
from amends.cases.services import participant_add
from amends.cases.tests.builders import make_person
from amends.consent.models import ConsentScope
from amends.consent.services import consent_withdraw
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.crypto.keys import decrypt_str, encrypt_str
from amends.followups import jobs
from amends.followups.links import token_hash
from amends.followups.models import SurveyInstrument, SurveyInvitation
from amends.followups.services import survey_response_record, survey_send
from amends.followups.tests.helpers import add_email, send_survey
from amends.people.models import ContactChannel
from amends.people.services import contact_channel_mark_unsafe
from amends.programmes.models import ProgrammeSettings

pytestmark = pytest.mark.django_db

NO_SAFE_EMAIL = (
    "There is no e-mail address for this person that is marked safe and that they agreed "
    "to, so no link can be sent. You can go through the survey with them and enter their "
    "answers from paper."
)


def _everything_about_the_case(case):
    values = {case.reference}
    for participant in case.participants.select_related("person"):
        person = participant.person
        values.update(v for v in (person.given_name, person.family_name) if v)
        values.update(channel.value for channel in person.channels.all())
    return values


@pytest.mark.gate("G10")
def test_the_link_goes_to_the_safe_address_with_nothing_about_the_case(
    cast, case, harmed, responsible, planned
):
    # when
    invitation, token = send_survey(cast.facilitator, harmed)
    # then
    (message,) = mail.outbox
    assert message.to == ["hana@example.org"]
    assert message.subject == "A few questions from Northshire RJ"
    assert f"http://127.0.0.1:8000/survey/{token}/" in message.body
    text = f"{message.subject}\n{message.body}"
    for value in _everything_about_the_case(case) - {"hana@example.org"}:
        assert value not in text, value
    assert "Hana" not in text
    assert cast.facilitator.full_name not in text


def test_only_the_hash_of_the_token_is_stored_and_the_link_expires_as_the_programme_says(
    cast, harmed, planned
):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(survey_link_valid_days=10)
    invitation, token = send_survey(cast.coordinator, harmed)
    invitation.refresh_from_db()
    assert invitation.token_hash == token_hash(token)
    assert token not in str(SurveyInvitation.objects.filter(pk=invitation.pk).values().get())
    valid_for = invitation.expires_at - invitation.created_at
    assert abs(valid_for - datetime.timedelta(days=10)) < datetime.timedelta(seconds=5)
    assert invitation.instrument.version == 1
    event = AuditEvent.objects.get(action="survey.sent")
    assert token not in str(event.data)
    assert "hana@" not in str(event.data)


def test_the_token_crosses_the_job_queue_encrypted(
    cast, harmed, planned, django_capture_on_commit_callbacks
):
    dummy = {"default": {"BACKEND": "django.tasks.backends.dummy.DummyBackend"}}
    with override_settings(TASKS=dummy):
        with django_capture_on_commit_callbacks(execute=True):
            invitation = survey_send(actor=cast.coordinator, participant=harmed)
        backend: Any = task_backends["default"]
        (queued,) = backend.results
    assert mail.outbox == []
    sealed = queued.kwargs["sealed_token"]
    token = decrypt_str(sealed)
    assert token_hash(token) == invitation.token_hash
    assert token not in sealed


def test_the_email_is_in_the_persons_language(cast, case, planned):
    person = make_person("Lucía", "López", phone=None, language="es")
    spanish = participant_add(actor=None, case=case, person=person, role=ParticipantRole.HARMED)
    add_email(spanish, "lucia@example.org")
    from amends.followups.services import follow_up_plan

    follow_up_plan(actor=None, case=case)
    invitation, _token = send_survey(cast.coordinator, spanish)
    assert invitation.language == "es"


@pytest.mark.gate("G10")
def test_a_person_with_only_a_phone_gets_no_link_and_nothing_changes(cast, case, planned):
    from amends.cases.tests.builders import participant

    responsible = participant(case, ParticipantRole.RESPONSIBLE)
    ContactChannel.objects.filter(person=responsible.person, kind="email").delete()
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=responsible)
    assert refusal.value.message == "The survey was not sent."
    assert refusal.value.reasons == [NO_SAFE_EMAIL]
    assert domain_snapshot() == before
    assert mail.outbox == []


@pytest.mark.gate("G10")
def test_an_unsafe_address_is_never_used(cast, harmed, planned):
    channel = harmed.person.channels.get(kind="email")
    contact_channel_mark_unsafe(actor=None, channel=channel)
    add_email(harmed, "shared@example.org", safe=False)
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=harmed)
    assert refusal.value.reasons == [NO_SAFE_EMAIL]
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_an_address_the_person_said_not_to_use_is_never_used(cast, harmed, planned):
    channel = harmed.person.channels.get(kind="email")
    consent_withdraw(
        actor=cast.coordinator, participant=harmed, scope=ConsentScope.CONTACT, channel=channel
    )
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=harmed)
    assert refusal.value.reasons == [NO_SAFE_EMAIL]
    assert domain_snapshot() == before


@pytest.mark.gate("G10")
def test_the_job_sends_nothing_if_the_address_became_unsafe_meanwhile(
    cast, harmed, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = survey_send(actor=cast.coordinator, participant=harmed)
    contact_channel_mark_unsafe(actor=None, channel=invitation.channel)
    jobs.send_survey_invitation.call(invitation_id=invitation.pk, sealed_token=encrypt_str("x"))
    assert mail.outbox == []


def test_the_job_sends_nothing_for_a_token_that_is_not_the_links(
    cast, harmed, planned, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        invitation = survey_send(actor=cast.coordinator, participant=harmed)
    jobs.send_survey_invitation.call(
        invitation_id=invitation.pk, sealed_token=encrypt_str("guessed")
    )
    assert mail.outbox == []


def test_a_new_link_makes_the_earlier_one_stop_working(cast, harmed, planned):
    first, _ = send_survey(cast.coordinator, harmed)
    second, _ = send_survey(cast.coordinator, harmed)
    first.refresh_from_db()
    assert first.revoked_at is not None
    assert second.revoked_at is None


def test_no_survey_before_follow_up_is_planned(cast, harmed, responsible):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=harmed)
    assert refusal.value.reasons == [
        "No follow-up is planned with this person, so they are not sent the survey."
    ]
    assert domain_snapshot() == before


def test_no_survey_for_a_supporter(cast, case, planned):
    supporter = participant_add(
        actor=None, case=case, person=make_person("Sam", "Support"), role=ParticipantRole.SUPPORTER
    )
    add_email(supporter, "sam@example.org")
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=supporter)
    assert refusal.value.reasons == [
        "Only the person harmed and the person responsible are asked to the survey."
    ]


def test_no_second_survey_after_an_answer(cast, harmed, planned):
    survey_response_record(
        actor=cast.coordinator, participant=harmed, answers={"satisfaction": "4"}
    )
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_send(actor=cast.coordinator, participant=harmed)
    assert refusal.value.reasons == ["This person has already answered the survey."]
    assert domain_snapshot() == before
    with pytest.raises(ConflictError):
        survey_response_record(
            actor=cast.coordinator, participant=harmed, answers={"satisfaction": "2"}
        )
    assert domain_snapshot() == before


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "other_supervisor"])
def test_only_the_people_working_on_the_case_send_the_survey(cast, harmed, planned, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        survey_send(actor=cast.users[name], participant=harmed)
    assert domain_snapshot() == before


def test_a_programme_set_up_before_surveys_existed_gets_the_defaults_when_sending(
    cast, harmed, planned
):
    assert not SurveyInstrument.objects.exists()
    send_survey(cast.coordinator, harmed)
    assert set(SurveyInstrument.objects.values_list("audience", "version")) == {
        ("harmed", 1),
        ("responsible", 1),
    }


def test_paper_answers_are_stored_and_any_link_stops_working(cast, harmed, planned):
    invitation, _token = send_survey(cast.coordinator, harmed)
    response = survey_response_record(
        actor=cast.facilitator,
        participant=harmed,
        answers={"satisfaction": "5", "comments": "Said on the phone"},
    )
    invitation.refresh_from_db()
    assert invitation.revoked_at is not None
    assert response.method == "paper"
    assert response.recorded_by == cast.facilitator
    assert {a.question_key: (a.number, a.text) for a in response.answers.all()} == {
        "satisfaction": (5, ""),
        "comments": (None, "Said on the phone"),
    }
    assert timezone.now() - response.submitted_at < datetime.timedelta(minutes=1)


def test_paper_answers_that_are_not_possible_change_nothing(cast, harmed, planned):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_response_record(actor=cast.coordinator, participant=harmed, answers={"safety": "9"})
    assert refusal.value.message == "The answers were not saved."
    assert domain_snapshot() == before


@pytest.mark.smtp
@pytest.mark.gate("G10")
def test_the_link_reaches_a_real_mail_server(cast, harmed, planned, smtp_server):
    from django.test import TestCase

    with TestCase.captureOnCommitCallbacks(execute=True):
        survey_send(actor=cast.coordinator, participant=harmed)
    (message,) = smtp_server.messages
    assert message["To"] == "hana@example.org"
    body = message.get_body(preferencelist=("plain",)).get_content()
    assert "http://testserver/survey/" in body
    assert "Hana" not in body
