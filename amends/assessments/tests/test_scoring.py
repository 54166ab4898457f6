"""Scoring an assessment (G4, G8): known templates, every refusal of bad answers, and
properties for any template: more concern never lowers the risk or widens the modality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from amends.assessments.models import RISK_ORDER, RiskLevel
from amends.assessments.scoring import (
    MODALITY_ORDER,
    answer_problems,
    question_guidance,
    question_title,
    rescore_with_risk,
    score,
)
from amends.core.errors import ApplicationError
from amends.programmes import defaults
from amends.programmes.models import Modality

QUESTIONS = [
    {"key": "readiness", "text": "Readiness to take part. 0: ready.", "weight": 2, "none_at": 3},
    {
        "key": "safety",
        "text": "Safety concerns. 0: none.",
        "weight": 3,
        "high_at": 2,
        "indirect_at": 2,
        "none_at": 3,
    },
    {"key": "power", "text": "Power imbalance", "weight": 3, "indirect_at": 2},
    {"key": "wellbeing", "text": "Wellbeing.", "weight": 2, "high_at": 3},
    {"key": "needs", "text": "Needs to meet first. 0: none.", "weight": 1},
]
MEDIUM, HIGH = 6, 15
CALM = {"readiness": 0, "safety": 0, "power": 0, "wellbeing": 0, "needs": 0}


def _score(**changes):
    return score(QUESTIONS, MEDIUM, HIGH, {**CALM, **changes})


@pytest.mark.gate("G4")
def test_no_concerns_score_zero_low_risk_and_permit_a_meeting():
    # when
    result = _score()
    # then
    assert result.score == 0
    assert result.risk_level == RiskLevel.LOW
    assert result.permitted_modality == Modality.DIRECT
    assert "0 out of 33" in result.reasons[0]


@pytest.mark.gate("G4")
def test_the_weighted_sum_reaches_medium_at_the_medium_threshold():
    # given: 2×1 + 3×1 + 1×1 = 6, the medium threshold
    result = _score(readiness=1, power=1, needs=1)
    # then
    assert result.score == 6
    assert result.risk_level == RiskLevel.MEDIUM


@pytest.mark.gate("G4")
def test_one_below_the_medium_threshold_is_low():
    result = _score(readiness=1, power=1)
    assert result.score == 5
    assert result.risk_level == RiskLevel.LOW


@pytest.mark.gate("G4")
def test_the_weighted_sum_reaches_high_at_the_high_threshold_and_narrows_to_indirect():
    # given: readiness 2×1 + safety 3×1 + power 3×1 + wellbeing 2×2 + needs 1×3 = 15
    result = _score(readiness=1, safety=1, power=1, wellbeing=2, needs=3)
    # then
    assert result.score == 15
    assert result.risk_level == RiskLevel.HIGH
    assert result.permitted_modality == Modality.INDIRECT
    assert any("High risk permits indirect forms only" in reason for reason in result.reasons)


@pytest.mark.gate("G4")
def test_an_answer_at_a_questions_high_mark_makes_the_risk_high_whatever_the_sum():
    # when
    result = _score(wellbeing=3)
    # then
    assert result.score == 6
    assert result.risk_level == RiskLevel.HIGH
    assert any("“Wellbeing” was answered “Serious”" in reason for reason in result.reasons)


@pytest.mark.gate("G8")
def test_an_answer_at_a_questions_indirect_mark_permits_indirect_forms_only():
    # when
    result = _score(power=2)
    # then
    assert result.permitted_modality == Modality.INDIRECT
    assert result.risk_level == RiskLevel.MEDIUM
    assert any(
        "“Power imbalance” was answered “Considerable”" in reason
        and "only indirect forms" in reason
        for reason in result.reasons
    )


@pytest.mark.gate("G8")
def test_an_answer_at_a_questions_none_mark_permits_no_process():
    # when
    result = _score(readiness=3)
    # then
    assert result.permitted_modality == Modality.NONE
    assert any(
        "“Readiness to take part” was answered “Serious”" in reason
        and "no restorative process" in reason
        for reason in result.reasons
    )


@pytest.mark.gate("G8")
def test_none_wins_over_indirect_on_the_same_question():
    result = _score(safety=3)
    assert result.permitted_modality == Modality.NONE
    assert result.risk_level == RiskLevel.HIGH


def test_reasons_name_the_question_by_its_first_sentence():
    assert question_title(QUESTIONS[0]) == "Readiness to take part"
    assert question_guidance(QUESTIONS[0]) == "0: ready."
    assert question_title(QUESTIONS[2]) == "Power imbalance"
    assert question_guidance(QUESTIONS[2]) == ""


@pytest.mark.gate("G4")
def test_an_unanswered_question_is_refused_with_its_name():
    # given
    answers = dict(CALM)
    del answers["safety"]
    # when
    with pytest.raises(ApplicationError) as refusal:
        score(QUESTIONS, MEDIUM, HIGH, answers)
    # then
    assert refusal.value.reasons == ["“Safety concerns” has not been answered."]


@pytest.mark.gate("G4")
@pytest.mark.parametrize("bad", [4, -1, "2", 1.5, True, None])
def test_an_answer_that_is_not_a_whole_number_from_0_to_3_is_refused(bad):
    # when
    with pytest.raises(ApplicationError) as refusal:
        _score(power=bad)
    # then
    expected = (
        "“Power imbalance” has not been answered."
        if bad is None
        else "The answer to “Power imbalance” must be a whole number from 0 to 3."
    )
    assert refusal.value.reasons == [expected]


@pytest.mark.gate("G4")
def test_an_answer_to_a_question_the_template_does_not_have_is_refused():
    with pytest.raises(ApplicationError) as refusal:
        _score(invented=1)
    assert refusal.value.reasons == [
        "There is an answer to “invented”, which is not a question on this template."
    ]


def test_every_problem_is_listed_at_once():
    problems = answer_problems(QUESTIONS, {"readiness": 9, "extra": 0})
    assert len(problems) == 6  # one out of range, four missing, one unknown
    assert problems[-1].startswith("There is an answer to “extra”")


@pytest.mark.gate("G4")
def test_the_default_template_scores_a_domestic_abuse_profile_as_high_and_indirect():
    # given: coercive control and safety concerns, otherwise ready
    questions = list(defaults.ASSESSMENT_QUESTIONS)
    answers = {question["key"]: 0 for question in questions}
    answers.update(coercive_control=2, safety_concerns=2)
    # when
    result = score(questions, defaults.MEDIUM_THRESHOLD, defaults.HIGH_THRESHOLD, answers)
    # then
    assert result.risk_level == RiskLevel.HIGH
    assert result.permitted_modality == Modality.INDIRECT


@pytest.mark.gate("G8")
def test_raising_the_risk_to_high_narrows_a_direct_modality_to_indirect():
    # when
    result = rescore_with_risk(QUESTIONS, MEDIUM, HIGH, CALM, RiskLevel.HIGH)
    # then
    assert result.risk_level == RiskLevel.HIGH
    assert result.permitted_modality == Modality.INDIRECT
    assert any("from low to high" in reason for reason in result.reasons)


@pytest.mark.gate("G8")
def test_lowering_the_risk_never_widens_beyond_what_the_answers_permit():
    # given: safety at 2 makes it high and indirect by itself
    answers = {**CALM, "safety": 2}
    # when
    result = rescore_with_risk(QUESTIONS, MEDIUM, HIGH, answers, RiskLevel.LOW)
    # then
    assert result.risk_level == RiskLevel.LOW
    assert result.permitted_modality == Modality.INDIRECT


@pytest.mark.gate("G8")
def test_lowering_a_risk_that_was_high_only_by_its_level_lets_the_answers_decide():
    # given: wellbeing at 3 makes it high, but no question limits the modality
    answers = {**CALM, "wellbeing": 3}
    # when
    result = rescore_with_risk(QUESTIONS, MEDIUM, HIGH, answers, RiskLevel.MEDIUM)
    # then
    assert result.permitted_modality == Modality.DIRECT


def test_rescoring_with_the_computed_level_is_the_same_as_scoring():
    answers = {**CALM, "power": 2}
    computed = score(QUESTIONS, MEDIUM, HIGH, answers)
    assert rescore_with_risk(QUESTIONS, MEDIUM, HIGH, answers, computed.risk_level) == computed


# --- properties -----------------------------------------------------------------------------

thresholds = st.one_of(st.none(), st.integers(min_value=0, max_value=3))


@st.composite
def templates(draw):
    count = draw(st.integers(min_value=1, max_value=6))
    questions = [
        {
            "key": f"q{number}",
            "text": f"Question {number}. Guidance.",
            "weight": draw(st.integers(min_value=0, max_value=5)),
            "high_at": draw(thresholds),
            "indirect_at": draw(thresholds),
            "none_at": draw(thresholds),
        }
        for number in range(count)
    ]
    medium = draw(st.integers(min_value=0, max_value=60))
    high = draw(st.integers(min_value=medium + 1, max_value=61))
    return questions, medium, high


answer_values = st.integers(min_value=0, max_value=3)


@st.composite
def template_and_two_answer_sets(draw):
    """A template, some answers, and the same answers with some raised."""
    questions, medium, high = draw(templates())
    lower = {question["key"]: draw(answer_values) for question in questions}
    higher = {key: draw(st.integers(min_value=value, max_value=3)) for key, value in lower.items()}
    return questions, medium, high, lower, higher


@pytest.mark.gate("G4")
@given(template_and_two_answer_sets())
def test_risk_never_falls_when_answers_grow(case):
    questions, medium, high, lower, higher = case
    before = score(questions, medium, high, lower)
    after = score(questions, medium, high, higher)
    assert after.score >= before.score
    assert RISK_ORDER[after.risk_level] >= RISK_ORDER[before.risk_level]


@pytest.mark.gate("G8")
@given(template_and_two_answer_sets())
def test_modality_never_widens_when_answers_grow(case):
    questions, medium, high, lower, higher = case
    before = score(questions, medium, high, lower)
    after = score(questions, medium, high, higher)
    assert MODALITY_ORDER[after.permitted_modality] >= MODALITY_ORDER[before.permitted_modality]


@pytest.mark.gate("G8")
@given(template_and_two_answer_sets())
def test_high_risk_never_permits_a_meeting(case):
    questions, medium, high, lower, _higher = case
    result = score(questions, medium, high, lower)
    if result.risk_level == RiskLevel.HIGH:
        assert result.permitted_modality != Modality.DIRECT


@pytest.mark.gate("G8")
@given(template_and_two_answer_sets(), st.sampled_from(list(RiskLevel)))
def test_an_override_never_permits_more_than_the_answers_do(case, level):
    questions, medium, high, answers, _higher = case
    computed = score(questions, medium, high, answers)
    overridden = rescore_with_risk(questions, medium, high, answers, level)
    assert overridden.score == computed.score
    if level == RiskLevel.HIGH:
        assert overridden.permitted_modality != Modality.DIRECT
    if RISK_ORDER[level] >= RISK_ORDER[computed.risk_level]:
        assert (
            MODALITY_ORDER[overridden.permitted_modality]
            >= MODALITY_ORDER[computed.permitted_modality]
        )
    assert overridden.reasons
