"""Background work for meetings: invitations and cancellations, reminders at the
programme's offsets, and the "record the session" task after a meeting ends.

Every job re-reads the meeting when it runs and acts only if the meeting is still as it
was when the job was planned (the same SEQUENCE, the same start, the same end). Moving a
meeting therefore needs no job to be found and removed: the old jobs find a different
meeting and do nothing, and the new ones do the work. `ReminderSent`'s unique constraint
makes a reminder go out once even if two jobs for the same time run.

Jobs for later (`run_after`) need a backend that can defer; the immediate backend of the
tests and of the one-process demo cannot, so there nothing is planned for later.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Sequence

from django.tasks import task
from django.utils import timezone

from amends.meetings.invitations import CANCELLATION, REMINDER, messages_for
from amends.meetings.models import Meeting, MeetingStatus

logger = logging.getLogger(__name__)


@task()
def send_meeting_messages(*, meeting_id: int, purpose: str, sequence: int) -> int:
    """Send the invitation (REQUEST) or cancellation (CANCEL) of the meeting's version
    `sequence` to each person who may be e-mailed. A later change supersedes it: the job
    of that change sends the newer version instead. Returns how many were sent."""
    found = Meeting.objects.select_related("case__programme", "venue").filter(pk=meeting_id).first()
    if found is None or found.sequence != sequence:
        return 0
    cancelled = found.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED)
    if cancelled != (purpose == CANCELLATION):
        return 0
    messages = messages_for(found, purpose)
    for message in messages:
        message.send()
    return len(messages)


@task()
def send_meeting_reminder(*, meeting_id: int, offset_hours: int, starts_at: str) -> int:
    """Remind each invitee `offset_hours` before the meeting, if it is still planned to
    start at `starts_at` in an open, unpaused case, and no reminder for that offset and
    start went out yet. Returns how many messages were sent."""
    from amends.meetings.services import reminder_claim

    planned_start = datetime.datetime.fromisoformat(starts_at)
    meeting = (
        Meeting.objects.select_related("case__programme", "venue").filter(pk=meeting_id).first()
    )
    if meeting is None or not reminder_claim(
        meeting=meeting, offset_hours=offset_hours, starts_at=planned_start
    ):
        return 0
    messages = messages_for(meeting, REMINDER, offset_hours=offset_hours)
    for message in messages:
        message.send()
    return len(messages)


@task()
def flag_missing_record(*, meeting_id: int, ends_at: str) -> bool:
    """After the meeting's planned end: a task to record the session if nobody has."""
    from amends.meetings.services import meeting_record_task_if_due

    meeting = Meeting.objects.select_related("case__programme").filter(pk=meeting_id).first()
    if meeting is None or meeting.ends_at != datetime.datetime.fromisoformat(ends_at):
        return False
    return meeting_record_task_if_due(meeting=meeting) is not None


def plan_later_jobs(
    *,
    meeting_id: int,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    offsets_hours: Sequence[int],
) -> int:
    """Queue the reminders still in the future and the end-of-meeting check. Call after
    the commit that scheduled or moved the meeting. Returns how many jobs were queued."""
    if not send_meeting_reminder.get_backend().supports_defer:
        logger.info("Task backend cannot defer: meeting %s gets no reminders", meeting_id)
        return 0
    now = timezone.now()
    queued = 0
    for offset in sorted(set(offsets_hours), reverse=True):
        due = starts_at - datetime.timedelta(hours=offset)
        if due <= now:
            continue
        send_meeting_reminder.using(run_after=due).enqueue(
            meeting_id=meeting_id, offset_hours=offset, starts_at=starts_at.isoformat()
        )
        queued += 1
    flag_missing_record.using(run_after=ends_at).enqueue(
        meeting_id=meeting_id, ends_at=ends_at.isoformat()
    )
    return queued + 1
