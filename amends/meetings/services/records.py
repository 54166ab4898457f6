"""What happens around a meeting: the pre-meeting safety check of a video call, the
session record afterwards (restricted, G12), passing a safeguarding concern on with its
legal basis, the "record the session" task (G13) and claiming a reminder (sent once)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.stages import CaseStage
from amends.core.errors import ApplicationError, ConflictError
from amends.core.workdays import add_working_days
from amends.meetings.models import (
    Attendee,
    LegalBasis,
    Meeting,
    MeetingStatus,
    Modality,
    ReminderSent,
    SessionOutcome,
    SessionRecord,
)
from amends.meetings.permissions import meeting_policy
from amends.meetings.services.common import record_task_key
from amends.tasks.models import Task, TaskKind
from amends.tasks.services import task_create, tasks_complete_by_key

TEXT_MAX_LENGTH = 20_000
RECIPIENT_MAX_LENGTH = 200
# What the facilitator confirms before a video session starts.
SAFETY_CHECKS = (
    ("private", gettext_lazy("Each participant is in a private place and nobody can overhear.")),
    ("alone", gettext_lazy("Nobody else is in the room or can see the screen, unless agreed.")),
    (
        "call_back",
        gettext_lazy("You have a safe number to ring each participant if the call drops."),
    ),
    ("leave", gettext_lazy("Each participant knows they can leave the call at any time.")),
    ("pause", gettext_lazy("Everyone knows how the session will be paused if needed.")),
)


def _lock(meeting: Meeting) -> tuple[Case, Meeting]:
    case = Case.objects.select_for_update().select_related("programme").get(pk=meeting.case_id)
    return case, Meeting.objects.select_for_update().get(pk=meeting.pk)


def meeting_safety_check_record(
    *, actor: User, meeting: Meeting, confirmed: Iterable[str]
) -> Meeting:
    """Record the facilitator's pre-meeting safety check of a planned video meeting: every
    item of SAFETY_CHECKS confirmed. Raises ApplicationError naming what is missing."""
    confirmed_set = set(confirmed)
    with transaction.atomic():
        case, locked = _lock(meeting)
        meeting_policy.require(actor, "work", locked)
        reasons = []
        if locked.modality != Modality.VIDEO:
            reasons.append(_("The safety check is for video meetings."))
        elif locked.status != MeetingStatus.PLANNED:
            reasons.append(_("Only a planned meeting can be checked."))
        else:
            reasons.extend(str(text) for key, text in SAFETY_CHECKS if key not in confirmed_set)
        if reasons:
            raise ApplicationError(
                _("The safety check is not complete; the session should not start yet."),
                reasons=reasons,
            )
        locked.safety_checks = [key for key, _text in SAFETY_CHECKS]
        locked.safety_checked_at, locked.safety_checked_by = timezone.now(), actor
        locked.save(
            update_fields=["safety_checks", "safety_checked_at", "safety_checked_by", "updated_at"]
        )
        audit_record(
            actor=actor,
            action=Action.MEETING_SAFETY_CHECKED,
            target=locked,
            programme=case.programme,
            data={"case": case.pk, "checks": locked.safety_checks},
        )
    return locked


def _record_problems(
    meeting: Meeting,
    case: Case,
    *,
    took_place: bool,
    attended: list[Attendee],
    outcome: str,
    texts: dict[str, str],
    now: datetime.datetime,
) -> list[str]:
    reasons = []
    if case.stage == CaseStage.CLOSED:
        reasons.append(_("The case is closed; nothing more can be recorded on it."))
    if meeting.status in (MeetingStatus.CANCELLED, MeetingStatus.POSTPONED):
        reasons.append(_("The meeting was not held: it is cancelled or postponed."))
    elif meeting.starts_at > now:
        reasons.append(_("A meeting can be recorded once it has started."))
    if any(attendee.meeting_id != meeting.pk for attendee in attended):
        reasons.append(_("Choose the people who came from those invited."))
    if outcome not in SessionOutcome.values:
        reasons.append(_("Choose what came of the meeting."))
    elif took_place and outcome == SessionOutcome.NOT_HELD:
        reasons.append(_("The meeting took place: choose what came of it."))
    if took_place and not any(attendee.participant_id for attendee in attended):
        reasons.append(_("Say which participants came."))
    for name, text in texts.items():
        if len(text) > TEXT_MAX_LENGTH:
            reasons.append(
                _("%(field)s: keep it under 20,000 characters.") % {"field": name.capitalize()}
            )
    return reasons


def session_record_create(
    *,
    actor: User,
    meeting: Meeting,
    took_place: bool,
    attended: Iterable[Attendee],
    outcome: str,
    notes: str = "",
    disclosures: str = "",
    concern: str = "",
    now: datetime.datetime | None = None,
) -> SessionRecord:
    """Record how a meeting went, once it has started: whether it took place (status
    held, or did not attend), who came, the outcome, and restricted notes, disclosures and
    any safeguarding concern (encrypted; only the case's facilitators, coordinator and
    supervisors read them). Closes the meeting's "record the session" task. A meeting is
    recorded once: a second record is a ConflictError. `now` is for the demo and tests.
    """
    now = now or timezone.now()
    attended = list(attended)
    texts = {"notes": notes.strip(), "disclosures": disclosures.strip(), "concern": concern.strip()}
    with transaction.atomic():
        case, locked = _lock(meeting)
        meeting_policy.require(actor, "work", locked)
        if SessionRecord.objects.filter(meeting=locked).exists():
            raise ConflictError(_("This meeting has already been recorded."))
        reasons = _record_problems(
            locked,
            case,
            took_place=took_place,
            attended=attended,
            outcome=outcome if took_place else SessionOutcome.NOT_HELD,
            texts=texts,
            now=now,
        )
        if reasons:
            raise ApplicationError(_("The session was not recorded."), reasons=reasons)
        record = SessionRecord.objects.create(
            meeting=locked,
            took_place=took_place,
            outcome=outcome if took_place else SessionOutcome.NOT_HELD,
            recorded_by=actor,
            **texts,
        )
        came = {attendee.pk for attendee in attended}
        for attendee in locked.attendees.order_by("id"):
            attendee.attended = attendee.pk in came
            attendee.save(update_fields=["attended"])
        locked.status = MeetingStatus.HELD if took_place else MeetingStatus.NOT_ATTENDED
        locked.save(update_fields=["status", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.MEETING_RECORDED,
            target=locked,
            programme=case.programme,
            # Which restricted texts were written, never what they say.
            data={
                "case": case.pk,
                "record": record.pk,
                "status": locked.status,
                "outcome": record.outcome,
                "attended": sorted(came),
                "written": sorted(name for name, text in texts.items() if text),
            },
        )
        tasks_complete_by_key(actor=actor, key=record_task_key(locked))
    return record


def session_concern_escalate(
    *, actor: User, record: SessionRecord, basis: str, escalated_to: str
) -> SessionRecord:
    """Pass a safeguarding concern from a session on, outside the case (G12): the legal
    basis is recorded with it and in the audit log, and the case's coordinator gets a task
    due today to act on it. A concern is passed on once (ConflictError after that)."""
    escalated_to = " ".join(escalated_to.split())
    with transaction.atomic():
        case, meeting = _lock(record.meeting)
        locked = SessionRecord.objects.select_for_update().get(pk=record.pk)
        meeting_policy.require(actor, "work", meeting)
        if locked.escalated_at is not None:
            raise ConflictError(_("This concern has already been passed on."))
        reasons = []
        if not locked.concern:
            reasons.append(_("The session record notes no safeguarding concern."))
        if basis not in LegalBasis.values:
            reasons.append(_("Choose the legal basis for passing it on."))
        if not escalated_to:
            reasons.append(_("Say who it is passed to (an agency or team, not a person's name)."))
        elif len(escalated_to) > RECIPIENT_MAX_LENGTH:
            reasons.append(_("Say who it is passed to in 200 characters or fewer."))
        if reasons:
            raise ApplicationError(_("The concern was not passed on."), reasons=reasons)
        locked.escalated_at, locked.escalated_by = timezone.now(), actor
        locked.escalation_basis, locked.escalated_to = basis, escalated_to
        locked.save(
            update_fields=[
                "escalated_at",
                "escalated_by",
                "escalation_basis",
                "escalated_to",
                "updated_at",
            ]
        )
        task_create(
            actor=None,
            programme=case.programme,
            title=_("Safeguarding concern from a meeting in case %(reference)s: act on it")
            % {"reference": case.reference},
            due_on=timezone.localdate(),
            kind=TaskKind.OTHER,
            case=case,
            key=f"meeting:{meeting.pk}:concern",
        )
        audit_record(
            actor=actor,
            action=Action.MEETING_CONCERN_ESCALATED,
            target=locked,
            programme=case.programme,
            data={"case": case.pk, "meeting": meeting.pk, "legal_basis": basis},
            reason=str(LegalBasis(basis).label),
        )
    return locked


def meeting_record_task_if_due(
    *, meeting: Meeting, now: datetime.datetime | None = None
) -> Task | None:
    """The system's check after a meeting's end (G13): a planned meeting of an open case
    that has ended with no session record gets a task to record it, for the first
    facilitator invited (else the coordinator), due the next working day. Returns the
    task, or None when nothing is due. Running it twice makes one task."""
    now = now or timezone.now()
    with transaction.atomic():
        case, locked = _lock(meeting)
        recorded = SessionRecord.objects.filter(meeting=locked).exists()
        if recorded or locked.status != MeetingStatus.PLANNED or locked.ends_at > now:
            return None
        if case.stage == CaseStage.CLOSED:
            return None
        assigned = set(case.assignments.values_list("facilitator_id", flat=True))
        staff = locked.attendees.filter(user__isnull=False, user__is_active=True).order_by("id")
        assignee = next(
            (a.user for a in staff.select_related("user") if a.user_id in assigned), None
        )
        ended = timezone.localtime(locked.ends_at)
        return task_create(
            actor=None,
            programme=case.programme,
            title=_("Record how the %(kind)s of %(date)s went (case %(reference)s)")
            % {
                "kind": locked.get_kind_display().lower(),
                "date": ended.date().isoformat(),
                "reference": case.reference,
            },
            due_on=add_working_days(ended.date(), 1),
            kind=TaskKind.MEETING_RECORD_DUE,
            case=case,
            assignee=assignee,
            key=record_task_key(locked),
        )


def reminder_claim(*, meeting: Meeting, offset_hours: int, starts_at: datetime.datetime) -> bool:
    """Claim the right to send the reminder `offset_hours` before a meeting planned to
    start at `starts_at`. True only once, and only while the meeting is still planned for
    that start, has not started, and its case is neither paused nor closed. The claim is
    written (and audited) before anything is sent: a reminder that fails to go out is
    not sent twice."""
    with transaction.atomic():
        case, locked = _lock(meeting)
        if locked.status != MeetingStatus.PLANNED or locked.starts_at != starts_at:
            return False
        if case.stage in (CaseStage.PAUSED, CaseStage.CLOSED) or timezone.now() >= starts_at:
            return False
        try:
            with transaction.atomic():
                ReminderSent.objects.create(
                    meeting=locked, offset_hours=offset_hours, starts_at=starts_at
                )
        except IntegrityError:
            return False
        audit_record(
            actor=None,
            action=Action.MEETING_REMINDER_SENT,
            target=locked,
            programme=case.programme,
            data={"offset_hours": offset_hours, "starts_at": starts_at.isoformat()},
        )
    return True
