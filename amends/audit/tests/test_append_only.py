"""The audit table can be added to, never changed or emptied, by any route."""

from __future__ import annotations

import sqlite3

import pytest
from django.db import DatabaseError, connection, transaction

from amends.audit.actions import Action
from amends.audit.models import AppendOnlyError, AuditEvent
from amends.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_database_refuses_to_update_an_event_through_raw_sql() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_auditevent SET reason = %s WHERE id = %s", ["forged", event.pk]
        )

    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_database_refuses_to_delete_an_event_through_raw_sql() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_database_refuses_to_empty_the_table_outside_a_flush() -> None:
    audit_record(actor=None, action=Action.KEYS_ROTATED)

    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")

    assert AuditEvent.objects.exists()


def test_saving_an_existing_event_again_is_refused() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)
    event.reason = "rewritten"

    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.save(update_fields=["reason"])

    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_deleting_an_event_through_the_orm_is_refused() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    with pytest.raises(AppendOnlyError):
        event.delete()
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).delete()

    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_and_bulk_create_are_refused() -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="rewritten")
    with pytest.raises(AppendOnlyError):
        AuditEvent.objects.bulk_create([AuditEvent(action=Action.KEYS_ROTATED)])

    assert AuditEvent.objects.count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite connection opened by hand")
def test_sqlite_connection_opened_outside_django_cannot_delete_events() -> None:
    # given an event committed to the test database
    audit_record(actor=None, action=Action.KEYS_ROTATED)
    name = str(connection.settings_dict["NAME"])
    outsider = sqlite3.connect(name, uri=name.startswith("file:"))

    # when a program without Amends' SQL function tries to delete it, then it is refused
    try:
        with pytest.raises(sqlite3.OperationalError, match="no such function"):
            outsider.execute("DELETE FROM audit_auditevent")
    finally:
        outsider.close()
    assert AuditEvent.objects.count() == 1
