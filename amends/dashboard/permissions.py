"""Who may open a programme's dashboard (issue 6), and who may follow its figures to the
case list.

- The dashboard (aggregate counts, no case content): the programme's coordinators,
  supervisors and administrators, and platform administrators, who may open every
  programme page (programmes.permissions).
- Evaluators are not here: they get aggregates with small cells suppressed elsewhere.
  Facilitators, advocates and referrers work on single cases, not the programme.
- A programme the user holds no role in is hidden (404), as on its other pages; a member
  without a dashboard role is refused (403).
- The figures link to the case list only for those who may list the programme's cases:
  its coordinators and supervisors (cases.permissions), so an administrator sees the
  numbers without links into case content.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from amends.accounts.predicates import has_role_in_programme, is_platform_administrator
from amends.accounts.roles import Role
from amends.cases.permissions import CASE_MANAGER_ROLES
from amends.core.permissions import Policy
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy

DASHBOARD_ROLES: frozenset[Role] = frozenset(
    {Role.COORDINATOR, Role.SUPERVISOR, Role.ADMINISTRATOR}
)


class ProgrammeDashboardPolicy(Policy[Programme]):
    model = Programme
    actions = {
        "view_dashboard": is_platform_administrator | has_role_in_programme(*DASHBOARD_ROLES),
        # The links from a figure to the matching cases.
        "follow_to_cases": has_role_in_programme(*CASE_MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        return programme_policy.visible_to(user)


dashboard_policy = ProgrammeDashboardPolicy()
