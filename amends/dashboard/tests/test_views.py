"""The dashboard page: who may open it, what it links to, and its constant query count."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.cases.stages import CaseStage
from amends.dashboard.permissions import dashboard_policy
from amends.dashboard.tests.conftest import days
from amends.programmes.permissions import programme_policy
from conftest import enrol_totp, make_user

pytestmark = pytest.mark.django_db


def _url(programme):
    return reverse("dashboard:programme", args=[programme.slug])


@pytest.mark.parametrize("who", ["coordinator", "supervisor", "administrator", "platform_admin"])
def test_the_programmes_managers_see_its_dashboard(cast, client_for, who):
    response = client_for(who).get(_url(cast.programme))
    assert response.status_code == 200
    assert "Dashboard of Northshire RJ" in response.content.decode()


def test_the_cap_on_counting_is_written_with_a_thousands_separator(cast, client_for):
    page = client_for("supervisor").get(_url(cast.programme)).content.decode()
    assert "stopped counting at 10,000." in page


@pytest.mark.parametrize("who", ["facilitator", "advocate", "referrer", "evaluator"])
def test_other_members_of_the_programme_are_refused(cast, client_for, who):
    assert client_for(who).get(_url(cast.programme)).status_code == 403


@pytest.mark.parametrize("who", ["other_supervisor", "no_role"])
def test_the_programme_does_not_exist_for_outsiders(cast, client_for, who):
    assert client_for(who).get(_url(cast.programme)).status_code == 404


def test_a_coordinator_of_another_programme_is_not_shown_it(cast):
    # given
    elsewhere = make_user("elsewhere@example.org", "Elsewhere Coordinator")
    enrol_totp(elsewhere)
    Membership.objects.create(user=elsewhere, programme=cast.other_programme, role=Role.COORDINATOR)
    client = Client()
    client.force_login(elsewhere)
    # when / then
    assert client.get(_url(cast.programme)).status_code == 404
    assert client.get(_url(cast.other_programme)).status_code == 200


def test_an_anonymous_visitor_is_sent_to_sign_in(cast):
    response = Client().get(_url(cast.programme))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_an_unknown_programme_is_not_found(client_for):
    assert client_for("coordinator").get("/dashboard/no-such-programme/").status_code == 404


def test_the_refusal_comes_from_the_dashboard_rule(cast, client_for, monkeypatch):
    """With the dashboard rule swapped for the programme's plain "view" rule (any member),
    the facilitator gets in: the 403 above comes from this rule and no other check."""
    # given
    assert client_for("facilitator").get(_url(cast.programme)).status_code == 403
    monkeypatch.setitem(
        dashboard_policy.actions, "view_dashboard", programme_policy.actions["view"]
    )
    # when / then
    assert client_for("facilitator").get(_url(cast.programme)).status_code == 200


def test_the_policy_answers_each_role(cast):
    allowed = {"coordinator", "supervisor", "administrator", "platform_admin"}
    for name, user in cast.users.items():
        assert dashboard_policy.can(user, "view_dashboard", cast.programme) == (name in allowed), (
            name
        )


def test_figures_link_to_the_case_list_with_the_matching_filter(cast, build, client_for):
    # given
    case = build.case(next_action_due=days(-1), facilitators=(cast.facilitator,))
    build.case(stage=CaseStage.PAUSED, coordinator=None)
    # when
    body = client_for("coordinator").get(_url(cast.programme)).content.decode()
    # then
    cases = f"{reverse('cases:list')}?programme={cast.programme.pk}"
    for query in (
        "&amp;overdue=on",
        "&amp;coordinator=none",
        "&amp;facilitator=none",
        "&amp;sensitive=yes",
        "&amp;stage=contact",
        "&amp;stage=paused",
        f"&amp;coordinator={case.coordinator_id}",
        f"&amp;coordinator={case.coordinator_id}&amp;overdue=on",
        f"&amp;facilitator={cast.facilitator.pk}",
    ):
        assert f'href="{cases}{query}"' in body, query
    assert reverse("tasks:programme_overdue", args=[cast.programme.slug]) in body


def test_the_linked_filters_are_ones_the_case_list_accepts(cast, build, client_for):
    # given
    case = build.case(next_action_due=days(-1), facilitators=(cast.facilitator,))
    client = client_for("coordinator")
    base = {"programme": cast.programme.pk}
    # when / then: each link's filter finds the case
    for extra in (
        {"overdue": "on"},
        {"stage": "contact"},
        {"coordinator": case.coordinator_id},
        {"facilitator": cast.facilitator.pk},
    ):
        body = client.get(reverse("cases:list"), {**base, **extra}).content.decode()
        assert case.reference in body, extra


def test_an_administrator_sees_the_figures_without_links_into_cases(cast, build, client_for):
    # given
    build.case()
    # when
    body = client_for("administrator").get(_url(cast.programme)).content.decode()
    # then
    assert reverse("cases:list") not in body
    assert reverse("tasks:programme_overdue", args=[cast.programme.slug]) not in body


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def _add_cases(cast, build, count, offset):
    helpers = [make_user(f"f{offset + n}@example.org", f"F{offset + n}") for n in range(3)]
    for n in range(count):
        stage = [CaseStage.CONTACT, CaseStage.PAUSED, CaseStage.CLOSED, CaseStage.PROCESS][n % 4]
        case = build.case(
            stage=stage,
            next_action_due=days(n % 9 - 4),
            facilitators=(helpers[n % 3],),
            sensitive=n % 2 == 0,
            coordinator=cast.coordinator if n % 5 else None,
        )
        build.task(due_on=days(n % 5 - 2), case=case)


def test_the_query_count_does_not_grow_with_the_cases(cast, build, client_for):
    # given
    client = client_for("coordinator")
    url = _url(cast.programme)
    _add_cases(cast, build, 3, offset=0)
    with_three = _queries(client, url)
    _add_cases(cast, build, 27, offset=100)
    # when
    with_thirty = _queries(client, url)
    # then
    assert with_thirty == with_three


@pytest.mark.parametrize("who", ["coordinator", "supervisor"])
def test_the_home_page_links_case_managers_to_the_dashboard(cast, client_for, who):
    body = client_for(who).get(reverse("home")).content.decode()
    assert _url(cast.programme) in body


@pytest.mark.parametrize("who", ["facilitator", "evaluator", "referrer"])
def test_the_home_page_offers_no_dashboard_to_those_refused_it(cast, client_for, who):
    body = client_for(who).get(reverse("home")).content.decode()
    assert _url(cast.programme) not in body
