"""Matrix rows for the follow-up pages and the public survey page.

The advocate supports the person harmed of `cast.case`: they may open that person's
follow-up page (dates, outcomes, survey status), are refused (403) on the work done for
that person, and nothing of the person responsible or of the case exists for them. The
survey page answers whoever holds the link, signed in or not.
"""

from __future__ import annotations

from typing import Literal

from django.urls import reverse
from django.utils import timezone

from amends.cases.models import ParticipantRole
from amends.cases.tests.matrix import STRANGERS, WORKERS
from amends.core.testing.matrix import ANONYMOUS, Route
from conftest import CAST_MEMBERS

EVERYONE = frozenset(CAST_MEMBERS) | {ANONYMOUS}
NOT_ADVOCATE = STRANGERS - {"advocate"}
SIDES = ((ParticipantRole.HARMED, ""), (ParticipantRole.RESPONSIBLE, "other party"))


def _participant(cast, role: str = ParticipantRole.HARMED):
    return cast.case.participants.select_related("person").get(role=role)


def _planned(cast):
    """The case's check-ins, with a safe e-mail address for each key participant."""
    from amends.followups.models import CheckIn
    from amends.followups.services import follow_up_plan
    from amends.followups.tests.helpers import add_email

    if not CheckIn.objects.filter(case=cast.case).exists():
        for role, address in (("harmed", "hana@example.org"), ("responsible", "ray@example.net")):
            add_email(_participant(cast, role), address)
        follow_up_plan(actor=None, case=cast.case)
    return CheckIn.objects.filter(case=cast.case)


def _case_url(name: str):
    def url(cast):
        _planned(cast)
        return reverse(f"followups:{name}", args=[cast.case.reference])

    return url


def _participant_url(name: str, role: str = ParticipantRole.HARMED):
    def url(cast):
        _planned(cast)
        return reverse(f"followups:{name}", args=[cast.case.reference, _participant(cast, role).pk])

    return url


def _check_in_url(role: str = ParticipantRole.HARMED):
    def url(cast):
        check_in = _planned(cast).filter(participant__role=role).order_by("due_on").first()
        return reverse("followups:check_in", args=[cast.case.reference, check_in.pk])

    return url


def _survey_url(cast):
    from amends.followups.tests.helpers import send_survey

    _planned(cast)
    _invitation, token = send_survey(cast.coordinator, _participant(cast))
    return reverse("survey:answer", args=[token])


def _hidden(role: str) -> frozenset[str]:
    return NOT_ADVOCATE if role == ParticipantRole.HARMED else STRANGERS


def _work_routes(
    name: str, method: Literal["GET", "POST"], data, allowed_status: int
) -> list[Route]:
    """The same work on the person harmed (advocate: 403) and the other party (404)."""
    return [
        Route(
            f"followups:{name}",
            method,
            allowed=WORKERS,
            hidden_from=_hidden(role),
            allowed_status=allowed_status if method == "POST" else 200,
            path=_participant_url(name, role),
            data=data,
            label=label,
        )
        for role, label in SIDES
    ]


def _check_in_data(cast):
    return {"outcome": "reached", "occurred_on": timezone.localdate().isoformat(), "wellbeing": "4"}


ROUTES = [
    Route("followups:case", "GET", allowed=WORKERS, hidden_from=STRANGERS, path=_case_url("case")),
    Route(
        "followups:participant",
        "GET",
        allowed=WORKERS | {"advocate"},
        hidden_from=NOT_ADVOCATE,
        path=_participant_url("participant"),
    ),
    Route(
        "followups:participant",
        "GET",
        allowed=WORKERS,
        hidden_from=STRANGERS,
        path=_participant_url("participant", ParticipantRole.RESPONSIBLE),
        label="other party",
    ),
    *[
        Route(
            "followups:check_in",
            method,
            allowed=WORKERS,
            hidden_from=_hidden(role),
            allowed_status=302 if method == "POST" else 200,
            path=_check_in_url(role),
            data=_check_in_data,
            label=label,
        )
        for method in ("GET", "POST")
        for role, label in SIDES
    ],
    *_work_routes("not_possible", "GET", lambda cast: {}, 200),
    *_work_routes("not_possible", "POST", lambda cast: {"reason": "Moved abroad"}, 302),
    *_work_routes("survey_send", "POST", lambda cast: {}, 302),
    *_work_routes("survey_paper", "GET", lambda cast: {}, 200),
    *_work_routes("survey_paper", "POST", lambda cast: {"answer_satisfaction": "4"}, 302),
    Route("survey:answer", "GET", allowed=EVERYONE, path=_survey_url),
    Route(
        "survey:answer",
        "POST",
        allowed=EVERYONE,
        path=_survey_url,
        data=lambda cast: {"answer_satisfaction": "5", "answer_comments": "Thank you"},
    ),
]
