"""The two faces of the programme policy agree: can(user, "view", p) exactly when p is in
visible_to(user), whatever roles people hold where (DESIGN §6)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.programmes.models import Organisation, Programme
from amends.programmes.permissions import programme_policy

# For each of three people: a set of (programme index, role), and whether they are active.
assignments = st.lists(
    st.tuples(
        st.sets(st.tuples(st.integers(0, 2), st.sampled_from(list(Role))), max_size=4),
        st.booleans(),
        st.booleans(),
    ),
    min_size=3,
    max_size=3,
)


@pytest.mark.django_db
@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(people=assignments, programme_active=st.lists(st.booleans(), min_size=3, max_size=3))
def test_can_view_and_visible_to_agree_for_any_roles(people, programme_active):
    Membership.objects.all().delete()
    User.objects.all().delete()
    Programme.objects.all().delete()
    Organisation.objects.all().delete()
    organisation = Organisation.objects.create(name="Org", slug="org")
    programmes = [
        Programme.objects.create(
            organisation=organisation, name=f"P{i}", slug=f"p{i}", is_active=active
        )
        for i, active in enumerate(programme_active)
    ]
    users = []
    for number, (roles, is_active, is_superuser) in enumerate(people):
        user = User.objects.create_user(
            email=f"u{number}@example.org",
            full_name=f"U{number}",
            is_active=is_active,
            is_superuser=is_superuser,
        )
        for index, role in roles:
            Membership.objects.create(user=user, programme=programmes[index], role=role)
        users.append(User.objects.get(pk=user.pk))

    for user in users:
        visible = set(programme_policy.visible_to(user))
        for programme in programmes:
            assert programme_policy.can(user, "view", programme) == (programme in visible)
            for action in ("view_members", "manage_members", "view_audit", "configure"):
                if programme_policy.can(user, action, programme):
                    assert programme in visible, f"{action} on a programme the user cannot see"
