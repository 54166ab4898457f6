"""Helpers for audit tests: forging rows behind the triggers' back, as an attacker with
direct database access would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connection

TABLE = "audit_auditevent"


@contextmanager
def append_only_lifted() -> Iterator[None]:
    """Switch the append-only triggers off for the block, then back on."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"ALTER TABLE {TABLE} DISABLE TRIGGER USER")
            try:
                yield
            finally:
                cursor.execute(f"ALTER TABLE {TABLE} ENABLE TRIGGER USER")
            return
        # SQLite cannot disable a trigger: drop it and re-create it from its own definition.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            [TABLE],
        )
        triggers = cursor.fetchall()
        assert triggers, "the append-only triggers are missing"
        for name, _definition in triggers:
            cursor.execute(f"DROP TRIGGER {name}")
        try:
            yield
        finally:
            for _name, definition in triggers:
                cursor.execute(definition)


def forge(sql: str, params: list[Any]) -> None:
    """Run one statement against the audit table with its guards lifted."""
    with append_only_lifted(), connection.cursor() as cursor:
        cursor.execute(sql, params)
