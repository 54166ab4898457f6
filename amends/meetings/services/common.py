"""What scheduling and changing meetings share: the stages each kind may be scheduled
in, locking, the checks of times, the gates, and sending after the commit.

Every service locks the case row first (the lock every writer of a case takes), then
the meeting.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.cases.gates import unmet_reasons
from amends.cases.models import Case
from amends.cases.selectors import case_facts
from amends.cases.services import GateRefused
from amends.cases.stages import CaseStage
from amends.meetings import jobs
from amends.meetings.gates import AttendeePlan, MeetingPlan, meeting_results
from amends.meetings.invitations import INVITATION
from amends.meetings.models import Meeting, MeetingKind
from amends.programmes.selectors import settings_for

JOINT_STAGES = frozenset({CaseStage.READY, CaseStage.PROCESS, CaseStage.AGREEMENT})
FOLLOW_UP_STAGES = frozenset({CaseStage.FOLLOW_UP})
PREPARATION_STAGES = frozenset({CaseStage.PREPARATION, *JOINT_STAGES, *FOLLOW_UP_STAGES})
MAX_LENGTH = datetime.timedelta(hours=12)
# How long before the start someone may be asked to arrive, or after the end to stay.
ATTENDANCE_MARGIN = datetime.timedelta(hours=3)
NOTE_MAX_LENGTH = 2000


def record_task_key(meeting: Meeting) -> str:
    """The key of the "record how the meeting went" task."""
    return f"meeting:{meeting.pk}:record"


def allowed_stages(kind: str) -> frozenset[str]:
    if kind == MeetingKind.PREPARATION:
        return PREPARATION_STAGES
    if kind == MeetingKind.FOLLOW_UP:
        return FOLLOW_UP_STAGES
    return JOINT_STAGES


def stage_problems(case: Case, kind: str) -> list[str]:
    """Why a meeting of `kind` cannot be scheduled in the case's stage (empty: it can)."""
    if case.stage == CaseStage.PAUSED:
        return [_("The case is paused: no meeting can be scheduled until it resumes.")]
    if case.stage == CaseStage.CLOSED:
        return [_("The case is closed.")]
    if case.stage in allowed_stages(kind):
        return []
    if kind == MeetingKind.PREPARATION:
        return [_("Preparation meetings can be scheduled from the preparation stage on.")]
    if kind == MeetingKind.FOLLOW_UP:
        return [_("Follow-up meetings are scheduled once the case is in follow-up.")]
    return [
        _(
            "Joint meetings can be scheduled when the case is ready, in process or "
            "monitoring an agreement."
        )
    ]


def lock_case(case: Case) -> Case:
    return Case.objects.select_for_update().select_related("programme", "referral").get(pk=case.pk)


def lock_meeting(meeting: Meeting) -> Meeting:
    # of=self: the venue is an outer join, which PostgreSQL will not lock.
    return (
        Meeting.objects.select_for_update(of=("self",)).select_related("venue").get(pk=meeting.pk)
    )


def time_problems(
    starts_at: datetime.datetime, ends_at: datetime.datetime, now: datetime.datetime
) -> list[str]:
    reasons = []
    if starts_at <= now:
        reasons.append(_("The meeting must start in the future."))
    if ends_at <= starts_at:
        reasons.append(_("The meeting must end after it starts."))
    elif ends_at - starts_at > MAX_LENGTH:
        reasons.append(_("A meeting can last at most 12 hours."))
    return reasons


def attendance_problems(
    person: AttendeePlan, starts_at: datetime.datetime, ends_at: datetime.datetime
) -> list[str]:
    values = {"person": person.label}
    if person.leaves_at <= person.arrives_at:
        return [_("%(person)s must leave after they arrive.") % values]
    if person.arrives_at >= ends_at or person.leaves_at <= starts_at:
        return [_("%(person)s's arrival and departure must fall within the meeting.") % values]
    if person.arrives_at < starts_at - ATTENDANCE_MARGIN or person.leaves_at > (
        ends_at + ATTENDANCE_MARGIN
    ):
        return [
            _("%(person)s's arrival and departure must be within three hours of the meeting.")
            % values
        ]
    return []


def refuse_unless_gates_hold(case: Case, plan: MeetingPlan, message: str) -> None:
    unmet = unmet_reasons(meeting_results(case_facts(case), plan))
    if unmet:
        raise GateRefused(message, reasons=unmet)


def send_after_commit(meeting: Meeting, purpose: str) -> None:
    if meeting.ends_at <= timezone.now():
        # Only the demo and tests place meetings in the past: nobody needs an invitation.
        return
    meeting_id, sequence = meeting.pk, meeting.sequence
    starts_at, ends_at = meeting.starts_at, meeting.ends_at
    offsets = list(settings_for(meeting.case.programme).reminder_offsets_hours)

    def send() -> None:
        jobs.send_meeting_messages.enqueue(
            meeting_id=meeting_id, purpose=purpose, sequence=sequence
        )
        if purpose == INVITATION:
            jobs.plan_later_jobs(
                meeting_id=meeting_id, starts_at=starts_at, ends_at=ends_at, offsets_hours=offsets
            )

    transaction.on_commit(send)
