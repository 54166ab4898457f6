"""Matrix rows for programme membership administration and programme configuration."""

import json

from django.urls import reverse

from amends.accounts.models import Membership
from amends.accounts.roles import Role
from amends.core.testing.matrix import Route
from amends.programmes.models import OffenceCategory
from amends.programmes.tests.test_configuration_views import PROCESS_RULES

MANAGERS = frozenset({"administrator", "platform_admin"})
READERS = MANAGERS | {"supervisor"}
# Not members of the Northshire programme: it does not exist for them.
OUTSIDERS = frozenset({"other_supervisor", "no_role"})


def _coordinator_membership(cast):
    return Membership.objects.get(
        programme=cast.programme, user=cast.coordinator, role=Role.COORDINATOR
    ).pk


ROUTES = [
    Route(
        "programmes:members",
        "GET",
        allowed=READERS,
        hidden_from=OUTSIDERS,
        path=lambda cast: reverse("programmes:members", args=[cast.programme.slug]),
    ),
    Route(
        "programmes:member_add",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        reauthenticate=True,
        allowed_status=302,
        path=lambda cast: reverse("programmes:member_add", args=[cast.programme.slug]),
        data=lambda cast: {
            "email": "new.person@example.org",
            "full_name": "New Person",
            "role": "facilitator",
        },
    ),
    Route(
        "programmes:member_remove",
        "POST",
        allowed=MANAGERS,
        hidden_from=OUTSIDERS,
        reauthenticate=True,
        allowed_status=302,
        path=lambda cast: reverse(
            "programmes:member_remove",
            args=[cast.programme.slug, _coordinator_membership(cast)],
        ),
    ),
]


# --- configuration: administrators and supervisors of the programme ------------------------
CONFIGURERS = frozenset({"administrator", "supervisor", "platform_admin"})


def _settings_path(name, extra):
    return lambda cast: reverse(f"programmes:{name}", args=[cast.programme.slug, *extra(cast)])


def _other_category(cast):
    return [
        OffenceCategory.objects.get(programme=cast.programme, code="other").pk,
    ]


def _no_arguments(cast):
    return []


def _policy_choices(cast):
    choices = {
        f"category_{category.code}": "specialist" if category.is_sensitive else "eligible"
        for category in OffenceCategory.objects.filter(programme=cast.programme, is_active=True)
    }
    return {**choices, "minimum_age_responsible": "12", "conditions": ""}


QUESTIONS = json.dumps([{"key": "safety", "text": "Safety. 0: none; 3: serious.", "weight": 3}])

CONFIGURATION_PAGES = [
    ("settings", _no_arguments),
    ("settings_edit", _no_arguments),
    ("category_add", _no_arguments),
    ("category_edit", _other_category),
    ("eligibility_publish", _no_arguments),
    ("assessment_publish", _no_arguments),
    ("information_publish", _no_arguments),
    ("eligibility_version", lambda cast: [1]),
    ("assessment_version", lambda cast: [1]),
    ("information_version", lambda cast: ["en", 1]),
]

CONFIGURATION_WRITES = [
    (
        "settings_edit",
        _no_arguments,
        lambda cast: {
            "process_types": ["meeting", "letters"],
            "terminology": "victim_offender",
            "assessment_validity_days": "60",
            "consent_validity_days": "180",
            "default_language": "en",
            **PROCESS_RULES,
        },
    ),
    ("category_add", _no_arguments, lambda cast: {"code": "fraud", "name": "Fraud"}),
    ("category_edit", _other_category, lambda cast: {"name": "Anything else", "is_active": "on"}),
    ("eligibility_publish", _no_arguments, _policy_choices),
    (
        "assessment_publish",
        _no_arguments,
        lambda cast: {"questions": QUESTIONS, "medium_threshold": "3", "high_threshold": "6"},
    ),
    (
        "information_publish",
        _no_arguments,
        lambda cast: {"language": "cy", "title": "Cyfiawnder adferol", "body": "Testun."},
    ),
]

ROUTES += [
    Route(
        f"programmes:{name}",
        "GET",
        allowed=CONFIGURERS,
        hidden_from=OUTSIDERS,
        path=_settings_path(name, extra),
    )
    for name, extra in CONFIGURATION_PAGES
]
ROUTES += [
    Route(
        f"programmes:{name}",
        "POST",
        allowed=CONFIGURERS,
        hidden_from=OUTSIDERS,
        allowed_status=302,
        path=_settings_path(name, extra),
        data=data,
    )
    for name, extra, data in CONFIGURATION_WRITES
]
