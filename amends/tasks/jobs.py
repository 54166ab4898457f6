"""Background work for tasks: the daily sweep for assessments and consent running out."""

from __future__ import annotations

import datetime

from django.tasks import task
from django.utils import timezone

from amends.tasks import selectors, services


def expiring_sweep(today: datetime.date) -> services.SweepReport:
    """Make a task for every assessment and every given consent of an open case that runs
    out within 14 days (or already has), assigned to the case's coordinator; complete
    the system's earlier such tasks that are no longer needed. Idempotent: running it
    twice on a day, or every day, makes each task once."""
    return services.expiring_tasks_sync(wanted=selectors.expiring_work(today))


@task()
def sweep_expiring() -> dict[str, int]:
    """The daily sweep as a background job (queued by `manage.py sweep_tasks --enqueue`)."""
    report = expiring_sweep(timezone.localdate())
    return {"created": len(report.created), "no_longer_needed": len(report.no_longer_needed)}
