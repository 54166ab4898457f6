"""Taking a referral in: everything in one transaction, the right people allowed, and
every bad input refused with a clear reason and nothing written."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

import pytest
from django.utils import timezone

from amends.audit.models import AuditEvent
from amends.cases.models import Participant
from amends.core.errors import ApplicationError, PermissionRefused
from amends.core.testing.matrix import domain_snapshot
from amends.people.models import ContactChannel, Person
from amends.referrals.services import ChannelInput, OffenceInput, PersonInput
from amends.referrals.tests.helpers import (
    HARMED_PHONE,
    category,
    harmed,
    responsible,
    submit,
)
from amends.tasks.models import Task

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
TOMORROW = TODAY + datetime.timedelta(days=1)


def test_staff_intake_creates_referral_offences_people_channels_case_and_clocks(cast):
    # when
    case = submit(cast.coordinator, cast.programme)
    # then
    referral = case.referral
    assert case.stage == "referred"
    assert case.coordinator == cast.coordinator
    assert referral.submitted_by is None
    assert referral.decision == "pending"
    assert [o.category.code for o in referral.offences.all()] == ["violence"]
    roles = {p.role: p.person for p in case.participants.select_related("person")}
    assert set(roles) == {"harmed", "responsible"}
    assert roles["harmed"].given_name == "Hana"
    phone = roles["harmed"].channels.get()
    assert (phone.kind, phone.value, phone.is_safe, phone.safe_times) == (
        "phone",
        HARMED_PHONE,
        True,
        "weekday mornings",
    )
    assert roles["responsible"].channels.get().is_safe is False
    assert set(Task.objects.filter(case=case).values_list("kind", flat=True)) == {
        "information_due",
        "support_referral_due",
    }


def test_a_supervisor_takes_a_referral_in_without_becoming_its_coordinator(cast):
    case = submit(cast.supervisor, cast.programme, source_type="self")
    assert case.coordinator is None
    assert case.referral.source_type == "self"


def test_a_referrers_submission_records_them_and_opens_a_case_without_a_coordinator(cast):
    case = submit(cast.referrer, cast.programme)
    assert case.referral.submitted_by == cast.referrer
    assert case.coordinator is None
    assert case.participants.count() == 2


def test_the_audit_event_names_what_was_received_without_personal_values(cast):
    case = submit(cast.coordinator, cast.programme)
    event = AuditEvent.objects.get(action="referral.received")
    assert event.actor_id == cast.coordinator.pk
    assert event.target_id == str(case.referral.pk)
    assert event.data["form"] == "staff"
    assert event.data["categories"] == ["violence"]
    assert event.data["people"] == 2
    stored = str(event.data)
    for personal in ("Hana", "Harmed", "Ray", "7700", "example.org", "window", "NP/123"):
        assert personal not in stored


@pytest.mark.parametrize("name", ["facilitator", "advocate", "evaluator", "administrator"])
def test_members_without_a_referral_role_cannot_send_one(cast, name):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        submit(cast.users[name], cast.programme)
    assert domain_snapshot() == before


def test_a_supervisor_of_another_programme_cannot_send_one_here(cast):
    before = domain_snapshot()
    with pytest.raises(PermissionRefused):
        submit(cast.other_supervisor, cast.programme)
    assert domain_snapshot() == before


def test_a_referrer_cannot_enter_a_self_referral(cast):
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        submit(cast.referrer, cast.programme, source_type="self")
    assert refusal.value.reasons == ["A self-referral is entered by the programme's staff."]
    assert domain_snapshot() == before


def _other_programme_category(cast):
    return category(cast.other_programme, "violence")


def _inactive_category(cast):
    found = category(cast.programme, "other")
    found.is_active = False
    found.save()
    return found


BAD_INPUT: dict[str, tuple[Callable[[Any], dict[str, Any]], str]] = {
    "no offence": (lambda cast: {"offences": []}, "Add at least one offence."),
    "no key person": (
        lambda cast: {"people": [harmed(role="supporter")]},
        "Add at least one person harmed or person responsible.",
    ),
    "no people": (
        lambda cast: {"people": []},
        "Add at least one person harmed or person responsible.",
    ),
    "report in the future": (
        lambda cast: {"crime_reported_on": TOMORROW},
        "The date the crime was reported cannot be in the future.",
    ),
    "offence in the future": (
        lambda cast: {
            "crime_reported_on": None,
            "offences": [OffenceInput(category(cast.programme, "property"), occurred_on=TOMORROW)],
        },
        "Offence 1: the date of the offence cannot be in the future.",
    ),
    "offence after the report": (
        lambda cast: {
            "crime_reported_on": TODAY - datetime.timedelta(days=5),
            "offences": [
                OffenceInput(
                    category(cast.programme, "property"),
                    occurred_on=TODAY - datetime.timedelta(days=1),
                )
            ],
        },
        "Offence 1: the offence cannot have happened after it was reported.",
    ),
    "category of another programme": (
        lambda cast: {"offences": [OffenceInput(_other_programme_category(cast))]},
        "Offence 1: its category is not one this programme uses.",
    ),
    "category no longer in use": (
        lambda cast: {"offences": [OffenceInput(_inactive_category(cast))]},
        "Offence 1: its category is not one this programme uses.",
    ),
    "offence without category": (
        lambda cast: {"offences": [OffenceInput(None)]},
        "Offence 1: choose its category.",
    ),
    "unknown justice stage": (
        lambda cast: {
            "offences": [OffenceInput(category(cast.programme, "property"), justice_stage="x")]
        },
        "Offence 1: choose the justice stage.",
    ),
    "unknown source": (
        lambda cast: {"source_type": "rumour"},
        "Choose who is making the referral.",
    ),
    "unknown urgency": (lambda cast: {"urgency": "whenever"}, "Choose how urgent the referral is."),
    "person without a name": (
        lambda cast: {"people": [harmed(given_name="  ")]},
        "Person 1: Give the person's given name.",
    ),
    "born in the future": (
        lambda cast: {"people": [harmed(date_of_birth=TOMORROW)]},
        "Person 1: The date of birth cannot be in the future.",
    ),
    "born too long ago": (
        lambda cast: {"people": [harmed(date_of_birth=datetime.date(1850, 1, 1))]},
        "Person 1: The date of birth is more than 120 years ago; check the year.",
    ),
    "bad language": (
        lambda cast: {"people": [harmed(preferred_language="english")]},
        "Person 1: “english” is not a language code; use two letters such as “en” or “cy”.",
    ),
    "unknown role": (
        lambda cast: {"people": [harmed(), responsible(role="bystander")]},
        "Person 2: choose the person's role.",
    ),
    "bad phone": (
        lambda cast: {"people": [harmed(channels=(ChannelInput("phone", "12", True),))]},
        "Person 1: “12” is not a phone number that can be dialled.",
    ),
    "bad e-mail": (
        lambda cast: {"people": [harmed(channels=(ChannelInput("email", "not-mail", True),))]},
        "Person 1: “not-mail” is not a valid e-mail address.",
    ),
    "channel safety not decided": (
        lambda cast: {"people": [harmed(channels=(ChannelInput("phone", HARMED_PHONE, None),))]},
        "Person 1: Say whether it is safe to contact the person this way.",
    ),
    "guardian for nobody": (
        lambda cast: {"people": [harmed(), PersonInput(role="guardian", given_name="Gil")]},
        "Person 2: say whom this person is a parent or guardian for.",
    ),
    "guardian for themselves": (
        lambda cast: {
            "people": [harmed(), PersonInput(role="guardian", given_name="Gil", guardian_for=1)]
        },
        "Person 2: choose another person in this referral as the one they are guardian for.",
    ),
    "guardian role missing": (
        lambda cast: {"people": [harmed(), responsible(guardian_for=0)]},
        "Person 2: only a parent or guardian can be guardian for someone.",
    ),
}


@pytest.mark.parametrize("problem", list(BAD_INPUT))
def test_bad_input_is_refused_with_a_clear_reason_and_writes_nothing(cast, problem):
    # given
    make_changes, reason = BAD_INPUT[problem]
    changes = make_changes(cast)
    before = domain_snapshot()
    # when
    with pytest.raises(ApplicationError) as refusal:
        submit(cast.coordinator, cast.programme, **changes)
    # then
    assert refusal.value.message == "The referral was not sent."
    assert reason in refusal.value.reasons
    assert domain_snapshot() == before


def test_every_problem_is_reported_at_once(cast):
    with pytest.raises(ApplicationError) as refusal:
        submit(
            cast.coordinator,
            cast.programme,
            crime_reported_on=TOMORROW,
            offences=[],
            people=[harmed(given_name=""), responsible(date_of_birth=TOMORROW)],
        )
    assert len(refusal.value.reasons) == 4


def test_a_guardian_is_added_for_the_person_they_are_guardian_for(cast):
    child = harmed(given_name="Kim", date_of_birth=TODAY.replace(year=TODAY.year - 12))
    guardian = PersonInput(
        role="guardian", given_name="Gil", family_name="Guardian", guardian_for=1
    )
    case = submit(cast.coordinator, cast.programme, people=[guardian, child, responsible()])
    added = Participant.objects.get(case=case, role="guardian")
    assert added.guardian_for is not None
    assert added.guardian_for.role == "harmed"
    assert added.guardian_for.person.given_name == "Kim"


# --- linking people already known ------------------------------------------------------
def test_staff_can_link_a_person_the_programme_already_knows(cast):
    # given
    first = submit(cast.coordinator, cast.programme)
    known = first.participants.get(role="harmed").person
    people_before = Person.objects.count()
    # when
    second = submit(
        cast.coordinator,
        cast.programme,
        people=[harmed(existing_person=known, given_name=""), responsible(given_name="Rob")],
    )
    # then
    assert second.participants.get(role="harmed").person == known
    assert Person.objects.count() == people_before + 1
    event = AuditEvent.objects.filter(action="referral.received").latest("pk")
    assert event.data["linked_people"] == [known.pk]


def test_linking_adds_only_the_contact_details_the_person_does_not_have(cast):
    first = submit(cast.coordinator, cast.programme)
    known = first.participants.get(role="harmed").person
    channels = (
        ChannelInput("phone", "07700 900111", True),  # the same number, written nationally
        ChannelInput("email", "hana@example.org", True),
    )
    submit(
        cast.coordinator,
        cast.programme,
        people=[harmed(existing_person=known, channels=channels), responsible()],
    )
    assert sorted(ContactChannel.objects.filter(person=known).values_list("kind", flat=True)) == [
        "email",
        "phone",
    ]


def test_a_referrer_can_never_link_a_known_person(cast):
    known = submit(cast.coordinator, cast.programme).participants.get(role="harmed").person
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        submit(
            cast.referrer,
            cast.programme,
            people=[harmed(existing_person=known), responsible()],
        )
    assert (
        "Person 1: only the programme's staff can link someone already known."
        in refusal.value.reasons
    )
    assert domain_snapshot() == before


def test_a_person_known_only_to_another_programme_cannot_be_linked(cast):
    elsewhere = submit(
        cast.other_supervisor,
        cast.other_programme,
        offences=[OffenceInput(category(cast.other_programme, "violence"))],
    )
    stranger = elsewhere.participants.get(role="harmed").person
    before = domain_snapshot()
    with pytest.raises(ApplicationError) as refusal:
        submit(
            cast.coordinator,
            cast.programme,
            people=[harmed(existing_person=stranger), responsible()],
        )
    assert (
        "Person 1: the person chosen to link is not known to this programme."
        in refusal.value.reasons
    )
    assert domain_snapshot() == before


def test_the_same_known_person_cannot_be_linked_twice(cast):
    known = submit(cast.coordinator, cast.programme).participants.get(role="harmed").person
    with pytest.raises(ApplicationError) as refusal:
        submit(
            cast.coordinator,
            cast.programme,
            people=[
                harmed(existing_person=known),
                responsible(existing_person=known),
            ],
        )
    assert "The same known person is linked more than once." in refusal.value.reasons


def test_linking_with_a_channel_marked_unsafe_makes_the_known_channel_unsafe(cast):
    # given a known person whose phone is recorded as safe
    known = submit(cast.coordinator, cast.programme).participants.get(role="harmed").person
    # when a new referral says that number is not safe any more
    submit(
        cast.coordinator,
        cast.programme,
        people=[
            harmed(existing_person=known, channels=(ChannelInput("phone", HARMED_PHONE, False),)),
            responsible(),
        ],
    )
    # then the safer answer holds
    phone = ContactChannel.objects.get(person=known)
    assert phone.is_safe is False
    event = AuditEvent.objects.filter(action="person.updated").latest("pk")
    assert event.data["fields"] == ["is_safe"]


def test_linking_never_makes_an_unsafe_channel_safe(cast):
    unsafe_phone = (ChannelInput("phone", HARMED_PHONE, False),)
    first = submit(cast.coordinator, cast.programme, people=[harmed(channels=unsafe_phone)])
    known = first.participants.get(role="harmed").person
    submit(
        cast.coordinator,
        cast.programme,
        people=[
            harmed(existing_person=known, channels=(ChannelInput("phone", HARMED_PHONE, True),)),
            responsible(),
        ],
    )
    assert ContactChannel.objects.get(person=known).is_safe is False
