"""Each gate as a pure function: the facts of a case that meets everything pass, and
changing one fact makes exactly that gate refuse with a reason in plain words."""

from __future__ import annotations

import datetime
from dataclasses import replace

import pytest

from amends.cases import gates
from amends.cases.gates import AssessmentFacts, CaseFacts, FacilitatorFacts, ParticipantFacts

TODAY = datetime.date(2026, 11, 20)


def assessment(pk: int, *, risk: str = "low", modality: str = "direct") -> AssessmentFacts:
    return AssessmentFacts(
        pk=pk,
        revision=1,
        on_current_template=True,
        valid_until=TODAY + datetime.timedelta(days=30),
        risk_level=risk,
        permitted_modality=modality,
    )


def person(pk: int, role: str, **changes: object) -> ParticipantFacts:
    base = ParticipantFacts(
        pk=pk,
        label=f"P{pk} ({role})",
        role=role,
        is_key=role in ("harmed", "responsible"),
        must_consent=role in ("harmed", "responsible", "supporter", "community"),
        is_minor=False,
        has_guardian=False,
        interpreter_needed=False,
        has_safe_channel=True,
        acknowledged=role == "responsible",
        assessment=assessment(pk) if role in ("harmed", "responsible") else None,
        consented={"consent": frozenset({"meeting"})},
        informed=True,
        legal_advice_offered=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def ready_facts(**changes: object) -> CaseFacts:
    base = CaseFacts(
        stage="preparation",
        today=TODAY,
        process_type="meeting",
        offered_process_types=frozenset({"meeting", "letters", "surrogate"}),
        is_sensitive=False,
        category_codes=frozenset({"violence"}),
        fast_track_enabled=False,
        fast_track_categories=False,
        referral_decision="accepted",
        referral_decision_policy=1,
        evidential_basis_confirmed=True,
        participants=(person(1, "harmed"), person(2, "responsible")),
        facilitators=(FacilitatorFacts(pk=9, name="Femi", problems=()),),
        sign_off_covered=None,
        sign_off_by_assigned_facilitator=False,
        safety_measures=None,
        next_action="Hold the meeting",
        next_action_due=TODAY,
        # The process gates pass too, so "every gate" below means every gate.
        process_held_on=TODAY,
        agreement_exists=True,
    )
    return replace(base, **changes)  # type: ignore[arg-type]


def reasons(code: str, facts: CaseFacts) -> list[str]:
    return gates.GATES[code].check(facts)


def test_a_case_meeting_every_safeguard_passes_every_gate():
    facts = ready_facts()
    assert gates.unmet_reasons(gates.evaluate(facts, tuple(gates.GATES))) == []


@pytest.mark.gate("G1")
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"referral_decision": "pending"}, "not yet decided"),
        ({"referral_decision": "declined"}, "declined"),
        ({"referral_decision_policy": None}, "policy"),
        ({"evidential_basis_confirmed": False}, "evidential basis"),
    ],
)
def test_g1_refuses_without_an_eligibility_decision_under_a_policy(changes, expected):
    assert reasons("G1", ready_facts()) == []
    assert any(expected in reason for reason in reasons("G1", ready_facts(**changes)))


@pytest.mark.gate("G1")
def test_g1_passes_a_referral_accepted_under_the_specialist_protocol():
    assert reasons("G1", ready_facts(referral_decision="accepted_specialist")) == []


@pytest.mark.gate("G2")
def test_g2_refuses_until_the_person_responsible_acknowledges_the_facts():
    facts = ready_facts(
        participants=(person(1, "harmed"), person(2, "responsible", acknowledged=False))
    )
    assert reasons("G2", facts) == ["P2 (responsible) has not acknowledged the basic facts."]
    assert reasons("G2", ready_facts()) == []


@pytest.mark.gate("G2")
def test_g2_does_not_apply_to_a_process_without_the_person_harmed():
    facts = ready_facts(
        process_type="surrogate",
        participants=(person(1, "harmed"), person(2, "responsible", acknowledged=False)),
    )
    assert reasons("G2", facts) == []


@pytest.mark.gate("G3")
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"consented": {}}, "no active written consent to the Victim–offender meeting"),
        ({"consented": {}, "consent_on_old_sheet": frozenset({"meeting"})}, "since changed"),
        ({"informed": False}, "information sheet"),
        ({"legal_advice_offered": False}, "legal advice"),
        ({"interpreter_needed": True}, "interpreter"),
    ],
)
def test_g3_refuses_without_informed_written_consent_to_this_process(changes, expected):
    facts = ready_facts(participants=(person(1, "harmed", **changes), person(2, "responsible")))
    assert any(expected in reason for reason in reasons("G3", facts)), reasons("G3", facts)


@pytest.mark.gate("G3")
def test_g3_consent_to_another_process_does_not_count():
    facts = ready_facts(process_type="letters")
    assert len(reasons("G3", facts)) == 2


@pytest.mark.gate("G3")
def test_g3_a_minor_needs_a_guardians_consent_and_their_own_assent():
    minor = person(2, "responsible", is_minor=True, has_guardian=True)
    refused = reasons("G3", ready_facts(participants=(person(1, "harmed"), minor)))
    assert any("parent or guardian has not consented" in reason for reason in refused)
    assert any("own assent" in reason for reason in refused)
    consented = replace(
        minor, consented={"guardian": frozenset({"meeting"}), "assent": frozenset({"meeting"})}
    )
    assert reasons("G3", ready_facts(participants=(person(1, "harmed"), consented))) == []
    orphan = replace(consented, has_guardian=False)
    assert any(
        "no parent or guardian" in r
        for r in reasons("G3", ready_facts(participants=(person(1, "harmed"), orphan)))
    )


@pytest.mark.gate("G3")
def test_g3_asks_for_a_process_type_first():
    assert reasons("G3", ready_facts(process_type="")) == [
        "Choose the process type that participants are consenting to."
    ]


@pytest.mark.gate("G4")
@pytest.mark.parametrize(
    ("assessment_facts", "expected"),
    [
        (None, "has not been assessed"),
        (replace(assessment(1), on_current_template=False), "old template"),
        (replace(assessment(1), valid_until=TODAY - datetime.timedelta(days=1)), "expired"),
    ],
)
def test_g4_refuses_a_missing_outdated_or_expired_assessment(assessment_facts, expected):
    facts = ready_facts(
        participants=(person(1, "harmed", assessment=assessment_facts), person(2, "responsible"))
    )
    assert any(expected in reason for reason in reasons("G4", facts))
    assert reasons("G4", ready_facts()) == []


@pytest.mark.gate("G4")
def test_g4_refuses_a_case_without_key_participants():
    assert reasons("G4", ready_facts(participants=())) != []


@pytest.mark.gate("G5")
def test_g5_sensitive_or_high_risk_needs_a_current_sign_off_by_someone_not_assigned():
    sensitive = ready_facts(is_sensitive=True)
    assert "sensitive category" in reasons("G5", sensitive)[0]
    high = ready_facts(
        participants=(
            person(1, "harmed", assessment=assessment(1, risk="high")),
            person(2, "responsible"),
        )
    )
    assert "high risk" in reasons("G5", high)[0]
    signed = replace(sensitive, sign_off_covered={"1": 1, "2": 1})
    assert reasons("G5", signed) == []
    stale = replace(sensitive, sign_off_covered={"1": 1, "2": 0})
    assert "changed after" in reasons("G5", stale)[0]
    by_facilitator = replace(signed, sign_off_by_assigned_facilitator=True)
    assert "assigned to the case" in reasons("G5", by_facilitator)[0]


@pytest.mark.gate("G5")
def test_g5_low_risk_ordinary_cases_need_no_sign_off():
    assert reasons("G5", ready_facts()) == []


@pytest.mark.gate("G6")
def test_g6_needs_a_facilitator_without_problems():
    assert reasons("G6", ready_facts(facilitators=())) == ["No facilitator is assigned."]
    conflicted = FacilitatorFacts(pk=9, name="Femi", problems=("Femi has declared a conflict.",))
    assert reasons("G6", ready_facts(facilitators=(conflicted,))) == [
        "Femi has declared a conflict."
    ]
    assert reasons("G6", ready_facts()) == []


@pytest.mark.gate("G7")
def test_g7_safety_plan_at_medium_risk_and_for_sensitive_categories():
    medium = ready_facts(
        participants=(
            person(1, "harmed", assessment=assessment(1, risk="medium")),
            person(2, "responsible"),
        )
    )
    assert reasons("G7", medium) != []
    assert reasons("G7", replace(medium, safety_measures=frozenset({"exit_plan"}))) == []
    assert reasons("G7", ready_facts(is_sensitive=True)) != []
    assert reasons("G7", ready_facts()) == []


@pytest.mark.gate("G7")
def test_g7_direct_meeting_in_domestic_abuse_needs_staggered_times_and_separate_waiting():
    facts = ready_facts(
        is_sensitive=True,
        category_codes=frozenset({"domestic-abuse"}),
        safety_measures=frozenset({"exit_plan"}),
    )
    assert "separate waiting areas" in reasons("G7", facts)[0]
    complete = replace(facts, safety_measures=frozenset({"staggered", "separate_waiting"}))
    assert reasons("G7", complete) == []
    letters = replace(facts, process_type="letters")
    assert reasons("G7", letters) == []


@pytest.mark.gate("G8")
def test_g8_direct_meeting_only_when_every_key_assessment_permits_it():
    indirect = ready_facts(
        participants=(
            person(1, "harmed", assessment=assessment(1, modality="indirect")),
            person(2, "responsible"),
        )
    )
    assert "only indirect" in reasons("G8", indirect)[0]
    assert reasons("G8", replace(indirect, process_type="letters")) == []
    none = ready_facts(
        participants=(
            person(1, "harmed", assessment=assessment(1, modality="none")),
            person(2, "responsible"),
        )
    )
    assert "does not permit any" in reasons("G8", replace(none, process_type="letters"))[0]


@pytest.mark.gate("G8")
def test_g8_refuses_a_process_the_programme_does_not_offer_or_none_chosen():
    assert "does not offer" in reasons("G8", ready_facts(process_type="circle"))[0]
    assert reasons("G8", ready_facts(process_type="")) == ["Choose the process type."]


@pytest.mark.gate("G9")
def test_g9_refuses_while_a_withdrawal_has_no_fresh_consent():
    withdrawn = ready_facts(
        participants=(person(1, "harmed", withdrawn_on=TODAY), person(2, "responsible"))
    )
    assert reasons("G9", withdrawn) == [
        f"P1 (harmed) withdrew consent on {TODAY.isoformat()}; "
        "record fresh consent before going on."
    ]
    assert reasons("G9", ready_facts()) == []


@pytest.mark.gate("G10")
def test_g10_refuses_when_a_key_participant_has_no_safe_channel():
    facts = ready_facts(
        participants=(person(1, "harmed", has_safe_channel=False), person(2, "responsible"))
    )
    assert reasons("G10", facts) == ["No safe way to contact P1 (harmed) is recorded."]
    assert reasons("G10", ready_facts()) == []


@pytest.mark.gate("G13")
@pytest.mark.parametrize("changes", [{"next_action": "  "}, {"next_action_due": None}])
def test_g13_refuses_without_a_next_action_and_due_date(changes):
    assert reasons("G13", ready_facts(**changes)) == [
        "Give the case a next action and the date it is due."
    ]
    assert reasons("G13", ready_facts()) == []


def test_fast_track_only_for_low_risk_fast_track_categories_when_enabled():
    facts = ready_facts(fast_track_enabled=True, fast_track_categories=True)
    assert gates.fast_track(facts) == []
    assert gates.fast_track(replace(facts, fast_track_enabled=False)) != []
    assert gates.fast_track(replace(facts, is_sensitive=True)) != []
    medium = replace(
        facts,
        participants=(
            person(1, "harmed", assessment=assessment(1, risk="medium")),
            person(2, "responsible"),
        ),
    )
    assert gates.fast_track(medium) != []


@pytest.mark.gate("G3")
def test_g3_asks_for_the_date_of_birth_of_everyone_who_consents():
    unknown = person(1, "harmed", age_known=False)
    refused = reasons("G3", ready_facts(participants=(unknown, person(2, "responsible"))))
    assert refused == [
        "Record P1 (harmed)'s date of birth: it decides whether a parent or guardian "
        "must consent too."
    ]


# The gates after `ready`. Their facts come from the meetings, exchanges, agreements and
# follow-ups apps; the end-to-end refusals are in test_process_stages.py.


@pytest.mark.gate("G11")
def test_g11_refuses_with_the_agreement_rules_reasons_and_passes_without_them():
    unfair = ready_facts(agreement_unmet=("Restitution above the loss needs a supervisor.",))
    assert reasons("G11", unfair) == ["Restitution above the loss needs a supervisor."]
    assert reasons("G11", ready_facts()) == []
    # No agreement at all is not unfair: a process may end without one.
    assert reasons("G11", ready_facts(agreement_exists=False)) == []


def test_the_process_must_have_taken_place_before_agreement_or_follow_up():
    assert reasons("HELD", ready_facts(process_held_on=None)) == [
        "The process has not taken place yet: record a joint meeting as held, or relay a "
        "first item of the indirect exchange."
    ]
    assert reasons("HELD", ready_facts()) == []


def test_the_agreement_stage_needs_an_agreement():
    assert reasons("AGREED", ready_facts(agreement_exists=False)) == [
        "No agreement has been drafted yet."
    ]


def test_follow_up_waits_until_no_agreement_item_still_runs():
    assert reasons("KEPT", ready_facts(agreement_open_items=1)) == [
        "1 agreement item is still pending or in progress."
    ]
    assert reasons("KEPT", ready_facts(agreement_open_items=3)) == [
        "3 agreement items are still pending or in progress."
    ]
    assert reasons("KEPT", ready_facts(agreement_open_items=0)) == []
