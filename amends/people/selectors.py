"""Finding people by what identifies them, through blind indexes only.

These are the raw finders: they search everyone. Views and the API must not call them
directly; the case-scoped selectors (permission scoping by case, a later issue) wrap
them and narrow the result to the people the user may see. Nothing here decrypts a
value to compare it; a search text that normalises to nothing finds no one.
"""

from __future__ import annotations

import datetime

from django.db.models import QuerySet

from amends.crypto.blind_index import BlindIndexKind, blind_index, blind_index_name_and_birth_date
from amends.people.models import ContactChannel, Person


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
