"""Reads about cases for pages, gates and the API. Selectors start from the policy's
`visible_to(user)` when they serve a person; `case_facts` serves the gates."""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import Prefetch
from django.utils import timezone

from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.assessments.models import Assessment, SignOff
from amends.cases.gates import AssessmentFacts, CaseFacts, FacilitatorFacts, ParticipantFacts
from amends.cases.models import (
    CONSENTING_ROLES,
    KEY_ROLES,
    Case,
    FacilitatorAssignment,
    Participant,
    ParticipantRole,
)
from amends.cases.permissions import participant_policy
from amends.cases.stages import CaseStage
from amends.consent import ledger
from amends.consent.models import ConsentScope
from amends.core.forms import MEMBER_LIST_LIMIT
from amends.facilitators.competence import facilitator_checks
from amends.programmes.models import InformationSheet, Programme
from amends.programmes.selectors import (
    PartyLabels,
    current_assessment_template,
    current_information_sheet,
    information_sheet_chooser,
    information_sheet_languages,
    party_labels,
    settings_for,
)
from amends.safety.models import SafetyPlan

ADULT_AGE = 18


def role_label(role: str, programme: Programme, labels: PartyLabels | None = None) -> str:
    """The programme's word for a participant's role (its terminology setting). Code
    labelling many participants reads the programme's `labels` once and passes them."""
    labels = labels or party_labels(programme)
    if role == ParticipantRole.HARMED:
        return labels.harmed.lower()
    if role == ParticipantRole.RESPONSIBLE:
        return labels.responsible.lower()
    return str(ParticipantRole(role).label).lower()


def participant_label(
    participant: Participant, programme: Programme, labels: PartyLabels | None = None
) -> str:
    person = participant.person
    initial = f" {person.family_name[:1]}." if person.family_name else ""
    return f"{person.given_name}{initial} ({role_label(participant.role, programme, labels)})"


def age_on(date_of_birth: datetime.date | None, today: datetime.date) -> int | None:
    if date_of_birth is None:
        return None
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def is_minor(participant: Participant, today: datetime.date) -> bool:
    age = age_on(participant.person.date_of_birth, today)
    return age is not None and age < ADULT_AGE


def participants_for_case(case: Case) -> list[Participant]:
    return list(
        case.participants.select_related("person", "advocate", "guardian_for__person")
        .prefetch_related("person__channels")
        .order_by("id")
    )


def case_facts(
    case: Case,
    *,
    today: datetime.date | None = None,
    next_action: str | None = None,
    next_action_due: datetime.date | None = None,
) -> CaseFacts:
    """Everything the gates need to know about a case, read in a fixed number of queries.

    `next_action` and `next_action_due` let a move be checked with the values it is about
    to set (G13).
    """
    today = today or timezone.localdate()
    programme = case.programme
    settings = settings_for(programme)
    template = current_assessment_template(programme)
    participants = list(
        case.participants.select_related("person")
        .prefetch_related(
            "person__channels",
            "consent_entries",
            "acknowledgments",
            Prefetch("information_given", to_attr="information_records"),
            Prefetch(
                "assessments",
                queryset=Assessment.objects.order_by("-assessed_on", "-id"),
                to_attr="assessments_newest_first",
            ),
        )
        .order_by("id")
    )
    offences = list(case.referral.offences.select_related("category"))
    sheet_in = information_sheet_chooser(programme)
    assignments = list(
        FacilitatorAssignment.objects.filter(case=case).select_related("facilitator")
    )
    facilitator_ids = [assignment.facilitator_id for assignment in assignments]
    party = party_labels(programme)
    labels = {
        participant.pk: participant_label(participant, programme, party)
        for participant in participants
    }
    person_labels = {participant.person_id: labels[participant.pk] for participant in participants}
    competence = facilitator_checks(
        case=case,
        facilitators=[assignment.facilitator for assignment in assignments],
        today=today,
        person_labels=person_labels,
    )
    sign_off = SignOff.objects.filter(case=case).order_by("-created_at", "-id").first()
    plan = SafetyPlan.objects.filter(case=case).first()
    guarded = {
        participant.guardian_for_id
        for participant in participants
        if participant.role == ParticipantRole.GUARDIAN
    }

    def sheet_for(participant: Participant) -> InformationSheet | None:
        return sheet_in(participant.person.preferred_language or settings.default_language)

    participant_facts = tuple(
        _participant_facts(
            participant,
            label=labels[participant.pk],
            today=today,
            sheet=sheet_for(participant),
            template_id=template.pk if template else None,
            has_guardian=participant.pk in guarded,
        )
        for participant in participants
    )
    return CaseFacts(
        stage=case.stage,
        today=today,
        process_type=case.process_type,
        offered_process_types=frozenset(settings.process_types),
        is_sensitive=case.is_sensitive,
        category_codes=frozenset(offence.category.code for offence in offences),
        fast_track_enabled=settings.fast_track_enabled,
        fast_track_categories=bool(offences)
        and all(offence.category.allows_fast_track for offence in offences),
        referral_decision=case.referral.decision,
        referral_decision_policy=case.referral.decision_policy_id,
        evidential_basis_confirmed=case.referral.evidential_basis_confirmed,
        participants=participant_facts,
        facilitators=tuple(
            FacilitatorFacts(
                pk=assignment.facilitator_id,
                name=str(assignment.facilitator),
                problems=competence[assignment.facilitator_id].problems,
                warnings=competence[assignment.facilitator_id].warnings,
            )
            for assignment in assignments
        ),
        sign_off_covered=None if sign_off is None else dict(sign_off.covered),
        sign_off_by_assigned_facilitator=sign_off is not None
        and sign_off.signed_by_id in facilitator_ids,
        safety_measures=None if plan is None else frozenset(plan.measures),
        next_action=case.next_action if next_action is None else next_action,
        next_action_due=case.next_action_due if next_action_due is None else next_action_due,
        **_process_facts(case),
    )


AFTER_READY = frozenset({CaseStage.PROCESS, CaseStage.AGREEMENT, CaseStage.FOLLOW_UP})


def _process_facts(case: Case) -> dict[str, Any]:
    """What the meetings, exchanges, agreements and follow-ups apps know about the
    process, for the stages after `ready` only (earlier stages pay no queries for it).

    Imported here, not at the top: those apps build on cases, so cases asks them only
    when a case has come this far.
    """
    if case.stage not in AFTER_READY and case.paused_from not in AFTER_READY:
        return {}
    from amends.agreements.selectors import agreement_status
    from amends.exchanges.selectors import first_relayed_on
    from amends.followups.selectors import follow_up_unmet
    from amends.meetings.selectors import joint_meeting_held_on

    held = [day for day in (joint_meeting_held_on(case), first_relayed_on(case)) if day]
    agreement = agreement_status(case)
    return {
        "process_held_on": min(held) if held else None,
        "agreement_exists": agreement.exists,
        "agreement_unmet": tuple(agreement.unmet),
        "agreement_open_items": agreement.open_items,
        "follow_up_unmet": tuple(follow_up_unmet(case)),
    }


def _participant_facts(
    participant: Participant,
    *,
    label: str,
    today: datetime.date,
    sheet: InformationSheet | None,
    template_id: int | None,
    has_guardian: bool,
) -> ParticipantFacts:
    person = participant.person
    entries = list(participant.consent_entries.all())
    latest = ledger.latest_entries(entries).values()
    consented: dict[str, set[str]] = {}
    on_old_sheet: set[str] = set()
    for entry in latest:
        if entry.scope != ConsentScope.TAKE_PART or not ledger.is_active(entry, today):
            continue
        if sheet is not None and entry.sheet_id == sheet.pk:
            consented.setdefault(entry.kind, set()).add(entry.process_type)
        else:
            on_old_sheet.add(entry.process_type)
    withdrawals = ledger.outstanding_withdrawals(entries)
    information: list[Any] = participant.information_records  # type: ignore[attr-defined]
    assessments: list[Assessment] = participant.assessments_newest_first  # type: ignore[attr-defined]
    newest = assessments[0] if assessments else None
    return ParticipantFacts(
        pk=participant.pk,
        label=label,
        role=participant.role,
        is_key=participant.role in KEY_ROLES,
        must_consent=participant.role in CONSENTING_ROLES,
        is_minor=is_minor(participant, today),
        age_known=person.date_of_birth is not None,
        has_guardian=has_guardian,
        interpreter_needed=person.interpreter_needed,
        has_safe_channel=any(channel.is_safe for channel in person.channels.all()),
        acknowledged=bool(participant.acknowledgments.all()),
        assessment=None
        if newest is None
        else AssessmentFacts(
            pk=newest.pk,
            revision=newest.revision,
            on_current_template=newest.template_id == template_id,
            valid_until=newest.valid_until,
            risk_level=newest.risk_level,
            permitted_modality=newest.permitted_modality,
        ),
        consented={kind: frozenset(values) for kind, values in consented.items()},
        consent_on_old_sheet=frozenset(on_old_sheet),
        informed=sheet is not None and any(record.sheet_id == sheet.pk for record in information),
        legal_advice_offered=any(record.legal_advice_offered for record in information),
        interpreter_offered=any(record.interpreter_offered for record in information),
        withdrawn_on=min(
            (timezone.localtime(entry.recorded_at).date() for entry in withdrawals), default=None
        ),
    )


def case_page_participants(case: Case, *, today: datetime.date | None = None) -> list[Participant]:
    """The case's participants for its page, each with `label`, `age`, `is_minor`,
    `safe_channels` and `latest_assessment` set (a fixed number of queries)."""
    today = today or timezone.localdate()
    participants: list[Participant] = list(
        case.participants.select_related("person", "advocate", "guardian_for__person")
        .prefetch_related(
            "person__channels",
            Prefetch(
                "assessments",
                queryset=Assessment.objects.order_by("-assessed_on", "-id"),
                to_attr="assessments_newest_first",
            ),
        )
        .order_by("id")
    )
    party = party_labels(case.programme)
    for participant in participants:
        participant.label = participant_label(participant, case.programme, party)  # type: ignore[attr-defined]
        participant.age = age_on(participant.person.date_of_birth, today)  # type: ignore[attr-defined]
        participant.minor = is_minor(participant, today)  # type: ignore[attr-defined]
        participant.safe_channels = sum(  # type: ignore[attr-defined]
            1 for channel in participant.person.channels.all() if channel.is_safe
        )
        newest = participant.assessments_newest_first  # type: ignore[attr-defined]
        participant.latest_assessment = newest[0] if newest else None  # type: ignore[attr-defined]
    return participants


def programme_members_with_role(programme: Programme, role: Role) -> Any:
    """The programme's active members holding `role`, by name (for choosing someone).
    No DISTINCT: a user holds a role in a programme once (`membership_unique_role`), and
    DISTINCT would make a LIMITed count read every member (and scan the users table)."""
    return User.objects.filter(
        is_active=True, memberships__programme=programme, memberships__role=role
    ).order_by("full_name")


def programme_members_listable(programme: Programme, role: Role) -> bool:
    """Whether the programme's members holding `role` are few enough to list in a chooser
    (at most MEMBER_LIST_LIMIT). Counted on the memberships' (programme, role) index alone,
    stopping at the limit. Counting the users instead (to leave out deactivated accounts)
    joined the users table, which PostgreSQL read from the start until it had found
    enough: a cost that grows with everyone who has an account. A deactivated member is
    counted here but never offered."""
    members = Membership.objects.filter(programme=programme, role=role)
    return members.order_by().values("pk")[: MEMBER_LIST_LIMIT + 1].count() <= MEMBER_LIST_LIMIT


def case_assignable_facilitators(case: Case, *, include_assigned: bool = False) -> Any:
    """Facilitators of the case's programme (not yet assigned, unless asked)."""
    users = programme_members_with_role(case.programme, Role.FACILITATOR)
    if not include_assigned:
        users = users.exclude(case_assignments__case=case)
    return users


def stage_history(case: Case) -> list[Any]:
    return list(case.stage_changes.select_related("actor").order_by("created_at", "id"))


def participant_page(participant: Participant) -> dict[str, Any]:
    """What a case worker sees on a participant's page."""
    return {
        "channels": list(participant.person.channels.order_by("id")),
        "contacts": list(
            participant.contacts.select_related("channel", "recorded_by").order_by("-occurred_at")
        ),
        "information_records": list(
            participant.information_given.select_related("sheet", "recorded_by").order_by(
                "-given_on", "-id"
            )
        ),
        "acknowledgments": list(
            participant.acknowledgments.select_related("recorded_by").order_by("-acknowledged_on")
        ),
        "guardians": list(participant.guardians.select_related("person")),
    }


def current_information_sheets(programme: Programme) -> Any:
    """The current version of the programme's information sheet in each language."""
    current = [
        sheet.pk
        for language in information_sheet_languages(programme)
        if (sheet := current_information_sheet(programme, language)) is not None
    ]
    return InformationSheet.objects.filter(pk__in=current).order_by("language")


def supported_participants(user: Any) -> list[Participant]:
    """The participants `user` supports as an advocate, each with its `label`."""
    participants = list(
        participant_policy.visible_to(user)
        .filter(advocate=user)
        .select_related("person", "case__programme")
        .order_by("case__created_at", "id")
    )
    for participant in participants:
        participant.label = participant_label(participant, participant.case.programme)  # type: ignore[attr-defined]
    return participants
