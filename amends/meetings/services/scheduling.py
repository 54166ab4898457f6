"""Scheduling a meeting (G7, G8, G9, G10): who may be invited, when, where, and the
gates a joint meeting must meet (`meetings.gates`). After the commit each invitee who
may be e-mailed gets their own invitation, and the reminders are planned.
"""

from __future__ import annotations

import datetime
import secrets
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import KEY_ROLES, Case, Participant, ParticipantRole
from amends.cases.permissions import case_policy
from amends.cases.selectors import participant_label
from amends.core.errors import ApplicationError
from amends.meetings.gates import AttendeePlan, MeetingPlan
from amends.meetings.invitations import INVITATION
from amends.meetings.models import Attendee, AttendeeRole, Meeting, MeetingKind, Modality, Venue
from amends.meetings.services.common import (
    NOTE_MAX_LENGTH,
    attendance_problems,
    lock_case,
    refuse_unless_gates_hold,
    send_after_commit,
    stage_problems,
    time_problems,
)
from amends.programmes.selectors import settings_for

ATTENDEE_ROLES: dict[str, AttendeeRole] = {
    ParticipantRole.HARMED: AttendeeRole.PARTICIPANT,
    ParticipantRole.RESPONSIBLE: AttendeeRole.PARTICIPANT,
    ParticipantRole.INTERPRETER: AttendeeRole.INTERPRETER,
}


@dataclass(frozen=True)
class AttendeeInput:
    """Someone to invite: a participant of the case or one of its assigned facilitators,
    with their own arrival and departure (the meeting's start and end when None)."""

    participant: Participant | None = None
    user: User | None = None
    arrives_at: datetime.datetime | None = None
    leaves_at: datetime.datetime | None = None


def _place_problems(case: Case, modality: str, venue: Venue | None) -> list[str]:
    if modality not in Modality.values:
        return [_("Choose how the meeting takes place.")]
    if modality != Modality.IN_PERSON:
        return []
    if venue is None:
        return [_("Choose the venue of a meeting in person.")]
    if venue.programme_id != case.programme_id:
        return [_("That venue belongs to another programme.")]
    if not venue.is_active:
        return [_("That venue is no longer in use.")]
    return []


def _resolve(
    case: Case,
    attendees: Sequence[AttendeeInput],
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
) -> tuple[list[AttendeePlan], list[str]]:
    """The invitees as the gates see them, once each, and what is wrong with them."""
    assigned = set(case.assignments.values_list("facilitator_id", flat=True))
    reasons: list[str] = []
    people: dict[tuple[str, int], AttendeePlan] = {}
    for item in attendees:
        if item.participant is not None:
            if item.participant.case_id != case.pk:
                reasons.append(_("That person is not part of this case."))
                continue
            key, role = ("participant", item.participant.pk), item.participant.role
            label = participant_label(item.participant, case.programme)
        elif item.user is not None:
            label = item.user.full_name or item.user.email
            if item.user.pk not in assigned:
                reasons.append(_("%(name)s is not assigned to this case.") % {"name": label})
                continue
            key, role = ("user", item.user.pk), AttendeeRole.FACILITATOR
        else:
            raise ValueError("an attendee is a participant or a member of staff")
        people[key] = AttendeePlan(
            participant_id=item.participant.pk if item.participant else None,
            user_id=item.user.pk if item.user else None,
            role=role,
            label=label,
            arrives_at=item.arrives_at or starts_at,
            leaves_at=item.leaves_at or ends_at,
        )
    return list(people.values()), reasons


def _who_problems(kind: str, attendees: Sequence[AttendeePlan]) -> list[str]:
    reasons = []
    if not any(person.user_id for person in attendees):
        reasons.append(_("Invite at least one of the case's facilitators."))
    present = [
        person
        for person in attendees
        if person.participant_id and person.role != ParticipantRole.INTERPRETER
    ]
    roles = {person.role for person in present}
    if kind == MeetingKind.PREPARATION:
        if len(present) != 1:
            reasons.append(
                _(
                    "A preparation meeting is with one participant at a time (an interpreter "
                    "may join them)."
                )
            )
    elif not roles & KEY_ROLES:
        reasons.append(_("Invite the person harmed or the person responsible."))
    elif kind == MeetingKind.VICTIM_OFFENDER and not roles >= KEY_ROLES:
        reasons.append(
            _("A victim–offender meeting needs both the person harmed and the person responsible.")
        )
    return reasons


def _new_uid() -> str:
    host = urlsplit(settings.SITE_URL).hostname or "amends"
    return f"{uuid.uuid4()}@{host}"


@dataclass(frozen=True)
class _Draft:
    """A meeting as asked for, before it is checked."""

    kind: str
    modality: str
    starts_at: datetime.datetime
    ends_at: datetime.datetime
    venue: Venue | None
    separate_waiting_booked: bool
    pause_plan: str

    @property
    def in_person(self) -> bool:
        return self.modality == Modality.IN_PERSON


def _draft_problems(
    case: Case, draft: _Draft, people: list[AttendeePlan], now: datetime.datetime
) -> list[str]:
    times = time_problems(draft.starts_at, draft.ends_at, now)
    reasons = [
        *stage_problems(case, draft.kind),
        *times,
        *_place_problems(case, draft.modality, draft.venue),
        *_who_problems(draft.kind, people),
    ]
    if not times:
        # Each person's times are judged against the meeting's only once those hold.
        for person in people:
            reasons.extend(attendance_problems(person, draft.starts_at, draft.ends_at))
    if len(draft.pause_plan) > NOTE_MAX_LENGTH:
        reasons.append(_("Keep the pause plan under 2,000 characters."))
    return reasons


def _plan(case: Case, draft: _Draft, people: list[AttendeePlan]) -> MeetingPlan:
    venue = draft.venue if draft.in_person else None
    return MeetingPlan(
        kind=draft.kind,
        modality=draft.modality,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        attendees=tuple(people),
        venue_has_separate_waiting=venue is not None and venue.has_separate_waiting_areas,
        separate_waiting_booked=draft.in_person and draft.separate_waiting_booked,
        stagger_minutes=settings_for(case.programme).meeting_stagger_minutes,
    )


def _create(case: Case, draft: _Draft, plan: MeetingPlan, actor: User) -> Meeting:
    meeting = Meeting.objects.create(
        case=case,
        kind=draft.kind,
        modality=draft.modality,
        starts_at=draft.starts_at,
        ends_at=draft.ends_at,
        venue=draft.venue if draft.in_person else None,
        separate_waiting_booked=plan.separate_waiting_booked,
        video_room=secrets.token_hex(16) if draft.modality == Modality.VIDEO else "",
        pause_plan=draft.pause_plan,
        uid=_new_uid(),
        scheduled_by=actor,
    )
    Attendee.objects.bulk_create(
        Attendee(
            meeting=meeting,
            participant_id=person.participant_id,
            user_id=person.user_id,
            role=ATTENDEE_ROLES.get(person.role, AttendeeRole.SUPPORTER)
            if person.participant_id
            else AttendeeRole.FACILITATOR,
            arrives_at=person.arrives_at,
            leaves_at=person.leaves_at,
        )
        for person in plan.attendees
    )
    audit_record(
        actor=actor,
        action=Action.MEETING_SCHEDULED,
        target=meeting,
        programme=case.programme,
        data={
            "case": case.pk,
            "kind": draft.kind,
            "modality": draft.modality,
            "starts_at": draft.starts_at.isoformat(),
            "ends_at": draft.ends_at.isoformat(),
            "venue": meeting.venue_id,
            "participants": sorted(p.participant_id for p in plan.attendees if p.participant_id),
            "staff": sorted(p.user_id for p in plan.attendees if p.user_id),
        },
    )
    return meeting


def meeting_schedule(
    *,
    actor: User,
    case: Case,
    kind: str,
    modality: str,
    starts_at: datetime.datetime,
    ends_at: datetime.datetime,
    attendees: Sequence[AttendeeInput],
    venue: Venue | None = None,
    separate_waiting_booked: bool = False,
    pause_plan: str = "",
    now: datetime.datetime | None = None,
) -> Meeting:
    """Schedule a meeting of the case and invite its attendees.

    A preparation meeting is with one participant (and perhaps an interpreter), from the
    preparation stage on. A joint meeting may be scheduled when the case is ready, in
    process or monitoring an agreement (a follow-up meeting: in follow-up), and only when
    its gates hold for the people attending (`meetings.gates`: G2–G10, with this
    meeting's own times and waiting areas for G7). At least one assigned facilitator
    attends. `now` is for the demo and tests, which set up meetings in the past.

    After the commit each invitee who may be e-mailed gets their own invitation with an
    iCalendar file, and reminders are planned. Raises PermissionRefused, ApplicationError
    for bad input, GateRefused for unmet safeguards; nothing is written then.
    """
    now = now or timezone.now()
    with transaction.atomic():
        locked = lock_case(case)
        case_policy.require(actor, "work", locked)
        if kind not in MeetingKind.values:
            raise ApplicationError(
                _("The meeting was not scheduled."), reasons=[_("Choose the kind of meeting.")]
            )
        draft = _Draft(
            kind=kind,
            modality=modality,
            starts_at=starts_at,
            ends_at=ends_at,
            # Re-read: the directory may have changed since the form was shown.
            venue=Venue.objects.get(pk=venue.pk) if venue is not None else None,
            separate_waiting_booked=separate_waiting_booked,
            pause_plan=pause_plan.strip(),
        )
        people, who = _resolve(locked, attendees, starts_at, ends_at)
        reasons = [*_draft_problems(locked, draft, people, now), *who]
        if reasons:
            raise ApplicationError(_("The meeting was not scheduled."), reasons=reasons)
        plan = _plan(locked, draft, people)
        refuse_unless_gates_hold(locked, plan, _("The meeting cannot be scheduled yet."))
        meeting = _create(locked, draft, plan, actor)
        send_after_commit(meeting, INVITATION)
    return meeting
