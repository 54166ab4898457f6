"""Changing an assessment's risk level (G4, G5, G8): always with a reason, the modality
re-derived so it never widens beyond the answers, the revision bumped, and lowering a
risk reserved to a supervisor who does not facilitate the case."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.assessments.models import Assessment
from amends.assessments.services import assessment_override_risk
from amends.assessments.tests.helpers import (
    HIGH_RISK,
    assess,
    harmed,
    make_supervisor_a_facilitator_on,
)
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import defaults
from amends.programmes.models import Modality

pytestmark = pytest.mark.django_db


def override(actor, assessment, level, reason="The questions missed a recent threat."):
    return assessment_override_risk(
        actor=actor, assessment=assessment, risk_level=level, reason=reason
    )


@pytest.mark.gate("G8")
def test_raising_the_risk_to_high_narrows_a_meeting_to_indirect_forms(cast):
    # given
    assessment = assess(cast.facilitator, harmed(cast.case))
    assert assessment.permitted_modality == Modality.DIRECT
    # when
    changed = override(cast.facilitator, assessment, "high")
    # then
    changed.refresh_from_db()
    assert (changed.risk_level, changed.computed_risk) == ("high", "low")
    assert changed.permitted_modality == Modality.INDIRECT
    assert changed.revision == 2
    assert changed.override_reason == "The questions missed a recent threat."
    assert any("from low to high" in reason for reason in changed.reasons)


@pytest.mark.gate("G5")
def test_an_override_is_audited_with_old_and_new_values_but_not_the_reason(cast):
    # given
    assessment = assess(cast.coordinator, harmed(cast.case))
    # when
    override(cast.coordinator, assessment, "medium")
    # then
    event = AuditEvent.objects.get(
        action="assessment.risk_overridden", target_id=str(assessment.pk)
    )
    assert event.data["changed"] == {
        "risk_level": {"old": "low", "new": "medium"},
        "permitted_modality": {"old": "direct", "new": "direct"},
    }
    assert event.data["revision"] == 2
    assert "threat" not in str(event.data)
    assert "threat" not in event.reason


@pytest.mark.gate("G8")
def test_lowering_never_widens_the_modality_beyond_what_the_answers_permit(cast):
    # given: coercive control at 2 makes it high and rules out meeting by itself
    assessment = assess(cast.coordinator, harmed(cast.case), coercive_control=2)
    assert (assessment.risk_level, assessment.permitted_modality) == ("high", "indirect")
    # when
    changed = override(cast.supervisor, assessment, "low")
    # then
    assert changed.risk_level == "low"
    assert changed.permitted_modality == Modality.INDIRECT


@pytest.mark.gate("G8")
def test_lowering_a_risk_that_only_its_level_kept_indirect_lets_the_answers_decide(cast):
    # given: wellbeing at 3 makes it high, and high risk alone keeps it indirect
    assessment = assess(cast.coordinator, harmed(cast.case), wellbeing=3)
    assert (assessment.risk_level, assessment.permitted_modality) == ("high", "indirect")
    # when
    changed = override(cast.supervisor, assessment, "medium")
    # then
    assert changed.permitted_modality == Modality.DIRECT


@pytest.mark.gate("G8")
def test_answers_ruling_out_any_process_still_do_so_whatever_the_level(cast):
    assessment = assess(cast.coordinator, harmed(cast.case), readiness=3)
    changed = override(cast.coordinator, assessment, "high")
    assert changed.permitted_modality == Modality.NONE


def test_setting_the_level_it_already_has_changes_nothing(cast):
    # given
    assessment = assess(cast.coordinator, harmed(cast.case))
    before = domain_snapshot()
    events = AuditEvent.objects.count()
    # when
    same = override(cast.coordinator, assessment, "low")
    # then
    assert same.revision == 1
    assert domain_snapshot() == before
    assert AuditEvent.objects.count() == events


# --- refusals ----------------------------------------------------------------------------------


def _refused(actor, assessment, level, reason="A reason.", error=ApplicationError):
    before = domain_snapshot()
    with pytest.raises(error) as refusal:
        override(actor, assessment, level, reason)
    assert domain_snapshot() == before
    return refusal.value


@pytest.mark.gate("G4")
@pytest.mark.parametrize("reason", ["", "   "])
def test_a_change_without_a_reason_is_refused(cast, reason):
    assessment = assess(cast.coordinator, harmed(cast.case))
    refusal = _refused(cast.coordinator, assessment, "high", reason)
    assert refusal.reasons == ["Say why the risk level should be different."]


@pytest.mark.gate("G4")
def test_an_unknown_risk_level_is_refused(cast):
    assessment = assess(cast.coordinator, harmed(cast.case))
    refusal = _refused(cast.coordinator, assessment, "extreme")
    assert refusal.reasons == ["Choose a risk level."]


@pytest.mark.gate("G5")
@pytest.mark.parametrize("name", ["coordinator", "facilitator"])
def test_only_a_supervisor_may_lower_a_risk_level(cast, name):
    # given
    assessment = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    # when
    refusal = _refused(cast.users[name], assessment, "medium", error=PermissionRefused)
    # then
    assert refusal.reasons == ["Only a supervisor of the programme can lower a risk level."]
    assert Assessment.objects.get(pk=assessment.pk).risk_level == "high"


@pytest.mark.gate("G5")
def test_a_supervisor_who_facilitates_the_case_may_not_lower_its_risk(cast):
    # given
    assessment = assess(cast.coordinator, harmed(cast.case), **HIGH_RISK)
    make_supervisor_a_facilitator_on(cast, cast.case)
    # when
    refusal = _refused(cast.supervisor, assessment, "medium", error=PermissionRefused)
    # then
    assert "assigned to this case as a facilitator" in refusal.reasons[0]


@pytest.mark.parametrize(
    "name", ["advocate", "administrator", "referrer", "evaluator", "other_supervisor", "no_role"]
)
def test_only_people_who_work_on_the_case_may_change_a_risk_level(cast, name):
    assessment = assess(cast.coordinator, harmed(cast.case))
    _refused(cast.users[name], assessment, "high", error=PermissionRefused)


def test_a_replaced_assessment_cannot_be_changed(cast):
    # given
    old = assess(cast.coordinator, harmed(cast.case))
    assess(cast.coordinator, harmed(cast.case))
    # when
    refusal = _refused(cast.coordinator, old, "high")
    # then
    assert refusal.reasons == ["A newer assessment of this person has replaced this one."]


def test_an_expired_assessment_cannot_be_changed(cast):
    # given: valid until today, then the day passes
    long_ago = timezone.localdate() - datetime.timedelta(days=defaults.ASSESSMENT_VALIDITY_DAYS)
    assessment = assess(cast.coordinator, harmed(cast.case), assessed_on=long_ago)
    Assessment.objects.filter(pk=assessment.pk).update(
        valid_until=timezone.localdate() - datetime.timedelta(days=1)
    )
    # when
    refusal = _refused(cast.coordinator, assessment, "high")
    # then
    assert refusal.reasons == ["This assessment has expired; assess the person again."]
