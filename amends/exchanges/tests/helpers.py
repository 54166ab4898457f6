"""Short ways to build an indirect exchange in tests, through the real services."""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.tests.builders import drive_to_ready, participant
from amends.exchanges.models import ExchangeItem, FlagStatus
from amends.exchanges.services import (
    exchange_item_create,
    exchange_item_relay,
    exchange_item_review,
    exchange_item_submit,
)
from amends.people.services import contact_channel_add

HARMED_PHONE = "+44 7700 900123"
HARMED_ADDRESS = "Flat 2, 12 Larch Street\nNorthtown\nNT1 2AB"
HARMED_EMAIL = "hana.h@example.org"
PDF = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
LETTER = "Dear Ray,\nI want you to know how that night changed things for me.\nHana"
LETTER_WITH_WHEREABOUTS = (
    "Dear Ray,\nI moved to 12 Larch Street, NT1 2AB after that night. "
    "You can ring me on 07700 900123.\nThe victims' helpline is 0113 496 0000.\nHana"
)


def pdf_upload(name: str = "Hana Harmed letter.pdf", content: bytes = PDF) -> Any:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def letter_case(cast: Any, case: Case | None = None, process_type: str = "letters") -> Case:
    """The cast's case (or `case`) carried to `ready` for a letter exchange, the person
    harmed with a postal address and an e-mail address besides their phone."""
    case = drive_to_ready(
        case or cast.case,
        coordinator=cast.coordinator,
        supervisor=cast.supervisor,
        facilitator=cast.facilitator,
        process_type=process_type,
    )
    add_whereabouts(case)
    return case


def add_whereabouts(case: Case) -> None:
    """The person harmed's postal address and e-mail address, besides their phone."""
    person = participant(case, ParticipantRole.HARMED).person
    contact_channel_add(actor=None, person=person, kind="post", value=HARMED_ADDRESS, is_safe=True)
    contact_channel_add(actor=None, person=person, kind="email", value=HARMED_EMAIL, is_safe=True)


def harmed(case: Case) -> Participant:
    return participant(case, ParticipantRole.HARMED)


def responsible(case: Case) -> Participant:
    return participant(case, ParticipantRole.RESPONSIBLE)


def write(cast: Any, case: Case, text: str = LETTER, **overrides: Any) -> ExchangeItem:
    """A letter from the person harmed to the person responsible, entered by the
    coordinator (so the cast's facilitator may review it)."""
    values: dict[str, Any] = {
        "actor": cast.coordinator,
        "case": case,
        "author": harmed(case),
        "recipient": responsible(case),
        "kind": "letter",
        "text": text,
    }
    values.update(overrides)
    return exchange_item_create(**values)


def submitted(cast: Any, case: Case, text: str = LETTER, **overrides: Any) -> ExchangeItem:
    item = write(cast, case, text, **overrides)
    return exchange_item_submit(actor=cast.coordinator, item=item)


def approved(cast: Any, case: Case, text: str = LETTER, **overrides: Any) -> ExchangeItem:
    item = submitted(cast, case, text, **overrides)
    confirmable = item.flags.filter(status=FlagStatus.OPEN, is_blocking=False)
    return exchange_item_review(
        actor=cast.facilitator,
        item=item,
        revision=item.revision,
        decision="approve",
        confirmed_flags=[flag.pk for flag in confirmable],
    )


def redacted(cast: Any, case: Case) -> ExchangeItem:
    item = submitted(cast, case, LETTER_WITH_WHEREABOUTS)
    return exchange_item_review(
        actor=cast.facilitator,
        item=item,
        revision=item.revision,
        decision="redact",
        note="Took out her new address and number.",
        redacted_text="Dear Ray,\nI moved after that night.\nHana",
    )


def relayed(cast: Any, item: ExchangeItem, **overrides: Any) -> ExchangeItem:
    from django.utils import timezone

    values: dict[str, Any] = {"method": "in_person", "relayed_on": timezone.localdate()}
    values.update(overrides)
    return exchange_item_relay(actor=cast.facilitator, item=item, **values)
