"""The demo data for the indirect exchange builds through the services."""

from __future__ import annotations

from amends.exchanges.demo import create_demo_exchange
from amends.exchanges.models import ItemStatus, ShuttleRound
from amends.exchanges.selectors import first_relayed_on


def test_the_demo_letters_go_through_review_to_being_passed_on(cast, case):
    first, reply, waiting = create_demo_exchange(
        case, coordinator=cast.coordinator, facilitator=cast.facilitator
    )
    first.refresh_from_db()
    assert (first.status, reply.status, waiting.status) == (
        ItemStatus.READ,
        ItemStatus.RELAYED,
        ItemStatus.SUBMITTED,
    )
    assert "07700" not in first.text_to_pass_on
    assert ShuttleRound.objects.filter(case=case).count() == 1
    assert first_relayed_on(case) is not None
