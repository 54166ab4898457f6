"""Matrix rows for the case list (merged into amends/cases/tests/matrix.py).

Coordinators, supervisors (of any programme: each sees their own programme's cases) and
facilitators may open the list; every other role is refused and anonymous visitors are
sent to sign in.
"""

from amends.core.testing.matrix import Route

LISTERS = frozenset({"coordinator", "supervisor", "facilitator", "other_supervisor"})

ROUTES = [
    Route("cases:list", "GET", allowed=LISTERS),
    Route(
        "cases:list",
        "GET",
        allowed=LISTERS,
        label="search",
        path=lambda cast: f"/cases/?q={cast.case.reference}&stage=any",
    ),
]
