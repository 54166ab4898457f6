"""The My work page, the overdue view and the "mark as done" button (G13)."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from amends.tasks.models import Task

MY_WORK = "/work/"


def _today():
    return timezone.localdate()


def _days(number):
    return _today() + datetime.timedelta(days=number)


@pytest.mark.gate("G13")
def test_my_work_shows_overdue_due_today_and_coming_up_with_links_to_the_cases(
    cast, build, client_for
):
    # given
    case = build.case(next_action="Write to Sam", next_action_due=_days(-2))
    build.task(title="Book the room", due_on=_today(), case=case)
    build.task(title="Send the letter", due_on=_days(3), assignee=cast.coordinator)
    build.task(title="Far away", due_on=_days(30), assignee=cast.coordinator)
    # when
    response = client_for("coordinator").get(MY_WORK)
    # then
    assert response.status_code == 200
    body = response.content.decode()
    overdue, rest = body.split('id="due-today"')
    today, upcoming = rest.split('id="upcoming"')
    assert "Write to Sam" in overdue
    assert "2 days late" in overdue
    assert "Book the room" in today
    assert "Send the letter" in upcoming
    assert "Far away" not in body
    assert reverse("cases:detail", args=[case.reference]) in body
    assert reverse("tasks:programme_overdue", args=[cast.programme.slug]) in body


def test_my_work_says_so_when_nothing_is_due(client_for):
    body = client_for("facilitator").get(MY_WORK).content.decode()
    assert "Nothing is overdue or due in the next 14 days." in body


def test_a_facilitator_is_offered_no_programme_overdue_view(cast, client_for):
    body = client_for("facilitator").get(MY_WORK).content.decode()
    assert reverse("tasks:programme_overdue", args=[cast.programme.slug]) not in body


@pytest.mark.parametrize("who", ["administrator", "advocate", "referrer", "evaluator", "no_role"])
def test_my_work_is_refused_to_people_without_a_case_role(client_for, who):
    assert client_for(who).get(MY_WORK).status_code == 403


def test_my_work_sends_anonymous_visitors_to_sign_in(client):
    response = client.get(MY_WORK)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.gate("G13")
def test_the_supervisor_sees_the_programmes_overdue_work_and_who_owns_it(cast, build, client_for):
    # given
    case = build.case(next_action="Chase the school", next_action_due=_days(-4))
    build.task(title="Facilitator is late", due_on=_days(-1), case=case, assignee=cast.facilitator)
    build.task(title="Not late yet", due_on=_today(), case=case)
    # when
    response = client_for("supervisor").get(
        reverse("tasks:programme_overdue", args=[cast.programme.slug])
    )
    # then
    assert response.status_code == 200
    body = response.content.decode()
    assert "Chase the school" in body
    assert "Facilitator is late" in body
    assert "Not late yet" not in body
    assert escape(cast.facilitator.full_name) in body
    assert "2 pieces of work are past their due date." in body


def test_the_overdue_view_says_so_when_nothing_is_late(cast, client_for):
    body = (
        client_for("coordinator")
        .get(reverse("tasks:programme_overdue", args=[cast.programme.slug]))
        .content.decode()
    )
    assert "Nothing in this programme is overdue." in body


def test_the_overdue_view_of_another_programme_is_hidden(cast, client_for):
    url = reverse("tasks:programme_overdue", args=[cast.other_programme.slug])
    assert client_for("supervisor").get(url).status_code == 404


def test_the_overdue_view_of_a_programme_that_does_not_exist_is_not_found(client_for):
    url = reverse("tasks:programme_overdue", args=["no-such-programme"])
    assert client_for("supervisor").get(url).status_code == 404


@pytest.mark.parametrize("who", ["facilitator", "administrator", "evaluator"])
def test_members_who_neither_coordinate_nor_supervise_are_refused_the_overdue_view(
    cast, client_for, who
):
    url = reverse("tasks:programme_overdue", args=[cast.programme.slug])
    assert client_for(who).get(url).status_code == 403


# --- marking done ---------------------------------------------------------------------------


@pytest.mark.gate("G13")
def test_marking_a_task_done_takes_it_off_my_work(cast, build, client_for):
    # given
    task = build.task(title="Ring back", due_on=_days(-1), assignee=cast.facilitator)
    client = client_for("facilitator")
    # when
    response = client.post(reverse("tasks:task_done", args=[task.pk]), follow=True)
    # then
    assert response.redirect_chain == [(reverse("tasks:my_work"), 302)]
    body = response.content.decode()
    assert "Marked as done: Ring back" in body
    assert "Nothing is overdue" in body
    task.refresh_from_db()
    assert task.done_by == cast.facilitator


def test_marking_done_returns_to_the_page_the_button_was_on(cast, build, client_for):
    task = build.task(due_on=_days(-1), assignee=cast.facilitator)
    back = reverse("tasks:programme_overdue", args=[cast.programme.slug])
    response = client_for("supervisor").post(
        reverse("tasks:task_done", args=[task.pk]), {"next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back


def test_marking_done_never_sends_anyone_to_another_site(cast, build, client_for):
    task = build.task(due_on=_days(-1), assignee=cast.facilitator)
    response = client_for("facilitator").post(
        reverse("tasks:task_done", args=[task.pk]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("tasks:my_work")


def test_marking_a_done_task_done_again_changes_nothing(cast, build, client_for):
    task = build.task(due_on=_days(-1), assignee=cast.facilitator, done=True)
    before = Task.objects.values().get(pk=task.pk)
    response = client_for("coordinator").post(reverse("tasks:task_done", args=[task.pk]))
    assert response.status_code == 302
    assert Task.objects.values().get(pk=task.pk) == before


def test_an_assigned_facilitator_cannot_mark_the_coordinators_task_done(cast, build, client_for):
    case = build.case(facilitators=(cast.facilitator,))
    task = build.task(due_on=_days(-1), case=case)
    response = client_for("facilitator").post(reverse("tasks:task_done", args=[task.pk]))
    assert response.status_code == 403
    task.refresh_from_db()
    assert task.done_at is None


def test_a_task_of_another_programme_is_not_found(cast, build, client_for):
    task = build.task(due_on=_days(-1), programme=cast.other_programme)
    response = client_for("coordinator").post(reverse("tasks:task_done", args=[task.pk]))
    assert response.status_code == 404
    task.refresh_from_db()
    assert task.done_at is None


def test_marking_done_needs_a_post(cast, build, client_for):
    task = build.task(due_on=_days(-1), assignee=cast.facilitator)
    assert (
        client_for("facilitator").get(reverse("tasks:task_done", args=[task.pk])).status_code == 405
    )


# --- query counts ---------------------------------------------------------------------------


def _fill(cast, build, number):
    for index in range(number):
        case = build.case(next_action_due=_days(index % 5 - 2), facilitators=(cast.facilitator,))
        build.task(due_on=_days(index % 5 - 2), case=case)
        build.task(due_on=_days(index % 5 - 2), case=case, assignee=cast.facilitator)


@pytest.mark.parametrize("who", ["coordinator", "facilitator", "supervisor"])
def test_the_pages_take_the_same_number_of_queries_whatever_the_amount_of_work(
    cast, build, client_for, django_assert_max_num_queries, who
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_for(who)
    overdue = reverse("tasks:programme_overdue", args=[cast.programme.slug])
    url = MY_WORK if who != "supervisor" else overdue

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured.captured_queries)

    _fill(cast, build, 2)
    few = count()
    _fill(cast, build, 15)
    with django_assert_max_num_queries(few):
        client.get(url)
    assert count() == few
