"""Matrix rows for the support pages and the partner directory.

The directory is read by the programme's coordinators, supervisors, facilitators and
advocates, and kept by its coordinators and supervisors. A case's referrals: the people
working on the case; the advocate (of the person harmed) sees only their client's.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from amends.core.testing.matrix import Route

MANAGERS = frozenset({"coordinator", "supervisor"})
WORKERS = MANAGERS | {"facilitator"}
READERS = WORKERS | {"advocate"}
OUTSIDERS = frozenset(
    {"referrer", "evaluator", "administrator", "other_supervisor", "no_role", "platform_admin"}
)


def _partner(cast):
    if "support_partner" not in cast.__dict__:
        from amends.support.tests.helpers import add_partner

        cast.__dict__["support_partner"] = add_partner(
            cast, service_types=["counselling", "substance_use"]
        )
    return cast.__dict__["support_partner"]


def _consented(cast, role):
    key = f"support_consent_{role}"
    if key not in cast.__dict__:
        from amends.support.tests.helpers import agree_to_share

        who = cast.case.participants.get(role=role)
        cast.__dict__[key] = agree_to_share(cast, who, partner_name=_partner(cast).name)
    return cast.case.participants.get(role=role)


def _referral(cast, role="harmed"):
    key = f"support_referral_{role}"
    if key not in cast.__dict__:
        from amends.support.tests.helpers import refer

        who = _consented(cast, role)
        cast.__dict__[key] = refer(
            cast, cast.case, _partner(cast), participant=who, service_type="substance_use"
        )
    return cast.__dict__[key]


def _directory_url(name, partner=False):
    def url(cast):
        args = [cast.programme.slug] + ([_partner(cast).pk] if partner else [])
        return reverse(f"support:{name}", args=args)

    return url


def _case_url(name):
    return lambda cast: reverse(f"support:{name}", args=[cast.case.reference])


def _referral_url(name, role="harmed"):
    return lambda cast: reverse(
        f"support:{name}", args=[cast.case.reference, _referral(cast, role).pk]
    )


def _partner_data(cast):
    return {"name": "Shire Law Centre", "service_types": ["legal"], "languages": "en"}


def _referral_data(cast):
    return {
        "participant": _consented(cast, "harmed").pk,
        "partner": _partner(cast).pk,
        "service_type": "counselling",
        "sent_on": timezone.localdate().isoformat(),
        "note": "Asked for counselling.",
    }


ROUTES = [
    Route(
        "support:partners",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=_directory_url("partners"),
    ),
    Route(
        "support:partner_add",
        "GET",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        path=_directory_url("partner_add"),
    ),
    Route(
        "support:partner_add",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_directory_url("partner_add"),
        data=_partner_data,
    ),
    Route(
        "support:partner_edit",
        "GET",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        path=_directory_url("partner_edit", partner=True),
    ),
    Route(
        "support:partner_edit",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_directory_url("partner_edit", partner=True),
        data=lambda cast: {**_partner_data(cast), "name": "Renamed Counselling"},
    ),
    Route("support:case", "GET", allowed=READERS, hidden_from=OUTSIDERS, path=_case_url("case")),
    Route(
        "support:referral_add",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        path=_case_url("referral_add"),
    ),
    Route(
        "support:referral_add",
        "POST",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_case_url("referral_add"),
        data=_referral_data,
    ),
    Route(
        "support:referral",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=_referral_url("referral"),
    ),
    Route(
        "support:referral",
        "GET",
        allowed=WORKERS,
        hidden_from=OUTSIDERS | {"advocate"},
        path=_referral_url("referral", "responsible"),
        label="other party",
    ),
    Route(
        "support:referral_update",
        "POST",
        allowed=WORKERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_referral_url("referral_update"),
        data=lambda cast: {"status": "accepted", "happened_on": timezone.localdate().isoformat()},
    ),
]
