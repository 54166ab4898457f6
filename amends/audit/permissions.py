"""Who may read the audit log, and which of its events they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from amends.accounts.models import Membership
from amends.accounts.predicates import has_role_anywhere, is_platform_administrator
from amends.accounts.roles import AUDIT_READER_ROLES
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.models import AuditEvent
from amends.core.permissions import Policy


class AuditPolicy(Policy[AuditEvent]):
    model = AuditEvent
    actions = {
        "list": is_platform_administrator | has_role_anywhere(*AUDIT_READER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[AuditEvent]:
        """Platform administrators see everything. An audit reader of some programmes sees
        those programmes' events, and the events tied to no programme (sign-ins, second
        factor changes) of people who are members of those programmes: their own staff.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return AuditEvent.objects.none()
        if user.is_superuser:
            return AuditEvent.objects.all()
        programme_ids = programme_ids_with_role(user, AUDIT_READER_ROLES)
        if not programme_ids:
            return AuditEvent.objects.none()
        staff = Membership.objects.filter(programme_id__in=programme_ids).values("user_id")
        return AuditEvent.objects.filter(
            Q(programme_id__in=programme_ids) | Q(programme__isnull=True, actor_id__in=staff)
        )


audit_policy = AuditPolicy()
