"""Matrix rows for the facilitator pages (the matching pages' rows live in
matrix_matching.py and are added here, as the matrix reads one module per app).

- Rosters: the programme's coordinators and supervisors; its other members get 403, and
  people of other programmes 404.
- A facilitator's profile: the facilitator and the managers of their programme; nobody
  else knows it exists. Evidence (accreditation, ...) is recorded by the managers: the
  facilitator sees the page but is refused (403).
- My profile and its forms: facilitators only (everyone else 403).
"""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from amends.cases.tests.matrix import MANAGERS
from amends.core.testing.matrix import Route
from amends.facilitators.models import AvailabilitySlot, AwayPeriod

try:
    from amends.facilitators.tests.matrix_matching import ROUTES as MATCHING_ROUTES
except ModuleNotFoundError as error:  # the matching pages' rows arrive with those pages
    if error.name != "amends.facilitators.tests.matrix_matching":
        raise
    MATCHING_ROUTES = []

FACILITATOR = frozenset({"facilitator"})
# Members of the programme who are neither its managers nor the facilitator.
OTHER_MEMBERS = frozenset({"advocate", "referrer", "evaluator", "administrator"})
OUTSIDERS = frozenset({"other_supervisor", "no_role", "platform_admin"})
NOT_THE_FACILITATOR = OTHER_MEMBERS | OUTSIDERS


def _today() -> str:
    return timezone.localdate().isoformat()


def _profile_url(name: str):
    return lambda cast: reverse(f"facilitators:{name}", args=[cast.facilitator.pk])


def _slot_url(cast) -> str:
    slot = AvailabilitySlot.objects.create(
        facilitator=cast.facilitator,
        weekday=4,
        starts_at=datetime.time(9),
        ends_at=datetime.time(10),
    )
    return reverse("facilitators:availability_remove", args=[slot.pk])


def _away_url(cast) -> str:
    day = timezone.localdate() + datetime.timedelta(days=40)
    period = AwayPeriod.objects.create(facilitator=cast.facilitator, starts_on=day, ends_on=day)
    return reverse("facilitators:away_remove", args=[period.pk])


def _own(name: str, data) -> Route:
    return Route(f"facilitators:{name}", "POST", allowed=FACILITATOR, allowed_status=302, data=data)


def _record(name: str, data) -> Route:
    return Route(
        f"facilitators:{name}",
        "POST",
        allowed=MANAGERS,
        hidden_from=NOT_THE_FACILITATOR,
        allowed_status=302,
        path=_profile_url(name),
        data=data,
    )


ROUTES = [
    *MATCHING_ROUTES,
    Route("facilitators:rosters", "GET", allowed=MANAGERS | {"other_supervisor"}),
    Route(
        "facilitators:roster",
        "GET",
        allowed=MANAGERS,
        hidden_from=frozenset({"other_supervisor", "no_role"}),
        path=lambda cast: reverse("facilitators:roster", args=[cast.programme.slug]),
    ),
    Route("facilitators:me", "GET", allowed=FACILITATOR),
    Route(
        "facilitators:profile",
        "GET",
        allowed=MANAGERS | FACILITATOR,
        hidden_from=NOT_THE_FACILITATOR,
        path=_profile_url("profile"),
    ),
    _own(
        "details_update",
        lambda cast: {"details-languages": "en, pl", "details-capacity": "4"},
    ),
    _own(
        "training_add",
        lambda cast: {
            "training-course": "Circles",
            "training-provider": "RJC",
            "training-completed_on": _today(),
            "training-hours": "2.5",
            "training-counts_as_cpd": "on",
        },
    ),
    _own(
        "availability_add",
        lambda cast: {
            "availability-weekday": "1",
            "availability-starts_at": "09:00",
            "availability-ends_at": "12:00",
        },
    ),
    Route(
        "facilitators:availability_remove",
        "POST",
        allowed=FACILITATOR,
        allowed_status=302,
        path=_slot_url,
    ),
    _own(
        "away_add",
        lambda cast: {"away-starts_on": _today(), "away-ends_on": _today()},
    ),
    Route(
        "facilitators:away_remove",
        "POST",
        allowed=FACILITATOR,
        allowed_status=302,
        path=_away_url,
    ),
    _own(
        "conflict_add",
        lambda cast: {"conflict-kind": "place", "conflict-name": "Eastbank"},
    ),
    _record(
        "accreditation_add",
        lambda cast: {
            "accreditation-level": "advanced",
            "accreditation-issuer": "RJC",
            "accreditation-valid_from": _today(),
            "accreditation-valid_to": _today(),
        },
    ),
    _record(
        "endorsement_add",
        lambda cast: {
            "endorsement-endorsement": "youth",
            "endorsement-valid_from": _today(),
        },
    ),
    _record(
        "supervision_add",
        lambda cast: {
            "supervision-held_on": _today(),
            "supervision-supervisor": cast.supervisor.pk,
        },
    ),
    _record(
        "observed_add",
        lambda cast: {
            "observed-observed_on": _today(),
            "observed-observer_name": "A peer",
        },
    ),
]
