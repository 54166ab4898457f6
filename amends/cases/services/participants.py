"""Writes about the people in a case: adding them, contacting them (G10), giving them
information (G3) and recording the responsible person's acknowledgment (G2)."""

from __future__ import annotations

import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import (
    CHANNEL_METHODS,
    Acknowledgment,
    AcknowledgmentMethod,
    Case,
    ContactLog,
    ContactMethod,
    ContactOutcome,
    InformationGiven,
    Participant,
    ParticipantRole,
)
from amends.cases.permissions import case_policy, participant_policy
from amends.cases.selectors import is_minor
from amends.cases.services.case import case_step_back_if_unsafe
from amends.cases.stages import CaseStage
from amends.consent import ledger
from amends.consent.rules import withdrawn_channel_ids
from amends.core.errors import ApplicationError
from amends.people.models import ContactChannel, Gender, Person
from amends.people.services import person_create
from amends.programmes.models import InformationSheet
from amends.tasks.services import information_task_key, tasks_complete_by_key

MAX_CONTACT_MINUTES = 24 * 60
# Work recorded on a case may predate it a little (a call before the referral was typed
# in); a date earlier than this is a typing slip.
EARLIEST_BEFORE_CASE = datetime.timedelta(days=366)


def _date_problems(participant: Participant, day: datetime.date, *, what: str) -> list[str]:
    """Work on a case is not dated in the future, nor long before the case began."""
    if day > timezone.localdate():
        return [_("%(what)s cannot be in the future.") % {"what": what}]
    opened = timezone.localtime(participant.case.created_at).date()
    if day < opened - EARLIEST_BEFORE_CASE:
        return [_("%(what)s cannot be long before the case began.") % {"what": what}]
    return []


def _locked_open_case(case_id: int) -> Case:
    case = Case.objects.select_for_update().select_related("programme").get(pk=case_id)
    if case.stage == CaseStage.CLOSED:
        raise ApplicationError(_("The case is closed; nothing more can be recorded on it."))
    return case


def participant_add(
    *,
    actor: User | None,
    case: Case,
    person: Person,
    role: str,
    guardian_for: Participant | None = None,
    advocate: User | None = None,
) -> Participant:
    """Add a person to a case in a role. A guardian names the participant they are
    guardian for; an advocate must hold the advocate role in the programme."""
    reasons = []
    if role not in ParticipantRole.values:
        reasons.append(_("Choose the person's role in the case."))
    if role == ParticipantRole.GUARDIAN and guardian_for is None:
        reasons.append(_("Say whom this person is a parent or guardian for."))
    if role != ParticipantRole.GUARDIAN and guardian_for is not None:
        reasons.append(_("Only a parent or guardian can be guardian for someone."))
    if guardian_for is not None and guardian_for.case_id != case.pk:
        reasons.append(_("The person they are guardian for is not in this case."))
    elif guardian_for is not None and (
        guardian_for.role == ParticipantRole.GUARDIAN
        or not is_minor(guardian_for, timezone.localdate())
    ):
        reasons.append(_("A parent or guardian can only be added for someone under 18."))
    if advocate is not None and Role.ADVOCATE not in programme_roles(advocate).get(
        case.programme_id, frozenset()
    ):
        reasons.append(_("%(name)s is not an advocate in this programme.") % {"name": advocate})
    if reasons:
        raise ApplicationError(_("The participant was not added."), reasons=reasons)
    with transaction.atomic():
        locked = _locked_open_case(case.pk)
        if actor is not None:
            case_policy.require(actor, "work", locked)
        if Participant.objects.filter(case=locked, person=person, role=role).exists():
            raise ApplicationError(
                _("The participant was not added."),
                reasons=[_("This person already has that role in the case.")],
            )
        participant = Participant.objects.create(
            case=locked, person=person, role=role, guardian_for=guardian_for, advocate=advocate
        )
        audit_record(
            actor=actor,
            action=Action.PARTICIPANT_ADDED,
            target=participant,
            programme=locked.programme,
            data={"case": locked.pk, "person": person.pk, "role": role},
        )
        # Someone new may need assessing, informing and consenting: the stage must say so.
        case_step_back_if_unsafe(case=locked)
    return participant


def participant_add_new_person(
    *,
    actor: User,
    case: Case,
    role: str,
    person_fields: dict[str, Any],
    guardian_for: Participant | None = None,
) -> Participant:
    """Add someone not yet known to Amends: the person and their place in the case are
    created together, or neither is."""
    with transaction.atomic():
        case_policy.require(actor, "work", case)
        person = person_create(actor=actor, **person_fields)
        return participant_add(
            actor=actor, case=case, person=person, role=role, guardian_for=guardian_for
        )


def participant_set_advocate(
    *, actor: User | None, participant: Participant, advocate: User | None
) -> Participant:
    """Name the victim advocate who supports this participant (or none)."""
    case = participant.case
    if advocate is not None and Role.ADVOCATE not in programme_roles(advocate).get(
        case.programme_id, frozenset()
    ):
        raise ApplicationError(
            _("The advocate was not changed."),
            reasons=[_("%(name)s is not an advocate in this programme.") % {"name": advocate}],
        )
    with transaction.atomic():
        locked_case = _locked_open_case(case.pk)
        if actor is not None:
            case_policy.require(actor, "work", locked_case)
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        new_id = advocate.pk if advocate else None
        if locked.advocate_id == new_id:
            return locked
        old_id = locked.advocate_id
        locked.advocate = advocate
        locked.save(update_fields=["advocate", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PARTICIPANT_UPDATED,
            target=locked,
            programme=locked_case.programme,
            data={"changed": {"advocate": {"old": old_id, "new": new_id}}},
        )
    return locked


def participant_set_facilitator_preference(
    *, actor: User | None, participant: Participant, gender: str
) -> Participant:
    """Record that this person asked for a facilitator of a given gender ("" for no
    preference). Matching treats the request as a hard constraint."""
    if gender and gender not in Gender.values:
        raise ApplicationError(
            _("The preference was not changed."), reasons=[_("Choose one of the options.")]
        )
    with transaction.atomic():
        locked_case = _locked_open_case(participant.case_id)
        if actor is not None:
            case_policy.require(actor, "work", locked_case)
        locked = Participant.objects.select_for_update().get(pk=participant.pk)
        if locked.preferred_facilitator_gender == gender:
            return locked
        old = locked.preferred_facilitator_gender
        locked.preferred_facilitator_gender = gender
        locked.save(update_fields=["preferred_facilitator_gender", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.PARTICIPANT_UPDATED,
            target=locked,
            programme=locked_case.programme,
            data={"changed": {"preferred_facilitator_gender": {"old": old, "new": gender}}},
        )
    return locked


def contact_problems(
    participant: Participant, method: str, channel: ContactChannel | None, today: datetime.date
) -> list[str]:
    """Why this contact may not happen (G10, G9): the channel must be the person's own,
    of the right kind and marked safe; after a withdrawal, only channels the person
    allowed may be used."""
    reasons = []
    if method not in ContactMethod.values:
        return [_("Choose how the contact was made.")]
    needed_kind = CHANNEL_METHODS.get(ContactMethod(method))
    if needed_kind is not None and channel is None:
        reasons.append(_("Choose the channel used."))
    if channel is None:
        if needed_kind is None and ledger.outstanding_withdrawals(
            list(participant.consent_entries.all())
        ):
            reasons.append(
                _(
                    "The person has withdrawn; contact them only on a channel they have "
                    "agreed to be contacted on."
                )
            )
        return reasons
    if channel.person_id != participant.person_id:
        reasons.append(_("That channel belongs to someone else."))
        return reasons
    if needed_kind is not None and channel.kind != needed_kind:
        reasons.append(_("That channel cannot be used for this kind of contact."))
    if not channel.is_safe:
        reasons.append(
            _("This channel is marked unsafe: it must never be used to contact the person.")
        )
    entries = list(participant.consent_entries.all())
    if channel.pk in withdrawn_channel_ids(entries):
        reasons.append(_("The person has asked not to be contacted on this channel."))
    elif ledger.outstanding_withdrawals(entries) and channel.pk not in ledger.allowed_channel_ids(
        entries, today
    ):
        reasons.append(
            _(
                "The person has withdrawn; contact them only on a channel they have "
                "agreed to be contacted on."
            )
        )
    return reasons


def contact_record(
    *,
    actor: User,
    participant: Participant,
    method: str,
    outcome: str,
    occurred_at: datetime.datetime,
    channel: ContactChannel | None = None,
    minutes: int = 0,
    notes: str = "",
) -> ContactLog:
    """Log a contact with a participant. An unsafe channel is refused (G10)."""
    reasons = contact_problems(participant, method, channel, timezone.localdate())
    if outcome not in ContactOutcome.values:
        reasons.append(_("Choose the outcome of the contact."))
    # Five minutes' grace: a call logged as it ends, on a clock a little fast.
    reasons += _date_problems(
        participant,
        timezone.localtime(occurred_at - datetime.timedelta(minutes=5)).date(),
        what=_("The contact"),
    )
    if not 0 <= minutes <= MAX_CONTACT_MINUTES:
        reasons.append(_("Time spent must be between 0 and 1,440 minutes."))
    if reasons:
        raise ApplicationError(_("The contact was not recorded."), reasons=reasons)
    with transaction.atomic():
        case = _locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        log = ContactLog.objects.create(
            participant=participant,
            method=method,
            channel=channel,
            outcome=outcome,
            minutes=minutes,
            notes=notes.strip(),
            occurred_at=occurred_at,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.CONTACT_RECORDED,
            target=log,
            programme=case.programme,
            data={"case": case.pk, "participant": participant.pk, "method": method},
        )
    return log


def information_give(
    *,
    actor: User,
    participant: Participant,
    sheet: InformationSheet,
    method: str,
    given_on: datetime.date,
    legal_advice_offered: bool,
    interpreter_offered: bool,
) -> InformationGiven:
    """Record that a participant was given an information sheet (G3); for the person
    harmed this also meets the statutory information clock (G13)."""
    reasons = []
    if sheet.programme_id != participant.case.programme_id:
        reasons.append(_("That information sheet belongs to another programme."))
    if method not in ContactMethod.values:
        reasons.append(_("Choose how the information was given."))
    reasons += _date_problems(participant, given_on, what=_("The date"))
    if reasons:
        raise ApplicationError(_("The information was not recorded."), reasons=reasons)
    with transaction.atomic():
        case = _locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        record = InformationGiven.objects.create(
            participant=participant,
            sheet=sheet,
            method=method,
            given_on=given_on,
            legal_advice_offered=legal_advice_offered,
            interpreter_offered=interpreter_offered,
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.INFORMATION_GIVEN,
            target=record,
            programme=case.programme,
            data={
                "case": case.pk,
                "participant": participant.pk,
                "sheet": sheet.pk,
                "version": sheet.version,
                "language": sheet.language,
            },
        )
        if participant.role == ParticipantRole.HARMED:
            tasks_complete_by_key(actor=actor, key=information_task_key(case))
    return record


def acknowledgment_record(
    *,
    actor: User,
    participant: Participant,
    acknowledged_on: datetime.date,
    method: str,
    notes: str = "",
) -> Acknowledgment:
    """Record that the person responsible acknowledged the basic facts (G2)."""
    reasons = []
    if participant.role != ParticipantRole.RESPONSIBLE:
        reasons.append(_("Only the person responsible acknowledges the facts."))
    if method not in AcknowledgmentMethod.values:
        reasons.append(_("Choose how the facts were acknowledged."))
    reasons += _date_problems(participant, acknowledged_on, what=_("The date"))
    if reasons:
        raise ApplicationError(_("The acknowledgment was not recorded."), reasons=reasons)
    with transaction.atomic():
        case = _locked_open_case(participant.case_id)
        participant_policy.require(actor, "work", participant)
        acknowledgment = Acknowledgment.objects.create(
            participant=participant,
            acknowledged_on=acknowledged_on,
            method=method,
            notes=notes.strip(),
            recorded_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.ACKNOWLEDGMENT_RECORDED,
            target=acknowledgment,
            programme=case.programme,
            data={"case": case.pk, "participant": participant.pk, "method": method},
        )
    return acknowledgment
