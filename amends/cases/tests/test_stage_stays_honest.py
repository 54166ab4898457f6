"""A case's stage stays honest after it is reached: changing the facts a gate rests on
steps the case back (G3, G5, G7, G8), and the loopholes a review found stay closed."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.assessments.services import assessment_record, sign_off_record
from amends.cases.models import Case, ParticipantRole, StageChange
from amends.cases.services import (
    case_pause,
    case_update_plan,
    contact_record,
    participant_add,
    participant_add_new_person,
)
from amends.cases.tests.builders import (
    build_case,
    drive_to_ready,
    make_person,
    move,
    participant,
    quiet_answers,
)
from amends.consent.services import consent_withdraw
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.facilitators.services import conflict_declare
from amends.safety.services import safety_plan_save

pytestmark = pytest.mark.django_db


def _ready(cast, categories=("violence",)) -> Case:
    return drive_to_ready(
        build_case(cast.programme, categories=categories, coordinator=cast.coordinator),
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
    )


def _last_change(case: Case) -> StageChange:
    return StageChange.objects.filter(case=case).latest("pk")


@pytest.mark.gate("G3")
def test_choosing_another_process_at_ready_steps_the_case_back_to_preparation(cast):
    case = _ready(cast)
    case_update_plan(
        actor=cast.facilitator,
        case=case,
        process_type="meeting",
        next_action="Plan",
        next_action_due=case.next_action_due,
    )
    case.refresh_from_db()
    assert case.stage == "preparation"
    change = _last_change(case)
    assert (change.from_stage, change.reason, change.actor) == (
        "ready",
        "gates_no_longer_met",
        None,
    )
    assert "G3" in change.note


@pytest.mark.gate("G3")
def test_a_new_participant_at_ready_steps_the_case_back(cast):
    case = _ready(cast)
    participant_add(actor=cast.coordinator, case=case, person=make_person("Sid"), role="supporter")
    case.refresh_from_db()
    assert case.stage == "preparation"


@pytest.mark.gate("G7")
def test_emptying_the_safety_plan_of_a_sensitive_ready_case_steps_it_back(cast):
    case = _ready(cast, categories=("domestic-abuse",))
    safety_plan_save(actor=cast.facilitator, case=case, measures=[])
    case.refresh_from_db()
    assert case.stage == "preparation"


@pytest.mark.gate("G5")
def test_a_high_risk_reassessment_in_preparation_steps_back_to_assessment_for_sign_off(cast):
    case = move(_ready(cast), "preparation", cast.coordinator)
    assessment_record(
        actor=cast.facilitator,
        participant=participant(case, ParticipantRole.HARMED),
        answers=quiet_answers(cast.programme, 3),
        assessed_on=timezone.localdate(),
    )
    case.refresh_from_db()
    assert case.stage == "assessment"


@pytest.mark.gate("G5")
def test_a_fresh_lower_assessment_needs_a_supervisor_who_is_not_on_the_case(cast):
    case = move(
        build_case(cast.programme, coordinator=cast.coordinator), "screening", cast.coordinator
    )
    harmed = participant(case, ParticipantRole.HARMED)
    assessment_record(
        actor=cast.coordinator,
        participant=harmed,
        answers=quiet_answers(cast.programme, 3),
        assessed_on=timezone.localdate(),
    )
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        assessment_record(
            actor=cast.coordinator,
            participant=harmed,
            answers=quiet_answers(cast.programme, 0),
            assessed_on=timezone.localdate(),
        )
    assert domain_snapshot() == before
    assert (
        assessment_record(
            actor=cast.supervisor,
            participant=harmed,
            answers=quiet_answers(cast.programme, 0),
            assessed_on=timezone.localdate(),
        ).risk_level
        == "low"
    )


@pytest.mark.gate("G4")
def test_an_assessment_dated_before_the_newest_one_is_refused(cast):
    case = build_case(cast.programme, coordinator=cast.coordinator)
    harmed = participant(case, ParticipantRole.HARMED)
    assessment_record(
        actor=cast.coordinator,
        participant=harmed,
        answers=quiet_answers(cast.programme),
        assessed_on=timezone.localdate(),
    )
    with pytest.raises(ApplicationError) as refusal:
        assessment_record(
            actor=cast.coordinator,
            participant=harmed,
            answers=quiet_answers(cast.programme, 3),
            assessed_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert "date this one on or after it" in refusal.value.reasons[0]


@pytest.mark.gate("G5")
def test_a_supervisor_cannot_sign_off_assessments_they_made(cast):
    case = build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator)
    for role in ("harmed", "responsible"):
        assessment_record(
            actor=cast.supervisor,
            participant=participant(case, role),
            answers=quiet_answers(cast.programme),
            assessed_on=timezone.localdate(),
        )
    with pytest.raises(ApplicationError) as refusal:
        sign_off_record(actor=cast.supervisor, case=case)
    assert "You made one of these assessments" in refusal.value.reasons[0]


@pytest.mark.gate("G9")
def test_no_face_to_face_contact_after_a_withdrawal(cast):
    case = cast.case
    harmed = participant(case, ParticipantRole.HARMED)
    consent_withdraw(actor=cast.facilitator, participant=harmed, scope="data")
    for method in ("in_person", "video"):
        with pytest.raises(ApplicationError) as refusal:
            contact_record(
                actor=cast.facilitator,
                participant=harmed,
                method=method,
                outcome="reached",
                occurred_at=timezone.now(),
            )
        assert "has withdrawn" in refusal.value.reasons[0]


def test_a_safety_pause_works_even_if_the_case_moved_meanwhile(cast):
    case = cast.case
    move(case, "assessment", cast.coordinator)
    paused = case_pause(
        actor=cast.facilitator, case=case, reason="safety_concern", expected_stage="contact"
    )
    assert (paused.stage, paused.paused_from) == ("paused", "assessment")


def test_a_guardian_only_for_someone_under_18(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    with pytest.raises(ApplicationError) as refusal:
        participant_add_new_person(
            actor=cast.coordinator,
            case=cast.case,
            role="guardian",
            guardian_for=harmed,
            person_fields={"given_name": "Gail"},
        )
    assert "only be added for someone under 18" in refusal.value.reasons[0]


def test_work_dated_long_before_the_case_is_refused(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    with pytest.raises(ApplicationError) as refusal:
        contact_record(
            actor=cast.facilitator,
            participant=harmed,
            method="in_person",
            outcome="reached",
            occurred_at=timezone.now() - datetime.timedelta(days=3650),
        )
    assert "long before the case began" in refusal.value.reasons[0]


@pytest.mark.gate("G6")
def test_only_facilitators_declare_conflicts(cast):
    with pytest.raises(PermissionRefused):
        conflict_declare(
            actor=cast.coordinator,
            facilitator=cast.coordinator,
            person=participant(cast.case, ParticipantRole.HARMED).person,
        )


@pytest.mark.gate("G6")
def test_a_conflict_declared_by_the_facilitator_of_a_ready_case_steps_it_back(cast):
    case = _ready(cast)
    conflict_declare(
        actor=cast.facilitator,
        facilitator=cast.facilitator,
        person=participant(case, ParticipantRole.HARMED).person,
    )
    case.refresh_from_db()
    # preparation needs a facilitator without conflicts too, so back to assessment
    assert case.stage == "assessment"
    assert "G6" in _last_change(case).note
