"""Every write to tasks (G13 "nothing falls through"). Each is audited in the same transaction.

Automatic tasks carry a `key` naming what they are about (`case:12:information`). The
database allows one open task per key, so a clock or sweep that runs twice makes one
task. The clocks go further and make a task only if none with that key was ever made:
once someone has done the work, a later run must not ask for it again.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import Membership
from amends.accounts.selectors import programme_roles
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.workdays import add_working_days
from amends.programmes.models import Programme
from amends.tasks.models import Task, TaskKind
from amends.tasks.permissions import task_policy

if TYPE_CHECKING:
    from amends.accounts.models import User

TITLE_MAX_LENGTH = 200
KEY_MAX_LENGTH = 80
# Victims' Code: information about restorative justice within 5 working days of the
# crime being reported, 1 for victims entitled to enhanced rights; referral to support
# services within 2 working days of the referral.
INFORMATION_WORKING_DAYS = 5
INFORMATION_WORKING_DAYS_ENHANCED = 1
SUPPORT_WORKING_DAYS = 2
EXPIRING_KINDS = (TaskKind.ASSESSMENT_EXPIRING, TaskKind.CONSENT_EXPIRING)
# The sweep's own keys ("assessment:12:2026-05-01:expiring", "consent:34:expiring") end so;
# it never closes a task it did not make.
EXPIRING_KEY_SUFFIX = ":expiring"
_KEY_BATCH = 500


def information_task_key(case: Case) -> str:
    """The key of a case's "offer restorative justice information" clock; the service
    that records the information given completes it with `tasks_complete_by_key`."""
    return f"case:{case.pk}:information"


def support_task_key(case: Case) -> str:
    """The key of a case's "refer the person harmed to support services" clock."""
    return f"case:{case.pk}:support"


def task_create(
    *,
    actor: User | None,
    programme: Programme,
    title: str,
    due_on: datetime.date,
    kind: TaskKind = TaskKind.OTHER,
    case: Case | None = None,
    participant: Participant | None = None,
    assignee: User | None = None,
    key: str = "",
) -> Task:
    """Create a task, or return the open task that already has this non-empty `key`.

    `actor` is None for the system (clocks and sweeps); otherwise they must hold a role
    in the programme. Services that create tasks as part of their own work (a withdrawal,
    say) have already checked the actor may do that work. `assignee` None means "the
    case's coordinator, whoever that is"; otherwise they must be a member of the
    programme. A participant without a case brings their case with them.

    Raises PermissionRefused for an actor from outside the programme and
    ApplicationError, creating nothing, for a missing or too long title, a missing due
    date, an unknown kind, a case or participant from elsewhere, or an assignee who is
    not a member. Raises ValueError for a key longer than 80 characters (a programming
    error: keys are built by code).
    """
    title, key = title.strip(), key.strip()
    if len(key) > KEY_MAX_LENGTH:
        raise ValueError(f"task keys are at most {KEY_MAX_LENGTH} characters: {key!r}")
    if actor is not None and programme.pk not in programme_roles(actor):
        raise PermissionRefused(_("You are not allowed to do this."))
    if case is None and participant is not None:
        case = participant.case
    reasons = _task_problems(
        programme=programme,
        title=title,
        due_on=due_on,
        kind=kind,
        case=case,
        participant=participant,
        assignee=assignee,
    )
    if reasons:
        raise ApplicationError(_("The task was not created."), reasons=reasons)
    with transaction.atomic():
        existing = _open_task_with_key(key)
        if existing is not None:
            return existing
        try:
            # A savepoint: a concurrent creator may win the unique key in between.
            with transaction.atomic():
                task = Task.objects.create(
                    programme=programme,
                    case=case,
                    participant=participant,
                    kind=kind,
                    title=title,
                    assignee=assignee,
                    due_on=due_on,
                    key=key,
                )
        except IntegrityError:
            existing = _open_task_with_key(key)
            if existing is None:
                raise
            return existing
        audit_record(
            actor=actor,
            action=Action.TASK_CREATED,
            target=task,
            programme=programme,
            # The title is free text and may name someone: it stays out of the log.
            data={
                "kind": str(kind),
                "case": task.case_id,
                "participant": task.participant_id,
                "assignee": task.assignee_id,
                "due_on": due_on.isoformat(),
                "key": key,
            },
        )
    return task


def task_complete(*, actor: User, task: Task) -> Task:
    """Mark a task done. Completing a task that is already done changes nothing.

    Only its assignee or a coordinator or supervisor of its programme (which includes
    the case's coordinator) may complete it; anyone else gets PermissionRefused.
    """
    with transaction.atomic():
        locked = Task.objects.select_for_update().get(pk=task.pk)
        task_policy.require(actor, "complete", locked)
        if locked.done_at is not None:
            return locked
        _mark_done(locked, actor=actor, automatic=False)
    return locked


def tasks_complete_by_key(*, actor: User | None, key: str) -> int:
    """Complete the open task with this key, if there is one, because the work it asked
    for has just been done (the information was given, the assessment renewed). Returns
    how many were completed (0 or 1).

    No permission check: the calling service has already checked that `actor` may do the
    work that makes the task done. Raises ValueError for an empty key.
    """
    if not key.strip():
        raise ValueError("an empty key would match every task without one")
    with transaction.atomic():
        open_tasks = list(Task.objects.select_for_update().filter(key=key, done_at__isnull=True))
        for task in open_tasks:
            _mark_done(task, actor=actor, automatic=True)
    return len(open_tasks)


def tasks_close_for_case(*, actor: User | None, case: Case) -> int:
    """A closed case has nothing left to do: its open tasks (later follow-up calls, say)
    are closed with it, marked as done automatically and audited. Returns how many.

    No permission check: `case_close` has checked that `actor` may close the case."""
    with transaction.atomic():
        open_tasks = list(Task.objects.select_for_update().filter(case=case, done_at__isnull=True))
        for task in open_tasks:
            _mark_done(task, actor=actor, automatic=True)
    return len(open_tasks)


def statutory_clock_tasks(*, case: Case, actor: User | None = None) -> list[Task]:
    """Start the Victims' Code clocks of a case (G13), once each, and return their tasks:

    - offer restorative justice information to the person harmed, due 5 working days
      after the crime was reported (1 for a victim entitled to enhanced rights; from the
      day the referral was received when the report date is unknown);
    - refer the person harmed to support services, due 2 working days after the
      referral was received.

    Both are assigned to the case's coordinator (assignee None) and linked to the person
    harmed when the case has exactly one. A clock whose task exists, open or done, is not
    started again, so calling this again (say, when a person harmed is added) is safe. A
    closed case gets no clocks. Working days exclude weekends only, not public holidays.
    """
    if not case.is_open:
        return []
    referral = case.referral
    received = timezone.localdate(referral.created_at)
    reported = referral.crime_reported_on or received
    information_days = (
        INFORMATION_WORKING_DAYS_ENHANCED if referral.enhanced_rights else INFORMATION_WORKING_DAYS
    )
    harmed = [p for p in case.participants.all() if p.role == ParticipantRole.HARMED]
    participant = harmed[0] if len(harmed) == 1 else None
    clocks = [
        (
            information_task_key(case),
            TaskKind.INFORMATION_DUE,
            _("Offer restorative justice information to the person harmed"),
            add_working_days(reported, information_days),
        ),
        (
            support_task_key(case),
            TaskKind.SUPPORT_REFERRAL_DUE,
            _("Refer the person harmed to support services"),
            add_working_days(received, SUPPORT_WORKING_DAYS),
        ),
    ]
    with transaction.atomic():
        return [
            _task_create_once(
                actor=actor,
                programme=case.programme,
                title=title,
                due_on=due_on,
                kind=kind,
                case=case,
                participant=participant,
                key=key,
            )
            for key, kind, title, due_on in clocks
        ]


@dataclass(frozen=True)
class ExpiringWork:
    """Something about to run out that needs a task (built by `selectors.expiring_work`)."""

    key: str
    kind: TaskKind
    title: str
    due_on: datetime.date
    case: Case
    participant: Participant


@dataclass
class SweepReport:
    created: list[Task] = field(default_factory=list)
    no_longer_needed: list[Task] = field(default_factory=list)


def expiring_tasks_sync(
    *, wanted: Sequence[ExpiringWork], actor: User | None = None
) -> SweepReport:
    """Make the tasks for assessments and consent about to run out match `wanted`.

    Each wanted item gets a task unless one with its key was ever made. An open
    "about to expire" task that is no longer wanted (the assessment was renewed, the
    consent renewed or withdrawn, the case closed) is completed by the system, so nobody
    chases work that has gone away. Only the sweep's own tasks (keys ending ":expiring")
    are ever closed this way; tasks made by people or by other services are not touched.
    """
    report = SweepReport()
    made = _keys_ever_made(item.key for item in wanted)
    for item in wanted:
        if item.key in made:
            continue
        report.created.append(
            task_create(
                actor=actor,
                programme=item.case.programme,
                title=item.title,
                due_on=item.due_on,
                kind=item.kind,
                case=item.case,
                participant=item.participant,
                key=item.key,
            )
        )
    wanted_keys = {item.key for item in wanted}
    stale = [
        pk
        for pk, key in Task.objects.filter(
            kind__in=EXPIRING_KINDS, done_at__isnull=True, key__endswith=EXPIRING_KEY_SUFFIX
        ).values_list("pk", "key")
        if key not in wanted_keys
    ]
    for pk in stale:
        with transaction.atomic():
            task = Task.objects.select_for_update().get(pk=pk)
            if task.done_at is None:
                _mark_done(task, actor=actor, automatic=True)
                report.no_longer_needed.append(task)
    return report


def _task_problems(
    *,
    programme: Programme,
    title: str,
    due_on: object,
    kind: str,
    case: Case | None,
    participant: Participant | None,
    assignee: User | None,
) -> list[str]:
    reasons = []
    if not title:
        reasons.append(_("Say what needs doing."))
    elif len(title) > TITLE_MAX_LENGTH:
        reasons.append(
            _("Say what needs doing in %(limit)d characters or fewer.")
            % {"limit": TITLE_MAX_LENGTH}
        )
    if not isinstance(due_on, datetime.date) or isinstance(due_on, datetime.datetime):
        reasons.append(_("Give the date by which it must be done."))
    if kind not in TaskKind.values:
        reasons.append(_("Choose one of the kinds of task offered."))
    if case is not None and case.programme_id != programme.pk:
        reasons.append(_("The case belongs to another programme."))
    if participant is not None and case is not None and participant.case_id != case.pk:
        reasons.append(_("That person is not part of this case."))
    if assignee is not None and not _is_active_member(assignee, programme):
        reasons.append(
            _("%(name)s holds no role in this programme: give the task to one of its members.")
            % {"name": assignee.get_full_name() or assignee.email}
        )
    return reasons


def _is_active_member(user: User, programme: Programme) -> bool:
    return user.is_active and Membership.objects.filter(user=user, programme=programme).exists()


def _open_task_with_key(key: str) -> Task | None:
    if not key:
        return None
    return Task.objects.select_for_update().filter(key=key, done_at__isnull=True).first()


def _task_create_once(
    *,
    actor: User | None,
    programme: Programme,
    title: str,
    due_on: datetime.date,
    kind: TaskKind,
    case: Case,
    participant: Participant | None,
    key: str,
) -> Task:
    # The open one if there is one, else the latest done one: never a second task.
    existing = (
        Task.objects.filter(key=key).order_by(F("done_at").desc(nulls_first=True), "-pk").first()
    )
    if existing is not None:
        return existing
    return task_create(
        actor=actor,
        programme=programme,
        title=title,
        due_on=due_on,
        kind=kind,
        case=case,
        participant=participant,
        key=key,
    )


def _keys_ever_made(keys: Iterable[str]) -> set[str]:
    wanted = sorted(set(keys))
    made: set[str] = set()
    # In batches: SQLite limits the number of parameters in one statement.
    for start in range(0, len(wanted), _KEY_BATCH):
        batch = wanted[start : start + _KEY_BATCH]
        made.update(Task.objects.filter(key__in=batch).values_list("key", flat=True))
    return made


def _mark_done(task: Task, *, actor: User | None, automatic: bool) -> None:
    """Mark a locked, open task done and audit it (inside the caller's transaction)."""
    task.done_at = timezone.now()
    task.done_by = actor
    task.save(update_fields=["done_at", "done_by", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.TASK_COMPLETED,
        target=task,
        programme=task.programme_id,
        data={"kind": task.kind, "case": task.case_id, "automatic": automatic},
    )
