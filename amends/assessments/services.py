"""Every write to assessments and sign-offs (G4, G5, G8).

Each service locks the case row first, so an assessment, an override and a sign-off of
the same case take turns: a supervisor can never sign off assessments that changed while
they were reading them. A sign-off stores the revision of each assessment it covered; a
new assessment (a new id) or an override (a new revision) makes it stale at once, and
gate G5 says so (`cases.gates.g5_sign_off`).
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.assessments.models import RISK_ORDER, Assessment, RiskLevel, SignOff
from amends.assessments.scoring import answer_problems, rescore_with_risk, score
from amends.assessments.selectors import is_assigned_facilitator, newest_assessment
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases import gates
from amends.cases.models import Case, Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import case_facts
from amends.cases.services import case_step_back_if_unsafe
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.workdays import add_working_days
from amends.programmes.models import AssessmentTemplate
from amends.programmes.selectors import current_assessment_template, settings_for
from amends.tasks.models import TaskKind
from amends.tasks.services import task_create, tasks_complete_by_key

SIGN_OFF_DUE_WORKING_DAYS = 2


def sign_off_task_key(case: Case) -> str:
    """The key of the case's "supervisor sign-off needed" task."""
    return f"case:{case.pk}:sign_off"


def _locked_open_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().select_related("programme", "referral").get(pk=case_id)
    if case.stage == CaseStage.CLOSED:
        raise ApplicationError(_("The case is closed; nothing more can be recorded on it."))
    return case


def _date_problems(assessed_on: Any, today: datetime.date, validity_days: int) -> list[str]:
    if not isinstance(assessed_on, datetime.date) or isinstance(assessed_on, datetime.datetime):
        return [_("Give the date of the assessment.")]
    if assessed_on > today:
        return [_("The assessment date cannot be in the future.")]
    if assessed_on + datetime.timedelta(days=validity_days) < today:
        return [
            _(
                "An assessment made on that date would already have expired: the programme "
                "accepts assessments for %(days)d days. Assess the person again."
            )
            % {"days": validity_days}
        ]
    return []


def _record_problems(
    participant: Participant,
    template: AssessmentTemplate | None,
    answers: Mapping[str, Any],
    assessed_on: Any,
    validity_days: int,
) -> list[str]:
    reasons = []
    if not participant.is_key:
        reasons.append(_("Only the person harmed and the person responsible are assessed."))
    if template is None:
        reasons.append(
            _("The programme has no assessment template yet; an administrator must publish one.")
        )
    reasons += _date_problems(assessed_on, timezone.localdate(), validity_days)
    if template is not None:
        reasons += answer_problems(template.questions, answers)
    return reasons


def assessment_record(
    *,
    actor: User,
    participant: Participant,
    answers: Mapping[str, Any],
    assessed_on: datetime.date,
    notes: str = "",
) -> Assessment:
    """Record a suitability and risk assessment of a key participant (G4) on the
    programme's current template: the template scores the answers into a risk level and
    the modalities it permits (G8), with reasons. It is valid for the programme's
    assessment window from the date it was made.

    Refuses (ApplicationError, changing nothing) a participant who is not the person
    harmed or responsible, a closed case, a programme without a template, a date in the
    future or so old the assessment would already have expired, and incomplete or
    invalid answers. PermissionRefused for someone who may not work on the case.

    When the case then needs a supervisor's sign-off (G5), a task asks for it.
    """
    with transaction.atomic():
        case = _locked_open_case(participant.case_id)
        locked = Participant.objects.select_related("person").get(pk=participant.pk)
        participant_policy.require(actor, "work", locked)
        template = current_assessment_template(case.programme)
        validity_days = settings_for(case.programme).assessment_validity_days
        reasons = _record_problems(locked, template, answers, assessed_on, validity_days)
        if reasons or template is None:
            raise ApplicationError(_("The assessment was not recorded."), reasons=reasons)
        result = score(
            template.questions, template.medium_threshold, template.high_threshold, answers
        )
        current = newest_assessment(locked)
        if current is not None and assessed_on < current.assessed_on:
            # The gates read the newest assessment by date: a back-dated one would be
            # recorded and then ignored, however high the risk it found.
            raise ApplicationError(
                _("The assessment was not recorded."),
                reasons=[
                    _("%(person)s was already assessed on %(date)s; date this one on or after it.")
                    % {"person": locked.person.given_name, "date": current.assessed_on.isoformat()}
                ],
            )
        if (
            current is not None
            and current.valid_until >= timezone.localdate()
            and RISK_ORDER[RiskLevel(result.risk_level)] < RISK_ORDER[RiskLevel(current.risk_level)]
        ):
            # A fresh assessment that finds less risk lowers it as surely as an override.
            _require_may_lower(actor, case)
        assessment = Assessment.objects.create(
            participant=locked,
            template=template,
            answers={str(key): int(value) for key, value in answers.items()},
            score=result.score,
            computed_risk=result.risk_level,
            risk_level=result.risk_level,
            permitted_modality=result.permitted_modality,
            reasons=result.reasons,
            notes=notes.strip(),
            assessed_on=assessed_on,
            valid_until=assessed_on + datetime.timedelta(days=validity_days),
            assessed_by=actor,
        )
        # The answers describe a person's circumstances: they stay out of the log.
        audit_record(
            actor=actor,
            action=Action.ASSESSMENT_RECORDED,
            target=assessment,
            programme=case.programme,
            data={
                "case": case.pk,
                "participant": locked.pk,
                "template": template.pk,
                "template_version": template.version,
                "risk_level": result.risk_level.value,
                "permitted_modality": result.permitted_modality.value,
                "valid_until": assessment.valid_until.isoformat(),
            },
        )
        _sync_sign_off_task(actor=actor, case=case)
        case_step_back_if_unsafe(case=case)
    return assessment


def _require_may_lower(actor: User, case: Case) -> None:
    # A lower risk level can lift the four-eyes sign-off (G5), the safety plan (G7) and
    # the limit on meeting face to face (G8): it takes the same person who could have
    # signed the case off.
    if not case_policy.can(actor, "sign_off", case):
        raise PermissionRefused(
            _("The risk level was not changed."),
            reasons=[_("Only a supervisor of the programme can lower a risk level.")],
        )
    if is_assigned_facilitator(actor, case):
        raise PermissionRefused(
            _("The risk level was not changed."),
            reasons=[
                _(
                    "You are assigned to this case as a facilitator, so another supervisor "
                    "must lower the risk level."
                )
            ],
        )


def _apply_risk_level(
    assessment: Assessment, level: RiskLevel, reason: str
) -> dict[str, dict[str, str]]:
    """Set the level, re-derive the modality from the answers, bump the revision and
    save; returns the old and new values."""
    template = assessment.template
    result = rescore_with_risk(
        template.questions,
        template.medium_threshold,
        template.high_threshold,
        assessment.answers,
        level,
    )
    changed = {
        "risk_level": {"old": assessment.risk_level, "new": level.value},
        "permitted_modality": {
            "old": assessment.permitted_modality,
            "new": result.permitted_modality.value,
        },
    }
    assessment.risk_level = level
    assessment.permitted_modality = result.permitted_modality
    assessment.reasons = result.reasons
    assessment.override_reason = reason
    assessment.revision += 1
    assessment.save(
        update_fields=[
            "risk_level",
            "permitted_modality",
            "reasons",
            "override_reason",
            "revision",
            "updated_at",
        ]
    )
    return changed


def assessment_override_risk(
    *, actor: User, assessment: Assessment, risk_level: str, reason: str
) -> Assessment:
    """Set an assessment's risk level to something other than what the template found,
    with a reason (kept encrypted on the assessment, not in the audit log).

    The permitted modality is re-derived from the answers and the new level (G8): raising
    the risk to high narrows it to indirect at most; lowering never widens it beyond what
    the answers permit. The revision grows, which makes any sign-off of it stale (G5).
    Anyone who works on the case may raise a risk level; only a supervisor who is not
    assigned as a facilitator may lower one. Setting the level it already has changes
    nothing. Only the person's newest, unexpired assessment can be changed.
    """
    reason = reason.strip()
    reasons = []
    if risk_level not in RiskLevel.values:
        reasons.append(_("Choose a risk level."))
    if not reason:
        reasons.append(_("Say why the risk level should be different."))
    if reasons:
        raise ApplicationError(_("The risk level was not changed."), reasons=reasons)
    new_level = RiskLevel(risk_level)
    with transaction.atomic():
        case_id = Participant.objects.values_list("case_id", flat=True).get(
            pk=assessment.participant_id
        )
        case = _locked_open_case(case_id)
        locked = (
            Assessment.objects.select_for_update()
            .select_related("participant", "template")
            .get(pk=assessment.pk)
        )
        participant_policy.require(actor, "work", locked.participant)
        if locked.risk_level == new_level:
            return locked
        if RISK_ORDER[new_level] < RISK_ORDER[RiskLevel(locked.risk_level)]:
            _require_may_lower(actor, case)
        _check_changeable(locked)
        changed = _apply_risk_level(locked, new_level, reason)
        audit_record(
            actor=actor,
            action=Action.ASSESSMENT_RISK_OVERRIDDEN,
            target=locked,
            programme=case.programme,
            data={
                "case": case.pk,
                "participant": locked.participant_id,
                "revision": locked.revision,
                "changed": changed,
                # The reason is free text about a person: named, not copied.
                "changed_fields": ["override_reason"],
            },
        )
        _sync_sign_off_task(actor=actor, case=case)
        case_step_back_if_unsafe(case=case)
    return locked


def _check_changeable(assessment: Assessment) -> None:
    newest = newest_assessment(assessment.participant)
    if newest is not None and newest.pk != assessment.pk:
        raise ApplicationError(
            _("The risk level was not changed."),
            reasons=[_("A newer assessment of this person has replaced this one.")],
        )
    if assessment.valid_until < timezone.localdate():
        raise ApplicationError(
            _("The risk level was not changed."),
            reasons=[_("This assessment has expired; assess the person again.")],
        )


def _sync_sign_off_task(*, actor: User, case: Case) -> None:
    """Ask for a sign-off when the case needs one it does not have (G5, G13); when it no
    longer needs one, the open request is done."""
    facts = case_facts(case)
    key = sign_off_task_key(case)
    if not gates.sign_off_required(facts):
        tasks_complete_by_key(actor=actor, key=key)
        return
    if gates.g5_sign_off(facts):
        task_create(
            actor=actor,
            programme=case.programme,
            case=case,
            kind=TaskKind.SIGN_OFF_NEEDED,
            title=_("Ask a supervisor to sign off the assessments"),
            due_on=add_working_days(timezone.localdate(), SIGN_OFF_DUE_WORKING_DAYS),
            key=key,
        )


def _check_may_sign_off(actor: User, case: Case, facts: gates.CaseFacts) -> None:
    """Four-eyes (G5): never someone assigned as a facilitator nor who made one of the
    assessments; only a case that needs a
    sign-off; only once every key participant has a current assessment (G4)."""
    if is_assigned_facilitator(actor, case):
        raise ApplicationError(
            _("The case was not signed off."),
            reasons=[
                _(
                    "You are assigned to this case as a facilitator. Four-eyes sign-off "
                    "must come from a supervisor who is not working on the case."
                )
            ],
        )
    if not gates.sign_off_required(facts):
        raise ApplicationError(
            _("The case was not signed off."),
            reasons=[
                _(
                    "This case does not need a supervisor's sign-off: no offence is in a "
                    "sensitive category and no assessment found high risk."
                )
            ],
        )
    covered_ids = [int(pk) for pk in gates.current_assessment_revisions(facts)]
    if Assessment.objects.filter(pk__in=covered_ids, assessed_by=actor).exists():
        raise ApplicationError(
            _("The case was not signed off."),
            reasons=[
                _(
                    "You made one of these assessments. Four-eyes sign-off must come from "
                    "a second supervisor."
                )
            ],
        )
    missing = gates.g4_assessment(facts)
    if missing:
        raise ApplicationError(
            _("The case cannot be signed off until every key participant is assessed."),
            reasons=missing,
        )


def sign_off_record(*, actor: User, case: Case, notes: str = "") -> SignOff:
    """A supervisor's four-eyes sign-off of the case's current assessments (G5).

    Only a supervisor of the programme, never someone assigned to the case as a
    facilitator, and only when the case needs a sign-off (a sensitive category or high
    risk) and every key participant has a current assessment (G4). The sign-off records
    the revision of each assessment it covers; any later change makes it stale. Signing
    off what is already signed off changes nothing. Completes the "sign-off needed" task.
    """
    with transaction.atomic():
        locked = _locked_open_case(case.pk)
        case_policy.require(actor, "sign_off", locked)
        facts = case_facts(locked)
        _check_may_sign_off(actor, locked, facts)
        if not gates.g5_sign_off(facts):
            existing = SignOff.objects.filter(case=locked).order_by("-created_at", "-id").first()
            if existing is not None:
                return existing
        covered = gates.current_assessment_revisions(facts)
        why = []
        if facts.is_sensitive:
            why.append("sensitive")
        if facts.highest_risk == gates.HIGH:
            why.append("high_risk")
        sign_off = SignOff.objects.create(
            case=locked, signed_by=actor, covered=covered, notes=notes.strip()
        )
        audit_record(
            actor=actor,
            action=Action.SIGN_OFF_RECORDED,
            target=sign_off,
            programme=locked.programme,
            data={"case": locked.pk, "covered": covered, "why": why},
        )
        tasks_complete_by_key(actor=actor, key=sign_off_task_key(locked))
    return sign_off
