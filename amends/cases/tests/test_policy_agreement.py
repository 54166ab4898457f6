"""The two faces of the case and participant policies agree: `can(user, "view", x)`
exactly when x is in `visible_to(user)`, for every member of the cast and cases of every
shape (assigned or not, another programme, an advocate linked or not)."""

from __future__ import annotations

from amends.accounts.models import User
from amends.cases.models import Participant
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.services import participant_set_advocate
from amends.cases.tests.builders import build_case
from conftest import CAST_MEMBERS


def test_can_view_and_visible_to_agree_for_cases_and_participants(cast):
    # given: the cast's case (facilitator assigned, advocate on the person harmed), a case
    # nobody is assigned to, and a case in the other programme
    assigned = cast.case
    unassigned = build_case(cast.programme, coordinator=cast.coordinator)
    elsewhere = build_case(cast.other_programme)
    other_harmed = elsewhere.participants.get(role="harmed")
    # an advocate linked in a programme where they hold no role sees nothing there
    other_harmed.advocate = cast.advocate
    other_harmed.save(update_fields=["advocate"])
    participant_set_advocate(
        actor=None,
        participant=unassigned.participants.get(role="responsible"),
        advocate=cast.advocate,
    )
    cases = [assigned, unassigned, elsewhere]
    participants = list(Participant.objects.filter(case__in=cases))
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible_cases = set(case_policy.visible_to(user))
        visible_participants = set(participant_policy.visible_to(user))
        # then
        for case in cases:
            assert case_policy.can(user, "view", case) == (case in visible_cases), (name, case)
        for participant in participants:
            assert participant_policy.can(user, "view", participant) == (
                participant in visible_participants
            ), (name, participant)
