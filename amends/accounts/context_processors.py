"""What every page's shell needs: the demo banner and navigation by role."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class NavigationItem:
    label: str
    url: str
    name: str


def shell(request: HttpRequest) -> dict[str, Any]:
    return {"demo_mode": settings.DEMO_MODE, "navigation": navigation_for(request)}


def navigation_for(request: HttpRequest) -> list[NavigationItem]:
    """The links this user's roles open; the policies behind each page decide again."""
    from amends.accounts.roles import Role
    from amends.accounts.selectors import programme_ids_with_role
    from amends.audit.permissions import audit_policy
    from amends.cases.permissions import case_policy, participant_policy
    from amends.referrals.permissions import intake_policy, referral_status_policy
    from amends.tasks.permissions import task_policy

    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return []
    items = [NavigationItem(_("Home"), reverse("home"), "home")]
    if task_policy.can(user, "my_work"):
        items.append(NavigationItem(_("My work"), reverse("tasks:my_work"), "my_work"))
    if case_policy.can(user, "list"):
        items.append(NavigationItem(_("Cases"), reverse("cases:list"), "cases"))
    if programme_ids_with_role(user, [Role.FACILITATOR]):
        items.append(
            NavigationItem(_("My facilitator profile"), reverse("facilitators:me"), "facilitator")
        )
    if participant_policy.can(user, "support"):
        items.append(NavigationItem(_("People I support"), reverse("cases:supported"), "supported"))
    if intake_policy.can(user, "start"):
        items.append(NavigationItem(_("New referral"), reverse("referrals:start"), "referral_new"))
    if referral_status_policy.can(user, "list"):
        items.append(NavigationItem(_("My referrals"), reverse("referrals:mine"), "referrals"))
    if audit_policy.can(user, "list"):
        items.append(NavigationItem(_("Audit log"), reverse("audit:event_list"), "audit"))
    items.append(NavigationItem(_("Security"), reverse("mfa_index"), "security"))
    if user.is_staff:
        items.append(NavigationItem(_("Platform admin"), reverse("admin:index"), "admin"))
    return items
