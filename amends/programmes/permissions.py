"""Who may see a programme, its members and its audit log, who may manage members, and
who may configure it (its settings, offence taxonomy, policies, templates and sheets)."""

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

# Administrators run the programme; supervisors are answerable for its practice (the
# specialist protocol, the assessment template), so both may change how it works.
CONFIGURE_ROLES: frozenset[Role] = frozenset({Role.ADMINISTRATOR, Role.SUPERVISOR})


class ProgrammePolicy(Policy[Programme]):
    model = Programme
    actions = {
        "view": is_platform_administrator | has_role_in_programme(*Role),
        "view_members": is_platform_administrator | has_role_in_programme(*MEMBER_READER_ROLES),
        "manage_members": is_platform_administrator | has_role_in_programme(*MEMBER_MANAGER_ROLES),
        "view_audit": is_platform_administrator | has_role_in_programme(*AUDIT_READER_ROLES),
        "configure": is_platform_administrator | has_role_in_programme(*CONFIGURE_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return Programme.objects.none()
        if user.is_superuser:
            return Programme.objects.all()
        return Programme.objects.filter(pk__in=list(programme_roles(user)))


programme_policy = ProgrammePolicy()
