"""The audit log in the Django admin: readable by platform administrators, never editable."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.audit.services import audit_record

pytestmark = pytest.mark.django_db


def test_platform_administrator_reads_the_log_and_the_reading_is_audited(
    client_for: Any, cast: Any
) -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)
    client = client_for("platform_admin")

    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    detail = client.get(reverse("admin:audit_auditevent_change", args=[event.pk]))

    assert listing.status_code == 200
    assert detail.status_code == 200
    viewed = AuditEvent.objects.filter(action=Action.AUDIT_VIEWED, actor=cast.platform_admin)
    assert sorted(e.data["admin"] for e in viewed) == ["event", "list"]


def test_nobody_can_add_change_or_delete_events_in_the_admin(client_for: Any) -> None:
    event = audit_record(actor=None, action=Action.KEYS_ROTATED)
    client = client_for("platform_admin")

    add = client.get(reverse("admin:audit_auditevent_add"))
    delete = client.post(reverse("admin:audit_auditevent_delete", args=[event.pk]), {"post": "yes"})
    change = client.post(
        reverse("admin:audit_auditevent_change", args=[event.pk]), {"reason": "rewritten"}
    )

    assert add.status_code == 403
    assert delete.status_code == 403
    assert change.status_code == 403
    assert AuditEvent.objects.get(pk=event.pk).reason == ""
