"""Keeping an agreement: payments, hours of work, an item's status, and what happens when
an item is not kept (G11; UN Basic Principles 17).

Payments and hours are ledgers: rows are added, totals are computed from them, and a
payment or hours beyond what the item asks for are refused. An item that is paid in full
or whose hours are all verified is completed by itself.

An item not kept leads to a reminder, then a review meeting, then — only after the
review — a referral back to the programme or the referrer, with a reason. Nothing here
records, suggests or passes on anything harsher.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.agreements.models import (
    AgreementItem,
    ComplianceStep,
    ComplianceStepKind,
    ItemKind,
    ItemStatus,
    Payment,
    PaymentReceiver,
    ReferredTo,
    WorkLog,
)
from amends.agreements.permissions import agreement_policy
from amends.agreements.selectors import hours_logged, total_paid
from amends.agreements.services.common import (
    MONITORING_STAGES,
    date_problems,
    lock_case,
    reason_problems,
    require_in_force,
    require_live,
    require_stage,
    reread_item,
)
from amends.agreements.services.tasks import complete_item_tasks
from amends.agreements.terms import (
    MAX_AMOUNT,
    MAX_HOURS_PER_DAY,
    TEXT_MAX_LENGTH,
    decimal_problems,
)
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.errors import ApplicationError, ConflictError

# Statuses a person may set; "varied" and "not completed" have their own services.
SETTABLE_STATUSES = frozenset({ItemStatus.IN_PROGRESS, ItemStatus.COMPLETED, ItemStatus.WAIVED})


def _require_kind(item: AgreementItem, kind: ItemKind, not_done: str) -> None:
    if item.kind != kind:
        raise ApplicationError(
            not_done,
            reasons=[_("This is not a %(kind)s item.") % {"kind": str(kind.label).lower()}],
        )


def _set_status(
    item: AgreementItem, status: ItemStatus, *, on: datetime.date | None = None, reason: str = ""
) -> None:
    item.status = status
    item.completed_on = on if status == ItemStatus.COMPLETED else item.completed_on
    item.status_reason = reason.strip() or item.status_reason
    item.save(update_fields=["status", "completed_on", "status_reason", "updated_at"])


def payment_record(
    *,
    actor: User,
    item: AgreementItem,
    paid_on: datetime.date | None,
    amount: Decimal | None,
    reference: str = "",
    received_by: str = PaymentReceiver.PROGRAMME,
) -> Payment:
    """Record a payment of restitution on an item in force. The amount is more than zero,
    in the item's currency, and may not take the total paid beyond the amount owed; the
    date is not in the future nor before the agreement or the meeting it came from. The
    first payment puts the item in progress; the one that pays it in full completes it.

    Raises PermissionRefused, ConflictError for an item no longer running,
    ApplicationError with every reason otherwise; nothing is written.
    """
    if amount is not None and not isinstance(amount, Decimal):
        raise TypeError("amount must be a Decimal")
    not_done = _("The payment was not recorded.")
    with transaction.atomic():
        case = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "work", case)
        require_stage(case, MONITORING_STAGES, not_done)
        fresh = reread_item(item)
        _require_kind(fresh, ItemKind.RESTITUTION, not_done)
        require_live(fresh, not_done)
        require_in_force(fresh, not_done)
        reasons = [
            *decimal_problems(amount, label=_("amount"), maximum=MAX_AMOUNT),
            *date_problems(
                paid_on, case=case, made_on=fresh.agreement.made_on, what=_("it was paid")
            ),
        ]
        if received_by not in PaymentReceiver.values:
            reasons.append(_("Choose who received the payment."))
        if len(reference.strip()) > TEXT_MAX_LENGTH:
            reasons.append(_("The reference must be at most 200 characters."))
        paid = total_paid(fresh)
        owed = fresh.amount or Decimal(0)
        if amount is not None and not reasons and paid + amount > owed:
            reasons.append(
                _(
                    "This payment would take the total paid to %(total)s %(currency)s, more "
                    "than the %(owed)s %(currency)s owed. Still owed: %(left)s %(currency)s."
                )
                % {
                    "total": paid + amount,
                    "owed": owed,
                    "left": owed - paid,
                    "currency": fresh.currency,
                }
            )
        if reasons or amount is None or paid_on is None:
            raise ApplicationError(not_done, reasons=reasons)
        payment = Payment.objects.create(
            item=fresh,
            paid_on=paid_on,
            amount=amount,
            reference=reference.strip(),
            received_by=received_by,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_PAYMENT_RECORDED,
            target=payment,
            programme=case.programme,
            data={
                "case": case.pk,
                "item": fresh.pk,
                "amount": str(amount),
                "currency": fresh.currency,
                "paid_on": paid_on.isoformat(),
                "total_paid": str(paid + amount),
            },
        )
        if paid + amount == owed:
            _complete(fresh, actor=actor, on=paid_on, automatic=True)
        elif fresh.status == ItemStatus.PENDING:
            _set_status(fresh, ItemStatus.IN_PROGRESS)
    return payment


def work_hours_log(
    *,
    actor: User,
    item: AgreementItem,
    worked_on: datetime.date | None,
    hours: Decimal | None,
    placement: str = "",
) -> WorkLog:
    """Record hours of work done on a day, on a work item in force: more than zero, at
    most 24, never beyond the hours planned in total; the date as for payments. The
    hours count once someone working on the case verifies them.

    Raises PermissionRefused, ConflictError for an item no longer running,
    ApplicationError with every reason otherwise; nothing is written.
    """
    if hours is not None and not isinstance(hours, Decimal):
        raise TypeError("hours must be a Decimal")
    not_done = _("The hours were not recorded.")
    with transaction.atomic():
        case = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "work", case)
        require_stage(case, MONITORING_STAGES, not_done)
        fresh = reread_item(item)
        _require_kind(fresh, ItemKind.WORK, not_done)
        require_live(fresh, not_done)
        require_in_force(fresh, not_done)
        reasons = [
            *decimal_problems(hours, label=_("hours"), maximum=MAX_HOURS_PER_DAY),
            *date_problems(
                worked_on, case=case, made_on=fresh.agreement.made_on, what=_("of the work")
            ),
        ]
        if len(placement.strip()) > TEXT_MAX_LENGTH:
            reasons.append(_("The placement must be at most 200 characters."))
        logged, planned = hours_logged(fresh), fresh.hours_planned or Decimal(0)
        if hours is not None and not reasons and logged + hours > planned:
            reasons.append(
                _(
                    "These hours would take the total to %(total)s, more than the %(planned)s "
                    "hours planned. Hours left: %(left)s."
                )
                % {"total": logged + hours, "planned": planned, "left": planned - logged}
            )
        if reasons or hours is None or worked_on is None:
            raise ApplicationError(not_done, reasons=reasons)
        log = WorkLog.objects.create(
            item=fresh,
            worked_on=worked_on,
            hours=hours,
            placement=" ".join(placement.split()) or fresh.placement,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_HOURS_LOGGED,
            target=log,
            programme=case.programme,
            data={
                "case": case.pk,
                "item": fresh.pk,
                "hours": str(hours),
                "worked_on": worked_on.isoformat(),
            },
        )
        if fresh.status == ItemStatus.PENDING:
            _set_status(fresh, ItemStatus.IN_PROGRESS)
    return log


def work_hours_verify(*, actor: User, log: WorkLog) -> WorkLog:
    """Verify recorded hours (who and when are kept). When the verified hours reach the
    hours planned, the item is completed. Verifying verified hours changes nothing.

    Raises PermissionRefused, or ConflictError when the item no longer runs.
    """
    with transaction.atomic():
        case = lock_case(log.item.agreement.case_id)
        agreement_policy.require(actor, "work", case)
        fresh = WorkLog.objects.select_related("item").get(pk=log.pk)
        if fresh.verified_at is not None:
            return fresh
        item = _current_version(fresh.item)
        require_live(item, _("The hours were not verified."))
        fresh.verified_by, fresh.verified_at = actor, timezone.now()
        fresh.save(update_fields=["verified_by", "verified_at", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_HOURS_VERIFIED,
            target=fresh,
            programme=case.programme,
            data={"case": case.pk, "item": item.pk, "hours": str(fresh.hours)},
        )
        if hours_logged(item, verified_only=True) >= (item.hours_planned or Decimal(0)):
            _complete(item, actor=actor, on=timezone.localdate(), automatic=True)
    return fresh


def _complete(
    item: AgreementItem, *, actor: User, on: datetime.date, automatic: bool, reason: str = ""
) -> None:
    old = item.status
    _set_status(item, ItemStatus.COMPLETED, on=on, reason=reason)
    complete_item_tasks(item, actor=actor)
    audit_record(
        actor=actor,
        action=Action.AGREEMENT_ITEM_STATUS_CHANGED,
        target=item,
        programme=item.agreement.case.programme_id,
        data={
            "case": item.agreement.case_id,
            "from": old,
            "to": ItemStatus.COMPLETED,
            "on": on.isoformat(),
            "automatic": automatic,
        },
    )


def agreement_item_set_status(
    *,
    actor: User,
    item: AgreementItem,
    status: str,
    on: datetime.date | None = None,
    reason: str = "",
) -> AgreementItem:
    """Mark an item still to be done as in progress, completed (on a date) or waived.

    Completing needs the item in force, restitution paid in full and work hours verified
    up to the hours planned. Waiving (the person harmed releases the person responsible
    from it, for example) is for a coordinator or supervisor, with a reason. Setting the
    status it already has changes nothing.

    Raises PermissionRefused, ConflictError for an item no longer running,
    ApplicationError with every reason otherwise; nothing is written.
    """
    not_done = _("The status was not changed.")
    with transaction.atomic():
        case = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "manage" if status == ItemStatus.WAIVED else "work", case)
        require_stage(case, MONITORING_STAGES, not_done)
        fresh = reread_item(item)
        if fresh.status == status:
            return fresh
        require_live(fresh, not_done)
        if status not in SETTABLE_STATUSES:
            raise ApplicationError(not_done, reasons=[_("Choose a status from the list.")])
        if status == ItemStatus.WAIVED:
            reasons = reason_problems(reason, missing=_("Say why the item is waived."))
            if reasons:
                raise ApplicationError(not_done, reasons=reasons)
        else:
            require_in_force(fresh, not_done)
        if status == ItemStatus.COMPLETED:
            done_on = _done_on(fresh, case=case, on=on, not_done=not_done)
            _complete(fresh, actor=actor, on=done_on, automatic=False, reason=reason)
            return fresh
        old = fresh.status
        _set_status(fresh, ItemStatus(status), reason=reason)
        if status == ItemStatus.WAIVED:
            complete_item_tasks(fresh, actor=actor)
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_ITEM_STATUS_CHANGED,
            target=fresh,
            programme=case.programme,
            data={"case": case.pk, "from": old, "to": status, "automatic": False},
        )
    return fresh


def _done_on(
    item: AgreementItem, *, case: Case, on: datetime.date | None, not_done: str
) -> datetime.date:
    """The completion date, once the item is really done (else every reason why not)."""
    reasons = date_problems(on, case=case, made_on=item.agreement.made_on, what=_("it was done"))
    if item.kind == ItemKind.RESTITUTION:
        left = (item.amount or Decimal(0)) - total_paid(item)
        if left > 0:
            reasons.append(
                _("%(left)s %(currency)s is still owed: record the payments first.")
                % {"left": left, "currency": item.currency}
            )
    if item.kind == ItemKind.WORK:
        verified = hours_logged(item, verified_only=True)
        if verified < (item.hours_planned or Decimal(0)):
            reasons.append(
                _("Only %(verified)s of the %(planned)s hours are verified.")
                % {"verified": verified, "planned": item.hours_planned}
            )
    if reasons or on is None:
        raise ApplicationError(not_done, reasons=reasons)
    return on


def _current_version(item: AgreementItem) -> AgreementItem:
    """The version of the item's line that is not varied (hours logged on an earlier
    version count for it)."""
    series = Q(pk=item.series_id) | Q(original_id=item.series_id)
    current = (
        AgreementItem.objects.select_related("agreement__case__programme", "owed_to")
        .filter(series)
        .exclude(status=ItemStatus.VARIED)
        .first()
    )
    return current or reread_item(item)


def agreement_item_refer_back(
    *, actor: User, item: AgreementItem, referred_to: str, reason: str
) -> ComplianceStep:
    """After a review meeting, refer an item that was not kept back to the programme or
    to the referrer, with a reason; the item is then "not completed". This is the last
    step there is: nothing harsher is ever recorded or recommended (UN Basic Principles
    17). A coordinator or supervisor decides.

    Raises PermissionRefused, ConflictError for an item no longer running or without a
    review yet, ApplicationError with every reason otherwise; nothing is written.
    """
    not_done = _("The item was not referred back.")
    with transaction.atomic():
        case = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "manage", case)
        fresh = reread_item(item)
        require_live(fresh, not_done)
        if not fresh.compliance_steps.filter(step=ComplianceStepKind.REVIEW).exists():
            raise ConflictError(
                not_done,
                reasons=[_("A review meeting comes first: the item has had no review yet.")],
            )
        reasons = reason_problems(reason, missing=_("Say why the item is referred back."))
        if referred_to not in ReferredTo.values:
            reasons.append(_("Choose where the item is referred back to."))
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        step = ComplianceStep.objects.create(
            item=fresh,
            step=ComplianceStepKind.REFERRED_BACK,
            taken_on=timezone.localdate(),
            taken_by=actor,
            referred_to=referred_to,
            reason=reason.strip(),
        )
        _set_status(fresh, ItemStatus.NOT_COMPLETED, reason=reason)
        complete_item_tasks(fresh, actor=actor)
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_ITEM_REFERRED_BACK,
            target=fresh,
            programme=case.programme,
            data={"case": case.pk, "referred_to": referred_to, "step": step.pk},
        )
    return step
