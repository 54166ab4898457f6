"""The check-in policy's two faces agree: `can(user, "view", c)` exactly when c is in
`visible_to(user)`, for every member of the cast and check-ins of every shape."""

from __future__ import annotations

import pytest

from amends.accounts.models import User
from amends.cases.services import participant_set_advocate
from amends.cases.tests.builders import build_case
from amends.followups.models import CheckIn
from amends.followups.permissions import check_in_policy, may_read_answers
from amends.followups.services import follow_up_plan
from conftest import CAST_MEMBERS

pytestmark = pytest.mark.django_db


def test_can_view_and_visible_to_agree_for_check_ins(cast):
    # given: the cast's case (facilitator assigned, advocate on the person harmed), a case
    # nobody is assigned to whose person responsible the advocate supports, and a case in
    # the other programme
    unassigned = build_case(cast.programme, coordinator=cast.coordinator)
    participant_set_advocate(
        actor=None,
        participant=unassigned.participants.get(role="responsible"),
        advocate=cast.advocate,
    )
    cases = [cast.case, unassigned, build_case(cast.other_programme)]
    for case in cases:
        follow_up_plan(actor=None, case=case)
    check_ins = list(CheckIn.objects.select_related("participant", "case"))
    assert len(check_ins) == 12
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible = set(check_in_policy.visible_to(user))
        # then
        for check_in in check_ins:
            assert check_in_policy.can(user, "view", check_in) == (check_in in visible), (
                name,
                check_in.pk,
            )


def test_the_advocate_sees_only_their_clients_check_ins_and_never_the_answers(cast):
    follow_up_plan(actor=None, case=cast.case)
    visible = check_in_policy.visible_to(cast.advocate)
    assert {check_in.participant.role for check_in in visible} == {"harmed"}
    assert not any(check_in_policy.can(cast.advocate, "record", c) for c in visible)
    assert not may_read_answers(cast.advocate, cast.case)
    assert may_read_answers(cast.facilitator, cast.case)
    assert may_read_answers(cast.supervisor, cast.case)
