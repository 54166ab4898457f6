"""The safety plan (G7): saved through its service, required where the risk or the
category calls for it, and checked again when the case moves to ready."""

from __future__ import annotations

import pytest
from django.urls import reverse

from amends.audit.models import AuditEvent
from amends.cases.services import GateRefused, case_transition, case_update_plan
from amends.cases.tests.builders import build_case, drive_to_ready, move
from amends.consent.services import consent_give
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes.selectors import current_information_sheet
from amends.safety.models import SafetyPlan
from amends.safety.services import safety_plan_save

pytestmark = pytest.mark.django_db


def test_saving_keeps_the_measures_in_order_and_audits_without_the_notes(cast):
    plan = safety_plan_save(
        actor=cast.facilitator,
        case=cast.case,
        measures=["code_word", "staggered"],
        notes="Leave by the side door",
    )
    assert plan.measures == ["staggered", "code_word"]
    event = AuditEvent.objects.filter(action="safety_plan.saved").latest("pk")
    assert "side door" not in str(event.data)
    again = safety_plan_save(
        actor=cast.facilitator,
        case=cast.case,
        measures=["staggered", "code_word"],
        notes="Leave by the side door",
    )
    assert again.updated_at == plan.updated_at


def test_unknown_measures_and_strangers_change_nothing(cast):
    case = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError):
        safety_plan_save(actor=cast.coordinator, case=case, measures=["moat"])
    for name in ("advocate", "referrer", "evaluator", "other_supervisor"):
        with pytest.raises(PermissionRefused):
            safety_plan_save(actor=getattr(cast, name), case=case, measures=["exit_plan"])
    assert domain_snapshot() == before


@pytest.mark.gate("G7")
def test_a_direct_meeting_in_a_domestic_abuse_case_needs_staggered_times_and_separate_waiting(
    cast,
):
    # given a domestic-abuse case carried to ready for letters, stepped back to preparation
    case = drive_to_ready(
        build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator),
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    case = move(case, "preparation", cast.coordinator)
    case = case_update_plan(
        actor=cast.coordinator,
        case=case,
        process_type="meeting",
        next_action="Plan the meeting",
        next_action_due=case.next_action_due,
    )
    sheet = current_information_sheet(cast.programme, "en")
    for person in case.participants.filter(role__in=["harmed", "responsible"]):
        consent_give(
            actor=cast.facilitator,
            participant=person,
            scope="take_part",
            process_type="meeting",
            sheet=sheet,
            method="verbal",
            witness="W",
        )
    safety_plan_save(actor=cast.facilitator, case=case, measures=["exit_plan"])
    # when it is moved to ready for a face-to-face meeting
    with pytest.raises(GateRefused) as refusal:
        move(case, "ready", cast.coordinator)
    # then the plan's missing measures are the reason
    assert any("separate waiting areas" in reason for reason in refusal.value.reasons)
    safety_plan_save(
        actor=cast.facilitator, case=case, measures=["exit_plan", "staggered", "separate_waiting"]
    )
    assert move(case, "ready", cast.coordinator).stage == "ready"


@pytest.mark.gate("G7")
def test_a_sensitive_case_cannot_be_ready_without_a_safety_plan(cast):
    case = drive_to_ready(
        build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator),
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    case = move(case, "preparation", cast.coordinator)
    SafetyPlan.objects.filter(case=case).update(measures=[])
    with pytest.raises(GateRefused, match="not ready") as refusal:
        case_transition(
            actor=cast.coordinator,
            case=case,
            target="ready",
            next_action="Go",
            next_action_due=case.next_action_due,
        )
    assert "A safety plan with at least one measure is needed for this case." in (
        refusal.value.reasons
    )


def test_the_safety_plan_page_shows_what_g7_still_needs(cast, client_for):
    case = build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator)
    page = client_for("coordinator").get(reverse("safety:plan", args=[case.reference]))
    assert "A safety plan with at least one measure is needed for this case." in (
        page.content.decode()
    )
