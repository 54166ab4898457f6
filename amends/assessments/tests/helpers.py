"""Helpers for assessment tests: answers on the programme's default template, recorded
assessments, a sensitive (domestic-abuse) case, and a supervisor who also facilitates."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.accounts.selectors import forget_programme_roles
from amends.assessments.models import Assessment
from amends.assessments.services import assessment_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.services import case_assign_facilitator, case_transition
from amends.cases.tests.builders import accept_referral, build_case, participant
from amends.core.workdays import add_working_days
from amends.programmes.models import Programme
from amends.programmes.selectors import current_assessment_template


def calm_answers(programme: Programme, **changes: int) -> dict[str, Any]:
    """No concern on any question of the current template, except `changes`."""
    template = current_assessment_template(programme)
    assert template is not None
    return {question["key"]: 0 for question in template.questions} | changes


# Answers on the default template that make the risk high and permit indirect forms only.
HIGH_RISK = {"safety_concerns": 2}


def assess(actor, person, assessed_on=None, **changes):
    return assessment_record(
        actor=actor,
        participant=person,
        answers=calm_answers(person.case.programme, **changes),
        assessed_on=assessed_on or timezone.localdate(),
    )


def harmed(case: Case) -> Participant:
    return participant(case, ParticipantRole.HARMED)


def responsible(case: Case) -> Participant:
    return participant(case, ParticipantRole.RESPONSIBLE)


def assess_both(actor, case, **changes) -> tuple[Assessment, Assessment]:
    return assess(actor, harmed(case), **changes), assess(actor, responsible(case), **changes)


def make_supervisor_a_facilitator_on(cast, case: Case) -> None:
    """The supervisor also facilitates, and is assigned to `case`: four-eyes forbids them
    to sign it off."""
    Membership.objects.create(user=cast.supervisor, programme=cast.programme, role=Role.FACILITATOR)
    forget_programme_roles(cast.supervisor)
    case_assign_facilitator(actor=None, case=case, facilitator=cast.supervisor)


def build_sensitive_case(cast) -> Case:
    """A domestic-abuse case in `contact`, coordinated by `coordinator`, with
    `facilitator` assigned."""
    case = build_case(cast.programme, categories=("domestic-abuse",), coordinator=cast.coordinator)
    due = add_working_days(timezone.localdate(), 3)
    case = case_transition(
        actor=None, case=case, target="screening", next_action="Screen", next_action_due=due
    )
    accept_referral(case, cast.coordinator)
    case = case_transition(
        actor=None, case=case, target="contact", next_action="Call", next_action_due=due
    )
    case_assign_facilitator(actor=None, case=case, facilitator=cast.facilitator)
    case.refresh_from_db()
    return case
