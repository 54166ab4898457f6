"""Writing items down, changing them and sending them for review."""

from __future__ import annotations

import pytest
from django.db import connection

from amends.audit.models import AuditEvent
from amends.cases.tests.builders import drive_to_ready
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.exchanges import files
from amends.exchanges.models import ExchangeItem, FlagStatus, ItemStatus
from amends.exchanges.services import exchange_item_submit, exchange_item_update
from amends.exchanges.tests.helpers import (
    LETTER,
    LETTER_WITH_WHEREABOUTS,
    PDF,
    approved,
    harmed,
    pdf_upload,
    relayed,
    responsible,
    submitted,
    write,
)
from amends.tasks.models import Task, TaskKind


def test_an_item_is_saved_as_a_draft_with_its_text_encrypted(cast, case):
    item = write(cast, case)
    assert item.status == ItemStatus.DRAFT
    assert ExchangeItem.objects.get(pk=item.pk).text == LETTER
    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM exchanges_exchangeitem WHERE id = %s", [item.pk])
        (stored,) = cursor.fetchone()
    assert "changed things" not in stored
    event = AuditEvent.objects.filter(action="exchange.item_created").get()
    assert event.data["author"] == harmed(case).pk
    assert "changed things" not in str(event.data)


def test_an_attached_file_is_stored_encrypted_under_a_random_name(cast, case):
    item = write(cast, case, text="", attachment=pdf_upload())
    item.refresh_from_db()
    assert item.attachment_format == "pdf"
    assert "Hana" not in str(item.attachment.name)
    with item.attachment.open("rb") as stored:
        assert b"%PDF" not in stored.read()
    assert files.decrypted_bytes(item) == PDF


def test_an_attached_file_that_is_not_a_pdf_or_an_image_is_refused(cast, case):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        write(cast, case, attachment=pdf_upload("letter.pdf", b"MZ\x90\x00 not a pdf"))
    assert "PDF, a JPEG photo or a PNG image" in refusal.value.reasons[0]
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"text": "   "}, "Type the text or attach a file."),
        ({"kind": "postcard"}, "Choose what kind of item it is."),
        ({"text": "x" * 20_001}, "The text must be at most 20000 characters."),
    ],
)
def test_bad_content_is_refused_with_a_reason_and_changes_nothing(cast, case, overrides, reason):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        write(cast, case, **overrides)
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


def test_an_item_between_the_parties_goes_to_the_other_party(cast, case):
    with pytest.raises(ApplicationError) as refusal:
        write(cast, case, recipient=harmed(case))
    assert "Choose someone other than the author as the recipient." in refusal.value.reasons


def test_someone_from_another_case_cannot_be_the_recipient(cast, case):
    other = _another_case(cast)
    with pytest.raises(ApplicationError) as refusal:
        write(cast, case, recipient=responsible(other))
    assert refusal.value.reasons == ["Both people must be part of this case."]


def _another_case(cast):
    from amends.cases.tests.builders import build_case, make_person

    return build_case(
        cast.programme,
        coordinator=cast.coordinator,
        harmed=make_person("Ola", "Other", phone="+44 7700 900321"),
    )


def test_nothing_is_written_down_before_the_case_is_ready(cast):
    contact_stage = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        write(cast, contact_stage)
    assert "only when the case is ready" in refusal.value.reasons[0]
    assert domain_snapshot() == before


def test_nothing_is_written_down_when_the_process_is_a_direct_meeting(cast):
    case = drive_to_ready(
        cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type="conference",
    )
    with pytest.raises(ApplicationError) as refusal:
        write(cast, case)
    assert "not an indirect one" in refusal.value.reasons[0]


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "administrator"])
def test_only_people_working_on_the_case_write_items_down(cast, case, name):
    with pytest.raises(PermissionRefused):
        write(cast, case, actor=cast.users[name])


def test_sending_for_review_flags_whereabouts_and_gives_the_facilitator_a_task(cast, case):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    assert item.status == ItemStatus.SUBMITTED
    flags = {(flag.kind, flag.matched, flag.is_blocking) for flag in item.flags.all()}
    assert flags == {
        ("address", "12 Larch Street", True),
        ("postcode", "NT1 2AB", True),
        ("phone", "07700 900123", True),
        ("phone", "0113 496 0000", False),
    }
    task = Task.objects.get(kind=TaskKind.EXCHANGE_REVIEW)
    assert task.assignee == cast.facilitator
    assert task.key == f"exchange:{item.pk}:review:1"
    assert task.done_at is None


def test_an_attached_file_gets_a_flag_to_be_checked_by_eye(cast, case):
    item = submitted(cast, case, text="", attachment=pdf_upload())
    assert [flag.kind for flag in item.flags.all()] == ["attachment"]


def test_sending_twice_makes_one_task(cast, case):
    item = submitted(cast, case)
    exchange_item_submit(actor=cast.coordinator, item=item)
    assert Task.objects.filter(kind=TaskKind.EXCHANGE_REVIEW).count() == 1


def test_a_change_after_approval_needs_a_new_review(cast, case):
    item = approved(cast, case)
    item = exchange_item_update(actor=cast.coordinator, item=item, kind="letter", text="Dear Ray.")
    assert (item.status, item.revision) == (ItemStatus.DRAFT, 2)
    item = exchange_item_submit(actor=cast.coordinator, item=item)
    assert Task.objects.filter(key=f"exchange:{item.pk}:review:2", done_at__isnull=True).exists()


def test_a_change_while_waiting_for_review_closes_the_old_task_and_its_flags(cast, case):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    exchange_item_update(actor=cast.coordinator, item=item, kind="letter", text="Dear Ray.")
    assert Task.objects.get(key=f"exchange:{item.pk}:review:1").done_at is not None
    assert not item.flags.filter(status=FlagStatus.OPEN).exists()


def test_a_change_that_changes_nothing_keeps_the_review(cast, case):
    item = approved(cast, case)
    again = exchange_item_update(actor=cast.coordinator, item=item, kind="letter", text=LETTER)
    assert (again.status, again.revision) == (ItemStatus.APPROVED, 1)


def test_an_item_passed_on_can_no_longer_change(cast, case):
    item = relayed(cast, approved(cast, case))
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        exchange_item_update(actor=cast.coordinator, item=item, kind="letter", text="Other")
    assert refusal.value.reasons == ["It has been passed on already and cannot change."]
    assert domain_snapshot() == before


def test_a_new_file_replaces_the_old_one_and_the_old_one_is_deleted(cast, case):
    from django.core.files.storage import default_storage
    from django.test import TestCase

    item = write(cast, case, attachment=pdf_upload())
    old_name = str(item.attachment.name)
    with TestCase.captureOnCommitCallbacks(execute=True):
        item = exchange_item_update(
            actor=cast.coordinator,
            item=item,
            kind="letter",
            text=LETTER,
            attachment=pdf_upload(content=PDF + b"%second"),
        )
    assert files.decrypted_bytes(item) == PDF + b"%second"
    assert not default_storage.exists(old_name)
