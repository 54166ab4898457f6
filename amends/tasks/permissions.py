"""Who may see and complete tasks, open "My work" and read a programme's overdue work.

- My work: anyone holding a case role (coordinator, supervisor, facilitator) somewhere.
- A task is seen by its assignee, by the coordinators and supervisors of its programme
  (who include the case's coordinator), and by the facilitators assigned to its case.
- A task is completed by its assignee or by a coordinator or supervisor of its
  programme; an assigned facilitator who is not the assignee may only look.
- The overdue view of a programme: its coordinators and supervisors.

Every rule needs a current role in the task's programme, so someone whose role was
removed loses sight of the tasks still assigned to them. The predicates and the
querysets sit side by side so they cannot drift; a test checks that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_anywhere, has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role, programme_roles
from amends.cases.models import FacilitatorAssignment
from amends.core.permissions import Policy
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy
from amends.tasks.models import Task

WORK_MANAGER_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)
CASE_WORK_ROLES = (Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def _is_assignee(user: Any, task: Task | None) -> bool:
    return (
        task is not None
        and task.assignee_id == user.pk
        and task.programme_id in programme_roles(user)
    )


def _facilitates_case(user: Any, task: Task | None) -> bool:
    if task is None or task.case_id is None:
        return False
    if Role.FACILITATOR not in programme_roles(user).get(task.programme_id, frozenset()):
        return False
    return FacilitatorAssignment.objects.filter(case_id=task.case_id, facilitator=user).exists()


# rules carries no type information; the functions above are typed, the Policy.can()
# boundary is typed, and the wrapping in between is all that is left untyped.
is_assignee = rules_predicate(_is_assignee)
facilitates_case = rules_predicate(_facilitates_case)
manages_programme_work = has_role_in_programme(*WORK_MANAGER_ROLES)


class TaskPolicy(Policy[Task]):
    model = Task
    actions = {
        # The "My work" page (no single task).
        "my_work": has_role_anywhere(*CASE_WORK_ROLES),
        "view": is_assignee | manages_programme_work | facilitates_case,
        # The case's coordinator holds the coordinator role in the programme, so
        # `manages_programme_work` covers them.
        "complete": is_assignee | manages_programme_work,
    }

    def visible_to(self, user: Any) -> QuerySet[Task]:
        if not _signed_in(user):
            return Task.objects.none()
        facilitating = programme_ids_with_role(user, [Role.FACILITATOR])
        return Task.objects.filter(
            Q(assignee=user, programme_id__in=list(programme_roles(user)))
            | Q(programme_id__in=programme_ids_with_role(user, WORK_MANAGER_ROLES))
            | Q(programme_id__in=facilitating, case__assignments__facilitator=user)
        ).distinct()


class ProgrammeWorkPolicy(Policy[Programme]):
    """The overdue work of a whole programme. A programme the user holds no role in is
    hidden (404), exactly as on the programme's other pages."""

    model = Programme
    actions = {"view_overdue": manages_programme_work}

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        return programme_policy.visible_to(user)


task_policy = TaskPolicy()
programme_work_policy = ProgrammeWorkPolicy()
