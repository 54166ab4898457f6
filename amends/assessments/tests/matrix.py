"""Matrix rows for the assessment pages and the sign-off page.

`cast.case` is coordinated by `coordinator` with `facilitator` assigned; `advocate`
supports its person harmed, so they know that participant exists (403 on the person
harmed's assessment form) but never see the case itself (404 elsewhere).
"""

from django.urls import reverse
from django.utils import timezone

from amends.assessments.services import assessment_record
from amends.assessments.tests.helpers import (
    HIGH_RISK,
    assess_both,
    build_sensitive_case,
    calm_answers,
    harmed,
    responsible,
)
from amends.core.testing.matrix import Route

CASE_WORKERS = frozenset({"coordinator", "supervisor", "facilitator"})
NOT_ON_THE_CASE = frozenset(
    {
        "administrator",
        "advocate",
        "referrer",
        "evaluator",
        "other_supervisor",
        "no_role",
        "platform_admin",
    }
)


def _new_path(person):
    def path(cast):
        participant = person(cast.case)
        return reverse("assessments:new", args=[cast.case.reference, participant.pk])

    return path


def _new_data(cast):
    answers = calm_answers(cast.programme)
    return {
        **{f"answer_{key}": value for key, value in answers.items()},
        "assessed_on": timezone.localdate().isoformat(),
        "notes": "",
    }


def _assessment_path(url_name, **changes):
    def path(cast):
        assessment = assessment_record(
            actor=cast.coordinator,
            participant=harmed(cast.case),
            answers=calm_answers(cast.programme, **changes),
            assessed_on=timezone.localdate(),
        )
        return reverse(url_name, args=[cast.case.reference, assessment.pk])

    return path


def _sign_off_path(cast):
    case = build_sensitive_case(cast)
    assess_both(cast.coordinator, case)
    return reverse("assessments:sign_off", args=[case.reference])


ROUTES = [
    Route(
        "assessments:new",
        "GET",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE - {"advocate"},
        path=_new_path(harmed),
        label="person harmed (the advocate supports them)",
    ),
    Route(
        "assessments:new",
        "POST",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE - {"advocate"},
        allowed_status=302,
        path=_new_path(harmed),
        data=_new_data,
        label="person harmed (the advocate supports them)",
    ),
    Route(
        "assessments:new",
        "POST",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE,
        allowed_status=302,
        path=_new_path(responsible),
        data=_new_data,
        label="person responsible",
    ),
    Route(
        "assessments:detail",
        "GET",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE,
        path=_assessment_path("assessments:detail"),
    ),
    Route(
        "assessments:override",
        "GET",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE,
        path=_assessment_path("assessments:override"),
    ),
    Route(
        "assessments:override",
        "POST",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE,
        allowed_status=302,
        path=_assessment_path("assessments:override"),
        data=lambda cast: {"risk_level": "high", "reason": "A recent threat."},
        label="raise to high",
    ),
    # Lowering a risk is a supervisor's decision (G5): the others who work on the case
    # see the form but are refused.
    Route(
        "assessments:override",
        "POST",
        allowed=frozenset({"supervisor"}),
        hidden_from=NOT_ON_THE_CASE,
        allowed_status=302,
        path=_assessment_path("assessments:override", **HIGH_RISK),
        data=lambda cast: {"risk_level": "medium", "reason": "The threat has passed."},
        label="lower from high",
    ),
    Route(
        "assessments:sign_off",
        "GET",
        allowed=CASE_WORKERS,
        hidden_from=NOT_ON_THE_CASE,
        path=lambda cast: reverse("assessments:sign_off", args=[cast.case.reference]),
    ),
    Route(
        "assessments:sign_off",
        "POST",
        allowed=frozenset({"supervisor"}),
        hidden_from=NOT_ON_THE_CASE,
        allowed_status=302,
        path=_sign_off_path,
        label="sensitive case, both assessed",
    ),
]
