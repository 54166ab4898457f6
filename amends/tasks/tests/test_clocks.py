"""The Victims' Code clocks (G13): information about restorative justice within 5 working
days of the crime being reported (1 for enhanced rights), referral to support services
within 2 working days of the referral. Working days skip weekends."""

from __future__ import annotations

import datetime

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole
from amends.cases.stages import CaseStage
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import (
    information_task_key,
    statutory_clock_tasks,
    support_task_key,
    task_complete,
)

WEDNESDAY = datetime.date(2026, 3, 4)
THURSDAY = datetime.date(2026, 3, 5)
FRIDAY = datetime.date(2026, 3, 6)


def _clocks(case):
    tasks = {task.kind: task for task in statutory_clock_tasks(case=case)}
    return tasks[TaskKind.INFORMATION_DUE], tasks[TaskKind.SUPPORT_REFERRAL_DUE]


@pytest.mark.gate("G13")
def test_information_is_due_five_working_days_after_the_crime_was_reported(build):
    # given a crime reported on a Wednesday
    case = build.case(crime_reported_on=WEDNESDAY, received_on=THURSDAY)
    # when
    information, _ = _clocks(case)
    # then: Thu, Fri, Mon, Tue, Wed
    assert information.due_on == datetime.date(2026, 3, 11)
    assert information.title == "Offer restorative justice information to the person harmed"
    assert information.key == f"case:{case.pk}:information" == information_task_key(case)
    assert information.assignee is None
    assert information.case == case


@pytest.mark.gate("G13")
def test_information_is_due_after_one_working_day_for_a_victim_with_enhanced_rights(build):
    case = build.case(crime_reported_on=WEDNESDAY, received_on=THURSDAY, enhanced_rights=True)
    information, _ = _clocks(case)
    assert information.due_on == THURSDAY


@pytest.mark.gate("G13")
def test_the_information_clock_skips_the_weekend(build):
    # given a crime reported on a Friday
    case = build.case(crime_reported_on=FRIDAY, received_on=FRIDAY)
    # when
    information, _ = _clocks(case)
    # then: Mon to Fri of the next week
    assert information.due_on == datetime.date(2026, 3, 13)


@pytest.mark.gate("G13")
def test_enhanced_rights_reported_on_a_friday_are_due_on_monday(build):
    case = build.case(crime_reported_on=FRIDAY, received_on=FRIDAY, enhanced_rights=True)
    information, _ = _clocks(case)
    assert information.due_on == datetime.date(2026, 3, 9)


@pytest.mark.gate("G13")
def test_support_referral_is_due_two_working_days_after_the_referral_across_a_weekend(build):
    # given a referral received on a Thursday
    case = build.case(crime_reported_on=WEDNESDAY, received_on=THURSDAY)
    # when
    _, support = _clocks(case)
    # then: Friday, Monday
    assert support.due_on == datetime.date(2026, 3, 9)
    assert support.title == "Refer the person harmed to support services"
    assert support.key == f"case:{case.pk}:support" == support_task_key(case)
    assert support.assignee is None


@pytest.mark.gate("G13")
def test_without_a_report_date_the_information_clock_runs_from_the_referral(build):
    case = build.case(crime_reported_on=None, received_on=WEDNESDAY)
    information, _ = _clocks(case)
    assert information.due_on == datetime.date(2026, 3, 11)


@pytest.mark.gate("G13")
def test_starting_the_clocks_twice_makes_each_task_once(build):
    # given
    case = build.case(crime_reported_on=WEDNESDAY, received_on=THURSDAY)
    first = statutory_clock_tasks(case=case)
    # when
    second = statutory_clock_tasks(case=case)
    # then
    assert [task.pk for task in second] == [task.pk for task in first]
    assert Task.objects.count() == 2
    assert AuditEvent.objects.filter(action=Action.TASK_CREATED).count() == 2


@pytest.mark.gate("G13")
def test_a_clock_whose_task_is_done_is_not_started_again(cast, build):
    # given
    case = build.case(crime_reported_on=WEDNESDAY, received_on=THURSDAY)
    information, _ = _clocks(case)
    task_complete(actor=cast.coordinator, task=information)
    # when
    again, _ = _clocks(case)
    # then
    assert again.pk == information.pk
    assert Task.objects.filter(kind=TaskKind.INFORMATION_DUE).count() == 1


@pytest.mark.gate("G13")
def test_a_closed_case_gets_no_clocks(build):
    case = build.case(stage=CaseStage.CLOSED, crime_reported_on=WEDNESDAY)
    assert statutory_clock_tasks(case=case) == []
    assert not Task.objects.exists()


def test_the_clocks_name_the_person_harmed_when_there_is_exactly_one(build):
    case = build.case(crime_reported_on=WEDNESDAY)
    harmed = build.participant(case, ParticipantRole.HARMED)
    build.participant(case, ParticipantRole.RESPONSIBLE)
    information, support = _clocks(case)
    assert information.participant == harmed
    assert support.participant == harmed


def test_with_two_people_harmed_the_clocks_name_the_case_only(build):
    case = build.case(crime_reported_on=WEDNESDAY)
    build.participant(case, ParticipantRole.HARMED)
    build.participant(case, ParticipantRole.HARMED)
    information, _ = _clocks(case)
    assert information.participant is None
    assert information.case == case


def test_the_clocks_are_created_by_the_system_and_audited(build):
    case = build.case(crime_reported_on=WEDNESDAY)
    statutory_clock_tasks(case=case)
    events = AuditEvent.objects.filter(action=Action.TASK_CREATED)
    assert events.count() == 2
    assert {event.actor_label for event in events} == {"system"}
    assert {event.data["key"] for event in events} == {
        f"case:{case.pk}:information",
        f"case:{case.pk}:support",
    }
