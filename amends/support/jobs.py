"""Background work for support referrals: the daily reminder when a partner has not
answered. `support_reminders_sweep(today)` is what the daily `sweep_tasks` run calls."""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from amends.support.services import support_no_answer_tasks
from amends.tasks.models import Task


def support_reminders_sweep(today: datetime.date) -> list[Task]:
    """Make a "no answer from the partner" task for each referral waiting longer than
    the programme's `support_reply_days` working days (idempotent)."""
    return support_no_answer_tasks(today=today)


@task()
def sweep_support_reminders() -> dict[str, int]:
    """The reminder sweep as a background job."""
    return {"created": len(support_reminders_sweep(timezone.localdate()))}
