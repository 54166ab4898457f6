"""When an item is not kept (G11; UN Basic Principles 17): a reminder, then a review
meeting, then — only after a review, by a person, with a reason — a referral back. No
output ever points towards a harsher outcome."""

from __future__ import annotations

import pytest
from django.core import mail

from amends.agreements import rules
from amends.agreements.models import ComplianceStep, ItemStatus, ReferredTo
from amends.agreements.selectors import agreement_status
from amends.agreements.services import (
    agreement_compliance_sweep,
    agreement_item_refer_back,
    agreement_item_vary,
)
from amends.agreements.tests.helpers import (
    add,
    apology,
    consent,
    consent_all,
    in_days,
    refused,
    restitution,
    work,
)
from amends.cases.services import case_pause
from amends.core.errors import ConflictError, PermissionRefused
from amends.programmes.models import ProgrammeSettings
from amends.tasks.models import Task, TaskKind

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G11")]


@pytest.fixture
def late(cast, agreement, harmed):
    """An apology in force, due in 14 days (the programme's grace: 7 days)."""
    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    return item


def sweep(days, capture):
    with capture(execute=True):
        return agreement_compliance_sweep(in_days(days))


def test_nothing_happens_within_the_grace_days(late, django_capture_on_commit_callbacks):
    report = sweep(14 + 7, django_capture_on_commit_callbacks)
    assert report.reminders == report.reviews == []
    assert not ComplianceStep.objects.exists()
    assert mail.outbox == []


def test_past_the_grace_days_the_coordinator_gets_a_reminder_task_and_staff_an_email(
    cast, late, django_capture_on_commit_callbacks
):
    report = sweep(14 + 8, django_capture_on_commit_callbacks)
    [step] = report.reminders
    assert (step.step, step.taken_by, step.item) == ("reminder", None, late)
    task = Task.objects.get(kind=TaskKind.AGREEMENT_NOT_KEPT)
    assert task.assignee is None  # the case's coordinator
    assert task.case == late.agreement.case
    recipients = sorted(message.to[0] for message in mail.outbox)
    assert recipients == sorted([cast.coordinator.email, cast.facilitator.email])
    assert late.agreement.case.reference in mail.outbox[0].subject
    assert "Hana" not in mail.outbox[0].body
    assert "Ray" not in mail.outbox[0].body


def test_the_sweep_takes_each_step_once(late, django_capture_on_commit_callbacks):
    sweep(22, django_capture_on_commit_callbacks)
    again = sweep(22, django_capture_on_commit_callbacks)
    assert again.reminders == []
    assert ComplianceStep.objects.count() == 1
    assert Task.objects.filter(kind=TaskKind.AGREEMENT_NOT_KEPT).count() == 1


def test_a_review_meeting_is_due_the_grace_days_after_the_reminder(
    late, django_capture_on_commit_callbacks
):
    sweep(22, django_capture_on_commit_callbacks)
    assert sweep(29, django_capture_on_commit_callbacks).reviews == []
    [review] = sweep(30, django_capture_on_commit_callbacks).reviews
    assert review.step == "review"
    assert Task.objects.filter(kind=TaskKind.AGREEMENT_NOT_KEPT).count() == 2
    assert "review meeting" in mail.outbox[-1].subject


def test_the_programmes_grace_days_count(cast, late, django_capture_on_commit_callbacks):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(agreement_grace_days=0)
    assert sweep(15, django_capture_on_commit_callbacks).reminders


def test_items_not_in_force_done_or_in_a_paused_case_are_not_chased(
    cast, agreement, harmed, responsible, case, django_capture_on_commit_callbacks
):
    unconsented = add(cast.facilitator, agreement, apology(harmed))
    consent(cast.facilitator, unconsented, responsible)
    hours = add(cast.facilitator, agreement, work(due_on=in_days(14)))
    consent_all(cast.facilitator, hours)
    [step] = sweep(40, django_capture_on_commit_callbacks).reminders
    assert step.item == hours
    case_pause(actor=cast.coordinator, case=case, reason="unavailable")
    assert sweep(60, django_capture_on_commit_callbacks).reviews == []


def test_referral_back_comes_only_after_a_review_and_says_why(
    cast, late, django_capture_on_commit_callbacks
):
    refused(
        lambda: agreement_item_refer_back(
            actor=cast.coordinator, item=late, referred_to="programme", reason="Did not write"
        ),
        "A review meeting comes first: the item has had no review yet.",
        error=ConflictError,
    )
    sweep(22, django_capture_on_commit_callbacks)
    sweep(30, django_capture_on_commit_callbacks)
    refused(
        lambda: agreement_item_refer_back(
            actor=cast.facilitator, item=late, referred_to="programme", reason="x"
        ),
        error=PermissionRefused,
    )
    refused(
        lambda: agreement_item_refer_back(
            actor=cast.coordinator, item=late, referred_to="court", reason="x"
        ),
        "Choose where the item is referred back to.",
    )
    refused(
        lambda: agreement_item_refer_back(
            actor=cast.coordinator, item=late, referred_to="referrer", reason=" "
        ),
        "Say why the item is referred back.",
    )
    step = agreement_item_refer_back(
        actor=cast.coordinator,
        item=late,
        referred_to=ReferredTo.REFERRER,
        reason="The review found the letter could not be written yet.",
    )
    late.refresh_from_db()
    assert late.status == ItemStatus.NOT_COMPLETED
    assert step.referred_to == "referrer"
    assert not Task.objects.filter(kind=TaskKind.AGREEMENT_NOT_KEPT, done_at__isnull=True).exists()
    assert agreement_status(late.agreement.case).completed is False


def test_a_variation_after_a_review_starts_the_steps_afresh(
    cast, late, harmed, django_capture_on_commit_callbacks
):
    sweep(22, django_capture_on_commit_callbacks)
    new = agreement_item_vary(
        actor=cast.coordinator,
        item=late,
        terms=apology(harmed, due_on=in_days(40)),
        reason="More time after the review.",
    )
    assert not new.compliance_steps.exists()
    assert not Task.objects.filter(kind=TaskKind.AGREEMENT_NOT_KEPT, done_at__isnull=True).exists()


def test_emails_never_point_towards_a_harsher_outcome(late, django_capture_on_commit_callbacks):
    sweep(22, django_capture_on_commit_callbacks)
    sweep(30, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 4
    for message in mail.outbox:
        assert rules.harsher_outcome_words(f"{message.subject}\n{message.body}") == []


def test_the_harsher_outcome_check_finds_the_words_it_must_find():
    text = "Breach of the order: prosecute, impose a penalty, a harsher SANCTION, custody."
    assert set(rules.harsher_outcome_words(text)) >= {
        "breach",
        "prosecut",
        "penalt",
        "harsher",
        "sanction",
        "custody",
    }


def test_restitution_past_due_gets_a_reminder_too(
    cast, agreement, harmed, django_capture_on_commit_callbacks
):
    item = add(cast.facilitator, agreement, restitution(harmed, due_on=in_days(5)))
    consent_all(cast.facilitator, item)
    [step] = sweep(13, django_capture_on_commit_callbacks).reminders
    assert step.item == item
