"""Matrix rows for the matching pages (collected through the app's tests/matrix.py).

The ranked list belongs to the case: its managers see it, the assigned facilitator knows
the case exists and is refused (403), everyone else gets 404. The batch run belongs to
the programme: its managers use it, other members are refused, outsiders get 404.
"""

from __future__ import annotations

from django.urls import reverse

from amends.core.testing.matrix import Route

MANAGERS = frozenset({"coordinator", "supervisor"})
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
# Not members of the cast's programme (the platform administrator sees every programme).
PROGRAMME_STRANGERS = frozenset({"other_supervisor", "no_role"})


def _case_url(name: str):
    return lambda cast: reverse(f"matching:{name}", args=[cast.case.reference])


def _batch_url(name: str):
    return lambda cast: reverse(f"matching:{name}", args=[cast.programme.slug])


ROUTES = [
    Route(
        "matching:case",
        "GET",
        allowed=MANAGERS,
        hidden_from=CASE_STRANGERS,
        path=_case_url("case"),
    ),
    Route(
        "matching:assign",
        "POST",
        allowed=MANAGERS,
        hidden_from=CASE_STRANGERS,
        # The cast's facilitator already works on the case: matching refuses, on the page.
        allowed_status=400,
        path=_case_url("assign"),
        data=lambda cast: {"facilitator": cast.facilitator.pk},
    ),
    Route(
        "matching:assign_pair",
        "POST",
        allowed=MANAGERS,
        hidden_from=CASE_STRANGERS,
        # The cast's case is not sensitive, so no pair is suggested for it.
        allowed_status=400,
        path=_case_url("assign_pair"),
        data=lambda cast: {"first": cast.facilitator.pk, "second": cast.supervisor.pk},
    ),
    Route(
        "matching:batch",
        "GET",
        allowed=MANAGERS,
        hidden_from=PROGRAMME_STRANGERS,
        path=_batch_url("batch"),
    ),
    Route(
        "matching:batch_apply",
        "POST",
        allowed=MANAGERS,
        hidden_from=PROGRAMME_STRANGERS,
        path=_batch_url("batch_apply"),
        data=lambda cast: {"note": ""},
    ),
]
