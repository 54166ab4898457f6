"""A hypothesis state machine drives random sequences of the case services (assess,
override, consent, withdraw, sign off, assign, plan, transition, pause, resume, close)
and checks two properties after every step:

1. a case never reaches `ready` (by a move or by resuming) with an unmet gate;
2. every refusal changed nothing: no domain table and no field of the case.
"""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.utils import timezone
from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from amends.assessments.models import Assessment
from amends.assessments.services import (
    assessment_override_risk,
    assessment_record,
    sign_off_record,
)
from amends.cases import gates
from amends.cases.models import Case
from amends.cases.selectors import case_facts
from amends.cases.services import (
    acknowledgment_record,
    case_assign_facilitator,
    case_close,
    case_pause,
    case_resume,
    case_transition,
    case_unassign_facilitator,
    case_update_plan,
    information_give,
)
from amends.cases.stages import CaseStage, transitions_from
from amends.cases.tests.builders import build_case, drive_to_ready, quiet_answers
from amends.consent.services import consent_give, consent_withdraw
from amends.core.errors import ApplicationError
from amends.core.testing.matrix import domain_snapshot
from amends.programmes.selectors import current_information_sheet
from amends.referrals.services.screening import referral_decide
from amends.safety.services import safety_plan_save

pytestmark = pytest.mark.django_db

ROLES = st.sampled_from(["harmed", "responsible"])
PROCESSES = st.sampled_from(["letters", "meeting", "shuttle", "surrogate"])
STAGES = st.sampled_from(["screening", "contact", "assessment", "preparation", "ready"])
DIRECTIONS = st.sampled_from(["forward", "forward", "fast_track", "back", "anywhere"])
MEASURES = st.lists(
    st.sampled_from(["staggered", "separate_waiting", "exit_plan", "code_word"]), unique=True
)


def _case_state(case: Case) -> tuple[object, ...]:
    fresh = Case.objects.get(pk=case.pk)
    return (
        fresh.stage,
        fresh.paused_from,
        fresh.pause_reason,
        fresh.process_type,
        fresh.next_action,
        fresh.next_action_due,
        fresh.closure_reason,
    )


def _soon() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=2)


class CaseWorkflow(RuleBasedStateMachine):
    cast: Any = None  # set by the test before running
    reached_ready = 0

    @initialize(sensitive=st.booleans(), start_ready=st.booleans())
    def open_case(self, sensitive: bool, start_ready: bool) -> None:
        cast = type(self).cast
        categories = ("domestic-abuse",) if sensitive else ("violence",)
        self.case = build_case(cast.programme, categories=categories, coordinator=cast.coordinator)
        if start_ready:
            # Half the runs start from a case carried honestly to `ready`, so the random
            # steps spend their time near the gate that matters most: stepping back,
            # withdrawing, re-assessing, and trying to return.
            self.case = drive_to_ready(
                self.case,
                coordinator=cast.coordinator,
                supervisor=cast.supervisor,
                facilitator=cast.facilitator,
            )
            type(self).reached_ready += 1
            self._assert_ready_is_safe()
        self.cast = cast
        self.today = timezone.localdate()
        sheet = current_information_sheet(cast.programme, "en")
        assert sheet is not None
        self.sheet = sheet
        self.refusals = 0
        self.moves = 0

    def _person(self, role: str):
        return self.case.participants.select_related("person").get(role=role)

    def _attempt(self, action) -> None:
        """Run one service call; a refusal must leave everything as it was."""
        before, state = domain_snapshot(), _case_state(self.case)
        try:
            action()
        except ApplicationError:
            self.refusals += 1
            assert domain_snapshot() == before
            assert _case_state(self.case) == state
        self.case = Case.objects.get(pk=self.case.pk)

    def _assert_ready_is_safe(self) -> None:
        if self.case.stage == CaseStage.READY:
            # Every safeguard, not the table's list for `ready`: a gate dropped from the
            # table must show up here.
            results = gates.evaluate(case_facts(self.case), gates.SAFEGUARDS)
            assert gates.unmet_reasons(results) == []

    @rule(direction=DIRECTIONS, stage=STAGES)
    def transition(self, direction: str, stage: str) -> None:
        # Mostly the moves the table offers from here (forward, fast track, back), and
        # sometimes any stage at all, which the table must refuse.
        offered = {str(move.kind): move.target for move in transitions_from(self.case.stage)}
        target = offered.get(direction, stage)
        before = self.case.stage

        def move() -> None:
            case_transition(
                actor=self.cast.coordinator,
                case=self.case,
                target=target,
                next_action="Next step",
                next_action_due=_soon(),
                expected_stage=before,
            )

        self._attempt(move)
        if self.case.stage != before:
            self.moves += 1
            event(f"reached {self.case.stage}")
            if self.case.stage == CaseStage.READY:
                type(self).reached_ready += 1
            self._assert_ready_is_safe()

    @rule()
    def accept_referral(self) -> None:
        self._attempt(lambda: referral_decide(actor=self.cast.coordinator, case=self.case))

    @rule(role=ROLES)
    def inform(self, role: str) -> None:
        self._attempt(
            lambda: information_give(
                actor=self.cast.coordinator,
                participant=self._person(role),
                sheet=self.sheet,
                method="in_person",
                given_on=self.today,
                legal_advice_offered=True,
                interpreter_offered=True,
            )
        )

    @rule()
    def acknowledge(self) -> None:
        self._attempt(
            lambda: acknowledgment_record(
                actor=self.cast.coordinator,
                participant=self._person("responsible"),
                acknowledged_on=self.today,
                method="verbal",
            )
        )

    @rule(role=ROLES, level=st.integers(min_value=0, max_value=3))
    def assess(self, role: str, level: int) -> None:
        self._attempt(
            lambda: assessment_record(
                actor=self.cast.coordinator,
                participant=self._person(role),
                answers=quiet_answers(self.cast.programme, level),
                assessed_on=self.today,
            )
        )

    @rule(role=ROLES, risk=st.sampled_from(["low", "medium", "high"]))
    def override(self, role: str, risk: str) -> None:
        assessment = Assessment.objects.filter(participant=self._person(role)).first()
        if assessment is None:
            return
        self._attempt(
            lambda: assessment_override_risk(
                actor=self.cast.supervisor, assessment=assessment, risk_level=risk, reason="Seen"
            )
        )

    @rule(by_supervisor=st.booleans())
    def sign_off(self, by_supervisor: bool) -> None:
        actor = self.cast.supervisor if by_supervisor else self.cast.facilitator
        self._attempt(lambda: sign_off_record(actor=actor, case=self.case))

    @rule(assign=st.booleans())
    def facilitator(self, assign: bool) -> None:
        service = case_assign_facilitator if assign else case_unassign_facilitator
        self._attempt(
            lambda: service(
                actor=self.cast.coordinator, case=self.case, facilitator=self.cast.facilitator
            )
        )

    @rule(process=PROCESSES)
    def plan(self, process: str) -> None:
        self._attempt(
            lambda: case_update_plan(
                actor=self.cast.coordinator,
                case=self.case,
                process_type=process,
                next_action="Prepare",
                next_action_due=_soon(),
            )
        )

    @rule(measures=MEASURES)
    def safety(self, measures: list[str]) -> None:
        self._attempt(
            lambda: safety_plan_save(actor=self.cast.coordinator, case=self.case, measures=measures)
        )

    @rule(role=ROLES, process=PROCESSES)
    def consent(self, role: str, process: str) -> None:
        self._attempt(
            lambda: consent_give(
                actor=self.cast.coordinator,
                participant=self._person(role),
                scope="take_part",
                process_type=process,
                sheet=self.sheet,
                method="verbal",
                witness="A colleague",
            )
        )

    @rule(role=ROLES, process=PROCESSES)
    def withdraw(self, role: str, process: str) -> None:
        self._attempt(
            lambda: consent_withdraw(
                actor=self.cast.coordinator,
                participant=self._person(role),
                scope="take_part",
                process_type=process,
            )
        )
        if Case.objects.get(pk=self.case.pk).stage == CaseStage.READY:
            self._assert_ready_is_safe()

    @rule(reason=st.sampled_from(["safety_concern", "legal_hold", "unavailable", "nonsense"]))
    def pause(self, reason: str) -> None:
        self._attempt(
            lambda: case_pause(actor=self.cast.coordinator, case=self.case, reason=reason)
        )

    @rule()
    def resume(self) -> None:
        was_paused = self.case.stage == CaseStage.PAUSED
        self._attempt(
            lambda: case_resume(
                actor=self.cast.coordinator,
                case=self.case,
                next_action="Resume",
                next_action_due=_soon(),
            )
        )
        if was_paused and self.case.stage == CaseStage.READY:
            type(self).reached_ready += 1
            self._assert_ready_is_safe()

    @rule(reason=st.sampled_from(["not_suitable", "other"]))
    def close(self, reason: str) -> None:
        self._attempt(
            lambda: case_close(actor=self.cast.coordinator, case=self.case, reason=reason)
        )

    @invariant()
    def a_ready_case_meets_every_gate(self) -> None:
        # Not only on arrival: any change to the facts must step a ready case back.
        if getattr(self, "case", None) is not None:
            self._assert_ready_is_safe()

    @invariant()
    def an_open_case_has_a_next_action(self) -> None:
        if getattr(self, "case", None) is not None and self.case.stage != CaseStage.CLOSED:
            assert self.case.next_action
            assert self.case.next_action_due is not None


def test_random_sequences_of_services_never_reach_ready_with_an_unmet_gate(cast):
    CaseWorkflow.cast = cast
    CaseWorkflow.reached_ready = 0
    runner = CaseWorkflow.TestCase
    runner.settings = settings(
        max_examples=40,
        stateful_step_count=40,
        deadline=None,
        # The same sequences on every run and every machine: CI stays reproducible.
        derandomize=True,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    runner().runTest()
    # The property is not vacuous: some sequences did reach `ready` through the gates.
    assert CaseWorkflow.reached_ready > 0
