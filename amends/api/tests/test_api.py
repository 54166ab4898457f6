"""The JSON API: the same policies as the pages, keyset pages, one error shape, no
personal data, audited views and refusals, and a valid OpenAPI description."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.cases.models import Case
from amends.cases.tests.builders import build_case, make_person
from amends.programmes.models import Programme

pytestmark = pytest.mark.django_db

LIST = reverse("api:case_list")


def _json(response: Any) -> Any:
    assert "json" in response["Content-Type"]
    return json.loads(response.content)


def _references(response: Any) -> list[str]:
    return [row["reference"] for row in _json(response)["results"]]


def _more_cases(programme: Programme, count: int, coordinator: Any = None) -> list[Case]:
    return [build_case(programme, coordinator=coordinator) for _ in range(count)]


class TestCaseList:
    def test_a_coordinator_lists_the_cases_of_their_programme_only(self, cast, client_for):
        mine = cast.case
        other_programme = Programme.objects.exclude(pk=cast.programme.pk).get()
        theirs = build_case(other_programme)

        references = _references(client_for("coordinator").get(LIST))

        assert mine.reference in references
        assert theirs.reference not in references

    def test_a_facilitator_lists_only_the_cases_they_are_assigned_to(self, cast, client_for):
        assigned = cast.case
        unassigned = build_case(cast.programme)

        references = _references(client_for("facilitator").get(LIST))

        assert references == [assigned.reference]
        assert unassigned.reference not in references

    def test_pages_follow_the_cursor_without_overlap_or_gaps(self, cast, client_for):
        cases = [cast.case, *_more_cases(cast.programme, 29)]
        client = client_for("coordinator")

        first = _json(client.get(LIST))
        second = _json(client.get(first["next"]))

        seen = [row["reference"] for row in first["results"] + second["results"]]
        assert len(first["results"]) == 25
        assert second["next"] is None
        assert sorted(seen) == sorted(case.reference for case in cases)
        assert len(set(seen)) == len(seen)
        # Newest first.
        opened = [row["opened_at"] for row in first["results"]]
        assert opened == sorted(opened, reverse=True)

    def test_a_made_up_cursor_is_a_404_in_the_error_shape(self, cast, client_for):
        response = client_for("coordinator").get(LIST, {"cursor": "not-a-cursor"})

        assert response.status_code == 404
        assert _json(response)["error"]["code"] == "not_found"

    @pytest.mark.parametrize(
        ("query", "field"),
        [
            ({"stage": "limbo"}, "stage"),
            ({"overdue": "perhaps"}, "overdue"),
            ({"programme": "southvale-rj"}, "programme"),  # exists, but not theirs
            ({"programme": "no such"}, "programme"),
        ],
    )
    def test_bad_filters_are_refused_with_a_message_per_field(self, cast, client_for, query, field):
        before = AuditEvent.objects.count()

        response = client_for("coordinator").get(LIST, query)

        assert response.status_code == 400
        error = _json(response)["error"]
        assert error["status"] == 400
        assert error["fields"][field]
        assert AuditEvent.objects.count() == before

    def test_the_filters_narrow_the_list(self, cast, client_for):
        referred = build_case(cast.programme)

        references = _references(client_for("coordinator").get(LIST, {"stage": "referred"}))

        assert referred.reference in references
        assert cast.case.reference not in references  # in contact

    def test_the_list_shows_no_personal_data(self, cast, client_for):
        build_case(cast.programme, harmed=make_person("Zofia", "Wiśniewska"))

        content = client_for("coordinator").get(LIST).content.decode()

        assert "Wiśniewska" not in content
        assert "Zofia" not in content

    def test_its_queries_do_not_grow_with_the_number_of_cases(self, cast, client_for):
        client = client_for("coordinator")
        _more_cases(cast.programme, 2, coordinator=cast.users["coordinator"])
        with CaptureQueriesContext(connection) as few:
            assert client.get(LIST).status_code == 200
        _more_cases(cast.programme, 12, coordinator=cast.users["coordinator"])
        with CaptureQueriesContext(connection) as many:
            assert client.get(LIST).status_code == 200

        assert len(many) == len(few)


class TestCaseDetail:
    def test_the_case_team_reads_the_case_and_the_view_is_audited(self, cast, client_for):
        case = cast.case

        response = client_for("facilitator").get(reverse("api:case_detail", args=[case.reference]))

        body = _json(response)
        assert body["reference"] == case.reference
        assert body["stage"] == "contact"
        assert {row["role"] for row in body["participants"]} == {"harmed", "responsible"}
        assert body["facilitators"] == [cast.users["facilitator"].full_name]
        assert "Hana" not in response.content.decode()
        event = AuditEvent.objects.filter(action=Action.CASE_VIEWED).latest("id")
        assert event.target_id == str(case.pk)
        assert event.data == {"via": "api"}

    def test_a_case_of_another_programme_is_not_found_and_the_refusal_audited(
        self, cast, client_for
    ):
        url = reverse("api:case_detail", args=[cast.case.reference])

        response = client_for("other_supervisor").get(url)

        assert response.status_code == 404
        assert _json(response)["error"] == {
            "status": 404,
            "code": "not_found",
            "message": "Not found.",
        }
        refusal = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).latest("id")
        assert refusal.target_id == str(cast.case.pk)
        assert refusal.data["status"] == 404

    def test_a_case_that_does_not_exist_answers_exactly_like_a_hidden_one(self, cast, client_for):
        client = client_for("other_supervisor")
        hidden = client.get(reverse("api:case_detail", args=[cast.case.reference]))
        missing = client.get(reverse("api:case_detail", args=["C-0000-0000"]))

        assert (missing.status_code, missing.content) == (hidden.status_code, hidden.content)


class TestRefusals:
    def test_anonymous_callers_get_403_in_the_error_shape(self, cast, client):
        response = client.get(LIST)

        assert response.status_code == 403
        assert _json(response)["error"]["code"] == "not_authenticated"

    def test_a_refused_role_gets_403_and_the_refusal_is_audited(self, cast, client_for):
        response = client_for("evaluator").get(LIST)

        assert response.status_code == 403
        assert _json(response)["error"]["code"] == "permission_denied"
        refusal = AuditEvent.objects.filter(action=Action.ACCESS_REFUSED).latest("id")
        assert refusal.actor_id == cast.users["evaluator"].pk
        assert refusal.data["path"] == LIST

    def test_writes_are_not_offered(self, cast, client_for):
        response = client_for("coordinator").post(LIST, {}, content_type="application/json")

        assert response.status_code in (403, 405)
        assert "error" in _json(response)


def test_my_work_lists_a_task_of_mine_due_today(cast, client_for):
    from django.utils import timezone

    from amends.tasks.services import task_create

    task = task_create(
        actor=None,
        programme=cast.programme,
        case=cast.case,
        title="Ring the person harmed back",
        due_on=timezone.localdate(),
        assignee=cast.users["coordinator"],
    )

    body = _json(client_for("coordinator").get(reverse("api:my_work")))

    assert [(item["task_id"], item["case_reference"]) for item in body["due_today"]] == [
        (task.pk, cast.case.reference)
    ]
    assert _json(client_for("facilitator").get(reverse("api:my_work")))["due_today"] == []


def test_the_openapi_description_is_valid_and_documents_the_refusals(cast, client_for):
    from drf_spectacular.validation import validate_schema

    response = client_for("coordinator").get(reverse("api:schema"), {"format": "json"})

    schema = _json(response)
    validate_schema(schema)
    case_list = schema["paths"]["/api/v1/cases/"]["get"]
    assert {"200", "400", "403", "404"} <= set(case_list["responses"])
    assert {parameter["name"] for parameter in case_list["parameters"]} >= {
        "cursor",
        "stage",
        "programme",
        "overdue",
    }
