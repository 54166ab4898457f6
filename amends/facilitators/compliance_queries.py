"""The roster's compliance rules as SQL: the same answers as `compliance.py`, worked out
by the database for every facilitator of a programme at once.

The roster's summary and its status filter need one yes-or-no per rule for every
facilitator. Loading everyone's records to ask `compliance.compliance_on` costs time in
proportion to the roster (a national scheme has thousands per programme); here each
rule is an `EXISTS` or a small subquery on the records' (facilitator, date) indexes, and
the whole summary is one query. `compliance.py` stays the definition: a test builds a
varied world and checks that both give the same counts, rule by rule.

How each rule is restated for SQL, on `day`:

- accredited: an accreditation with `valid_from <= day <= valid_to`.
- lapsing soon (30 days): accredited, and unbroken cover ends within 30 days. Cover from
  `day` ends on the first day E >= `day` that is covered while E + 1 is not (a covered
  day followed by an uncovered one is always some accreditation's `valid_to`). So: an
  accreditation ending on E in [day, day + 30] that no accreditation carries over
  (none with `valid_from <= E + 1` and `valid_to > E`).
- supervision overdue: no session held in [day - interval, day].
- CPD short: the counting level is the highest valid on `day`; short when the CPD hours
  completed from 1 January to `day` are below what that level asks.
- observed this year: an observation in [1 January, day].
- current: a case they are assigned to entered the process stage in the 365 days up to
  `day` (local days, as `selectors.process_dates` reads them).
- compliant: accredited, supervised in time, not CPD short, observed and current.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any, Final

from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    Func,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.db.models.sql.compiler import SQLCompiler
from django.utils import timezone

from amends.cases.models import StageChange
from amends.cases.stages import CaseStage
from amends.facilitators import compliance
from amends.facilitators.models import (
    LEVEL_ORDER,
    Accreditation,
    ObservedPractice,
    SupervisionSession,
    TrainingRecord,
)

# Hours have two decimal places, so a total is short of a whole requirement R exactly
# when it is below R - 0.005; the margin absorbs SQLite's floating-point sums (5.7 + 6.3
# may add up to 11.999999999999998 there) without changing any exact answer.
_HALF_A_HUNDREDTH: Final = Decimal("0.005")


class _NextDay(Func):
    """The day after a date column, as a date both databases compare correctly (SQLite
    keeps dates as ISO text; Django's generic date arithmetic gives it a date-time)."""

    template = "(%(expressions)s + 1)"  # PostgreSQL: date + integer is a date
    output_field = models.DateField()

    def as_sqlite(
        self, compiler: SQLCompiler, connection: BaseDatabaseWrapper, **extra_context: Any
    ) -> tuple[str, tuple[Any, ...]]:
        return self.as_sql(
            compiler, connection, template="date(%(expressions)s, '+1 day')", **extra_context
        )


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _accredited(day: datetime.date) -> Exists:
    return Exists(
        Accreditation.objects.filter(
            facilitator=OuterRef("pk"), valid_from__lte=day, valid_to__gte=day
        )
    )


def _cover_ends_soon(day: datetime.date) -> Exists:
    carried_over = Accreditation.objects.filter(
        facilitator=OuterRef("facilitator"),
        valid_from__lte=_NextDay(OuterRef("valid_to")),
        valid_to__gt=OuterRef("valid_to"),
    )
    return Exists(
        Accreditation.objects.filter(
            facilitator=OuterRef("pk"),
            valid_to__range=(day, day + datetime.timedelta(days=compliance.LAPSING_SOON_DAYS)),
        ).exclude(Exists(carried_over))
    )


def _cpd_threshold(day: datetime.date, rules: compliance.Rules) -> Coalesce:
    """Below how many hours the counting level is short (its requirement less half a
    hundredth); -1, never reached, without a level or a requirement. One subquery: the
    highest level valid on `day` gives its threshold."""
    rank = Case(
        *(When(level=level, then=Value(order)) for level, order in LEVEL_ORDER.items()),
        default=Value(0),
        output_field=models.IntegerField(),
    )
    decimal = models.DecimalField(max_digits=9, decimal_places=3)
    threshold = Case(
        *(
            When(level=level, then=Value(required - _HALF_A_HUNDREDTH))
            for level, required in rules.cpd_hours.items()
        ),
        default=Value(None),
        output_field=decimal,
    )
    highest = (
        Accreditation.objects.filter(
            facilitator=OuterRef("pk"), valid_from__lte=day, valid_to__gte=day
        )
        .annotate(rank=rank, threshold=threshold)
        .order_by("-rank")
        .values("threshold")[:1]
    )
    return Coalesce(
        Subquery(highest, output_field=decimal), Value(Decimal(-1)), output_field=decimal
    )


def _cpd_hours(day: datetime.date) -> Coalesce:
    totals = (
        TrainingRecord.objects.filter(
            facilitator=OuterRef("pk"),
            counts_as_cpd=True,
            completed_on__range=(datetime.date(day.year, 1, 1), day),
        )
        .order_by()
        .values("facilitator")
        .annotate(total=Sum("hours"))
        .values("total")
    )
    decimal = models.DecimalField(max_digits=9, decimal_places=2)
    return Coalesce(Subquery(totals, output_field=decimal), Value(Decimal(0)), output_field=decimal)


def _supervised_in_time(day: datetime.date, interval_days: int) -> Exists:
    return Exists(
        SupervisionSession.objects.filter(
            facilitator=OuterRef("pk"),
            held_on__range=(day - datetime.timedelta(days=interval_days), day),
        )
    )


def _observed_this_year(day: datetime.date) -> Exists:
    return Exists(
        ObservedPractice.objects.filter(
            facilitator=OuterRef("pk"), observed_on__range=(datetime.date(day.year, 1, 1), day)
        )
    )


def _current(day: datetime.date) -> Exists:
    since = day - datetime.timedelta(days=compliance.CURRENCY_DAYS)
    return Exists(
        StageChange.objects.filter(
            to_stage=CaseStage.PROCESS,
            case__assignments__facilitator=OuterRef("pk"),
            created_at__gte=_start_of(since),
            created_at__lt=_start_of(day + datetime.timedelta(days=1)),
        )
    )


def with_standing[U: models.Model](
    users: QuerySet[U], *, rules: compliance.Rules, day: datetime.date
) -> QuerySet[U]:
    """`users` annotated with each rule's answer on `day` under `rules`: `is_accredited`,
    `cover_ends_soon`, `cpd_threshold`, `cpd_total`, `is_cpd_short`, `is_supervised`,
    `is_observed` and `is_current`. Filter or count them with `STATUS_CONDITIONS`."""
    annotated: QuerySet[U] = users.annotate(
        is_accredited=_accredited(day),
        cover_ends_soon=_cover_ends_soon(day),
        cpd_threshold=_cpd_threshold(day, rules),
        cpd_total=_cpd_hours(day),
        is_supervised=_supervised_in_time(day, rules.supervision_interval_days),
        is_observed=_observed_this_year(day),
        is_current=_current(day),
    ).annotate(
        is_cpd_short=models.ExpressionWrapper(
            Q(cpd_total__lt=F("cpd_threshold")), models.BooleanField()
        )
    )
    return annotated


class Status:
    """What the roster can be narrowed to; each is one of the summary's counts."""

    ALL = ""
    NOT_COMPLIANT = "not-compliant"
    NOT_ACCREDITED = "not-accredited"
    LAPSING = "lapsing"
    SUPERVISION = "supervision-overdue"
    CPD = "cpd-short"
    NOT_OBSERVED = "not-observed"
    NOT_CURRENT = "not-current"


_COMPLIANT: Final = (
    Q(is_accredited=True)
    & Q(is_supervised=True)
    & Q(is_cpd_short=False)
    & Q(is_observed=True)
    & Q(is_current=True)
)

# Status → the condition on `with_standing`'s annotations.
STATUS_CONDITIONS: Final[dict[str, Q]] = {
    Status.ALL: Q(),
    Status.NOT_COMPLIANT: ~_COMPLIANT,
    Status.NOT_ACCREDITED: Q(is_accredited=False),
    Status.LAPSING: Q(is_accredited=True, cover_ends_soon=True),
    Status.SUPERVISION: Q(is_supervised=False),
    Status.CPD: Q(is_cpd_short=True),
    Status.NOT_OBSERVED: Q(is_observed=False),
    Status.NOT_CURRENT: Q(is_current=False),
}


def summary_of(
    users: QuerySet[Any], *, rules: compliance.Rules, day: datetime.date
) -> compliance.ProgrammeSummary:
    """`compliance.programme_summary` of `users` on `day`, in one query."""
    annotated = with_standing(users.order_by(), rules=rules, day=day)
    counted = annotated.aggregate(
        facilitators=Count("pk"),
        accredited=Count("pk", filter=Q(is_accredited=True)),
        compliant=Count("pk", filter=_COMPLIANT),
        **{
            field: Count("pk", filter=STATUS_CONDITIONS[status])
            for field, status in _SUMMARY_FIELDS.items()
        },
    )
    return compliance.ProgrammeSummary(**{key: int(value or 0) for key, value in counted.items()})


_SUMMARY_FIELDS: Final = {
    "not_accredited": Status.NOT_ACCREDITED,
    "lapsing_soon": Status.LAPSING,
    "supervision_overdue": Status.SUPERVISION,
    "cpd_short": Status.CPD,
    "not_observed": Status.NOT_OBSERVED,
    "not_current": Status.NOT_CURRENT,
}


def count_for_status(summary: compliance.ProgrammeSummary, status: str) -> int:
    """How many facilitators a status shows, read from the summary (no query)."""
    if status == Status.ALL:
        return summary.facilitators
    if status == Status.NOT_COMPLIANT:
        return summary.facilitators - summary.compliant
    return int(getattr(summary, _FIELD_OF_STATUS[status]))


_FIELD_OF_STATUS: Final = {status: field for field, status in _SUMMARY_FIELDS.items()}
