"""Blind indexes: exact-match search over encrypted values without decrypting them.

A blind index is a keyed hash (HMAC-SHA256 under `settings.BLIND_INDEX_KEY`, a key kept
apart from the encryption keys) of a normalised value, stored next to the encrypted
value. Searching hashes the search text the same way and compares hashes. Without the
key, the hashes cannot be recomputed from a guessed name or number.

Normalisation decides what counts as "the same": each normaliser below documents its
choices. Changing a normaliser changes every index it produced, so it needs a data
migration that recomputes them.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import re
import unicodedata
from collections.abc import Callable
from enum import StrEnum
from typing import TYPE_CHECKING, Any

import phonenumbers
from django.conf import settings
from django.db import models

if TYPE_CHECKING:
    _CharFieldBase = models.CharField[str, str]
else:
    _CharFieldBase = models.CharField

INDEX_LENGTH = 32
DEFAULT_PHONE_REGION = "GB"


class BlindIndexKind(StrEnum):
    """What was indexed. Mixed into the hash, so one string gives different indexes per kind."""

    NAME = "name"
    PHONE = "phone"
    EMAIL = "email"
    REFERENCE = "reference"


# Apostrophes are dropped rather than turned into spaces: "O'Brien", "O’Brien" and "OBrien"
# are one surname written three ways, while "O Brien" splits it into two words.
_APOSTROPHES = frozenset("'’‘ʼʻ`´′")
_WHITESPACE = re.compile(r"\s+")


def normalise_name(value: str) -> str:
    """A person's name reduced to what survives the ways people and systems write it.

    - Compatibility decomposition (NFKD) and then every non-spacing mark dropped, so
      accents and other diacritics vanish: "José Núñez" → "jose nunez".
    - Case-folded ("Straße" → "strasse").
    - Apostrophes removed: "O'Brien" → "obrien" (and so does "OBrien").
    - Every other character that is not a letter, digit or spacing mark (hyphens, dots,
      commas, brackets) becomes a space: "Smith-Jones" → "smith jones".
    - Runs of whitespace collapse to one space; none at either end.

    Spacing marks (Unicode category Mc, e.g. Devanagari vowel signs) are kept: they are
    part of the letters of their script, and dropping them would merge unrelated names.
    """
    text = "".join(character for character in value if character not in _APOSTROPHES)
    text = unicodedata.normalize("NFKD", text).casefold()
    # Case-folding can itself produce decomposable characters ("İ" → "i̇"); decompose again.
    text = unicodedata.normalize("NFKD", text)
    kept = []
    for character in text:
        category = unicodedata.category(character)
        if category == "Mn" or character in _APOSTROPHES:
            continue
        kept.append(character if category[0] in "LNM" else " ")
    return _WHITESPACE.sub(" ", "".join(kept)).strip()


def normalise_phone(value: str) -> str:
    """A phone number in E.164 form ("+447700900123") whenever phonenumbers accepts it.

    Numbers without a country code are read as numbers of `settings.PHONE_REGION`
    ("GB" when that setting is absent), so "07700 900123" and "+44 7700 900123" agree.
    A number phonenumbers cannot read as a possible number is reduced to its digits,
    keeping a leading "+", so it still matches itself written with other punctuation.
    """
    stripped = value.strip()
    digits = ("+" if stripped.startswith("+") else "") + "".join(
        character for character in stripped if character.isdigit() and character.isascii()
    )
    for candidate in (stripped, digits):
        formatted = _e164_or_none(candidate)
        if formatted is not None:
            return formatted
    return "" if digits == "+" else digits


def phone_region() -> str:
    """The region assumed for phone numbers written without a country code."""
    return str(getattr(settings, "PHONE_REGION", DEFAULT_PHONE_REGION))


def _e164_or_none(value: str) -> str | None:
    try:
        number = phonenumbers.parse(value, phone_region())
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_possible_number(number):
        return None
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def normalise_email(value: str) -> str:
    """An e-mail address trimmed and case-folded, nothing more.

    Dots and "+tags" in the local part are kept: on most providers they name different
    mailboxes, and merging them could send a message to the wrong person.
    """
    return value.strip().casefold().strip()


def normalise_reference(value: str) -> str:
    """A reference (case number, court or police reference) as case-folded letters and digits.

    Compatibility-normalised (NFKC) and stripped of spaces, hyphens, slashes and all other
    punctuation: references are copied by hand and the separators are the part that varies.
    """
    text = unicodedata.normalize("NFKC", value).casefold()
    text = unicodedata.normalize("NFKC", text)
    return "".join(character for character in text if character.isalnum())


NORMALISERS: dict[BlindIndexKind, Callable[[str], str]] = {
    BlindIndexKind.NAME: normalise_name,
    BlindIndexKind.PHONE: normalise_phone,
    BlindIndexKind.EMAIL: normalise_email,
    BlindIndexKind.REFERENCE: normalise_reference,
}


def blind_index(value: str, kind: BlindIndexKind) -> str:
    """The blind index (32 hex characters) of a value of the given kind.

    Raises ValueError when nothing is left after normalisation: an empty value has no
    index, and callers store none (an empty string) rather than the hash of nothing.
    """
    normalised = NORMALISERS[kind](value)
    if not normalised:
        raise ValueError(f"Nothing is left of this {kind} value to index once normalised.")
    return _keyed_hash(kind.value, normalised)


def blind_index_name_and_birth_date(name: str, date_of_birth: datetime.date) -> str:
    """The blind index of a name together with a date of birth.

    Kept apart from the name-only index (its own label in the hash) so people who share a
    name can be told apart without revealing that their names match. Raises ValueError
    when the name normalises to nothing.
    """
    normalised = normalise_name(name)
    if not normalised:
        raise ValueError("Nothing is left of this name to index once normalised.")
    return _keyed_hash("name+date_of_birth", f"{normalised}|{date_of_birth.isoformat()}")


def _keyed_hash(label: str, normalised: str) -> str:
    key = str(settings.BLIND_INDEX_KEY).encode("utf-8")
    # The label and the value are separated by a character no normaliser can output.
    message = f"{label}\x00{normalised}".encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()[:INDEX_LENGTH]


class BlindIndexField(_CharFieldBase):
    """Where a blind index is stored: 32 hex characters, indexed; '' when there is none."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for option, default in _BLIND_INDEX_FIELD_DEFAULTS.items():
            kwargs.setdefault(option, default)
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> tuple[str, str, Any, Any]:
        name, path, args, kwargs = super().deconstruct()
        # Migrations record only what differs from this field's own defaults.
        for option, default in _BLIND_INDEX_FIELD_DEFAULTS.items():
            if getattr(self, option) == default:
                kwargs.pop(option, None)
            else:
                kwargs[option] = getattr(self, option)
        return name, path, args, kwargs


_BLIND_INDEX_FIELD_DEFAULTS: dict[str, object] = {
    "max_length": INDEX_LENGTH,
    "db_index": True,
    "blank": True,
    "editable": False,
}
