"""Letting `manage.py flush` empty the audit table on SQLite, and nothing else.

The problem: the audit table refuses DELETE through a trigger (migration 0002). Django's
`flush` command, which the test runner also calls after every transactional test, empties
tables with TRUNCATE on PostgreSQL (row triggers do not fire, so nothing to solve there)
but with DELETE FROM on SQLite, which the trigger refuses.

The solution: SQLite's delete trigger fires only `WHEN NOT amends_audit_flush_allowed()`.
That SQL function is registered by Python on every SQLite connection Django opens and
answers from a context variable that is true only inside `allow_flush()`; our override of
the `flush` command (management/commands/flush.py) is the one place that enters it. So
`flush` means "wipe everything" on both databases, as Django documents it, while every
other DELETE is refused. A connection that did not come from this process (the sqlite3
shell, another program) has no such function, so its DELETE fails with "no such function"
and is refused as well. The flag is a context variable, not a module global, so a flush in
one thread does not open the table to a DELETE running concurrently in another.

Dropping and re-creating the trigger around the flush was the alternative; it needs DDL in
the middle of a data operation and leaves the table unguarded if the process dies between
the two steps.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created

SQL_FUNCTION_NAME = "amends_audit_flush_allowed"

_flush_allowed: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "amends_audit_flush_allowed", default=False
)


@contextmanager
def allow_flush() -> Iterator[None]:
    """Within this block, and only in this thread, SQLite lets the audit table be emptied."""
    token = _flush_allowed.set(True)
    try:
        yield
    finally:
        _flush_allowed.reset(token)


def _flush_allowed_now() -> int:
    return int(_flush_allowed.get())


def register_sql_function(connection: BaseDatabaseWrapper) -> None:
    """Give one open SQLite connection the function the delete trigger asks."""
    if connection.vendor != "sqlite" or connection.connection is None:
        return
    connection.connection.create_function(
        SQL_FUNCTION_NAME, 0, _flush_allowed_now, deterministic=False
    )


def _on_connection_created(sender: Any, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    register_sql_function(connection)


def connect() -> None:
    """Register the function on every future connection and on any already open."""
    connection_created.connect(_on_connection_created, dispatch_uid=SQL_FUNCTION_NAME)
    for connection in connections.all(initialized_only=True):
        register_sql_function(connection)
