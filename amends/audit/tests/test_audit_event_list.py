"""The audit log viewer: who may read it, what they see, filters and paging."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.audit.selectors import PAGE_SIZE
from amends.audit.services import audit_record

pytestmark = pytest.mark.django_db

URL = "/audit/"


def _shown(response: Any) -> list[AuditEvent]:
    assert response.status_code == 200
    return list(response.context["events"])


def _record_in(
    programme: Any,
    *,
    actor: Any = None,
    action: Action = Action.PERSON_VIEWED,
    target: Any = None,
    reason: str = "",
) -> AuditEvent:
    return audit_record(
        actor=actor, action=action, programme=programme, target=target, reason=reason
    )


def test_the_viewer_is_mounted_at_audit() -> None:
    assert reverse("audit:event_list") == URL


def test_anonymous_visitors_are_sent_to_sign_in(client_for: Any) -> None:
    response = client_for(None).get(URL)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("name", ["facilitator", "coordinator", "evaluator", "no_role"])
def test_members_who_do_not_read_the_audit_log_are_refused(client_for: Any, name: str) -> None:
    response = client_for(name).get(URL)

    assert response.status_code == 403
    assert not AuditEvent.objects.filter(action=Action.AUDIT_VIEWED).exists()


def test_a_supervisor_sees_their_programmes_events_and_not_another_programmes(
    cast: Any, client_for: Any
) -> None:
    ours = _record_in(cast.programme, actor=cast.coordinator)
    theirs = _record_in(cast.other_programme, actor=cast.other_supervisor)

    shown = _shown(client_for("supervisor").get(URL))

    assert ours in shown
    assert theirs not in shown


def test_a_supervisor_sees_sign_ins_of_their_own_staff_only(cast: Any, client_for: Any) -> None:
    staff = audit_record(actor=cast.facilitator, action=Action.SIGNED_IN, target=cast.facilitator)
    outsider = audit_record(
        actor=cast.other_supervisor, action=Action.SIGNED_IN, target=cast.other_supervisor
    )
    system = audit_record(actor=None, action=Action.KEYS_ROTATED)

    shown = _shown(client_for("supervisor").get(URL))

    assert staff in shown
    assert outsider not in shown
    assert system not in shown


def test_a_platform_administrator_sees_every_event(cast: Any, client_for: Any) -> None:
    events = [
        _record_in(cast.programme),
        _record_in(cast.other_programme),
        audit_record(actor=None, action=Action.KEYS_ROTATED),
    ]

    shown = _shown(client_for("platform_admin").get(URL))

    assert set(events) <= set(shown)


def test_events_are_shown_newest_first(cast: Any, client_for: Any) -> None:
    older = _record_in(cast.programme)
    newer = _record_in(cast.programme)

    shown = _shown(client_for("supervisor").get(URL, {"programme": cast.programme.pk}))

    assert shown.index(newer) < shown.index(older)


def test_filter_by_actor_email(cast: Any, client_for: Any) -> None:
    by_coordinator = _record_in(cast.programme, actor=cast.coordinator)
    by_facilitator = _record_in(cast.programme, actor=cast.facilitator)

    shown = _shown(client_for("supervisor").get(URL, {"actor": "Coordinator@Example.org"}))

    assert shown == [by_coordinator]
    assert by_facilitator not in shown


def test_an_unknown_actor_looks_exactly_like_an_account_with_nothing_to_show(
    client_for: Any,
) -> None:
    client = client_for("supervisor")
    unknown = client.get(URL, {"actor": "nobody@example.org"})
    outsider = client.get(URL, {"actor": "platform_admin@example.org"})

    assert unknown.status_code == outsider.status_code == 200
    assert unknown.context["events"] == outsider.context["events"] == []
    assert unknown.context["form"].errors == outsider.context["form"].errors == {}


def test_filter_by_action(cast: Any, client_for: Any) -> None:
    viewed = _record_in(cast.programme, action=Action.PERSON_VIEWED)
    created = _record_in(cast.programme, action=Action.PERSON_CREATED)

    shown = _shown(client_for("supervisor").get(URL, {"action": Action.PERSON_CREATED.value}))

    assert shown == [created]
    assert viewed not in shown


def test_filter_by_target(cast: Any, client_for: Any) -> None:
    about_facilitator = _record_in(cast.programme, target=cast.facilitator)
    _record_in(cast.programme, target=cast.coordinator)

    shown = _shown(
        client_for("supervisor").get(
            URL, {"target_type": "accounts.user", "target_id": str(cast.facilitator.pk)}
        )
    )

    assert shown == [about_facilitator]


def test_filter_by_date_range(cast: Any, client_for: Any) -> None:
    event = _record_in(cast.programme)
    today = timezone.localdate()
    day = datetime.timedelta(days=1)
    client = client_for("supervisor")

    def shown(**dates: datetime.date) -> list[AuditEvent]:
        query = {name: value.isoformat() for name, value in dates.items()}
        return _shown(client.get(URL, {"programme": cast.programme.pk, **query}))

    # The cast's programme was set up (and audited) today as well, so today shows more.
    assert event in shown(date_from=today, date_to=today)
    assert shown(date_from=today + day) == []
    assert shown(date_to=today - day) == []


def test_a_start_date_after_the_end_date_is_a_form_error_and_shows_nothing(
    cast: Any, client_for: Any
) -> None:
    _record_in(cast.programme)

    response = client_for("supervisor").get(
        URL, {"date_from": "2026-03-02", "date_to": "2026-03-01"}
    )

    assert response.status_code == 200
    assert response.context["events"] == []
    assert "The end date is before the start date" in response.content.decode()
    assert not AuditEvent.objects.filter(action=Action.AUDIT_VIEWED).exists()


def test_a_date_that_is_not_a_date_is_a_form_error(client_for: Any) -> None:
    response = client_for("supervisor").get(URL, {"date_from": "yesterday"})

    assert response.status_code == 200
    assert response.context["form"].errors["date_from"]
    assert response.context["events"] == []


def test_a_programme_the_reader_may_not_see_cannot_be_chosen(cast: Any, client_for: Any) -> None:
    _record_in(cast.other_programme)

    response = client_for("supervisor").get(URL, {"programme": cast.other_programme.pk})

    assert response.context["form"].errors["programme"]
    assert response.context["events"] == []


def test_older_events_are_reached_page_by_page_with_the_filters_kept(
    cast: Any, client_for: Any
) -> None:
    # given more events of one kind than fit on a page, among others
    events = [
        _record_in(cast.programme, action=Action.PERSON_CREATED) for _ in range(PAGE_SIZE + 7)
    ]
    _record_in(cast.programme, action=Action.PERSON_VIEWED)
    client = client_for("supervisor")

    # when the reader opens the first page, then follows "Older events"
    first = client.get(URL, {"action": Action.PERSON_CREATED.value})
    older_query = first.context["older_query"]
    second = client.get(f"{URL}?{older_query}")

    # then the two pages hold every matching event once, newest first, and no more pages
    newest_first = list(reversed(events))
    assert _shown(first) == newest_first[:PAGE_SIZE]
    assert "action=person.created" in older_query
    assert f"before={newest_first[PAGE_SIZE - 1].pk}" in older_query
    assert f'href="?{older_query.replace("&", "&amp;")}"' in first.content.decode()
    assert _shown(second) == newest_first[PAGE_SIZE:]
    assert second.context["older_query"] == ""


def test_a_nonsense_cursor_shows_the_newest_page(cast: Any, client_for: Any) -> None:
    event = _record_in(cast.programme)

    shown = _shown(client_for("supervisor").get(URL, {"before": "-3'; drop table"}))

    assert event in shown


def test_every_page_load_is_itself_audited_with_its_filters(cast: Any, client_for: Any) -> None:
    client = client_for("supervisor")

    client.get(URL, {"action": Action.PERSON_CREATED.value, "programme": cast.programme.pk})
    client.get(URL, {"before": "999"})

    viewed = list(AuditEvent.objects.filter(action=Action.AUDIT_VIEWED).order_by("id"))
    assert [event.actor_id for event in viewed] == [cast.supervisor.pk] * 2
    assert viewed[0].data == {
        "filters": {"action": "person.created", "programme": cast.programme.pk},
        "before": None,
    }
    assert viewed[0].programme_id == cast.programme.pk
    assert viewed[1].data == {"filters": {}, "before": 999}


def test_the_table_shows_who_what_where_and_why(cast: Any, client_for: Any) -> None:
    audit_record(
        actor=cast.coordinator,
        action=Action.PROGRAMME_UPDATED,
        target=cast.programme,
        data={"changed": {"name": {"old": "A", "new": "B"}}},
        reason="Renamed after the merger",
    )

    page = client_for("supervisor").get(URL).content.decode()

    assert "coordinator@example.org" in page
    assert "Programme changed" in page
    assert f"programmes.programme {cast.programme.pk}" in page
    assert "Renamed after the merger" in page
    assert "{&quot;changed&quot;:{&quot;name&quot;:{&quot;new&quot;:&quot;B&quot;" in page
    assert "<caption>" in page
    assert 'style="' not in page


def test_the_number_of_queries_does_not_grow_with_the_events_shown(
    cast: Any, client_for: Any
) -> None:
    client = client_for("supervisor")
    _record_in(cast.programme, target=cast.facilitator)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured)

    few = queries()
    for _ in range(20):
        _record_in(cast.programme, target=cast.facilitator, actor=cast.coordinator)
    assert queries() == few


def test_filter_fields_carry_bootstrap_classes_once(client_for: Any) -> None:
    html = client_for("supervisor").get(URL).content.decode()

    assert 'class="form-control"' in html
    assert 'class="form-select"' in html
    assert "form-control form-control" not in html
    assert 'type="date"' in html
