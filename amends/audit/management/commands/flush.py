"""Django's `flush`, able to empty the append-only audit table on SQLite too.

Why this exists is explained in amends/audit/flush.py. The test runner calls `flush` by
name after every transactional test, so this override is what keeps those tests working.
"""

from __future__ import annotations

from typing import Any

from django.core.management.commands import flush

from amends.audit.flush import allow_flush


class Command(flush.Command):
    def handle(self, **options: Any) -> None:
        with allow_flush():
            super().handle(**options)
