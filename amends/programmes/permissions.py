"""Who may see a programme, its members and its audit log, and who may manage members."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from amends.accounts.predicates import has_role_in_programme, is_platform_administrator
from amends.accounts.roles import (
    AUDIT_READER_ROLES,
    MEMBER_MANAGER_ROLES,
    MEMBER_READER_ROLES,
    Role,
)
from amends.accounts.selectors import programme_roles
from amends.core.permissions import Policy
from amends.programmes.models import Programme


class ProgrammePolicy(Policy[Programme]):
    model = Programme
    actions = {
        "view": is_platform_administrator | has_role_in_programme(*Role),
        "view_members": is_platform_administrator | has_role_in_programme(*MEMBER_READER_ROLES),
        "manage_members": is_platform_administrator | has_role_in_programme(*MEMBER_MANAGER_ROLES),
        "view_audit": is_platform_administrator | has_role_in_programme(*AUDIT_READER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return Programme.objects.none()
        if user.is_superuser:
            return Programme.objects.all()
        return Programme.objects.filter(pk__in=list(programme_roles(user)))


programme_policy = ProgrammePolicy()
