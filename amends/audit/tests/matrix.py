"""Matrix rows for the audit log viewer."""

from amends.core.testing.matrix import Route

ROUTES = [
    Route(
        "audit:event_list",
        "GET",
        allowed=frozenset({"administrator", "supervisor", "other_supervisor", "platform_admin"}),
    ),
]
