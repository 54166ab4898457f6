"""Every write to meetings (CONVENTIONS "Services: the only writers"): `scheduling` plans
a meeting, `changes` moves, postpones and cancels it, `records` what happens around it,
`venues` the programme's venue directory; `common` holds what they share."""

from amends.meetings.services.changes import (
    meeting_cancel,
    meeting_move,
    meeting_postpone,
    meetings_cancel_for_withdrawal,
)
from amends.meetings.services.common import allowed_stages, record_task_key, stage_problems
from amends.meetings.services.records import (
    SAFETY_CHECKS,
    meeting_record_task_if_due,
    meeting_safety_check_record,
    reminder_claim,
    session_concern_escalate,
    session_record_create,
)
from amends.meetings.services.scheduling import AttendeeInput, meeting_schedule
from amends.meetings.services.venues import venue_create, venue_update

__all__ = [
    "SAFETY_CHECKS",
    "AttendeeInput",
    "allowed_stages",
    "meeting_cancel",
    "meeting_move",
    "meeting_postpone",
    "meeting_record_task_if_due",
    "meeting_safety_check_record",
    "meeting_schedule",
    "meetings_cancel_for_withdrawal",
    "record_task_key",
    "reminder_claim",
    "session_concern_escalate",
    "session_record_create",
    "stage_problems",
    "venue_create",
    "venue_update",
]
