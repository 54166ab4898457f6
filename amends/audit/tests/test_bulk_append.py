"""`audit_append_many`: many events at once, chained as `audit_record` chains them."""

from __future__ import annotations

import datetime

import pytest

from amends.audit.actions import Action
from amends.audit.chain import GENESIS_HASH, HASHED_FIELDS, BulkEvent, verify_chain
from amends.audit.models import AuditEvent
from amends.audit.services import audit_append_many, audit_record
from amends.audit.tests.conftest import forge

pytestmark = pytest.mark.django_db

START = datetime.datetime(2020, 1, 1, 9, tzinfo=datetime.UTC)


def _events(count: int, *, offset: int = 0) -> list[BulkEvent]:
    return [
        BulkEvent(
            occurred_at=START + datetime.timedelta(minutes=offset + n),
            actor_id=None,
            actor_label="system",
            action=Action.CASE_VIEWED,
            target_type="cases.case",
            target_id=str(n),
            programme_id=1,
            data={"n": n, "when": START.date(), "ratio": 2.0} if n % 2 else {},
        )
        for n in range(count)
    ]


def test_appends_in_order_with_a_chain_that_verifies() -> None:
    written = audit_append_many(_events(25))

    assert written == 25
    rows = list(AuditEvent.objects.order_by("id"))
    assert [row.target_id for row in rows] == [str(n) for n in range(25)]
    assert rows[0].previous_hash == GENESIS_HASH
    assert all(rows[n].previous_hash == rows[n - 1].hash for n in range(1, 25))
    # Data is stored in its JSON form (dates as text, whole floats as integers).
    assert rows[1].data == {"n": 1, "when": "2020-01-01", "ratio": 2}
    report = verify_chain()
    assert report.intact
    assert report.events == 25
    assert report.last_hash == rows[-1].hash


def test_continues_a_chain_and_audit_record_continues_after_it() -> None:
    first = audit_record(actor=None, action=Action.KEYS_ROTATED)
    audit_append_many(_events(5, offset=10))
    after = audit_record(actor=None, action=Action.AUDIT_VERIFIED)

    second = AuditEvent.objects.filter(id__gt=first.pk).order_by("id").first()
    assert second is not None
    assert second.previous_hash == first.hash
    assert after.previous_hash == AuditEvent.objects.exclude(pk=after.pk).order_by("-id")[0].hash
    assert verify_chain().intact
    assert verify_chain().events == 7


def test_a_tampered_event_is_detected() -> None:
    audit_append_many(_events(6))
    victim = AuditEvent.objects.order_by("id")[3]

    forge("UPDATE audit_auditevent SET target_id = %s WHERE id = %s", ["999", victim.pk])

    report = verify_chain()
    assert not report.intact
    assert report.broken is not None
    assert report.broken.event_id == victim.pk


def test_refuses_unknown_actions_and_naive_times_writing_nothing() -> None:
    bad = _events(3)
    bad[2] = bad[2]._replace(action="case.teleported")
    with pytest.raises(ValueError, match="not an audit action"):
        audit_append_many(bad)
    naive = _events(1)
    naive[0] = naive[0]._replace(occurred_at=datetime.datetime(2020, 1, 1, 9))  # noqa: DTZ001
    with pytest.raises(ValueError, match="timezone-aware"):
        audit_append_many(naive)
    assert not AuditEvent.objects.exists()


def test_nothing_to_append_writes_nothing() -> None:
    assert audit_append_many([]) == 0
    assert not AuditEvent.objects.exists()


def test_a_bulk_event_carries_every_hashed_field() -> None:
    # A hashed field added to the model but not to BulkEvent would be hashed as missing.
    assert set(HASHED_FIELDS.values()) == set(BulkEvent._fields)
