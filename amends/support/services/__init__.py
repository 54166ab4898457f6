"""Every write of the support app (CONVENTIONS "Services: the only writers").

- partners: `partner_create`, `partner_update` (the programme's directory);
- referrals: `support_referral_send`, `support_referral_update` (the closed loop);
- reminders: `support_no_answer_tasks` (the daily sweep's part).
"""

from amends.support.services.partners import PartnerDetails, partner_create, partner_update
from amends.support.services.referrals import support_referral_send, support_referral_update
from amends.support.services.reminders import support_no_answer_tasks

__all__ = [
    "PartnerDetails",
    "partner_create",
    "partner_update",
    "support_no_answer_tasks",
    "support_referral_send",
    "support_referral_update",
]
