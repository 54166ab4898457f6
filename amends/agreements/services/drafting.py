"""Drafting agreements (G11): the agreement, its items, variations and a supervisor's
confirmation of an item out of proportion.

Each service: lock the case row, re-read, check permission, stage and terms, write,
audit in the same transaction. A refusal lists every reason and changes nothing.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import membership_list_for_programme
from amends.agreements import rules
from amends.agreements.models import Agreement, AgreementItem, ItemKind, ItemStatus
from amends.agreements.permissions import agreement_policy
from amends.agreements.selectors import earliest_agreement_date, hours_logged, total_paid
from amends.agreements.services.common import (
    DRAFTING_STAGES,
    MONITORING_STAGES,
    lock_case,
    reason_problems,
    require_live,
    require_stage,
    reread_item,
)
from amends.agreements.services.tasks import complete_item_tasks
from amends.agreements.terms import ItemTerms, terms_problems
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.workdays import add_working_days
from amends.programmes.selectors import settings_for
from amends.tasks.models import TaskKind
from amends.tasks.services import task_create

CONFIRMATION_WORKING_DAYS = 2


def agreement_create(
    *, actor: User, case: Case, responsible: Participant, made_on: datetime.date | None
) -> Agreement:
    """Start the agreement of a person responsible in the case, made on `made_on`: not in
    the future and never before the joint meeting (or process) it came from. One
    agreement per person responsible; items are added to it afterwards.

    Raises PermissionRefused, ConflictError when they already have one, ApplicationError
    with every reason otherwise; nothing is written.
    """
    not_done = _("The agreement was not started.")
    with transaction.atomic():
        locked = lock_case(case.pk)
        agreement_policy.require(actor, "work", locked)
        require_stage(locked, DRAFTING_STAGES, not_done)
        reasons = []
        if responsible.case_id != locked.pk or responsible.role != ParticipantRole.RESPONSIBLE:
            reasons.append(_("Choose a person responsible in this case."))
        reasons.extend(_made_on_problems(locked, made_on))
        if reasons or made_on is None:
            raise ApplicationError(not_done, reasons=reasons)
        if Agreement.objects.filter(case=locked, responsible=responsible).exists():
            raise ConflictError(not_done, reasons=[_("This person already has an agreement.")])
        agreement = Agreement.objects.create(
            case=locked, responsible=responsible, made_on=made_on, created_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_CREATED,
            target=agreement,
            programme=locked.programme,
            data={"case": locked.pk, "responsible": responsible.pk, "made_on": made_on.isoformat()},
        )
    return agreement


def _made_on_problems(case: Case, made_on: datetime.date | None) -> list[str]:
    if made_on is None:
        return [_("Give the date the agreement was made.")]
    if made_on > timezone.localdate():
        return [_("The agreement cannot be dated in the future.")]
    earliest = earliest_agreement_date(case)
    if earliest is not None and made_on < earliest:
        return [
            _("The agreement cannot be dated before the process it came from (%(date)s).")
            % {"date": earliest.isoformat()}
        ]
    return []


def _case_problems(case: Case, terms: ItemTerms) -> list[str]:
    owed_to = terms.owed_to
    if owed_to is not None and (
        owed_to.case_id != case.pk or owed_to.role != ParticipantRole.HARMED
    ):
        return [_("The item can be owed only to a person harmed in this case.")]
    if terms.catalogue_item is not None and terms.catalogue_item.programme_id != case.programme_id:
        return [_("Choose an item from the programme's list.")]
    return []


def _flags(case: Case, terms: ItemTerms) -> list[str]:
    return rules.proportion_flags(
        kind=terms.kind,
        amount=terms.amount,
        documented_loss=terms.documented_loss,
        hours_planned=terms.hours_planned,
        max_work_hours=settings_for(case.programme).max_work_hours,
    )


def _item_from(terms: ItemTerms, **extra: Any) -> AgreementItem:
    if terms.due_on is None:
        raise ValueError("terms_problems refuses a missing due date before an item is built")
    return AgreementItem(
        kind=terms.kind,
        catalogue_item=terms.catalogue_item,
        apology_form=terms.apology_form,
        owed_to=terms.owed_to,
        terms=terms.terms,
        due_on=terms.due_on,
        amount=terms.amount,
        documented_loss=terms.documented_loss,
        currency=terms.currency,
        schedule=terms.schedule,
        hours_planned=terms.hours_planned,
        placement=terms.placement,
        **extra,
    )


def _audit_terms(item: AgreementItem) -> dict[str, Any]:
    # Amounts and hours, never the terms' words (they may name people).
    return {
        "case": item.agreement.case_id,
        "agreement": item.agreement_id,
        "kind": item.kind,
        "version": item.version,
        "owed_to": item.owed_to_id,
        "due_on": item.due_on.isoformat(),
        "amount": str(item.amount) if item.amount is not None else None,
        "documented_loss": str(item.documented_loss) if item.documented_loss is not None else None,
        "currency": item.currency,
        "hours_planned": str(item.hours_planned) if item.hours_planned is not None else None,
        "flags": list(item.flags),
    }


def agreement_item_add(*, actor: User, agreement: Agreement, terms: ItemTerms) -> AgreementItem:
    """Add an item to an agreement. Restitution needs the amount, the documented loss and
    the currency, and is owed to a person harmed; work needs the hours planned; an
    apology names its form and the person harmed; another item comes from the
    programme's list. Restitution above the documented loss or work above the
    programme's limit is flagged and waits for a supervisor's confirmation (a task goes
    to each supervisor who does not facilitate the case). Every bound party must then
    consent to the item before it is in force (G11).

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    terms = terms.normalised()
    not_done = _("The item was not added.")
    with transaction.atomic():
        locked = lock_case(agreement.case_id)
        agreement_policy.require(actor, "work", locked)
        require_stage(locked, DRAFTING_STAGES, not_done)
        agreement = Agreement.objects.get(pk=agreement.pk)
        reasons = terms_problems(terms, made_on=agreement.made_on) + _case_problems(locked, terms)
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        item = _item_from(terms, agreement=agreement, flags=_flags(locked, terms), created_by=actor)
        item.save()
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_ITEM_ADDED,
            target=item,
            programme=locked.programme,
            data=_audit_terms(item),
        )
        _ask_for_confirmation(locked, item)
    return item


def agreement_item_vary(
    *, actor: User, item: AgreementItem, terms: ItemTerms, reason: str
) -> AgreementItem:
    """Vary an item still to be done: a new version with the new terms replaces it, linked
    to it, with the reason and who varied it; the old version is kept, marked "varied".
    Payments and hours already recorded count for the new version, so restitution cannot
    drop below what was paid nor work below the hours logged. The new version needs the
    consent of every bound party again, and a supervisor's confirmation when flagged.

    Raises PermissionRefused, ConflictError for an item no longer running,
    ApplicationError with every reason otherwise; nothing is written.
    """
    terms = terms.normalised()
    not_done = _("The item was not varied.")
    with transaction.atomic():
        locked = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "work", locked)
        require_stage(locked, MONITORING_STAGES, not_done)
        old = reread_item(item)
        require_live(old, not_done)
        reasons = [
            *reason_problems(reason, missing=_("Say why the item is varied.")),
            *terms_problems(terms, made_on=old.agreement.made_on),
            *_case_problems(locked, terms),
            *_variation_problems(old, terms),
        ]
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        new = _item_from(
            terms,
            agreement=old.agreement,
            flags=_flags(locked, terms),
            status=old.status,
            version=old.version + 1,
            previous=old,
            original_id=old.series_id,
            variation_reason=reason.strip(),
            created_by=actor,
        )
        old.status = ItemStatus.VARIED
        old.save(update_fields=["status", "updated_at"])
        new.save()
        complete_item_tasks(old, actor=actor)
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_ITEM_VARIED,
            target=new,
            programme=locked.programme,
            data={**_audit_terms(new), "previous": old.pk},
        )
        _ask_for_confirmation(locked, new)
    return new


def _variation_problems(old: AgreementItem, terms: ItemTerms) -> list[str]:
    if terms.kind != old.kind:
        return [_("A variation keeps the kind of item; add a new item for something else.")]
    reasons = []
    if old.kind == ItemKind.RESTITUTION and terms.amount is not None:
        paid = total_paid(old)
        if terms.amount < paid:
            reasons.append(
                _("The new amount is less than what has already been paid (%(paid)s %(cur)s).")
                % {"paid": paid, "cur": old.currency}
            )
        if terms.currency != old.currency and paid:
            reasons.append(_("The currency cannot change once payments were made."))
    if old.kind == ItemKind.WORK and terms.hours_planned is not None:
        logged = hours_logged(old)
        if terms.hours_planned < logged:
            reasons.append(
                _("The new hours are fewer than the hours already recorded (%(hours)s).")
                % {"hours": logged}
            )
    return reasons


def _ask_for_confirmation(case: Case, item: AgreementItem) -> None:
    """A task for each supervisor of the programme who does not facilitate the case; the
    coordinator is told when there is none."""
    if not item.flags:
        return
    assigned = set(case.assignments.values_list("facilitator_id", flat=True))
    supervisors = [
        membership.user
        for membership in membership_list_for_programme(case.programme_id)
        if membership.role == Role.SUPERVISOR
        and membership.user.is_active
        and membership.user_id not in assigned
    ]
    due = add_working_days(timezone.localdate(), CONFIRMATION_WORKING_DAYS)
    title = _("Confirm or question a flagged agreement item in case %(reference)s") % {
        "reference": case.reference
    }
    assignees: list[User | None] = [*supervisors] or [None]
    for supervisor in assignees:
        who = supervisor.pk if supervisor is not None else "coordinator"
        task_create(
            actor=None,
            programme=case.programme,
            title=title,
            due_on=due,
            kind=TaskKind.AGREEMENT_CONFIRMATION,
            case=case,
            assignee=supervisor,
            key=f"agreement-item:{item.pk}:confirm:{who}",
        )


def agreement_item_confirm(*, actor: User, item: AgreementItem, reason: str) -> AgreementItem:
    """A supervisor of the programme who does not facilitate the case confirms a flagged
    item, saying why the terms are fair despite the flag (G11). Confirming a confirmed
    item changes nothing.

    Raises PermissionRefused (not a supervisor, or an assigned facilitator),
    ConflictError for an item not flagged or no longer running, ApplicationError for a
    missing reason; nothing is written.
    """
    not_done = _("The item was not confirmed.")
    with transaction.atomic():
        locked = lock_case(item.agreement.case_id)
        agreement_policy.require(actor, "confirm", locked)
        if locked.assignments.filter(facilitator=actor).exists():
            raise PermissionRefused(
                not_done,
                reasons=[_("You facilitate this case: a supervisor who does not must confirm it.")],
            )
        fresh = reread_item(item)
        if fresh.confirmed_at is not None:
            return fresh
        require_live(fresh, not_done)
        if not fresh.flags:
            raise ConflictError(not_done, reasons=[_("This item needs no confirmation.")])
        reasons = reason_problems(reason, missing=_("Say why the terms are fair."))
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        fresh.confirmed_by, fresh.confirmed_at = actor, timezone.now()
        fresh.confirmation_reason = reason.strip()
        fresh.save(
            update_fields=["confirmed_by", "confirmed_at", "confirmation_reason", "updated_at"]
        )
        complete_item_tasks(fresh, actor=actor, steps=("confirm",))
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_ITEM_CONFIRMED,
            target=fresh,
            programme=locked.programme,
            data={"case": locked.pk, "flags": list(fresh.flags)},
        )
    return fresh
