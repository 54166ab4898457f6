"""The clocks on a case made by the case services: they show up as the coordinator's work,
and recording the information given to the person harmed stops the information clock."""

from __future__ import annotations

import pytest
from django.utils import timezone

from amends.cases.models import ParticipantRole
from amends.cases.services import information_give
from amends.cases.tests.builders import participant
from amends.programmes.selectors import current_information_sheet
from amends.tasks.models import TaskKind
from amends.tasks.selectors import my_work
from amends.tasks.services import statutory_clock_tasks


@pytest.mark.gate("G13")
def test_the_clocks_of_a_new_case_are_the_coordinators_work(cast):
    # given
    case = cast.case
    # when
    statutory_clock_tasks(case=case)
    # then
    work = my_work(cast.coordinator, timezone.localdate())
    titles = [item.title for item in work.overdue + work.due_today + work.upcoming]
    assert "Offer restorative justice information to the person harmed" in titles
    assert "Refer the person harmed to support services" in titles
    assert my_work(cast.advocate, timezone.localdate()).is_empty


@pytest.mark.gate("G13")
def test_giving_the_person_harmed_the_information_stops_the_information_clock(cast):
    # given
    case = cast.case
    tasks = {task.kind: task for task in statutory_clock_tasks(case=case)}
    sheet = current_information_sheet(case.programme, "en")
    assert sheet is not None
    # when
    information_give(
        actor=cast.facilitator,
        participant=participant(case, ParticipantRole.HARMED),
        sheet=sheet,
        method="phone",
        given_on=timezone.localdate(),
        legal_advice_offered=True,
        interpreter_offered=True,
    )
    # then
    information = tasks[TaskKind.INFORMATION_DUE]
    support = tasks[TaskKind.SUPPORT_REFERRAL_DUE]
    information.refresh_from_db()
    support.refresh_from_db()
    assert information.done_by == cast.facilitator
    assert support.done_at is None
