"""Matrix rows for the case pages (the list's rows live in matrix_list.py)."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils import timezone

from amends.cases.tests.matrix_list import ROUTES as LIST_ROUTES
from amends.core.testing.matrix import Route

MANAGERS = frozenset({"coordinator", "supervisor"})
WORKERS = MANAGERS | {"facilitator"}
# Everyone signed in who is not working on the case: it does not exist for them.
STRANGERS = frozenset(
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


def _due() -> str:
    return (timezone.localdate() + datetime.timedelta(days=3)).isoformat()


def _case_url(name: str):
    return lambda cast: reverse(f"cases:{name}", args=[cast.case.reference])


def _participant(cast, role: str):
    return cast.case.participants.get(role=role)


def _participant_url(name: str, role: str = "harmed"):
    return lambda cast: reverse(
        f"cases:{name}", args=[cast.case.reference, _participant(cast, role).pk]
    )


def _work_route(name: str, data, role: str = "harmed", label: str = "") -> Route:
    # The advocate may see the participant they support (so is refused with 403 there),
    # but the other party does not exist for them.
    hidden = STRANGERS - {"advocate"} if role == "harmed" else STRANGERS
    return Route(
        f"cases:{name}",
        "POST",
        allowed=WORKERS,
        hidden_from=hidden,
        allowed_status=302,
        path=_participant_url(name, role),
        data=data,
        label=label,
    )


ROUTES = [
    *LIST_ROUTES,
    # The advocate's list of the people they support; nobody else holds the role.
    Route("cases:supported", "GET", allowed=frozenset({"advocate"})),
    Route("cases:detail", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_case_url("detail")),
    Route(
        "cases:move",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("move"),
        data=lambda cast: {
            "target": "assessment",
            "assessment-target": "assessment",
            "assessment-expected_stage": "contact",
            "assessment-next_action": "Assess both",
            "assessment-next_action_due": _due(),
        },
    ),
    Route(
        "cases:pause",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("pause"),
        data=lambda cast: {"expected_stage": "contact", "reason": "safety_concern"},
    ),
    Route(
        "cases:resume",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS,
        # The case is not paused: the permission check passes, the service says why not.
        allowed_status=409,
        path=_case_url("resume"),
        data=lambda cast: {"next_action": "Go on", "next_action_due": _due()},
    ),
    Route(
        "cases:close",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("close"),
        data=lambda cast: {"expected_stage": "contact", "reason": "no_contact"},
    ),
    Route(
        "cases:plan",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("plan"),
        data=lambda cast: {
            "process_type": "letters",
            "next_action": "Draft a letter",
            "next_action_due": _due(),
        },
    ),
    Route(
        "cases:assign",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("assign"),
        data=lambda cast: {"facilitator": cast.facilitator.pk, "remove": "on"},
    ),
    Route(
        "cases:coordinator",
        "POST",
        allowed=MANAGERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("coordinator"),
        data=lambda cast: {"coordinator": ""},
    ),
    Route(
        "cases:participant_add",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_case_url("participant_add"),
    ),
    Route(
        "cases:participant_add",
        "POST",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        allowed_status=302,
        path=_case_url("participant_add"),
        data=lambda cast: {"role": "supporter", "given_name": "Sam", "family_name": "Support"},
    ),
    Route(
        "cases:participant",
        "GET",
        allowed=WORKERS | {"advocate"},
        hidden_from=STRANGERS - {"advocate"},
        path=_participant_url("participant"),
        label="the person harmed",
    ),
    Route(
        "cases:participant",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_participant_url("participant", "responsible"),
        label="the other party",
    ),
    _work_route(
        "contact_add",
        lambda cast: {
            "method": "phone",
            "channel": _participant(cast, "harmed").person.channels.get().pk,
            "outcome": "reached",
            "occurred_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
            "minutes": "10",
        },
    ),
    _work_route(
        "channel_add",
        lambda cast: {"kind": "email", "value": "hana@example.org", "is_safe": "yes"},
    ),
    _work_route(
        "information_add",
        lambda cast: {
            "sheet": cast.programme.information_sheets.get().pk,
            "method": "in_person",
            "given_on": timezone.localdate().isoformat(),
            "legal_advice_offered": "on",
        },
    ),
    _work_route(
        "acknowledgment_add",
        lambda cast: {"acknowledged_on": timezone.localdate().isoformat(), "method": "verbal"},
        role="responsible",
    ),
    _work_route("birth_date", lambda cast: {"date_of_birth": "1980-05-02"}),
    _work_route("advocate", lambda cast: {"advocate": cast.advocate.pk}),
    _work_route("facilitator_preference", lambda cast: {"gender": "woman"}),
    Route(
        "cases:conflict_declare",
        "POST",
        # Only facilitators declare conflicts; the coordinator and supervisor work on the
        # case but are refused.
        allowed=frozenset({"facilitator"}),
        hidden_from=STRANGERS - {"advocate"},
        allowed_status=302,
        path=_participant_url("conflict_declare"),
        data=lambda cast: {"description": "Neighbour"},
    ),
]
