"""`manage.py sweep_tasks`: the daily sweep for assessments and consent about to run out,
for facilitators' standing about to lapse (`facilitators.services.alerts`), for agreement
items not kept (`agreements.services.compliance`) and for support partners who have not
answered (`support.services.reminders`).

Run it once a day from the scheduler (DESIGN §5; docs/operations.md), for example this
crontab entry, shortly after midnight in the programme's time zone:

    15 0 * * *  cd /srv/amends && .venv/bin/python manage.py sweep_tasks

It is idempotent, so a missed or repeated run does no harm: each task is made once.
`--enqueue` hands the sweep to the background worker instead of running it here.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from amends.agreements.jobs import sweep_agreements
from amends.agreements.services.compliance import agreement_compliance_sweep
from amends.facilitators.jobs import sweep_facilitator_compliance
from amends.facilitators.services import compliance_alerts_sync
from amends.support.jobs import support_reminders_sweep, sweep_support_reminders
from amends.tasks.jobs import expiring_sweep, sweep_expiring


class Command(BaseCommand):
    help = (
        "Make tasks for assessments and consent that run out within 14 days, alerts 30, 14 "
        "and 0 days before a facilitator's standing lapses, reminders for agreement items "
        "not kept and for support partners who have not answered (run daily from cron; "
        "idempotent)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the sweep for the background worker instead of running it now.",
        )
        parser.add_argument(
            "--date",
            help="Sweep as if today were this date (YYYY-MM-DD), e.g. to catch up a missed day.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            if options["date"]:
                raise CommandError("--date cannot be combined with --enqueue.")
            result = sweep_expiring.enqueue()
            self.stdout.write(f"Sweep queued as {result.id}.")
            result = sweep_facilitator_compliance.enqueue()
            self.stdout.write(f"Facilitator compliance sweep queued as {result.id}.")
            result = sweep_agreements.enqueue()
            self.stdout.write(f"Agreement sweep queued as {result.id}.")
            result = sweep_support_reminders.enqueue()
            self.stdout.write(f"Support reminder sweep queued as {result.id}.")
            return
        today = self._date(options["date"]) if options["date"] else timezone.localdate()
        report = expiring_sweep(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Sweep for {today.isoformat()}: {len(report.created)} tasks created, "
                f"{len(report.no_longer_needed)} no longer needed."
            )
        )
        alerts = compliance_alerts_sync(today=today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Facilitator compliance for {today.isoformat()}: {len(alerts.created)} alerts "
                f"made, {len(alerts.emailed)} facilitators e-mailed, "
                f"{alerts.no_longer_needed} alerts no longer needed."
            )
        )
        agreements = agreement_compliance_sweep(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Agreements for {today.isoformat()}: {len(agreements.reminders)} reminders, "
                f"{len(agreements.reviews)} review meetings due."
            )
        )
        reminders = support_reminders_sweep(today)
        self.stdout.write(
            self.style.SUCCESS(
                f"Support referrals for {today.isoformat()}: {len(reminders)} reminders."
            )
        )

    @staticmethod
    def _date(value: str) -> datetime.date:
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            raise CommandError(f"{value!r} is not a date in the form YYYY-MM-DD.") from None
