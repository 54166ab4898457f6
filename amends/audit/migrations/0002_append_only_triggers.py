"""Make the audit table append-only in the database itself.

Triggers refuse UPDATE and DELETE whatever code runs: the model's own refusal only stops
Python that goes through the ORM. SQLite's delete trigger has one exception, for
`manage.py flush` (see amends/audit/flush.py); PostgreSQL's flush uses TRUNCATE, which
row triggers do not see.

The SQL is written out here, not imported, so this migration means the same thing forever.
Note for later migrations: when Django alters a SQLite table it rebuilds it, and the
rebuilt table has no triggers. A migration that alters audit_auditevent must run this
migration's SQLite statements again (the append-only tests fail on SQLite until it does).
"""

from __future__ import annotations

from typing import Any

from django.db import migrations

SQLITE_INSTALL = [
    """
    CREATE TRIGGER audit_auditevent_refuse_update
    BEFORE UPDATE ON audit_auditevent
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END
    """,
    """
    CREATE TRIGGER audit_auditevent_refuse_delete
    BEFORE DELETE ON audit_auditevent
    WHEN NOT amends_audit_flush_allowed()
    BEGIN
        SELECT RAISE(ABORT, 'audit events are append-only');
    END
    """,
]
SQLITE_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_refuse_update",
    "DROP TRIGGER IF EXISTS audit_auditevent_refuse_delete",
]

POSTGRESQL_INSTALL = [
    # restrict_violation (SQLSTATE 23001) surfaces as IntegrityError, as SQLite's
    # RAISE(ABORT) does, so both databases fail the same way.
    """
    CREATE FUNCTION audit_auditevent_refuse_change() RETURNS trigger
    LANGUAGE plpgsql AS $$
    BEGIN
        RAISE EXCEPTION 'audit events are append-only'
            USING ERRCODE = 'restrict_violation';
    END;
    $$
    """,
    """
    CREATE TRIGGER audit_auditevent_refuse_change
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION audit_auditevent_refuse_change()
    """,
]
POSTGRESQL_REMOVE = [
    "DROP TRIGGER IF EXISTS audit_auditevent_refuse_change ON audit_auditevent",
    "DROP FUNCTION IF EXISTS audit_auditevent_refuse_change()",
]


def _statements(vendor: str, *, install: bool) -> list[str]:
    if vendor == "sqlite":
        return SQLITE_INSTALL if install else SQLITE_REMOVE
    if vendor == "postgresql":
        return POSTGRESQL_INSTALL if install else POSTGRESQL_REMOVE
    raise RuntimeError(f"No append-only triggers are written for {vendor!r}.")


def install(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=True):
        schema_editor.execute(statement)


def remove(apps: Any, schema_editor: Any) -> None:
    for statement in _statements(schema_editor.connection.vendor, install=False):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]

    operations = [migrations.RunPython(install, remove, elidable=False)]
