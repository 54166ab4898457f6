"""Changing a meeting: moving it (the gates are checked again), postponing it,
cancelling it, and cancelling a case's joint meetings when consent is withdrawn (G9).
Each change raises the meeting's SEQUENCE and, after the commit, sends the new version
of the invitation or its cancellation."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant
from amends.core.errors import ApplicationError
from amends.meetings.invitations import CANCELLATION, INVITATION
from amends.meetings.models import CancelReason, Meeting, MeetingKind, MeetingStatus
from amends.meetings.permissions import meeting_policy
from amends.meetings.selectors import plan_of
from amends.meetings.services.common import (
    NOTE_MAX_LENGTH,
    attendance_problems,
    lock_case,
    lock_meeting,
    record_task_key,
    refuse_unless_gates_hold,
    send_after_commit,
    stage_problems,
    time_problems,
)
from amends.tasks.services import tasks_complete_by_key


def meeting_move(
    *,
    actor: User,
    meeting: Meeting,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    now: datetime.datetime | None = None,
) -> Meeting:
    """Move a planned or postponed meeting to a new time: every arrival moves with the
    start and every departure with the end, the gates are checked again for a joint
    meeting, SEQUENCE is raised, everyone invited gets the updated invitation, and the
    reminders are planned for the new time (those of the old time will send nothing).
    Moving a planned meeting to the time it already has changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        case = lock_case(meeting.case)
        locked = lock_meeting(meeting)
        meeting_policy.require(actor, "work", locked)
        if not locked.is_open:
            raise ApplicationError(
                _("The meeting was not moved."),
                reasons=[_("Only a planned or postponed meeting can be moved.")],
            )
        unchanged = locked.starts_at == starts_at and locked.ends_at == ends_at
        if unchanged and locked.status == MeetingStatus.PLANNED:
            return locked
        plan = plan_of(locked, starts_at=starts_at, ends_at=ends_at)
        reasons = [*stage_problems(case, locked.kind), *time_problems(starts_at, ends_at, now)]
        if not reasons:
            for person in plan.attendees:
                reasons.extend(attendance_problems(person, starts_at, ends_at))
        if reasons:
            raise ApplicationError(_("The meeting was not moved."), reasons=reasons)
        refuse_unless_gates_hold(case, plan, _("The meeting cannot be moved there."))
        old = {"starts_at": locked.starts_at.isoformat(), "ends_at": locked.ends_at.isoformat()}
        _move_attendees(locked, starts_at - locked.starts_at, ends_at - locked.ends_at)
        locked.starts_at, locked.ends_at = starts_at, ends_at
        locked.status, locked.status_note = MeetingStatus.PLANNED, ""
        locked.sequence += 1
        locked.save(
            update_fields=[
                "starts_at",
                "ends_at",
                "status",
                "status_note",
                "sequence",
                "updated_at",
            ]
        )
        audit_record(
            actor=actor,
            action=Action.MEETING_MOVED,
            target=locked,
            programme=case.programme,
            data={
                "case": case.pk,
                "old": old,
                "new": {"starts_at": starts_at.isoformat(), "ends_at": ends_at.isoformat()},
                "sequence": locked.sequence,
            },
        )
        send_after_commit(locked, INVITATION)
    return locked


def _move_attendees(
    meeting: Meeting, arrive_shift: datetime.timedelta, leave_shift: datetime.timedelta
) -> None:
    for attendee in meeting.attendees.order_by("id"):
        attendee.arrives_at += arrive_shift
        attendee.leaves_at += leave_shift
        attendee.save(update_fields=["arrives_at", "leaves_at"])


def meeting_postpone(*, actor: User, meeting: Meeting, note: str = "") -> Meeting:
    """Postpone a planned meeting until a new time is found (move it then): everyone
    invited gets a cancellation now, and no reminder goes out."""
    return _stop(actor, meeting, MeetingStatus.POSTPONED, note=note)


def meeting_cancel(*, actor: User, meeting: Meeting, note: str = "") -> Meeting:
    """Cancel a planned or postponed meeting; everyone invited gets the cancellation."""
    return _stop(actor, meeting, MeetingStatus.CANCELLED, note=note)


def _stop(actor: User, meeting: Meeting, status: str, *, note: str) -> Meeting:
    verb = _("postponed") if status == MeetingStatus.POSTPONED else _("cancelled")
    note = note.strip()
    with transaction.atomic():
        case = lock_case(meeting.case)
        locked = lock_meeting(meeting)
        meeting_policy.require(actor, "work", locked)
        if locked.status == status:
            return locked
        allowed = (
            (MeetingStatus.PLANNED,)
            if status == MeetingStatus.POSTPONED
            else (MeetingStatus.PLANNED, MeetingStatus.POSTPONED)
        )
        reasons = []
        if locked.status not in allowed:
            reasons.append(
                _("A meeting that is %(status)s cannot be %(verb)s.")
                % {"status": locked.get_status_display().lower(), "verb": verb}
            )
        if len(note) > NOTE_MAX_LENGTH:
            reasons.append(_("Keep the note under 2,000 characters."))
        if reasons:
            raise ApplicationError(
                _("The meeting was not %(verb)s.") % {"verb": verb}, reasons=reasons
            )
        _set_stopped(case, locked, status, actor=actor, reason=CancelReason.DECIDED, note=note)
    return locked


def _set_stopped(
    case: Case,
    meeting: Meeting,
    status: str,
    *,
    actor: User | None,
    reason: str,
    note: str,
    participant: Participant | None = None,
) -> None:
    """Mark a locked meeting postponed or cancelled, audit it, close its "record the
    session" task, and after the commit tell everyone invited (if it had not ended)."""
    was_planned = meeting.status == MeetingStatus.PLANNED
    meeting.status, meeting.status_note = status, note
    meeting.cancel_reason = reason if status == MeetingStatus.CANCELLED else ""
    meeting.sequence += 1
    meeting.save(update_fields=["status", "status_note", "cancel_reason", "sequence", "updated_at"])
    audit_record(
        actor=actor,
        action=Action.MEETING_CANCELLED
        if status == MeetingStatus.CANCELLED
        else Action.MEETING_POSTPONED,
        target=meeting,
        programme=case.programme,
        data={
            "case": case.pk,
            "reason": reason,
            "sequence": meeting.sequence,
            "participant": participant.pk if participant else None,
        },
    )
    tasks_complete_by_key(actor=actor, key=record_task_key(meeting))
    if was_planned:
        send_after_commit(meeting, CANCELLATION)


def meetings_cancel_for_withdrawal(
    *, actor: User | None, case: Case, participant: Participant
) -> list[Meeting]:
    """A key participant withdrew (G9): cancel every joint meeting of the case still to
    come (planned in the future, or postponed), in the caller's transaction. After the
    commit everyone invited gets the cancellation: the facilitators' says that consent
    was withdrawn and the case is paused; the participants' gives no reason. E-mails to
    the person who withdrew go only to a channel they agreed to (G9, G10).

    No permission check: the consent service calls this when it records the withdrawal,
    which anyone working on the case, or the participant's advocate, may do; `actor`
    None is the system. Preparation meetings stay for the facilitator to decide about.
    Returns the meetings cancelled.
    """
    now = timezone.now()
    with transaction.atomic():
        locked_case = lock_case(case)
        meetings = list(
            Meeting.objects.select_for_update()
            .filter(case=locked_case)
            .exclude(kind=MeetingKind.PREPARATION)
            .filter(
                Q(status=MeetingStatus.POSTPONED)
                | Q(status=MeetingStatus.PLANNED, starts_at__gt=now)
            )
            .order_by("starts_at", "id")
        )
        for meeting in meetings:
            _set_stopped(
                locked_case,
                meeting,
                MeetingStatus.CANCELLED,
                actor=actor,
                reason=CancelReason.WITHDRAWAL,
                note="",
                participant=participant,
            )
    return meetings
