"""`manage.py flush` still empties every table, the audit log included, on both databases.

The teardown of every transactional test (this one included) runs `flush` too."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record


@pytest.mark.django_db(transaction=True)
def test_flush_empties_the_audit_table() -> None:
    audit_record(actor=None, action=Action.KEYS_ROTATED)
    audit_record(actor=None, action=Action.KEYS_ROTATED)

    call_command("flush", interactive=False, verbosity=0)

    assert not AuditEvent.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_after_a_flush_the_chain_starts_again_and_the_guard_is_back() -> None:
    audit_record(actor=None, action=Action.KEYS_ROTATED)
    call_command("flush", interactive=False, verbosity=0)

    event = audit_record(actor=None, action=Action.KEYS_ROTATED)

    assert event.previous_hash == "0" * 64
    with pytest.raises(DatabaseError), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent")
    assert AuditEvent.objects.filter(pk=event.pk).exists()
