"""Finding people by what identifies them, through blind indexes only.

These are the raw finders: they search everyone. Views and the API must not call them
directly; the case-scoped selectors (permission scoping by case, a later issue) wrap
them and narrow the result to the people the user may see. Nothing here decrypts a
value to compare it; a search text that normalises to nothing finds no one.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from amends.crypto.blind_index import BlindIndexKind, blind_index, blind_index_name_and_birth_date
from amends.people.models import ContactChannel, Person
from amends.programmes.models import Programme


def person_find_by_name(name: str) -> QuerySet[Person]:
    """People whose "given family" name matches, ignoring case, accents, spacing and
    punctuation as `amends.crypto.blind_index.normalise_name` describes."""
    try:
        index = blind_index(name, BlindIndexKind.NAME)
    except ValueError:
        return Person.objects.none()
    return Person.objects.filter(name_index=index)


def person_find_by_name_and_birth_date(name: str, date: datetime.date) -> QuerySet[Person]:
    """People with this name (matched as in `person_find_by_name`) born on this date."""
    try:
        index = blind_index_name_and_birth_date(name, date)
    except ValueError:
        return Person.objects.none()
    return Person.objects.filter(name_dob_index=index)


def person_find_by_phone(phone: str) -> QuerySet[Person]:
    """People with a phone channel for this number, in national or international form."""
    return _person_find_by_channel(phone, ContactChannel.Kind.PHONE, BlindIndexKind.PHONE)


def person_find_by_email(email: str) -> QuerySet[Person]:
    """People with an e-mail channel for this address, ignoring case and outer spaces."""
    return _person_find_by_channel(email, ContactChannel.Kind.EMAIL, BlindIndexKind.EMAIL)


def _person_find_by_channel(
    value: str, kind: ContactChannel.Kind, index_kind: BlindIndexKind
) -> QuerySet[Person]:
    try:
        index = blind_index(value, index_kind)
    except ValueError:
        return Person.objects.none()
    matching = ContactChannel.objects.filter(kind=kind, value_index=index)
    # A subquery rather than a join: one row per person however many channels match.
    return Person.objects.filter(pk__in=matching.values("person_id"))


@dataclass(frozen=True)
class PossibleDuplicate:
    """Someone already known who may be the person being entered, and why we think so.

    Only what a coordinator needs to decide: the name, the year of birth and which
    details matched. Nothing here is linked or merged; a person decides.
    """

    person: Person
    matched: tuple[str, ...]

    @property
    def name(self) -> str:
        return f"{self.person.given_name} {self.person.family_name}".strip()

    @property
    def birth_year(self) -> int | None:
        born = self.person.date_of_birth
        return born.year if born is not None else None


MATCHED_NAME_AND_BIRTH_DATE = "name_and_birth_date"
MATCHED_PHONE = "phone"
MATCHED_EMAIL = "email"


def possible_duplicates(
    programme: Programme | None,
    *,
    given_name: str,
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    phones: Iterable[str] = (),
    emails: Iterable[str] = (),
) -> list[PossibleDuplicate]:
    """People who may be this person: the same name and date of birth, the same phone
    number or the same e-mail address, each through its blind index.

    With a programme, only people who take part in that programme's cases are offered:
    a coordinator must not learn that someone is known to another programme. None
    searches everyone (system work only). Ordered by how many details matched.
    """
    found: dict[int, list[str]] = {}

    def collect(people: QuerySet[Person], reason: str) -> None:
        for person_id in people.values_list("pk", flat=True):
            reasons = found.setdefault(person_id, [])
            if reason not in reasons:
                reasons.append(reason)

    full_name = f"{given_name} {family_name}"
    if date_of_birth is not None:
        collect(
            _in_programme(person_find_by_name_and_birth_date(full_name, date_of_birth), programme),
            MATCHED_NAME_AND_BIRTH_DATE,
        )
    for phone in dict.fromkeys(value for value in phones if value.strip()):
        collect(_in_programme(person_find_by_phone(phone), programme), MATCHED_PHONE)
    for email in dict.fromkeys(value for value in emails if value.strip()):
        collect(_in_programme(person_find_by_email(email), programme), MATCHED_EMAIL)
    if not found:
        return []
    people = Person.objects.in_bulk(list(found))
    matches = [PossibleDuplicate(people[pk], tuple(found[pk])) for pk in found if pk in people]
    return sorted(matches, key=lambda match: (-len(match.matched), match.person.pk))


def person_is_in_programme(person_id: int, programme: Programme) -> bool:
    """Does this person take part in any case of the programme? (Linking is limited to them.)"""
    return Person.objects.filter(
        pk=person_id, participations__case__programme_id=programme.pk
    ).exists()


def _in_programme(people: QuerySet[Person], programme: Programme | None) -> QuerySet[Person]:
    if programme is None:
        return people
    # The reverse relation by name: people must not import the cases app (cases imports
    # people).
    return people.filter(participations__case__programme_id=programme.pk).distinct()
