"""`manage.py explain_pages`: plans read right, large sequential scans reported, SQLite
declined politely."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection

from amends.audit.models import AuditEvent
from amends.core.management.commands.explain_pages import _explain, seq_scanned_tables

pytestmark = pytest.mark.django_db

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="EXPLAIN (FORMAT JSON) is PostgreSQL's"
)

# The shape PostgreSQL gives: a list holding one object with the plan tree under "Plan".
_PLAN = [
    {
        "Plan": {
            "Node Type": "Limit",
            "Plans": [
                {
                    "Node Type": "Nested Loop",
                    "Plans": [
                        {"Node Type": "Seq Scan", "Relation Name": "cases_case"},
                        {
                            "Node Type": "Index Scan",
                            "Relation Name": "programmes_programme",
                            "Index Name": "programmes_programme_pkey",
                        },
                        {
                            "Node Type": "Hash",
                            "Plans": [{"Node Type": "Seq Scan", "Relation Name": "cases_case"}],
                        },
                    ],
                }
            ],
        }
    }
]


def test_the_sequential_scans_of_a_plan_are_found_at_any_depth_once_each() -> None:
    assert seq_scanned_tables(_PLAN) == ["cases_case"]
    assert seq_scanned_tables([{"Plan": {"Node Type": "Result"}}]) == []


def _endpoints(tmp_path: Path, cast: Any) -> Path:
    path = tmp_path / "endpoints.json"
    path.write_text(
        json.dumps(
            [
                {"name": "case list", "path": "/cases/", "email": cast.coordinator.email},
                {
                    "name": "case page",
                    "path": f"/cases/{cast.case.reference}/",
                    "email": cast.coordinator.email,
                },
                {"name": "nobody", "path": "/cases/", "email": "nobody@example.org"},
            ]
        )
    )
    return path


@pytest.mark.skipif(connection.vendor == "postgresql", reason="the SQLite answer")
def test_on_sqlite_it_says_it_needs_postgresql_and_writes_nothing(
    cast: Any, tmp_path: Path
) -> None:
    out = StringIO()

    call_command(
        "explain_pages",
        endpoints=str(_endpoints(tmp_path, cast)),
        out=str(tmp_path / "report.json"),
        stdout=out,
    )

    assert "needs PostgreSQL" in out.getvalue()
    assert not (tmp_path / "report.json").exists()


@on_postgresql
def test_a_real_plan_of_a_full_table_read_is_a_sequential_scan(cast: Any) -> None:
    plan = _explain("SELECT * FROM cases_case WHERE next_action <> 'x'")

    assert seq_scanned_tables(plan) == ["cases_case"]


@on_postgresql
def test_each_endpoint_is_explained_and_only_scans_of_large_tables_are_reported(
    cast: Any, tmp_path: Path
) -> None:
    # given: fresh statistics, so every table the pages read has an estimate
    endpoints = _endpoints(tmp_path, cast)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    events_before = AuditEvent.objects.count()
    # when: every table counts as large, then the real threshold of 10,000 rows
    call_command(
        "explain_pages",
        endpoints=str(endpoints),
        out=str(tmp_path / "all.json"),
        threshold=-1,
        stdout=StringIO(),
    )
    out = StringIO()
    call_command(
        "explain_pages", endpoints=str(endpoints), out=str(tmp_path / "big.json"), stdout=out
    )
    # then
    everything = json.loads((tmp_path / "all.json").read_text())["endpoints"]
    large = json.loads((tmp_path / "big.json").read_text())["endpoints"]
    assert [report["name"] for report in everything] == ["case list", "case page", "nobody"]
    assert everything[0]["status"] == 200
    assert everything[1]["status"] == 200
    assert everything[0]["selects_explained"] > 0
    assert any(report["seq_scans"] for report in everything[:2])
    assert "no user" in everything[2]["error"]
    assert [report["seq_scans"] for report in large[:2]] == [[], []]
    assert "case list:" in out.getvalue()
    # the pages' own audit events were rolled back
    assert AuditEvent.objects.count() == events_before
