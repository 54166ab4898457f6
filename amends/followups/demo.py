"""Demo follow-up for `manage.py demo`, made through the same services people use.

`create_demo_follow_up` takes a case in `follow_up` and gives it its check-ins (planned
already if the case got there through `case_transition`), the first call with the person
harmed recorded, the person harmed's survey answered on paper, and a survey link e-mailed
to the person responsible (printed on the console in development: open it to try the
participant's page). Calling it again changes nothing.
"""

from __future__ import annotations

from django.utils import timezone

from amends.accounts.models import User
from amends.cases.models import Case, Participant, ParticipantRole
from amends.followups.models import CheckIn, CheckInStatus, SurveyInvitation, SurveyResponse
from amends.followups.services import (
    check_in_record,
    follow_up_plan,
    survey_response_record,
    survey_send,
)
from amends.people.models import ContactChannel
from amends.people.services import contact_channel_add

ANSWERS = {
    "satisfaction": "4",
    "fairness": "5",
    "feeling_heard": "5",
    "safety": "4",
    "apology_received": "yes",
    "apology_sincere": "yes",
    "would_recommend": "yes",
    "comments": "I was nervous before the meeting, but I am glad I went.",
}


def _key(case: Case, role: str) -> Participant | None:
    return case.participants.select_related("person").filter(role=role).order_by("id").first()


def _safe_email(participant: Participant, address: str) -> None:
    if not participant.person.channels.filter(kind=ContactChannel.Kind.EMAIL).exists():
        contact_channel_add(
            actor=None, person=participant.person, kind="email", value=address, is_safe=True
        )


def create_demo_follow_up(*, case: Case, coordinator: User, facilitator: User) -> None:
    """Check-ins, one recorded, a survey answered and one sent (see the module)."""
    follow_up_plan(actor=coordinator, case=case)
    harmed = _key(case, ParticipantRole.HARMED)
    responsible = _key(case, ParticipantRole.RESPONSIBLE)
    if harmed is not None:
        first = CheckIn.objects.filter(participant=harmed).order_by("due_on", "id").first()
        if first is not None and first.status == CheckInStatus.PLANNED:
            check_in_record(
                actor=facilitator,
                check_in=first,
                outcome=CheckInStatus.REACHED,
                occurred_on=timezone.localdate(),
                notes="Sleeping better; asked how the repairs are going.",
                wellbeing=4,
                further_support_needed=False,
            )
        if not SurveyResponse.objects.filter(participant=harmed).exists():
            survey_response_record(actor=facilitator, participant=harmed, answers=ANSWERS)
    if (
        responsible is not None
        and not SurveyInvitation.objects.filter(participant=responsible).exists()
    ):
        _safe_email(responsible, "responsible.demo@example.org")
        survey_send(actor=coordinator, participant=responsible)
