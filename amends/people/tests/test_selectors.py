from __future__ import annotations

import datetime

import pytest
from django.db import connection

from amends.people.models import ContactChannel
from amends.people.selectors import (
    person_find_by_email,
    person_find_by_name,
    person_find_by_name_and_birth_date,
    person_find_by_phone,
)
from amends.people.services import contact_channel_add, person_create

pytestmark = pytest.mark.django_db

BORN = datetime.date(1987, 6, 5)


@pytest.fixture
def jose(actor):
    person = person_create(actor=actor, given_name="José", family_name="Núñez", date_of_birth=BORN)
    contact_channel_add(
        actor=actor, person=person, kind="phone", value="07700 900123", is_safe=True
    )
    contact_channel_add(
        actor=actor, person=person, kind="email", value="Jose.Nunez@Example.org", is_safe=False
    )
    contact_channel_add(actor=actor, person=person, kind="post", value="1 High St", is_safe=True)
    return person


@pytest.fixture
def someone_else(actor):
    person = person_create(actor=actor, given_name="Grace", family_name="Hopper")
    contact_channel_add(
        actor=actor, person=person, kind=ContactChannel.Kind.OTHER, value="Signal", is_safe=True
    )
    return person


@pytest.mark.parametrize("search", ["José Núñez", "jose nunez", "  JOSE   NUÑEZ "])
def test_a_person_is_found_by_name_whatever_the_case_accents_and_spacing(
    jose, someone_else, search
):
    assert list(person_find_by_name(search)) == [jose]


def test_a_person_is_found_by_name_and_date_of_birth(jose, someone_else):
    assert list(person_find_by_name_and_birth_date("jose nunez", BORN)) == [jose]
    assert not person_find_by_name_and_birth_date("jose nunez", datetime.date(1987, 6, 6))


def test_a_person_without_a_date_of_birth_is_not_found_by_name_and_date(someone_else):
    assert not person_find_by_name_and_birth_date("Grace Hopper", BORN)


@pytest.mark.parametrize("search", ["07700 900123", "+44 7700 900123", "+447700900123"])
def test_a_person_is_found_by_phone_in_national_or_international_form(jose, someone_else, search):
    assert list(person_find_by_phone(search)) == [jose]


def test_a_person_is_found_by_email_whatever_its_case(jose, someone_else):
    assert list(person_find_by_email(" jose.nunez@example.ORG")) == [jose]


def test_a_phone_number_is_not_found_as_an_email_address(jose):
    assert not person_find_by_email("07700 900123")


def test_a_person_with_two_matching_channels_is_found_once(actor, jose):
    contact_channel_add(
        actor=actor, person=jose, kind="phone", value="+44 7700 900123", is_safe=False
    )

    assert list(person_find_by_phone("07700900123")) == [jose]


@pytest.mark.parametrize(
    "finder", [person_find_by_name, person_find_by_phone, person_find_by_email]
)
def test_a_search_that_normalises_to_nothing_finds_no_one(jose, someone_else, finder):
    # Channels without an index store ''; an empty search must not match them.
    assert not finder(" -' ")


def test_searching_an_unknown_name_finds_no_one(jose):
    assert not person_find_by_name("Ada Lovelace")


@pytest.mark.parametrize(
    ("table", "column"),
    [
        ("people_person", "name_index"),
        ("people_person", "name_dob_index"),
        ("people_contactchannel", "value_index"),
    ],
)
def test_blind_indexes_are_indexed_in_the_database(table, column):
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, table)

    assert any(info["index"] and info["columns"] == [column] for info in constraints.values())
