"""The assessment form, an assessment's page, the override form and the sign-off page:
what they show, and that bad input gets a clear message and changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from amends.assessments.models import Assessment, SignOff
from amends.assessments.selectors import assessment_summaries, sign_off_status
from amends.assessments.tests.helpers import (
    HIGH_RISK,
    assess,
    assess_both,
    calm_answers,
    harmed,
    make_supervisor_a_facilitator_on,
    responsible,
)
from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole
from amends.cases.selectors import case_facts
from amends.cases.services import participant_add
from amends.cases.tests.builders import make_person
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import defaults
from amends.programmes.models import AssessmentTemplate
from amends.programmes.selectors import current_assessment_template

pytestmark = pytest.mark.django_db


def new_url(case, participant):
    return reverse("assessments:new", args=[case.reference, participant.pk])


def form_data(programme, **changes):
    answers = calm_answers(programme)
    data = {f"answer_{key}": value for key, value in answers.items()}
    data.update(assessed_on=timezone.localdate().isoformat(), notes="Met at the office.")
    data.update(changes)
    return data


def test_the_form_asks_each_question_with_four_labelled_answers(cast, client_for):
    # when
    response = client_for("facilitator").get(new_url(cast.case, harmed(cast.case)))
    # then
    assert response.status_code == 200
    html = response.content.decode()
    template = current_assessment_template(cast.programme)
    assert template is not None
    assert html.count("<fieldset") == len(template.questions)
    assert html.count('type="radio"') == 4 * len(template.questions)
    for label in ("No concern", "Some", "Considerable", "Serious"):
        assert f">{label}</label>" in html
    assert "Readiness to take part" in html
    assert "style=" not in html


@pytest.mark.gate("G4")
def test_submitting_the_form_records_the_assessment_and_shows_it(cast, client_for):
    # given
    client = client_for("facilitator")
    person = harmed(cast.case)
    # when
    response = client.post(new_url(cast.case, person), form_data(cast.programme))
    # then
    assessment = Assessment.objects.get(participant=person)
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "assessments:detail", args=[cast.case.reference, assessment.pk]
    )
    assert assessment.answers == calm_answers(cast.programme)
    assert assessment.notes == "Met at the office."


@pytest.mark.gate("G4")
def test_a_missing_answer_is_shown_on_its_question_and_nothing_is_recorded(cast, client_for):
    # given
    client = client_for("coordinator")
    url = new_url(cast.case, harmed(cast.case))
    data = form_data(cast.programme)
    del data["answer_capacity"]
    before = domain_snapshot()
    # when
    response = client.post(url, data)
    # then
    assert response.status_code == 400
    html = response.content.decode()
    assert "The assessment was not recorded." in html
    assert "Choose an answer to this question." in html
    assert domain_snapshot() == before


@pytest.mark.gate("G4")
def test_a_future_date_gets_the_services_reason_and_nothing_is_recorded(cast, client_for):
    # given
    client = client_for("coordinator")
    url = new_url(cast.case, harmed(cast.case))
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    before = domain_snapshot()
    # when
    response = client.post(url, form_data(cast.programme, assessed_on=tomorrow))
    # then
    assert response.status_code == 400
    assert "The assessment date cannot be in the future." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G4")
def test_an_impossible_date_is_refused_in_the_form(cast, client_for):
    client = client_for("coordinator")
    url = new_url(cast.case, harmed(cast.case))
    before = domain_snapshot()
    response = client.post(url, form_data(cast.programme, assessed_on="2026-02-30"))
    assert response.status_code == 400
    assert "Date of the assessment: Enter a valid date." in response.content.decode()
    assert domain_snapshot() == before


def test_a_supporter_has_no_assessment_form(cast, client_for):
    supporter = participant_add(
        actor=None, case=cast.case, person=make_person("Sam"), role=ParticipantRole.SUPPORTER
    )
    response = client_for("coordinator").get(new_url(cast.case, supporter))
    assert response.status_code == 404


def test_without_a_template_the_form_explains_what_is_missing(cast, client_for):
    AssessmentTemplate.objects.filter(programme=cast.programme).delete()
    response = client_for("coordinator").get(new_url(cast.case, harmed(cast.case)))
    assert response.status_code == 200
    assert "An administrator must publish one" in response.content.decode()
    assert "<fieldset" not in response.content.decode()


@pytest.mark.gate("G8")
def test_the_assessment_page_shows_the_result_its_reasons_and_history(cast, client_for):
    # given
    first = assess(cast.coordinator, harmed(cast.case))
    second = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    # when
    response = client_for("facilitator").get(
        reverse("assessments:detail", args=[cast.case.reference, second.pk])
    )
    # then
    assert response.status_code == 200
    html = response.content.decode()
    assert "High" in html
    assert "Indirect only" in html
    assert "that alone makes the risk high" in html
    assert f"version {second.template.version}" in html
    assert second.valid_until.strftime("%-d %b %Y") in html
    assert reverse("assessments:detail", args=[cast.case.reference, first.pk]) in html
    assert "style=" not in html
    assert AuditEvent.objects.filter(
        action="person.viewed", data__assessment=second.pk, actor=cast.facilitator
    ).exists()


def test_an_earlier_assessment_says_it_has_been_replaced(cast, client_for):
    first = assess(cast.coordinator, harmed(cast.case))
    assess(cast.coordinator, harmed(cast.case))
    response = client_for("coordinator").get(
        reverse("assessments:detail", args=[cast.case.reference, first.pk])
    )
    assert "A newer assessment of this person has replaced this one." in response.content.decode()


def test_an_assessment_of_another_case_is_not_found_through_this_one(cast, client_for):
    from amends.assessments.tests.helpers import build_sensitive_case

    other_case = build_sensitive_case(cast)
    elsewhere = assess(cast.coordinator, harmed(other_case))
    response = client_for("coordinator").get(
        reverse("assessments:detail", args=[cast.case.reference, elsewhere.pk])
    )
    assert response.status_code == 404


@pytest.mark.gate("G4")
def test_an_override_without_a_reason_is_refused_in_the_form(cast, client_for):
    assessment = assess(cast.coordinator, harmed(cast.case))
    url = reverse("assessments:override", args=[cast.case.reference, assessment.pk])
    before = domain_snapshot()
    response = client_for("coordinator").post(url, {"risk_level": "high", "reason": ""})
    assert response.status_code == 400
    assert "Say why the risk level should be different." in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G5")
def test_a_coordinator_lowering_a_risk_is_told_only_a_supervisor_can(cast, client_for):
    assessment = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    url = reverse("assessments:override", args=[cast.case.reference, assessment.pk])
    before = domain_snapshot()
    response = client_for("coordinator").post(url, {"risk_level": "low", "reason": "Calm now."})
    assert response.status_code == 403
    assert "Only a supervisor of the programme can lower a risk level." in (
        response.content.decode()
    )
    assert domain_snapshot() == before


@pytest.mark.gate("G5")
def test_the_sign_off_page_says_why_and_offers_the_supervisor_the_button(
    cast, client_for, sensitive_case
):
    assess_both(cast.coordinator, sensitive_case)
    response = client_for("supervisor").get(
        reverse("assessments:sign_off", args=[sensitive_case.reference])
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "sensitive category" in html
    assert "Sign off the case" in html
    assert "style=" not in html


@pytest.mark.gate("G5")
def test_a_supervisor_assigned_as_facilitator_sees_why_they_cannot_sign_off(
    cast, client_for, sensitive_case
):
    # given
    assess_both(cast.coordinator, sensitive_case)
    make_supervisor_a_facilitator_on(cast, sensitive_case)
    client = client_for("supervisor")
    url = reverse("assessments:sign_off", args=[sensitive_case.reference])
    # when
    page = client.get(url)
    before = domain_snapshot()
    refused = client.post(url, {"notes": ""})
    # then
    assert "You are assigned to this case as a facilitator" in page.content.decode()
    assert "Sign off the case</button>" not in page.content.decode()
    assert refused.status_code == 400
    assert "Four-eyes sign-off must come from a supervisor" in refused.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G5")
def test_a_supervisor_signs_off_from_the_page(cast, client_for, sensitive_case):
    assess_both(cast.coordinator, sensitive_case)
    response = client_for("supervisor").post(
        reverse("assessments:sign_off", args=[sensitive_case.reference]), {"notes": "Fine."}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[sensitive_case.reference])
    assert SignOff.objects.filter(case=sensitive_case, signed_by=cast.supervisor).exists()


@pytest.mark.gate("G5")
def test_sign_off_before_everyone_is_assessed_is_refused_with_the_reasons(
    cast, client_for, sensitive_case
):
    assess(cast.coordinator, harmed(sensitive_case))
    url = reverse("assessments:sign_off", args=[sensitive_case.reference])
    before = domain_snapshot()
    response = client_for("supervisor").post(url, {"notes": ""})
    assert response.status_code == 400
    assert "has not been assessed" in response.content.decode()
    assert domain_snapshot() == before


@pytest.mark.gate("G4")
def test_the_case_summary_partial_shows_each_key_participants_standing(cast):
    # given: the person harmed on an expired assessment, the person responsible not assessed
    long_ago = timezone.localdate() - datetime.timedelta(days=defaults.ASSESSMENT_VALIDITY_DAYS)
    assessment = assess(cast.coordinator, harmed(cast.case), assessed_on=long_ago)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    facts = case_facts(cast.case, today=tomorrow)
    # when
    summaries = assessment_summaries(facts)
    html = render_to_string(
        "assessments/_case_summary.html",
        {
            "case": cast.case,
            "assessment_summaries": summaries,
            "sign_off": sign_off_status(cast.case, facts),
            "can_work": True,
        },
    )
    # then
    assert [summary.status for summary in summaries] == ["expired", "missing"]
    assert summaries[0].assessment_id == assessment.pk
    assert "Expired" in html
    assert "Not assessed" in html
    assert reverse("assessments:new", args=[cast.case.reference, responsible(cast.case).pk]) in (
        html
    )
    assert "No supervisor sign-off is needed at present." in html
    assert "style=" not in html
