"""The shape of a survey instrument's questions and of the answers to them, the default
instruments, and how a question is shown. Pure functions, no database: the services and
the forms share them.

A question is {"key", "kind", "text"} plus, for a "likert" question, "labels" (five, from
1 to 5) and, for a "choice" question, "options" ([{"value", "label"}, ...]); "required"
(true or false) is optional and false by default, because nobody must answer a question
about their experience to be heard on the others.

The default questions are written in English and marked for translation: a question
whose text is one of them is shown in the participant's language, a question a programme
wrote itself is shown as written.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from amends.followups.models import SurveyAudience

LIKERT, CHOICE, YES_NO, FREE_TEXT = "likert", "choice", "yes_no", "free_text"
KINDS = (LIKERT, CHOICE, YES_NO, FREE_TEXT)
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
SCALE = (1, 2, 3, 4, 5)
YES, NO = "yes", "no"
MOST_QUESTIONS = 50
LONGEST_TEXT = 500
LONGEST_LABEL = 80
MOST_OPTIONS = 12
LONGEST_ANSWER = 4000
_FIELDS = {
    LIKERT: {"key", "kind", "text", "labels", "required"},
    CHOICE: {"key", "kind", "text", "options", "required"},
    YES_NO: {"key", "kind", "text", "required"},
    FREE_TEXT: {"key", "kind", "text", "required"},
}

# --- the default instruments ------------------------------------------------------------
_SATISFACTION = gettext_noop("Very dissatisfied"), gettext_noop("Dissatisfied")
_SCALES = {
    "satisfaction": (
        *_SATISFACTION,
        gettext_noop("Neither satisfied nor dissatisfied"),
        gettext_noop("Satisfied"),
        gettext_noop("Very satisfied"),
    ),
    "fairness": (
        gettext_noop("Very unfair"),
        gettext_noop("Unfair"),
        gettext_noop("Neither fair nor unfair"),
        gettext_noop("Fair"),
        gettext_noop("Very fair"),
    ),
    "amount": (
        gettext_noop("Not at all"),
        gettext_noop("A little"),
        gettext_noop("Somewhat"),
        gettext_noop("Mostly"),
        gettext_noop("Completely"),
    ),
    "safety": (
        gettext_noop("Much less safe"),
        gettext_noop("Less safe"),
        gettext_noop("About the same"),
        gettext_noop("Safer"),
        gettext_noop("Much safer"),
    ),
}


def _likert(key: str, text: str, scale: str) -> dict[str, Any]:
    return {"key": key, "kind": LIKERT, "text": text, "labels": list(_SCALES[scale])}


def _options(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in pairs]


_SATISFIED = _likert(
    "satisfaction",
    gettext_noop("How satisfied are you with the restorative justice process overall?"),
    "satisfaction",
)
_FAIR = _likert("fairness", gettext_noop("How fair was the process to you?"), "fairness")
_HEARD = _likert(
    "feeling_heard",
    gettext_noop("Did you feel listened to and that what you said mattered?"),
    "amount",
)
_RECOMMEND = {
    "key": "would_recommend",
    "kind": CHOICE,
    "text": gettext_noop(
        "Would you recommend restorative justice to someone in a situation like yours?"
    ),
    "options": _options(
        (YES, gettext_noop("Yes")), ("not_sure", gettext_noop("Not sure")), (NO, gettext_noop("No"))
    ),
}
_ANYTHING_ELSE = {
    "key": "comments",
    "kind": FREE_TEXT,
    "text": gettext_noop("Is there anything else you would like to tell us?"),
}

DEFAULT_TITLE = gettext_noop("How did it go for you?")

DEFAULT_QUESTIONS: dict[str, list[dict[str, Any]]] = {
    SurveyAudience.HARMED: [
        _SATISFIED,
        _FAIR,
        _HEARD,
        _likert(
            "safety",
            gettext_noop("How safe do you feel now, compared with before the process?"),
            "safety",
        ),
        {
            "key": "apology_received",
            "kind": YES_NO,
            "text": gettext_noop("Did you receive an apology?"),
        },
        {
            "key": "apology_sincere",
            "kind": CHOICE,
            "text": gettext_noop("If you received an apology, did it feel sincere?"),
            "options": _options(
                (YES, gettext_noop("Yes")),
                ("partly", gettext_noop("Partly")),
                (NO, gettext_noop("No")),
                ("no_apology", gettext_noop("I did not receive an apology")),
            ),
        },
        _RECOMMEND,
        _ANYTHING_ELSE,
    ],
    SurveyAudience.RESPONSIBLE: [
        _SATISFIED,
        _FAIR,
        _HEARD,
        _likert(
            "understanding",
            gettext_noop("How much better do you now understand the harm that was caused?"),
            "amount",
        ),
        _RECOMMEND,
        _ANYTHING_ELSE,
    ],
}


# --- checking an instrument --------------------------------------------------------------
def _is_text(value: Any, longest: int) -> bool:
    return isinstance(value, str) and bool(value.strip()) and len(value) <= longest


def question_problems(questions: Any) -> list[str]:
    """Every problem with `questions`, in plain words; an empty list means it is valid."""
    if not isinstance(questions, list):
        return [_("The questions must be a list: start with [ and end with ].")]
    if not questions:
        return [_("Add at least one question.")]
    if len(questions) > MOST_QUESTIONS:
        return [_("Use at most %(count)d questions.") % {"count": MOST_QUESTIONS}]
    reasons: list[str] = []
    seen: set[str] = set()
    for number, question in enumerate(questions, start=1):
        if not isinstance(question, dict):
            reasons.append(
                _("Question %(number)d must be written as an object, between { and }.")
                % {"number": number}
            )
            continue
        key = question.get("key")
        if not isinstance(key, str) or not KEY.fullmatch(key):
            reasons.append(
                _(
                    "Question %(number)d needs a “key”: up to 40 lower-case letters, digits "
                    "and underscores, starting with a letter."
                )
                % {"number": number}
            )
        elif key in seen:
            reasons.append(_("Two questions have the key “%(key)s”.") % {"key": key})
        else:
            seen.add(key)
        reasons += _question_shape_problems(question, number)
    return reasons


def _question_shape_problems(question: dict[str, Any], number: int) -> list[str]:
    kind = question.get("kind")
    if kind not in KINDS:
        return [
            _("Question %(number)d needs a “kind”: likert, choice, yes_no or free_text.")
            % {"number": number}
        ]
    reasons = []
    unknown = sorted(str(name) for name in set(question) - _FIELDS[kind])
    if unknown:
        reasons.append(
            _("Question %(number)d has fields a %(kind)s question does not use: %(fields)s.")
            % {"number": number, "kind": kind, "fields": ", ".join(unknown)}
        )
    if not _is_text(question.get("text"), LONGEST_TEXT):
        reasons.append(
            _("Question %(number)d needs a “text” of at most %(count)d characters.")
            % {"number": number, "count": LONGEST_TEXT}
        )
    if not isinstance(question.get("required", False), bool):
        reasons.append(
            _("In question %(number)d, “required” must be true or false.") % {"number": number}
        )
    if kind == LIKERT:
        labels = question.get("labels")
        if not (
            isinstance(labels, list)
            and len(labels) == len(SCALE)
            and all(_is_text(label, LONGEST_LABEL) for label in labels)
        ):
            reasons.append(
                _("Question %(number)d needs five “labels”, one for each point from 1 to 5.")
                % {"number": number}
            )
    if kind == CHOICE:
        reasons += _option_problems(question.get("options"), number)
    return reasons


def _option_problems(options: Any, number: int) -> list[str]:
    if not isinstance(options, list) or not 2 <= len(options) <= MOST_OPTIONS:
        return [
            _("Question %(number)d needs between 2 and %(most)d “options”.")
            % {"number": number, "most": MOST_OPTIONS}
        ]
    values = [option.get("value") if isinstance(option, dict) else None for option in options]
    well_formed = all(
        isinstance(option, dict)
        and set(option) == {"value", "label"}
        and isinstance(option["value"], str)
        and KEY.fullmatch(option["value"])
        and _is_text(option["label"], LONGEST_LABEL)
        for option in options
    )
    if not well_formed:
        return [
            _(
                "Each option of question %(number)d needs a “value” (lower-case letters, "
                "digits and underscores) and a “label”, and nothing else."
            )
            % {"number": number}
        ]
    if len(set(values)) != len(values):
        return [_("Two options of question %(number)d have the same value.") % {"number": number}]
    return []


def tidy_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid questions as stored: texts trimmed and fields in one order, so that two
    versions that mean the same compare equal."""
    order = ("key", "kind", "text", "labels", "options", "required")
    tidy = []
    for question in questions:
        item = {name: question[name] for name in order if name in question}
        item["text"] = item["text"].strip()
        if "labels" in item:
            item["labels"] = [label.strip() for label in item["labels"]]
        if "options" in item:
            item["options"] = [
                {"value": option["value"], "label": option["label"].strip()}
                for option in item["options"]
            ]
        tidy.append(item)
    return tidy


# --- answers -----------------------------------------------------------------------------
@dataclass(frozen=True)
class CleanAnswer:
    """One answer as stored: a number (likert), a choice (choice, yes_no) or text."""

    key: str
    number: int | None = None
    choice: str = ""
    text: str = ""


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _clean_one(question: Mapping[str, Any], value: Any) -> CleanAnswer | None:
    """The stored form of an answer to `question`, or None when it is not one of its
    possible answers."""
    kind, key = question["kind"], str(question["key"])
    if kind == FREE_TEXT:
        text = value.strip() if isinstance(value, str) else None
        return CleanAnswer(key, text=text) if text and len(text) <= LONGEST_ANSWER else None
    raw = value.strip() if isinstance(value, str) else value
    if kind == LIKERT:
        if isinstance(raw, bool):
            return None
        number = raw if isinstance(raw, int) else int(raw) if str(raw).isdigit() else None
        return CleanAnswer(key, number=number) if number in SCALE else None
    allowed = (
        [YES, NO]
        if kind == YES_NO
        else [str(option["value"]) for option in question.get("options", [])]
    )
    return CleanAnswer(key, choice=raw) if raw in allowed else None


def clean_answers(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> tuple[list[CleanAnswer], list[str]]:
    """The answers as stored, and every problem with them in plain words (when there is a
    problem, nothing should be stored). Blank answers are skipped; a required question
    must be answered and at least one question must be."""
    by_key = {str(question["key"]): question for question in questions}
    reasons = [
        _("There is no question “%(key)s” in this survey.") % {"key": key}
        for key in sorted(set(answers) - set(by_key))
    ]
    cleaned: list[CleanAnswer] = []
    for key, question in by_key.items():
        value = answers.get(key)
        text = display_text(question["text"])
        if _is_blank(value):
            if question.get("required"):
                reasons.append(_("Please answer “%(question)s”.") % {"question": text})
            continue
        answer = _clean_one(question, value)
        if answer is None:
            reasons.append(_answer_refusal(question, text))
        else:
            cleaned.append(answer)
    if not cleaned and not reasons:
        reasons.append(_("Please answer at least one question."))
    return cleaned, reasons


def _answer_refusal(question: Mapping[str, Any], text: str) -> str:
    if question["kind"] == LIKERT:
        return _("The answer to “%(question)s” must be a number from 1 to 5.") % {"question": text}
    if question["kind"] == FREE_TEXT:
        return _("The answer to “%(question)s” must be text of at most %(count)d characters.") % {
            "question": text,
            "count": LONGEST_ANSWER,
        }
    return _("Choose one of the answers offered to “%(question)s”.") % {"question": text}


# --- showing questions and answers --------------------------------------------------------
def display_text(text: str) -> str:
    """A default question's text in the current language; any other text as written."""
    return _(text) if text else text


def answer_options(question: Mapping[str, Any]) -> list[tuple[str, str]]:
    """(value, label) of each possible answer, in the current language where known."""
    kind = question["kind"]
    if kind == LIKERT:
        labels = question.get("labels", [])
        return [
            (str(point), f"{point} – {display_text(label)}")
            for point, label in zip(SCALE, labels, strict=False)
        ]
    if kind == YES_NO:
        return [(YES, _("Yes")), (NO, _("No"))]
    if kind == CHOICE:
        return [
            (str(option["value"]), display_text(option["label"]))
            for option in question.get("options", [])
        ]
    return []


def answer_label(question: Mapping[str, Any], number: int | None, choice: str, text: str) -> str:
    """How a stored answer reads to a person."""
    if question["kind"] == FREE_TEXT:
        return text
    value = str(number) if number is not None else choice
    return dict(answer_options(question)).get(value, value)
