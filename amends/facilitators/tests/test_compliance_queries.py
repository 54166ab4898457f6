"""The roster's rules in SQL (`compliance_queries`) give exactly what `compliance.py`
gives: a varied world, every edge of every rule on both sides, compared facilitator by
facilitator and count by count on several days and under two sets of programme rules."""

from __future__ import annotations

import datetime
import random
from typing import Any

import pytest
from django.utils import timezone

from amends.cases.models import Case, FacilitatorAssignment, StageChange
from amends.cases.tests.builders import build_case
from amends.facilitators import compliance, compliance_queries, selectors
from amends.facilitators.compliance import Compliance
from amends.facilitators.compliance_queries import STATUS_CONDITIONS, Status
from amends.facilitators.models import AccreditationLevel
from amends.programmes.models import ProgrammeSettings

pytestmark = pytest.mark.django_db

DAY = datetime.date(2026, 6, 15)
ONE_DAY = datetime.timedelta(days=1)
LEVELS = (AccreditationLevel.FOUNDATION, AccreditationLevel.INTERMEDIATE, "advanced")

# What Python says about each status; the SQL conditions must pick the same people.
PYTHON_RULES: dict[str, Any] = {
    Status.ALL: lambda one: True,
    Status.NOT_COMPLIANT: lambda one: not one.compliant,
    Status.NOT_ACCREDITED: lambda one: not one.accredited,
    Status.LAPSING: lambda one: one.accredited and one.lapsing_soon,
    Status.SUPERVISION: lambda one: one.supervision_overdue,
    Status.CPD: lambda one: one.cpd_short,
    Status.NOT_OBSERVED: lambda one: not one.observed_this_year,
    Status.NOT_CURRENT: lambda one: not one.current,
}


def days(n: int) -> datetime.timedelta:
    return datetime.timedelta(days=n)


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


# Each facilitator draws one option per kind of record. Edges sit on both sides of each
# rule's boundary on DAY: the last covered day, the 30th and 31st day, a renewal the day
# after or two days after, the supervision interval's last day, CPD a hundredth short.
ACCREDITATIONS: list[list[tuple[datetime.timedelta, datetime.timedelta, str]]] = [
    [],
    [(-days(400), days(400), "advanced")],
    [(-days(10), days(0), "intermediate")],  # runs out today
    [(-days(10), days(30), "foundation")],  # the 30th day: lapsing
    [(-days(10), days(31), "foundation")],  # the 31st: not yet
    [(-days(300), -days(1), "advanced")],  # ran out yesterday
    [(days(1), days(20), "advanced")],  # starts tomorrow: not accredited today
    [(-days(100), days(10), "intermediate"), (days(11), days(500), "intermediate")],
    [(-days(100), days(10), "intermediate"), (days(12), days(500), "intermediate")],
    [(-days(100), days(10), "foundation"), (days(5), days(25), "advanced")],
    [(-days(100), days(10), "foundation"), (days(11), days(25), "foundation")],
    [(-days(100), days(200), "foundation"), (-days(5), days(20), "advanced")],
    [(-days(100), days(20), "advanced"), (-days(50), days(300), "foundation")],
    [(-days(100), days(5), "intermediate"), (days(6), days(15), "x"), (days(16), days(90), "x")],
]
SUPERVISIONS: list[list[datetime.timedelta]] = [
    [],
    [days(0)],
    [-days(84)],  # the interval's last day
    [-days(85)],  # one day late
    [-days(60)],  # in time under the default rules, late under the strict ones
    [days(1)],  # tomorrow: not yet held
    [-days(200), -days(30)],
]
# (days before DAY, hours, counts as CPD)
TRAININGS: list[list[tuple[datetime.timedelta, str, bool]]] = [
    [],
    [(-days(10), "6", True)],
    [(-days(10), "5.99", True)],
    [(-days(10), "5.7", True), (-days(20), "6.3", True)],  # 12 in all
    [(-days(10), "11.99", True)],
    [(-days(10), "16", True)],
    [(-days(10), "15.5", True), (-days(12), "0.49", True)],
    [(-days(10), "20", False)],
    [(-days(170), "20", True)],  # last calendar year
    [(days(1), "20", True)],  # tomorrow
    [(datetime.date(2026, 1, 1) - DAY, "9", True), (-days(3), "0.1", True)],
    [(-days(5), "0.1", True), (-days(6), "0.2", True), (-days(7), "8.7", True)],  # 9
]
OBSERVATIONS: list[list[datetime.timedelta]] = [
    [],
    [-days(10)],
    [datetime.date(2026, 1, 1) - DAY],  # 1 January
    [datetime.date(2025, 12, 31) - DAY],  # last year
    [days(1)],  # tomorrow
    [days(0)],
]


class World:
    """Facilitators with records drawn from the options, cases whose process stage
    started at the edges of "the last 365 days" (local midnights), and people who must
    not be counted (inactive, in another programme, coordinators)."""

    def __init__(self, cast: Any, roster: Any) -> None:
        self.cast, self.roster = cast, roster
        self.cases = {when: self._case_in_process_at(when) for when in self._process_moments()}

    def _process_moments(self) -> list[datetime.datetime]:
        return [
            _start_of(DAY) + datetime.timedelta(hours=12),
            _start_of(DAY - days(365)),  # the first moment that still counts on DAY
            _start_of(DAY - days(365)) - datetime.timedelta(microseconds=1),
            _start_of(DAY + ONE_DAY),  # the first moment of tomorrow
            _start_of(DAY - days(200)) + datetime.timedelta(hours=23, minutes=59),
            _start_of(datetime.date(2026, 12, 31)),
        ]

    def _case_in_process_at(self, moment: datetime.datetime) -> Case:
        case = build_case(self.cast.programme)
        change = StageChange.objects.create(case=case, from_stage="ready", to_stage="process")
        StageChange.objects.filter(pk=change.pk).update(created_at=moment)
        return case

    def grow(self, number: int, seed: int) -> None:
        chance = random.Random(seed)  # noqa: S311 - a test world, not a secret
        moments = list(self.cases)
        for index in range(number):
            user = self.roster.facilitator(f"{chance.choice('ABCDE')} {seed}-{index}")
            for start, end, level in chance.choice(ACCREDITATIONS):
                self.roster.accreditation(user, DAY + start, DAY + end, level)
            for offset in chance.choice(SUPERVISIONS):
                self.roster.supervision(user, DAY + offset)
            for offset, hours, counts in chance.choice(TRAININGS):
                self.roster.training(user, DAY + offset, hours, counts_as_cpd=counts)
            for offset in chance.choice(OBSERVATIONS):
                self.roster.observed(user, DAY + offset)
            for moment in chance.sample(moments, chance.choice((0, 0, 1, 1, 2))):
                FacilitatorAssignment.objects.create(case=self.cases[moment], facilitator=user)

    def outsiders(self) -> None:
        gone = self.roster.facilitator("Gone")
        gone.is_active = False
        gone.save(update_fields=["is_active"])
        self.roster.facilitator("Elsewhere", programme=self.cast.other_programme)
        self.roster.facilitator("Coordinating", role="coordinator")


@pytest.fixture
def world(cast: Any, roster: Any) -> World:
    made = World(cast, roster)
    made.grow(90, seed=1)
    made.outsiders()
    return made


def _python_figures(programme: Any, day: datetime.date) -> dict[int, Compliance]:
    ids = list(selectors.programme_facilitators(programme).values_list("pk", flat=True))
    return selectors.figures_for(ids, programme=programme, day=day)


def _assert_sql_agrees(programme: Any, day: datetime.date) -> compliance.ProgrammeSummary:
    figures = _python_figures(programme, day)
    rules = selectors.rules_of(programme)
    standing = compliance_queries.with_standing(
        selectors.programme_facilitators(programme), rules=rules, day=day
    )
    for status, condition in STATUS_CONDITIONS.items():
        expected = {pk for pk, one in figures.items() if PYTHON_RULES[status](one)}
        found = set(standing.filter(condition).values_list("pk", flat=True))
        assert found == expected, (day, status)
    summary = selectors.programme_summary(programme, day=day)
    assert summary == compliance.programme_summary(figures.values()), day
    return summary


def test_the_sql_summary_equals_the_python_rules_for_every_facilitator(cast, world):
    summary = _assert_sql_agrees(cast.programme, DAY)
    # The world is varied enough that every count is neither nobody nor everybody.
    counts = [
        summary.accredited,
        summary.not_accredited,
        summary.lapsing_soon,
        summary.supervision_overdue,
        summary.cpd_short,
        summary.not_observed,
        summary.not_current,
        summary.compliant,
    ]
    assert all(0 < count < summary.facilitators for count in counts), summary


@pytest.mark.parametrize(
    "day",
    [
        DAY - ONE_DAY,
        DAY + ONE_DAY,
        DAY + days(10),
        DAY + days(11),
        datetime.date(2026, 1, 1),
        datetime.date(2025, 12, 31),
        datetime.date(2026, 12, 31),
        datetime.date(2027, 1, 1),
    ],
)
def test_the_sql_summary_agrees_on_other_days(cast, world, day):
    _assert_sql_agrees(cast.programme, day)


def test_the_sql_summary_follows_the_programmes_own_rules(cast, world):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(
        supervision_interval_days=60,
        cpd_hours_foundation=9,
        cpd_hours_intermediate=12,
        cpd_hours_advanced=20,
    )
    summary = _assert_sql_agrees(cast.programme, DAY)
    assert 0 < summary.cpd_short < summary.facilitators


def test_a_programme_without_facilitators_has_an_empty_summary(cast):
    assert selectors.programme_summary(cast.other_programme, day=DAY) == (
        compliance.programme_summary([])
    )


def test_the_summary_is_one_query(cast, world, django_assert_num_queries):
    rules = selectors.rules_of(cast.programme)
    users = selectors.programme_facilitators(cast.programme)
    with django_assert_num_queries(1):
        compliance_queries.summary_of(users, rules=rules, day=DAY)
