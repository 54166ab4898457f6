"""Every write to people and their contact channels, each audited in the same transaction.

Audit data names the fields that changed and never their values: the values are
encrypted personal data and the audit log is not.
"""

from __future__ import annotations

import datetime
import re

import phonenumbers
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.crypto.blind_index import (
    BlindIndexKind,
    blind_index,
    blind_index_name_and_birth_date,
    normalise_name,
    phone_region,
)
from amends.people.models import ContactChannel, Person

# ISO 639-1 language, optionally a region or script subtag ("cy", "pt-br", "zh-hant").
_LANGUAGE_CODE = re.compile(r"[a-z]{2}(-[a-z0-9]{2,4})?")
# Nobody alive was born longer ago than this; an older date is a typing slip.
OLDEST_PLAUSIBLE_AGE = 120
_PERSON_NAME_FIELDS = ("given_name", "family_name")
_PERSON_DATA_FIELDS = (
    *_PERSON_NAME_FIELDS,
    "date_of_birth",
    "pronouns",
    "preferred_language",
    "interpreter_needed",
    "accessibility_needs",
)


def person_create(
    *,
    actor: User | None,
    given_name: str,
    family_name: str = "",
    date_of_birth: datetime.date | None = None,
    pronouns: str = "",
    preferred_language: str = "",
    interpreter_needed: bool = False,
    accessibility_needs: str = "",
) -> Person:
    """Add a person, with the blind indexes that let them be found again.

    `actor` is None only for work the system does on its own (imports).
    Raises ApplicationError, creating nothing, when the name is missing, the date of
    birth is in the future or the language is not an ISO 639-1 code.
    """
    given_name, family_name = given_name.strip(), family_name.strip()
    preferred_language = preferred_language.strip().lower()
    reasons = _name_problems(given_name) + _birth_date_problems(date_of_birth)
    if preferred_language and not _LANGUAGE_CODE.fullmatch(preferred_language):
        reasons.append(
            f"“{preferred_language}” is not a language code; use two letters such as “en” or “cy”."
        )
    if reasons:
        raise ApplicationError("The person was not added.", reasons=reasons)
    person = Person(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        pronouns=pronouns.strip(),
        preferred_language=preferred_language,
        interpreter_needed=interpreter_needed,
        accessibility_needs=accessibility_needs.strip(),
    )
    _set_name_indexes(person)
    filled = [
        name for name in _PERSON_DATA_FIELDS if getattr(person, name) not in ("", None, False)
    ]
    with transaction.atomic():
        person.save()
        audit_record(
            actor=actor, action=Action.PERSON_CREATED, target=person, data={"fields": filled}
        )
    return person


def person_update_name(
    *, actor: User | None, person: Person, given_name: str, family_name: str
) -> Person:
    """Change a person's name and recompute the blind indexes that contain it.

    Returns the person as saved. Does nothing (and records nothing) when the name is
    unchanged. Raises ApplicationError, changing nothing, when the new given name is missing.
    """
    given_name, family_name = given_name.strip(), family_name.strip()
    reasons = _name_problems(given_name)
    if reasons:
        raise ApplicationError("The name was not changed.", reasons=reasons)
    with transaction.atomic():
        # Re-read under a lock so two simultaneous edits cannot leave indexes that
        # match neither name.
        locked = Person.objects.select_for_update().get(pk=person.pk)
        new_values = {"given_name": given_name, "family_name": family_name}
        changed = [
            name for name in _PERSON_NAME_FIELDS if getattr(locked, name) != new_values[name]
        ]
        if not changed:
            return locked
        locked.given_name, locked.family_name = given_name, family_name
        _set_name_indexes(locked)
        locked.save(update_fields=[*changed, "name_index", "name_dob_index", "updated_at"])
        audit_record(
            actor=actor, action=Action.PERSON_UPDATED, target=locked, data={"fields": changed}
        )
    return locked


def person_set_birth_date(
    *, actor: User | None, person: Person, date_of_birth: datetime.date
) -> Person:
    """Record or correct a person's date of birth (it decides who must consent, G3), and
    the blind index that contains it. Does nothing when it is unchanged."""
    reasons = _birth_date_problems(date_of_birth)
    if reasons:
        raise ApplicationError("The date of birth was not saved.", reasons=reasons)
    with transaction.atomic():
        locked = Person.objects.select_for_update().get(pk=person.pk)
        if locked.date_of_birth == date_of_birth:
            return locked
        locked.date_of_birth = date_of_birth
        _set_name_indexes(locked)
        locked.save(update_fields=["date_of_birth", "name_dob_index", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PERSON_UPDATED,
            target=locked,
            data={"fields": ["date_of_birth"]},
        )
    return locked


def contact_channel_add(
    *,
    actor: User | None,
    person: Person,
    kind: str,
    value: str,
    is_safe: bool,
    safe_times: str = "",
    notes: str = "",
) -> ContactChannel:
    """Record a way of reaching a person, and whether it is safe to use.

    `is_safe` has no default: someone must decide it. Phone numbers must be possible
    numbers (read with the PHONE_REGION setting when they have no country code) and
    e-mail addresses valid; both get a blind index so the person can be found by them.
    Raises ApplicationError, creating nothing, on bad input.
    """
    value = value.strip()
    reasons = _channel_problems(kind, value, is_safe)
    if reasons:
        raise ApplicationError("The contact channel was not added.", reasons=reasons)
    channel_kind = ContactChannel.Kind(kind)
    with transaction.atomic():
        # Lock the person so the channel cannot be added to someone being erased.
        locked = Person.objects.select_for_update().get(pk=person.pk)
        channel = ContactChannel(
            person=locked,
            kind=channel_kind,
            value=value,
            value_index=_channel_index(channel_kind, value),
            is_safe=is_safe,
            safe_times=safe_times.strip(),
            notes=notes.strip(),
        )
        channel.save()
        filled = [name for name in ("value", "safe_times", "notes") if getattr(channel, name)]
        audit_record(
            actor=actor,
            action=Action.CONTACT_CHANNEL_ADDED,
            target=channel,
            data={
                "person": locked.pk,
                "kind": channel_kind.value,
                "is_safe": is_safe,
                "fields": filled,
            },
        )
    return channel


def _name_problems(given_name: str) -> list[str]:
    if not given_name:
        return ["Give the person's given name."]
    if not normalise_name(given_name):
        return ["The given name must contain at least one letter."]
    return []


def _birth_date_problems(date_of_birth: datetime.date | None) -> list[str]:
    if date_of_birth is None:
        return []
    if isinstance(date_of_birth, datetime.datetime):
        return ["Give the date of birth as a date, without a time."]
    today = timezone.localdate()
    if date_of_birth > today:
        return ["The date of birth cannot be in the future."]
    if date_of_birth < _years_before(today, OLDEST_PLAUSIBLE_AGE):
        return [f"The date of birth is more than {OLDEST_PLAUSIBLE_AGE} years ago; check the year."]
    return []


def _years_before(day: datetime.date, years: int) -> datetime.date:
    # 29 February has no twin in most years; the day before is close enough.
    if (day.month, day.day) == (2, 29):
        day = day - datetime.timedelta(days=1)
    return day.replace(year=day.year - years)


def _channel_problems(kind: str, value: str, is_safe: object) -> list[str]:
    reasons = []
    if kind not in ContactChannel.Kind.values:
        reasons.append("Choose whether this is a phone number, an e-mail address, post or other.")
    if not isinstance(is_safe, bool):
        reasons.append("Say whether it is safe to contact the person this way.")
    if not value:
        reasons.append("Give the phone number, address or other contact details.")
    elif kind == ContactChannel.Kind.PHONE and not _is_possible_phone_number(value):
        reasons.append(f"“{value}” is not a phone number that can be dialled.")
    elif kind == ContactChannel.Kind.EMAIL and not _is_valid_email(value):
        reasons.append(f"“{value}” is not a valid e-mail address.")
    return reasons


def _is_possible_phone_number(value: str) -> bool:
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_possible_number(number))


def _is_valid_email(value: str) -> bool:
    try:
        validate_email(value)
    except ValidationError:
        return False
    return True


def _channel_index(kind: ContactChannel.Kind, value: str) -> str:
    index_kind = {
        ContactChannel.Kind.PHONE: BlindIndexKind.PHONE,
        ContactChannel.Kind.EMAIL: BlindIndexKind.EMAIL,
    }.get(kind)
    return "" if index_kind is None else blind_index(value, index_kind)


def _set_name_indexes(person: Person) -> None:
    full_name = f"{person.given_name} {person.family_name}"
    person.name_index = blind_index(full_name, BlindIndexKind.NAME)
    person.name_dob_index = (
        ""
        if person.date_of_birth is None
        else blind_index_name_and_birth_date(full_name, person.date_of_birth)
    )


def person_problems(
    *, given_name: str, date_of_birth: datetime.date | None = None, preferred_language: str = ""
) -> list[str]:
    """What `person_create` would refuse in these details, without creating anything: for
    forms that add several people at once and must report every problem together."""
    language = preferred_language.strip().lower()
    reasons = _name_problems(given_name.strip()) + _birth_date_problems(date_of_birth)
    if language and not _LANGUAGE_CODE.fullmatch(language):
        reasons.append(
            f"“{language}” is not a language code; use two letters such as “en” or “cy”."
        )
    return reasons


def contact_channel_problems(*, kind: str, value: str, is_safe: object) -> list[str]:
    """What `contact_channel_add` would refuse in these details, without adding anything."""
    return _channel_problems(kind, value.strip(), is_safe)


def contact_channel_find(*, person: Person, kind: str, value: str) -> ContactChannel | None:
    """The person's channel of this kind with this value, if they have it. Phones and
    e-mail addresses compare by their blind index (so "07700 900123" is "+44 7700 900123");
    other kinds by the text, ignoring case and spacing."""
    channel_kind = ContactChannel.Kind(kind)
    index = _channel_index(channel_kind, value.strip())
    channels = ContactChannel.objects.filter(person=person, kind=channel_kind).order_by("pk")
    if index:
        return channels.filter(value_index=index).first()
    wanted = " ".join(value.split()).casefold()
    for channel in channels:
        if " ".join(channel.value.split()).casefold() == wanted:
            return channel
    return None


def contact_channel_mark_unsafe(*, actor: User | None, channel: ContactChannel) -> ContactChannel:
    """Mark a channel unsafe to use (G10): someone learned it is shared or watched.

    Only ever in this direction: making a channel safe again is a deliberate decision
    with its own page, never a side effect. Does nothing when it is already unsafe.
    """
    with transaction.atomic():
        locked = ContactChannel.objects.select_for_update().get(pk=channel.pk)
        if not locked.is_safe:
            return locked
        locked.is_safe = False
        locked.save(update_fields=["is_safe", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PERSON_UPDATED,
            target=locked.person,
            data={
                "channel": locked.pk,
                "kind": locked.kind,
                "fields": ["is_safe"],
                "is_safe": False,
            },
        )
    return locked
