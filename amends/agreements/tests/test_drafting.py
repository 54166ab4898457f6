"""Drafting agreements (G11): when and by whom an agreement is started, the terms an item
needs, the consent of every party it binds, flagged items and a supervisor's
confirmation, and variation with its history. Every refusal changes nothing."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.accounts.selectors import forget_programme_roles
from amends.agreements import rules
from amends.agreements.models import (
    Agreement,
    AgreementItem,
    ItemFlag,
    ItemKind,
    ItemStatus,
)
from amends.agreements.selectors import agreement_status, item_facts
from amends.agreements.services import (
    agreement_create,
    agreement_item_confirm,
    agreement_item_vary,
    catalogue_item_add,
    catalogue_item_set_offered,
    payment_record,
)
from amends.agreements.terms import ItemTerms
from amends.agreements.tests.helpers import (
    add,
    apology,
    consent,
    consent_all,
    held_meeting,
    in_days,
    refused,
    restitution,
    work,
)
from amends.audit.models import AuditEvent
from amends.cases.models import ParticipantRole, StageChange
from amends.cases.services import participant_add
from amends.cases.tests.builders import make_person
from amends.core.errors import ConflictError, PermissionRefused
from amends.programmes.models import ProgrammeSettings
from amends.tasks.models import Task, TaskKind

pytestmark = [pytest.mark.django_db, pytest.mark.gate("G11")]


def in_force(item):
    return rules.is_in_force(item_facts(AgreementItem.objects.get(pk=item.pk)))


# --- the agreement ---------------------------------------------------------------------------
def test_a_facilitator_starts_the_agreement_of_the_person_responsible_and_it_is_audited(
    cast, case, responsible
):
    agreement = agreement_create(
        actor=cast.facilitator, case=case, responsible=responsible, made_on=timezone.localdate()
    )
    assert agreement.responsible == responsible
    event = AuditEvent.objects.get(action="agreement.created")
    assert event.target_id == str(agreement.pk)
    assert event.data["responsible"] == responsible.pk


def test_no_agreement_is_drafted_before_the_process(cast):
    responsible = cast.case.participants.get(role=ParticipantRole.RESPONSIBLE)
    refused(
        lambda: agreement_create(
            actor=cast.coordinator,
            case=cast.case,
            responsible=responsible,
            made_on=timezone.localdate(),
        ),
        "The case is in “Contact”: this is done while it is in “Process”, “Agreement”.",
    )


def test_an_agreement_is_never_dated_before_the_process_it_came_from(cast, case, responsible):
    StageChange.objects.filter(case=case, to_stage="process").update(
        created_at=timezone.now() - datetime.timedelta(days=3)
    )
    started = timezone.localdate() - datetime.timedelta(days=3)
    refused(
        lambda: agreement_create(
            actor=cast.coordinator,
            case=case,
            responsible=responsible,
            made_on=started - datetime.timedelta(days=1),
        ),
        f"The agreement cannot be dated before the process it came from ({started.isoformat()}).",
    )
    assert agreement_create(
        actor=cast.coordinator, case=case, responsible=responsible, made_on=started
    )


def test_dates_are_never_before_the_joint_meeting_the_agreement_came_from(cast, case, responsible):
    held_meeting(case, days_ago=5)
    held_on = timezone.localdate() - datetime.timedelta(days=5)
    refused(
        lambda: agreement_create(
            actor=cast.coordinator,
            case=case,
            responsible=responsible,
            made_on=held_on - datetime.timedelta(days=1),
        ),
        f"The agreement cannot be dated before the process it came from ({held_on.isoformat()}).",
    )
    agreement = agreement_create(
        actor=cast.coordinator, case=case, responsible=responsible, made_on=held_on
    )
    assert agreement.made_on == held_on


def test_an_agreement_is_not_dated_in_the_future(cast, case, responsible):
    refused(
        lambda: agreement_create(
            actor=cast.coordinator, case=case, responsible=responsible, made_on=in_days(1)
        ),
        "The agreement cannot be dated in the future.",
    )


def test_only_a_person_responsible_has_an_agreement_and_only_one(cast, case, harmed, agreement):
    refused(
        lambda: agreement_create(
            actor=cast.coordinator, case=case, responsible=harmed, made_on=timezone.localdate()
        ),
        "Choose a person responsible in this case.",
    )
    refused(
        lambda: agreement_create(
            actor=cast.coordinator,
            case=case,
            responsible=agreement.responsible,
            made_on=timezone.localdate(),
        ),
        "This person already has an agreement.",
        error=ConflictError,
    )


@pytest.mark.parametrize("name", ["advocate", "referrer", "evaluator", "administrator"])
def test_people_not_working_on_the_case_cannot_draft(cast, case, responsible, name):
    refused(
        lambda: agreement_create(
            actor=cast.users[name], case=case, responsible=responsible, made_on=timezone.localdate()
        ),
        error=PermissionRefused,
    )


# --- terms -----------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"amount": Decimal("-5.00")}, "The amount must be more than zero."),
        ({"amount": Decimal("0")}, "The amount must be more than zero."),
        ({"amount": Decimal("10.001")}, "The amount can have at most two decimal places."),
        ({"amount": Decimal("NaN")}, "The amount must be a number."),
        ({"documented_loss": None}, "Give the documented loss."),
        ({"documented_loss": Decimal("-1")}, "The documented loss cannot be negative."),
        ({"currency": "XXX"}, "Choose the currency."),
        ({"owed_to": None}, "Choose the person harmed it is owed to."),
        ({"terms": "  "}, "Write the terms: what exactly is to be done."),
        ({"due_on": None}, "Give the date it is due by."),
    ],
)
def test_restitution_with_bad_terms_is_refused_with_a_clear_reason(
    cast, agreement, harmed, overrides, reason
):
    terms = restitution(**{"owed_to": harmed, **overrides})
    refused(lambda: add(cast.facilitator, agreement, terms), reason)


def test_an_item_is_never_due_before_the_agreement_was_made(cast, agreement, harmed):
    refused(
        lambda: add(cast.facilitator, agreement, restitution(harmed, due_on=in_days(-1))),
        f"The due date cannot be before the agreement was made ({agreement.made_on.isoformat()}).",
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"hours_planned": Decimal("0")}, "The hours planned must be more than zero."),
        ({"hours_planned": Decimal("-3")}, "The hours planned must be more than zero."),
        ({"hours_planned": None}, "Give the hours planned."),
    ],
)
def test_work_with_bad_hours_is_refused(cast, agreement, overrides, reason):
    refused(lambda: add(cast.facilitator, agreement, work(**overrides)), reason)


def test_an_item_is_owed_only_to_a_person_harmed_of_the_case(cast, agreement, responsible):
    refused(
        lambda: add(cast.facilitator, agreement, apology(responsible)),
        "The item can be owed only to a person harmed in this case.",
    )


def test_money_is_decimal_and_a_float_is_a_programming_error(harmed):
    with pytest.raises(TypeError):
        restitution(harmed, amount=150.0)


def test_an_other_item_comes_from_the_programmes_offered_list(cast, agreement):
    listed = catalogue_item_add(actor=cast.supervisor, programme=cast.programme, name="Mentoring")
    other = ItemTerms(
        kind=ItemKind.OTHER, terms="Meet a mentor twice.", due_on=in_days(20), catalogue_item=listed
    )
    assert add(cast.facilitator, agreement, other).catalogue_item == listed
    catalogue_item_set_offered(actor=cast.supervisor, item=listed, offered=False)
    listed.refresh_from_db()
    refused(
        lambda: add(
            cast.facilitator, agreement, ItemTerms(**{**other.__dict__, "catalogue_item": listed})
        ),
        "Choose an item from the programme's list.",
    )


def test_fields_another_kind_uses_are_not_kept(cast, agreement):
    item = add(cast.facilitator, agreement, work(amount=Decimal("99.00"), currency="GBP"))
    assert item.amount is None
    assert item.currency == ""


# --- consent of the parties it binds ----------------------------------------------------------
def test_an_item_is_in_force_only_with_the_consent_of_every_party_it_binds(
    cast, agreement, harmed, responsible
):
    item = add(cast.facilitator, agreement, restitution(harmed))
    reasons = rules.g11_reasons([item_facts(item)])
    assert len(reasons) == 2
    assert all("has not consented to it" in reason for reason in reasons)
    consent(cast.facilitator, item, responsible)
    [reason] = rules.g11_reasons([item_facts(item)])
    assert "Hana H." in reason
    consent(cast.facilitator, item, harmed)
    assert in_force(item)
    assert rules.g11_reasons([item_facts(item)]) == []


def test_work_with_nobody_named_binds_only_the_person_responsible(
    cast, agreement, harmed, responsible
):
    item = add(cast.facilitator, agreement, work())
    refused(
        lambda: consent(cast.facilitator, item, harmed),
        "This person is not bound by that agreement item: only the person responsible and "
        "the person it is owed to consent to it.",
    )
    consent(cast.facilitator, item, responsible)
    assert in_force(item)


def test_withdrawing_consent_to_an_item_takes_it_out_of_force(cast, agreement, harmed):
    from amends.consent.services import consent_withdraw

    item = add(cast.facilitator, agreement, apology(harmed))
    consent_all(cast.facilitator, item)
    consent_withdraw(
        actor=cast.advocate, participant=harmed, scope="agreement", agreement_item=item
    )
    assert not in_force(item)
    assert agreement_status(agreement.case).unmet


def test_a_minor_needs_a_guardians_consent_and_their_own_assent(cast, agreement, case, harmed):
    from amends.consent.tests.helpers import years_ago

    item = add(cast.facilitator, agreement, apology(harmed))
    consent(cast.facilitator, item, agreement.responsible)
    # The person harmed turns out to be 15 (her date of birth is corrected).
    harmed.person.date_of_birth = years_ago(15)
    harmed.person.save()
    mother = participant_add(
        actor=None,
        case=case,
        person=make_person("Gail", "Guardian", date_of_birth=years_ago(40), phone=None),
        role=ParticipantRole.GUARDIAN,
        guardian_for=harmed,
    )
    refused(
        lambda: consent(cast.facilitator, item, harmed),
        "The participant is under 18: record a parent's or guardian's consent and the young "
        "person's own assent instead.",
    )
    consent(cast.facilitator, item, harmed, kind="guardian", given_by=mother)
    assert "under 18" in rules.g11_reasons([item_facts(item)])[0]
    consent(cast.facilitator, item, harmed, kind="assent")
    assert in_force(item)


def test_the_rule_for_a_minor_asks_for_both_guardian_consent_and_assent():
    party = rules.PartyFacts(
        participant_id=1, label="Mo", is_minor=True, given_kinds=frozenset({"consent"})
    )
    item = rules.ItemFacts(
        pk=1, label="Apology", status="pending", flags=(), confirmed=False, parties=(party,)
    )
    assert rules.missing_consent(party) == ["assent", "guardian"]
    assert not rules.is_in_force(item)
    both = rules.PartyFacts(
        participant_id=1, label="Mo", is_minor=True, given_kinds=frozenset({"guardian", "assent"})
    )
    assert rules.is_in_force(
        rules.ItemFacts(
            pk=1, label="Apology", status="pending", flags=(), confirmed=False, parties=(both,)
        )
    )


def test_consent_entries_of_scope_agreement_always_name_their_item(cast, harmed, agreement):
    from amends.consent.models import ConsentEntry

    item = add(cast.facilitator, agreement, apology(harmed))
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentEntry.objects.create(
            participant=harmed, scope="agreement", is_given=False, recorded_by=cast.coordinator
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsentEntry.objects.create(
            participant=harmed,
            scope="data",
            agreement_item=item,
            is_given=False,
            recorded_by=cast.coordinator,
        )


# --- out of proportion -------------------------------------------------------------------------
def test_restitution_above_the_documented_loss_waits_for_a_supervisor(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed, documented_loss=Decimal("100")))
    consent_all(cast.facilitator, item)
    assert item.flags == [ItemFlag.ABOVE_LOSS]
    assert not in_force(item)
    [reason] = rules.g11_reasons([item_facts(item)])
    assert "more than the documented loss" in reason
    task = Task.objects.get(kind=TaskKind.AGREEMENT_CONFIRMATION)
    assert task.assignee == cast.supervisor
    confirmed = agreement_item_confirm(
        actor=cast.supervisor, item=item, reason="The loss excluded the call-out fee."
    )
    assert confirmed.confirmed_by == cast.supervisor
    assert in_force(item)
    task.refresh_from_db()
    assert task.done_at is not None


def test_work_above_the_programmes_limit_is_flagged(cast, agreement):
    ProgrammeSettings.objects.filter(programme=cast.programme).update(max_work_hours=20)
    assert add(cast.facilitator, agreement, work(hours_planned=Decimal("20"))).flags == []
    item = add(cast.facilitator, agreement, work(hours_planned=Decimal("20.5")))
    assert item.flags == [ItemFlag.ABOVE_MAX_HOURS]


def test_restitution_equal_to_the_loss_needs_no_confirmation(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed))
    assert item.flags == []
    assert not Task.objects.filter(kind=TaskKind.AGREEMENT_CONFIRMATION).exists()
    refused(
        lambda: agreement_item_confirm(actor=cast.supervisor, item=item, reason="Fine"),
        "This item needs no confirmation.",
        error=ConflictError,
    )


def test_only_a_supervisor_who_does_not_facilitate_the_case_confirms(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed, documented_loss=Decimal("1")))
    for name in ("facilitator", "coordinator"):
        refused(
            lambda name=name: agreement_item_confirm(
                actor=cast.users[name], item=item, reason="Fair"
            ),
            error=PermissionRefused,
        )
    Membership.objects.create(user=cast.facilitator, programme=cast.programme, role=Role.SUPERVISOR)
    forget_programme_roles(cast.facilitator)
    refused(
        lambda: agreement_item_confirm(actor=cast.facilitator, item=item, reason="Fair"),
        "You facilitate this case: a supervisor who does not must confirm it.",
        error=PermissionRefused,
    )


def test_a_confirmation_says_why(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed, documented_loss=Decimal("1")))
    refused(
        lambda: agreement_item_confirm(actor=cast.supervisor, item=item, reason="  "),
        "Say why the terms are fair.",
    )


# --- variation ---------------------------------------------------------------------------------
def test_variation_keeps_the_old_version_and_needs_consent_again(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed))
    consent_all(cast.facilitator, item)
    new = agreement_item_vary(
        actor=cast.facilitator,
        item=item,
        terms=restitution(harmed, amount=Decimal("120.00"), due_on=in_days(90)),
        reason="Lost a job; the person harmed agreed to less.",
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.VARIED
    assert (new.version, new.previous, new.original) == (2, item, item)
    assert new.variation_reason == "Lost a job; the person harmed agreed to less."
    assert new.amount == Decimal("120.00")
    assert not in_force(new)
    assert AgreementItem.objects.filter(agreement=agreement).count() == 2
    refused(
        lambda: agreement_item_vary(
            actor=cast.facilitator, item=item, terms=restitution(harmed), reason="Again"
        ),
        "This item has been varied: work on its current version.",
        error=ConflictError,
    )
    refused(
        lambda: consent(cast.facilitator, item, harmed),
        "That item has been varied: record consent to its current version.",
    )


def test_a_variation_needs_a_reason_and_keeps_the_kind(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed))
    refused(
        lambda: agreement_item_vary(
            actor=cast.facilitator, item=item, terms=restitution(harmed), reason=""
        ),
        "Say why the item is varied.",
    )
    refused(
        lambda: agreement_item_vary(actor=cast.facilitator, item=item, terms=work(), reason="x"),
        "A variation keeps the kind of item; add a new item for something else.",
    )


def test_restitution_is_never_varied_below_what_was_paid(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed))
    consent_all(cast.facilitator, item)
    payment_record(
        actor=cast.coordinator, item=item, paid_on=timezone.localdate(), amount=Decimal("100.00")
    )
    refused(
        lambda: agreement_item_vary(
            actor=cast.facilitator,
            item=item,
            terms=restitution(harmed, amount=Decimal("99.99")),
            reason="Less",
        ),
        "The new amount is less than what has already been paid (100.00 GBP).",
    )


def test_a_varied_flagged_item_needs_a_new_confirmation(cast, agreement, harmed):
    item = add(cast.facilitator, agreement, restitution(harmed, documented_loss=Decimal("100")))
    agreement_item_confirm(actor=cast.supervisor, item=item, reason="Fair")
    new = agreement_item_vary(
        actor=cast.facilitator,
        item=item,
        terms=restitution(harmed, amount=Decimal("140"), documented_loss=Decimal("100")),
        reason="Smaller",
    )
    assert new.confirmed_at is None
    assert "a supervisor who does not facilitate the case must confirm it" in " ".join(
        rules.g11_reasons([item_facts(new)])
    )


def test_agreements_keep_their_items_when_nothing_is_left_to_check(cast, agreement, harmed):
    assert Agreement.objects.count() == 1
    assert agreement_status(agreement.case).unmet == (
        "The agreement with Ray R. (person responsible) has no items yet.",
    )
