"""`manage.py explain_pages --endpoints FILE --out FILE`: which pages read a large table
from end to end (issue 6: "no sequential scan on a table over 10k rows for any
interactive page").

Each endpoint of the JSON list (`[{"name": …, "path": …, "email": …}]`, written by the
benchmark harness) is requested in-process, signed in as that user, inside a transaction
that is rolled back afterwards (the page's own writes, such as its audit event, leave no
trace). Every SELECT it ran is explained with `EXPLAIN (FORMAT JSON)` — the plan only,
nothing is executed twice — and every "Seq Scan" on a table the planner believes holds
more than `--threshold` rows (`pg_class.reltuples`) is reported, per endpoint, as JSON to
`--out`, with a short summary on stdout.

PostgreSQL only: SQLite's planner says nothing comparable, so there the command says so
and stops. It always exits 0: the harness reads the report and decides.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from amends.accounts.models import User

DEFAULT_THRESHOLD: Final = 10_000
QUERY_TEXT_LIMIT: Final = 2_000


def seq_scanned_tables(plan: Any) -> list[str]:
    """The tables a plan (the JSON `EXPLAIN (FORMAT JSON)` returns) reads with a
    sequential scan, in plan order, each once."""
    found: list[str] = []
    for node in _plan_nodes(plan):
        if node.get("Node Type") == "Seq Scan":
            table = str(node.get("Relation Name", ""))
            if table and table not in found:
                found.append(table)
    return found


def _plan_nodes(value: Any) -> Iterator[dict[str, Any]]:
    if isinstance(value, list):
        for item in value:
            yield from _plan_nodes(item)
    elif isinstance(value, dict):
        if "Node Type" in value:
            yield value
        for key in ("Plan", "Plans"):
            if key in value:
                yield from _plan_nodes(value[key])


def _is_select(sql: str) -> bool:
    head = sql.lstrip().split(None, 1)[0].upper() if sql.strip() else ""
    return head in ("SELECT", "WITH")


def _table_sizes(tables: set[str]) -> dict[str, float]:
    if not tables:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT relname, reltuples FROM pg_class WHERE relkind IN ('r', 'p') "
            "AND relname = ANY(%s)",
            [sorted(tables)],
        )
        return {str(name): float(rows) for name, rows in cursor.fetchall()}


def _explain(sql: str) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
        (plan,) = cursor.fetchone()
    return json.loads(plan) if isinstance(plan, str) else plan


def _client_host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host and host != "*" and not host.startswith("."):
            return str(host)
    return "localhost"


def explain_endpoint(endpoint: dict[str, Any], *, threshold: float) -> dict[str, Any]:
    """Request one endpoint, explain its SELECTs and report its large sequential scans."""
    name, path, email = (str(endpoint.get(key, "")) for key in ("name", "path", "email"))
    report: dict[str, Any] = {"name": name, "path": path, "email": email, "seq_scans": []}
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        report["error"] = f"no user with the e-mail address {email!r}"
        return report
    client = Client(HTTP_HOST=_client_host())
    client.force_login(user)
    try:
        with transaction.atomic():
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path, secure=True)
            report["status"] = response.status_code
            if response.has_header("Location"):
                # A redirect (to sign in, to set up a second factor…) explains little.
                report["location"] = response["Location"]
            queries = [query["sql"] for query in captured.captured_queries]
            selects = [sql for sql in queries if _is_select(sql)]
            report["queries"] = len(queries)
            report["selects_explained"] = len(selects)
            scans: list[tuple[str, str]] = []
            for sql in selects:
                scans.extend((table, sql) for table in seq_scanned_tables(_explain(sql)))
            sizes = _table_sizes({table for table, _ in scans})
            report["seq_scans"] = [
                {"table": table, "rows_estimate": sizes[table], "query": sql[:QUERY_TEXT_LIMIT]}
                for table, sql in scans
                if sizes.get(table, 0) > threshold
            ]
            # Keep nothing the page wrote.
            transaction.set_rollback(True)
    except Exception as error:  # noqa: BLE001 - one failing page must not hide the others
        report["error"] = f"{type(error).__name__}: {error}"
    return report


class Command(BaseCommand):
    help = "Explain every SELECT of each endpoint and report sequential scans of large tables."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--endpoints", required=True, help="JSON list of name/path/email")
        parser.add_argument("--out", required=True, help="where to write the JSON report")
        parser.add_argument(
            "--threshold",
            type=float,
            default=DEFAULT_THRESHOLD,
            help="report sequential scans of tables with more rows than this",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if connection.vendor != "postgresql":
            self.stdout.write(
                f"explain_pages needs PostgreSQL (this database is {connection.vendor}): "
                "nothing explained."
            )
            return
        try:
            endpoints = json.loads(Path(options["endpoints"]).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            self.stdout.write(f"explain_pages: cannot read the endpoints: {error}")
            return
        if not isinstance(endpoints, list):
            self.stdout.write("explain_pages: the endpoints file must hold a JSON list.")
            return
        threshold = float(options["threshold"])
        reports = [
            explain_endpoint(endpoint, threshold=threshold)
            for endpoint in endpoints
            if isinstance(endpoint, dict)
        ]
        result = {"threshold": threshold, "endpoints": reports}
        out = Path(options["out"])
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(result, indent=2, default=str), encoding="utf-8")
        for report in reports:
            tables = sorted({scan["table"] for scan in report["seq_scans"]})
            line = (
                f"{report['name']}: {report.get('queries', '?')} queries, "
                f"{len(report['seq_scans'])} large sequential scan(s)"
            )
            if tables:
                line += f" ({', '.join(tables)})"
            if "error" in report:
                line += f" ERROR {report['error']}"
            self.stdout.write(line)
        self.stdout.write(f"Report written to {out}")
