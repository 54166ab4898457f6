"""Finding details of where the author of a letter lives or can be reached (G10).

A letter passed from one party to the other must not tell the reader where its author
lives or how to reach them. Before a facilitator reviews an item, its text is scanned
for two things:

- the author's own stored details (address lines, postcode, phone numbers, e-mail
  addresses, other handles), matched however they are spaced or capitalised. These
  are *blocking*: G10 says they never reach the other party, so only a redaction
  clears them. A line of the author's address without a number (a town, a county) is
  kept apart as a *place*: worth a look, but it can be confirmed, because naming a town
  is not the same as giving an address;
- generic patterns of whereabouts (UK-style postcodes, phone numbers, e-mail addresses,
  street addresses such as "12 High Street", flat numbers). These may be somebody
  else's (a helpline, the venue), so a facilitator may confirm them after a look.

Pure functions: no database, no settings. The service decrypts the author's details
and stores what is found.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import StrEnum

import phonenumbers

# A UK postcode: outward code (area letters, district digit, optional letter or digit),
# an optional space, inward code (digit and two letters).
_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?)[ \t]*(\d[A-Z]{2})\b", re.IGNORECASE)
_EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
# A run that could be a phone number: digits with the usual separators, optionally
# starting with "+"; how many digits it holds is checked afterwards.
_PHONE_CANDIDATE = re.compile(r"(?<![\w+])\+?\(?\d[\d \t().-]{6,}\d(?!\w)")
_PHONE_MIN_DIGITS = 9
_PHONE_MAX_DIGITS = 15
_STREET_TYPES = (
    "street|st|road|rd|avenue|ave|lane|ln|close|drive|dr|way|court|ct|crescent|cres|"
    "place|pl|gardens|gdns|terrace|grove|hill|square|sq|mews|row|walk|park|view|rise|"
    "green|parade|boulevard|estate"
)
# A house number and up to three words before a street type ("12 High Street",
# "4a Old Mill Lane"), or a flat or unit number.
_STREET = re.compile(
    rf"\b\d{{1,4}}[a-z]?,?[ \t]+(?:[a-z'’-]+[ \t]+){{0,3}}(?:{_STREET_TYPES})\b\.?"
    r"|\b(?:flat|apartment|apt|unit)[ \t]+\d{1,4}[a-z]?\b",
    re.IGNORECASE,
)
_ADDRESS_PARTS = re.compile(r"[\n\r,;]+")
_WORD = re.compile(r"[^\s,.]+")
# Shorter parts of an address ("UK", "N") would match everywhere and tell nothing.
_MIN_PLACE_LENGTH = 4
_MIN_OTHER_LENGTH = 4


class FindingKind(StrEnum):
    ADDRESS = "address"
    PLACE = "place"
    POSTCODE = "postcode"
    PHONE = "phone"
    EMAIL = "email"
    STREET = "street"
    OTHER_CONTACT = "contact"


@dataclass(frozen=True)
class OwnDetails:
    """The author's stored details, decrypted. Addresses are whole postal addresses whose
    lines are separated by new lines or commas."""

    addresses: tuple[str, ...] = ()
    phones: tuple[str, ...] = ()
    emails: tuple[str, ...] = ()
    others: tuple[str, ...] = ()


@dataclass(frozen=True)
class Finding:
    """One detail found in the text: what kind, where (character offsets), the text
    matched, and whether it is one of the author's own stored details."""

    kind: FindingKind
    start: int
    end: int
    text: str
    own: bool

    @property
    def blocking(self) -> bool:
        """The author's own contact details or address: only a redaction clears them."""
        return self.own and self.kind != FindingKind.PLACE


def find_whereabouts(text: str, own: OwnDetails, *, region: str = "GB") -> list[Finding]:
    """Every detail of the author's whereabouts found in `text`, in the order they occur.

    Where two findings overlap, the author's own detail wins over a generic pattern, and
    a longer match over a shorter one, so each stretch of text is reported once.
    `region` is the country assumed for phone numbers written without a country code.
    """
    if not text:
        return []
    own_phones = {_phone_key(phone, region) for phone in own.phones} - {""}
    own_emails = {email.strip().casefold() for email in own.emails if email.strip()}
    own_postcodes = {
        _postcode_key(match) for address in own.addresses for match in _POSTCODE.finditer(address)
    }
    own_streets = {
        _street_key(match.group())
        for address in own.addresses
        for match in _STREET.finditer(address)
    } - {""}
    findings = [
        *_own_address_findings(text, own.addresses),
        *_own_other_findings(text, own.others),
        *(
            _finding(FindingKind.POSTCODE, match, own=_postcode_key(match) in own_postcodes)
            for match in _POSTCODE.finditer(text)
        ),
        *(
            _finding(FindingKind.EMAIL, match, own=match.group().casefold() in own_emails)
            for match in _EMAIL.finditer(text)
        ),
        *_phone_findings(text, own_phones, region),
        *(
            _finding(FindingKind.STREET, match, own=_street_key(match.group()) in own_streets)
            for match in _STREET.finditer(text)
        ),
    ]
    return _without_overlaps(findings)


def _finding(kind: FindingKind, match: re.Match[str], *, own: bool) -> Finding:
    return Finding(kind=kind, start=match.start(), end=match.end(), text=match.group(), own=own)


def _street_key(street: str) -> str:
    """House number and the first word after it ("12 high"): the author's street written
    another way ("12 High St." for "12 High Street") is still the author's street."""
    words = _WORD.findall(street.casefold())
    if len(words) < 2 or not words[0][:1].isdigit():
        return ""
    return f"{words[0]} {words[1]}"


def _postcode_key(match: re.Match[str]) -> str:
    return f"{match.group(1)}{match.group(2)}".upper()


def _phone_key(value: str, region: str) -> str:
    """A phone number as E.164 when it can be read as a possible number, else its digits."""
    digits = "".join(character for character in value if character.isdigit())
    try:
        number = phonenumbers.parse(value, region)
    except phonenumbers.NumberParseException:
        return digits
    if not phonenumbers.is_possible_number(number):
        return digits
    return str(phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164))


def _phone_findings(text: str, own_phones: set[str], region: str) -> Iterator[Finding]:
    for match in _PHONE_CANDIDATE.finditer(text):
        digits = sum(character.isdigit() for character in match.group())
        if not _PHONE_MIN_DIGITS <= digits <= _PHONE_MAX_DIGITS:
            continue
        key = _phone_key(match.group(), region)
        yield _finding(FindingKind.PHONE, match, own=key in own_phones)


def _flexible(part: str) -> re.Pattern[str] | None:
    """A pattern for a phrase however it is spaced, punctuated or capitalised."""
    words = _WORD.findall(part)
    if not words:
        return None
    return re.compile(
        r"(?<!\w)" + r"[\s,.]+".join(re.escape(word) for word in words) + r"(?!\w)",
        re.IGNORECASE,
    )


def _own_address_findings(text: str, addresses: Iterable[str]) -> Iterator[Finding]:
    for address in addresses:
        for raw in _ADDRESS_PARTS.split(address):
            part = raw.strip()
            if _POSTCODE.fullmatch(part):
                continue  # found by the postcode pattern, and marked as the author's there
            has_number = any(character.isdigit() for character in part)
            if not has_number and len(part) < _MIN_PLACE_LENGTH:
                continue
            pattern = _flexible(part)
            if pattern is None:
                continue
            kind = FindingKind.ADDRESS if has_number else FindingKind.PLACE
            for match in pattern.finditer(text):
                yield _finding(kind, match, own=True)


def _own_other_findings(text: str, others: Iterable[str]) -> Iterator[Finding]:
    for other in others:
        value = other.strip()
        if len(value) < _MIN_OTHER_LENGTH:
            continue
        for match in re.finditer(re.escape(value), text, re.IGNORECASE):
            yield _finding(FindingKind.OTHER_CONTACT, match, own=True)


def _without_overlaps(findings: list[Finding]) -> list[Finding]:
    kept: list[Finding] = []
    for finding in sorted(findings, key=lambda f: (not f.own, -(f.end - f.start), f.start)):
        if all(finding.end <= other.start or finding.start >= other.end for other in kept):
            kept.append(finding)
    return sorted(kept, key=lambda f: (f.start, f.end))


def context_of(text: str, finding: Finding, *, around: int = 30) -> tuple[str, str, str]:
    """The text just before, the match itself and the text just after, for showing a
    finding to the facilitator in its place."""
    before = text[max(0, finding.start - around) : finding.start]
    after = text[finding.end : finding.end + around]
    return before, text[finding.start : finding.end], after
