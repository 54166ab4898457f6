"""Demo data for the indirect exchange, for `manage.py demo` (called by the lead's demo
command): letters through review to being passed on, made through the services."""

from __future__ import annotations

import datetime

from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Participant, ParticipantRole
from amends.exchanges.models import ExchangeItem, FlagStatus
from amends.exchanges.services import (
    exchange_item_create,
    exchange_item_record_read,
    exchange_item_relay,
    exchange_item_review,
    exchange_item_submit,
    shuttle_round_record,
)


def create_demo_exchange(case: Case, *, coordinator: User, facilitator: User) -> list[ExchangeItem]:
    """On a case in `ready` (or `process`) for a letter exchange or shuttle mediation:

    1. the person harmed's letter, which gave her phone number: the facilitator takes it
       out, passes the new version on in person, and the person responsible reads it;
    2. the person responsible's reply, approved after the facilitator checked a helpline
       number, passed on by the facilitator;
    3. a second letter from the person harmed, waiting for review;

    and one shuttle round with the person responsible. Returns the three items.
    """
    harmed = case.participants.get(role=ParticipantRole.HARMED)
    responsible = case.participants.get(role=ParticipantRole.RESPONSIBLE)
    today = timezone.localdate()
    phone = harmed.person.channels.filter(kind="phone").first()
    number = phone.value if phone is not None else "07700 900 999"

    def write(author: Participant, recipient: Participant, text: str) -> ExchangeItem:
        item = exchange_item_create(
            actor=coordinator,
            case=case,
            author=author,
            recipient=recipient,
            kind="letter",
            text=text,
        )
        return exchange_item_submit(actor=coordinator, item=item)

    first = write(
        harmed,
        responsible,
        "I have thought a lot about what to say to you. I was frightened to go out for "
        f"weeks afterwards. If you want to answer, ring me on {number}.",
    )
    first = exchange_item_review(
        actor=facilitator,
        item=first,
        revision=first.revision,
        decision="redact",
        note="Took out her phone number; the reply comes through us.",
        redacted_text="I have thought a lot about what to say to you. I was frightened to go "
        "out for weeks afterwards. If you want to answer, you can write back through "
        "the facilitator.",
    )
    first = exchange_item_relay(actor=facilitator, item=first, method="in_person", relayed_on=today)
    exchange_item_record_read(actor=facilitator, item=first, read_on=today)

    reply = write(
        responsible,
        harmed,
        "I am sorry. I did not think about what it did to you. I have started going to a "
        "group; their number is 0113 496 0000 if you want to check.",
    )
    confirmed = [flag.pk for flag in reply.flags.filter(status=FlagStatus.OPEN, is_blocking=False)]
    reply = exchange_item_review(
        actor=facilitator,
        item=reply,
        revision=reply.revision,
        decision="approve",
        confirmed_flags=confirmed,
    )
    reply = exchange_item_relay(actor=facilitator, item=reply, method="in_person", relayed_on=today)

    waiting = write(harmed, responsible, "Thank you for your answer. I would like to know more.")
    shuttle_round_record(
        actor=facilitator,
        case=case,
        number=1,
        held_on=max(today - datetime.timedelta(days=1), timezone.localtime(case.created_at).date()),
        facilitator=facilitator,
        party=responsible,
        method="visit",
        summary="Read him the letter; he wants to reply in writing.",
    )
    return [first, reply, waiting]
