"""A reminder when a partner does not answer within the programme's working days (G13)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.accounts.models import Membership
from amends.cases.models import Case
from amends.core.workdays import add_working_days
from amends.programmes.models import ProgrammeSettings
from amends.support.jobs import support_reminders_sweep, sweep_support_reminders
from amends.support.services import support_referral_update
from amends.support.tests.helpers import referred
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import task_complete

# A Monday long enough ago for every window below; the case was opened before it.
SENT = datetime.date(2025, 3, 3)


@pytest.fixture
def waiting(cast, case):
    Case.objects.filter(pk=case.pk).update(
        created_at=datetime.datetime(2025, 3, 1, tzinfo=datetime.UTC)
    )
    case.refresh_from_db()
    return referred(cast, case, sent_on=SENT, actor=cast.facilitator)


def _reply_days(cast):
    return ProgrammeSettings.objects.get(programme=cast.programme).support_reply_days


def _tasks():
    return list(Task.objects.filter(kind=TaskKind.SUPPORT_NO_ANSWER).order_by("id"))


@pytest.mark.gate("G13")
def test_no_answer_within_the_working_days_makes_a_task_for_whoever_referred(cast, waiting):
    days = _reply_days(cast)
    due = add_working_days(SENT, days)
    assert support_reminders_sweep(due - datetime.timedelta(days=1)) == []
    (task,) = support_reminders_sweep(due)
    assert (task.assignee, task.due_on, task.case_id) == (cast.facilitator, due, waiting.case_id)
    assert task.key == f"support:{waiting.pk}:no_answer:1"
    assert "Northshire Victim Counselling" in task.title


@pytest.mark.gate("G13")
def test_the_sweep_makes_each_reminder_once_and_no_second_while_one_is_open(cast, waiting):
    days = _reply_days(cast)
    support_reminders_sweep(add_working_days(SENT, days))
    assert support_reminders_sweep(add_working_days(SENT, days)) == []
    assert support_reminders_sweep(add_working_days(SENT, 2 * days)) == []
    assert len(_tasks()) == 1


@pytest.mark.gate("G13")
def test_a_further_reminder_follows_when_the_first_was_done_and_still_no_answer(cast, waiting):
    days = _reply_days(cast)
    (first,) = support_reminders_sweep(add_working_days(SENT, days))
    task_complete(actor=cast.facilitator, task=first)
    assert support_reminders_sweep(add_working_days(SENT, days + 1)) == []
    (second,) = support_reminders_sweep(add_working_days(SENT, 2 * days))
    assert second.key == f"support:{waiting.pk}:no_answer:2"


def test_an_answer_closes_the_reminder_and_stops_new_ones(cast, waiting):
    days = _reply_days(cast)
    (task,) = support_reminders_sweep(add_working_days(SENT, days))
    support_referral_update(
        actor=cast.coordinator,
        referral=waiting,
        status="declined",
        happened_on=timezone.localdate(),
    )
    task.refresh_from_db()
    assert task.done_at is not None
    assert support_reminders_sweep(add_working_days(SENT, 3 * days)) == []


def test_a_referrer_who_left_the_programme_hands_the_reminder_to_the_coordinator(cast, waiting):
    Membership.objects.filter(user=cast.facilitator, programme=cast.programme).delete()
    (task,) = support_reminders_sweep(add_working_days(SENT, _reply_days(cast)))
    assert task.assignee is None


def test_a_programme_with_no_reply_days_sends_no_reminders(cast, waiting):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(support_reply_days=0)
    assert support_reminders_sweep(add_working_days(SENT, 30)) == []


def test_a_closed_case_gets_no_reminders(cast, waiting):
    Case.objects.filter(pk=waiting.case_id).update(stage="closed", closure_reason="other")
    assert support_reminders_sweep(add_working_days(SENT, 30)) == []


def test_the_sweep_runs_as_a_background_job(cast, case):
    result = sweep_support_reminders.enqueue()
    assert result.return_value == {"created": 0}
