"""Writing items down, changing them, and sending them for review."""

from __future__ import annotations

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.core.errors import ApplicationError
from amends.core.workdays import add_working_days
from amends.crypto.blind_index import phone_region
from amends.exchanges import files, rules, selectors
from amends.exchanges.models import (
    EDITABLE_STATUSES,
    ExchangeItem,
    FlagKind,
    FlagStatus,
    ItemKind,
    ItemStatus,
    WhereaboutsFlag,
)
from amends.exchanges.permissions import exchange_case_policy, exchange_item_policy
from amends.exchanges.services._common import (
    REVIEW_WORKING_DAYS,
    lock_case,
    lock_item,
    require_exchange_stage,
    require_open,
    review_task_key,
)
from amends.exchanges.whereabouts import find_whereabouts
from amends.tasks.models import TaskKind
from amends.tasks.services import task_create, tasks_complete_by_key


def _clean(text: str) -> str:
    # Line breaks inside a letter are the author's; only the ends are tidied.
    return text.strip()


def _upload_problems(attachment: File[bytes] | None) -> list[str]:
    return [] if attachment is None else rules.file_problems(attachment, attachment.size)


def exchange_item_create(
    *,
    actor: User,
    case: Case,
    author: Participant,
    recipient: Participant,
    kind: str,
    text: str = "",
    attachment: File[bytes] | None = None,
) -> ExchangeItem:
    """Write down a letter, message or transcript one participant wrote for another, as a
    draft (the text encrypted; an attached PDF, JPEG or PNG stored encrypted).

    Only the people working on the case enter items, and only while the case is ready
    for an indirect process or in it. Raises PermissionRefused or ApplicationError with
    every reason; nothing is written.
    """
    text = _clean(text)
    stored: FieldFile | None = None
    try:
        with transaction.atomic():
            locked = lock_case(case.pk)
            exchange_case_policy.require(actor, "work", locked)
            message = _("The item was not saved.")
            require_exchange_stage(locked, message)
            reasons = [
                *rules.pair_problems(
                    author_role=author.role,
                    recipient_role=recipient.role,
                    same_person=author.person_id == recipient.person_id,
                    same_case=author.case_id == locked.pk and recipient.case_id == locked.pk,
                ),
                *rules.content_problems(kind, text, attachment is not None, ItemKind.values),
                *_upload_problems(attachment),
            ]
            if reasons:
                raise ApplicationError(message, reasons=reasons)
            item = ExchangeItem(
                case=locked,
                author=author,
                recipient=recipient,
                kind=kind,
                text=text,
                entered_by=actor,
                revised_by=actor,
            )
            if attachment is not None:
                item.attachment_format = rules.file_format(attachment) or ""
                files.store_encrypted(item.attachment, attachment)
                stored = item.attachment
            item.save()
            audit_record(
                actor=actor,
                action=Action.EXCHANGE_ITEM_CREATED,
                target=item,
                programme=locked.programme,
                data={
                    "case": locked.pk,
                    "author": author.pk,
                    "recipient": recipient.pk,
                    "kind": kind,
                    "has_text": bool(text),
                    "has_file": attachment is not None,
                },
            )
    except BaseException:
        # The file is stored before the row; a rollback must not leave it behind.
        if stored is not None and stored.name:
            stored.storage.delete(stored.name)
        raise
    return item


def exchange_item_update(
    *,
    actor: User,
    item: ExchangeItem,
    kind: str,
    text: str,
    attachment: File[bytes] | None = None,
    remove_attachment: bool = False,
) -> ExchangeItem:
    """Change an item that has not been passed on yet. Any change starts a new revision
    and puts the item back to draft: whatever was reviewed before is no longer what it
    says, so it must be sent for review again (an open review task is closed). Does
    nothing when nothing changes. A new file replaces the old one.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    text = _clean(text)
    stored: FieldFile | None = None
    old_name = ""
    try:
        with transaction.atomic():
            case, locked = lock_item(item)
            exchange_item_policy.require(actor, "edit", locked)
            message = _("The item was not changed.")
            require_open(case, message)
            if locked.status not in EDITABLE_STATUSES:
                raise ApplicationError(
                    message, reasons=[_("It has been passed on already and cannot change.")]
                )
            drops_file = remove_attachment and attachment is None and bool(locked.attachment)
            changed = [
                name
                for name, differs in (
                    ("kind", kind != locked.kind),
                    ("text", text != locked.text),
                    ("attachment", attachment is not None or drops_file),
                )
                if differs
            ]
            if not changed:
                return locked
            has_file = attachment is not None or (bool(locked.attachment) and not drops_file)
            reasons = [
                *rules.content_problems(kind, text, has_file, ItemKind.values),
                *_upload_problems(attachment),
            ]
            if reasons:
                raise ApplicationError(message, reasons=reasons)
            old_status, old_revision = locked.status, locked.revision
            if locked.status == ItemStatus.SUBMITTED:
                tasks_complete_by_key(actor=actor, key=review_task_key(locked))
            _supersede_open_flags(locked)
            if attachment is not None or drops_file:
                old_name = locked.attachment.name or ""
                locked.attachment = None
                locked.attachment_format = ""
            if attachment is not None:
                locked.attachment_format = rules.file_format(attachment) or ""
                files.store_encrypted(locked.attachment, attachment)
                stored = locked.attachment
            locked.kind, locked.text = kind, text
            locked.status, locked.redacted_text = ItemStatus.DRAFT, ""
            locked.revision += 1
            locked.revised_by = actor
            locked.save(
                update_fields=[
                    "kind",
                    "text",
                    "attachment",
                    "attachment_format",
                    "status",
                    "redacted_text",
                    "revision",
                    "revised_by",
                    "updated_at",
                ]
            )
            audit_record(
                actor=actor,
                action=Action.EXCHANGE_ITEM_EDITED,
                target=locked,
                programme=case.programme,
                data={
                    "case": case.pk,
                    "fields": changed,
                    "old_status": old_status,
                    "old_revision": old_revision,
                    "revision": locked.revision,
                },
            )
            if old_name:
                storage = locked.attachment.storage
                transaction.on_commit(lambda: storage.delete(old_name))
    except BaseException:
        if stored is not None and stored.name:
            stored.storage.delete(stored.name)
        raise
    return locked


def _supersede_open_flags(item: ExchangeItem) -> None:
    WhereaboutsFlag.objects.filter(item=item, status=FlagStatus.OPEN).update(
        status=FlagStatus.SUPERSEDED
    )


def exchange_item_submit(*, actor: User, item: ExchangeItem) -> ExchangeItem:
    """Send a draft (or an item returned with comments) for a facilitator's review.

    The text is checked for details of the author's whereabouts (their own stored
    address, postcode, phone numbers and e-mail addresses, and anything that looks like
    an address, a postcode, a phone number or an e-mail address); each finding becomes a
    flag for the reviewer, and an attached file gets a flag of its own to be checked by
    eye. A review task goes to an assigned facilitator other than the person who wrote
    this revision down (the only facilitator, when there is one). Sending an item that
    is already waiting changes nothing.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    with transaction.atomic():
        case, locked = lock_item(item)
        exchange_item_policy.require(actor, "submit", locked)
        if locked.status == ItemStatus.SUBMITTED:
            return locked
        message = _("The item was not sent for review.")
        if locked.status not in (ItemStatus.DRAFT, ItemStatus.RETURNED):
            raise ApplicationError(
                message,
                reasons=[_("It has been reviewed already; change it to have it reviewed again.")],
            )
        require_exchange_stage(case, message)
        reviewers = selectors.reviewers_for(case, locked.revised_by_id)
        reasons = []
        if not reviewers:
            reasons.append(_("No facilitator is assigned to the case to review it."))
        if selectors.outstanding_withdrawal(locked.author):
            reasons.append(_("The author has withdrawn their consent to take part."))
        if reasons:
            raise ApplicationError(message, reasons=reasons)
        flags = _flag(locked)
        locked.status = ItemStatus.SUBMITTED
        locked.save(update_fields=["status", "updated_at"])
        task_create(
            actor=actor,
            programme=case.programme,
            title=_("Review an item in case %(reference)s before it is passed on")
            % {"reference": case.reference},
            due_on=add_working_days(timezone.localdate(), REVIEW_WORKING_DAYS),
            kind=TaskKind.EXCHANGE_REVIEW,
            case=case,
            assignee=reviewers[0],
            key=review_task_key(locked),
        )
        audit_record(
            actor=actor,
            action=Action.EXCHANGE_ITEM_SUBMITTED,
            target=locked,
            programme=case.programme,
            data={
                "case": case.pk,
                "revision": locked.revision,
                "flags": len(flags),
                "blocking_flags": sum(flag.is_blocking for flag in flags),
            },
        )
    return locked


def _flag(item: ExchangeItem) -> list[WhereaboutsFlag]:
    """Check the current revision afresh: the author's details may have changed since
    an earlier check of the same text."""
    _supersede_open_flags(item)
    own = selectors.own_details_of(item.author)
    flags = [
        WhereaboutsFlag(
            item=item,
            revision=item.revision,
            kind=str(finding.kind),
            is_own_detail=finding.own,
            is_blocking=finding.blocking,
            matched=finding.text,
            start=finding.start,
            end=finding.end,
        )
        for finding in find_whereabouts(item.text, own, region=phone_region())
    ]
    if item.attachment:
        flags.append(WhereaboutsFlag(item=item, revision=item.revision, kind=FlagKind.ATTACHMENT))
    return WhereaboutsFlag.objects.bulk_create(flags)
