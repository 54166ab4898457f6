"""Possible duplicates through blind indexes: offered with what matched, limited to the
programme, and never linked or merged without someone choosing it."""

from __future__ import annotations

import datetime

import pytest

from amends.core.testing.matrix import domain_snapshot
from amends.people.selectors import possible_duplicates
from amends.referrals.services import OffenceInput
from amends.referrals.tests.helpers import (
    HARMED_PHONE,
    RESPONSIBLE_EMAIL,
    category,
    harmed,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def known(cast):
    """Hana Harmed (born 1 May 1980, phone HARMED_PHONE) in a Northshire case."""
    return submit(cast.coordinator, cast.programme).participants.get(role="harmed").person


def test_the_same_name_and_date_of_birth_is_a_possible_duplicate(cast, known):
    found = possible_duplicates(
        cast.programme,
        given_name="hana",
        family_name="HARMED",
        date_of_birth=datetime.date(1980, 5, 1),
    )
    assert [(match.person, match.matched) for match in found] == [(known, ("name_and_birth_date",))]
    assert (found[0].name, found[0].birth_year) == ("Hana Harmed", 1980)


def test_the_same_name_with_another_date_of_birth_is_not(cast, known):
    assert not possible_duplicates(
        cast.programme,
        given_name="Hana",
        family_name="Harmed",
        date_of_birth=datetime.date(1981, 5, 1),
    )


def test_the_same_phone_written_another_way_is_a_possible_duplicate(cast, known):
    found = possible_duplicates(cast.programme, given_name="Someone", phones=["07700 900111"])
    assert [(match.person, match.matched) for match in found] == [(known, ("phone",))]


def test_the_same_email_is_a_possible_duplicate(cast):
    case = submit(cast.coordinator, cast.programme)
    ray = case.participants.get(role="responsible").person
    found = possible_duplicates(cast.programme, given_name="R", emails=[RESPONSIBLE_EMAIL.upper()])
    assert [(match.person, match.matched) for match in found] == [(ray, ("email",))]


def test_every_matching_detail_is_named_and_the_best_match_comes_first(cast, known):
    submit(
        cast.coordinator,
        cast.programme,
        people=[harmed(given_name="Other", family_name="Person", date_of_birth=None)],
    )
    found = possible_duplicates(
        cast.programme,
        given_name="Hana",
        family_name="Harmed",
        date_of_birth=datetime.date(1980, 5, 1),
        phones=[HARMED_PHONE],
    )
    assert found[0].person == known
    assert found[0].matched == ("name_and_birth_date", "phone")
    assert [match.matched for match in found[1:]] == [("phone",)]


def test_people_known_only_to_another_programme_are_never_offered(cast):
    submit(
        cast.other_supervisor,
        cast.other_programme,
        offences=[OffenceInput(category(cast.other_programme, "violence"))],
    )
    assert not possible_duplicates(cast.programme, given_name="Hana", phones=[HARMED_PHONE])
    assert possible_duplicates(cast.other_programme, given_name="Hana", phones=[HARMED_PHONE])


def test_finding_duplicates_writes_nothing(cast, known):
    before = domain_snapshot()
    possible_duplicates(cast.programme, given_name="Hana", phones=[HARMED_PHONE])
    assert domain_snapshot() == before
