"""The shuttle log."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from amends.cases.models import Case
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.exchanges.selectors import first_relayed_on
from amends.exchanges.services import shuttle_round_record
from amends.exchanges.tests.helpers import approved, harmed, relayed, responsible

TODAY = timezone.localdate


def _round(cast, case, **values):
    defaults = {
        "actor": cast.facilitator,
        "case": case,
        "number": 1,
        "held_on": TODAY(),
        "facilitator": cast.facilitator,
        "party": harmed(case),
        "method": "visit",
        "summary": "Talked through what she wants Ray to understand.",
    }
    defaults.update(values)
    return shuttle_round_record(**defaults)


def test_a_round_is_logged_with_its_summary_encrypted(cast, case):
    entry = _round(cast, case)
    with connection.cursor() as cursor:
        cursor.execute("SELECT summary FROM exchanges_shuttleround WHERE id = %s", [entry.pk])
        (stored,) = cursor.fetchone()
    assert "Ray" not in stored
    assert entry.summary.startswith("Talked through")


def test_a_round_may_have_one_entry_for_each_party(cast, case):
    _round(cast, case)
    _round(cast, case, party=responsible(case), method="phone")
    with pytest.raises(ApplicationError) as refusal:
        _round(cast, case)
    assert refusal.value.reasons == ["Round 1 with this party is already in the log."]


def test_round_numbers_run_without_gaps(cast, case):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _round(cast, case, number=3)
    assert refusal.value.reasons == ["The round number must be between 1 and 1."]
    assert domain_snapshot() == before


def test_the_facilitator_of_a_round_is_assigned_to_the_case(cast, case):
    with pytest.raises(ApplicationError) as refusal:
        _round(cast, case, facilitator=cast.coordinator)
    assert refusal.value.reasons == ["Choose a facilitator assigned to the case."]


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator"])
def test_only_people_working_on_the_case_log_rounds(cast, case, name):
    with pytest.raises(PermissionRefused):
        _round(cast, case, actor=cast.users[name])


def test_the_process_took_place_on_the_first_round_or_item_passed_on(cast, case):
    today, week_ago = TODAY(), TODAY() - datetime.timedelta(days=7)
    Case.objects.filter(pk=case.pk).update(created_at=timezone.now() - datetime.timedelta(days=30))
    case.refresh_from_db()
    assert first_relayed_on(case) is None
    relayed(cast, approved(cast, case), relayed_on=today)
    assert first_relayed_on(case) == today
    _round(cast, case, held_on=week_ago)
    assert first_relayed_on(case) == week_ago
