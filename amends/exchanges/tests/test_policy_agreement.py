"""The two faces of the exchange policies agree: `can(user, "view", x)` exactly when x is
in `visible_to(user)`, for every member of the cast and items of every shape."""

from __future__ import annotations

from amends.accounts.models import User
from amends.cases.models import Case
from amends.cases.services import participant_set_advocate
from amends.cases.tests.builders import build_case
from amends.exchanges.models import ExchangeItem
from amends.exchanges.permissions import exchange_case_policy, exchange_item_policy
from amends.exchanges.tests.helpers import approved, harmed, relayed, responsible, submitted, write
from conftest import CAST_MEMBERS


def _ready(case):
    # Straight to `ready`: this test is about who sees what, not about the gates.
    Case.objects.filter(pk=case.pk).update(stage="ready", process_type="letters")
    case.refresh_from_db()
    return case


def test_can_view_and_visible_to_agree_for_exchange_cases_and_items(cast, case):
    # given: the cast's case (facilitator assigned, advocate for the person harmed) with
    # items each way in several states; a case nobody is assigned to where the advocate
    # supports the person responsible; a case of the other programme
    write(cast, case)
    submitted(cast, case, author=responsible(case), recipient=harmed(case))
    relayed(cast, approved(cast, case, author=responsible(case), recipient=harmed(case)))
    unassigned = _ready(build_case(cast.programme, coordinator=cast.coordinator))
    participant_set_advocate(
        actor=None, participant=responsible(unassigned), advocate=cast.advocate
    )
    write(cast, unassigned, author=responsible(unassigned), recipient=harmed(unassigned))
    write(cast, unassigned, author=harmed(unassigned), recipient=responsible(unassigned))
    elsewhere = _ready(build_case(cast.other_programme))
    cases = [case, unassigned, elsewhere]
    items = list(ExchangeItem.objects.all())
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible_cases = set(exchange_case_policy.visible_to(user))
        visible_items = set(exchange_item_policy.visible_to(user))
        # then
        for each in cases:
            assert exchange_case_policy.can(user, "view", each) == (each in visible_cases), (
                name,
                each,
            )
        for item in items:
            assert exchange_item_policy.can(user, "view", item) == (item in visible_items), (
                name,
                item,
                item.status,
            )
