"""Taking a referral in: the referral, its offences, its people and their contact
channels, the case it opens and its statutory clocks, all in one transaction.

Every input is checked before anything is written, and every problem is reported at
once, each in plain words that say which person or offence it is about; a refused
referral leaves nothing behind. People already known are linked only when the person
entering the referral chose that person (`PersonInput.existing_person`); nobody is ever
merged silently, and a referrer's submission always creates new people (referrers never
see who is already known; the coordinator sees the possible duplicates at screening).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.services import case_open, participant_add
from amends.core.errors import ApplicationError, PermissionRefused
from amends.people.models import ContactChannel, Person
from amends.people.selectors import person_is_in_programme
from amends.people.services import (
    contact_channel_add,
    contact_channel_find,
    contact_channel_mark_unsafe,
    contact_channel_problems,
    person_create,
    person_problems,
)
from amends.programmes.models import OffenceCategory, Programme
from amends.programmes.selectors import offence_categories
from amends.referrals.models import JusticeStage, Offence, Referral, SourceType, Urgency
from amends.referrals.permissions import intake_policy, is_staff_of_programme
from amends.tasks.services import statutory_clock_tasks

KEY_ROLE_VALUES = (ParticipantRole.HARMED, ParticipantRole.RESPONSIBLE)


@dataclass(frozen=True)
class ChannelInput:
    """One way of reaching a person. `is_safe` None means nobody said: refused."""

    kind: str
    value: str
    is_safe: bool | None
    safe_times: str = ""
    notes: str = ""


@dataclass(frozen=True)
class PersonInput:
    """Someone involved, in a role. With `existing_person`, that person (chosen by the
    user from the possible duplicates) takes part and the name and other details here are
    not used; the channels are added to them unless they already have them, and a channel
    they have that is marked unsafe here becomes unsafe (never the other way round).
    `guardian_for` is the position (from 0) of the person this one is a guardian for."""

    role: str
    given_name: str = ""
    family_name: str = ""
    date_of_birth: datetime.date | None = None
    pronouns: str = ""
    preferred_language: str = ""
    interpreter_needed: bool = False
    accessibility_needs: str = ""
    channels: Sequence[ChannelInput] = field(default_factory=tuple)
    existing_person: Person | None = None
    guardian_for: int | None = None


@dataclass(frozen=True)
class OffenceInput:
    category: OffenceCategory | None
    occurred_on: datetime.date | None = None
    police_reference: str = ""
    justice_stage: str = JusticeStage.NONE


@dataclass(frozen=True)
class ReferralInput:
    """Everything about the referral itself, apart from its offences and people."""

    source_type: str
    agency: str = ""
    referrer_name: str = ""
    referrer_contact: str = ""
    initial_account: str = ""
    urgency: str = Urgency.ROUTINE
    crime_reported_on: datetime.date | None = None
    enhanced_rights: bool = False
    evidential_basis_confirmed: bool = False


def referral_submit(
    *,
    actor: User,
    programme: Programme,
    source_type: str,
    agency: str = "",
    referrer_name: str = "",
    referrer_contact: str = "",
    initial_account: str = "",
    urgency: str = Urgency.ROUTINE,
    crime_reported_on: datetime.date | None = None,
    enhanced_rights: bool = False,
    evidential_basis_confirmed: bool = False,
    offences: Sequence[OffenceInput],
    people: Sequence[PersonInput],
) -> Case:
    """Take a referral in and open its case (stage `referred`), in one transaction.

    Coordinators and supervisors of the programme use the staff form (any source,
    including a self-referral entered for someone; a coordinator becomes the case's
    coordinator). Referrers of the programme send their own: `submitted_by` records them,
    and they cannot link people already known. Raises PermissionRefused for anyone else
    and ApplicationError with every problem found, writing nothing, for bad input.
    """
    details = ReferralInput(
        source_type=source_type,
        agency=agency.strip(),
        referrer_name=referrer_name.strip(),
        referrer_contact=referrer_contact.strip(),
        initial_account=initial_account.strip(),
        urgency=urgency,
        crime_reported_on=crime_reported_on,
        enhanced_rights=enhanced_rights,
        evidential_basis_confirmed=evidential_basis_confirmed,
    )
    if not intake_policy.can(actor, "submit", programme):
        raise PermissionRefused(_("You cannot send referrals to this programme."))
    is_staff = is_staff_of_programme(actor, programme)
    problems = referral_problems(
        programme=programme, details=details, offences=offences, people=people, is_staff=is_staff
    )
    if problems:
        raise ApplicationError(_("The referral was not sent."), reasons=problems)
    with transaction.atomic():
        referral = _create_referral(actor, programme, details, offences, is_staff=is_staff)
        persons = [_person_for(actor, person_input) for person_input in people]
        coordinator = (
            actor
            if Role.COORDINATOR in programme_roles(actor).get(programme.pk, frozenset())
            else None
        )
        case = case_open(actor=actor, referral=referral, coordinator=coordinator)
        # A referrer may not work on the case (participant_add checks "work"): their
        # right to add these people was checked above, so the system adds them, and
        # referral.received below records the referrer as the one who did it.
        _add_participants(actor if is_staff else None, case, people, persons)
        statutory_clock_tasks(case=case)
        audit_record(
            actor=actor,
            action=Action.REFERRAL_RECEIVED,
            target=referral,
            programme=programme,
            data={
                "case": case.pk,
                "form": "staff" if is_staff else "referrer",
                "source_type": details.source_type,
                "urgency": details.urgency,
                "categories": sorted({o.category.code for o in offences if o.category}),
                "people": len(people),
                "linked_people": [p.existing_person.pk for p in people if p.existing_person],
                "fields": [name for name in _TEXT_FIELDS if getattr(details, name)],
            },
        )
    return case


_TEXT_FIELDS = ("agency", "referrer_name", "referrer_contact", "initial_account")


def referral_problems(
    *,
    programme: Programme,
    details: ReferralInput,
    offences: Sequence[OffenceInput],
    people: Sequence[PersonInput],
    is_staff: bool,
) -> list[str]:
    """Every reason the referral cannot be taken in as it is (empty when it can)."""
    today = timezone.localdate()
    reasons: list[str] = []
    if details.source_type not in SourceType.values:
        reasons.append(_("Choose who is making the referral."))
    elif details.source_type == SourceType.SELF and not is_staff:
        reasons.append(_("A self-referral is entered by the programme's staff."))
    if details.urgency not in Urgency.values:
        reasons.append(_("Choose how urgent the referral is."))
    if details.crime_reported_on is not None and details.crime_reported_on > today:
        reasons.append(_("The date the crime was reported cannot be in the future."))
    reasons += _offence_problems(programme, offences, details.crime_reported_on, today)
    reasons += _people_problems(programme, people, is_staff, today)
    return reasons


def _offence_problems(
    programme: Programme,
    offences: Sequence[OffenceInput],
    reported_on: datetime.date | None,
    today: datetime.date,
) -> list[str]:
    if not offences:
        return [_("Add at least one offence.")]
    active = set(offence_categories(programme).values_list("pk", flat=True))
    reasons = []
    for number, offence in enumerate(offences, start=1):
        label = _("Offence %(number)s") % {"number": number}
        found = []
        if offence.category is None:
            found.append(_("choose its category."))
        elif offence.category.programme_id != programme.pk or offence.category.pk not in active:
            found.append(_("its category is not one this programme uses."))
        if offence.occurred_on is not None and offence.occurred_on > today:
            found.append(_("the date of the offence cannot be in the future."))
        elif (
            offence.occurred_on is not None
            and reported_on is not None
            and offence.occurred_on > reported_on
        ):
            found.append(_("the offence cannot have happened after it was reported."))
        if offence.justice_stage not in JusticeStage.values:
            found.append(_("choose the justice stage."))
        reasons += [f"{label}: {problem}" for problem in found]
    return reasons


def _people_problems(
    programme: Programme, people: Sequence[PersonInput], is_staff: bool, today: datetime.date
) -> list[str]:
    reasons = []
    if not any(person.role in KEY_ROLE_VALUES for person in people):
        reasons.append(_("Add at least one person harmed or person responsible."))
    linked = [person.existing_person.pk for person in people if person.existing_person]
    if len(linked) != len(set(linked)):
        reasons.append(_("The same known person is linked more than once."))
    for number in range(1, len(people) + 1):
        label = _("Person %(number)s") % {"number": number}
        reasons += [
            f"{label}: {problem}"
            for problem in _person_problems(programme, people, number - 1, is_staff, today)
        ]
    return reasons


def _person_problems(
    programme: Programme,
    people: Sequence[PersonInput],
    position: int,
    is_staff: bool,
    today: datetime.date,
) -> list[str]:
    person = people[position]
    found = []
    if person.role not in ParticipantRole.values:
        found.append(_("choose the person's role."))
    if person.existing_person is not None:
        if not is_staff:
            found.append(_("only the programme's staff can link someone already known."))
        elif not person_is_in_programme(person.existing_person.pk, programme):
            found.append(_("the person chosen to link is not known to this programme."))
    else:
        found += person_problems(
            given_name=person.given_name,
            date_of_birth=person.date_of_birth,
            preferred_language=person.preferred_language,
        )
    found += _guardian_problems(people, position)
    for channel in person.channels:
        found += contact_channel_problems(
            kind=channel.kind, value=channel.value, is_safe=channel.is_safe
        )
    return found


def _guardian_problems(people: Sequence[PersonInput], position: int) -> list[str]:
    person = people[position]
    ward = person.guardian_for
    if person.role != ParticipantRole.GUARDIAN:
        return [] if ward is None else [_("only a parent or guardian can be guardian for someone.")]
    if ward is None:
        return [_("say whom this person is a parent or guardian for.")]
    if ward == position or not 0 <= ward < len(people):
        return [_("choose another person in this referral as the one they are guardian for.")]
    if people[ward].role == ParticipantRole.GUARDIAN:
        return [_("a parent or guardian is guardian for a participant, not another guardian.")]
    return []


def _create_referral(
    actor: User,
    programme: Programme,
    details: ReferralInput,
    offences: Sequence[OffenceInput],
    *,
    is_staff: bool,
) -> Referral:
    referral = Referral.objects.create(
        programme=programme,
        source_type=details.source_type,
        agency=details.agency,
        referrer_name=details.referrer_name,
        referrer_contact=details.referrer_contact,
        submitted_by=None if is_staff else actor,
        initial_account=details.initial_account,
        urgency=details.urgency,
        crime_reported_on=details.crime_reported_on,
        enhanced_rights=details.enhanced_rights,
        evidential_basis_confirmed=details.evidential_basis_confirmed,
    )
    Offence.objects.bulk_create(
        Offence(
            referral=referral,
            category=offence.category,
            occurred_on=offence.occurred_on,
            police_reference=offence.police_reference.strip(),
            justice_stage=offence.justice_stage,
        )
        for offence in offences
    )
    return referral


def _person_for(actor: User, person_input: PersonInput) -> Person:
    person = person_input.existing_person
    if person is None:
        person = person_create(
            actor=actor,
            given_name=person_input.given_name,
            family_name=person_input.family_name,
            date_of_birth=person_input.date_of_birth,
            pronouns=person_input.pronouns,
            preferred_language=person_input.preferred_language,
            interpreter_needed=person_input.interpreter_needed,
            accessibility_needs=person_input.accessibility_needs,
        )
    for channel in person_input.channels:
        known = (
            None
            if person_input.existing_person is None
            else contact_channel_find(person=person, kind=channel.kind, value=channel.value)
        )
        if known is not None:
            # Someone now says the channel is unsafe: believe the safer answer at once. A
            # "safe" here never makes a channel recorded as unsafe usable again.
            if known.is_safe and channel.is_safe is False:
                contact_channel_mark_unsafe(actor=actor, channel=known)
            continue
        contact_channel_add(
            actor=actor,
            person=person,
            kind=ContactChannel.Kind(channel.kind),
            value=channel.value,
            is_safe=bool(channel.is_safe),
            safe_times=channel.safe_times,
            notes=channel.notes,
        )
    return person


def _add_participants(
    actor: User | None, case: Case, people: Sequence[PersonInput], persons: Sequence[Person]
) -> None:
    # Guardians last: each names the participant they are guardian for.
    added: dict[int, Participant] = {}
    order = sorted(range(len(people)), key=lambda i: people[i].role == ParticipantRole.GUARDIAN)
    for position in order:
        ward = people[position].guardian_for
        added[position] = participant_add(
            actor=actor,
            case=case,
            person=persons[position],
            role=people[position].role,
            guardian_for=added[ward] if ward is not None else None,
        )
