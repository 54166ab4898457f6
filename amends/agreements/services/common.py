"""What every agreement service shares: the case lock, the stages work may happen in,
the item re-read under the lock, and dates that may not come before the process."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from amends.agreements import rules
from amends.agreements.models import AgreementItem, ItemStatus
from amends.agreements.selectors import earliest_agreement_date, item_facts
from amends.cases.models import Case
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError, ConflictError

# An agreement is drafted while the process runs or the agreement is being settled.
DRAFTING_STAGES = frozenset({CaseStage.PROCESS, CaseStage.AGREEMENT})
# Items are kept (paid, worked, completed, varied) until follow-up ends.
MONITORING_STAGES = frozenset({CaseStage.PROCESS, CaseStage.AGREEMENT, CaseStage.FOLLOW_UP})
REASON_MAX_LENGTH = 2000


def lock_case(case_id: int) -> Case:
    # The case row is the lock every writer of the case takes (consent entries too), so
    # consent, variations, payments and moves of one case happen one after another.
    return Case.objects.select_for_update().select_related("programme", "referral").get(pk=case_id)


def require_stage(case: Case, stages: frozenset[CaseStage], not_done: str) -> None:
    if case.stage not in stages:
        raise ApplicationError(
            not_done,
            reasons=[
                _("The case is in “%(stage)s”: this is done while it is in %(stages)s.")
                % {
                    "stage": CaseStage(case.stage).label,
                    "stages": ", ".join(
                        f"“{CaseStage(stage).label}”" for stage in CaseStage if stage in stages
                    ),
                }
            ],
        )


def reread_item(item: AgreementItem) -> AgreementItem:
    return AgreementItem.objects.select_related("agreement__case__programme", "owed_to").get(
        pk=item.pk
    )


def require_live(item: AgreementItem, not_done: str) -> None:
    if item.status == ItemStatus.VARIED:
        raise ConflictError(
            not_done, reasons=[_("This item has been varied: work on its current version.")]
        )
    if not item.is_live:
        raise ConflictError(
            not_done,
            reasons=[
                _("This item is already “%(status)s”.") % {"status": ItemStatus(item.status).label}
            ],
        )


def require_in_force(item: AgreementItem, not_done: str) -> None:
    """Payments, hours and completion count only for an item every bound party agreed
    to and, when flagged, a supervisor confirmed (G11)."""
    facts = item_facts(item)
    reasons = rules.consent_reasons(facts) + rules.confirmation_reasons(facts)
    if reasons:
        raise ApplicationError(not_done, reasons=[_("The item is not in force yet."), *reasons])


def date_problems(
    value: datetime.date | None, *, case: Case, made_on: datetime.date | None, what: str
) -> list[str]:
    """A date of the agreement's work: given, not in the future, not before the agreement
    was made, and never before the joint meeting (or process) it came from."""
    if value is None:
        return [_("Give the date %(what)s.") % {"what": what}]
    if value > timezone.localdate():
        return [_("The date %(what)s cannot be in the future.") % {"what": what}]
    earliest = earliest_agreement_date(case)
    if earliest is not None and value < earliest:
        return [
            _("The date %(what)s cannot be before the restorative process it came from (%(date)s).")
            % {"what": what, "date": earliest.isoformat()}
        ]
    if made_on is not None and value < made_on:
        return [
            _("The date %(what)s cannot be before the agreement was made (%(date)s).")
            % {"what": what, "date": made_on.isoformat()}
        ]
    return []


def reason_problems(reason: str, *, missing: str) -> list[str]:
    if not reason.strip():
        return [missing]
    if len(reason.strip()) > REASON_MAX_LENGTH:
        return [_("The reason must be at most 2000 characters.")]
    return []
