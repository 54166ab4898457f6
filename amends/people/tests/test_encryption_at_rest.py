from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import FieldError
from django.test import override_settings

from amends.crypto.keys import DecryptionError
from amends.people.models import ContactChannel, Person
from amends.people.services import contact_channel_add, person_create
from amends.people.tests.conftest import raw_row

pytestmark = pytest.mark.django_db

BORN = datetime.date(1987, 6, 5)


def _ada(actor) -> Person:
    return person_create(
        actor=actor,
        given_name="Ada",
        family_name="Lovelace",
        date_of_birth=BORN,
        pronouns="she/her",
        accessibility_needs="Step-free access",
    )


def test_the_database_holds_ciphertext_not_the_personal_values(actor):
    person = _ada(actor)

    stored = raw_row(
        "people_person",
        person.pk,
        "given_name",
        "family_name",
        "date_of_birth",
        "pronouns",
        "accessibility_needs",
    )

    for plain, cipher in zip(
        ["Ada", "Lovelace", "1987-06-05", "she/her", "Step-free access"], stored, strict=True
    ):
        assert isinstance(cipher, str)
        assert cipher.startswith("gAAAAA")
        assert plain not in cipher
    assert "1987" not in str(stored[2])


def test_the_database_holds_a_contact_value_as_ciphertext(actor):
    channel = contact_channel_add(
        actor=actor,
        person=_ada(actor),
        kind=ContactChannel.Kind.PHONE,
        value="07700 900123",
        is_safe=True,
        safe_times="Weekdays after 6pm",
    )

    value, safe_times = raw_row("people_contactchannel", channel.pk, "value", "safe_times")

    assert "900123" not in str(value)
    assert "6pm" not in str(safe_times)


def test_values_read_back_are_the_originals(actor):
    person = Person.objects.get(pk=_ada(actor).pk)

    assert (person.given_name, person.family_name) == ("Ada", "Lovelace")
    assert person.date_of_birth == BORN
    assert person.pronouns == "she/her"


def test_an_empty_value_stays_empty_and_a_missing_date_stays_null(actor):
    person = person_create(actor=actor, given_name="Ada")

    family_name, date_of_birth, pronouns, name_dob_index = raw_row(
        "people_person", person.pk, "family_name", "date_of_birth", "pronouns", "name_dob_index"
    )

    assert (family_name, date_of_birth, pronouns, name_dob_index) == ("", None, "", "")
    reloaded = Person.objects.get(pk=person.pk)
    assert (reloaded.family_name, reloaded.date_of_birth) == ("", None)


def test_reading_under_another_key_raises_decryption_error_not_ciphertext(actor, key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        person = _ada(actor)

    with override_settings(ENCRYPTION_KEYS=[key_b]), pytest.raises(DecryptionError):
        Person.objects.get(pk=person.pk)


@pytest.mark.parametrize(
    "lookup",
    [
        {"given_name": "Ada"},
        {"given_name__iexact": "ada"},
        {"family_name__contains": "Love"},
        {"date_of_birth": BORN},
        {"date_of_birth__year": 1987},
        {"channels__value": "07700 900123"},
    ],
)
def test_searching_an_encrypted_field_directly_is_refused_with_a_pointer_to_blind_indexes(lookup):
    with pytest.raises(FieldError, match="blind index"):
        Person.objects.filter(**lookup)


def test_asking_whether_an_encrypted_field_is_null_is_allowed(actor):
    _ada(actor)
    person_create(actor=actor, given_name="Grace")

    assert Person.objects.filter(date_of_birth__isnull=True).count() == 1
