"""Moving a case: the table, the gates, pausing, resuming, closing, and refusals that
change nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import Case, ParticipantRole, StageChange
from amends.cases.services import (
    GateRefused,
    case_assign_facilitator,
    case_close,
    case_open,
    case_pause,
    case_resume,
    case_transition,
    case_update_plan,
)
from amends.cases.tests.builders import accept_referral, build_case, make_referral
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.services import conflict_declare

pytestmark = pytest.mark.django_db


def soon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=3)


def move(case: Case, target: str, actor=None, **kwargs) -> Case:
    return case_transition(
        actor=actor, case=case, target=target, next_action="Next", next_action_due=soon(), **kwargs
    )


def test_opening_a_case_records_its_first_stage_and_a_next_action(cast):
    case = build_case(cast.programme, coordinator=cast.coordinator)
    assert case.stage == "referred"
    assert case.next_action
    assert case.next_action_due is not None
    assert case.next_action_due >= timezone.localdate()
    assert list(case.stage_changes.values_list("to_stage", flat=True)) == ["referred"]
    assert AuditEvent.objects.filter(action="case.opened", target_id=str(case.pk)).exists()


def test_a_case_is_sensitive_when_any_offence_category_is(cast):
    referral = make_referral(cast.programme, categories=("property", "domestic-abuse"))
    assert case_open(actor=None, referral=referral).is_sensitive


def test_a_move_writes_a_stage_change_and_an_audit_event(cast):
    case = build_case(cast.programme)
    moved = move(case, "screening", actor=cast.coordinator)
    assert moved.stage == "screening"
    change = StageChange.objects.filter(case=case).latest("pk")
    assert (change.from_stage, change.to_stage, change.actor) == (
        "referred",
        "screening",
        cast.coordinator,
    )
    event = AuditEvent.objects.filter(action="case.moved").latest("pk")
    assert event.data["from"] == "referred"
    assert event.data["to"] == "screening"


@pytest.mark.gate("G1")
def test_screening_cannot_end_without_an_eligibility_decision(cast):
    case = move(build_case(cast.programme), "screening")
    before = domain_snapshot()
    with pytest.raises(GateRefused) as refusal:
        move(case, "contact", actor=cast.coordinator)
    assert (
        "Screening has not yet decided whether the referral is eligible." in refusal.value.reasons
    )
    assert domain_snapshot() == before
    accept_referral(case, cast.coordinator)
    assert move(case, "contact", actor=cast.coordinator).stage == "contact"


def test_a_move_the_table_does_not_allow_is_refused_and_changes_nothing(cast):
    case = build_case(cast.programme)
    before = domain_snapshot()
    with pytest.raises(ApplicationError, match="cannot move from"):
        move(case, "ready", actor=cast.coordinator)
    with pytest.raises(ApplicationError):
        move(case, "no-such-stage", actor=cast.coordinator)
    assert domain_snapshot() == before


@pytest.mark.gate("G13")
@pytest.mark.parametrize(
    ("next_action", "due", "expected"),
    [
        ("", soon(), "Say what the next action is."),
        ("Call", None, "Give the date the next action is due."),
        ("Call", datetime.date(2000, 1, 1), "cannot be due in the past"),
    ],
)
def test_every_move_needs_a_next_action_with_a_due_date(cast, next_action, due, expected):
    case = build_case(cast.programme)
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        case_transition(
            actor=cast.coordinator,
            case=case,
            target="screening",
            next_action=next_action,
            next_action_due=due,
        )
    assert any(expected in reason for reason in refusal.value.reasons)
    assert domain_snapshot() == before


def test_only_coordinators_and_supervisors_of_the_programme_move_cases(cast):
    case = build_case(cast.programme)
    for name in (
        "facilitator",
        "advocate",
        "referrer",
        "evaluator",
        "administrator",
        "other_supervisor",
        "platform_admin",
    ):
        with pytest.raises(PermissionRefused):
            move(case, "screening", actor=getattr(cast, name))
    assert move(case, "screening", actor=cast.supervisor).stage == "screening"


def test_a_form_drawn_for_an_old_stage_is_refused_with_a_clear_message(cast):
    case = build_case(cast.programme)
    move(case, "screening", actor=cast.coordinator, expected_stage="referred")
    with pytest.raises(ConflictError, match="Someone else moved this case"):
        move(case, "screening", actor=cast.supervisor, expected_stage="referred")


def test_pause_remembers_the_stage_and_resume_returns_only_there(cast):
    case = cast.case
    paused = case_pause(
        actor=cast.facilitator, case=case, reason="safety_concern", note="Threat reported"
    )
    assert (paused.stage, paused.paused_from, paused.pause_reason) == (
        "paused",
        "contact",
        "safety_concern",
    )
    # a second pause changes nothing and keeps where it came from
    again = case_pause(actor=cast.coordinator, case=case, reason="legal_hold")
    assert (again.paused_from, again.pause_reason) == ("contact", "safety_concern")
    with pytest.raises(ApplicationError):
        move(case, "assessment", actor=cast.coordinator)
    resumed = case_resume(
        actor=cast.coordinator, case=case, next_action="Call again", next_action_due=soon()
    )
    assert (resumed.stage, resumed.paused_from, resumed.pause_reason) == ("contact", "", "")


@pytest.mark.gate("G1")
def test_resuming_checks_the_gates_of_its_stage_again(cast):
    case = cast.case
    case_pause(actor=cast.coordinator, case=case, reason="legal_hold")
    referral = case.referral
    referral.evidential_basis_confirmed = False
    referral.save()
    with pytest.raises(GateRefused) as refusal:
        case_resume(actor=cast.coordinator, case=case, next_action="Go on", next_action_due=soon())
    assert (
        "The referrer has not confirmed that there is an evidential basis." in refusal.value.reasons
    )
    assert Case.objects.get(pk=case.pk).stage == "paused"


def test_pause_needs_a_reason_from_the_list(cast):
    case = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError, match="not paused"):
        case_pause(actor=cast.coordinator, case=case, reason="bored")
    assert domain_snapshot() == before


def test_close_from_any_stage_with_a_reason_and_text_for_other(cast):
    case = build_case(cast.programme)
    with pytest.raises(ApplicationError) as refusal:
        case_close(actor=cast.coordinator, case=case, reason="other", note="")
    assert "Say why the case is closed." in refusal.value.reasons
    with pytest.raises(ApplicationError):
        case_close(actor=cast.coordinator, case=case, reason="because")
    closed = case_close(actor=cast.coordinator, case=case, reason="no_contact")
    assert (closed.stage, closed.closure_reason) == ("closed", "no_contact")
    assert closed.closed_at is not None
    with pytest.raises(ConflictError):
        case_close(actor=cast.coordinator, case=case, reason="no_contact")
    with pytest.raises(ApplicationError):
        case_pause(actor=cast.coordinator, case=case, reason="legal_hold")


def test_a_paused_case_can_be_closed_and_forgets_its_pause(cast):
    case = cast.case
    case_pause(actor=cast.coordinator, case=case, reason="unavailable")
    closed = case_close(actor=cast.supervisor, case=case, reason="withdrawn_harmed")
    assert (closed.stage, closed.paused_from, closed.pause_reason) == ("closed", "", "")


@pytest.mark.gate("G6")
def test_a_facilitator_with_a_declared_conflict_cannot_be_assigned(cast):
    case = build_case(cast.programme)
    harmed = case.participants.get(role=ParticipantRole.HARMED)
    conflict_declare(actor=cast.facilitator, facilitator=cast.facilitator, person=harmed.person)
    before = domain_snapshot()
    with pytest.raises(GateRefused) as refusal:
        case_assign_facilitator(actor=cast.coordinator, case=case, facilitator=cast.facilitator)
    assert (
        "has declared a conflict of interest with Hana H. (person harmed)"
        in refusal.value.reasons[0]
    )
    assert domain_snapshot() == before


@pytest.mark.gate("G6")
def test_someone_who_is_not_a_facilitator_of_the_programme_cannot_be_assigned(cast):
    case = build_case(cast.programme)
    with pytest.raises(GateRefused, match="cannot be assigned"):
        case_assign_facilitator(actor=cast.coordinator, case=case, facilitator=cast.advocate)


def test_the_plan_accepts_only_offered_process_types(cast):
    case = cast.case
    with pytest.raises(ApplicationError):
        case_update_plan(
            actor=cast.coordinator,
            case=case,
            process_type="nonsense",
            next_action="x",
            next_action_due=soon(),
        )
    updated = case_update_plan(
        actor=cast.facilitator,
        case=case,
        process_type="letters",
        next_action="Draft letter",
        next_action_due=soon(),
    )
    assert updated.process_type == "letters"
    event = AuditEvent.objects.filter(action="case.updated").latest("pk")
    assert "Draft letter" not in str(event.data)


@pytest.mark.gate("G6")
def test_the_only_facilitator_cannot_be_taken_off_a_case_in_preparation_or_ready(cast):
    from amends.cases.services import case_unassign_facilitator
    from amends.cases.tests.builders import drive_to_ready

    case = drive_to_ready(
        build_case(cast.programme, coordinator=cast.coordinator),
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )
    before = domain_snapshot()
    with pytest.raises(GateRefused, match="only facilitator"):
        case_unassign_facilitator(actor=cast.coordinator, case=case, facilitator=cast.facilitator)
    assert domain_snapshot() == before
