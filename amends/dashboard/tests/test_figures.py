"""The dashboard's figures against hand-built data."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.cases.stages import CaseStage, ClosureReason
from amends.cases.tests.builders import build_case
from amends.core.counting import COUNT_CAP
from amends.dashboard import selectors
from amends.dashboard.selectors import CappedCount, programme_dashboard
from amends.dashboard.tests.conftest import days
from conftest import make_user

pytestmark = pytest.mark.django_db


def _stages(dashboard):
    return {row.stage: row.cases for row in dashboard.by_stage}


def test_open_cases_by_stage_list_every_stage_in_workflow_order_with_paused_last(cast, build):
    # given
    build_case(cast.programme, coordinator=cast.coordinator)  # through the services
    build.case(stage=CaseStage.CONTACT)
    build.case(stage=CaseStage.CONTACT)
    build.case(stage=CaseStage.PROCESS)
    build.case(stage=CaseStage.PAUSED)
    build.case(stage=CaseStage.CLOSED)
    build.case(stage=CaseStage.READY, programme=cast.other_programme)
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert [row.stage for row in dashboard.by_stage] == [
        "referred",
        "screening",
        "contact",
        "assessment",
        "preparation",
        "ready",
        "process",
        "agreement",
        "follow_up",
        "paused",
    ]
    assert _stages(dashboard) == {
        "referred": 1,
        "screening": 0,
        "contact": 2,
        "assessment": 0,
        "preparation": 0,
        "ready": 0,
        "process": 1,
        "agreement": 0,
        "follow_up": 0,
        "paused": 1,
    }
    assert dashboard.open_cases == 5


def test_attention_figures_count_open_cases_only(cast, build):
    # given
    today = timezone.localdate()
    build.case(next_action_due=days(-3), sensitive=True)  # overdue, sensitive
    build.case(next_action_due=days(-1), coordinator=None)  # overdue, nobody coordinates
    build.case(next_action_due=today, facilitators=(cast.facilitator,))  # due today
    build.case(next_action_due=days(7), stage=CaseStage.PAUSED)  # last day of the window
    build.case(next_action_due=days(8), sensitive=True, facilitators=(cast.facilitator,))
    build.case(stage=CaseStage.CLOSED, coordinator=None, sensitive=True)  # counts nowhere
    build.case(next_action_due=days(-5), programme=cast.other_programme, coordinator=None)
    # when
    dashboard = programme_dashboard(cast.programme, today)
    # then
    assert dashboard.open_cases == 5
    assert dashboard.overdue == 2
    assert dashboard.due_soon == 2
    assert dashboard.sensitive_open == 2
    assert dashboard.no_coordinator == 1
    assert dashboard.no_facilitator == 3


def test_open_tasks_overdue_leave_out_done_future_and_other_programmes_tasks(cast, build):
    # given
    build.task(due_on=days(-2))
    build.task(due_on=days(-1))
    build.task(due_on=days(-1), done=True)
    build.task(due_on=timezone.localdate())
    build.task(due_on=days(-1), case=build.case(programme=cast.other_programme))
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert dashboard.tasks_overdue == 2


def test_caseloads_count_open_cases_per_person_heaviest_first_with_overdue(cast, build):
    # given
    second = make_user("second@example.org", "Second Coordinator")
    Membership.objects.create(user=second, programme=cast.programme, role=Role.COORDINATOR)
    former = make_user("former@example.org", "Former Facilitator")
    for _ in range(3):
        build.case(coordinator=second, facilitators=(cast.facilitator,))
    build.case(coordinator=second, next_action_due=days(-1), facilitators=(former,))
    build.case(coordinator=cast.coordinator, next_action_due=days(-2))
    build.case(coordinator=second, stage=CaseStage.CLOSED, facilitators=(cast.facilitator,))
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert [(r.name, r.open_cases, r.overdue, r.is_member) for r in dashboard.coordinators] == [
        ("Second Coordinator", 4, 1, True),
        ("Coordinator", 1, 1, True),
    ]
    assert [(r.name, r.open_cases, r.overdue, r.is_member) for r in dashboard.facilitators] == [
        ("Facilitator", 3, 0, True),
        ("Former Facilitator", 1, 1, False),
    ]


def test_caseloads_stop_at_the_top_twenty(cast, build, monkeypatch):
    # given
    monkeypatch.setattr(selectors, "CASELOAD_ROWS", 2)
    people = [make_user(f"c{n}@example.org", f"C{n}") for n in range(3)]
    for load, person in enumerate(people, start=1):
        for _ in range(load):
            build.case(coordinator=person)
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert [(row.name, row.open_cases) for row in dashboard.coordinators] == [("C2", 3), ("C1", 2)]


def test_flow_counts_referrals_and_closures_by_reason_this_year(cast, build):
    # given
    today = timezone.localdate()
    year_start = today.replace(month=1, day=1)
    last_year = year_start - datetime.timedelta(days=1)
    build.referral(received_on=today)
    build.referral(received_on=days(-29))
    build.referral(received_on=year_start)
    build.referral(received_on=last_year)
    build.referral(received_on=today, programme=cast.other_programme)
    build.case(stage=CaseStage.CLOSED, closure_reason=ClosureReason.NOT_SUITABLE)
    build.case(stage=CaseStage.CLOSED, closure_reason=ClosureReason.NOT_SUITABLE)
    build.case(stage=CaseStage.CLOSED, closure_reason=ClosureReason.COMPLETED_WITH_AGREEMENT)
    build.case(stage=CaseStage.CLOSED, closed_on=last_year)
    # when
    dashboard = programme_dashboard(cast.programme, today)
    # then: each case built here also made a referral today
    cases_made = 4
    received = [today, days(-29), year_start, last_year]
    in_last_30 = sum(1 for day in received if (today - day).days <= 30)
    this_year = sum(1 for day in received if day >= year_start)
    assert dashboard.referrals_recent == CappedCount(in_last_30 + cases_made, capped=False)
    assert dashboard.referrals_this_year == CappedCount(this_year + cases_made, capped=False)
    assert [(row.reason, row.cases) for row in dashboard.closed_this_year] == [
        (ClosureReason.COMPLETED_WITH_AGREEMENT, 1),
        (ClosureReason.NOT_SUITABLE, 2),
    ]
    assert dashboard.closed_this_year_total == 3


def test_referral_counts_stop_at_the_cap_and_say_so(cast, build, monkeypatch):
    # given
    monkeypatch.setattr(selectors, "COUNT_CAP", 3)
    for _ in range(4):
        build.referral(received_on=timezone.localdate())
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert dashboard.referrals_this_year == CappedCount(3, capped=True)
    assert str(dashboard.referrals_this_year) == "3+"


def test_a_capped_count_reads_ten_thousand_plus():
    assert str(CappedCount.of(COUNT_CAP + 1)) == "10,000+"
    assert str(CappedCount.of(COUNT_CAP)) == "10,000"
    assert str(CappedCount.of(12)) == "12"


def test_open_cases_with_no_facilitator_are_counted_whatever_the_caseload_limit(
    cast, build, monkeypatch
):
    # given: the group without a facilitator is the smallest, and only one row is shown
    monkeypatch.setattr(selectors, "CASELOAD_ROWS", 1)
    other = make_user("other-f@example.org", "Other Facilitator")
    for _ in range(3):
        build.case(facilitators=(cast.facilitator,))
    for _ in range(2):
        build.case(facilitators=(other,))
    build.case()
    # when
    dashboard = programme_dashboard(cast.programme)
    # then
    assert dashboard.no_facilitator == 1
    assert [(row.name, row.open_cases) for row in dashboard.facilitators] == [("Facilitator", 3)]
