"""The roster page in pages of 50 by name: first, next, previous and last pages by
signed cursor, a tampered cursor answered with the first page, the status filter, and a
page that costs the same number of queries whatever the roster's size."""

from __future__ import annotations

import base64
import datetime
import html
import re
from typing import Any
from urllib.parse import unquote

import pytest
from django.core import signing
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.facilitators.roster_paging import PAGE_SIZE

pytestmark = pytest.mark.django_db

ROW = re.compile(r'data-testid="roster-row-(\d+)"')
LINK = re.compile(r'<a class="page-link" href="\?([^"]*)"[^>]*>([^<]+)</a>')
REJECTED = "That link to a page of the roster no longer works, so here is the first page."


def today() -> datetime.date:
    return timezone.localdate()


def _grow(cast: Any, number: int, *, start: int = 0) -> None:
    """`number` more facilitators of the cast's programme, named "Person 0000" on; three
    share each tenth name, so pages must break ties by id."""
    users = User.objects.bulk_create(
        User(
            email=f"person{index}@example.org",
            full_name=f"Person {index - index % 10 if index % 10 < 3 else index:04d}",
        )
        for index in range(start, start + number)
    )
    Membership.objects.bulk_create(
        Membership(user=user, programme=cast.programme, role=Role.FACILITATOR) for user in users
    )


def _roster_order(cast: Any) -> list[int]:
    """Every active facilitator of the programme by name, then id, sorted in Python."""
    users = User.objects.filter(
        is_active=True,
        memberships__programme=cast.programme,
        memberships__role=Role.FACILITATOR,
    )
    return [user.pk for user in sorted(users, key=lambda user: (user.full_name, user.pk))]


class Page:
    def __init__(self, response: Any) -> None:
        assert response.status_code == 200
        self.text = response.content.decode()
        self.rows = [int(pk) for pk in ROW.findall(self.text)]
        self.links = {label: html.unescape(query) for query, label in LINK.findall(self.text)}


def _get(client: Any, cast: Any, query: str = "") -> Page:
    url = reverse("facilitators:roster", args=[cast.programme.slug])
    return Page(client.get(f"{url}?{query}" if query else url))


@pytest.fixture
def long_roster(cast: Any) -> list[int]:
    # With the cast's facilitator and supervisor: 2 + 120 = 122 people, three pages.
    Membership.objects.create(user=cast.supervisor, programme=cast.programme, role=Role.FACILITATOR)
    _grow(cast, 120)
    order = _roster_order(cast)
    assert len(order) == 122
    return order


def test_the_first_page_shows_fifty_by_name_then_id_with_next_and_last(
    cast, long_roster, client_for
):
    page = _get(client_for("coordinator"), cast)
    assert page.rows == long_roster[:PAGE_SIZE]
    assert set(page.links) == {"Next page", "Last page"}
    assert "122 facilitators match, shown 50 to a page in name order." in page.text


def test_next_previous_first_and_last_pages_walk_the_roster(cast, long_roster, client_for):
    client = client_for("coordinator")
    first = _get(client, cast)
    second = _get(client, cast, first.links["Next page"])
    assert second.rows == long_roster[50:100]
    assert set(second.links) == {"First page", "Previous page", "Next page", "Last page"}
    third = _get(client, cast, second.links["Next page"])
    assert third.rows == long_roster[100:]
    assert set(third.links) == {"First page", "Previous page"}
    # back again
    assert _get(client, cast, third.links["Previous page"]).rows == long_roster[50:100]
    back_to_first = _get(client, cast, second.links["Previous page"])
    assert back_to_first.rows == long_roster[:50]
    assert set(back_to_first.links) == {"Next page", "Last page"}
    assert _get(client, cast, third.links["First page"]).rows == long_roster[:50]
    # the last page, straight from the first: the last 50, in order
    last = _get(client, cast, first.links["Last page"])
    assert last.rows == long_roster[-50:]
    assert set(last.links) == {"First page", "Previous page"}
    assert _get(client, cast, last.links["Previous page"]).rows == long_roster[-100:-50]


def test_a_short_roster_is_one_page_without_links(cast, roster, client_for):
    roster.facilitator("Nia")
    page = _get(client_for("supervisor"), cast)
    assert len(page.rows) == 2
    assert page.links == {}


@pytest.mark.parametrize("tamper", ["edit", "garbage", "other filter", "other programme"])
def test_a_tampered_cursor_gives_the_first_page_with_a_message(
    cast, long_roster, client_for, tamper
):
    client = client_for("coordinator")
    cursor = _get(client, cast).links["Next page"].removeprefix("cursor=")
    query = {
        "edit": f"cursor={cursor[:-3]}{'x' if cursor[-3] != 'x' else 'y'}{cursor[-2:]}",
        "garbage": "cursor=not-a-cursor",
        "other filter": f"status=not-compliant&cursor={cursor}",
        "other programme": f"cursor={_other_programme_cursor(cast, client_for)}",
    }[tamper]
    page = _get(client, cast, query)
    assert REJECTED in page.text
    # Everyone here is short of compliance (nobody is supervised), so the first page of
    # "not fully compliant" is the roster's first page too.
    assert page.rows == long_roster[:PAGE_SIZE]
    assert not {"First page", "Previous page"} & set(page.links)


def test_a_cursor_whose_person_is_gone_gives_the_first_page(cast, long_roster, client_for):
    client = client_for("coordinator")
    following = _get(client, cast).links["Next page"]
    User.objects.filter(pk=long_roster[PAGE_SIZE - 1]).delete()
    page = _get(client, cast, following)
    assert REJECTED in page.text
    assert page.rows == [pk for pk in long_roster if pk != long_roster[PAGE_SIZE - 1]][:PAGE_SIZE]


def test_a_cursor_names_nobody(cast, long_roster, client_for):
    # The address ends up in browser histories and logs: it carries an id, not a name.
    cursor = _get(client_for("coordinator"), cast).links["Next page"].removeprefix("cursor=")
    payload = signing.loads(unquote(cursor), salt="amends.facilitators.roster.cursor")
    assert payload["k"] == [long_roster[PAGE_SIZE - 1]]
    assert "Person" not in base64.urlsafe_b64decode(cursor.split("%3A")[0] + "==").decode()


def _other_programme_cursor(cast: Any, client_for: Any) -> str:
    for index in range(55):
        user = User.objects.create_user(email=f"south{index}@example.org", full_name="South")
        Membership.objects.create(user=user, programme=cast.other_programme, role=Role.FACILITATOR)
    url = reverse("facilitators:roster", args=[cast.other_programme.slug])
    page = Page(client_for("other_supervisor").get(url))
    return page.links["Next page"].removeprefix("cursor=")


def test_the_status_filter_shows_only_those_facilitators_and_keeps_it_across_pages(
    cast, roster, long_roster, client_for
):
    # given: everyone is short of compliance but the one made compliant today
    ready = roster.compliant(roster.facilitator("Aaron Ready"), today())
    client = client_for("coordinator")
    # when
    everyone = _get(client, cast)
    short = _get(client, cast, "status=not-compliant")
    # then
    assert ready.pk in everyone.rows
    assert ready.pk not in short.rows
    assert "122 facilitators match" in short.text
    following = _get(client, cast, short.links["Next page"])
    assert "status=not-compliant" in short.links["Next page"]
    assert following.rows == [pk for pk in long_roster if pk != ready.pk][50:100]


def test_an_unknown_status_shows_everyone(cast, long_roster, client_for):
    page = _get(client_for("coordinator"), cast, "status=nonsense")
    assert page.rows == long_roster[:PAGE_SIZE]
    assert "122 facilitators match" in page.text


def test_a_status_nobody_has_says_so(cast, client_for):
    page = _get(client_for("coordinator"), cast, "status=lapsing")
    assert page.rows == []
    assert "No facilitator has this status." in page.text


@pytest.mark.parametrize("query", ["", "status=not-compliant", "second page"])
def test_a_roster_page_costs_the_same_queries_with_three_times_the_facilitators(
    cast, roster, client_for, query
):
    client = client_for("supervisor")
    number = 100

    def populate(start: int) -> None:
        _grow(cast, number, start=start)
        for index in range(5):
            user = roster.compliant(roster.facilitator(f"Person {start + index:04d}b"), today())
            roster.endorsement(user, "youth")

    def count() -> int:
        asked = query
        if query == "second page":
            asked = _get(client, cast).links["Next page"]
        with CaptureQueriesContext(connection) as captured:
            page = _get(client, cast, asked)
        assert len(page.rows) == PAGE_SIZE
        return len(captured)

    populate(0)
    _get(client, cast)  # warm per-process caches (sessions, settings)
    small = count()
    populate(1000)
    populate(2000)
    assert count() == small


def test_the_list_of_rosters_costs_the_same_queries_however_long_the_rosters(
    cast, roster, client_for
):
    client = client_for("supervisor")
    url = reverse("facilitators:rosters")
    _grow(cast, 10)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    _grow(cast, 20, start=100)
    roster.compliant(roster.facilitator("Later"), today())
    with CaptureQueriesContext(connection) as large:
        page = client.get(url).content.decode()
    assert len(large) == len(small)
    assert '<dd class="mb-0" data-testid="summary-facilitators">32</dd>' in page


@pytest.mark.parametrize("who", ["facilitator", "other_supervisor"])
def test_a_cursor_opens_no_roster_to_those_who_may_not_see_it(cast, long_roster, client_for, who):
    cursor = _get(client_for("coordinator"), cast).links["Next page"]
    url = reverse("facilitators:roster", args=[cast.programme.slug])
    plain = client_for(who).get(url)
    with_cursor = client_for(who).get(f"{url}?{cursor}")
    assert plain.status_code in (403, 404)
    assert with_cursor.status_code == plain.status_code
    assert "roster-row-" not in with_cursor.content.decode()
