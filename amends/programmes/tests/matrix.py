"""Matrix rows for programme membership administration."""

from django.urls import reverse

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.core.testing.matrix import Route

MANAGERS = frozenset({"administrator", "platform_admin"})
READERS = MANAGERS | {"supervisor"}
# Not members of the Northshire programme: it does not exist for them.
OUTSIDERS = frozenset({"other_supervisor", "no_role"})


def _coordinator_membership(cast):
    return Membership.objects.get(
        programme=cast.programme, user=cast.coordinator, role=Role.COORDINATOR
    ).pk


ROUTES = [
    Route(
        "programmes:members",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=lambda cast: reverse("programmes:members", args=[cast.programme.slug]),
    ),
    Route(
        "programmes:member_add",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        reauthenticate=True,
        allowed_status=302,
        path=lambda cast: reverse("programmes:member_add", args=[cast.programme.slug]),
        data=lambda cast: {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "role": "facilitator",
        },
    ),
    Route(
        "programmes:member_remove",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        reauthenticate=True,
        allowed_status=302,
        path=lambda cast: reverse(
            "programmes:member_remove",
            args=[cast.programme.slug, _coordinator_membership(cast)],
        ),
    ),
]
