"""Matrix rows for the JSON API. A refused signed-in caller gets the same answer as on the
pages (403, or 404 for a case they may not know exists); an anonymous caller gets 403
in the API's error shape instead of a redirect to the sign-in page."""

from django.urls import reverse

from amends.core.testing.matrix import Route

CASE_WORKERS = frozenset({"coordinator", "supervisor", "facilitator", "other_supervisor"})
# Who works on `cast.case`: its programme's coordinator and supervisor, its facilitator.
CASE_TEAM = frozenset({"coordinator", "supervisor", "facilitator"})
NOT_ON_CASE = frozenset(
    {"administrator", "advocate", "referrer", "evaluator", "other_supervisor", "no_role"}
    | {"platform_admin"}
)
SIGNED_IN = CASE_WORKERS | NOT_ON_CASE

ROUTES = [
    Route("api:case_list", "GET", allowed=CASE_WORKERS, anonymous_status=403),
    Route(
        "api:case_detail",
        "GET",
        allowed=CASE_TEAM,
        hidden_from=NOT_ON_CASE,
        anonymous_status=403,
        path=lambda cast: reverse("api:case_detail", args=[cast.case.reference]),
    ),
    Route("api:my_work", "GET", allowed=CASE_WORKERS, anonymous_status=403),
    Route("api:schema", "GET", allowed=SIGNED_IN, anonymous_status=403),
]
