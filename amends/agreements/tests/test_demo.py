"""The demo agreement: an apology, restitution with two payments and work with verified
hours, made through the services on a case in the process."""

from __future__ import annotations

from decimal import Decimal

import pytest

from amends.agreements.demo import demo_agreement
from amends.agreements.models import ItemKind, ItemStatus
from amends.agreements.selectors import agreement_status, agreement_views

pytestmark = pytest.mark.django_db


def test_the_demo_agreement_is_agreed_and_partly_kept(cast, case):
    agreement = demo_agreement(
        case=case,
        coordinator=cast.coordinator,
        facilitator=cast.facilitator,
        supervisor=cast.supervisor,
    )
    [view] = agreement_views(case)
    lines = {line.item.kind: line for line in view.items}
    assert set(lines) == {ItemKind.APOLOGY, ItemKind.RESTITUTION, ItemKind.WORK}
    assert lines[ItemKind.RESTITUTION].paid == Decimal("90.00")
    assert len(lines[ItemKind.RESTITUTION].payments) == 2
    assert lines[ItemKind.WORK].hours_verified == Decimal("6")
    assert lines[ItemKind.WORK].item.status == ItemStatus.IN_PROGRESS
    status = agreement_status(case)
    assert status.reached
    assert status.open_items == 3
    assert agreement.responsible.role == "responsible"
