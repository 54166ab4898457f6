"""Matrix rows for the accounts views."""

from amends.core.testing.matrix import ANONYMOUS, Route
from conftest import CAST_MEMBERS

EVERYONE_SIGNED_IN = frozenset(CAST_MEMBERS)

ROUTES = [
    Route("home", "GET", allowed=EVERYONE_SIGNED_IN),
    Route("health", "GET", allowed=EVERYONE_SIGNED_IN | {ANONYMOUS}),
]
