"""What shows up as someone's work, and as a programme's overdue work (G13)."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.cases.stages import CaseStage
from amends.tasks.selectors import (
    SECTION_LIMIT,
    expiring_work,
    my_work,
    open_tasks_for_case,
    overdue_for_programme,
    overdue_programmes_for_user,
)

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
LATER = TODAY + datetime.timedelta(days=5)
FAR = TODAY + datetime.timedelta(days=15)


def _days(number):
    return TODAY + datetime.timedelta(days=number)


def _titles(items):
    return [item.title for item in items]


def _second_coordinator(cast):
    user = User.objects.create_user(email="second@example.org", full_name="Second Coordinator")
    Membership.objects.create(user=user, programme=cast.programme, role=Role.COORDINATOR)
    return user


@pytest.mark.gate("G13")
def test_my_tasks_are_sorted_into_overdue_due_today_and_coming_up(cast, build):
    # given
    for title, due in [("Late", YESTERDAY), ("Today", TODAY), ("Soon", LATER), ("Far", FAR)]:
        build.task(title=title, due_on=due, assignee=cast.facilitator)
    # when
    work = my_work(cast.facilitator, TODAY)
    # then
    assert _titles(work.overdue) == ["Late"]
    assert _titles(work.due_today) == ["Today"]
    assert _titles(work.upcoming) == ["Soon"]
    assert work.overdue[0].days_late == 1
    assert all(item.can_complete for item in work.overdue + work.due_today + work.upcoming)


def test_the_fourteenth_day_is_still_coming_up(cast, build):
    build.task(title="Edge", due_on=_days(14), assignee=cast.facilitator)
    assert _titles(my_work(cast.facilitator, TODAY).upcoming) == ["Edge"]


@pytest.mark.gate("G13")
def test_a_coordinator_gets_the_unassigned_tasks_of_the_cases_they_coordinate(cast, build):
    # given
    mine = build.case(coordinator=cast.coordinator)
    theirs = build.case(coordinator=_second_coordinator(cast))
    build.task(title="Mine", due_on=TODAY, case=mine)
    build.task(title="Theirs", due_on=TODAY, case=theirs)
    build.task(title="The facilitator's", due_on=TODAY, case=mine, assignee=cast.facilitator)
    # when
    work = my_work(cast.coordinator, TODAY)
    # then
    assert _titles(work.due_today) == ["Mine"]
    assert work.due_today[0].case_reference == mine.reference


@pytest.mark.gate("G13")
def test_work_nobody_owns_yet_goes_to_every_coordinator_of_the_programme(cast, build):
    # given a case without a coordinator, with a task, and a task on no case
    orphan = build.case(coordinator=None, next_action="Find a coordinator", next_action_due=TODAY)
    build.task(title="Orphan task", due_on=TODAY, case=orphan)
    build.task(title="Programme task", due_on=TODAY)
    second = _second_coordinator(cast)
    # when / then
    for coordinator in (cast.coordinator, second):
        titles = _titles(my_work(coordinator, TODAY).due_today)
        assert sorted(titles) == ["Find a coordinator", "Orphan task", "Programme task"]
    assert my_work(cast.facilitator, TODAY).is_empty


@pytest.mark.gate("G13")
def test_a_facilitator_gets_the_next_actions_of_the_cases_assigned_to_them(cast, build):
    build.case(
        next_action="Prepare Sam", next_action_due=YESTERDAY, facilitators=(cast.facilitator,)
    )
    build.case(next_action="Someone else's case", next_action_due=YESTERDAY)
    work = my_work(cast.facilitator, TODAY)
    assert _titles(work.overdue) == ["Prepare Sam"]
    assert work.overdue[0].is_task is False
    assert work.overdue[0].can_complete is False


def test_a_facilitator_assignment_in_a_programme_where_they_no_longer_facilitate_is_ignored(
    cast, build
):
    build.case(next_action="Old case", next_action_due=TODAY, facilitators=(cast.facilitator,))
    Membership.objects.filter(user=cast.facilitator).delete()
    facilitator = User.objects.get(pk=cast.facilitator.pk)
    assert my_work(facilitator, TODAY).is_empty


def test_done_tasks_and_closed_cases_are_not_work(cast, build):
    build.task(title="Done", due_on=TODAY, assignee=cast.facilitator, done=True)
    closed = build.case(stage=CaseStage.CLOSED)
    build.task(title="On a closed case", due_on=TODAY, case=closed, assignee=cast.facilitator)
    assert my_work(cast.facilitator, TODAY).is_empty
    assert my_work(cast.coordinator, TODAY).is_empty


def test_tasks_assigned_in_a_programme_where_the_user_holds_no_role_are_not_shown(cast, build):
    build.task(
        title="Elsewhere", due_on=TODAY, programme=cast.other_programme, assignee=cast.facilitator
    )
    assert my_work(cast.facilitator, TODAY).is_empty


@pytest.mark.gate("G13")
def test_the_overdue_view_lists_every_overdue_item_of_the_programme_with_its_owner(cast, build):
    # given
    case = build.case(next_action="Ring the school", next_action_due=_days(-3))
    orphan = build.case(coordinator=None, next_action="Unowned action", next_action_due=_days(-2))
    build.task(
        title="Facilitator's late task", due_on=_days(-5), case=case, assignee=cast.facilitator
    )
    build.task(title="Coordinator's late task", due_on=_days(-1), case=case)
    build.task(title="Orphan late task", due_on=_days(-1), case=orphan)
    build.task(title="Not yet due", due_on=TODAY, case=case)
    build.task(title="Done late", due_on=_days(-9), case=case, done=True)
    other = build.case(programme=cast.other_programme, coordinator=None, next_action_due=_days(-4))
    build.task(title="Other programme", due_on=_days(-4), case=other)
    # when
    overdue = overdue_for_programme(cast.programme, TODAY)
    # then
    assert (overdue.total, overdue.capped, overdue.more) == (5, False, 0)
    assert [(item.title, item.owner, item.days_late) for item in overdue.items] == [
        ("Facilitator's late task", "Facilitator", 5),
        ("Ring the school", "Coordinator", 3),
        ("Unowned action", "", 2),
        ("Coordinator's late task", "Coordinator", 1),
        ("Orphan late task", "", 1),
    ]


def test_the_overdue_view_tells_a_viewer_which_tasks_they_may_mark_done(cast, build):
    build.task(title="Late", due_on=YESTERDAY, assignee=cast.facilitator)
    build.case(next_action_due=YESTERDAY)
    items = overdue_for_programme(cast.programme, TODAY, viewer=cast.supervisor).items
    assert [(item.is_task, item.can_complete) for item in items] == [(True, True), (False, False)]
    unviewed = overdue_for_programme(cast.programme, TODAY).items
    assert not any(item.can_complete for item in unviewed)


def test_the_overdue_view_shows_the_oldest_and_counts_the_rest_up_to_a_cap(
    cast, build, monkeypatch
):
    from amends.tasks import selectors

    monkeypatch.setattr(selectors, "OVERDUE_PAGE_LIMIT", 2)
    monkeypatch.setattr(selectors, "MORE_CAP", 3)
    for days in (9, 8, 7):
        build.task(title=f"Late {days}", due_on=_days(-days), assignee=cast.facilitator)
    build.case(next_action_due=_days(-1))

    overdue = overdue_for_programme(cast.programme, TODAY)

    assert [item.title for item in overdue.items] == ["Late 9", "Late 8"]
    assert (overdue.total, overdue.capped, overdue.more) == (4, False, 2)
    build.task(title="Late 6", due_on=_days(-6), assignee=cast.facilitator)
    overdue = overdue_for_programme(cast.programme, TODAY)
    assert (overdue.total, overdue.capped) == (4, True)


def test_overdue_programmes_are_those_a_user_coordinates_or_supervises(cast):
    assert list(overdue_programmes_for_user(cast.supervisor)) == [cast.programme]
    assert list(overdue_programmes_for_user(cast.other_supervisor)) == [cast.other_programme]
    assert not overdue_programmes_for_user(cast.facilitator).exists()


def test_a_case_lists_its_open_tasks_soonest_first(cast, build):
    case = build.case()
    build.task(title="Second", due_on=LATER, case=case)
    build.task(title="First", due_on=TODAY, case=case)
    build.task(title="Done", due_on=TODAY, case=case, done=True)
    assert [task.title for task in open_tasks_for_case(case)] == ["First", "Second"]


# --- query counts ---------------------------------------------------------------------------


def _fill(cast, build, number):
    for index in range(number):
        case = build.case(next_action_due=_days(index % 10 - 5), facilitators=(cast.facilitator,))
        build.task(due_on=_days(index % 10 - 5), case=case, assignee=cast.facilitator)
        build.task(due_on=_days(index % 10 - 5), case=case)
        harmed = build.participant(case)
        build.assessment(harmed, valid_until=_days(index % 10))
        build.consent(harmed, valid_until=_days(index % 10))


def _queries(function):
    with CaptureQueriesContext(connection) as captured:
        function()
    return len(captured.captured_queries)


@pytest.mark.parametrize(
    ("read", "at_most"),
    [
        # The user, their roles, then per section a page and a capped count of each of
        # the three sources (a facilitator coordinates nothing: two sources).
        (lambda cast: my_work(User.objects.get(pk=cast.coordinator.pk), TODAY), 20),
        (lambda cast: my_work(User.objects.get(pk=cast.facilitator.pk), TODAY), 14),
        (
            lambda cast: overdue_for_programme(
                cast.programme, TODAY, viewer=User.objects.get(pk=cast.supervisor.pk)
            ),
            # The viewer's roles, a page and a capped count of tasks and of cases.
            6,
        ),
        (lambda cast: expiring_work(TODAY), 4),
    ],
    ids=["my work of a coordinator", "my work of a facilitator", "overdue view", "expiry sweep"],
)
def test_reads_take_the_same_number_of_queries_whatever_the_amount_of_work(
    cast, build, read, at_most
):
    # given
    _fill(cast, build, 2)
    few = _queries(lambda: read(cast))
    # when
    _fill(cast, build, 12)
    many = _queries(lambda: read(cast))
    # then
    assert many == few
    assert many <= at_most


def test_my_work_shows_the_oldest_fifty_of_each_section_and_counts_the_rest(cast, build):
    # given: 53 overdue tasks and 2 overdue cases, one of each due today
    for number in range(53):
        build.task(title=f"Late {number}", due_on=_days(-60 + number), assignee=cast.facilitator)
    for number in range(2):
        build.case(next_action_due=_days(-100 + number), facilitators=(cast.facilitator,))
    build.task(title="Today", due_on=TODAY, assignee=cast.facilitator)
    # when
    work = my_work(cast.facilitator, TODAY)
    # then: the oldest first, merged across tasks and cases, and "and 5 more"
    assert len(work.overdue) == SECTION_LIMIT
    assert [item.due_on for item in work.overdue[:3]] == [_days(-100), _days(-99), _days(-60)]
    assert work.overdue[-1].title == "Late 47"
    assert (work.overdue_more, work.overdue_capped) == (5, False)
    assert (_titles(work.due_today), work.due_today_more) == (["Today"], 0)
    assert work.overdue_list_query == f"overdue=on&facilitator={cast.facilitator.pk}"


def test_more_than_the_cap_is_counted_as_the_cap_and_said_so(cast, build, monkeypatch):
    # given: a page of 2 and a cap of 3 (the real 50 and 1,000 are too many to build here)
    monkeypatch.setattr("amends.tasks.selectors.SECTION_LIMIT", 2)
    monkeypatch.setattr("amends.tasks.selectors.MORE_CAP", 3)
    for number in range(6):
        build.task(title=f"Late {number}", due_on=_days(-10 + number), assignee=cast.coordinator)
    # when
    work = my_work(cast.coordinator, TODAY)
    # then: two shown, four counted (the cap + 1), so "2+ more"
    assert _titles(work.overdue) == ["Late 0", "Late 1"]
    assert (work.overdue_more, work.overdue_capped) == (2, True)
    assert work.overdue_list_query == f"overdue=on&coordinator={cast.coordinator.pk}"
