"""Survey instruments: the defaults, versions, and what counts as a possible answer."""

from __future__ import annotations

import copy

import pytest

from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.followups import instruments
from amends.followups.models import SurveyInstrument
from amends.followups.services import (
    survey_instrument_publish,
    survey_instruments_setup_defaults,
)

pytestmark = pytest.mark.django_db

HARMED_KEYS = [
    "satisfaction",
    "fairness",
    "feeling_heard",
    "safety",
    "apology_received",
    "apology_sincere",
    "would_recommend",
    "comments",
]
RESPONSIBLE_KEYS = [
    "satisfaction",
    "fairness",
    "feeling_heard",
    "understanding",
    "would_recommend",
    "comments",
]


def _questions():
    return copy.deepcopy(instruments.DEFAULT_QUESTIONS["harmed"])


def test_the_default_surveys_ask_what_evaluations_measure(cast):
    harmed, responsible = survey_instruments_setup_defaults(actor=None, programme=cast.programme)
    assert (harmed.audience, harmed.version) == ("harmed", 1)
    assert [q["key"] for q in harmed.questions] == HARMED_KEYS
    assert (responsible.audience, responsible.version) == ("responsible", 1)
    assert [q["key"] for q in responsible.questions] == RESPONSIBLE_KEYS
    assert {q["kind"] for q in harmed.questions} == {"likert", "yes_no", "choice", "free_text"}
    assert instruments.question_problems(harmed.questions) == []


def test_setting_up_the_defaults_again_changes_nothing(cast):
    survey_instruments_setup_defaults(actor=None, programme=cast.programme)
    before = domain_snapshot()
    survey_instruments_setup_defaults(actor=cast.administrator, programme=cast.programme)
    assert domain_snapshot() == before


def test_a_new_version_leaves_the_old_one_untouched(cast):
    (first, _responsible) = survey_instruments_setup_defaults(actor=None, programme=cast.programme)
    questions = _questions()
    questions.append({"key": "fear", "kind": "yes_no", "text": "Are you still afraid?"})
    second = survey_instrument_publish(
        actor=cast.supervisor,
        programme=cast.programme,
        audience="harmed",
        title="Six months on",
        questions=questions,
    )
    first.refresh_from_db()
    assert second.version == 2
    assert [q["key"] for q in first.questions] == HARMED_KEYS
    assert second.questions[-1]["key"] == "fear"
    assert second.created_by == cast.supervisor


def test_publishing_the_same_survey_again_makes_no_new_version(cast):
    current, _ = survey_instruments_setup_defaults(actor=None, programme=cast.programme)
    again = survey_instrument_publish(
        actor=cast.administrator,
        programme=cast.programme,
        audience="harmed",
        title=f"  {current.title} ",
        questions=_questions(),
    )
    assert again.pk == current.pk


@pytest.mark.parametrize("name", ["coordinator", "facilitator", "advocate", "other_supervisor"])
def test_only_the_programmes_administrators_and_supervisors_publish(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        survey_instrument_publish(
            actor=cast.users[name],
            programme=cast.programme,
            audience="harmed",
            title="Mine",
            questions=_questions(),
        )
    assert domain_snapshot() == before


def _broken(change):
    questions = _questions()
    change(questions)
    return questions


def _key(q):
    q[0].update(key="Satisfaction!")


def _same_option(q):
    q[5]["options"].append({"value": "yes", "label": "Again"})


def _bad_option(q):
    q[5]["options"].append({"value": "Maybe?", "label": "Maybe"})


# Each case breaks the default survey in one way; the reason starts with these words.
@pytest.mark.parametrize(
    ("questions", "reason"),
    [
        ("satisfaction?", "The questions must be a list"),
        ([], "Add at least one question."),
        (_broken(lambda q: q[1].update(key="satisfaction")), "Two questions have the key"),
        (_broken(_key), "Question 1 needs a “key”"),
        (_broken(lambda q: q[0].update(kind="slider")), "Question 1 needs a “kind”"),
        (_broken(lambda q: q[0].update(text="  ")), "Question 1 needs a “text”"),
        (_broken(lambda q: q[0].update(labels=["Bad", "Good"])), "Question 1 needs five"),
        (_broken(lambda q: q[0].update(options=[])), "Question 1 has fields a likert"),
        (_broken(lambda q: q[5].update(options=[q[5]["options"][0]])), "Question 6 needs between"),
        (_broken(_same_option), "Two options of question 6 have the same value."),
        (_broken(_bad_option), "Each option of question 6 needs a “value”"),
        (_broken(lambda q: q[7].update(required="yes")), "In question 8, “required” must be"),
    ],
    ids=[
        "not-a-list",
        "empty",
        "duplicate-key",
        "bad-key",
        "kind",
        "text",
        "labels",
        "unknown-field",
        "one-option",
        "same-option",
        "bad-option",
        "required",
    ],
)
def test_a_survey_that_is_not_well_formed_is_refused_with_the_reason(cast, questions, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        survey_instrument_publish(
            actor=cast.administrator,
            programme=cast.programme,
            audience="harmed",
            title="Broken",
            questions=questions,
        )
    assert any(given.startswith(reason) for given in refusal.value.reasons)
    assert domain_snapshot() == before


def test_an_unknown_audience_and_a_missing_title_are_refused(cast):
    with pytest.raises(ApplicationError) as refusal:
        survey_instrument_publish(
            actor=None,
            programme=cast.programme,
            audience="everyone",
            title="",
            questions=_questions(),
        )
    assert refusal.value.reasons == [
        "Choose whom the survey is for.",
        "Give the survey a title of 200 characters or fewer.",
    ]
    assert not SurveyInstrument.objects.exists()


# --- answers (pure) ------------------------------------------------------------------------
QUESTIONS = instruments.tidy_questions(instruments.DEFAULT_QUESTIONS["harmed"])


def test_possible_answers_are_kept_as_numbers_choices_and_text():
    cleaned, reasons = instruments.clean_answers(
        QUESTIONS,
        {"satisfaction": "5", "safety": 2, "apology_received": "no", "comments": "  Thanks  "},
    )
    assert reasons == []
    assert cleaned == [
        instruments.CleanAnswer("satisfaction", number=5),
        instruments.CleanAnswer("safety", number=2),
        instruments.CleanAnswer("apology_received", choice="no"),
        instruments.CleanAnswer("comments", text="Thanks"),
    ]


SATISFIED = "“How satisfied are you with the restorative justice process overall?”"
SCALE = f"The answer to {SATISFIED} must be a number from 1 to 5."
APOLOGY = "Choose one of the answers offered to “Did you receive an apology?”."
RECOMMEND = "Choose one of the answers offered to “Would you recommend"
TEXT = "The answer to “Is there anything else you would like to tell us?” must be text of"


@pytest.mark.parametrize(
    ("answers", "reason"),
    [
        ({"satisfaction": "6"}, SCALE),
        ({"satisfaction": 0}, SCALE),
        ({"satisfaction": True}, SCALE),
        ({"satisfaction": "3.5"}, SCALE),
        ({"apology_received": "maybe"}, APOLOGY),
        ({"would_recommend": "definitely"}, RECOMMEND),
        ({"comments": "x" * 4001}, TEXT),
        ({"comments": 12}, TEXT),
        ({"mood": "good"}, "There is no question “mood” in this survey."),
        ({}, "Please answer at least one question."),
        ({"satisfaction": "", "comments": "  "}, "Please answer at least one question."),
    ],
    ids=[
        "likert-high",
        "likert-zero",
        "likert-bool",
        "likert-fraction",
        "yes-no",
        "choice",
        "long-text",
        "text-not-text",
        "unknown-question",
        "nothing",
        "only-blanks",
    ],
)
def test_answers_that_are_not_possible_are_refused_with_the_reason(answers, reason):
    cleaned, reasons = instruments.clean_answers(QUESTIONS, answers)
    assert cleaned == []
    assert any(given.startswith(reason) for given in reasons), reasons


def test_a_required_question_must_be_answered():
    questions = [dict(QUESTIONS[0], required=True), QUESTIONS[1]]
    _cleaned, reasons = instruments.clean_answers(questions, {"fairness": "4"})
    assert reasons == [
        "Please answer “How satisfied are you with the restorative justice process overall?”."
    ]
