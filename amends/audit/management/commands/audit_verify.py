"""`manage.py audit_verify`: recompute the audit log's hash chain and say where it breaks."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.audit.actions import Action
from amends.audit.chain import ChainBreak, verify_chain
from amends.audit.services import audit_record


def _describe(broken: ChainBreak) -> str:
    return (
        f"Audit chain broken at event {broken.event_id} "
        f"({broken.occurred_at.isoformat()}, {broken.action}): {broken.explanation}."
    )


class Command(BaseCommand):
    help = (
        "Check that no audit event has been changed or removed: recompute every hash in "
        "order. Exits with status 1 at the first broken link."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--quiet", action="store_true", help="Print nothing when the chain is intact."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = verify_chain()
        if report.broken is not None:
            raise CommandError(_describe(report.broken), returncode=1)
        # The check itself goes into the log, as the system, after it succeeded.
        audit_record(actor=None, action=Action.AUDIT_VERIFIED, data={"events": report.events})
        if not options["quiet"]:
            events = f"{report.events} event{'' if report.events == 1 else 's'}"
            self.stdout.write(f"Audit chain intact: {events}, last hash {report.last_hash}.")
