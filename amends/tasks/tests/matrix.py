"""Matrix rows for My work, a programme's overdue work and marking a task done."""

import datetime

from django.urls import reverse
from django.utils import timezone

from amends.core.testing.matrix import Route
from amends.tasks.services import task_create

# Everyone who holds a case role somewhere (other_supervisor does, in Southvale).
CASE_WORKERS = frozenset({"coordinator", "supervisor", "facilitator", "other_supervisor"})
PROGRAMME_MANAGERS = frozenset({"coordinator", "supervisor"})
# Not members of the Northshire programme: it does not exist for them.
OUTSIDERS = frozenset({"other_supervisor", "no_role"})
# Who cannot see a task of `cast.case` at all: everyone but its programme's coordinators
# and supervisors, its assigned facilitator and the task's assignee.
CANNOT_SEE_CASE_TASK = frozenset(
    {"administrator", "advocate", "referrer", "evaluator", "other_supervisor", "no_role"}
    | {"platform_admin"}
)


def _task_done_path(cast, assignee=None):
    task = task_create(
        actor=None,
        programme=cast.programme,
        case=cast.case,
        title="Ring the person harmed back",
        due_on=timezone.localdate() - datetime.timedelta(days=1),
        assignee=assignee,
    )
    return reverse("tasks:task_done", args=[task.pk])


ROUTES = [
    Route("tasks:my_work", "GET", allowed=CASE_WORKERS),
    Route(
        "tasks:programme_overdue",
        "GET",
        allowed=PROGRAMME_MANAGERS,
        hidden_from=OUTSIDERS,
        path=lambda cast: reverse("tasks:programme_overdue", args=[cast.programme.slug]),
    ),
    # A task for the case's coordinator: the assigned facilitator sees it but may not
    # mark it done.
    Route(
        "tasks:task_done",
        "POST",
        allowed=PROGRAMME_MANAGERS,
        hidden_from=CANNOT_SEE_CASE_TASK,
        allowed_status=302,
        path=_task_done_path,
        label="coordinator's task",
    ),
    Route(
        "tasks:task_done",
        "POST",
        allowed=PROGRAMME_MANAGERS | {"facilitator"},
        hidden_from=CANNOT_SEE_CASE_TASK,
        allowed_status=302,
        path=lambda cast: _task_done_path(cast, assignee=cast.facilitator),
        label="facilitator's task",
    ),
]
