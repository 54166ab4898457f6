"""How an assessment template turns answers into a risk level and the process modalities
it permits (G4, G8). Pure functions, no database: the services and the property tests
share them.

Each answer runs from 0 (no concern) to 3 (serious concern). The weighted sum against the
template's thresholds gives the risk level; an answer at or above a question's `high_at`
makes the risk high whatever the sum; at or above `indirect_at` the parties may not meet
face to face; at or above `none_at` no restorative process is possible. High risk on its
own permits indirect forms at most. Every step is written down as a reason in plain words,
so the person reading the assessment sees why, not only what.

Answers only ever push towards more caution: a higher answer can raise the risk and
narrow the modality, never the opposite (the property tests check both).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.assessments.models import RISK_ORDER, RiskLevel
from amends.core.errors import ApplicationError
from amends.programmes.models import Modality

LOWEST_ANSWER = 0
HIGHEST_ANSWER = 3
ANSWER_LABELS = {
    0: gettext_lazy("No concern"),
    1: gettext_lazy("Some"),
    2: gettext_lazy("Considerable"),
    3: gettext_lazy("Serious"),
}
# From most to least contact: narrowing means moving right.
MODALITY_ORDER = {Modality.DIRECT: 0, Modality.INDIRECT: 1, Modality.NONE: 2}


@dataclass(frozen=True)
class ScoreResult:
    score: int
    risk_level: RiskLevel
    permitted_modality: Modality
    reasons: list[str] = field(default_factory=list)


def narrowest(*modalities: Modality) -> Modality:
    """The most cautious of the modalities given."""
    return max(modalities, key=MODALITY_ORDER.__getitem__)


def highest(*levels: RiskLevel) -> RiskLevel:
    """The highest of the risk levels given."""
    return max(levels, key=RISK_ORDER.__getitem__)


def question_title(question: Mapping[str, Any]) -> str:
    """The question's first sentence, which names what it asks about ("Readiness to take
    part"); the rest of its text is guidance on the answers."""
    text = str(question.get("text", "")).strip()
    first = text.split(". ", 1)[0].strip().rstrip(".")
    return first or str(question.get("key", ""))


def question_guidance(question: Mapping[str, Any]) -> str:
    """The text after the first sentence (the meaning of 0 and 3), or ''."""
    text = str(question.get("text", "")).strip()
    parts = text.split(". ", 1)
    return parts[1].strip() if len(parts) == 2 else ""


def answer_problems(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> list[str]:
    """Why these answers cannot be scored on this template, in plain words: every question
    answered, each with a whole number from 0 to 3, and no answer to a question the
    template does not have. An empty list means they can be scored."""
    reasons = []
    keys = [str(question["key"]) for question in questions]
    for question in questions:
        key = str(question["key"])
        values = {"question": question_title(question)}
        if key not in answers or answers[key] is None:
            reasons.append(_("“%(question)s” has not been answered.") % values)
            continue
        value = answers[key]
        if (
            not isinstance(value, int)
            or isinstance(value, bool)
            or not LOWEST_ANSWER <= value <= HIGHEST_ANSWER
        ):
            reasons.append(
                _("The answer to “%(question)s” must be a whole number from 0 to 3.") % values
            )
    reasons.extend(
        _("There is an answer to “%(key)s”, which is not a question on this template.")
        % {"key": key}
        for key in sorted(str(key) for key in answers if key not in keys)
    )
    return reasons


def risk_from_score(total: int, medium_threshold: int, high_threshold: int) -> RiskLevel:
    if total >= high_threshold:
        return RiskLevel.HIGH
    if total >= medium_threshold:
        return RiskLevel.MEDIUM
    return RiskLevel.LOW


def _reached(question: Mapping[str, Any], threshold: str, answer: int) -> bool:
    limit = question.get(threshold)
    return limit is not None and answer >= int(limit)


def modality_from_answers(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, int]
) -> tuple[Modality, list[str]]:
    """What the answers alone permit (each question's `indirect_at` and `none_at`), with
    the reasons. The risk level may narrow it further (`modality_for_risk`)."""
    modality = Modality.DIRECT
    reasons = []
    for question in questions:
        answer = answers[str(question["key"])]
        values = {"question": question_title(question), "answer": ANSWER_LABELS[answer]}
        if _reached(question, "none_at", answer):
            modality = Modality.NONE
            reasons.append(
                _(
                    "“%(question)s” was answered “%(answer)s”: no restorative process is "
                    "possible while this is so."
                )
                % values
            )
        elif _reached(question, "indirect_at", answer):
            modality = narrowest(modality, Modality.INDIRECT)
            reasons.append(
                _(
                    "“%(question)s” was answered “%(answer)s”: the parties should not meet; "
                    "only indirect forms (letters, shuttle mediation, surrogates) are possible."
                )
                % values
            )
    return modality, reasons


def modality_for_risk(
    answers_permit: Modality, risk_level: RiskLevel
) -> tuple[Modality, list[str]]:
    """Narrow what the answers permit by the risk level: high risk permits indirect forms
    at most. Never widens."""
    if risk_level == RiskLevel.HIGH and answers_permit == Modality.DIRECT:
        return Modality.INDIRECT, [
            _("High risk permits indirect forms only: the parties should not meet face to face.")
        ]
    return answers_permit, []


def _risk_with_reasons(
    questions: Sequence[Mapping[str, Any]],
    medium_threshold: int,
    high_threshold: int,
    answers: Mapping[str, int],
) -> tuple[int, RiskLevel, list[str]]:
    total = sum(int(question["weight"]) * answers[str(question["key"])] for question in questions)
    possible = sum(int(question["weight"]) * HIGHEST_ANSWER for question in questions)
    risk = risk_from_score(total, medium_threshold, high_threshold)
    reasons = [
        _(
            "The answers score %(score)d out of %(possible)d; on the score alone that is "
            "%(risk)s risk (medium from %(medium)d, high from %(high)d)."
        )
        % {
            "score": total,
            "possible": possible,
            "risk": str(risk.label).lower(),
            "medium": medium_threshold,
            "high": high_threshold,
        }
    ]
    for question in questions:
        answer = answers[str(question["key"])]
        if _reached(question, "high_at", answer):
            risk = RiskLevel.HIGH
            reasons.append(
                _("“%(question)s” was answered “%(answer)s”: that alone makes the risk high.")
                % {"question": question_title(question), "answer": ANSWER_LABELS[answer]}
            )
    return total, risk, reasons


def _valid_answers(
    questions: Sequence[Mapping[str, Any]], answers: Mapping[str, Any]
) -> dict[str, int]:
    problems = answer_problems(questions, answers)
    if problems:
        raise ApplicationError(_("The assessment is not complete."), reasons=problems)
    return {str(key): int(value) for key, value in answers.items()}


def _result(
    questions: Sequence[Mapping[str, Any]],
    answers: Mapping[str, int],
    total: int,
    risk: RiskLevel,
    reasons: list[str],
) -> ScoreResult:
    answers_permit, modality_reasons = modality_from_answers(questions, answers)
    modality, risk_reasons = modality_for_risk(answers_permit, risk)
    reasons = [*reasons, *modality_reasons, *risk_reasons]
    if modality == Modality.DIRECT:
        reasons.append(
            _(
                "Nothing in the answers rules out a meeting: direct and indirect forms "
                "may be considered."
            )
        )
    return ScoreResult(score=total, risk_level=risk, permitted_modality=modality, reasons=reasons)


def score(
    template_questions: Sequence[Mapping[str, Any]],
    medium_threshold: int,
    high_threshold: int,
    answers: Mapping[str, Any],
) -> ScoreResult:
    """Score answers on a template: the weighted sum, the risk level, the modality the
    answers and the risk level permit, and the reasons for each.

    Raises ApplicationError with the reasons when the answers are incomplete or invalid.
    """
    valid = _valid_answers(template_questions, answers)
    total, risk, reasons = _risk_with_reasons(
        template_questions, medium_threshold, high_threshold, valid
    )
    return _result(template_questions, valid, total, risk, reasons)


def rescore_with_risk(
    template_questions: Sequence[Mapping[str, Any]],
    medium_threshold: int,
    high_threshold: int,
    answers: Mapping[str, Any],
    risk_level: RiskLevel,
) -> ScoreResult:
    """The result when a person sets the risk level instead of the template (an override).

    The modality is re-derived from the answers and the chosen level, so raising the risk
    to high narrows it to indirect at most, and lowering it never widens it beyond what
    the answers themselves permit (their `indirect_at` and `none_at`).
    """
    valid = _valid_answers(template_questions, answers)
    total, computed, reasons = _risk_with_reasons(
        template_questions, medium_threshold, high_threshold, valid
    )
    if risk_level != computed:
        reasons.append(
            _("A person changed the risk level from %(old)s to %(new)s and gave a reason.")
            % {"old": str(computed.label).lower(), "new": str(RiskLevel(risk_level).label).lower()}
        )
    return _result(template_questions, valid, total, RiskLevel(risk_level), reasons)
