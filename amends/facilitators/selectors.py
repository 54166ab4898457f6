"""Reads about facilitators: their records for compliance (in bulk, a fixed number of
queries whatever the roster's size), a programme's roster and one facilitator's profile.

Pages start from the policy's `visible_to(user)`; `facilitator_records` serves G6, the
roster and the alert sweep, which have already decided whose records they need.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Max, QuerySet
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.models import FacilitatorAssignment, StageChange
from amends.cases.stages import CaseStage
from amends.facilitators import compliance, compliance_queries, roster_paging
from amends.facilitators.compliance_queries import Status
from amends.facilitators.models import (
    Accreditation,
    AvailabilitySlot,
    AwayPeriod,
    ConflictDeclaration,
    EndorsementRecord,
    FacilitatorProfile,
    ObservedPractice,
    SupervisionSession,
    TrainingRecord,
)
from amends.facilitators.permissions import (
    MANAGER_ROLES,
    facilitating_programme_ids,
    managed_programme_ids,
)
from amends.programmes.models import Programme, ProgrammeSettings
from amends.programmes.selectors import settings_for
from amends.tasks.models import Task, TaskKind


def default_capacity() -> int:
    """The capacity of a facilitator who has not filled in their profile yet."""
    return int(FacilitatorProfile._meta.get_field("capacity").get_default())


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def facilitator_records(user_ids: Iterable[int], *, day: datetime.date) -> dict[int, Any]:
    """user id → `compliance.Records` with what counts on `day`: every accreditation and
    endorsement, this calendar year's CPD training up to `day`, the latest supervision,
    this year's latest observed practice and the latest day a case they are assigned to
    entered the process stage. Six queries, whatever the number of users."""
    ids = sorted(set(user_ids))
    if not ids:
        return {}
    year_start = datetime.date(day.year, 1, 1)
    accreditations = _by_user(
        Accreditation.objects.filter(facilitator_id__in=ids).only(
            "facilitator_id", "level", "issuer", "valid_from", "valid_to"
        )
    )
    endorsements = _by_user(
        EndorsementRecord.objects.filter(facilitator_id__in=ids).only(
            "facilitator_id", "endorsement", "valid_from", "valid_to"
        )
    )
    trainings = _by_user(
        TrainingRecord.objects.filter(
            facilitator_id__in=ids, counts_as_cpd=True, completed_on__range=(year_start, day)
        ).only("facilitator_id", "completed_on", "hours", "counts_as_cpd")
    )
    supervised = _latest_by_user(
        SupervisionSession.objects.filter(facilitator_id__in=ids, held_on__lte=day), "held_on"
    )
    observed = _latest_by_user(
        ObservedPractice.objects.filter(
            facilitator_id__in=ids, observed_on__range=(year_start, day)
        ),
        "observed_on",
    )
    processes = process_dates(ids, day=day)
    return {
        user_id: compliance.Records(
            accreditations=accreditations.get(user_id, []),
            endorsements=endorsements.get(user_id, []),
            trainings=trainings.get(user_id, []),
            supervision_dates=_listed(supervised.get(user_id)),
            observation_dates=_listed(observed.get(user_id)),
            process_dates=_listed(processes.get(user_id)),
        )
        for user_id in ids
    }


def process_dates(user_ids: Iterable[int], *, day: datetime.date) -> dict[int, datetime.date]:
    """user id → the latest day, up to `day`, on which a case they are assigned to
    entered the `process` stage (one query)."""
    rows = (
        StageChange.objects.filter(
            to_stage=CaseStage.PROCESS,
            case__assignments__facilitator_id__in=list(user_ids),
            created_at__lt=_start_of(day + datetime.timedelta(days=1)),
        )
        .order_by()
        .values_list("case__assignments__facilitator_id")
        .annotate(last=Max("created_at"))
    )
    return {user_id: timezone.localdate(last) for user_id, last in rows}


def _by_user[T: Any](rows: QuerySet[T]) -> dict[int, list[T]]:
    grouped: dict[int, list[T]] = defaultdict(list)
    for row in rows:
        grouped[row.facilitator_id].append(row)
    return grouped


def _latest_by_user(rows: QuerySet[Any], field: str) -> dict[int, datetime.date]:
    return dict(
        rows.order_by()
        .values_list("facilitator_id")
        .annotate(last=Max(field))
        .values_list("facilitator_id", "last")
    )


def _listed(day: datetime.date | None) -> tuple[datetime.date, ...]:
    return () if day is None else (day,)


def rules_of(programme: Programme) -> compliance.Rules:
    return compliance.rules_for(settings_for(programme))


def figures_for(
    user_ids: Iterable[int], *, programme: Programme, day: datetime.date
) -> dict[int, compliance.Compliance]:
    """user id → compliance on `day` under `programme`'s rules."""
    rules = rules_of(programme)
    return {
        user_id: compliance.compliance_on(records, rules, day)
        for user_id, records in facilitator_records(user_ids, day=day).items()
    }


# --- the roster ---------------------------------------------------------------------------


@dataclass(frozen=True)
class RosterRow:
    facilitator: User
    profile: FacilitatorProfile | None
    figures: compliance.Compliance
    open_cases: int

    @property
    def capacity(self) -> int:
        return self.profile.capacity if self.profile is not None else default_capacity()


@dataclass(frozen=True)
class Roster:
    """One page of a programme's roster and the programme's summary."""

    programme: Programme
    day: datetime.date
    settings: ProgrammeSettings
    rows: list[RosterRow]
    summary: compliance.ProgrammeSummary
    page: roster_paging.UserPage
    # The status the rows are narrowed to (`compliance_queries.Status`), and how many
    # facilitators have it.
    status: str = Status.ALL
    matching: int = 0


def programme_facilitators(programme: Programme) -> QuerySet[User]:
    """The programme's active facilitators, in the roster's order (name, then id)."""
    members = Membership.objects.filter(programme=programme, role=Role.FACILITATOR)
    return roster_paging.ordered(
        User.objects.filter(is_active=True, pk__in=members.values("user_id"))
    )


def programme_summary(programme: Programme, *, day: datetime.date) -> compliance.ProgrammeSummary:
    """The programme's roster counts on `day` (`compliance.programme_summary` of every
    active facilitator), worked out by the database in one query."""
    return compliance_queries.summary_of(
        programme_facilitators(programme), rules=rules_of(programme), day=day
    )


def roster_for_programme(
    programme: Programme,
    *,
    day: datetime.date,
    cursor: str | None = None,
    status: str = Status.ALL,
    size: int = roster_paging.PAGE_SIZE,
) -> Roster:
    """One page of the programme's active facilitators (those with `status` only, when
    given) with their compliance on `day` and how many open cases they carry (in any
    programme: capacity belongs to the person), plus the programme's summary.

    A fixed number of queries, each costing the same whatever the roster's size except
    the summary's single aggregate: the figures are computed for the page's rows only."""
    settings = settings_for(programme)
    rules = compliance.rules_for(settings)
    if status not in compliance_queries.STATUS_CONDITIONS:
        status = Status.ALL
    users = programme_facilitators(programme)
    if status != Status.ALL:
        users = compliance_queries.with_standing(users, rules=rules, day=day).filter(
            compliance_queries.STATUS_CONDITIONS[status]
        )
    page = roster_paging.user_page(
        users.select_related("facilitator_profile"),
        cursor=cursor,
        scope={"p": programme.pk, "s": status},
        size=size,
    )
    ids = [user.pk for user in page.users]
    records = facilitator_records(ids, day=day)
    loads = open_case_counts(ids)
    summary = compliance_queries.summary_of(programme_facilitators(programme), rules=rules, day=day)
    return Roster(
        programme=programme,
        day=day,
        settings=settings,
        rows=[
            RosterRow(
                facilitator=user,
                profile=getattr(user, "facilitator_profile", None),
                figures=compliance.compliance_on(records[user.pk], rules, day),
                open_cases=loads.get(user.pk, 0),
            )
            for user in page.users
        ],
        summary=summary,
        page=page,
        status=status,
        matching=compliance_queries.count_for_status(summary, status),
    )


def open_case_counts(user_ids: Iterable[int]) -> dict[int, int]:
    """user id → how many cases that are not closed they are assigned to (one query)."""
    return dict(
        FacilitatorAssignment.objects.filter(facilitator_id__in=list(user_ids))
        .exclude(case__stage=CaseStage.CLOSED)
        .order_by()
        .values_list("facilitator_id")
        .annotate(count=Count("case_id", distinct=True))
        .values_list("facilitator_id", "count")
    )


def managed_programmes(user: Any) -> QuerySet[Programme]:
    """The active programmes whose roster `user` may see."""
    return Programme.objects.filter(pk__in=managed_programme_ids(user), is_active=True).order_by(
        "name"
    )


# --- one facilitator ----------------------------------------------------------------------


@dataclass(frozen=True)
class ProgrammeStanding:
    programme: Programme
    figures: compliance.Compliance
    settings: ProgrammeSettings


def profile_page(facilitator: User, *, viewer: Any, day: datetime.date) -> dict[str, Any]:
    """Everything the profile page shows about `facilitator` to `viewer`: their details,
    each kind of record (newest first), their week, periods away from `day` on, declared
    conflicts, and their compliance under the rules of each programme both share (all
    of the facilitator's programmes when they look at themselves)."""
    programme_ids = facilitating_programme_ids(facilitator)
    if viewer.pk != facilitator.pk:
        programme_ids &= managed_programme_ids(viewer)
    programmes = list(Programme.objects.filter(pk__in=programme_ids).order_by("name"))
    records = facilitator_records([facilitator.pk], day=day)[facilitator.pk]
    who = {"facilitator": facilitator}
    return {
        "profile": FacilitatorProfile.objects.filter(user=facilitator).first(),
        "standings": [
            ProgrammeStanding(
                programme=programme,
                figures=compliance.compliance_on(records, rules_of(programme), day),
                settings=settings_for(programme),
            )
            for programme in programmes
        ],
        "accreditations": list(Accreditation.objects.filter(**who).order_by("-valid_to")),
        "endorsements": list(
            EndorsementRecord.objects.filter(**who).order_by("endorsement", "-valid_from")
        ),
        "trainings": list(TrainingRecord.objects.filter(**who).order_by("-completed_on", "-id")),
        "supervisions": list(
            SupervisionSession.objects.filter(**who)
            .select_related("supervisor")
            .order_by("-held_on", "-id")
        ),
        "observations": list(
            ObservedPractice.objects.filter(**who)
            .select_related("observer")
            .order_by("-observed_on", "-id")
        ),
        "slots": list(AvailabilitySlot.objects.filter(**who).order_by("weekday", "starts_at")),
        "away": list(AwayPeriod.objects.filter(ends_on__gte=day, **who).order_by("starts_on")),
        "conflicts": list(
            ConflictDeclaration.objects.filter(**who)
            .select_related("person")
            .order_by("kind", "created_at")
        ),
        "open_cases": open_case_counts([facilitator.pk]).get(facilitator.pk, 0),
    }


def supervisor_choices(facilitator: User, *, viewer: Any) -> QuerySet[User]:
    """Who can be named as supervisor or observer: the coordinators and supervisors of
    the programmes the viewer manages and the facilitator works in, never the facilitator
    themselves."""
    shared = facilitating_programme_ids(facilitator) & managed_programme_ids(viewer)
    return (
        User.objects.filter(
            is_active=True,
            memberships__programme_id__in=shared,
            memberships__role__in=MANAGER_ROLES,
        )
        .exclude(pk=facilitator.pk)
        .distinct()
        .order_by("full_name", "email")
    )


def facilitator_programmes() -> dict[int, set[int]]:
    """Active facilitator id → the active programmes in which they facilitate (one
    query), for the alert sweep."""
    found: dict[int, set[int]] = defaultdict(set)
    rows = Membership.objects.filter(
        role=Role.FACILITATOR, programme__is_active=True, user__is_active=True
    ).values_list("user_id", "programme_id")
    for user_id, programme_id in rows:
        found[user_id].add(programme_id)
    return found


def programme_rules(programme_ids: Iterable[int]) -> dict[int, compliance.Rules]:
    """programme id → its compliance rules (the defaults for a programme without
    settings), in one query."""
    found = {
        settings.programme_id: compliance.rules_for(settings)
        for settings in ProgrammeSettings.objects.filter(programme_id__in=list(programme_ids))
    }
    return {pid: found.get(pid, compliance.Rules()) for pid in programme_ids}


def task_keys_ever_made(keys: Iterable[str]) -> set[str]:
    """Which of `keys` a task was ever made with (open or done)."""
    wanted = sorted(set(keys))
    made: set[str] = set()
    # In batches: SQLite limits the number of parameters in one statement.
    for start in range(0, len(wanted), 500):
        batch = wanted[start : start + 500]
        made.update(Task.objects.filter(key__in=batch).values_list("key", flat=True))
    return made


def open_alert_task_keys(prefix: str) -> list[str]:
    """Keys of the open facilitator compliance tasks the sweep made."""
    return list(
        Task.objects.filter(
            kind=TaskKind.FACILITATOR_COMPLIANCE, done_at__isnull=True, key__startswith=prefix
        ).values_list("key", flat=True)
    )
