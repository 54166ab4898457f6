"""The pure parts of the web benchmark (bench/web.py): percentiles, growth against the S
run, the issue's targets, and the Markdown summary. No Django, no I/O but `json`."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

# Issue 6's targets: p95 in milliseconds, measured at XL on PostgreSQL. Every run shows
# them; only an XL/postgres run can settle them.
P95_TARGETS_MS: dict[str, float] = {
    "case_list": 150,
    "case_list_deep": 150,
    "case_page": 200,
    "search_name": 250,
    "search_contact": 250,
    "reference_lookup": 50,
    "my_work": 150,
    "audit_trail": 100,
    "overdue": 300,
    "dashboard": 300,
}
GROWTH_LIMIT = 1.5
MIXED_TARGET_RPS = 120.0
MIXED_TARGET_P95_MS = 300.0


def percentile(values: Sequence[float], fraction: float) -> float:
    """The nearest-rank percentile (fraction in [0, 1]) of `values`: always one of them."""
    if not values:
        raise ValueError("percentile of no values")
    if not 0 <= fraction <= 1:
        raise ValueError("fraction must be between 0 and 1")
    ordered = sorted(values)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


def summarise(
    durations_ms: Sequence[float], statuses: Iterable[int], expect: int = 200
) -> dict[str, Any]:
    """p50/p95/p99/max of one endpoint's timed requests and its status counts. A status
    outside 200–299 is an error, unless it is the one the endpoint answers by design
    (`expect`, e.g. 302 for a lookup that sends you to the record). An endpoint expected
    to redirect errs with anything else, a 200 included: a lookup that shows a page
    instead of the record did not do its job, and is timed as another page."""
    counts = Counter(statuses)
    expect_success = 200 <= expect < 300
    return {
        "count": len(durations_ms),
        "p50_ms": round(percentile(durations_ms, 0.50), 2),
        "p95_ms": round(percentile(durations_ms, 0.95), 2),
        "p99_ms": round(percentile(durations_ms, 0.99), 2),
        "max_ms": round(max(durations_ms), 2),
        "statuses": {str(status): n for status, n in sorted(counts.items())},
        "errors": sum(
            n
            for status, n in counts.items()
            if status != expect and not (expect_success and 200 <= status < 300)
        ),
    }


def growth_ratios(
    current: Mapping[str, Mapping[str, Any]], baseline: Mapping[str, Mapping[str, Any]]
) -> dict[str, float]:
    """Each endpoint's p95 divided by its p95 in the baseline (S) run, for endpoints
    measured in both with a positive baseline."""
    ratios = {}
    for name, figures in current.items():
        before = baseline.get(name, {}).get("p95_ms")
        now = figures.get("p95_ms")
        if isinstance(before, int | float) and before > 0 and isinstance(now, int | float):
            ratios[name] = round(now / before, 2)
    return ratios


def target_verdicts(result: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Each target of the issue, with the measured figure and met / not met (None when
    this run measured nothing for it)."""
    verdicts: list[dict[str, Any]] = []
    endpoints: Mapping[str, Mapping[str, Any]] = result.get("endpoints", {})
    for name, limit in P95_TARGETS_MS.items():
        figures = endpoints.get(name, {})
        p95 = figures.get("p95_ms")
        met = None if p95 is None else p95 <= limit and not figures.get("errors")
        verdicts.append({"target": f"{name} p95 ≤ {limit:g} ms", "measured": p95, "met": met})
    for name, ratio in sorted(result.get("growth", {}).items()):
        verdicts.append(
            {
                "target": f"{name} p95 ≤ {GROWTH_LIMIT:g} × S",
                "measured": ratio,
                "met": ratio <= GROWTH_LIMIT,
            }
        )
    mixed = result.get("mixed") or {}
    if mixed:
        verdicts.append(
            {
                "target": f"mixed load ≥ {MIXED_TARGET_RPS:g} req/s, 0 failures, "
                f"p95 ≤ {MIXED_TARGET_P95_MS:g} ms",
                "measured": f"{mixed['rps']} req/s, {mixed['failures']} failures, "
                f"p95 {mixed['p95_ms']} ms",
                "met": mixed["rps"] >= MIXED_TARGET_RPS
                and mixed["failures"] == 0
                and mixed["p95_ms"] <= MIXED_TARGET_P95_MS,
            }
        )
    explain = result.get("explain")
    if isinstance(explain, dict) and "endpoints" in explain:
        scans = sum(len(page.get("seq_scans", [])) for page in explain["endpoints"])
        failed = [page["name"] for page in explain["endpoints"] if "error" in page]
        verdicts.append(
            {
                "target": f"no sequential scan on a table over {explain['threshold']:g} rows",
                "measured": f"{scans} scans" + (f", not explained: {failed}" if failed else ""),
                "met": scans == 0 and not failed,
            }
        )
    writers = result.get("writers") or {}
    if writers:
        verdicts.append(
            {
                "target": "8 concurrent writers: 0 failures, 0 'database is locked'",
                "measured": f"{writers['failures']} failures, {writers['locked']} locked",
                "met": writers["failures"] == 0 and writers["locked"] == 0,
            }
        )
    return verdicts


def _cell(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "met" if value else "**not met**"
    return str(value)


def _table(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> list[str]:
    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(_cell(cell) for cell in row) + " |" for row in rows]
    return lines


def markdown(result: Mapping[str, Any]) -> str:
    """The human summary of one run (var/bench/<size>-<db>.md)."""
    machine = result["machine"]
    lines = [
        f"# Benchmark {result['size']} on {result['db']}",
        "",
        f"{result['date']} · commit {result['commit']} · {machine['cpus']} CPUs · "
        f"{machine['python']} · gunicorn {result['server']['workers']} sync workers",
        "",
    ]
    generator = result.get("generator") or {}
    if generator.get("seconds") is not None:
        lines.append(f"Dataset generated in {generator['seconds']} s (seed {generator['seed']}).")
    else:
        lines.append(f"Dataset reused (seed {generator.get('seed')}).")
    lines += ["", "## Endpoints", ""]
    growth = result.get("growth", {})
    endpoints = result.get("endpoints", {})
    lines += _table(
        [
            "endpoint",
            "role",
            "n",
            "p50 ms",
            "p95 ms",
            "p99 ms",
            "max ms",
            "errors",
            "queries",
            "× S",
        ],
        (
            [
                name,
                figures.get("role"),
                figures["count"],
                figures["p50_ms"],
                figures["p95_ms"],
                figures["p99_ms"],
                figures["max_ms"],
                figures["errors"],
                figures.get("queries"),
                growth.get(name),
            ]
            for name, figures in endpoints.items()
        ),
    )
    for note in result.get("notes", []):
        lines.append(f"\n> {note}")
    mixed = result.get("mixed")
    if mixed:
        lines += ["", "## Mixed load", ""]
        lines += _table(
            ["users", "seconds", "requests", "req/s", "failures", "p50 ms", "p95 ms", "p99 ms"],
            [
                [
                    mixed["users"],
                    mixed["seconds"],
                    mixed["requests"],
                    mixed["rps"],
                    mixed["failures"],
                    mixed["p50_ms"],
                    mixed["p95_ms"],
                    mixed["p99_ms"],
                ]
            ],
        )
        lines.append(
            f"\nShares (%): {mixed['shares']}. Server CPU during the load: "
            f"{mixed.get('server_cpu_percent')}% (200% = both cores)."
        )
    writers = result.get("writers")
    if writers:
        lines += ["", "## Concurrent writers", ""]
        lines += _table(
            ["writers", "seconds", "writes", "writes/s", "failures", "'database is locked'"],
            [
                [
                    writers["users"],
                    writers["seconds"],
                    writers["requests"],
                    writers["rps"],
                    writers["failures"],
                    writers["locked"],
                ]
            ],
        )
    memory = result.get("memory", {})
    lines += ["", "## Server", ""]
    lines += _table(
        ["worker pid", "peak RSS (VmHWM) MiB"],
        ([pid, mib] for pid, mib in memory.get("workers_peak_mib", {}).items()),
    )
    lines.append(f"\nServer CPU time: {memory.get('cpu_seconds')} s over the whole run.")
    explain = result.get("explain")
    if isinstance(explain, dict) and "endpoints" in explain:
        lines += ["", "## Query plans (explain_pages)", ""]
        lines += _table(
            ["endpoint", "status", "queries", "large sequential scans", "error"],
            (
                [
                    page.get("name"),
                    page.get("status"),
                    page.get("queries"),
                    ", ".join(sorted({scan["table"] for scan in page.get("seq_scans", [])})),
                    page.get("error"),
                ]
                for page in explain["endpoints"]
            ),
        )
    lines += ["", "## Targets (issue 6; set for XL on PostgreSQL)", ""]
    lines += _table(
        ["target", "measured", "verdict"],
        ([v["target"], v["measured"], v["met"]] for v in result.get("targets", [])),
    )
    return "\n".join(lines) + "\n"
