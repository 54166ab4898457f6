"""Creating and completing tasks: validation, idempotency, permissions, audit."""

from __future__ import annotations

import datetime

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import task_complete, task_create, tasks_complete_by_key

DUE = datetime.date(2026, 3, 9)


def _create(cast, **overrides):
    arguments = {
        "actor": cast.coordinator,
        "programme": cast.programme,
        "title": "Ring the person harmed back",
        "due_on": DUE,
    }
    arguments.update(overrides)
    return task_create(**arguments)


def test_a_coordinator_creates_a_task_that_is_audited_without_its_title(cast, build):
    # given
    case = build.case()
    # when
    task = _create(cast, case=case, assignee=cast.facilitator, kind=TaskKind.OTHER)
    # then
    assert task.title == "Ring the person harmed back"
    assert task.case == case
    assert task.assignee == cast.facilitator
    assert task.done_at is None
    event = AuditEvent.objects.get(action=Action.TASK_CREATED)
    assert event.target_id == str(task.pk)
    assert event.programme_id == cast.programme.pk
    assert event.data["assignee"] == cast.facilitator.pk
    assert "Ring" not in str(event.data)


def test_the_title_is_trimmed(cast):
    assert _create(cast, title="  Book a room  ").title == "Book a room"


def test_a_participant_brings_their_case(cast, build):
    case = build.case()
    participant = build.participant(case)
    task = _create(cast, participant=participant)
    assert task.case == case
    assert task.participant == participant


def test_creating_with_the_same_key_returns_the_open_task(cast, build):
    # given
    case = build.case()
    first = _create(cast, case=case, key=f"case:{case.pk}:call")
    # when
    second = _create(cast, case=case, key=f"case:{case.pk}:call", title="Another title")
    # then
    assert second.pk == first.pk
    assert Task.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.TASK_CREATED).count() == 1


def test_a_done_task_does_not_stop_a_new_one_with_the_same_key(cast, build):
    case = build.case()
    first = _create(cast, case=case, key="reminder")
    task_complete(actor=cast.coordinator, task=first)
    second = _create(cast, case=case, key="reminder")
    assert second.pk != first.pk


def test_tasks_without_a_key_are_never_merged(cast):
    _create(cast)
    _create(cast)
    assert Task.objects.count() == 2


def test_the_system_may_create_tasks(cast):
    task = _create(cast, actor=None)
    event = AuditEvent.objects.get(action=Action.TASK_CREATED)
    assert event.actor_id is None
    assert event.target_id == str(task.pk)


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"title": "   "}, "Say what needs doing."),
        ({"title": "x" * 201}, "200 characters or fewer"),
        ({"due_on": None}, "Give the date by which it must be done."),
        ({"due_on": datetime.datetime(2026, 3, 9, 9, 0, tzinfo=datetime.UTC)}, "Give the date"),
        ({"kind": "nonsense"}, "Choose one of the kinds of task offered."),
    ],
)
def test_bad_input_is_refused_with_a_reason_and_creates_nothing(cast, overrides, reason):
    with pytest.raises(ApplicationError) as refusal:
        _create(cast, **overrides)
    assert any(reason in text for text in refusal.value.reasons)
    assert not Task.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.TASK_CREATED).exists()


def test_the_assignee_must_be_a_member_of_the_programme(cast):
    with pytest.raises(ApplicationError) as refusal:
        _create(cast, assignee=cast.other_supervisor)
    assert "holds no role in this programme" in refusal.value.reasons[0]
    assert not Task.objects.exists()


def test_an_inactive_member_cannot_be_given_a_task(cast):
    cast.facilitator.is_active = False
    cast.facilitator.save(update_fields=["is_active"])
    with pytest.raises(ApplicationError):
        _create(cast, assignee=cast.facilitator)
    assert not Task.objects.exists()


def test_a_case_from_another_programme_is_refused(cast, build):
    case = build.case(programme=cast.other_programme, coordinator=None)
    with pytest.raises(ApplicationError) as refusal:
        _create(cast, case=case)
    assert refusal.value.reasons == ["The case belongs to another programme."]
    assert not Task.objects.exists()


def test_a_participant_of_another_case_is_refused(cast, build):
    case, other = build.case(), build.case()
    with pytest.raises(ApplicationError) as refusal:
        _create(cast, case=case, participant=build.participant(other))
    assert refusal.value.reasons == ["That person is not part of this case."]
    assert not Task.objects.exists()


def test_someone_outside_the_programme_cannot_create_tasks_in_it(cast):
    with pytest.raises(PermissionRefused):
        _create(cast, actor=cast.other_supervisor)
    assert not Task.objects.exists()


def test_an_overlong_key_is_a_programming_error(cast):
    with pytest.raises(ValueError, match="80 characters"):
        _create(cast, key="k" * 81)


# --- completing -----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["facilitator", "coordinator", "supervisor"])
def test_the_assignee_and_the_programme_coordinators_and_supervisors_complete_a_task(
    cast, build, who
):
    # given
    task = build.task(due_on=DUE, case=build.case(), assignee=cast.facilitator)
    # when
    done = task_complete(actor=cast.users[who], task=task)
    # then
    task.refresh_from_db()
    assert task.done_at is not None
    assert task.done_by == cast.users[who]
    assert done.done_at == task.done_at
    event = AuditEvent.objects.get(action=Action.TASK_COMPLETED)
    assert event.actor_id == cast.users[who].pk
    assert event.data["automatic"] is False


@pytest.mark.parametrize(
    "who", ["administrator", "advocate", "referrer", "evaluator", "other_supervisor", "no_role"]
)
def test_nobody_else_may_complete_a_task(cast, build, who):
    task = build.task(due_on=DUE, case=build.case(), assignee=cast.facilitator)
    with pytest.raises(PermissionRefused):
        task_complete(actor=cast.users[who], task=task)
    task.refresh_from_db()
    assert task.done_at is None
    assert not AuditEvent.objects.filter(action=Action.TASK_COMPLETED).exists()


def test_an_assigned_facilitator_who_is_not_the_assignee_may_not_complete_it(cast, build):
    case = build.case(facilitators=(cast.facilitator,))
    task = build.task(due_on=DUE, case=case, assignee=None)
    with pytest.raises(PermissionRefused):
        task_complete(actor=cast.facilitator, task=task)
    task.refresh_from_db()
    assert task.done_at is None


def test_an_assignee_whose_role_was_removed_may_no_longer_complete_it(cast, build):
    task = build.task(due_on=DUE, assignee=cast.facilitator)
    cast.facilitator.memberships.all().delete()
    with pytest.raises(PermissionRefused):
        task_complete(actor=cast.facilitator, task=task)


def test_completing_a_done_task_changes_nothing(cast, build):
    # given
    task = build.task(due_on=DUE, assignee=cast.facilitator)
    task_complete(actor=cast.facilitator, task=task)
    task.refresh_from_db()
    first_done_at = task.done_at
    # when
    again = task_complete(actor=cast.coordinator, task=task)
    # then
    assert again.done_at == first_done_at
    assert again.done_by == cast.facilitator
    assert AuditEvent.objects.filter(action=Action.TASK_COMPLETED).count() == 1


def test_completing_by_key_completes_the_open_task_and_says_so(cast, build):
    # given
    case = build.case()
    task = build.task(due_on=DUE, case=case, key=f"case:{case.pk}:information")
    other = build.task(due_on=DUE, case=case, key=f"case:{case.pk}:support")
    # when
    completed = tasks_complete_by_key(actor=cast.facilitator, key=f"case:{case.pk}:information")
    # then
    assert completed == 1
    task.refresh_from_db()
    other.refresh_from_db()
    assert task.done_by == cast.facilitator
    assert other.done_at is None
    event = AuditEvent.objects.get(action=Action.TASK_COMPLETED)
    assert event.data["automatic"] is True


def test_completing_by_a_key_nobody_has_does_nothing(cast):
    assert tasks_complete_by_key(actor=None, key="case:0:information") == 0
    assert not AuditEvent.objects.filter(action=Action.TASK_COMPLETED).exists()


def test_completing_by_an_empty_key_is_refused_so_keyless_tasks_are_safe(cast, build):
    task = build.task(due_on=DUE)
    with pytest.raises(ValueError, match="empty key"):
        tasks_complete_by_key(actor=None, key=" ")
    task.refresh_from_db()
    assert task.done_at is None
