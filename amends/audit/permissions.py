"""Who may read the audit log, and which of its events they may see."""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from amends.accounts.models import Membership
from amends.accounts.predicates import has_role_anywhere, is_platform_administrator
from amends.accounts.roles import AUDIT_READER_ROLES
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.permissions import Policy

# Events about a person's own account, which their programmes' audit readers may see.
ACCOUNT_SECURITY_ACTIONS = frozenset(
    {
        Action.SIGNED_IN,
        Action.SIGNED_OUT,
        Action.SIGN_IN_FAILED,
        Action.LOCKED_OUT,
        Action.MFA_ENROLLED,
        Action.MFA_REMOVED,
        Action.RECOVERY_CODES_GENERATED,
        Action.PASSWORD_CHANGED,
        Action.REAUTHENTICATED,
    }
)


class AuditPolicy(Policy[AuditEvent]):
    model = AuditEvent
    actions = {
        "list": is_platform_administrator | has_role_anywhere(*AUDIT_READER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[AuditEvent]:
        """Platform administrators see everything. An audit reader of some programmes sees
        those programmes' events, and the account-security events tied to no programme
        (sign-ins, lockouts, second-factor changes) of their own staff, from the time each
        joined: giving someone a role must not open their history elsewhere.
        """
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return AuditEvent.objects.none()
        if user.is_superuser:
            return AuditEvent.objects.all()
        programme_ids = programme_ids_with_role(user, AUDIT_READER_ROLES)
        if not programme_ids:
            return AuditEvent.objects.none()
        joined_before = Membership.objects.filter(
            programme_id__in=programme_ids,
            user_id=OuterRef("actor_id"),
            created_at__lte=OuterRef("occurred_at"),
        )
        return AuditEvent.objects.filter(
            Q(programme_id__in=programme_ids)
            | Q(
                Exists(joined_before),
                programme__isnull=True,
                action__in=ACCOUNT_SECURITY_ACTIONS,
            )
        )


audit_policy = AuditPolicy()
