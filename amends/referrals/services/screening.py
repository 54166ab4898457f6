"""Screening: the eligibility decision (G1) and, for a decline, the return of the referral
to the referrer without delay (UN Basic Principles 11).

The decision is always made against the programme's *current* eligibility policy and
records its reasons, the policy version, who decided and when. A coordinator may decline
an eligible referral as unsuitable, but may never accept one the policy makes ineligible.
The decision is recorded while the case is in `screening`; moving the case on is a
separate step on the case page.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.services import GateRefused, case_close
from amends.cases.stages import CaseStage, ClosureReason
from amends.core.errors import ApplicationError, ConflictError
from amends.referrals import jobs
from amends.referrals.models import Decision, Referral
from amends.referrals.permissions import screening_policy
from amends.referrals.selectors import screening_evaluation

MAX_REASON_FOR_REFERRER = 2000


def referral_decide(
    *,
    actor: User,
    case: Case,
    decline: bool = False,
    reason_for_referrer: str = "",
    note: str = "",
) -> Referral:
    """Record the eligibility decision for the case's referral (G1).

    Accepting records "accepted" or "accepted under the specialist protocol", as the
    current policy says; an ineligible referral cannot be accepted (GateRefused with the
    policy's reasons). Declining needs a reason written for the referrer (the only case
    text they ever see) and closes the case at once as returned to the referrer; `note`
    is for staff only. Deciding the same again under the same policy version changes
    nothing. Raises PermissionRefused, ApplicationError or ConflictError, changing nothing.
    """
    reason_for_referrer = reason_for_referrer.strip()
    problems = []
    if decline and not reason_for_referrer:
        problems.append(_("Write the reason the referrer will read."))
    if len(reason_for_referrer) > MAX_REASON_FOR_REFERRER:
        problems.append(_("Keep the reason for the referrer under 2,000 characters."))
    if problems:
        raise ApplicationError(_("The decision was not recorded."), reasons=problems)
    with transaction.atomic():
        # The case first, as every case service locks it: one lock order, no deadlock.
        locked_case = Case.objects.select_for_update().select_related("programme").get(pk=case.pk)
        screening_policy.require(actor, "decide", locked_case)
        referral = Referral.objects.select_for_update().get(pk=locked_case.referral_id)
        if locked_case.stage != CaseStage.SCREENING:
            raise ConflictError(_stage_message(locked_case.stage))
        evaluation = screening_evaluation(locked_case)
        if evaluation.policy is None:
            raise ApplicationError(
                _("The decision was not recorded."),
                reasons=[
                    _(
                        "The programme has no eligibility policy yet: an administrator or "
                        "supervisor must publish one first."
                    )
                ],
            )
        result = evaluation.result
        if not decline and not result.is_eligible:
            raise GateRefused(
                _("This referral cannot be accepted under the programme's policy."),
                reasons=result.reasons,
            )
        decision = Decision.DECLINED if decline else result.decision
        reasons = list(result.reasons)
        if decline and result.is_eligible:
            reasons.append(_("Eligible under the policy, but declined as unsuitable by screening."))
        if (
            referral.decision == decision
            and referral.decision_policy_id == evaluation.policy.pk
            and referral.decision_reasons == reasons
        ):
            return referral
        previous = referral.decision
        referral.decision, referral.decision_reasons = decision, reasons
        referral.decision_policy = evaluation.policy
        referral.decided_by, referral.decided_at = actor, timezone.now()
        referral.reason_for_referrer = reason_for_referrer if decline else ""
        referral.save(
            update_fields=[
                "decision",
                "decision_reasons",
                "decision_policy",
                "decided_by",
                "decided_at",
                "reason_for_referrer",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=Action.REFERRAL_DECIDED,
            target=referral,
            programme=locked_case.programme,
            data={
                "case": locked_case.pk,
                "decision": {"old": previous, "new": decision},
                "policy_version": evaluation.policy.version,
                "eligible_under_policy": result.is_eligible,
                "reasons": reasons,
                "fields": ["reason_for_referrer"] if referral.reason_for_referrer else [],
            },
        )
        if decline:
            case_close(
                actor=actor,
                case=locked_case,
                reason=ClosureReason.RETURNED_TO_REFERRER,
                note=note,
                expected_stage=CaseStage.SCREENING,
            )
        if referral.submitted_by_id is not None:
            transaction.on_commit(lambda: jobs.send_status_notice.enqueue(referral_id=referral.pk))
    return referral


def _stage_message(stage: str) -> str:
    if stage == CaseStage.REFERRED:
        return _("Start screening on the case page before deciding eligibility.")
    if stage == CaseStage.CLOSED:
        return _("The case is closed; its eligibility can no longer be decided.")
    return _("Eligibility is decided during screening; this case has moved on to “%(stage)s”.") % {
        "stage": CaseStage(stage).label
    }
