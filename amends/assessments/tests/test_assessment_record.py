"""Recording an assessment (G4, G8): on the current template, within the validity window,
for key participants only, by people who work on the case; every refusal changes nothing."""

from __future__ import annotations

import dataclasses
import datetime

import pytest
from django.db import connection
from django.utils import timezone

from amends.assessments.models import Assessment
from amends.assessments.services import assessment_record
from amends.assessments.tests.helpers import (
    HIGH_RISK,
    assess,
    assess_both,
    calm_answers,
    harmed,
    responsible,
)
from amends.audit.models import AuditEvent
from amends.cases import gates
from amends.cases.models import ParticipantRole
from amends.cases.selectors import case_facts
from amends.cases.services import case_close, participant_add
from amends.cases.tests.builders import make_person
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import defaults
from amends.programmes.models import AssessmentTemplate, Modality
from amends.programmes.selectors import current_assessment_template
from amends.programmes.services import assessment_template_publish

pytestmark = pytest.mark.django_db


def today() -> datetime.date:
    return timezone.localdate()


@pytest.mark.gate("G4")
def test_an_assessment_is_scored_on_the_current_template_and_valid_for_the_window(cast):
    # given
    person = harmed(cast.case)
    # when
    assessment = assess(cast.facilitator, person)
    # then
    assert assessment.template == current_assessment_template(cast.programme)
    assert assessment.valid_until == today() + datetime.timedelta(
        days=defaults.ASSESSMENT_VALIDITY_DAYS
    )
    assert (assessment.risk_level, assessment.computed_risk) == ("low", "low")
    assert assessment.permitted_modality == Modality.DIRECT
    assert assessment.revision == 1
    assert assessment.assessed_by == cast.facilitator
    assert assessment.reasons


@pytest.mark.gate("G4")
def test_recording_an_assessment_is_audited_without_the_answers(cast):
    # when
    assessment = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    # then
    event = AuditEvent.objects.get(action="assessment.recorded", target_id=str(assessment.pk))
    template = assessment.template
    assert event.data == {
        "case": cast.case.pk,
        "participant": assessment.participant_id,
        "template": template.pk,
        "template_version": template.version,
        "risk_level": "high",
        "permitted_modality": "indirect",
        "valid_until": assessment.valid_until.isoformat(),
    }
    assert "answers" not in event.data
    assert "safety_concerns" not in str(event.data)


@pytest.mark.gate("G4")
def test_the_notes_are_kept_encrypted(cast):
    # when
    assessment = assessment_record(
        actor=cast.coordinator,
        participant=harmed(cast.case),
        answers=calm_answers(cast.programme),
        assessed_on=today(),
        notes="  Lives with her sister now.  ",
    )
    # then
    assert Assessment.objects.get(pk=assessment.pk).notes == "Lives with her sister now."
    with connection.cursor() as cursor:
        cursor.execute("SELECT notes FROM assessments_assessment WHERE id = %s", [assessment.pk])
        (stored,) = cursor.fetchone()
    assert "sister" not in stored
    assert "sister" not in str(list(AuditEvent.objects.values_list("data", flat=True)))


@pytest.mark.gate("G4")
def test_g4_passes_once_both_key_participants_are_assessed(cast):
    # given
    case = cast.case
    assert gates.g4_assessment(case_facts(case)) == [
        f"{label} has not been assessed."
        for label in (
            case_facts(case).key_participants[0].label,
            case_facts(case).key_participants[1].label,
        )
    ]
    # when
    assess_both(cast.coordinator, case)
    # then
    assert gates.g4_assessment(case_facts(case)) == []


@pytest.mark.gate("G4")
def test_g4_refuses_an_assessment_made_on_a_template_since_replaced(cast):
    # given
    assess_both(cast.coordinator, cast.case)
    old = current_assessment_template(cast.programme)
    assert old is not None
    questions = [*old.questions, {"key": "housing", "text": "Housing is stable.", "weight": 1}]
    # when
    assessment_template_publish(
        actor=cast.administrator,
        programme=cast.programme,
        questions=questions,
        medium_threshold=old.medium_threshold,
        high_threshold=old.high_threshold,
    )
    # then
    reasons = gates.g4_assessment(case_facts(cast.case))
    assert len(reasons) == 2
    assert all("was assessed on an old template" in reason for reason in reasons)


@pytest.mark.gate("G4")
def test_g4_refuses_an_assessment_once_its_window_has_passed(cast):
    # given: made as long ago as the window allows, so valid until today only
    oldest = today() - datetime.timedelta(days=defaults.ASSESSMENT_VALIDITY_DAYS)
    assess(cast.coordinator, harmed(cast.case), assessed_on=oldest)
    assess(cast.coordinator, responsible(cast.case))
    # then
    assert gates.g4_assessment(case_facts(cast.case)) == []
    tomorrow = today() + datetime.timedelta(days=1)
    reasons = gates.g4_assessment(case_facts(cast.case, today=tomorrow))
    assert len(reasons) == 1
    assert f"assessment expired on {today().isoformat()}" in reasons[0]


@pytest.mark.gate("G4")
def test_a_new_assessment_replaces_the_previous_one_in_the_gates(cast):
    # given
    first = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    # when (a lower risk takes a supervisor who is not on the case)
    second = assess(cast.supervisor, harmed(cast.case))
    # then
    facts = case_facts(cast.case)
    person = next(p for p in facts.key_participants if p.role == ParticipantRole.HARMED)
    assert person.assessment is not None
    assert person.assessment.pk == second.pk != first.pk
    assert person.assessment.risk_level == "low"


@pytest.mark.gate("G8")
def test_high_risk_answers_permit_only_indirect_forms_and_g8_refuses_a_meeting(cast):
    # given
    assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    assess(cast.coordinator, responsible(cast.case))
    facts = case_facts(cast.case)
    # when
    meeting = gates.g8_modality(dataclasses.replace(facts, process_type="meeting"))
    letters = gates.g8_modality(dataclasses.replace(facts, process_type="letters"))
    # then
    assert len(meeting) == 1
    assert "permits only indirect forms" in meeting[0]
    assert letters == []


@pytest.mark.gate("G8")
def test_answers_that_rule_out_any_process_make_g8_refuse_every_process(cast):
    # given
    assess(cast.coordinator, harmed(cast.case), readiness=3)
    assess(cast.coordinator, responsible(cast.case))
    facts = case_facts(cast.case)
    # when
    reasons = gates.g8_modality(dataclasses.replace(facts, process_type="letters"))
    # then
    assert len(reasons) == 1
    assert "does not permit any restorative process" in reasons[0]


@pytest.mark.gate("G8")
def test_a_meeting_is_permitted_when_every_key_participant_permits_direct_contact(cast):
    assess_both(cast.coordinator, cast.case)
    facts = case_facts(cast.case)
    assert gates.g8_modality(dataclasses.replace(facts, process_type="meeting")) == []


# --- refusals ----------------------------------------------------------------------------------


def _refused(actor, person, *, answers=None, assessed_on=None, error=ApplicationError):
    before = domain_snapshot()
    with pytest.raises(error) as refusal:
        assessment_record(
            actor=actor,
            participant=person,
            answers=calm_answers(person.case.programme) if answers is None else answers,
            assessed_on=today() if assessed_on is None else assessed_on,
        )
    assert domain_snapshot() == before
    return refusal.value


@pytest.mark.gate("G4")
def test_a_supporter_is_not_assessed(cast):
    # given
    supporter = participant_add(
        actor=None,
        case=cast.case,
        person=make_person("Sam", "Supporter"),
        role=ParticipantRole.SUPPORTER,
    )
    # when
    refusal = _refused(cast.coordinator, supporter)
    # then
    assert refusal.message == "The assessment was not recorded."
    assert refusal.reasons == ["Only the person harmed and the person responsible are assessed."]


@pytest.mark.gate("G4")
def test_a_date_in_the_future_is_refused(cast):
    refusal = _refused(
        cast.coordinator, harmed(cast.case), assessed_on=today() + datetime.timedelta(days=1)
    )
    assert refusal.reasons == ["The assessment date cannot be in the future."]


@pytest.mark.gate("G4")
def test_a_date_so_old_the_assessment_would_have_expired_is_refused(cast):
    too_old = today() - datetime.timedelta(days=defaults.ASSESSMENT_VALIDITY_DAYS + 1)
    refusal = _refused(cast.coordinator, harmed(cast.case), assessed_on=too_old)
    assert refusal.reasons == [
        "An assessment made on that date would already have expired: the programme accepts "
        "assessments for 90 days. Assess the person again."
    ]


@pytest.mark.gate("G4")
def test_a_missing_date_is_refused(cast):
    person = harmed(cast.case)
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        assessment_record(
            actor=cast.coordinator,
            participant=person,
            answers=calm_answers(cast.programme),
            assessed_on=None,  # type: ignore[arg-type]
        )
    assert refusal.value.reasons == ["Give the date of the assessment."]
    assert domain_snapshot() == before


@pytest.mark.gate("G4")
def test_an_unanswered_question_is_refused(cast):
    answers = calm_answers(cast.programme)
    del answers["coercive_control"]
    refusal = _refused(cast.coordinator, harmed(cast.case), answers=answers)
    assert refusal.reasons == [
        "“Indicators of coercive control (isolation, monitoring, threats, control of money or "
        "movement)” has not been answered."
    ]


@pytest.mark.gate("G4")
@pytest.mark.parametrize("bad", [4, -1, "3", 2.0, True])
def test_an_answer_outside_0_to_3_is_refused(cast, bad):
    answers = calm_answers(cast.programme, wellbeing=bad)
    refusal = _refused(cast.coordinator, harmed(cast.case), answers=answers)
    assert refusal.reasons == [
        "The answer to “Emotional and mental wellbeing” must be a whole number from 0 to 3."
    ]


@pytest.mark.gate("G4")
def test_an_answer_to_a_question_not_on_the_template_is_refused(cast):
    answers = calm_answers(cast.programme, mood=1)
    refusal = _refused(cast.coordinator, harmed(cast.case), answers=answers)
    assert refusal.reasons == [
        "There is an answer to “mood”, which is not a question on this template."
    ]


@pytest.mark.gate("G4")
def test_every_problem_is_listed_together(cast):
    answers = calm_answers(cast.programme, mood=1)
    refusal = _refused(
        cast.coordinator,
        harmed(cast.case),
        answers=answers,
        assessed_on=today() + datetime.timedelta(days=2),
    )
    assert len(refusal.reasons) == 2


@pytest.mark.gate("G4")
def test_a_programme_without_a_template_cannot_assess(cast):
    AssessmentTemplate.objects.filter(programme=cast.programme).delete()
    refusal = _refused(cast.coordinator, harmed(cast.case), answers={})
    assert refusal.reasons == [
        "The programme has no assessment template yet; an administrator must publish one."
    ]


def test_a_closed_case_cannot_be_assessed(cast):
    case_close(actor=cast.coordinator, case=cast.case, reason="not_suitable")
    refusal = _refused(cast.coordinator, harmed(cast.case))
    assert refusal.message == "The case is closed; nothing more can be recorded on it."


@pytest.mark.parametrize(
    "name", ["advocate", "administrator", "referrer", "evaluator", "other_supervisor", "no_role"]
)
def test_only_people_who_work_on_the_case_may_assess(cast, name):
    # the advocate supports the person harmed, but does not assess them
    _refused(cast.users[name], harmed(cast.case), error=PermissionRefused)


def test_a_facilitator_not_assigned_to_the_case_may_not_assess(cast):
    # given
    from amends.cases.services import case_unassign_facilitator

    case_unassign_facilitator(actor=None, case=cast.case, facilitator=cast.facilitator)
    # then
    _refused(cast.facilitator, harmed(cast.case), error=PermissionRefused)
