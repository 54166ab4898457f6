"""The two faces of the task policy agree: can(user, "view", task) exactly when the task is
in visible_to(user), and whoever may complete a task can see it."""

from __future__ import annotations

import datetime

from amends.accounts.models import User
from amends.tasks.permissions import task_policy
from conftest import CAST_MEMBERS

DUE = datetime.date(2026, 3, 4)


def test_can_view_and_visible_to_agree_for_every_cast_member_and_kind_of_task(cast, build):
    # given tasks of every shape: assigned to each person, for the coordinator, on a case
    # with a facilitator, on no case, in the other programme
    with_facilitator = build.case(facilitators=(cast.facilitator,))
    without = build.case(coordinator=None)
    elsewhere = build.case(programme=cast.other_programme, coordinator=None)
    tasks = [
        build.task(due_on=DUE, case=with_facilitator),
        build.task(due_on=DUE, case=without),
        build.task(due_on=DUE),
        build.task(due_on=DUE, case=elsewhere),
        *(build.task(due_on=DUE, assignee=user) for user in cast.users.values()),
        build.task(due_on=DUE, case=elsewhere, assignee=cast.other_supervisor),
    ]
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible = set(task_policy.visible_to(user))
        for task in tasks:
            # then
            assert task_policy.can(user, "view", task) == (task in visible), (name, task.pk)
            if task_policy.can(user, "complete", task):
                assert task in visible, (name, task.pk)
