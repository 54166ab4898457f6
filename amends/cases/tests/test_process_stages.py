"""The stages after `ready`, end to end through the services of every app involved:
the process must take place (HELD), the agreement stage needs an agreement that is fair
(AGREED, G11), follow-up waits until no item still runs (KEPT), entering follow-up plans
the check-ins, and a case closes as completed only with follow-up done or a reason."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amends.agreements.services import agreement_create, agreement_item_set_status
from amends.agreements.tests.helpers import add, apology, consent_all
from amends.cases.models import Case, StageChange
from amends.cases.services import GateRefused, case_close
from amends.cases.stages import ClosureReason
from amends.cases.tests.builders import move
from amends.core.testing.matrix import domain_snapshot
from amends.exchanges.tests.helpers import approved, harmed, letter_case, relayed, responsible
from amends.followups.models import CheckIn
from amends.followups.services import check_in_record
from amends.tasks.models import Task, TaskKind


def _refused(call, reason: str) -> None:
    before = domain_snapshot()
    with pytest.raises(GateRefused) as refusal:
        call()
    assert reason in refusal.value.reasons, refusal.value.reasons
    assert domain_snapshot() == before


def _in_process(cast) -> Case:
    case = letter_case(cast)
    return move(case, "process", cast.coordinator)


def _held(cast, case: Case) -> None:
    relayed(cast, approved(cast, case))


def test_nothing_follows_the_process_until_it_has_taken_place(cast):
    case = _in_process(cast)
    not_held = (
        "The process has not taken place yet: record a joint meeting as held, or relay a "
        "first item of the indirect exchange."
    )
    _refused(lambda: move(case, "agreement", cast.coordinator), not_held)
    _refused(lambda: move(case, "follow_up", cast.coordinator), not_held)
    _refused(
        lambda: case_close(
            actor=cast.coordinator, case=case, reason=ClosureReason.COMPLETED_WITHOUT_AGREEMENT
        ),
        not_held,
    )
    # when the first letter is relayed
    _held(cast, case)
    # then the process has taken place and the case may go on
    case = move(case, "follow_up", cast.coordinator)
    assert case.stage == "follow_up"


@pytest.mark.gate("G11")
def test_the_agreement_stage_needs_an_agreement_every_bound_party_consented_to(cast):
    case = _in_process(cast)
    _held(cast, case)
    _refused(
        lambda: move(case, "agreement", cast.coordinator), "No agreement has been drafted yet."
    )
    agreement = agreement_create(
        actor=cast.coordinator,
        case=case,
        responsible=responsible(case),
        made_on=timezone.localdate(),
    )
    item = add(cast.coordinator, agreement, apology(harmed(case)))
    # An item without the consent of the parties it binds is not fair yet (G11).
    with pytest.raises(GateRefused) as refusal:
        move(case, "agreement", cast.coordinator)
    assert any("consent" in reason.lower() for reason in refusal.value.reasons)
    consent_all(cast.coordinator, item)
    case = move(case, "agreement", cast.coordinator)
    assert case.stage == "agreement"
    # Follow-up waits for the item to run its course (KEPT).
    _refused(
        lambda: move(case, "follow_up", cast.coordinator),
        "1 agreement item is still pending or in progress.",
    )
    agreement_item_set_status(
        actor=cast.coordinator, item=item, status="completed", on=timezone.localdate()
    )
    case = move(case, "follow_up", cast.coordinator)
    assert case.stage == "follow_up"


def test_entering_follow_up_plans_check_ins_and_closing_waits_for_them(cast):
    case = _in_process(cast)
    _held(cast, case)
    case = move(case, "follow_up", cast.coordinator)
    # The programme's offsets (14 and 91 days) for both key participants, each a task.
    check_ins = list(CheckIn.objects.filter(participant__case=case))
    assert len(check_ins) == 4
    assert Task.objects.filter(case=case, kind=TaskKind.FOLLOW_UP_DUE, done_at=None).count() == 4
    with pytest.raises(GateRefused) as refusal:
        case_close(
            actor=cast.coordinator, case=case, reason=ClosureReason.COMPLETED_WITHOUT_AGREEMENT
        )
    assert "Or say in the note why follow-up cannot be completed." in refusal.value.reasons
    # A completed case cannot claim an agreement it never had.
    with pytest.raises(GateRefused) as refusal:
        case_close(
            actor=cast.coordinator,
            case=case,
            reason=ClosureReason.COMPLETED_WITH_AGREEMENT,
            note="Moved away",
        )
    assert "No agreement has been drafted yet." in refusal.value.reasons
    for check_in in check_ins:
        check_in_record(
            actor=cast.facilitator,
            check_in=check_in,
            outcome="reached",
            occurred_on=timezone.localdate(),
        )
    case = case_close(
        actor=cast.coordinator, case=case, reason=ClosureReason.COMPLETED_WITHOUT_AGREEMENT
    )
    assert case.stage == "closed"


def test_a_completed_case_may_close_before_follow_up_ends_when_the_note_says_why(cast):
    case = _in_process(cast)
    _held(cast, case)
    case = move(case, "follow_up", cast.coordinator)
    assert Task.objects.filter(case=case, done_at=None).exists()
    case = case_close(
        actor=cast.coordinator,
        case=case,
        reason=ClosureReason.COMPLETED_WITHOUT_AGREEMENT,
        note="Both moved out of the area; no way to reach them.",
    )
    assert case.closure_note == "Both moved out of the area; no way to reach them."
    # The check-ins nobody can make any more do not linger as open tasks.
    assert not Task.objects.filter(case=case, done_at=None).exists()
    assert StageChange.objects.filter(case=case, to_stage="closed").exists()


def test_other_reasons_still_close_a_case_from_any_stage(cast):
    case = _in_process(cast)
    case = case_close(actor=cast.coordinator, case=case, reason=ClosureReason.WITHDRAWN_BY_HARMED)
    assert case.stage == "closed"
