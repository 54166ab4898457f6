"""Two clocks making the same task, or two people marking it done, at the same moment:
one task, one completion, on SQLite and PostgreSQL alike (G13)."""

from __future__ import annotations

import datetime

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.testing.concurrency import run_together
from amends.tasks.models import Task
from amends.tasks.services import task_complete, task_create

DUE = datetime.date(2026, 3, 9)


@pytest.mark.gate("G13")
@pytest.mark.django_db(transaction=True)
def test_two_clocks_making_the_same_task_at_once_make_one(cast):
    def make():
        return task_create(
            actor=None, programme=cast.programme, title="Call", due_on=DUE, key="case:1:call"
        )

    outcomes = run_together(make, make, make)

    assert all(isinstance(outcome, Task) for outcome in outcomes), outcomes
    assert len({outcome.pk for outcome in outcomes}) == 1
    assert Task.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.TASK_CREATED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_people_marking_a_task_done_at_once_complete_it_once(cast):
    task = task_create(
        actor=None, programme=cast.programme, title="Call", due_on=DUE, assignee=cast.facilitator
    )

    outcomes = run_together(
        lambda: task_complete(actor=cast.facilitator, task=task),
        lambda: task_complete(actor=cast.coordinator, task=task),
    )

    assert all(isinstance(outcome, Task) for outcome in outcomes), outcomes
    assert len({outcome.done_at for outcome in outcomes}) == 1
    assert AuditEvent.objects.filter(action=Action.TASK_COMPLETED).count() == 1
