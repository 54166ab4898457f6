"""The case list: who sees which cases, filters, sorting, pages, search by reference and by
a person's details through the blind indexes, the audit of searches, and a query count
that does not grow with the data."""

from __future__ import annotations

import datetime
import itertools
import json
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.accounts.selectors import programme_roles
from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.cases.listing import (
    SearchKind,
    case_list_for_user,
    case_page,
    reference_from_text,
    search_kind,
    visible_case_by_reference,
)
from amends.cases.models import Case
from amends.cases.services import case_assign_facilitator, case_close, case_pause
from amends.cases.tests.builders import build_case, make_person
from amends.core.counting import capped_count
from amends.people.models import Person
from amends.people.services import contact_channel_add
from conftest import accessibility_violations, screenshot

pytestmark = pytest.mark.django_db

URL = "/cases/"
_numbers = itertools.count(100)


def _unique_person(given_name: str = "Sam", family_name: str = "Example") -> Person:
    # Each builder person gets a phone number of its own, so phone searches find one case.
    return make_person(
        given_name, family_name, phone=f"+44 7700 900{100 + next(_numbers) % 900:03d}"
    )


def _case(programme: Any, **kwargs: Any) -> Case:
    kwargs.setdefault("harmed", _unique_person("Hana", "Harmed"))
    kwargs.setdefault("responsible", _unique_person("Ray", "Responsible"))
    return build_case(programme, **kwargs)


def _references(response: Any) -> list[str]:
    assert response.status_code == 200, response.content[:500]
    return [case.reference for case in response.context["cases"]]


def _shown(client: Any, **query: Any) -> list[str]:
    return _references(client.get(URL, query))


def _set(case: Case, **values: Any) -> None:
    # Dates the services rightly refuse (a due date in the past, an old opening date).
    Case.objects.filter(pk=case.pk).update(**values)


# --- who may list which cases ---------------------------------------------------------------


def test_the_list_is_mounted_at_cases() -> None:
    assert reverse("cases:list") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client_for: Any) -> None:
    response = client_for(None).get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize(
    "name", ["administrator", "advocate", "referrer", "evaluator", "no_role", "platform_admin"]
)
def test_people_who_do_not_work_on_cases_are_refused(cast: Any, client_for: Any, name: str) -> None:
    _case(cast.programme, coordinator=cast.coordinator)

    response = client_for(name).get(URL)

    assert response.status_code == 403


@pytest.mark.parametrize("name", ["coordinator", "supervisor"])
def test_case_managers_see_every_open_case_of_their_programme(
    cast: Any, client_for: Any, name: str
) -> None:
    # given
    mine = _case(cast.programme, coordinator=cast.coordinator)
    unassigned = _case(cast.programme)
    # when
    shown = _shown(client_for(name))
    # then
    assert sorted(shown) == sorted([mine.reference, unassigned.reference])


def test_a_facilitator_sees_only_the_cases_assigned_to_them(cast: Any, client_for: Any) -> None:
    # given
    assigned = _case(cast.programme)
    case_assign_facilitator(actor=None, case=assigned, facilitator=cast.facilitator)
    _case(cast.programme, coordinator=cast.coordinator)
    # when
    shown = _shown(client_for("facilitator"))
    # then
    assert shown == [assigned.reference]


def test_another_programmes_cases_never_appear_even_when_searched_for(
    cast: Any, client_for: Any
) -> None:
    # given
    person = _unique_person("Olu", "Outside")
    theirs = _case(cast.other_programme, harmed=person)
    client = client_for("coordinator")
    # then
    assert _shown(client, stage="any") == []
    assert _shown(client, q=theirs.reference, stage="any") == []
    assert _shown(client, q="Olu Outside", stage="any") == []


def test_the_other_programmes_supervisor_sees_their_cases_and_not_ours(
    cast: Any, client_for: Any
) -> None:
    ours = _case(cast.programme)
    theirs = _case(cast.other_programme)

    shown = _shown(client_for("other_supervisor"))

    assert shown == [theirs.reference]
    assert ours.reference not in shown


def test_only_the_users_own_programmes_are_offered_and_accepted(cast: Any, client_for: Any) -> None:
    # given
    _case(cast.other_programme)
    client = client_for("coordinator")
    # when
    response = client.get(URL, {"programme": cast.other_programme.pk})
    # then
    form = response.context["form"]
    assert list(form.fields["programme"].queryset) == [cast.programme]
    assert "programme" in form.errors
    assert response.context["cases"] == []


def test_the_programme_filter_narrows_to_one_of_the_users_programmes(
    cast: Any, client_for: Any
) -> None:
    ours = _case(cast.programme)

    shown = _shown(client_for("coordinator"), programme=cast.programme.pk)

    assert shown == [ours.reference]


# --- filters --------------------------------------------------------------------------------


def test_closed_cases_are_left_out_unless_asked_for(cast: Any, client_for: Any) -> None:
    # given
    open_case = _case(cast.programme)
    closed = case_close(actor=None, case=_case(cast.programme), reason="not_suitable")
    client = client_for("coordinator")
    # then
    assert _shown(client) == [open_case.reference]
    assert sorted(_shown(client, stage="any")) == sorted([open_case.reference, closed.reference])
    assert _shown(client, stage="closed") == [closed.reference]


def test_the_stage_filter_shows_cases_in_that_stage(cast: Any, client_for: Any) -> None:
    in_contact = cast.case
    _case(cast.programme)

    assert _shown(client_for("coordinator"), stage="contact") == [in_contact.reference]


def test_paused_cases_can_be_shown_alone_or_hidden(cast: Any, client_for: Any) -> None:
    # given
    paused = case_pause(actor=None, case=cast.case, reason="safety_concern")
    working = _case(cast.programme)
    client = client_for("coordinator")
    # then
    assert _shown(client, paused="only") == [paused.reference]
    assert _shown(client, paused="hide") == [working.reference]
    assert _shown(client, stage="paused") == [paused.reference]


def test_a_paused_case_says_which_stage_it_was_paused_from(cast: Any, client_for: Any) -> None:
    case_pause(actor=None, case=cast.case, reason="safety_concern")

    response = client_for("coordinator").get(URL)

    assert "paused from Contact" in response.content.decode()


def test_the_coordinator_filter_shows_their_cases_or_those_with_nobody(
    cast: Any, client_for: Any
) -> None:
    # given
    coordinated = _case(cast.programme, coordinator=cast.coordinator)
    nobody = _case(cast.programme)
    client = client_for("supervisor")
    # then
    assert _shown(client, coordinator=cast.coordinator.pk) == [coordinated.reference]
    assert _shown(client, coordinator="none") == [nobody.reference]


def test_the_facilitator_filter_shows_their_cases_or_those_with_nobody(
    cast: Any, client_for: Any
) -> None:
    # given
    assigned = _case(cast.programme)
    case_assign_facilitator(actor=None, case=assigned, facilitator=cast.facilitator)
    nobody = _case(cast.programme)
    client = client_for("coordinator")
    # then
    assert _shown(client, facilitator=cast.facilitator.pk) == [assigned.reference]
    assert _shown(client, facilitator="none") == [nobody.reference]


def test_someone_who_is_not_a_facilitator_here_is_not_accepted_as_one(
    cast: Any, client_for: Any
) -> None:
    _case(cast.programme)

    response = client_for("coordinator").get(URL, {"facilitator": cast.other_supervisor.pk})

    assert "facilitator" in response.context["form"].errors
    assert response.context["cases"] == []


def test_the_sensitive_filter_shows_sensitive_cases_or_the_others(
    cast: Any, client_for: Any
) -> None:
    # given
    sensitive = _case(cast.programme, categories=("domestic-abuse",))
    ordinary = _case(cast.programme)
    client = client_for("coordinator")
    # then
    assert _shown(client, sensitive="yes") == [sensitive.reference]
    assert _shown(client, sensitive="no") == [ordinary.reference]


def test_a_sensitive_case_carries_a_badge_in_words(cast: Any, client_for: Any) -> None:
    _case(cast.programme, categories=("domestic-abuse",))

    content = client_for("coordinator").get(URL).content.decode()

    assert ">Sensitive</span>" in content


@pytest.mark.gate("G13")
@pytest.mark.parametrize("name", ["coordinator", "supervisor"])
def test_overdue_next_actions_show_up_for_the_coordinator_and_the_supervisor(
    cast: Any, client_for: Any, name: str
) -> None:
    # given
    late = _case(cast.programme, coordinator=cast.coordinator)
    _set(late, next_action_due=timezone.localdate() - datetime.timedelta(days=1))
    on_time = _case(cast.programme, coordinator=cast.coordinator)
    client = client_for(name)
    # when
    response = client.get(URL)
    # then: flagged in words, not only in colour, and the filter finds it alone
    content = response.content.decode()
    assert content.count(">Overdue</span>") == 1
    assert (
        content.index(late.reference) < content.index("Overdue") < content.index(on_time.reference)
    )
    assert _shown(client, overdue="on") == [late.reference]


@pytest.mark.gate("G13")
def test_a_closed_case_is_never_overdue(cast: Any, client_for: Any) -> None:
    closed = case_close(actor=None, case=_case(cast.programme), reason="not_suitable")
    _set(closed, next_action_due=timezone.localdate() - datetime.timedelta(days=10))

    client = client_for("coordinator")

    assert _shown(client, stage="any", overdue="on") == []
    assert ">Overdue</span>" not in client.get(URL, {"stage": "any"}).content.decode()


# --- sorting and pages ----------------------------------------------------------------------


def test_cases_are_sorted_by_next_action_due_by_default(cast: Any, client_for: Any) -> None:
    # given
    today = timezone.localdate()
    later, sooner = _case(cast.programme), _case(cast.programme)
    _set(later, next_action_due=today + datetime.timedelta(days=9))
    _set(sooner, next_action_due=today + datetime.timedelta(days=1))
    # then
    assert _shown(client_for("coordinator")) == [sooner.reference, later.reference]


def test_cases_can_be_sorted_by_opening_reference_or_stage(cast: Any, client_for: Any) -> None:
    # given
    in_contact = cast.case
    newer = _case(cast.programme)
    _set(in_contact, created_at=timezone.now() - datetime.timedelta(days=30))
    client = client_for("coordinator")
    # then
    assert _shown(client, sort="opened") == [newer.reference, in_contact.reference]
    assert _shown(client, sort="reference") == sorted([newer.reference, in_contact.reference])
    assert _shown(client, sort="stage") == [newer.reference, in_contact.reference]


def _follow(client: Any, query: str) -> Any:
    response = client.get(f"{URL}?{query}")
    assert response.status_code == 200
    return response


def test_long_lists_come_in_pages_of_the_chosen_size(cast: Any, client_for: Any) -> None:
    # given
    created = [_case(cast.programme).reference for _ in range(27)]
    client = client_for("coordinator")
    # when
    first = client.get(URL)
    second = _follow(client, first.context["next_query"])
    back = _follow(client, second.context["previous_query"])
    everything = _shown(client, per_page=50)
    # then: 25, then the other 2 (by cursor), and back again; no "page=" links at all
    assert len(_references(first)) == 25
    assert sorted(_references(first) + _references(second)) == sorted(created)
    assert second.context["next_query"] is None
    assert _references(back) == _references(first)
    assert sorted(everything) == sorted(created)
    content = second.content.decode()
    assert 'rel="prev"' in content
    assert "First page" in content
    assert "?page=" not in content
    assert "&amp;page=" not in content
    assert "cursor=" in first.content.decode()


@pytest.mark.parametrize("stage", ["", "any"])
@pytest.mark.parametrize("sort", ["due", "opened", "reference", "stage"])
def test_every_sort_pages_through_every_case_once_forwards_and_backwards(
    cast: Any, sort: str, stage: str
) -> None:
    # given: shared due dates and opening times, several stages, closed cases with no date
    today = timezone.localdate()
    for number in range(9):
        case = _case(cast.programme)
        values: dict[str, Any] = {
            "next_action_due": today + datetime.timedelta(days=number % 3),
            "created_at": timezone.now() - datetime.timedelta(days=number % 2),
            "stage": ["referred", "screening", "contact"][number % 3],
        }
        if number % 4 == 0:
            values.update(stage="closed", closure_reason="other", next_action_due=None)
        _set(case, **values)
    listing = case_list_for_user(cast.coordinator, stage=stage, sort=sort)
    expected = [case.reference for case in listing.cases]
    # when: forwards three at a time, then backwards from the last page
    pages = [case_page(listing, cursor=None, size=3)]
    while pages[-1].next_cursor:
        pages.append(case_page(listing, cursor=pages[-1].next_cursor, size=3))
    backwards = [pages[-1]]
    while backwards[-1].previous_cursor:
        backwards.append(case_page(listing, cursor=backwards[-1].previous_cursor, size=3))
    # then
    assert len(expected) == (9 if stage == "any" else 6)
    assert [case.reference for page in pages for case in page.cases] == expected
    assert [case.reference for page in reversed(backwards) for case in page.cases] == expected
    assert backwards[-1].is_first
    assert not pages[-1].is_first
    if sort == "due" and stage == "any":
        # Closed cases without a date come last.
        assert all(case.next_action_due is None for case in pages[-1].cases[-1:])


def test_the_due_sort_puts_cases_without_a_date_last_and_orders_the_rest(cast: Any) -> None:
    today = timezone.localdate()
    later, undated, sooner = _case(cast.programme), _case(cast.programme), _case(cast.programme)
    _set(later, next_action_due=today + datetime.timedelta(days=5))
    _set(undated, stage="closed", closure_reason="other", next_action_due=None)
    _set(sooner, next_action_due=today)

    listing = case_list_for_user(cast.coordinator, stage="any")

    assert [case.pk for case in listing.cases] == [sooner.pk, later.pk, undated.pk]


# --- bad input ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parameter", "value"),
    [
        ("stage", "finished"),
        ("paused", "maybe"),
        ("sensitive", "perhaps"),
        ("sort", "name"),
        ("per_page", "7"),
        ("per_page", "lots"),
        ("coordinator", "999999"),
        ("coordinator", "'; drop table cases_case; --"),
        ("programme", "northshire"),
        ("q", "x" * 201),
    ],
)
def test_a_bad_filter_value_gets_a_clear_message_and_shows_nothing(
    cast: Any, client_for: Any, parameter: str, value: str
) -> None:
    # given
    _case(cast.programme)
    # when
    response = client_for("coordinator").get(URL, {parameter: value})
    # then
    assert response.status_code == 200
    assert parameter in response.context["form"].errors
    assert response.context["cases"] == []
    assert "No cases are shown until these are corrected" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.CASE_SEARCHED).exists()


@pytest.mark.parametrize("page", ["abc", "0", "-1", "9999", ""])
def test_an_old_page_number_is_ignored(cast: Any, client_for: Any, page: str) -> None:
    case = _case(cast.programme)

    assert _shown(client_for("coordinator"), page=page) == [case.reference]


def _a_real_cursor(client: Any, **query: Any) -> str:
    response = client.get(URL, {**query, "per_page": 25})
    return str(response.context["page"].next_cursor)


@pytest.mark.parametrize(
    "tamper",
    [
        lambda cursor: cursor[:-2] + ("AA" if not cursor.endswith("AA") else "BB"),
        lambda cursor: "x" + cursor,
        lambda cursor: "not-a-cursor",
        lambda cursor: "eyJzIjoiZHVlIiwiZCI6Im5leHQiLCJrIjpbbnVsbCwxXX0",
        lambda cursor: "'; drop table cases_case; --",
        lambda cursor: "9" * 2000,
    ],
    ids=["edited-signature", "prefixed", "junk", "unsigned-payload", "sql", "huge"],
)
def test_a_tampered_or_malformed_cursor_gives_the_first_page_and_a_message(
    cast: Any, client_for: Any, tamper: Any
) -> None:
    # given
    for _ in range(26):
        _case(cast.programme)
    client = client_for("coordinator")
    first = _shown(client)
    cursor = _a_real_cursor(client)
    # when
    response = client.get(URL, {"cursor": tamper(cursor)})
    # then
    assert _references(response) == first
    assert response.context["page"].cursor_rejected
    assert "no longer works, so here is the first page" in response.content.decode()


def test_a_cursor_made_for_another_sort_gives_the_first_page(cast: Any, client_for: Any) -> None:
    for _ in range(26):
        _case(cast.programme)
    client = client_for("coordinator")
    cursor = _a_real_cursor(client, sort="due")

    response = client.get(URL, {"cursor": cursor, "sort": "reference"})

    assert _references(response) == _shown(client, sort="reference")
    assert response.context["page"].cursor_rejected


def test_the_count_stops_at_the_cap(cast: Any, client_for: Any, monkeypatch: Any) -> None:
    # given: a cap of 2 (the real one is 10,000 cases: too many to build in a test)
    for _ in range(3):
        _case(cast.programme)
    client = client_for("coordinator")
    assert "3 cases match." in client.get(URL).content.decode()
    monkeypatch.setattr("amends.cases.views.listing.COUNT_CAP", 2)
    # when
    content = client.get(URL).content.decode()
    # then
    assert "2+ cases match." in content
    assert capped_count(Case.objects.all(), cap=2) == 3
    assert capped_count(Case.objects.all(), cap=5) == 3
    assert capped_count(Case.objects.all(), cap=1) == 2


# --- search ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "written",
    [
        lambda reference: reference,
        lambda reference: reference.lower(),
        lambda reference: reference.replace("-", ""),
        lambda reference: f"  {reference.lower().replace('-', '')}  ",
    ],
    ids=["as-stored", "lower-case", "without-dashes", "spaces-and-lower-case"],
)
def test_a_reference_goes_straight_to_the_case_however_it_is_written(
    cast: Any, client_for: Any, written: Any
) -> None:
    # given: closed, so a lookup goes past the default "open cases" filter
    wanted = case_close(actor=None, case=_case(cast.programme), reason="not_suitable")
    _case(cast.programme)
    # when
    response = client_for("coordinator").get(URL, {"q": written(wanted.reference)})
    # then
    assert response.status_code == 302
    assert response["Location"] == reverse("cases:detail", args=[wanted.reference])


def test_htmx_is_told_to_go_to_the_case_rather_than_given_its_page(
    cast: Any, client_for: Any
) -> None:
    wanted = _case(cast.programme)

    response = client_for("coordinator").get(
        URL, {"q": wanted.reference}, headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("cases:detail", args=[wanted.reference])
    assert response.content == b""


def test_a_reference_lookup_is_one_query(cast: Any, client_for: Any) -> None:
    wanted = _case(cast.programme)
    programme_roles(cast.coordinator)  # read once per request by the permission check

    with CaptureQueriesContext(connection) as queries:
        assert visible_case_by_reference(cast.coordinator, wanted.reference.lower()) == (
            wanted.reference,
            cast.programme.pk,
        )

    assert len(queries) == 1


@pytest.mark.parametrize("name", ["coordinator", "facilitator"])
def test_an_invisible_case_reference_looks_exactly_like_one_that_does_not_exist(
    cast: Any, client_for: Any, name: str
) -> None:
    # given: a case of another programme, and (for the facilitator) one not assigned
    theirs = _case(cast.other_programme)
    unassigned = _case(cast.programme)
    client = client_for(name)
    hidden = [theirs.reference] + ([unassigned.reference] if name == "facilitator" else [])
    # when
    answers = [
        client.get(URL, {"q": reference}, headers={"HX-Request": "true"})
        for reference in [*hidden, "C-ZZZZ-ZZZZ"]
    ]
    # then: the same empty list, word for word, for each
    assert all(response.status_code == 200 for response in answers)
    bodies = {
        response.content.decode().replace(reference, "REF")
        for response, reference in zip(answers, [*hidden, "C-ZZZZ-ZZZZ"], strict=True)
    }
    assert len(bodies) == 1
    assert all(response.context["cases"] == [] for response in answers)


def test_cases_are_found_by_a_participants_full_name(cast: Any, client_for: Any) -> None:
    # given
    person = _unique_person("José", "Núñez-O'Brien")
    first = _case(cast.programme, harmed=person)
    second = _case(cast.programme, responsible=person)
    _case(cast.programme)
    client = client_for("coordinator")
    # when
    shown = _shown(client, q="jose nunez obrien")
    # then: every case the person is in, and a first name alone is not a full name
    assert sorted(shown) == sorted([first.reference, second.reference])
    assert _shown(client, q="José") == []


def test_cases_are_found_by_a_participants_phone_number_in_national_form(
    cast: Any, client_for: Any
) -> None:
    person = make_person("Pat", "Phone", phone="+44 7700 900987")
    wanted = _case(cast.programme, responsible=person)
    _case(cast.programme)

    assert _shown(client_for("coordinator"), q="07700 900987") == [wanted.reference]


def test_cases_are_found_by_a_participants_email_address(cast: Any, client_for: Any) -> None:
    person = _unique_person("Em", "Mail")
    contact_channel_add(
        actor=None, person=person, kind="email", value="Em.Mail@Example.org", is_safe=True
    )
    wanted = _case(cast.programme, harmed=person)
    _case(cast.programme)

    assert _shown(client_for("coordinator"), q=" em.mail@example.org ") == [wanted.reference]


def test_a_facilitator_finds_a_person_only_in_the_cases_assigned_to_them(
    cast: Any, client_for: Any
) -> None:
    # given
    person = _unique_person("Fay", "Found")
    assigned = _case(cast.programme, harmed=person)
    case_assign_facilitator(actor=None, case=assigned, facilitator=cast.facilitator)
    _case(cast.programme, responsible=person)
    # when
    shown = _shown(client_for("facilitator"), q="Fay Found")
    # then
    assert shown == [assigned.reference]


def test_a_search_combines_with_the_filters(cast: Any, client_for: Any) -> None:
    person = _unique_person("Cole", "Combined")
    _case(cast.programme, harmed=person)
    closed = case_close(
        actor=None, case=_case(cast.programme, harmed=person), reason="not_suitable"
    )
    client = client_for("coordinator")

    assert len(_shown(client, q="Cole Combined")) == 1
    assert _shown(client, q="Cole Combined", stage="closed") == [closed.reference]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("someone@example.org", SearchKind.EMAIL),
        ("C-1234-5678", SearchKind.REFERENCE),
        ("c12345678", SearchKind.REFERENCE),
        ("C-ABCD-EFGH", SearchKind.REFERENCE),
        ("07700 900123", SearchKind.PHONE),
        ("+44 (0)7700 900123", SearchKind.PHONE),
        ("Ray Responsible", SearchKind.NAME),
        ("Cass Reyes", SearchKind.NAME),
        # One word of letters shaped like a reference is a name unless a case has it.
        ("Cassandra", SearchKind.NAME),
        ("12", SearchKind.NAME),
    ],
)
def test_what_a_search_text_is_taken_to_be(text: str, kind: SearchKind) -> None:
    assert search_kind(text) == kind


def test_a_reference_written_with_misread_letters_is_read_as_crockford_says() -> None:
    assert reference_from_text("c-1o34-5li8") == "C-1034-5118"
    assert reference_from_text("C-1234-567") is None
    assert reference_from_text("C 1234 5678") is None


def test_a_one_word_name_that_looks_like_a_reference_finds_the_person(
    cast: Any, client_for: Any
) -> None:
    person = make_person("Cassandra", phone=None)
    wanted = _case(cast.programme, harmed=person)

    assert _shown(client_for("coordinator"), q="Cassandra") == [wanted.reference]


# --- audit and privacy ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Sam Secretname", "name"),
        ("07700 900555", "phone"),
        ("secret.address@privately.test", "email"),
    ],
)
def test_a_search_is_audited_with_its_kind_and_never_its_text(
    cast: Any, client_for: Any, text: str, kind: str
) -> None:
    # given
    _case(cast.programme)
    # when
    client_for("coordinator").get(URL, {"q": text})
    # then
    event = AuditEvent.objects.get(action=Action.CASE_SEARCHED)
    assert (event.actor, event.programme, event.data) == (
        cast.coordinator,
        cast.programme,
        {"kind": kind, "matches": 0},
    )
    stored = json.dumps(list(AuditEvent.objects.values()), default=str).casefold()
    for word in text.casefold().replace("@", " ").split():
        assert word not in stored


def test_a_search_by_reference_is_audited_as_one(cast: Any, client_for: Any) -> None:
    case = _case(cast.programme)

    client_for("supervisor").get(URL, {"q": case.reference})

    event = AuditEvent.objects.get(action=Action.CASE_SEARCHED)
    assert event.data == {"kind": "reference", "matches": 1}
    assert event.programme == cast.programme


def test_listing_without_a_search_records_no_search(cast: Any, client_for: Any) -> None:
    _case(cast.programme)

    client_for("coordinator").get(URL, {"stage": "any", "sort": "reference"})

    assert not AuditEvent.objects.filter(action=Action.CASE_SEARCHED).exists()


def test_the_list_decrypts_nothing(cast: Any, client_for: Any) -> None:
    # given: every encrypted value of the cases and their people is unreadable
    person = _unique_person("Una", "Readable")
    case = case_close(
        actor=None, case=_case(cast.programme, harmed=person), reason="other", note="A closing note"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cases_case SET closure_note = 'not-a-token' WHERE id = %s", [case.pk]
        )
        cursor.execute(
            "UPDATE people_person SET given_name = 'not-a-token', family_name = 'not-a-token'"
        )
    # when: listed, and found by the person's name through the blind index
    shown = _shown(client_for("coordinator"), q="Una Readable", stage="any")
    # then
    assert shown == [case.reference]


def test_no_participant_name_appears_in_the_list(cast: Any, client_for: Any) -> None:
    _case(cast.programme, harmed=_unique_person("Zelda", "Zanzibar"))

    content = client_for("coordinator").get(URL).content.decode()

    assert "Zelda" not in content
    assert "Zanzibar" not in content


# --- htmx and performance -------------------------------------------------------------------


def test_htmx_gets_only_the_results_and_caches_keep_the_two_apart(
    cast: Any, client_for: Any
) -> None:
    case = _case(cast.programme)

    response = client_for("coordinator").get(URL, headers={"HX-Request": "true"})

    content = response.content.decode()
    assert case.reference in content
    assert "<html" not in content
    assert 'id="case-results"' in content
    assert "HX-Request" in response["Vary"]


def test_the_whole_page_works_without_javascript(cast: Any, client_for: Any) -> None:
    case = _case(cast.programme)

    content = client_for("coordinator").get(URL).content.decode()

    assert "<html" in content
    assert f'href="{reverse("cases:detail", args=[case.reference])}"' in content
    assert 'method="get"' in content


def _queries_for(client: Any, query: dict[str, Any]) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, query).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"per_page": "100", "sort": "stage"},
        {"q": "Hana Harmed", "stage": "any"},
        {"facilitator": "none", "coordinator": "none", "overdue": "on", "sensitive": "no"},
    ],
    ids=["default", "large-page-by-stage", "name-search", "many-filters"],
)
def test_the_query_count_does_not_grow_with_the_cases_or_the_page_size(
    cast: Any, client_for: Any, query: dict[str, Any]
) -> None:
    # given
    client = client_for("coordinator")
    harmed = _unique_person("Hana", "Harmed")

    def add_cases(number: int) -> None:
        # Overdue, so every query above finds them all: an empty page skips its query.
        for _ in range(number):
            case = _case(cast.programme, harmed=harmed)
            _set(case, next_action_due=timezone.localdate() - datetime.timedelta(days=1))

    add_cases(3)
    client.get(URL, query)  # the first request of a session does one-off work
    few = _queries_for(client, query)
    assert len(_shown(client, **query)) == 3
    # when
    add_cases(27)
    many = _queries_for(client, query)
    # then
    assert len(_shown(client, **query)) == min(30, int(query.get("per_page", 25)))
    assert many == few


# --- in a browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_coordinator_filters_the_list_on_a_phone(live_server: Any, page: Any, cast: Any) -> None:
    # given: signed in (the sign-in journey has its own browser test)
    paused = case_pause(actor=None, case=cast.case, reason="safety_concern")
    late = _case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator)
    _set(late, next_action_due=timezone.localdate() - datetime.timedelta(days=2))
    signed_in = Client()
    signed_in.force_login(cast.coordinator)
    page.context.add_cookies(
        [
            {
                "name": "sessionid",
                "value": signed_in.cookies["sessionid"].value,
                "url": live_server.url,
            }
        ]
    )
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{live_server.url}{URL}")
    assert accessibility_violations(page) == []
    screenshot(page, "case-list-phone")
    # when: a filter is chosen, htmx replaces the results and the address keeps the filter
    page.get_by_text("Filters, sorting and page size").click()
    page.get_by_label("Paused").select_option("only")
    page.wait_for_url("**paused=only**")
    # then
    results = page.locator("#case-results")
    assert paused.reference in results.inner_text()
    assert late.reference not in results.inner_text()
    assert accessibility_violations(page) == []
    screenshot(page, "case-list-phone-paused")
    assert page.csp_violations == []
