from __future__ import annotations

import datetime
import json

import pytest

from amends.audit.actions import Action
from amends.audit.models import AuditEvent
from amends.core.errors import ApplicationError
from amends.crypto.blind_index import BlindIndexKind, blind_index, blind_index_name_and_birth_date
from amends.people.models import ContactChannel, Person
from amends.people.services import contact_channel_add, person_create, person_update_name

pytestmark = pytest.mark.django_db

BORN = datetime.date(1987, 6, 5)


def _audit_events(action: Action) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action))


def test_creating_a_person_stores_them_with_name_indexes(actor):
    person = person_create(
        actor=actor, given_name=" Ada ", family_name="Lovelace", date_of_birth=BORN
    )

    person.refresh_from_db()
    assert (person.given_name, person.family_name) == ("Ada", "Lovelace")
    assert person.name_index == blind_index("Ada Lovelace", BlindIndexKind.NAME)
    assert person.name_dob_index == blind_index_name_and_birth_date("Ada Lovelace", BORN)


def test_creating_a_person_is_audited_with_field_names_and_no_values(actor):
    person = person_create(
        actor=actor, given_name="Ada", family_name="Lovelace", date_of_birth=BORN, pronouns="she"
    )

    [event] = _audit_events(Action.PERSON_CREATED)
    assert event.actor_id == actor.pk
    assert event.target_id == str(person.pk)
    assert event.data == {"fields": ["given_name", "family_name", "date_of_birth", "pronouns"]}
    assert "Ada" not in json.dumps(event.data)


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ({"given_name": ""}, "given name"),
        ({"given_name": "   "}, "given name"),
        ({"given_name": "'-'"}, "at least one letter"),
        ({"date_of_birth": datetime.date(2999, 1, 1)}, "future"),
        ({"date_of_birth": datetime.datetime(1987, 6, 5, tzinfo=datetime.UTC)}, "without a time"),
        ({"preferred_language": "English"}, "language code"),
    ],
)
def test_creating_a_person_from_bad_input_is_refused_with_a_reason_and_creates_nothing(
    actor, arguments, reason
):
    with pytest.raises(ApplicationError) as refused:
        person_create(actor=actor, **{"given_name": "Ada", **arguments})

    assert any(reason in text for text in refused.value.reasons)
    assert not Person.objects.exists()
    assert not _audit_events(Action.PERSON_CREATED)


def test_a_language_code_with_a_region_is_accepted_and_lowercased(actor):
    person = person_create(actor=actor, given_name="Ada", preferred_language="PT-BR")

    assert person.preferred_language == "pt-br"


def test_renaming_a_person_recomputes_both_name_indexes(actor):
    person = person_create(actor=actor, given_name="Ada", family_name="Byron", date_of_birth=BORN)

    renamed = person_update_name(
        actor=actor, person=person, given_name="Ada", family_name="Lovelace"
    )

    renamed.refresh_from_db()
    assert renamed.family_name == "Lovelace"
    assert renamed.name_index == blind_index("Ada Lovelace", BlindIndexKind.NAME)
    assert renamed.name_dob_index == blind_index_name_and_birth_date("Ada Lovelace", BORN)


def test_renaming_is_audited_with_the_changed_field_names_only(actor):
    person = person_create(actor=actor, given_name="Ada", family_name="Byron")

    person_update_name(actor=actor, person=person, given_name="Ada", family_name="Lovelace")

    [event] = _audit_events(Action.PERSON_UPDATED)
    assert event.data == {"fields": ["family_name"]}


def test_renaming_to_the_same_name_changes_and_records_nothing(actor):
    person = person_create(actor=actor, given_name="Ada", family_name="Byron")

    person_update_name(actor=actor, person=person, given_name=" Ada ", family_name="Byron")

    assert not _audit_events(Action.PERSON_UPDATED)


def test_renaming_to_an_empty_given_name_is_refused_and_changes_nothing(actor):
    person = person_create(actor=actor, given_name="Ada", family_name="Byron")
    index_before = person.name_index

    with pytest.raises(ApplicationError, match="not changed") as refused:
        person_update_name(actor=actor, person=person, given_name=" ", family_name="Lovelace")

    assert refused.value.reasons == ["Give the person's given name."]
    person.refresh_from_db()
    assert (person.family_name, person.name_index) == ("Byron", index_before)


@pytest.mark.parametrize(
    ("kind", "value", "index_kind"),
    [
        (ContactChannel.Kind.PHONE, "07700 900123", BlindIndexKind.PHONE),
        (ContactChannel.Kind.EMAIL, "Ada@Example.org", BlindIndexKind.EMAIL),
    ],
)
def test_adding_a_phone_or_email_channel_indexes_its_value(actor, kind, value, index_kind):
    person = person_create(actor=actor, given_name="Ada")

    channel = contact_channel_add(
        actor=actor, person=person, kind=kind, value=f" {value} ", is_safe=False
    )

    channel.refresh_from_db()
    assert (channel.value, channel.is_safe) == (value, False)
    assert channel.value_index == blind_index(value, index_kind)


def test_a_postal_channel_has_no_index(actor):
    person = person_create(actor=actor, given_name="Ada")

    channel = contact_channel_add(
        actor=actor, person=person, kind="post", value="1 High Street", is_safe=True
    )

    assert channel.value_index == ""


def test_adding_a_channel_is_audited_without_its_value(actor):
    person = person_create(actor=actor, given_name="Ada")

    channel = contact_channel_add(
        actor=actor,
        person=person,
        kind="email",
        value="ada@example.org",
        is_safe=True,
        notes="Shared inbox",
    )

    [event] = _audit_events(Action.CONTACT_CHANNEL_ADDED)
    assert event.target_id == str(channel.pk)
    assert event.data == {
        "person": person.pk,
        "kind": "email",
        "is_safe": True,
        "fields": ["value", "notes"],
    }
    assert "ada@" not in json.dumps(event.data)


@pytest.mark.parametrize(
    ("arguments", "reason"),
    [
        ({"kind": "email", "value": "not-an-address"}, "not a valid e-mail address"),
        ({"kind": "phone", "value": "12"}, "not a phone number"),
        ({"kind": "phone", "value": "call me"}, "not a phone number"),
        ({"kind": "phone", "value": "  "}, "Give the phone number"),
        ({"kind": "pigeon"}, "Choose whether"),
        ({"is_safe": None}, "safe to contact"),
    ],
)
def test_adding_a_channel_from_bad_input_is_refused_with_a_reason_and_creates_nothing(
    actor, arguments, reason
):
    person = person_create(actor=actor, given_name="Ada")
    given = {"kind": "phone", "value": "07700 900123", "is_safe": True, **arguments}

    with pytest.raises(ApplicationError) as refused:
        contact_channel_add(actor=actor, person=person, **given)

    assert any(reason in text for text in refused.value.reasons)
    assert not ContactChannel.objects.exists()
    assert not _audit_events(Action.CONTACT_CHANNEL_ADDED)
