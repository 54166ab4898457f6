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
from urllib.parse import urlencode

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext as _

from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role, programme_roles
from amends.assessments.models import Assessment
from amends.cases.models import Case, FacilitatorAssignment, ParticipantRole
from amends.cases.stages import CaseStage
from amends.consent.models import ConsentEntry, ConsentScope
from amends.core.counting import capped_count
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


# Each section of My work shows at most this many items, oldest first; the rest are
# counted (up to MORE_CAP) and the case list, filtered to them, shows them all.
SECTION_LIMIT = 50
MORE_CAP = 1000


@dataclass(frozen=True)
class MyWork:
    overdue: list[WorkItem]
    due_today: list[WorkItem]
    upcoming: list[WorkItem]
    # How many items each section has beyond the ones shown; `*_capped` when that was
    # counted only up to MORE_CAP (so "N+ more").
    overdue_more: int = 0
    due_today_more: int = 0
    upcoming_more: int = 0
    overdue_capped: bool = False
    due_today_capped: bool = False
    upcoming_capped: bool = False
    # The case list's query string for "your overdue cases" ('' when it has none to show).
    overdue_list_query: str = ""

    @property
    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.upcoming)


def my_work(user: Any, today: datetime.date) -> MyWork:
    """What `user` must do: overdue, due today, and due in the next 14 days, each section
    the first `SECTION_LIMIT` items (oldest first) and a capped count of the rest.

    - open tasks assigned to them;
    - open tasks for "the case's coordinator" (no assignee) on the cases they coordinate;
    - the next action of every open case they coordinate or facilitate.

    A coordinator also gets the work nobody owns yet in their programmes (tasks without
    an assignee on a case without a coordinator, or on no case; cases without a
    coordinator), so nothing falls through while a case waits for one. Tasks on closed
    cases are left out. At most eighteen queries whatever the amount of work (each
    section: a LIMITed page of the tasks given to them, of the tasks for the coordinator
    and of the cases, and a LIMITed count of each), every one served by an index: a
    coordinator with thousands of overdue items in a million-case programme gets the
    same page as one with three.
    """
    horizon = today + datetime.timedelta(days=UPCOMING_DAYS)
    task_sets, cases = _my_tasks(user), _my_cases(user)
    sections: dict[str, Any] = {}
    for name, task_range, case_range in (
        ("overdue", Q(due_on__lt=today), Q(next_action_due__lt=today)),
        ("due_today", Q(due_on=today), Q(next_action_due=today)),
        (
            "upcoming",
            Q(due_on__gt=today, due_on__lte=horizon),
            Q(next_action_due__gt=today, next_action_due__lte=horizon),
        ),
    ):
        section_tasks = [tasks.filter(task_range) for tasks in task_sets]
        section_cases = cases.filter(case_range)
        items = [
            *(
                item
                for tasks in section_tasks
                for item in _task_items(tasks.order_by("due_on", "pk")[:SECTION_LIMIT], user, today)
            ),
            *_case_items(section_cases.order_by("next_action_due", "pk")[:SECTION_LIMIT], today),
        ]
        items.sort(key=_work_order)
        counts = [capped_count(rows, MORE_CAP) for rows in [*section_tasks, section_cases]]
        shown = items[:SECTION_LIMIT]
        sections[name] = shown
        sections[f"{name}_more"] = max(sum(counts) - len(shown), 0)
        sections[f"{name}_capped"] = any(count > MORE_CAP for count in counts)
    return MyWork(**sections, overdue_list_query=_overdue_list_query(user))


def _overdue_list_query(user: Any) -> str:
    """The case list filtered to the user's overdue cases: those they coordinate, or
    else those they facilitate."""
    if programme_ids_with_role(user, [Role.COORDINATOR]):
        return urlencode({"overdue": "on", "coordinator": user.pk})
    if programme_ids_with_role(user, [Role.FACILITATOR]):
        return urlencode({"overdue": "on", "facilitator": user.pk})
    return ""


# The programme's overdue page shows the oldest this many; the rest are counted.
OVERDUE_PAGE_LIMIT = 100


@dataclass(frozen=True)
class ProgrammeOverdue:
    """The oldest overdue work of a programme, and how much there is in all (counted up
    to MORE_CAP per kind, `capped` when there is more)."""

    items: list[WorkItem]
    total: int
    capped: bool

    @property
    def more(self) -> int:
        return self.total - len(self.items)


def overdue_for_programme(
    programme: Programme, today: datetime.date, *, viewer: Any = None
) -> ProgrammeOverdue:
    """The oldest overdue tasks and case next actions in the programme (at most
    `OVERDUE_PAGE_LIMIT`), each with who must do it, and a capped count of all of them:
    for supervisors and coordinators. With a `viewer`, each task says whether they may
    mark it done. Four queries, each a LIMITed range of an index of open work."""
    tasks = (
        _open_case_tasks()
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
            for task in tasks.order_by("due_on", "pk")[:OVERDUE_PAGE_LIMIT]
        ),
        *(
            _case_item(case, today, owner=_person(case.coordinator) if case.coordinator else "")
            for case in cases.order_by("next_action_due", "pk")[:OVERDUE_PAGE_LIMIT]
        ),
    ]
    items.sort(key=_work_order)
    counts = [capped_count(tasks, MORE_CAP), capped_count(cases, MORE_CAP)]
    return ProgrammeOverdue(
        items=items[:OVERDUE_PAGE_LIMIT],
        total=sum(min(count, MORE_CAP) for count in counts),
        capped=any(count > MORE_CAP for count in counts),
    )


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


def _my_tasks(user: Any) -> tuple[QuerySet[Task], QuerySet[Task]]:
    """The open tasks given to `user`, and the open tasks for "the case's coordinator"
    (no assignee) that fall to them: two sets, each read on its own partial index.

    Neither joins the cases to filter: a condition across the join (or an OR of the two
    sets) makes PostgreSQL hash-join the whole cases table. A closed case is ruled out
    by a probe on its primary key; the coordinator's cases by a subquery on the
    (coordinator, next action due) index of open cases.
    """
    coordinating = sorted(programme_ids_with_role(user, [Role.COORDINATOR]))
    assigned = _open_tasks().filter(
        _not_on_a_closed_case(), assignee=user, programme_id__in=sorted(programme_roles(user))
    )
    # Open cases they coordinate, or that nobody coordinates yet; or no case at all.
    their_cases = (
        Case.objects.filter(programme_id__in=coordinating)
        .exclude(stage=CaseStage.CLOSED)
        .filter(Q(coordinator=user) | Q(coordinator__isnull=True))
    )
    for_coordinator = _open_tasks().filter(
        Q(case__isnull=True) | Q(case_id__in=their_cases.values("pk")),
        assignee__isnull=True,
        programme_id__in=coordinating,
    )
    return assigned, for_coordinator


def _my_cases(user: Any) -> QuerySet[Case]:
    coordinating = sorted(programme_ids_with_role(user, [Role.COORDINATOR]))
    facilitating = sorted(programme_ids_with_role(user, [Role.FACILITATOR]))
    facilitated = FacilitatorAssignment.objects.filter(facilitator=user).values("case_id")
    return _open_cases().filter(
        Q(programme_id__in=coordinating, coordinator=user)
        | Q(programme_id__in=coordinating, coordinator__isnull=True)
        | Q(programme_id__in=facilitating, pk__in=facilitated)
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
    # The closure note is encrypted and not shown, so it is not loaded (and not
    # decrypted). Whether the case is closed is for each caller to say (`_not_on_a_closed_case`).
    return (
        Task.objects.filter(done_at__isnull=True)
        .select_related("case", "programme")
        .defer("case__closure_note")
    )


def _not_on_a_closed_case() -> Q:
    """Tasks on a closed case need nobody any more (closing a case closes its tasks; this
    also holds for any left open). Said as a probe of the case's primary key per task:
    a condition across the join makes PostgreSQL hash-join the whole cases table."""
    return Q(case__isnull=True) | Q(
        ~Exists(Case.objects.filter(pk=OuterRef("case_id"), stage=CaseStage.CLOSED))
    )


def _open_case_tasks() -> QuerySet[Task]:
    return _open_tasks().filter(_not_on_a_closed_case())


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
