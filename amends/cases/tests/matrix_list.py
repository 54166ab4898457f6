"""Matrix rows for the case list (merged into amends/cases/tests/matrix.py).

Coordinators, supervisors (of any programme: each sees their own programme's cases) and
facilitators may open the list; every other role is refused and anonymous visitors are
sent to sign in. (A search for a visible case's reference goes straight to the case:
test_case_list.py covers who is sent there and who sees an empty list.)
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
        path=lambda cast: "/cases/?q=Hana+Harmed&stage=any",
    ),
]
