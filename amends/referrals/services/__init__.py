"""Every write about referrals (CONVENTIONS "Services: the only writers"): `intake` takes a
referral in and opens its case; `screening` records the eligibility decision (G1)."""

from amends.referrals.services.intake import (
    ChannelInput,
    OffenceInput,
    PersonInput,
    ReferralInput,
    referral_problems,
    referral_submit,
)
from amends.referrals.services.screening import referral_decide

__all__ = [
    "ChannelInput",
    "OffenceInput",
    "PersonInput",
    "ReferralInput",
    "referral_decide",
    "referral_problems",
    "referral_submit",
]
