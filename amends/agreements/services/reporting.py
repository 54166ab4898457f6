"""Issuing the outcome report to the referrer (G12): a disclosure outside the case, so it
records its legal basis, and keeps exactly what was disclosed."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.agreements.models import LegalBasis, OutcomeReportIssue
from amends.agreements.permissions import outcome_report_policy
from amends.agreements.reports import outcome_report
from amends.agreements.services.common import lock_case
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, StageChange
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError


def outcome_report_issue(*, actor: User, case: Case, legal_basis: str) -> OutcomeReportIssue:
    """Issue the case's outcome report to its referrer under a legal basis from the list.
    The report as it stands is kept with the issue, and the referrer who sent the
    referral can read it (and only it) from then on. It carries participation and
    completion only: who took part by role, whether an agreement was reached and
    completed, and the closure date.

    Raises PermissionRefused, or ApplicationError before the process has started or
    without a legal basis; nothing is written.
    """
    not_done = _("The outcome report was not issued.")
    with transaction.atomic():
        locked = lock_case(case.pk)
        outcome_report_policy.require(actor, "issue", locked)
        reasons = []
        if legal_basis not in LegalBasis.values:
            reasons.append(_("Choose the legal basis for sharing the report."))
        started = StageChange.objects.filter(case=locked, to_stage=CaseStage.PROCESS).exists()
        if not started and locked.stage != CaseStage.CLOSED:
            reasons.append(_("There is nothing to report yet: the process has not started."))
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        issue = OutcomeReportIssue.objects.create(
            case=locked,
            legal_basis=legal_basis,
            report=outcome_report(locked).as_json(),
            issued_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.OUTCOME_REPORT_ISSUED,
            target=issue,
            programme=locked.programme,
            data={
                "case": locked.pk,
                "legal_basis": legal_basis,
                "referrer": locked.referral.submitted_by_id,
            },
            reason=str(LegalBasis(legal_basis).label),
        )
    return issue
