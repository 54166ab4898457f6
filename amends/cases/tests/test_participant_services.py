"""Recording work with the people in a case: contact (G10), information (G3),
acknowledgment (G2), adding people. Every refusal changes nothing."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.gates import g2_acknowledgment
from amends.cases.models import ContactLog, ParticipantRole
from amends.cases.selectors import case_facts
from amends.cases.services import (
    acknowledgment_record,
    contact_record,
    information_give,
    participant_add,
    participant_add_new_person,
)
from amends.cases.tests.builders import make_person, participant
from amends.consent.models import ConsentEntry
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.people.services import contact_channel_add
from amends.programmes.selectors import current_information_sheet
from amends.tasks.models import Task
from amends.tasks.services import statutory_clock_tasks

pytestmark = pytest.mark.django_db


def _sheet(cast):
    sheet = current_information_sheet(cast.programme, "en")
    assert sheet is not None
    return sheet


def _contact(actor, who, channel, method="phone", **kwargs):
    return contact_record(
        actor=actor,
        participant=who,
        method=method,
        channel=channel,
        outcome=kwargs.pop("outcome", "reached"),
        occurred_at=kwargs.pop("occurred_at", timezone.now()),
        **kwargs,
    )


@pytest.mark.gate("G10")
def test_a_channel_marked_unsafe_cannot_be_used_for_contact(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    unsafe = contact_channel_add(
        actor=None, person=harmed.person, kind="phone", value="+44 7700 900999", is_safe=False
    )
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        _contact(cast.facilitator, harmed, unsafe)
    assert "marked unsafe" in refusal.value.reasons[0]
    assert domain_snapshot() == before
    safe = harmed.person.channels.get(is_safe=True)
    log = _contact(cast.facilitator, harmed, safe, minutes=12, notes="Talked it through")
    assert ContactLog.objects.get(pk=log.pk).notes == "Talked it through"


@pytest.mark.gate("G10")
def test_one_partys_channel_cannot_be_used_to_log_contact_with_the_other(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    responsible = participant(cast.case, ParticipantRole.RESPONSIBLE)
    with pytest.raises(ApplicationError, match="not recorded") as refusal:
        _contact(cast.facilitator, responsible, harmed.person.channels.first())
    assert "belongs to someone else" in refusal.value.reasons[0]


@pytest.mark.gate("G10")
def test_the_channel_must_fit_the_kind_of_contact(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    with pytest.raises(ApplicationError) as refusal:
        _contact(cast.facilitator, harmed, harmed.person.channels.first(), method="email")
    assert "cannot be used for this kind" in refusal.value.reasons[0]
    with pytest.raises(ApplicationError) as missing:
        _contact(cast.facilitator, harmed, None, method="phone")
    assert "Choose the channel used." in missing.value.reasons


@pytest.mark.gate("G9")
def test_after_a_withdrawal_contact_only_on_a_channel_the_person_allowed(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    phone = harmed.person.channels.get()
    other = contact_channel_add(
        actor=None, person=harmed.person, kind="email", value="hana@example.org", is_safe=True
    )
    sheet = _sheet(cast)
    until = timezone.localdate() + datetime.timedelta(days=30)
    ConsentEntry.objects.create(
        participant=harmed,
        scope="contact",
        channel=phone,
        is_given=True,
        sheet=sheet,
        method="verbal",
        witness="W",
        valid_until=until,
        recorded_by=cast.facilitator,
    )
    ConsentEntry.objects.create(
        participant=harmed,
        scope="take_part",
        process_type="meeting",
        is_given=False,
        recorded_by=cast.facilitator,
    )
    with pytest.raises(ApplicationError) as refusal:
        _contact(cast.facilitator, harmed, other, method="email", outcome="sent")
    assert "agreed to be contacted on" in refusal.value.reasons[0]
    assert _contact(cast.facilitator, harmed, phone).pk


def test_contact_cannot_be_in_the_future_nor_take_more_than_a_day(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    channel = harmed.person.channels.get()
    with pytest.raises(ApplicationError) as refusal:
        _contact(
            cast.facilitator,
            harmed,
            channel,
            occurred_at=timezone.now() + datetime.timedelta(days=1),
            minutes=5000,
        )
    assert len(refusal.value.reasons) == 2


def test_only_people_working_on_the_case_record_contact(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    channel = harmed.person.channels.get()
    for name in ("advocate", "referrer", "evaluator", "administrator", "other_supervisor"):
        with pytest.raises(PermissionRefused):
            _contact(getattr(cast, name), harmed, channel)
    assert not ContactLog.objects.exists()


@pytest.mark.gate("G3")
def test_information_on_the_current_sheet_informs_and_meets_the_statutory_clock(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    sheet = _sheet(cast)
    key = f"case:{cast.case.pk}:information"
    statutory_clock_tasks(case=cast.case)
    assert Task.objects.filter(key=key, done_at__isnull=True).exists()
    information_give(
        actor=cast.facilitator,
        participant=harmed,
        sheet=sheet,
        method="in_person",
        given_on=timezone.localdate(),
        legal_advice_offered=True,
        interpreter_offered=False,
    )
    facts = case_facts(cast.case)
    harmed_facts = next(p for p in facts.participants if p.pk == harmed.pk)
    assert harmed_facts.informed
    assert harmed_facts.legal_advice_offered
    assert not Task.objects.filter(key=key, done_at__isnull=True).exists()
    event = AuditEvent.objects.filter(action="information.given").latest("pk")
    assert event.data["version"] == sheet.version


def test_information_cannot_be_dated_in_the_future(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    sheet = _sheet(cast)
    before = domain_snapshot()
    with pytest.raises(ApplicationError):
        information_give(
            actor=cast.facilitator,
            participant=harmed,
            sheet=sheet,
            method="phone",
            given_on=timezone.localdate() + datetime.timedelta(days=2),
            legal_advice_offered=True,
            interpreter_offered=True,
        )
    assert domain_snapshot() == before


@pytest.mark.gate("G2")
def test_only_the_person_responsible_acknowledges_and_not_in_the_future(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    responsible = participant(cast.case, ParticipantRole.RESPONSIBLE)
    assert g2_acknowledgment(case_facts(cast.case)) == [
        "Ray R. (person responsible) has not acknowledged the basic facts."
    ]
    with pytest.raises(ApplicationError, match="not recorded"):
        acknowledgment_record(
            actor=cast.facilitator,
            participant=harmed,
            acknowledged_on=timezone.localdate(),
            method="verbal",
        )
    with pytest.raises(ApplicationError):
        acknowledgment_record(
            actor=cast.facilitator,
            participant=responsible,
            acknowledged_on=timezone.localdate() + datetime.timedelta(days=1),
            method="verbal",
        )
    acknowledgment_record(
        actor=cast.facilitator,
        participant=responsible,
        acknowledged_on=timezone.localdate(),
        method="written",
    )
    facts = case_facts(cast.case)
    assert next(p for p in facts.participants if p.pk == responsible.pk).acknowledged
    assert g2_acknowledgment(facts) == []


def test_a_guardian_must_say_whom_they_are_guardian_for(cast):
    case = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        participant_add(
            actor=cast.coordinator, case=case, person=make_person("Gail"), role="guardian"
        )
    assert "Say whom this person is a parent or guardian for." in refusal.value.reasons
    young = participant_add(
        actor=cast.coordinator,
        case=case,
        person=make_person(
            "Yan", date_of_birth=timezone.localdate() - datetime.timedelta(days=15 * 365)
        ),
        role="supporter",
    )
    guardian = participant_add_new_person(
        actor=cast.coordinator,
        case=case,
        role="guardian",
        guardian_for=young,
        person_fields={"given_name": "Gail", "family_name": "Guardian"},
    )
    assert guardian.guardian_for == young
    assert domain_snapshot() != before


def test_adding_a_new_person_with_bad_details_adds_neither_person_nor_participant(cast):
    case = cast.case
    before = domain_snapshot()
    with pytest.raises(ApplicationError):
        participant_add_new_person(
            actor=cast.coordinator,
            case=case,
            role="supporter",
            person_fields={
                "given_name": "",
                "date_of_birth": timezone.localdate() + datetime.timedelta(days=9),
            },
        )
    with pytest.raises(ApplicationError):
        participant_add_new_person(
            actor=cast.coordinator, case=case, role="guardian", person_fields={"given_name": "Gail"}
        )
    assert domain_snapshot() == before


def test_an_advocate_must_hold_the_advocate_role(cast):
    with pytest.raises(ApplicationError, match="not added"):
        participant_add(
            actor=cast.coordinator,
            case=cast.case,
            person=make_person("Sam"),
            role="supporter",
            advocate=cast.facilitator,
        )


@pytest.mark.gate("G10")
def test_a_channel_the_person_withdrew_is_never_used_again(cast):
    harmed = participant(cast.case, ParticipantRole.HARMED)
    phone = harmed.person.channels.get()
    sheet = _sheet(cast)
    from amends.consent.services import consent_give, consent_withdraw

    consent_give(
        actor=cast.facilitator,
        participant=harmed,
        scope="contact",
        channel=phone,
        sheet=sheet,
        method="verbal",
        witness="W",
    )
    assert _contact(cast.facilitator, harmed, phone).pk
    consent_withdraw(actor=cast.facilitator, participant=harmed, scope="contact", channel=phone)
    with pytest.raises(ApplicationError) as refusal:
        _contact(cast.facilitator, harmed, phone)
    assert "asked not to be contacted on this channel" in refusal.value.reasons[0]


@pytest.mark.gate("G9")
def test_fresh_consent_to_another_process_clears_a_withdrawal(cast):
    from amends.cases.gates import g9_withdrawal
    from amends.consent.services import consent_give, consent_withdraw

    harmed = participant(cast.case, ParticipantRole.HARMED)
    sheet = _sheet(cast)
    consent_give(
        actor=cast.facilitator,
        participant=harmed,
        scope="take_part",
        process_type="meeting",
        sheet=sheet,
        method="verbal",
        witness="W",
    )
    consent_withdraw(
        actor=cast.facilitator, participant=harmed, scope="take_part", process_type="meeting"
    )
    assert g9_withdrawal(case_facts(cast.case)) != []
    consent_give(
        actor=cast.facilitator,
        participant=harmed,
        scope="take_part",
        process_type="letters",
        sheet=sheet,
        method="verbal",
        witness="W",
    )
    assert g9_withdrawal(case_facts(cast.case)) == []
