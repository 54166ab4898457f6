"""The assessment template (G4, G8) is versioned and its questions are checked strictly:
every problem is refused with a reason that names the question, and nothing is published."""

from __future__ import annotations

import copy

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.programmes import selectors
from amends.programmes.models import AssessmentTemplate
from amends.programmes.services import assessment_template_publish

QUESTIONS = [
    {"key": "readiness", "text": "Readiness. 0: ready; 3: not ready.", "weight": 2, "none_at": 3},
    {
        "key": "safety_concerns",
        "text": "Safety concerns. 0: none; 3: serious.",
        "weight": 3,
        "high_at": 2,
        "indirect_at": 2,
        "none_at": 3,
    },
]


def _publish(cast, questions=None, medium=4, high=9, actor="supervisor"):
    return assessment_template_publish(
        actor=cast.users[actor],
        programme=cast.programme,
        questions=QUESTIONS if questions is None else questions,
        medium_threshold=medium,
        high_threshold=high,
    )


@pytest.mark.gate("G4")
def test_publishing_makes_the_next_version_and_leaves_the_old_one_untouched(cast):
    old = list(AssessmentTemplate.objects.filter(programme=cast.programme).values())
    # when
    template = _publish(cast)
    # then
    assert template.version == 2
    assert selectors.current_assessment_template(cast.programme) == template
    assert (
        list(AssessmentTemplate.objects.filter(programme=cast.programme, version=1).values()) == old
    )
    assert template.questions == QUESTIONS
    event = AuditEvent.objects.get(
        action=Action.ASSESSMENT_TEMPLATE_VERSIONED, actor=cast.supervisor
    )
    assert event.data == {
        "version": 2,
        "previous_version": 1,
        "questions": ["readiness", "safety_concerns"],
        "medium_threshold": 4,
        "high_threshold": 9,
    }


def test_questions_are_stored_tidy_so_the_same_meaning_is_the_same_version(cast):
    _publish(cast)
    messy = [
        {
            "none_at": 3,
            "weight": 2,
            "text": "  Readiness. 0: ready; 3: not ready. ",
            "key": "readiness",
            "high_at": None,
        },
        QUESTIONS[1],
    ]
    before = AuditEvent.objects.count()
    again = _publish(cast, questions=messy, actor="administrator")
    assert again.version == 2
    assert AuditEvent.objects.count() == before


def _with(index, **changes):
    questions = copy.deepcopy(QUESTIONS)
    questions[index].update(changes)
    return questions


def _without(index, field):
    questions = copy.deepcopy(QUESTIONS)
    del questions[index][field]
    return questions


@pytest.mark.gate("G4")
@pytest.mark.parametrize(
    ("questions", "reason"),
    [
        ({"key": "readiness"}, "The questions must be a list"),
        ([], "Add at least one question."),
        (["readiness"], "Question 1 must be written as an object"),
        (_without(0, "key"), "Question 1 needs a “key”"),
        (_with(1, key="Safety Concerns"), "Question 2 needs a “key”"),
        (_with(1, key="readiness"), "Two questions have the key “readiness”"),
        (_with(0, colour="red"), "In question “readiness”, these fields are not known: colour."),
        (_without(1, "text"), "Give question “safety_concerns” a “text”."),
        (_with(1, text="   "), "Give question “safety_concerns” a “text”."),
        (
            _with(0, weight=6),
            "The “weight” of question “readiness” must be a whole number from 0 to 5.",
        ),
        (_with(0, weight=-1), "The “weight” of question “readiness” must be"),
        (_with(0, weight=1.5), "The “weight” of question “readiness” must be"),
        (_with(0, weight=True), "The “weight” of question “readiness” must be"),
        (_without(0, "weight"), "The “weight” of question “readiness” must be"),
        (
            _with(1, high_at=4),
            "The “high_at” of question “safety_concerns” must be a whole number from 0 to 3",
        ),
        (_with(1, indirect_at="2"), "The “indirect_at” of question “safety_concerns” must be"),
        (_with(1, none_at=-1), "The “none_at” of question “safety_concerns” must be"),
    ],
)
def test_a_badly_written_question_is_refused_naming_it_and_nothing_is_published(
    cast, questions, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _publish(cast, questions=questions)
    assert refusal.value.message == "The assessment template was not published."
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("medium", "high", "reason"),
    [
        (0, 9, "The medium-risk threshold must be a whole number of at least 1"),
        ("4", 9, "The medium-risk threshold must be a whole number of at least 1"),
        (4, None, "The high-risk threshold must be a whole number."),
        (9, 9, "The high-risk threshold (9) must be above the medium-risk one (9)."),
        (9, 4, "The high-risk threshold (4) must be above the medium-risk one (9)."),
        (4, 16, "The high-risk threshold (16) is above the highest possible score (15)"),
    ],
)
def test_thresholds_that_cannot_work_are_refused_and_nothing_is_published(
    cast, medium, high, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _publish(cast, medium=medium, high=high)
    assert any(reason in text for text in refusal.value.reasons), refusal.value.reasons
    assert domain_snapshot() == before


def test_every_problem_is_reported_at_once(cast):
    questions = [_with(0, weight=9)[0], {"key": "readiness", "text": "", "weight": 1}]
    with pytest.raises(ApplicationError) as refusal:
        _publish(cast, questions=questions, medium=5, high=2)
    assert len(refusal.value.reasons) == 4


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "referrer", "other_supervisor"])
def test_only_administrators_and_supervisors_may_publish_a_template(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        _publish(cast, actor=name)
    assert domain_snapshot() == before
