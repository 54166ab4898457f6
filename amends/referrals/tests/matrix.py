"""Matrix rows for the referral pages: sending a referral, "My referrals", screening."""

from __future__ import annotations

from django.urls import reverse

from amends.core.testing.matrix import Route
from amends.referrals.tests.forms_data import intake_data
from amends.referrals.tests.helpers import submit, to_screening

STAFF = frozenset({"coordinator", "supervisor"})
SENDERS = STAFF | {"referrer"}
# Not members of the Northshire programme: it does not exist for them.
OUTSIDERS = frozenset({"other_supervisor", "no_role"})
# Everyone who neither manages nor is assigned to a case: it does not exist for them.
CASE_STRANGERS = frozenset(
    {
        "advocate",
        "referrer",
        "evaluator",
        "administrator",
        "other_supervisor",
        "no_role",
        "platform_admin",
    }
)


def _new_url(cast):
    return reverse("referrals:new", args=[cast.programme.slug])


def _screening_case_url(cast):
    # A fresh referral in screening (the shared cast case is already past it); built
    # before the matrix takes its snapshot.
    case = to_screening(submit(cast.referrer, cast.programme))
    return reverse("referrals:screening", args=[case.reference])


ROUTES = [
    Route(
        "referrals:start",
        "GET",
        # Each of them can send referrals to exactly one programme: straight to its form.
        allowed=SENDERS | {"other_supervisor"},
        allowed_status=302,
    ),
    Route("referrals:new", "GET", allowed=SENDERS, hidden_from=OUTSIDERS, path=_new_url),
    Route(
        "referrals:new",
        "POST",
        allowed=SENDERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_new_url,
        data=lambda cast: intake_data(cast.programme),
    ),
    Route("referrals:mine", "GET", allowed=frozenset({"referrer"})),
    Route(
        "referrals:screening",
        "GET",
        allowed=STAFF,
        # The assigned facilitator sees the case but may not decide its eligibility.
        hidden_from=CASE_STRANGERS,
        path=lambda cast: reverse("referrals:screening", args=[cast.case.reference]),
    ),
    Route(
        "referrals:screening",
        "POST",
        allowed=STAFF,
        hidden_from=CASE_STRANGERS | {"facilitator"},
        allowed_status=302,
        path=_screening_case_url,
        data=lambda cast: {"decision": "accept"},
    ),
]
