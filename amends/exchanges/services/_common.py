"""What the exchange services share: locking, the review task's key, the stage check."""

from __future__ import annotations

from django.utils.translation import gettext as _

from amends.cases.models import Case
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError
from amends.exchanges.models import ExchangeItem
from amends.exchanges.selectors import exchange_stage_problems

REVIEW_WORKING_DAYS = 2


def review_task_key(item: ExchangeItem) -> str:
    """One review task per revision: an edit makes the old one moot and a new one due."""
    return f"exchange:{item.pk}:review:{item.revision}"


def lock_case(case_id: int) -> Case:
    # The case row is the lock every writer of the case takes (consent, pauses, moves),
    # so an item is never passed on while a withdrawal is pausing the case.
    return Case.objects.select_for_update().select_related("programme").get(pk=case_id)


def lock_item(item: ExchangeItem) -> tuple[Case, ExchangeItem]:
    case = lock_case(item.case_id)
    locked = (
        ExchangeItem.objects.select_for_update()
        .select_related("author__person", "recipient__person")
        .get(pk=item.pk)
    )
    locked.case = case
    return case, locked


def require_open(case: Case, message: str) -> None:
    if case.stage == CaseStage.CLOSED:
        raise ApplicationError(message, reasons=[_("The case is closed.")])


def require_exchange_stage(case: Case, message: str) -> None:
    reasons = exchange_stage_problems(case)
    if reasons:
        raise ApplicationError(message, reasons=reasons)
