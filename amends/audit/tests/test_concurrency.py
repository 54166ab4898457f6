"""Writers in parallel take turns on the chain instead of forking it."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections, transaction
from django.db.backends.sqlite3.base import DatabaseWrapper as SQLiteDatabaseWrapper

from amends.audit.actions import Action
from amends.audit.chain import verify_chain
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record

WRITERS = 4
EVENTS_PER_WRITER = 15


def _write_events(writer: int, start: threading.Barrier, failures: list[BaseException]) -> None:
    try:
        start.wait()
        for n in range(EVENTS_PER_WRITER):
            # Each event in its own transaction, with a read of other data first, as a
            # service would: the chain's lock must hold across the whole transaction.
            with transaction.atomic():
                AuditEvent.objects.exists()
                audit_record(actor=None, action=Action.KEYS_ROTATED, data={"w": writer, "n": n})
    except BaseException as error:  # reported to the test thread, which asserts on it
        failures.append(error)
    finally:
        connection.close()


@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_keep_a_single_unbroken_chain() -> None:
    database = connections["default"]
    if isinstance(database, SQLiteDatabaseWrapper) and database.is_in_memory_db():
        pytest.skip(
            "SQLite's shared-cache in-memory test database answers 'table is locked' at once "
            "instead of waiting for the writer ahead (busy_timeout does not apply there); "
            "with a file database, as in production, this test runs and passes."
        )
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []
    threads = [
        threading.Thread(target=_write_events, args=(writer, start, failures))
        for writer in range(WRITERS)
    ]

    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert not failures, failures
    report = verify_chain()
    assert report.intact, report.broken
    assert report.events == WRITERS * EVENTS_PER_WRITER
    previous_hashes = list(AuditEvent.objects.values_list("previous_hash", flat=True))
    assert len(set(previous_hashes)) == len(previous_hashes), "two events share a parent"
