"""The two faces of the facilitator and roster policies agree: can(user, "view", x)
exactly when x is in visible_to(user), and every other action needs sight first."""

from __future__ import annotations

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.facilitators.permissions import facilitator_policy, roster_policy
from amends.programmes.models import Programme
from conftest import CAST_MEMBERS


def test_can_view_and_visible_to_agree_for_every_cast_member_and_every_user(cast, roster):
    # given: facilitators here, elsewhere, in both, and a supervisor who also facilitates
    roster.facilitator("Elsewhere", programme=cast.other_programme)
    both = roster.facilitator("Both")
    roster.grant(both, Role.FACILITATOR, cast.other_programme)
    roster.grant(cast.supervisor, Role.FACILITATOR)
    targets = list(User.objects.all())
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible = set(facilitator_policy.visible_to(user))
        for target in targets:
            # then
            can_view = facilitator_policy.can(user, "view", target)
            assert can_view == (target in visible), (name, target.full_name)
            for action in ("edit_own", "record_standing", "declare_conflict"):
                if facilitator_policy.can(user, action, target):
                    assert can_view, (name, action, target.full_name)


def test_only_the_facilitator_edits_their_profile_and_never_records_their_own_standing(cast):
    assert facilitator_policy.can(cast.facilitator, "edit_own", cast.facilitator)
    assert not facilitator_policy.can(cast.facilitator, "record_standing", cast.facilitator)
    assert not facilitator_policy.can(cast.coordinator, "edit_own", cast.facilitator)
    assert facilitator_policy.can(cast.coordinator, "record_standing", cast.facilitator)


def test_a_roster_is_seen_only_where_it_may_be_looked_at(cast):
    for name in CAST_MEMBERS:
        user = User.objects.get(pk=cast.users[name].pk)
        visible = set(roster_policy.visible_to(user))
        for programme in Programme.objects.all():
            if roster_policy.can(user, "view_roster", programme):
                assert programme in visible, (name, programme.slug)
