"""The two faces of the support policies agree: `can(user, "view", x)` exactly when x is
in `visible_to(user)`, for every member of the cast."""

from __future__ import annotations

from typing import Any

from amends.accounts.models import User
from amends.cases.services import participant_set_advocate
from amends.cases.tests.builders import build_case
from amends.programmes.models import Programme
from amends.support.models import Partner, SupportReferral
from amends.support.permissions import (
    partner_directory_policy,
    partner_policy,
    support_case_policy,
    support_referral_policy,
)
from amends.support.services import partner_create
from amends.support.tests.helpers import add_partner, agree_to_share, details, refer
from conftest import CAST_MEMBERS


def _refer_both(cast, case, partner):
    for role in ("harmed", "responsible"):
        who = case.participants.get(role=role)
        agree_to_share(cast, who)
        refer(cast, case, partner, participant=who)


def test_can_view_and_visible_to_agree_for_the_directory_cases_and_referrals(cast, case):
    # given: referrals of both parties in the cast's case and in a case nobody is
    # assigned to (where the advocate supports the person responsible), a directory in
    # each programme
    partner = add_partner(cast)
    partner_create(actor=cast.other_supervisor, programme=cast.other_programme, details=details())
    _refer_both(cast, case, partner)
    unassigned = build_case(cast.programme, coordinator=cast.coordinator)
    participant_set_advocate(
        actor=None,
        participant=unassigned.participants.get(role="responsible"),
        advocate=cast.advocate,
    )
    _refer_both(cast, unassigned, partner)
    other_case = build_case(cast.other_programme)
    programmes = list(Programme.objects.all())
    partners = list(Partner.objects.all())
    referrals = list(SupportReferral.objects.all())
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        pairs: list[tuple[Any, list[Any]]] = [
            (partner_directory_policy, programmes),
            (partner_policy, partners),
            (support_case_policy, [case, unassigned, other_case]),
            (support_referral_policy, referrals),
        ]
        for policy, objects in pairs:
            visible = set(policy.visible_to(user))
            for each in objects:
                assert policy.can(user, "view", each) == (each in visible), (name, policy, each)
