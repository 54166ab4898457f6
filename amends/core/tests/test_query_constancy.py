"""Queries per page do not grow with the data (issue 6).

Each interactive page is requested in a small world, the world is made three times as
large (more cases, participants, tasks and audit events in the same programme), and the
page is requested again: it must run exactly as many queries. The bulk rows are made
directly (tests may create fixtures directly) so the test stays fast; the people go
through the people services, for their encryption and blind indexes.
"""

from __future__ import annotations

import datetime
import itertools
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, FacilitatorAssignment, Participant, ParticipantRole
from amends.cases.tests.builders import make_person
from amends.people.models import Person
from amends.referrals.models import Referral, SourceType
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db

LIST = "/cases/"
_CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_serial = itertools.count(1)


def _reference() -> str:
    number = next(_serial) + 7_000_000
    body = ""
    for _ in range(8):
        number, digit = divmod(number, 32)
        body = _CROCKFORD[digit] + body
    return f"C-{body[:4]}-{body[4:]}"


class World:
    """A programme's cases, their people, tasks and audit events, grown on demand."""

    def __init__(self, cast: Any) -> None:
        self.cast = cast
        self.today = timezone.localdate()
        self.person = make_person("Hana", "Harmed", phone="+44 7700 900321")
        self.others: list[Person] = [
            make_person(f"Other{n}", "Person", phone=None) for n in range(3)
        ]
        self.case: Case = cast.case  # a real case, built through the services

    def grow(self, number: int) -> None:
        cast, programme = self.cast, self.cast.programme
        referrals = Referral.objects.bulk_create(
            Referral(
                programme=programme,
                source_type=SourceType.POLICE,
                agency="Northshire Police",
                initial_account="An account.",
                crime_reported_on=self.today,
                evidential_basis_confirmed=True,
            )
            for _ in range(number)
        )
        cases = []
        for index, referral in enumerate(referrals):
            closed = index % 5 == 4
            cases.append(
                Case(
                    programme=programme,
                    referral=referral,
                    reference=_reference(),
                    stage="closed" if closed else ["referred", "screening", "contact"][index % 3],
                    closure_reason="other" if closed else "",
                    closed_at=timezone.now() if closed else None,
                    coordinator=cast.coordinator if index % 2 else None,
                    next_action="" if closed else "Call",
                    next_action_due=None
                    if closed
                    else self.today + datetime.timedelta(days=index % 7 - 3),
                    is_sensitive=index % 4 == 0,
                )
            )
        cases = Case.objects.bulk_create(cases)
        Participant.objects.bulk_create(
            Participant(case=case, person=person, role=role)
            for index, case in enumerate(cases)
            for person, role in (
                (self.person, ParticipantRole.HARMED),
                (self.others[index % 3], ParticipantRole.RESPONSIBLE),
            )
        )
        FacilitatorAssignment.objects.bulk_create(
            FacilitatorAssignment(case=case, facilitator=cast.facilitator) for case in cases[::2]
        )
        Task.objects.bulk_create(
            Task(
                programme=programme,
                case=case,
                kind=TaskKind.OTHER,
                title="Do something",
                assignee=[cast.coordinator, cast.facilitator, None][index % 3],
                due_on=self.today + datetime.timedelta(days=index % 9 - 4),
            )
            for index, case in enumerate(cases)
        )
        for _ in range(number):
            audit_record(
                actor=cast.coordinator,
                action=Action.CASE_VIEWED,
                target=self.case,
                programme=programme,
            )


@pytest.fixture
def world(cast: Any) -> World:
    built = World(cast)
    built.grow(80)
    return built


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _queries(client: Client, url: str, **headers: str) -> tuple[int, Any]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, headers=headers)
    assert response.status_code in (200, 302), (url, response.status_code)
    return len(captured.captured_queries), response


def _second_page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    next_query = response.context["next_query"]
    assert next_query, "the world is too small for a second page"
    return f"{LIST}?{next_query}"


def _assert_constant(world: World, client: Client, url_for: Callable[[], str]) -> None:
    client.get(url_for())  # the first request of a session does one-off work
    few, _ = _queries(client, url_for())
    world.grow(160)  # three times the cases, participants, tasks and audit events
    many, _ = _queries(client, url_for())
    assert many == few


@pytest.mark.parametrize("sort", ["due", "opened", "reference", "stage"])
@pytest.mark.parametrize(
    "filters",
    ["", "&stage=any", "&stage=any&sensitive=no&coordinator={coordinator}"],
    ids=["open", "any-stage", "coordinator-and-sensitive"],
)
@pytest.mark.parametrize("page", [1, 2])
def test_the_case_list(world: World, sort: str, filters: str, page: int) -> None:
    client = _client(world.cast.coordinator)
    first = f"{LIST}?sort={sort}{filters.format(coordinator=world.cast.coordinator.pk)}"

    def url() -> str:
        return first if page == 1 else _second_page(client, first)

    _assert_constant(world, client, url)


@pytest.mark.parametrize(
    "filters",
    ["overdue=on&paused=hide&facilitator={facilitator}", "facilitator=none&coordinator=none"],
)
def test_the_case_list_with_other_filters(world: World, filters: str) -> None:
    client = _client(world.cast.coordinator)
    url = f"{LIST}?{filters.format(facilitator=world.cast.facilitator.pk)}"
    _assert_constant(world, client, lambda: url)


def test_the_case_list_of_a_facilitator(world: World) -> None:
    client = _client(world.cast.facilitator)
    _assert_constant(world, client, lambda: f"{LIST}?stage=any")


@pytest.mark.parametrize(
    "search",
    ["Hana Harmed", "07700 900321", "hana.nobody@example.org"],
    ids=["name", "phone", "email"],
)
def test_a_search(world: World, search: str) -> None:
    client = _client(world.cast.coordinator)
    _assert_constant(world, client, lambda: f"{LIST}?stage=any&q={search.replace(' ', '+')}")


def test_a_reference_lookup(world: World) -> None:
    client = _client(world.cast.coordinator)
    url = f"{LIST}?q={world.case.reference}"
    count, response = _queries(client, url)
    assert response.status_code == 302
    _assert_constant(world, client, lambda: url)


def test_the_case_page(world: World) -> None:
    client = _client(world.cast.coordinator)
    _assert_constant(world, client, lambda: reverse("cases:detail", args=[world.case.reference]))


@pytest.mark.parametrize("name", ["coordinator", "facilitator"])
def test_my_work(world: World, name: str) -> None:
    client = _client(world.cast.users[name])
    _assert_constant(world, client, lambda: reverse("tasks:my_work"))


def test_a_cases_audit_trail(world: World) -> None:
    client = _client(world.cast.supervisor)
    url = f"/audit/?target_type=cases.case&target_id={world.case.pk}"
    _, response = _queries(client, url)
    assert len(response.context["events"]) > 0

    def older_page() -> str:
        page = client.get(url)
        match = re.search(r"before=(\d+)", page.context["older_query"])
        assert match, "the trail is too short for a second page"
        return f"{url}&before={match.group(1)}"

    _assert_constant(world, client, lambda: url)
    _assert_constant(world, client, older_page)


def test_the_case_page_reads_information_sheets_once_whatever_the_languages(world: World) -> None:
    # Each participant is given the sheet in their language (or its fallback): one
    # query for the programme's sheets, not one or more per language spoken.
    client = _client(world.cast.coordinator)
    url = reverse("cases:detail", args=[world.case.reference])

    def add_speakers(languages: list[str]) -> None:
        Participant.objects.bulk_create(
            Participant(
                case=world.case,
                person=make_person(f"Speaker {language}", "Other", phone=None, language=language),
                role=ParticipantRole.SUPPORTER,
            )
            for language in languages
        )

    add_speakers(["fr", "de"])
    client.get(url)
    few, _ = _queries(client, url)
    add_speakers(["pt-br", "ar", "pl", "ro", "ur", "so"])
    many, _ = _queries(client, url)
    assert many == few
