"""Reads about assessments and sign-offs for the pages and the case page's summary.

The summaries are built from the case's gate facts (`cases.selectors.case_facts`), so the
case page, the sign-off page and the gates read the same thing and cannot disagree.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.assessments.models import Assessment, RiskLevel, SignOff
from amends.assessments.scoring import ANSWER_LABELS, question_guidance, question_title
from amends.cases import gates
from amends.cases.gates import CaseFacts, ParticipantFacts
from amends.cases.models import Case, FacilitatorAssignment, Participant
from amends.programmes.models import AssessmentTemplate, Modality


class AssessmentStatus:
    """How a key participant's newest assessment stands against G4."""

    MISSING = "missing"
    OLD_TEMPLATE = "old_template"
    EXPIRED = "expired"
    CURRENT = "current"


@dataclass(frozen=True)
class ParticipantAssessmentSummary:
    """One key participant's line in the case page's assessment summary."""

    participant_id: int
    label: str
    role: str
    status: str
    assessment_id: int | None = None
    risk_level: str = ""
    risk_label: str = ""
    permitted_modality: str = ""
    modality_label: str = ""
    valid_until: datetime.date | None = None

    @property
    def is_current(self) -> bool:
        return self.status == AssessmentStatus.CURRENT

    @property
    def status_label(self) -> str:
        return str(_STATUS_LABELS[self.status])


_STATUS_LABELS = {
    AssessmentStatus.MISSING: gettext_lazy("Not assessed"),
    AssessmentStatus.OLD_TEMPLATE: gettext_lazy("Assessed on an old template"),
    AssessmentStatus.EXPIRED: gettext_lazy("Expired"),
    AssessmentStatus.CURRENT: gettext_lazy("Current"),
}


def _status(person: ParticipantFacts, today: datetime.date) -> str:
    assessment = person.assessment
    if assessment is None:
        return AssessmentStatus.MISSING
    if not assessment.on_current_template:
        return AssessmentStatus.OLD_TEMPLATE
    if assessment.valid_until < today:
        return AssessmentStatus.EXPIRED
    return AssessmentStatus.CURRENT


def assessment_summaries(facts: CaseFacts) -> list[ParticipantAssessmentSummary]:
    """Each key participant with their newest assessment, from the gate facts (no query)."""
    summaries = []
    for person in facts.key_participants:
        assessment = person.assessment
        status = _status(person, facts.today)
        if assessment is None:
            summaries.append(
                ParticipantAssessmentSummary(
                    participant_id=person.pk, label=person.label, role=person.role, status=status
                )
            )
            continue
        summaries.append(
            ParticipantAssessmentSummary(
                participant_id=person.pk,
                label=person.label,
                role=person.role,
                status=status,
                assessment_id=assessment.pk,
                risk_level=assessment.risk_level,
                risk_label=str(RiskLevel(assessment.risk_level).label),
                permitted_modality=assessment.permitted_modality,
                modality_label=str(Modality(assessment.permitted_modality).label),
                valid_until=assessment.valid_until,
            )
        )
    return summaries


@dataclass(frozen=True)
class SignOffStatus:
    """Where a case stands on G5, for the sign-off page and the case page."""

    required: bool
    # Why sign-off is needed: a sensitive category, high risk, or both.
    why: list[str]
    # The unmet G5 reasons (empty when the sign-off in place covers today's assessments).
    reasons: list[str]
    # The unmet G4 reasons: sign-off waits until every key participant is assessed.
    assessment_reasons: list[str]
    latest: SignOff | None

    @property
    def is_signed_off(self) -> bool:
        return self.required and not self.reasons

    @property
    def can_be_signed(self) -> bool:
        return self.required and bool(self.reasons) and not self.assessment_reasons


def sign_off_why(facts: CaseFacts) -> list[str]:
    """Why this case needs a supervisor's sign-off, in plain words (empty: it does not)."""
    why = []
    if facts.is_sensitive:
        why.append(
            _(
                "An offence in this case is in a sensitive category, which calls for the "
                "specialist protocol."
            )
        )
    if facts.highest_risk == gates.HIGH:
        why.append(_("An assessment found high risk."))
    return why


def sign_off_status(case: Case, facts: CaseFacts) -> SignOffStatus:
    """The case's G5 standing, with the newest sign-off (one query)."""
    return SignOffStatus(
        required=gates.sign_off_required(facts),
        why=sign_off_why(facts),
        reasons=gates.g5_sign_off(facts),
        assessment_reasons=gates.g4_assessment(facts),
        latest=SignOff.objects.filter(case=case)
        .select_related("signed_by")
        .order_by("-created_at", "-id")
        .first(),
    )


def is_assigned_facilitator(user: Any, case: Case) -> bool:
    """Is `user` assigned to `case` as a facilitator (and so may not sign it off, G5)?"""
    return FacilitatorAssignment.objects.filter(case=case, facilitator_id=user.pk).exists()


def assessment_in_case(case: Case, assessment_id: int) -> Assessment:
    """One assessment of a participant of `case`; Assessment.DoesNotExist otherwise."""
    return Assessment.objects.select_related("participant__person", "template", "assessed_by").get(
        pk=assessment_id, participant__case=case
    )


def assessment_history(participant: Participant) -> list[Assessment]:
    """Every assessment of the participant, newest first (the first one is what counts)."""
    return list(
        Assessment.objects.filter(participant=participant)
        .select_related("template", "assessed_by")
        .order_by("-assessed_on", "-id")
    )


def newest_assessment(participant: Participant) -> Assessment | None:
    return (
        Assessment.objects.filter(participant=participant).order_by("-assessed_on", "-id").first()
    )


@dataclass(frozen=True)
class AnsweredQuestion:
    title: str
    guidance: str
    answer: int | None
    answer_label: str
    weight: int


def answered_questions(assessment: Assessment) -> list[AnsweredQuestion]:
    """The template's questions with this assessment's answers, in the template's order."""
    template: AssessmentTemplate = assessment.template
    rows = []
    for question in template.questions:
        answer = assessment.answers.get(str(question["key"]))
        rows.append(
            AnsweredQuestion(
                title=question_title(question),
                guidance=question_guidance(question),
                answer=answer,
                answer_label=str(ANSWER_LABELS[answer]) if answer in ANSWER_LABELS else "",
                weight=int(question.get("weight", 0)),
            )
        )
    return rows
