"""Recording how a check-in went, and that follow-up with someone is not possible."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.services import case_close
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.followups.models import CheckIn, CheckInStatus
from amends.followups.services import check_in_record, follow_up_not_possible
from amends.followups.tests.helpers import check_ins_of, stored_text
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _first(harmed) -> CheckIn:
    return check_ins_of(harmed)[0]


def _record(actor, check_in, **overrides):
    values: dict[str, Any] = {
        "outcome": "reached",
        "occurred_on": TODAY(),
        "notes": "Hana is sleeping better and wants to hear about the repairs.",
        "wellbeing": 4,
    }
    values.update(overrides)
    return check_in_record(actor=actor, check_in=check_in, **values)


def test_a_call_is_recorded_with_its_notes_encrypted_and_its_task_done(cast, harmed, planned):
    check_in = _record(cast.facilitator, _first(harmed))
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.REACHED
    assert check_in.wellbeing == 4
    assert check_in.recorded_by == cast.facilitator
    assert check_in.notes.startswith("Hana is sleeping")
    assert "sleeping" not in stored_text(CheckIn, check_in.pk, "notes")
    task = Task.objects.get(key=f"check_in:{check_in.pk}")
    assert task.done_at is not None
    event = AuditEvent.objects.get(action="follow_up.check_in_recorded")
    assert event.data["fields"] == ["notes", "wellbeing"]
    assert "sleeping" not in str(event.data)
    assert "4" not in str(event.data.get("wellbeing", ""))


def test_further_support_needed_suggests_a_support_referral(cast, harmed, planned):
    check_in = _record(cast.coordinator, _first(harmed), further_support_needed=True)
    suggestion = Task.objects.get(kind=TaskKind.SUPPORT_REFERRAL_DUE, participant=harmed)
    assert suggestion.key == f"check_in:{check_in.pk}:support"
    assert suggestion.assignee == cast.facilitator
    assert suggestion.due_on > TODAY()
    assert "support referral" in suggestion.title


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"outcome": "chatted"}, "Choose how the check-in went."),
        ({"outcome": "not_possible"}, "Choose how the check-in went."),
        (
            {"occurred_on": TODAY() + datetime.timedelta(days=1)},
            "The date of the call cannot be in the future.",
        ),
        ({"occurred_on": None}, "Give the date of the call."),
        ({"wellbeing": 0}, "Wellbeing must be a whole number from 1 to 5."),
        ({"wellbeing": 6}, "Wellbeing must be a whole number from 1 to 5."),
        ({"wellbeing": "5"}, "Wellbeing must be a whole number from 1 to 5."),
        (
            {"outcome": "not_reached", "wellbeing": 3},
            "Wellbeing and the need for further support are recorded only after speaking "
            "with the person.",
        ),
        (
            {"outcome": "declined", "wellbeing": None, "further_support_needed": True},
            "Wellbeing and the need for further support are recorded only after speaking "
            "with the person.",
        ),
        ({"notes": "x" * 5001}, "Keep the notes to 5000 characters or fewer."),
    ],
    ids=[
        "outcome",
        "not-possible-is-its-own-service",
        "future",
        "no-date",
        "wellbeing-0",
        "wellbeing-6",
        "wellbeing-text",
        "wellbeing-not-reached",
        "support-declined",
        "long-notes",
    ],
)
def test_bad_input_is_refused_with_a_reason_and_changes_nothing(
    cast, harmed, planned, overrides, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _record(cast.coordinator, _first(harmed), **overrides)
    assert refusal.value.message == "The check-in was not recorded."
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


def test_a_call_dated_before_the_case_began_is_refused(cast, harmed, planned):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _record(cast.coordinator, _first(harmed), occurred_on=TODAY() - datetime.timedelta(days=2))
    assert refusal.value.reasons == ["The date of the call cannot be before the case began."]
    assert domain_snapshot() == before


def test_a_check_in_is_recorded_once(cast, harmed, planned):
    _record(cast.coordinator, _first(harmed))
    before = domain_snapshot()
    with pytest.raises(ConflictError) as refusal:
        _record(cast.facilitator, _first(harmed), outcome="declined", wellbeing=None)
    assert refusal.value.message == "This check-in is already recorded."
    assert domain_snapshot() == before


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "other_supervisor"])
def test_only_the_people_working_on_the_case_record_check_ins(cast, harmed, planned, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        _record(cast.users[name], _first(harmed))
    assert domain_snapshot() == before


def test_nothing_is_recorded_on_a_closed_case(cast, case, harmed, planned):
    case_close(actor=cast.coordinator, case=case, reason="no_contact")
    before = domain_snapshot()
    with pytest.raises(ApplicationError):
        _record(cast.coordinator, _first(harmed))
    assert domain_snapshot() == before


# --- follow-up not possible ----------------------------------------------------------------
def test_not_possible_closes_the_persons_open_check_ins_with_the_reason(cast, harmed, planned):
    _record(cast.coordinator, _first(harmed))
    closed = follow_up_not_possible(
        actor=cast.facilitator, participant=harmed, reason="Moved abroad, no new address."
    )
    assert len(closed) == 1
    first, second = check_ins_of(harmed)
    assert first.status == CheckInStatus.REACHED
    assert second.status == CheckInStatus.NOT_POSSIBLE
    assert second.notes == "Moved abroad, no new address."
    assert "abroad" not in stored_text(CheckIn, second.pk, "notes")
    assert Task.objects.get(key=f"check_in:{second.pk}").done_at is not None
    event = AuditEvent.objects.get(action="follow_up.not_possible")
    assert "abroad" not in str(event.data)


@pytest.mark.parametrize("reason", ["", "   ", "x" * 2001])
def test_not_possible_needs_a_reason(cast, harmed, planned, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        follow_up_not_possible(actor=cast.coordinator, participant=harmed, reason=reason)
    assert refusal.value.reasons == [
        "Say why follow-up is not possible, in 2000 characters or fewer."
    ]
    assert domain_snapshot() == before


def test_not_possible_without_a_plan_or_twice_is_refused(cast, harmed, responsible):
    with pytest.raises(ApplicationError) as refusal:
        follow_up_not_possible(actor=cast.coordinator, participant=harmed, reason="Gone")
    assert refusal.value.reasons == ["No follow-up check-in is planned with this person."]
    from amends.followups.services import follow_up_plan

    follow_up_plan(actor=None, case=harmed.case)
    follow_up_not_possible(actor=cast.coordinator, participant=harmed, reason="Gone")
    before = domain_snapshot()
    with pytest.raises(ConflictError):
        follow_up_not_possible(actor=cast.coordinator, participant=harmed, reason="Gone")
    assert domain_snapshot() == before


def test_an_advocate_cannot_record_not_possible(cast, harmed, planned):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        follow_up_not_possible(actor=cast.advocate, participant=harmed, reason="Gone")
    assert domain_snapshot() == before
