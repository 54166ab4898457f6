"""Short ways to build agreement items and record consent in tests, through the services."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from amends.agreements.models import AgreementItem, ApologyForm, ItemKind
from amends.agreements.selectors import bound_participant_ids
from amends.agreements.services import agreement_item_add
from amends.agreements.terms import ItemTerms
from amends.cases.models import Participant
from amends.consent.models import ConsentMethod, ConsentScope
from amends.consent.selectors import information_sheet_for
from amends.consent.services import consent_give
from amends.core.errors import ApplicationError
from amends.core.testing.matrix import domain_snapshot


def in_days(days: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=days)


def restitution(owed_to: Participant, **overrides: Any) -> ItemTerms:
    values: dict[str, Any] = {
        "kind": ItemKind.RESTITUTION,
        "terms": "Pay for the broken window.",
        "due_on": in_days(30),
        "owed_to": owed_to,
        "amount": Decimal("150.00"),
        "documented_loss": Decimal("150.00"),
        "currency": "GBP",
        "schedule": "50.00 a month",
    }
    values.update(overrides)
    return ItemTerms(**values)


def work(**overrides: Any) -> ItemTerms:
    values: dict[str, Any] = {
        "kind": ItemKind.WORK,
        "terms": "Help at the community garden.",
        "due_on": in_days(60),
        "hours_planned": Decimal("10"),
        "placement": "Community garden",
    }
    values.update(overrides)
    return ItemTerms(**values)


def apology(owed_to: Participant, **overrides: Any) -> ItemTerms:
    values: dict[str, Any] = {
        "kind": ItemKind.APOLOGY,
        "terms": "A letter of apology.",
        "due_on": in_days(14),
        "owed_to": owed_to,
        "apology_form": ApologyForm.LETTER,
    }
    values.update(overrides)
    return ItemTerms(**values)


def add(actor: Any, agreement: Any, terms: ItemTerms) -> AgreementItem:
    return agreement_item_add(actor=actor, agreement=agreement, terms=terms)


def consent(actor: Any, item: AgreementItem, participant: Participant, **overrides: Any) -> Any:
    values: dict[str, Any] = {
        "scope": ConsentScope.AGREEMENT,
        "agreement_item": item,
        "sheet": information_sheet_for(participant),
        "method": ConsentMethod.ON_SCREEN,
        "signature_name": "Typed Name",
    }
    values.update(overrides)
    return consent_give(actor=actor, participant=participant, **values)


def consent_all(actor: Any, item: AgreementItem) -> None:
    """Every party the item binds gives their own consent (adults)."""
    case = item.agreement.case
    for participant_id in sorted(bound_participant_ids(item)):
        consent(actor, item, case.participants.select_related("person").get(pk=participant_id))


def refused(call: Any, reason: str | None = None, *, error: type = ApplicationError) -> Any:
    """`call()` is refused (with `reason` among its reasons) and nothing is written."""
    before = domain_snapshot()
    with pytest.raises(error) as refusal:
        call()
    value: Any = refusal.value
    if reason is not None:
        assert reason in [value.message, *value.reasons], value.reasons
    assert domain_snapshot() == before
    return value


def held_meeting(case: Any, *, days_ago: int, attendee: Participant | None = None) -> Any:
    """A conference recorded as held `days_ago` days ago (the meetings app's own services
    are tested there; here only the rows matter), attended by `attendee` if given."""
    from amends.meetings.models import Attendee, Meeting

    start = timezone.now() - datetime.timedelta(days=days_ago)
    meeting = Meeting.objects.create(
        case=case,
        kind="conference",
        modality="video",
        status="held",
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
        uid=f"test-{case.pk}-{days_ago}@amends",
    )
    if attendee is not None:
        Attendee.objects.create(
            meeting=meeting,
            participant=attendee,
            role="participant",
            arrives_at=start,
            leaves_at=start + datetime.timedelta(hours=1),
            attended=True,
        )
    return meeting
