"""manage.py rotate_encryption_keys: re-encrypt every encrypted value under the first key."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.crypto.rotation import RotationError, rotate_all


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted value under the first key in ENCRYPTION_KEYS. "
        "Put the new key first, run this, then drop the old keys."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Count the values that would be re-encrypted; change nothing.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            counts = rotate_all(self.stdout, dry_run=options["dry_run"])
        except RotationError as error:
            raise CommandError(str(error)) from error
        total = sum(counts.values())
        if not options["dry_run"]:
            # The rotation itself is audited (who ran it is the operator at the shell:
            # the system); never any value, only how many were re-encrypted where.
            audit_record(
                actor=None, action=Action.KEYS_ROTATED, data={"values": total, "columns": counts}
            )
        verb = "would be re-encrypted" if options["dry_run"] else "re-encrypted"
        self.stdout.write(self.style.SUCCESS(f"{total} values {verb} in {len(counts)} columns."))
