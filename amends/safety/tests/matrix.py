"""Matrix rows for the safety plan page."""

from __future__ import annotations

from django.urls import reverse

from amends.cases.tests.matrix import STRANGERS, WORKERS
from amends.core.testing.matrix import Route


def _plan_url(cast):
    return reverse("safety:plan", args=[cast.case.reference])


ROUTES = [
    Route("safety:plan", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_plan_url),
    Route(
        "safety:plan",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_plan_url,
        data=lambda cast: {"measures": ["staggered", "separate_waiting"], "notes": "Side door"},
    ),
]
