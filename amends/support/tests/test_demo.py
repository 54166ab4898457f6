"""The demo data for support builds through the services."""

from __future__ import annotations

from amends.support.demo import create_demo_partners, create_demo_referrals
from amends.support.models import ReferralStatus


def test_the_demo_directory_and_referrals_are_made(cast, case):
    partners = create_demo_partners(cast.programme, coordinator=cast.coordinator)
    assert len(partners) == 4
    assert [p.is_active for p in partners].count(False) == 1
    accepted, waiting = create_demo_referrals(
        case, partners, coordinator=cast.coordinator, facilitator=cast.facilitator
    )
    assert (accepted.status, waiting.status) == (ReferralStatus.ACCEPTED, ReferralStatus.SENT)
