"""The shape of an assessment template's questions (see AssessmentTemplate), checked
strictly before a version is published: a template that scores wrongly would put people
at risk, so anything unexpected is refused with a reason that names the question.

Pure functions, no database: the publishing service and its form share them.
"""

from __future__ import annotations

import re
from typing import Any, TypeGuard

from django.utils.translation import gettext as _

QUESTION_FIELDS = ("key", "text", "weight", "high_at", "indirect_at", "none_at")
THRESHOLD_FIELDS = ("high_at", "indirect_at", "none_at")
KEY = re.compile(r"[a-z][a-z0-9_]{0,39}")
HIGHEST_ANSWER = 3
HIGHEST_WEIGHT = 5
LONGEST_TEXT = 1000
MOST_QUESTIONS = 100


def _is_whole(value: Any) -> TypeGuard[int]:
    return isinstance(value, int) and not isinstance(value, bool)


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
        if isinstance(key, str) and KEY.fullmatch(key):
            if key in seen:
                reasons.append(
                    _("Two questions have the key “%(key)s”; each key must be different.")
                    % {"key": key}
                )
            seen.add(key)
            name = _("question “%(key)s”") % {"key": key}
        else:
            reasons.append(
                _(
                    "Question %(number)d needs a “key”: up to 40 lower-case letters, digits "
                    "and underscores, starting with a letter, such as “safety_concerns”."
                )
                % {"number": number}
            )
            name = _("question %(number)d") % {"number": number}
        reasons += _field_problems(question, name)
    return reasons


def _field_problems(question: dict[str, Any], name: str) -> list[str]:
    reasons = []
    unknown = sorted(str(field) for field in set(question) - set(QUESTION_FIELDS))
    if unknown:
        reasons.append(
            _(
                "In %(question)s, these fields are not known: %(fields)s. "
                "Use key, text, weight, high_at, indirect_at and none_at."
            )
            % {"question": name, "fields": ", ".join(unknown)}
        )
    text = question.get("text")
    if not isinstance(text, str) or not text.strip():
        reasons.append(_("Give %(question)s a “text”.") % {"question": name})
    elif len(text) > LONGEST_TEXT:
        reasons.append(
            _("Keep the text of %(question)s to %(count)d characters or fewer.")
            % {"question": name, "count": LONGEST_TEXT}
        )
    weight = question.get("weight")
    if not _is_whole(weight) or not 0 <= weight <= HIGHEST_WEIGHT:
        reasons.append(
            _("The “weight” of %(question)s must be a whole number from 0 to 5.")
            % {"question": name}
        )
    for field in THRESHOLD_FIELDS:
        value = question.get(field)
        if value is not None and (not _is_whole(value) or not 0 <= value <= HIGHEST_ANSWER):
            reasons.append(
                _(
                    "The “%(field)s” of %(question)s must be a whole number from 0 to 3, "
                    "or left out."
                )
                % {"field": field, "question": name}
            )
    return reasons


def tidy_questions(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Valid questions as stored: fields in one order, texts trimmed, absent thresholds
    left out (so two versions with the same meaning compare equal)."""
    tidy = []
    for question in questions:
        item: dict[str, Any] = {
            "key": question["key"],
            "text": question["text"].strip(),
            "weight": question["weight"],
        }
        for field in THRESHOLD_FIELDS:
            if question.get(field) is not None:
                item[field] = question[field]
        tidy.append(item)
    return tidy


def highest_score(questions: list[dict[str, Any]]) -> int:
    """The weighted score of valid questions when every answer is the most serious."""
    return sum(int(question["weight"]) * HIGHEST_ANSWER for question in questions)
