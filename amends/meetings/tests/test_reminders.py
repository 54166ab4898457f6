"""Reminders through the real database job queue and the worker command: a meeting moved
twice is reminded once per offset, at its new time, and never twice. The only thing
made up is the clock (the outside world): it is moved forward to when a job falls due."""

from __future__ import annotations

import contextlib
import datetime
from typing import Any
from unittest import mock

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from amends.meetings import jobs
from amends.meetings.models import ReminderSent
from amends.meetings.services import meeting_cancel, meeting_move
from amends.meetings.tests.helpers import at, calendar_of, schedule_joint, schedule_preparation
from amends.tasks.models import Task

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
HOUR = datetime.timedelta(hours=1)
MINUTE = datetime.timedelta(minutes=1)


@contextlib.contextmanager
def clock_at(moment: datetime.datetime):
    """Every reader of django.utils.timezone.now (our code, the queue, the worker) sees
    the clock at `moment`, running on from there."""
    real_now = timezone.now
    offset = moment - real_now()
    with mock.patch("django.utils.timezone.now", side_effect=lambda: real_now() + offset):
        yield


def run_worker() -> list[Any]:
    """Run every job due now, as `manage.py db_worker` does; return the mail it sent."""
    mail.outbox.clear()
    call_command("db_worker", "--batch", "--no-startup-delay", verbosity=0)
    return list(mail.outbox)


def _reminder_jobs() -> int:
    return DBTaskResult.objects.filter(task_path__endswith="send_meeting_reminder").count()


@pytest.mark.django_db(transaction=True)
def test_a_meeting_moved_twice_is_reminded_once_per_offset_at_its_new_time(
    cast, case, harmed, responsible
):
    first, second, final = at(3, 14), at(4, 14), at(5, 14)
    with override_settings(TASKS=DATABASE_QUEUE):
        # given a meeting scheduled and moved twice (reminders at 48 and 2 hours)
        meeting = schedule_joint(cast, case, harmed, responsible, days=3)
        meeting_move(
            actor=cast.facilitator, meeting=meeting, starts_at=second, ends_at=second + 2 * HOUR
        )
        meeting_move(
            actor=cast.coordinator, meeting=meeting, starts_at=final, ends_at=final + 2 * HOUR
        )
        assert _reminder_jobs() == 6
        # the worker sends only the latest version of the invitation
        sent = run_worker()
        assert len(sent) == 3
        assert {calendar_of(m).walk("VEVENT")[0]["SEQUENCE"] for m in sent} == {2}
        # when the first time's 48-hour reminder falls due, nothing goes out
        with clock_at(first - 48 * HOUR + MINUTE):
            assert run_worker() == []
        # at the final time's 48-hour mark, one reminder to each invitee
        with clock_at(final - 48 * HOUR + MINUTE):
            sent = run_worker()
        assert sorted(m.to[0] for m in sent) == [
            "facilitator@example.org",
            "hana.harmed@example.net",
            "ray.responsible@example.net",
        ]
        assert all("in about 48 hours" in m.body for m in sent)
        # at the 2-hour mark, the second reminder, once, whatever else falls due then
        with clock_at(final - 2 * HOUR + MINUTE):
            sent = run_worker()
            assert len(sent) == 3
            assert all("in about 2 hours" in m.body for m in sent)
            assert run_worker() == []
        # after the end with no record, one task to record it
        with clock_at(final + 2 * HOUR + MINUTE):
            run_worker()
    assert list(ReminderSent.objects.values_list("offset_hours", "starts_at").order_by("id")) == [
        (48, final),
        (2, final),
    ]
    assert Task.objects.filter(kind="meeting_record_due", case=case).count() == 1
    assert not DBTaskResult.objects.exclude(status="SUCCESSFUL").exists()


@pytest.mark.django_db(transaction=True)
def test_a_cancelled_meeting_is_not_reminded(cast, case, harmed):
    starts = at(3, 10)
    with override_settings(TASKS=DATABASE_QUEUE):
        meeting = schedule_preparation(cast, case, harmed, starts_at=starts, ends_at=starts + HOUR)
        meeting_cancel(actor=cast.facilitator, meeting=meeting)
        sent = run_worker()
        assert {calendar_of(m)["METHOD"] for m in sent} == {"CANCEL"}
        with clock_at(starts - 2 * HOUR + MINUTE):
            assert run_worker() == []
    assert not ReminderSent.objects.exists()
    assert not Task.objects.filter(kind="meeting_record_due").exists()


@pytest.mark.django_db
def test_two_jobs_for_the_same_reminder_send_it_once(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed, days=3)
    call = jobs.send_meeting_reminder.call
    first = call(meeting_id=meeting.pk, offset_hours=2, starts_at=meeting.starts_at.isoformat())
    second = call(meeting_id=meeting.pk, offset_hours=2, starts_at=meeting.starts_at.isoformat())
    assert (first, second) == (2, 0)
    assert ReminderSent.objects.count() == 1


@pytest.mark.django_db
def test_no_reminder_goes_out_while_the_case_is_paused(cast, case, harmed):
    from amends.cases.services import case_pause

    meeting = schedule_preparation(cast, case, harmed, days=3)
    case_pause(actor=cast.coordinator, case=case, reason="safety_concern")
    sent = jobs.send_meeting_reminder.call(
        meeting_id=meeting.pk, offset_hours=2, starts_at=meeting.starts_at.isoformat()
    )
    assert sent == 0
    assert not ReminderSent.objects.exists()


@pytest.mark.django_db
def test_a_backend_that_cannot_defer_plans_nothing_for_later(cast, case, harmed):
    meeting = schedule_preparation(cast, case, harmed, days=3)
    queued = jobs.plan_later_jobs(
        meeting_id=meeting.pk,
        starts_at=meeting.starts_at,
        ends_at=meeting.ends_at,
        offsets_hours=[48, 2],
    )
    assert queued == 0
