"""Four-eyes sign-off (G5): needed for high risk or a sensitive category, given only by a
supervisor who is not a facilitator on the case, once every key participant is assessed,
and stale as soon as an assessment it covers changes."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amends.assessments.models import SignOff
from amends.assessments.services import sign_off_record, sign_off_task_key
from amends.assessments.tests.helpers import (
    HIGH_RISK,
    assess,
    assess_both,
    harmed,
    make_supervisor_a_facilitator_on,
    responsible,
)
from amends.audit.models import AuditEvent
from amends.cases import gates
from amends.cases.selectors import case_facts
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.core.workdays import add_working_days
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db


def g5(case):
    return gates.g5_sign_off(case_facts(case))


def open_sign_off_tasks(case):
    return Task.objects.filter(key=sign_off_task_key(case), done_at__isnull=True)


@pytest.mark.gate("G5")
def test_a_sensitive_case_needs_a_sign_off_and_a_task_asks_for_it(cast, sensitive_case):
    # when
    assess_both(cast.coordinator, sensitive_case)
    # then
    assert g5(sensitive_case) == [
        "A supervisor must sign off this case because the offence is in a sensitive category."
    ]
    task = open_sign_off_tasks(sensitive_case).get()
    assert task.kind == TaskKind.SIGN_OFF_NEEDED
    assert task.case == sensitive_case
    assert task.assignee is None  # the case's coordinator
    assert task.due_on == add_working_days(timezone.localdate(), 2)


@pytest.mark.gate("G5")
def test_high_risk_in_an_ordinary_case_needs_a_sign_off(cast):
    # when
    assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    assess(cast.coordinator, responsible(cast.case))
    # then
    assert g5(cast.case) == [
        "A supervisor must sign off this case because an assessment found high risk."
    ]
    assert open_sign_off_tasks(cast.case).count() == 1


@pytest.mark.gate("G5")
def test_a_low_risk_ordinary_case_needs_no_sign_off_and_gets_no_task(cast):
    assess_both(cast.coordinator, cast.case)
    assert g5(cast.case) == []
    assert not Task.objects.filter(key=sign_off_task_key(cast.case)).exists()


@pytest.mark.gate("G5")
def test_a_supervisor_signs_off_the_current_assessments(cast, sensitive_case):
    # given
    first, second = assess_both(cast.coordinator, sensitive_case)
    # when
    sign_off = sign_off_record(actor=cast.supervisor, case=sensitive_case, notes=" Read both. ")
    # then
    assert sign_off.covered == {str(first.pk): 1, str(second.pk): 1}
    assert sign_off.signed_by == cast.supervisor
    assert SignOff.objects.get(pk=sign_off.pk).notes == "Read both."
    assert g5(sensitive_case) == []
    assert not open_sign_off_tasks(sensitive_case).exists()
    event = AuditEvent.objects.get(action="sign_off.recorded", target_id=str(sign_off.pk))
    assert event.data == {
        "case": sensitive_case.pk,
        "covered": {str(first.pk): 1, str(second.pk): 1},
        "why": ["sensitive"],
    }


@pytest.mark.gate("G5")
def test_signing_off_again_changes_nothing(cast, sensitive_case):
    # given
    assess_both(cast.coordinator, sensitive_case)
    first = sign_off_record(actor=cast.supervisor, case=sensitive_case)
    before = domain_snapshot()
    # when
    again = sign_off_record(actor=cast.supervisor, case=sensitive_case)
    # then
    assert again.pk == first.pk
    assert domain_snapshot() == before


@pytest.mark.gate("G5")
def test_a_risk_override_makes_the_sign_off_stale_and_asks_again(cast, sensitive_case):
    # given
    from amends.assessments.services import assessment_override_risk

    assessment, _other = assess_both(cast.coordinator, sensitive_case)
    sign_off_record(actor=cast.supervisor, case=sensitive_case)
    # when
    assessment_override_risk(
        actor=cast.facilitator, assessment=assessment, risk_level="high", reason="New threats."
    )
    # then
    assert g5(sensitive_case) == [
        "An assessment changed after the supervisor's sign-off; it must be signed off again."
    ]
    assert open_sign_off_tasks(sensitive_case).count() == 1
    # and a fresh sign-off covers the new revision
    fresh = sign_off_record(actor=cast.supervisor, case=sensitive_case)
    assert fresh.covered[str(assessment.pk)] == 2
    assert g5(sensitive_case) == []


@pytest.mark.gate("G5")
def test_a_new_assessment_makes_the_sign_off_stale(cast, sensitive_case):
    # given
    assess_both(cast.coordinator, sensitive_case)
    sign_off_record(actor=cast.supervisor, case=sensitive_case)
    # when
    assess(cast.facilitator, harmed(sensitive_case))
    # then
    assert g5(sensitive_case) == [
        "An assessment changed after the supervisor's sign-off; it must be signed off again."
    ]
    assert open_sign_off_tasks(sensitive_case).count() == 1


@pytest.mark.gate("G5")
def test_lowering_the_only_high_risk_ends_the_need_and_its_task(cast):
    # given
    from amends.assessments.services import assessment_override_risk

    high = assess(cast.coordinator, harmed(cast.case), wellbeing=3)
    assess(cast.coordinator, responsible(cast.case))
    assert open_sign_off_tasks(cast.case).count() == 1
    # when
    assessment_override_risk(
        actor=cast.supervisor, assessment=high, risk_level="medium", reason="Crisis has passed."
    )
    # then
    assert g5(cast.case) == []
    assert not open_sign_off_tasks(cast.case).exists()


# --- refusals ----------------------------------------------------------------------------------


def _refused(actor, case, error=ApplicationError):
    before = domain_snapshot()
    with pytest.raises(error) as refusal:
        sign_off_record(actor=actor, case=case)
    assert domain_snapshot() == before
    return refusal.value


@pytest.mark.gate("G5")
def test_a_supervisor_assigned_as_facilitator_may_not_sign_off(cast, sensitive_case):
    # given
    assess_both(cast.coordinator, sensitive_case)
    make_supervisor_a_facilitator_on(cast, sensitive_case)
    # when
    refusal = _refused(cast.supervisor, sensitive_case)
    # then
    assert refusal.message == "The case was not signed off."
    assert refusal.reasons == [
        "You are assigned to this case as a facilitator. Four-eyes sign-off must come from a "
        "supervisor who is not working on the case."
    ]
    assert g5(sensitive_case)


@pytest.mark.gate("G5")
def test_g5_refuses_a_sign_off_by_someone_later_assigned_as_facilitator(cast, sensitive_case):
    # given
    assess_both(cast.coordinator, sensitive_case)
    sign_off_record(actor=cast.supervisor, case=sensitive_case)
    # when
    make_supervisor_a_facilitator_on(cast, sensitive_case)
    # then
    assert g5(sensitive_case) == [
        "The sign-off was given by a facilitator assigned to the case; another supervisor "
        "must sign off."
    ]


@pytest.mark.gate("G5")
@pytest.mark.parametrize(
    "name",
    [
        "coordinator",
        "facilitator",
        "advocate",
        "administrator",
        "referrer",
        "evaluator",
        "other_supervisor",
        "no_role",
    ],
)
def test_only_a_supervisor_of_the_programme_may_sign_off(cast, sensitive_case, name):
    assess_both(cast.coordinator, sensitive_case)
    _refused(cast.users[name], sensitive_case, error=PermissionRefused)


@pytest.mark.gate("G5")
def test_sign_off_waits_until_every_key_participant_is_assessed(cast, sensitive_case):
    # given
    assess(cast.coordinator, harmed(sensitive_case))
    # when
    refusal = _refused(cast.supervisor, sensitive_case)
    # then
    assert refusal.message == (
        "The case cannot be signed off until every key participant is assessed."
    )
    assert len(refusal.reasons) == 1
    assert "has not been assessed" in refusal.reasons[0]


@pytest.mark.gate("G5")
def test_a_case_that_needs_no_sign_off_is_not_signed_off(cast):
    assess_both(cast.coordinator, cast.case)
    refusal = _refused(cast.supervisor, cast.case)
    assert "does not need a supervisor's sign-off" in refusal.reasons[0]


def test_a_closed_case_cannot_be_signed_off(cast, sensitive_case):
    from amends.cases.services import case_close

    assess_both(cast.coordinator, sensitive_case)
    case_close(actor=cast.coordinator, case=sensitive_case, reason="not_suitable")
    refusal = _refused(cast.supervisor, sensitive_case)
    assert refusal.message == "The case is closed; nothing more can be recorded on it."
