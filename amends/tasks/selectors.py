"""Reads for "My work", the overdue view and the expiry sweep (G13).

Work comes from two places: open tasks, and the next action every open case carries
(a database constraint makes sure it has one). Each reader runs a fixed number of
queries whatever the number of rows, and loads no encrypted column it does not show.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role, programme_roles
from amends.assessments.models import Assessment
from amends.cases.models import Case, FacilitatorAssignment, ParticipantRole
from amends.cases.stages import CaseStage
from amends.consent.models import ConsentEntry, ConsentScope
from amends.programmes.models import Programme
from amends.tasks.models import Task, TaskKind
from amends.tasks.permissions import WORK_MANAGER_ROLES, task_policy
from amends.tasks.services import EXPIRING_KEY_SUFFIX, ExpiringWork

UPCOMING_DAYS = 14
EXPIRY_WARNING_DAYS = 14


@dataclass(frozen=True)
class WorkItem:
    """One thing due: an open task or a case's next action."""

    title: str
    due_on: datetime.date
    # Calendar days past the due date (0 when due today, negative when still to come).
    days_late: int
    case_reference: str = ""
    programme_name: str = ""
    task_id: int | None = None
    kind_label: str = ""
    # Who must do it (the overdue view); empty when nobody does yet.
    owner: str = ""
    can_complete: bool = False

    @property
    def is_task(self) -> bool:
        return self.task_id is not None


@dataclass(frozen=True)
class MyWork:
    overdue: list[WorkItem]
    due_today: list[WorkItem]
    upcoming: list[WorkItem]

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.upcoming)


def my_work(user: Any, today: datetime.date) -> MyWork:
    """What `user` must do: overdue, due today, and due in the next 14 days.

    - open tasks assigned to them;
    - open tasks for "the case's coordinator" (no assignee) on the cases they coordinate;
    - the next action of every open case they coordinate or facilitate.

    A coordinator also gets the work nobody owns yet in their programmes (tasks without
    an assignee on a case without a coordinator, or on no case; cases without a
    coordinator), so nothing falls through while a case waits for one. Tasks on closed
    cases are left out. Three queries, whatever the amount of work.
    """
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    items = [
        *_task_items(_my_tasks(user, horizon), user, today),
        *_case_items(_my_cases(user, horizon), today),
    ]
    items.sort(key=_work_order)
    return MyWork(
        overdue=[item for item in items if item.due_on < today],
        due_today=[item for item in items if item.due_on == today],
        upcoming=[item for item in items if item.due_on > today],
    )


def overdue_for_programme(
    programme: Programme, today: datetime.date, *, viewer: Any = None
) -> list[WorkItem]:
    """Every overdue task and overdue case next action in the programme, oldest first,
    each with who must do it: for supervisors and coordinators. With a `viewer`, each
    task says whether they may mark it done. Two queries."""
    tasks = (
        _open_tasks()
        .filter(programme=programme, due_on__lt=today)
        .select_related("assignee", "case__coordinator")
    )
    cases = (
        _open_cases()
        .filter(programme=programme, next_action_due__lt=today)
        .select_related("coordinator")
    )
    items = [
        *(
            _task_item(
                task,
                today,
                owner=_task_owner(task),
                can_complete=viewer is not None and task_policy.can(viewer, "complete", task),
            )
            for task in tasks
        ),
        *(
            _case_item(case, today, owner=_person(case.coordinator) if case.coordinator else "")
            for case in cases
        ),
    ]
    items.sort(key=_work_order)
    return items


def overdue_programmes_for_user(user: Any) -> QuerySet[Programme]:
    """The programmes whose overdue view `user` may open (coordinator or supervisor)."""
    return Programme.objects.filter(
        pk__in=programme_ids_with_role(user, WORK_MANAGER_ROLES), is_active=True
    ).order_by("name")


def open_tasks_for_case(case: Case) -> QuerySet[Task]:
    """A case's open tasks, soonest first, with their assignees (for the case page)."""
    return (
        Task.objects.filter(case=case, done_at__isnull=True)
        .select_related("assignee")
        .order_by("due_on", "pk")
    )


def expiring_work(today: datetime.date) -> list[ExpiringWork]:
    """Assessments and consent of open cases that run out within 14 days (or already
    have), for the daily sweep: the latest assessment of each participant, and the
    latest consent entry about each subject where that entry gives consent. Three queries.
    """
    horizon = today + datetime.timedelta(days=EXPIRY_WARNING_DAYS)
    return [*_expiring_assessments(horizon), *_expiring_consent(horizon)]


# --- my work -------------------------------------------------------------------------------


def _my_tasks(user: Any, horizon: datetime.date) -> QuerySet[Task]:
    coordinating = programme_ids_with_role(user, [Role.COORDINATOR])
    assigned = Q(assignee=user, programme_id__in=list(programme_roles(user)))
    # `case__coordinator__isnull` is also true for a task on no case (a LEFT JOIN).
    for_coordinator = Q(assignee__isnull=True, programme_id__in=coordinating) & (
        Q(case__coordinator=user) | Q(case__coordinator__isnull=True)
    )
    return _open_tasks().filter(assigned | for_coordinator, due_on__lte=horizon)


def _my_cases(user: Any, horizon: datetime.date) -> QuerySet[Case]:
    coordinating = programme_ids_with_role(user, [Role.COORDINATOR])
    facilitating = programme_ids_with_role(user, [Role.FACILITATOR])
    facilitated = FacilitatorAssignment.objects.filter(facilitator=user).values("case_id")
    return _open_cases().filter(
        Q(programme_id__in=coordinating, coordinator=user)
        | Q(programme_id__in=coordinating, coordinator__isnull=True)
        | Q(programme_id__in=facilitating, pk__in=facilitated),
        next_action_due__lte=horizon,
    )


def _task_items(tasks: Iterable[Task], user: Any, today: datetime.date) -> list[WorkItem]:
    return [
        _task_item(task, today, can_complete=task_policy.can(user, "complete", task))
        for task in tasks
    ]


def _case_items(cases: Iterable[Case], today: datetime.date) -> list[WorkItem]:
    return [_case_item(case, today) for case in cases]


# --- building blocks -----------------------------------------------------------------------


def _open_tasks() -> QuerySet[Task]:
    # Tasks on a closed case need nobody any more. The closure note is encrypted and
    # not shown, so it is not loaded (and not decrypted).
    return (
        Task.objects.filter(done_at__isnull=True)
        .filter(Q(case__isnull=True) | ~Q(case__stage=CaseStage.CLOSED))
        .select_related("case", "programme")
        .defer("case__closure_note")
    )


def _open_cases() -> QuerySet[Case]:
    return (
        Case.objects.exclude(stage=CaseStage.CLOSED)
        .select_related("programme")
        .defer("closure_note")
    )


def _task_item(
    task: Task, today: datetime.date, *, owner: str = "", can_complete: bool
) -> WorkItem:
    return WorkItem(
        title=task.title,
        due_on=task.due_on,
        days_late=(today - task.due_on).days,
        case_reference=task.case.reference if task.case else "",
        programme_name=task.programme.name,
        task_id=task.pk,
        kind_label=str(task.get_kind_display()),
        owner=owner,
        can_complete=can_complete,
    )


def _case_item(case: Case, today: datetime.date, *, owner: str = "") -> WorkItem:
    # The constraint guarantees an open case has a due date; mypy cannot know that.
    due_on = case.next_action_due or today
    return WorkItem(
        title=case.next_action,
        due_on=due_on,
        days_late=(today - due_on).days,
        case_reference=case.reference,
        programme_name=case.programme.name,
        kind_label=_("Next action on the case"),
        owner=owner,
    )


def _task_owner(task: Task) -> str:
    if task.assignee is not None:
        return _person(task.assignee)
    if task.case is not None and task.case.coordinator is not None:
        return _person(task.case.coordinator)
    return ""


def _person(user: Any) -> str:
    return str(user.get_full_name() or user.email)


def _work_order(item: WorkItem) -> tuple[datetime.date, str, int]:
    return (item.due_on, item.case_reference, item.task_id or 0)


# --- the expiry sweep ----------------------------------------------------------------------


def _expiring_assessments(horizon: datetime.date) -> list[ExpiringWork]:
    newer = Assessment.objects.filter(participant=OuterRef("participant")).filter(
        Q(assessed_on__gt=OuterRef("assessed_on"))
        | Q(assessed_on=OuterRef("assessed_on"), pk__gt=OuterRef("pk"))
    )
    assessments = (
        Assessment.objects.filter(valid_until__lte=horizon)
        .exclude(participant__case__stage=CaseStage.CLOSED)
        .filter(~Exists(newer))
        .select_related("participant__case__programme")
        .defer("override_reason", "notes", "participant__case__closure_note")
        .order_by("pk")
    )
    return [
        ExpiringWork(
            key=f"assessment:{assessment.pk}:{assessment.valid_until.isoformat()}"
            f"{EXPIRING_KEY_SUFFIX}",
            kind=TaskKind.ASSESSMENT_EXPIRING,
            title=_("Reassess before the assessment runs out (%(role)s)")
            % {"role": ParticipantRole(assessment.participant.role).label},
            due_on=assessment.valid_until,
            case=assessment.participant.case,
            participant=assessment.participant,
        )
        for assessment in assessments
    ]


def _expiring_consent(horizon: datetime.date) -> list[ExpiringWork]:
    running_out = (
        ConsentEntry.objects.filter(is_given=True, valid_until__lte=horizon)
        .exclude(participant__case__stage=CaseStage.CLOSED)
        .values("participant_id")
    )
    # Every entry of those participants, so the latest about each subject can be found:
    # a later withdrawal or renewal means the running-out consent no longer counts.
    entries = (
        ConsentEntry.objects.filter(participant_id__in=running_out)
        .select_related("participant__case__programme")
        .defer("participant__case__closure_note")
        .order_by("recorded_at", "pk")
    )
    latest: dict[tuple[Any, ...], ConsentEntry] = {}
    for entry in entries:
        latest[(entry.participant_id, *entry.subject_key)] = entry
    return [
        ExpiringWork(
            key=f"consent:{entry.pk}{EXPIRING_KEY_SUFFIX}",
            kind=TaskKind.CONSENT_EXPIRING,
            title=_("Ask about renewing consent before it runs out (%(role)s: %(scope)s)")
            % {
                "role": ParticipantRole(entry.participant.role).label,
                "scope": ConsentScope(entry.scope).label,
            },
            due_on=entry.valid_until,
            case=entry.participant.case,
            participant=entry.participant,
        )
        for entry in sorted(latest.values(), key=lambda entry: entry.pk)
        if entry.is_given
        and entry.valid_until is not None
        and entry.valid_until <= horizon
        # Consent to an agreement item holds until withdrawn or the item is varied.
        and entry.scope != ConsentScope.AGREEMENT
    ]
