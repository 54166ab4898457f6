"""Reviewing items, passing them on and recording that they were read (G10 on what the
other party gets)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.cases.services import case_assign_facilitator, case_pause
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.exchanges.models import ExchangeReview, FlagStatus, ItemStatus
from amends.exchanges.selectors import first_relayed_on
from amends.exchanges.services import (
    exchange_item_record_read,
    exchange_item_review,
    exchange_item_submit,
)
from amends.exchanges.tests.helpers import (
    LETTER,
    LETTER_WITH_WHEREABOUTS,
    approved,
    harmed,
    redacted,
    relayed,
    submitted,
    write,
)
from amends.people.services import contact_channel_add
from amends.tasks.models import Task, TaskKind
from conftest import make_user


def _review(cast, item, **values):
    values.setdefault("revision", item.revision)
    values.setdefault("decision", "approve")
    return exchange_item_review(actor=values.pop("actor", cast.facilitator), item=item, **values)


def _flag(item, kind, matched):
    (flag,) = [
        flag
        for flag in item.flags.filter(kind=kind, status=FlagStatus.OPEN)
        if flag.matched == matched
    ]
    return flag


@pytest.mark.gate("G10")
def test_the_authors_own_details_cannot_be_confirmed_only_taken_out(cast, case):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    every_flag = [flag.pk for flag in item.flags.all()]
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _review(cast, item, confirmed_flags=every_flag)
    assert "Phone number “07700 900123” is the author's own detail" in " ".join(
        refusal.value.reasons
    )
    assert domain_snapshot() == before


def test_approving_needs_each_generic_detail_confirmed(cast, case):
    item = submitted(cast, case, "Dear Ray, the helpline is 0113 496 0000. Hana")
    with pytest.raises(ApplicationError) as refusal:
        _review(cast, item)
    assert refusal.value.reasons == ["Confirm that you checked Phone number “0113 496 0000”."]
    item = _review(cast, item, confirmed_flags=[_flag(item, "phone", "0113 496 0000").pk])
    assert item.status == ItemStatus.APPROVED
    flag = item.flags.get()
    assert (flag.status, flag.resolved_by) == (FlagStatus.CONFIRMED, cast.facilitator)


def test_review_completes_the_review_task(cast, case):
    item = approved(cast, case)
    assert Task.objects.get(kind=TaskKind.EXCHANGE_REVIEW).done_at is not None
    assert ExchangeReview.objects.get(item=item).reviewed_by == cast.facilitator


@pytest.mark.gate("G10")
def test_a_redaction_keeps_the_original_and_passes_on_only_the_new_version(cast, case):
    item = redacted(cast, case)
    assert item.status == ItemStatus.REDACTED
    assert item.text == LETTER_WITH_WHEREABOUTS
    assert item.text_to_pass_on == "Dear Ray,\nI moved after that night.\nHana"
    assert set(item.flags.values_list("status", flat=True)) == {FlagStatus.REDACTED}


@pytest.mark.gate("G10")
def test_a_redaction_that_keeps_the_authors_details_is_refused(cast, case):
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _review(cast, item, decision="redact", redacted_text="Dear Ray, ring 07700 900 123.")
    assert refusal.value.reasons == [
        "The version to pass on still contains the author's own detail “07700 900 123”."
    ]
    assert domain_snapshot() == before


def test_returning_an_item_needs_comments(cast, case):
    item = submitted(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        _review(cast, item, decision="return")
    assert refusal.value.reasons == ["Say what needs changing before it can be passed on."]
    item = _review(cast, item, decision="return", note="Please leave out the street name.")
    assert item.status == ItemStatus.RETURNED
    item = exchange_item_submit(actor=cast.coordinator, item=item)
    assert item.status == ItemStatus.SUBMITTED


@pytest.mark.parametrize("name", ["coordinator", "supervisor", "advocate"])
def test_only_an_assigned_facilitator_reviews(cast, case, name):
    item = submitted(cast, case)
    with pytest.raises(PermissionRefused):
        _review(cast, item, actor=cast.users[name])


def _second_facilitator(cast, case):
    # The cast's supervisor is accredited (conftest) and may facilitate too.
    colleague = cast.supervisor
    Membership.objects.create(user=colleague, programme=cast.programme, role=Role.FACILITATOR)
    case_assign_facilitator(actor=cast.coordinator, case=case, facilitator=colleague)
    return colleague


def test_the_writer_does_not_review_their_own_version_when_a_colleague_can(cast, case):
    colleague = _second_facilitator(cast, case)
    item = submitted(cast, case, actor=cast.facilitator)
    assert Task.objects.get(kind=TaskKind.EXCHANGE_REVIEW).assignee == colleague
    with pytest.raises(ApplicationError) as refusal:
        _review(cast, item)
    assert refusal.value.reasons == [
        "You wrote this version down; another facilitator on the case reviews it."
    ]
    assert _review(cast, item, actor=colleague).status == ItemStatus.APPROVED


def test_the_only_facilitator_reviews_what_they_wrote_and_it_is_recorded(cast, case):
    item = submitted(cast, case, actor=cast.facilitator)
    item = _review(cast, item)
    assert ExchangeReview.objects.get(item=item).own_entry is True


def test_a_review_of_a_version_that_changed_since_is_refused(cast, case):
    item = submitted(cast, case)
    with pytest.raises(ConflictError):
        _review(cast, item, revision=item.revision + 1)


def test_only_an_approved_item_is_passed_on(cast, case):
    item = submitted(cast, case)
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        relayed(cast, item)
    assert refusal.value.reasons == ["Only an item approved in review can be passed on."]
    assert domain_snapshot() == before


def test_passing_on_records_how_when_and_by_whom(cast, case):
    day = timezone.localdate()
    item = relayed(cast, approved(cast, case), method="in_person", relayed_on=day)
    assert (item.status, item.relay_method, item.relayed_on, item.relayed_by) == (
        ItemStatus.RELAYED,
        "in_person",
        day,
        cast.facilitator,
    )
    assert first_relayed_on(case) == day


@pytest.mark.gate("G10")
def test_an_item_is_not_posted_to_a_recipient_without_a_safe_postal_address(cast, case):
    item = approved(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        relayed(cast, item, method="post")
    assert "no post marked safe to use" in refusal.value.reasons[0]


@pytest.mark.gate("G10")
def test_details_added_to_the_author_after_review_stop_the_item_being_passed_on(cast, case):
    item = approved(
        cast,
        case,
        "Dear Ray, I work at the bakery on 01632 960 555 now.",
    )
    contact_channel_add(
        actor=None, person=harmed(case).person, kind="phone", value="01632 960555", is_safe=True
    )
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        relayed(cast, item)
    assert "It contains the author's own detail “01632 960 555”" in refusal.value.reasons[0]
    assert domain_snapshot() == before


@pytest.mark.parametrize(
    ("days", "reason"),
    [
        (1, "The date it was passed on cannot be in the future."),
        (-30, "The date it was passed on cannot be before"),
    ],
)
def test_a_pass_on_date_outside_what_is_possible_is_refused(cast, case, days, reason):
    item = approved(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        relayed(cast, item, relayed_on=timezone.localdate() + datetime.timedelta(days=days))
    assert refusal.value.reasons[0].startswith(reason)


@pytest.mark.gate("G9")
def test_nothing_is_passed_on_while_the_case_is_paused(cast, case):
    item = approved(cast, case)
    case_pause(actor=cast.coordinator, case=case, reason="safety_concern", note="")
    with pytest.raises(ApplicationError) as refusal:
        relayed(cast, item)
    assert "only when the case is ready" in refusal.value.reasons[0]


def test_the_recipients_advocate_records_that_it_was_read(cast, case):
    from amends.cases.services import participant_set_advocate
    from amends.exchanges.tests.helpers import responsible

    other_advocate = make_user("other.advocate@example.org", "Other Advocate")
    Membership.objects.create(user=other_advocate, programme=cast.programme, role=Role.ADVOCATE)
    participant_set_advocate(actor=None, participant=responsible(case), advocate=other_advocate)
    item = relayed(cast, approved(cast, case))
    item = exchange_item_record_read(actor=other_advocate, item=item, read_on=timezone.localdate())
    assert (item.status, item.read_recorded_by) == (ItemStatus.READ, other_advocate)


def test_the_authors_advocate_does_not_record_reading(cast, case):
    item = relayed(cast, approved(cast, case))
    with pytest.raises(PermissionRefused):
        exchange_item_record_read(actor=cast.advocate, item=item, read_on=timezone.localdate())


def test_reading_is_not_recorded_before_it_is_passed_on_or_before_the_day_it_was(cast, case):
    item = approved(cast, case)
    with pytest.raises(ApplicationError) as refusal:
        exchange_item_record_read(actor=cast.facilitator, item=item, read_on=timezone.localdate())
    assert refusal.value.reasons == ["The item has not been passed on yet."]
    item = relayed(cast, item)
    with pytest.raises(ApplicationError) as refusal:
        exchange_item_record_read(
            actor=cast.facilitator,
            item=item,
            read_on=timezone.localdate() - datetime.timedelta(days=1),
        )
    assert refusal.value.reasons[0].startswith("The date it was read cannot be before")


def test_first_relayed_on_is_none_until_something_is_passed_on(cast, case):
    write(cast, case, LETTER)
    approved(cast, case)
    assert first_relayed_on(case) is None


def test_letters_go_on_being_passed_on_once_the_process_has_started(cast, case):
    from amends.cases.tests.builders import move

    item = approved(cast, case)
    case = move(case, "process", cast.coordinator)
    assert relayed(cast, item).status == ItemStatus.RELAYED
    assert write(cast, case).status == ItemStatus.DRAFT


@pytest.mark.parametrize("stage", ["preparation", "agreement", "follow_up", "paused", "closed"])
def test_no_exchange_outside_ready_and_process(stage):
    from amends.exchanges.rules import stage_problems

    assert stage_problems(stage, "letters", ["direct"])
    assert stage_problems("process", "letters", ["direct"]) == []


def test_an_assessment_permitting_only_indirect_forms_allows_an_exchange():
    from amends.exchanges.rules import stage_problems

    assert stage_problems("ready", "surrogate", ["direct", "indirect"]) == []
    assert stage_problems("ready", "surrogate", ["direct", "direct"])
