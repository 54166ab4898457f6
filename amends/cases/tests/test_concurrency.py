"""Two coordinators moving the same case at the same moment: the row lock lets one win
and the other gets a clear message, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.cases.models import Case, StageChange
from amends.cases.services import case_close, case_transition
from amends.cases.tests.builders import build_case
from amends.core.errors import ConflictError
from amends.core.testing.concurrency import run_together


@pytest.mark.django_db(transaction=True)
def test_two_coordinators_moving_the_same_case_one_wins_the_other_is_told(cast):
    case = build_case(cast.programme)
    due = timezone.localdate() + datetime.timedelta(days=2)

    def move(actor):
        return lambda: case_transition(
            actor=actor,
            case=case,
            target="screening",
            expected_stage="referred",
            next_action="Screen",
            next_action_due=due,
        )

    outcomes = run_together(move(cast.coordinator), move(cast.supervisor))

    winners = [outcome for outcome in outcomes if isinstance(outcome, Case)]
    losers = [outcome for outcome in outcomes if isinstance(outcome, ConflictError)]
    assert len(winners) == 1, outcomes
    assert len(losers) == 1, outcomes
    assert "Someone else moved this case" in losers[0].message
    assert Case.objects.get(pk=case.pk).stage == "screening"
    assert StageChange.objects.filter(case=case, to_stage="screening").count() == 1


@pytest.mark.django_db(transaction=True)
def test_a_close_and_a_move_at_once_never_both_apply(cast):
    case = build_case(cast.programme)
    due = timezone.localdate() + datetime.timedelta(days=2)
    outcomes = run_together(
        lambda: case_transition(
            actor=cast.coordinator,
            case=case,
            target="screening",
            expected_stage="referred",
            next_action="Screen",
            next_action_due=due,
        ),
        lambda: case_close(
            actor=cast.supervisor, case=case, reason="no_contact", expected_stage="referred"
        ),
    )
    assert sum(isinstance(outcome, Case) for outcome in outcomes) == 1, outcomes
    assert sum(isinstance(outcome, ConflictError) for outcome in outcomes) == 1, outcomes
    assert StageChange.objects.filter(case=case).count() == 2
