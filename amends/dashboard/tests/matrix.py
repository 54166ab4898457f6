"""Matrix rows for a programme's dashboard."""

from django.urls import reverse

from amends.core.testing.matrix import Route

# The programme's coordinators, supervisors and administrators, and platform
# administrators (who may open every programme page).
DASHBOARD_READERS = frozenset({"coordinator", "supervisor", "administrator", "platform_admin"})
# Not members of the Northshire programme: it does not exist for them.
OUTSIDERS = frozenset({"other_supervisor", "no_role"})

ROUTES = [
    Route(
        "dashboard:programme",
        "GET",
        allowed=DASHBOARD_READERS,
        hidden_from=OUTSIDERS,
        path=lambda cast: reverse("dashboard:programme", args=[cast.programme.slug]),
    ),
]
