"""Reviewing an item, passing it on, and recording that it was read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.core.errors import ApplicationError, ConflictError
from amends.crypto.blind_index import phone_region
from amends.exchanges import rules, selectors
from amends.exchanges.models import (
    RELAYABLE_STATUSES,
    DeliveryMethod,
    ExchangeItem,
    ExchangeReview,
    FlagKind,
    FlagStatus,
    ItemStatus,
    ReviewDecision,
    WhereaboutsFlag,
)
from amends.exchanges.permissions import exchange_item_policy
from amends.exchanges.services._common import (
    lock_item,
    require_exchange_stage,
    require_open,
    review_task_key,
)
from amends.exchanges.whereabouts import find_whereabouts
from amends.people.models import ContactChannel
from amends.tasks.services import tasks_complete_by_key

_STATUS_AFTER = {
    ReviewDecision.APPROVE: ItemStatus.APPROVED,
    ReviewDecision.RETURN: ItemStatus.RETURNED,
    ReviewDecision.REDACT: ItemStatus.REDACTED,
}
# Passing an item on by post or e-mail uses one of the recipient's channels (G10).
_CHANNEL_FOR_METHOD = {
    DeliveryMethod.POST: ContactChannel.Kind.POST,
    DeliveryMethod.EMAIL: ContactChannel.Kind.EMAIL,
}


def _flag_label(flag: WhereaboutsFlag) -> str:
    if flag.kind == FlagKind.ATTACHMENT:
        return str(FlagKind.ATTACHMENT.label)
    return f"{flag.get_kind_display()} “{flag.matched}”"


def _reviewer_problems(case: Case, item: ExchangeItem, actor: User) -> list[str]:
    reviewers = selectors.reviewers_for(case, item.revised_by_id)
    if actor in reviewers:
        return []
    if actor.pk == item.revised_by_id:
        return [_("You wrote this version down; another facilitator on the case reviews it.")]
    return [_("Only a facilitator assigned to the case reviews items.")]


def _approval_problems(open_flags: list[WhereaboutsFlag], confirmed: set[int]) -> list[str]:
    reasons = [
        _("%(detail)s is the author's own detail: take it out by writing a version to pass on.")
        % {"detail": _flag_label(flag)}
        for flag in open_flags
        if flag.is_blocking
    ]
    reasons += [
        _("Confirm that you checked %(detail)s.") % {"detail": _flag_label(flag)}
        for flag in open_flags
        if not flag.is_blocking and flag.pk not in confirmed
    ]
    return reasons


def _redaction_problems(item: ExchangeItem, redacted_text: str) -> list[str]:
    if not redacted_text:
        return [_("Write the version to pass on, without the details taken out.")]
    if redacted_text == item.text:
        return [_("The version to pass on is the same as the original: take the details out.")]
    if len(redacted_text) > rules.TEXT_MAX_LENGTH:
        return [
            _("The version to pass on must be at most %(limit)d characters.")
            % {"limit": rules.TEXT_MAX_LENGTH}
        ]
    findings = find_whereabouts(
        redacted_text, selectors.own_details_of(item.author), region=phone_region()
    )
    return rules.own_detail_reasons(
        findings, _("The version to pass on still contains the author's own detail “%(detail)s”.")
    )


def exchange_item_review(
    *,
    actor: User,
    item: ExchangeItem,
    revision: int,
    decision: str,
    note: str = "",
    redacted_text: str = "",
    confirmed_flags: Iterable[int] = (),
) -> ExchangeItem:
    """A facilitator's review of the revision they read (`revision`): approve it, return
    it with comments, or write a version to pass on without the details taken out (the
    original stays, seen only by the people working on the case; an attached file is
    withheld with it).

    Only an assigned facilitator reviews, and not the person who wrote the revision down
    unless they are the only facilitator on the case. Approving needs each open flag
    confirmed as checked; the author's own address or contact details can only be taken
    out, never confirmed (G10). The review task of the revision is completed.

    Raises ConflictError when the item changed since it was read, PermissionRefused or
    ApplicationError with every reason; nothing is written.
    """
    note, redacted_text = note.strip(), redacted_text.strip()
    with transaction.atomic():
        case, locked = lock_item(item)
        exchange_item_policy.require(actor, "review", locked)
        message = _("The review was not recorded.")
        if locked.revision != revision or locked.status != ItemStatus.SUBMITTED:
            raise ConflictError(
                message,
                reasons=[_("The item changed after you opened it: read it again first.")],
            )
        require_exchange_stage(case, message)
        reasons = _reviewer_problems(case, locked, actor)
        if decision not in ReviewDecision.values:
            reasons.append(_("Choose what to do with the item."))
        if len(note) > rules.NOTE_MAX_LENGTH:
            reasons.append(
                _("The comments must be at most %(limit)d characters.")
                % {"limit": rules.NOTE_MAX_LENGTH}
            )
        open_flags = list(selectors.current_flags(locked).filter(status=FlagStatus.OPEN))
        if decision == ReviewDecision.APPROVE:
            reasons += _approval_problems(open_flags, set(confirmed_flags))
        elif decision == ReviewDecision.RETURN and not note:
            reasons.append(_("Say what needs changing before it can be passed on."))
        elif decision == ReviewDecision.REDACT:
            reasons += _redaction_problems(locked, redacted_text)
        if reasons:
            raise ApplicationError(message, reasons=reasons)
        _resolve_flags(open_flags, decision, actor)
        locked.status = _STATUS_AFTER[ReviewDecision(decision)]
        locked.redacted_text = redacted_text if decision == ReviewDecision.REDACT else ""
        locked.save(update_fields=["status", "redacted_text", "updated_at"])
        review = ExchangeReview.objects.create(
            item=locked,
            revision=locked.revision,
            decision=decision,
            note=note,
            reviewed_by=actor,
            own_entry=actor.pk == locked.revised_by_id,
        )
        tasks_complete_by_key(actor=actor, key=review_task_key(locked))
        audit_record(
            actor=actor,
            action=Action.EXCHANGE_ITEM_REVIEWED,
            target=locked,
            programme=case.programme,
            data={
                "case": case.pk,
                "revision": locked.revision,
                "decision": decision,
                "review": review.pk,
                "own_entry": review.own_entry,
                "flags_resolved": [flag.pk for flag in open_flags if decision != "return"],
            },
        )
    return locked


def _resolve_flags(flags: list[WhereaboutsFlag], decision: str, actor: User) -> None:
    if decision == ReviewDecision.RETURN:
        return  # they stay open for the next look
    status = FlagStatus.CONFIRMED if decision == ReviewDecision.APPROVE else FlagStatus.REDACTED
    now = timezone.now()
    for flag in flags:
        flag.status, flag.resolved_by, flag.resolved_at = status, actor, now
        flag.save(update_fields=["status", "resolved_by", "resolved_at"])


def _relay_problems(
    case: Case, item: ExchangeItem, method: str, relayed_on: datetime.date | None
) -> list[str]:
    reasons = []
    if method not in DeliveryMethod.values:
        reasons.append(_("Choose how it was passed on."))
    review = selectors.latest_review(item)
    reviewed_on = timezone.localtime(review.created_at).date() if review else None
    reasons += rules.date_problems(
        relayed_on,
        today=timezone.localdate(),
        not_before=reviewed_on,
        what=_("it was passed on"),
    )
    for who, participant in ((_("The author"), item.author), (_("The recipient"), item.recipient)):
        if selectors.outstanding_withdrawal(participant):
            reasons.append(_("%(who)s has withdrawn their consent to take part.") % {"who": who})
    kind = (
        _CHANNEL_FOR_METHOD.get(DeliveryMethod(method)) if method in DeliveryMethod.values else None
    )
    if kind is not None and not selectors.has_safe_channel(item.recipient, kind):
        reasons.append(
            _("The recipient has no %(channel)s marked safe to use: pass it on another way (G10).")
            % {"channel": ContactChannel.Kind(kind).label.lower()}
        )
    # The author's details may have been added since the review: check what is passed
    # on against them once more.
    findings = find_whereabouts(
        item.text_to_pass_on, selectors.own_details_of(item.author), region=phone_region()
    )
    reasons += rules.own_detail_reasons(
        findings,
        _("It contains the author's own detail “%(detail)s”: change it and have it reviewed."),
    )
    return reasons


def exchange_item_relay(
    *, actor: User, item: ExchangeItem, method: str, relayed_on: datetime.date | None
) -> ExchangeItem:
    """Record that an approved (or redacted) item was passed on to its recipient: how,
    on which day, by whom. Only while the case is ready for an indirect process or in
    it, nobody involved has withdrawn, by post or e-mail only to a channel marked safe,
    and never with the author's own details in what is passed on (G10).

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    with transaction.atomic():
        case, locked = lock_item(item)
        exchange_item_policy.require(actor, "relay", locked)
        message = _("The item was not recorded as passed on.")
        if locked.status not in RELAYABLE_STATUSES:
            raise ApplicationError(
                message, reasons=[_("Only an item approved in review can be passed on.")]
            )
        require_exchange_stage(case, message)
        reasons = _relay_problems(case, locked, method, relayed_on)
        if reasons:
            raise ApplicationError(message, reasons=reasons)
        locked.status = ItemStatus.RELAYED
        locked.relayed_on, locked.relay_method, locked.relayed_by = relayed_on, method, actor
        locked.save(
            update_fields=["status", "relayed_on", "relay_method", "relayed_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=Action.EXCHANGE_ITEM_RELAYED,
            target=locked,
            programme=case.programme,
            data={
                "case": case.pk,
                "revision": locked.revision,
                "method": method,
                "relayed_on": relayed_on.isoformat() if relayed_on else None,
                "redacted": locked.is_redacted,
                "with_file": locked.passes_on_attachment,
            },
        )
    return locked


def exchange_item_record_read(
    *, actor: User, item: ExchangeItem, read_on: datetime.date | None
) -> ExchangeItem:
    """Record that the recipient confirmed they read an item passed on to them. The
    people working on the case or the recipient's advocate record it. Recording it
    again changes nothing.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    with transaction.atomic():
        case, locked = lock_item(item)
        exchange_item_policy.require(actor, "record_read", locked)
        if locked.status == ItemStatus.READ:
            return locked
        message = _("Reading was not recorded.")
        require_open(case, message)
        if locked.status != ItemStatus.RELAYED:
            raise ApplicationError(message, reasons=[_("The item has not been passed on yet.")])
        reasons = rules.date_problems(
            read_on,
            today=timezone.localdate(),
            not_before=locked.relayed_on,
            what=_("it was read"),
        )
        if reasons:
            raise ApplicationError(message, reasons=reasons)
        locked.status, locked.read_on, locked.read_recorded_by = ItemStatus.READ, read_on, actor
        locked.save(update_fields=["status", "read_on", "read_recorded_by", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.EXCHANGE_ITEM_READ,
            target=locked,
            programme=case.programme,
            data={"case": case.pk, "read_on": read_on.isoformat() if read_on else None},
        )
    return locked
