"""Reads for a programme's dashboard (issue 6: "dashboards and caseload counts").

Every figure is an aggregate computed by the database on indexed columns, in a fixed
number of queries whatever the number of cases (seven, see `programme_dashboard`):
conditional aggregates (`COUNT(*) FILTER (WHERE ...)`) fold the figures that read the
same rows into one query, and GROUP BY does the grouping. Nothing encrypted is read.

What each query reads, and the index that answers it without reading the table:
- open cases by stage (with overdue, due soon, sensitive, no coordinator) and the
  caseload per coordinator: the programme's open cases only (`stage <> 'closed'`), through
  a partial index on open cases (programme, stage, next_action_due) including
  coordinator and is_sensitive; they count `stage`, a column the index holds;
- caseload per facilitator and "no facilitator": the open cases (partial index
  "case_open_due": programme, next_action_due, id) joined to their assignments through
  the (case, facilitator) unique index; its cost follows the number of open cases, not
  the history;
- closed this year: Case (programme, closed_at) including closure_reason;
- open tasks overdue: Task (programme, done_at, due_on) ("task_open_due");
- referrals received: Referral (programme, created_at). The count stops at `COUNT_CAP`
  rows and shows "10,000+", so its cost stays bounded even before that index exists.

Agreements made this year are left out: an agreement has no programme of its own, and
counting a programme's means joining its cases, which PostgreSQL does by reading every
case once a programme holds most of them (measured: 0.5 s at 1M cases). Cases closed
"with an agreement" are in the closures by reason.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any, Final

from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils import formats, timezone
from django.utils.functional import Promise

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.models import Case
from amends.cases.stages import OPEN_STAGES, CaseStage, ClosureReason
from amends.core.counting import COUNT_CAP
from amends.programmes.models import Programme
from amends.referrals.models import Referral
from amends.tasks.models import Task

CASELOAD_ROWS: Final = 20
DUE_SOON_DAYS: Final = 7
RECENT_DAYS: Final = 30

# Every stage a case can be in before it closes, in workflow order, paused last.
NOT_CLOSED_STAGES: Final = tuple(
    stage for stage in CaseStage if stage in OPEN_STAGES or stage == CaseStage.PAUSED
)


@dataclass(frozen=True)
class CappedCount:
    """A count that stopped at `COUNT_CAP`: `capped` says there are more."""

    value: int
    capped: bool

    @classmethod
    def of(cls, counted: int) -> CappedCount:
        return cls(value=min(counted, COUNT_CAP), capped=counted > COUNT_CAP)

    def __str__(self) -> str:
        shown = formats.number_format(self.value, force_grouping=True)
        return f"{shown}+" if self.capped else shown


@dataclass(frozen=True)
class StageCount:
    stage: str
    label: str | Promise
    cases: int


@dataclass(frozen=True)
class CaseloadRow:
    """One person's open cases in the programme, and how many of them are overdue."""

    user_id: int
    name: str
    open_cases: int
    overdue: int
    # Still holds the role in the programme, so the case list's filter offers them.
    is_member: bool


@dataclass(frozen=True)
class ClosureCount:
    reason: str
    label: str | Promise
    cases: int


@dataclass(frozen=True)
class ProgrammeDashboard:
    today: datetime.date
    by_stage: list[StageCount]
    open_cases: int
    sensitive_open: int
    overdue: int
    due_soon: int
    no_coordinator: int
    no_facilitator: int
    tasks_overdue: int
    coordinators: list[CaseloadRow]
    facilitators: list[CaseloadRow]
    referrals_recent: CappedCount
    referrals_this_year: CappedCount
    closed_this_year: list[ClosureCount]
    closed_this_year_total: int

    @property
    def due_soon_until(self) -> datetime.date:
        return self.today + datetime.timedelta(days=DUE_SOON_DAYS)


def _start_of(day: datetime.date) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time.min, tzinfo=timezone.get_current_timezone())


def _not_closed(programme: Programme) -> QuerySet[Case]:
    # `stage <> 'closed'`, the very condition of the partial indexes on open cases.
    return Case.objects.filter(programme=programme).exclude(stage=CaseStage.CLOSED).order_by()


def programme_dashboard(
    programme: Programme, today: datetime.date | None = None
) -> ProgrammeDashboard:
    """Every figure of the dashboard of `programme`, in seven queries."""
    today = today or timezone.localdate()
    year_start = _start_of(today.replace(month=1, day=1))
    recent_start = _start_of(today - datetime.timedelta(days=RECENT_DAYS))

    # 1. Open cases: by stage, with every per-case figure folded into the same scan.
    # Counting a column the indexes hold (stage), not the id, lets an index on the open
    # cases that includes what is counted answer without reading the table.
    overdue = Q(next_action_due__lt=today)
    stage_rows: dict[str, dict[str, Any]] = {
        str(row["stage"]): dict(row)
        for row in _not_closed(programme)
        .values("stage")
        .annotate(
            cases=Count("stage"),
            sensitive=Count("stage", filter=Q(is_sensitive=True)),
            overdue=Count("stage", filter=overdue),
            due_soon=Count(
                "stage",
                filter=Q(
                    next_action_due__gte=today,
                    next_action_due__lte=today + datetime.timedelta(days=DUE_SOON_DAYS),
                ),
            ),
            no_coordinator=Count("stage", filter=Q(coordinator__isnull=True)),
        )
    }

    def total(column: str) -> int:
        return sum(int(row[column]) for row in stage_rows.values())

    # 2. and 3. Caseloads: the heaviest first, each with its overdue cases.
    coordinator_rows: list[dict[str, Any]] = [
        dict(row)
        for row in _not_closed(programme)
        .filter(coordinator__isnull=False)
        .values("coordinator_id")
        .annotate(open_cases=Count("stage"), overdue=Count("stage", filter=overdue))
        .order_by("-open_cases", "coordinator_id")[:CASELOAD_ROWS]
    ]
    # One scan of the open cases joined to their facilitators: the group without one
    # (NULL, from the outer join) is "open cases with no facilitator", and it sorts
    # first so the LIMIT never cuts it off.
    facilitator_rows: list[dict[str, Any]] = [
        dict(row)
        for row in _not_closed(programme)
        .values(facilitator_id=F("assignments__facilitator_id"))
        .annotate(
            nobody=ExpressionWrapper(
                Q(assignments__facilitator_id__isnull=True), output_field=BooleanField()
            ),
            # The id, which the index on open cases by due date holds with the date.
            open_cases=Count("pk"),
            overdue=Count("pk", filter=overdue),
        )
        .order_by("-nobody", "-open_cases", "facilitator_id")[: CASELOAD_ROWS + 1]
    ]
    no_facilitator = sum(row["open_cases"] for row in facilitator_rows if row["nobody"])
    facilitator_rows = [row for row in facilitator_rows if not row["nobody"]][:CASELOAD_ROWS]
    # 4. Their names, and whether they still hold the role (at most 40 people).
    people = _people(
        programme,
        coordinators={row["coordinator_id"] for row in coordinator_rows},
        facilitators={row["facilitator_id"] for row in facilitator_rows},
    )

    # 5. Open tasks past their due date ("task_open_due" index).
    tasks_overdue = Task.objects.filter(
        programme=programme, done_at__isnull=True, due_on__lt=today
    ).count()

    # 6. Referrals received, newest first, stopping at the cap: a window taken from the
    # newest end, so the last 30 days are counted exactly whenever the year is.
    referral_counts = (
        Referral.objects.filter(programme=programme, created_at__gte=min(year_start, recent_start))
        .order_by("-created_at")
        .values("created_at")[: COUNT_CAP + 1]
        .aggregate(
            recent=Count("created_at", filter=Q(created_at__gte=recent_start)),
            this_year=Count("created_at", filter=Q(created_at__gte=year_start)),
        )
    )

    # 7. Cases closed this year, by reason. A closure reason is there exactly when the
    # case is closed (a constraint), so an index on (programme, closed_at) that includes
    # the reason answers without reading the table.
    closures = dict(
        Case.objects.filter(programme=programme, closed_at__gte=year_start)
        .exclude(closure_reason="")
        .order_by()
        .values("closure_reason")
        .annotate(cases=Count("*"))
        .values_list("closure_reason", "cases")
    )

    return ProgrammeDashboard(
        today=today,
        by_stage=[
            StageCount(
                stage=stage,
                label=stage.label,
                cases=int(stage_rows.get(stage, {}).get("cases", 0)),
            )
            for stage in NOT_CLOSED_STAGES
        ],
        open_cases=total("cases"),
        sensitive_open=total("sensitive"),
        overdue=total("overdue"),
        due_soon=total("due_soon"),
        no_coordinator=total("no_coordinator"),
        no_facilitator=int(no_facilitator),
        tasks_overdue=tasks_overdue,
        coordinators=_caseload(coordinator_rows, "coordinator_id", people, Role.COORDINATOR),
        facilitators=_caseload(facilitator_rows, "facilitator_id", people, Role.FACILITATOR),
        referrals_recent=CappedCount.of(int(referral_counts["recent"])),
        referrals_this_year=CappedCount.of(int(referral_counts["this_year"])),
        closed_this_year=[
            ClosureCount(reason=reason, label=reason.label, cases=int(closures[reason]))
            for reason in ClosureReason
            if closures.get(reason)
        ],
        closed_this_year_total=sum(int(count) for count in closures.values()),
    )


@dataclass(frozen=True)
class _Person:
    name: str
    roles: frozenset[str]


def _people(
    programme: Programme, *, coordinators: set[int], facilitators: set[int]
) -> dict[int, _Person]:
    """The names of the people on the caseload lists and the roles they hold here now."""
    wanted = coordinators | facilitators
    if not wanted:
        return {}
    users = (
        User.objects.filter(pk__in=wanted)
        .annotate(
            **{
                f"holds_{role}": Exists(
                    Membership.objects.filter(
                        user_id=OuterRef("pk"), programme=programme, role=role
                    )
                )
                for role in (Role.COORDINATOR, Role.FACILITATOR)
            }
        )
        .only("id", "full_name", "email")
    )
    return {
        user.pk: _Person(
            name=str(user.full_name or user.email),
            roles=frozenset(
                role
                for role in (Role.COORDINATOR, Role.FACILITATOR)
                if getattr(user, f"holds_{role}")
            ),
        )
        for user in users
    }


def _caseload(
    rows: list[dict[str, Any]], key: str, people: dict[int, _Person], role: Role
) -> list[CaseloadRow]:
    result = []
    for row in rows:
        person = people[row[key]]
        result.append(
            CaseloadRow(
                user_id=row[key],
                name=person.name,
                open_cases=int(row["open_cases"]),
                overdue=int(row["overdue"]),
                is_member=role in person.roles,
            )
        )
    return result
