"""The benchmark's pure parts: percentiles, summaries, growth ratios and target verdicts."""

from __future__ import annotations

import pytest

from bench.report import growth_ratios, markdown, percentile, summarise, target_verdicts


def test_percentile_is_nearest_rank() -> None:
    values = [float(n) for n in range(1, 101)]  # 1 … 100
    assert percentile(values, 0.50) == 50
    assert percentile(values, 0.95) == 95
    assert percentile(values, 0.99) == 99
    assert percentile(values, 1.0) == 100
    assert percentile(list(reversed(values)), 0.95) == 95  # order of arrival does not matter


def test_percentile_of_one_value_and_small_samples() -> None:
    assert percentile([7.0], 0.99) == 7.0
    assert percentile([1.0, 2.0, 3.0], 0.5) == 2.0
    assert percentile([1.0, 2.0, 3.0], 0.0) == 1.0


@pytest.mark.parametrize("fraction", [-0.1, 1.1])
def test_percentile_refuses_fractions_outside_zero_one(fraction: float) -> None:
    with pytest.raises(ValueError, match="between 0 and 1"):
        percentile([1.0], fraction)


def test_percentile_refuses_no_values() -> None:
    with pytest.raises(ValueError, match="no values"):
        percentile([], 0.5)


def test_summarise_counts_statuses_and_errors() -> None:
    summary = summarise([10.0] * 8 + [50.0, 90.0], [200] * 8 + [302, 500])
    assert summary["count"] == 10
    assert summary["p50_ms"] == 10.0
    assert summary["max_ms"] == 90.0
    assert summary["statuses"] == {"200": 8, "302": 1, "500": 1}
    assert summary["errors"] == 2  # a redirect is an error unless it is expected


def test_summarise_accepts_the_expected_redirect() -> None:
    summary = summarise([5.0, 6.0, 7.0], [302, 302, 404], expect=302)
    assert summary["errors"] == 1


def test_a_page_where_a_redirect_was_expected_is_an_error() -> None:
    # A reference lookup that lists search results has not found the case.
    summary = summarise([5.0, 6.0, 7.0], [302, 200, 200], expect=302)
    assert summary["errors"] == 2


def test_growth_ratios_against_the_baseline() -> None:
    current: dict[str, dict[str, float]] = {
        "case_list": {"p95_ms": 30.0},
        "case_page": {"p95_ms": 45.0},
        "new": {"p95_ms": 9},
    }
    baseline: dict[str, dict[str, float]] = {
        "case_list": {"p95_ms": 20.0},
        "case_page": {"p95_ms": 0},
    }
    # case_page's baseline is 0 (nothing to divide by) and "new" has none: both left out.
    assert growth_ratios(current, baseline) == {"case_list": 1.5}


def _result(**extra: object) -> dict[str, object]:
    return {
        "size": "XL",
        "db": "postgres",
        "date": "2026-11-21T00:00:00+00:00",
        "commit": "abc1234",
        "machine": {"cpus": 2, "python": "3.13.0"},
        "server": {"workers": 4},
        "generator": {"seed": 1, "seconds": 12.5},
        "endpoints": {
            "case_list": {
                "p95_ms": 149.0,
                "errors": 0,
                "count": 200,
                "p50_ms": 1,
                "p99_ms": 1,
                "max_ms": 1,
            },
            "case_page": {
                "p95_ms": 201.0,
                "errors": 0,
                "count": 200,
                "p50_ms": 1,
                "p99_ms": 1,
                "max_ms": 1,
            },
            "audit_trail": {
                "p95_ms": 20.0,
                "errors": 3,
                "count": 200,
                "p50_ms": 1,
                "p99_ms": 1,
                "max_ms": 1,
            },
        },
        **extra,
    }


def test_target_verdicts_per_endpoint() -> None:
    verdicts = {v["target"]: v for v in target_verdicts(_result())}
    assert verdicts["case_list p95 ≤ 150 ms"]["met"] is True
    assert verdicts["case_page p95 ≤ 200 ms"]["met"] is False
    # Fast but with errors is not met; not measured is neither.
    assert verdicts["audit_trail p95 ≤ 100 ms"]["met"] is False
    assert verdicts["dashboard p95 ≤ 300 ms"]["met"] is None


def test_target_verdicts_for_growth_mixed_load_and_writers() -> None:
    result = _result(
        growth={"case_list": 1.4, "case_page": 1.6},
        mixed={"rps": 130.0, "failures": 0, "p95_ms": 280.0},
        writers={"failures": 0, "locked": 1},
    )
    verdicts = {v["target"]: v["met"] for v in target_verdicts(result)}
    assert verdicts["case_list p95 ≤ 1.5 × S"] is True
    assert verdicts["case_page p95 ≤ 1.5 × S"] is False
    assert verdicts["mixed load ≥ 120 req/s, 0 failures, p95 ≤ 300 ms"] is True
    assert verdicts["8 concurrent writers: 0 failures, 0 'database is locked'"] is False


def test_markdown_shows_each_endpoint_and_verdict() -> None:
    result = _result(growth={"case_list": 1.4})
    result["targets"] = target_verdicts(result)
    text = markdown(result)
    assert "| case_list |" in text
    assert "| 1.4 |" in text
    assert "**not met**" in text
    assert "Dataset generated in 12.5 s" in text


def test_explain_result_becomes_a_target_and_a_table() -> None:
    explain = {
        "threshold": 10000.0,
        "endpoints": [
            {"name": "case_list", "status": 200, "queries": 11, "seq_scans": []},
            {
                "name": "audit_trail",
                "status": 200,
                "queries": 13,
                "seq_scans": [{"table": "audit_auditevent", "rows_estimate": 2e5, "query": "…"}],
            },
        ],
    }
    result = _result(explain=explain)
    verdicts = {v["target"]: v for v in target_verdicts(result)}
    scan = verdicts["no sequential scan on a table over 10000 rows"]
    assert scan["met"] is False
    assert scan["measured"] == "1 scans"
    result["targets"] = target_verdicts(result)
    assert "| audit_trail | 200 | 13 | audit_auditevent | – |" in markdown(result)


def test_explain_without_scans_is_met() -> None:
    explain = {"threshold": 10000.0, "endpoints": [{"name": "home", "seq_scans": []}]}
    verdicts = {v["target"]: v["met"] for v in target_verdicts(_result(explain=explain))}
    assert verdicts["no sequential scan on a table over 10000 rows"] is True
