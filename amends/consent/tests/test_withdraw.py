"""Withdrawing consent (G9): a new entry, never an edit; a key participant's withdrawal
pauses the case at once, tells the people working on it, and records no penalty."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole, StageChange
from amends.cases.services import (
    case_close,
    case_pause,
    case_set_coordinator,
    contact_problems,
    participant_add,
    resume_gate_results,
)
from amends.cases.stages import CaseStage
from amends.cases.tests.builders import make_person
from amends.consent import ledger, rules
from amends.consent.models import ConsentEntry, ConsentKind, ConsentScope
from amends.consent.services import consent_withdraw
from amends.consent.tests.helpers import capture, give, ledger_writes, minor_case
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.core.workdays import add_working_days
from amends.people.services import contact_channel_add
from amends.tasks.models import Task, TaskKind

pytestmark = pytest.mark.django_db


def withdraw(actor, participant, **overrides):
    values: dict[str, Any] = {"scope": ConsentScope.TAKE_PART, "process_type": "conference"}
    values.update(overrides)
    return consent_withdraw(actor=actor, participant=participant, **values)


def g9_reasons(case):
    case.refresh_from_db()
    results = resume_gate_results(case)
    return [reason for result in results if result.gate.code == "G9" for reason in result.reasons]


@pytest.mark.gate("G9")
def test_withdrawal_is_a_new_entry_and_the_consent_it_withdraws_is_untouched(cast, harmed):
    # given
    given = give(cast.coordinator, harmed)
    before = ConsentEntry.objects.filter(pk=given.pk).values().get()
    # when
    withdrawal = withdraw(cast.coordinator, harmed)
    # then
    assert ConsentEntry.objects.filter(participant=harmed).count() == 2
    assert ConsentEntry.objects.filter(pk=given.pk).values().get() == before
    assert not withdrawal.is_given
    assert (withdrawal.scope, withdrawal.process_type) == ("take_part", "conference")
    assert withdrawal.recorded_by == cast.coordinator
    latest = ledger.take_part_entry(harmed.consent_entries.all(), "conference")
    assert latest == withdrawal
    assert not ledger.is_active(latest, timezone.localdate())


@pytest.mark.gate("G9")
def test_no_service_updates_or_deletes_a_ledger_entry(cast, harmed, responsible):
    with capture() as queries:
        give(cast.coordinator, harmed)
        withdraw(cast.coordinator, harmed)
        withdraw(cast.coordinator, harmed)
        give(cast.coordinator, harmed)
        withdraw(cast.advocate, harmed, scope=ConsentScope.DATA_PROCESSING, process_type="")
        withdraw(cast.facilitator, responsible)
    assert ledger_writes(queries) == []
    assert ConsentEntry.objects.count() == 5


@pytest.mark.gate("G9")
def test_a_key_participants_withdrawal_pauses_the_case_at_once(cast, case, harmed):
    # given
    give(cast.coordinator, harmed)
    # when: inside the transaction, before anything commits
    with transaction.atomic():
        withdraw(cast.facilitator, harmed, note="Said she needs time.")
        case.refresh_from_db()
        # then
        assert case.stage == CaseStage.PAUSED
    assert (case.paused_from, case.pause_reason) == ("contact", "consent_withdrawn")
    change = StageChange.objects.filter(case=case).latest("id")
    assert (change.from_stage, change.to_stage, change.actor) == ("contact", "paused", None)
    assert change.reason == "consent_withdrawn"
    assert change.note == "Said she needs time."


@pytest.mark.gate("G9")
def test_withdrawing_data_processing_pauses_the_case_too(cast, case, responsible):
    withdraw(cast.coordinator, responsible, scope=ConsentScope.DATA_PROCESSING, process_type="")
    case.refresh_from_db()
    assert case.stage == CaseStage.PAUSED


@pytest.mark.gate("G9")
def test_withdrawal_records_no_penalty_against_anyone(cast, case, harmed):
    # given
    give(cast.coordinator, harmed)
    last_event = AuditEvent.objects.latest("id").pk
    # when
    withdraw(cast.coordinator, harmed)
    # then: the case is paused, not closed, and nothing but the withdrawal, the pause and
    # the tasks to review it was recorded
    case.refresh_from_db()
    assert case.stage == CaseStage.PAUSED
    assert (case.closure_reason, case.closed_at) == ("", None)
    actions = set(
        AuditEvent.objects.filter(pk__gt=last_event).values_list("action", flat=True).distinct()
    )
    assert actions == {"consent.withdrawn", "case.paused", "task.created"}
    recorded = str(list(AuditEvent.objects.filter(pk__gt=last_event).values("data", "reason")))
    for word in ("penalty", "compliance", "breach", "fail", "closed"):
        assert word not in recorded.lower()
    assert not StageChange.objects.filter(case=case, to_stage=CaseStage.CLOSED).exists()


@pytest.mark.gate("G9")
def test_withdrawal_gives_each_facilitator_and_the_coordinator_a_task(cast, case, harmed):
    withdraw(cast.advocate, harmed)
    tasks = Task.objects.filter(case=case, kind=TaskKind.CONSENT_WITHDRAWN)
    assert {task.assignee for task in tasks} == {cast.facilitator, cast.coordinator}
    for task in tasks:
        assert task.participant == harmed
        assert task.due_on == add_working_days(timezone.localdate(), 1)
        assert case.reference in task.title
        assert "Hana" not in task.title


@pytest.mark.gate("G9")
def test_a_case_without_a_coordinator_gives_the_task_to_whoever_coordinates(cast, case, harmed):
    case_set_coordinator(actor=cast.coordinator, case=case, coordinator=None)
    withdraw(cast.coordinator, harmed)
    tasks = Task.objects.filter(case=case, kind=TaskKind.CONSENT_WITHDRAWN)
    assert {task.assignee for task in tasks} == {cast.facilitator, None}


@pytest.mark.gate("G9")
def test_a_second_withdrawal_keeps_the_stage_the_case_was_paused_from(
    cast, case, harmed, responsible
):
    # given
    withdraw(cast.coordinator, harmed)
    # when
    withdraw(cast.coordinator, responsible)
    withdraw(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING, process_type="")
    # then
    case.refresh_from_db()
    assert (case.stage, case.paused_from) == (CaseStage.PAUSED, "contact")
    assert StageChange.objects.filter(case=case, to_stage=CaseStage.PAUSED).count() == 1
    # each person's withdrawal still tells the people working on the case, once each
    tasks = Task.objects.filter(case=case, kind=TaskKind.CONSENT_WITHDRAWN)
    assert tasks.count() == 4


@pytest.mark.gate("G9")
def test_a_case_paused_for_safety_stays_paused_for_its_first_reason(cast, case, harmed):
    case_pause(actor=cast.coordinator, case=case, reason="safety_concern")
    withdraw(cast.coordinator, harmed)
    case.refresh_from_db()
    assert (case.stage, case.paused_from, case.pause_reason) == (
        "paused",
        "contact",
        "safety_concern",
    )
    assert g9_reasons(case)


@pytest.mark.gate("G9")
def test_withdrawing_what_is_already_withdrawn_changes_nothing(cast, case, harmed):
    first = withdraw(cast.coordinator, harmed)
    before = domain_snapshot()
    again = withdraw(cast.advocate, harmed)
    assert again == first
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_a_supporters_withdrawal_is_recorded_without_pausing_the_case(cast, case):
    supporter = participant_add(
        actor=None,
        case=case,
        person=make_person("Sam", "Supporter", phone=None),
        role=ParticipantRole.SUPPORTER,
    )
    give(cast.coordinator, supporter)
    withdraw(cast.coordinator, supporter)
    case.refresh_from_db()
    assert case.stage == CaseStage.CONTACT
    assert not Task.objects.filter(kind=TaskKind.CONSENT_WITHDRAWN).exists()
    # G9 still asks for fresh consent before the case moves on
    assert g9_reasons(case)


@pytest.mark.gate("G9")
def test_withdrawing_sharing_with_a_partner_does_not_pause_the_case(cast, case, harmed):
    give(cast.coordinator, harmed, scope=ConsentScope.SHARE_INFORMATION, partner="Victim Support")
    entry = withdraw(
        cast.coordinator,
        harmed,
        scope=ConsentScope.SHARE_INFORMATION,
        partner="Victim Support",
        process_type="",
    )
    case.refresh_from_db()
    assert case.stage == CaseStage.CONTACT
    assert rules.status_of(entry, timezone.localdate()) == rules.ConsentStatus.WITHDRAWN


@pytest.mark.gate("G9")
@pytest.mark.gate("G10")
def test_after_withdrawal_contact_is_only_on_channels_the_person_agreed_to(cast, harmed):
    # given two safe channels, and consent to be contacted on one of them
    agreed = harmed.person.channels.get()
    other = contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900321", is_safe=True
    )
    give(cast.coordinator, harmed, scope=ConsentScope.CONTACT, channel=agreed)
    today = timezone.localdate()
    assert contact_problems(harmed, "phone", other, today) == []
    # when
    withdraw(cast.coordinator, harmed)
    # then
    assert contact_problems(harmed, "phone", agreed, today) == []
    assert contact_problems(harmed, "phone", other, today) == [
        "The person has withdrawn; contact them only on a channel they have agreed to be "
        "contacted on."
    ]


@pytest.mark.gate("G9")
def test_withdrawing_contact_on_a_channel_is_an_entry_that_stops_that_channel(cast, harmed):
    channel = harmed.person.channels.get()
    give(cast.coordinator, harmed, scope=ConsentScope.CONTACT, channel=channel)
    withdraw(cast.coordinator, harmed, scope=ConsentScope.CONTACT, channel=channel)
    entries = list(harmed.consent_entries.all())
    assert ledger.allowed_channel_ids(entries, timezone.localdate()) == set()
    assert rules.withdrawn_channel_ids(entries) == {channel.pk}


@pytest.mark.gate("G9")
def test_an_unsafe_channel_can_still_be_withdrawn_from(cast, harmed):
    unsafe = contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900999", is_safe=False
    )
    entry = withdraw(cast.coordinator, harmed, scope=ConsentScope.CONTACT, channel=unsafe)
    assert entry.channel == unsafe


@pytest.mark.gate("G9")
def test_resuming_needs_fresh_consent(cast, case, harmed):
    # given
    give(cast.coordinator, harmed)
    withdraw(cast.coordinator, harmed)
    assert any("withdrew consent" in reason for reason in g9_reasons(case))
    # when
    give(cast.coordinator, harmed)
    # then
    assert g9_reasons(case) == []


@pytest.mark.gate("G9")
def test_the_advocate_records_the_withdrawal_of_the_person_they_support(cast, case, harmed):
    entry = withdraw(cast.advocate, harmed)
    assert entry.recorded_by == cast.advocate
    case.refresh_from_db()
    assert case.stage == CaseStage.PAUSED


@pytest.mark.gate("G9")
def test_the_advocate_cannot_withdraw_for_the_other_party(cast, case, responsible):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        withdraw(cast.advocate, responsible)
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
@pytest.mark.parametrize("who", ["referrer", "evaluator", "administrator", "other_supervisor"])
def test_people_with_no_part_in_the_case_cannot_record_a_withdrawal(cast, harmed, who):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        withdraw(cast.users[who], harmed)
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"scope": "everything"}, "Choose what the consent is for."),
        ({"process_type": ""}, "Choose the process the consent is for."),
        (
            {"scope": ConsentScope.SHARE_INFORMATION, "process_type": ""},
            "Name the partner the information may be shared with.",
        ),
        ({"scope": ConsentScope.CONTACT}, "Choose the channel the consent is about."),
        ({"kind": "whim"}, "Choose whose consent is withdrawn."),
    ],
    ids=["scope", "process", "partner", "channel", "kind"],
)
def test_a_withdrawal_that_names_nothing_is_refused_and_changes_nothing(
    cast, harmed, overrides, reason
):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        withdraw(cast.coordinator, harmed, **overrides)
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_a_withdrawal_on_another_persons_channel_is_refused(cast, harmed, responsible):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        withdraw(
            cast.coordinator,
            harmed,
            scope=ConsentScope.CONTACT,
            channel=responsible.person.channels.get(),
        )
    assert refusal.value.reasons == ["That channel belongs to someone else."]
    assert domain_snapshot() == before


@pytest.mark.gate("G9")
def test_withdrawal_is_still_recorded_after_the_case_is_closed(cast, case, harmed):
    case_close(actor=cast.coordinator, case=case, reason="not_suitable")
    entry = withdraw(cast.coordinator, harmed, scope=ConsentScope.DATA_PROCESSING, process_type="")
    case.refresh_from_db()
    assert not entry.is_given
    assert case.stage == CaseStage.CLOSED
    assert not Task.objects.filter(kind=TaskKind.CONSENT_WITHDRAWN).exists()


@pytest.mark.gate("G9")
def test_a_guardian_withdraws_for_a_minor_and_the_case_pauses(cast):
    case, minor, guardian = minor_case(cast.programme, cast.coordinator)
    give(cast.coordinator, minor, kind=ConsentKind.GUARDIAN, given_by=guardian)
    withdraw(cast.coordinator, minor, kind=ConsentKind.GUARDIAN)
    case.refresh_from_db()
    assert case.stage == CaseStage.PAUSED
    assert ledger.outstanding_withdrawals(minor.consent_entries.all())


@pytest.mark.gate("G9")
def test_the_mail_is_sent_only_after_the_withdrawal_commits(
    cast, harmed, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdraw(cast.coordinator, harmed)
    assert len(callbacks) == 1
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        withdraw(cast.coordinator, harmed, scope=ConsentScope.SHARE_INFORMATION, partner="X")
    assert callbacks == []


def test_consent_given_after_its_window_shows_as_expired(cast, harmed):
    entry = give(cast.coordinator, harmed)
    assert entry.valid_until is not None
    later = entry.valid_until + datetime.timedelta(days=1)
    assert rules.status_of(entry, entry.valid_until) == rules.ConsentStatus.ACTIVE
    assert rules.status_of(entry, later) == rules.ConsentStatus.EXPIRED
