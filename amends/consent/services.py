"""Every write to the consent ledger (G3 informed consent, G9 withdrawal).

The ledger is append-only: giving consent and withdrawing it each add an entry, and no
service here updates or deletes one, so what a person agreed to, on which information
sheet, and when they changed their mind, is never lost. The current state is derived
(`amends.consent.ledger`).

A key participant's withdrawal of taking part or of data processing pauses the case at
once, in the same transaction as the entry, and tells the facilitators and the
coordinator. Nothing is recorded against anyone: no closure, no "non-compliance".
"""

from __future__ import annotations

import datetime
import secrets
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.db.models.fields.files import FieldFile
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import membership_list_for_programme
from amends.agreements.models import AgreementItem
from amends.agreements.selectors import agreement_consent_problems
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.permissions import participant_policy
from amends.cases.selectors import is_minor
from amends.cases.services import case_pause, case_step_back_if_unsafe
from amends.cases.stages import CaseStage, PauseReason
from amends.consent import jobs, ledger, rules
from amends.consent.models import ConsentEntry, ConsentKind, ConsentMethod, ConsentScope
from amends.core.errors import ApplicationError
from amends.core.workdays import add_working_days
from amends.people.models import ContactChannel
from amends.programmes.models import InformationSheet, ProcessType
from amends.programmes.selectors import current_information_sheet, settings_for
from amends.tasks.models import TaskKind
from amends.tasks.services import task_create

TEXT_MAX_LENGTH = 200
# Withdrawing these stops the process itself; the other scopes narrow what may be done.
PAUSING_SCOPES = frozenset({ConsentScope.TAKE_PART, ConsentScope.DATA_PROCESSING})
# The facilitators and coordinator are asked to look at the case within a working day.
REVIEW_WORKING_DAYS = 1


@dataclass(frozen=True)
class Subject:
    """What an entry is about, with only the detail its scope uses kept."""

    scope: str
    process_type: str = ""
    partner: str = ""
    channel: ContactChannel | None = None
    agreement_item: AgreementItem | None = None

    @classmethod
    def of(
        cls,
        scope: str,
        process_type: str,
        partner: str,
        channel: ContactChannel | None,
        agreement_item: AgreementItem | None = None,
    ) -> Subject:
        # A form sends every field; keeping only the one the scope names means a later
        # withdrawal of the same thing finds the same subject in the ledger.
        if scope == ConsentScope.TAKE_PART:
            return cls(scope, process_type=process_type)
        if scope == ConsentScope.SHARE_INFORMATION:
            return cls(scope, partner=" ".join(partner.split()))
        if scope == ConsentScope.CONTACT:
            return cls(scope, channel=channel)
        if scope == ConsentScope.AGREEMENT:
            return cls(scope, agreement_item=agreement_item)
        return cls(scope)

    def key(self, kind: str) -> ledger.SubjectKey:
        channel_id = self.channel.pk if self.channel is not None else None
        item_id = self.agreement_item.pk if self.agreement_item is not None else None
        return (self.scope, self.process_type, self.partner, channel_id, item_id, kind)


def _subject_problems(
    participant: Participant, subject: Subject, offered: list[str], *, giving: bool
) -> list[str]:
    if subject.scope not in ConsentScope.values:
        return [_("Choose what the consent is for.")]
    reasons = []
    if subject.scope == ConsentScope.TAKE_PART:
        if subject.process_type not in ProcessType.values:
            reasons.append(_("Choose the process the consent is for."))
        elif giving and subject.process_type not in offered:
            reasons.append(
                _("The programme does not offer the %(process)s.")
                % {"process": ProcessType(subject.process_type).label}
            )
    elif subject.scope == ConsentScope.SHARE_INFORMATION:
        if not subject.partner:
            reasons.append(_("Name the partner the information may be shared with."))
        elif len(subject.partner) > TEXT_MAX_LENGTH:
            reasons.append(_("The partner's name must be at most 200 characters."))
    elif subject.scope == ConsentScope.CONTACT:
        channel = subject.channel
        if channel is None:
            reasons.append(_("Choose the channel the consent is about."))
        elif channel.person_id != participant.person_id:
            reasons.append(_("That channel belongs to someone else."))
        elif giving and not channel.is_safe:
            reasons.append(
                _(
                    "This channel is marked unsafe: it must never be used to contact the "
                    "person, so consent to it cannot be recorded."
                )
            )
    elif subject.scope == ConsentScope.AGREEMENT:
        reasons.extend(
            agreement_consent_problems(participant, subject.agreement_item, giving=giving)
        )
    return reasons


def _kind_problems(
    participant: Participant, kind: str, given_by: Participant | None, today: datetime.date
) -> list[str]:
    if kind not in ConsentKind.values:
        return [_("Choose whose consent this is.")]
    minor = is_minor(participant, today)
    reasons = []
    if kind == ConsentKind.CONSENT and minor:
        reasons.append(
            _(
                "The participant is under 18: record a parent's or guardian's consent and "
                "the young person's own assent instead."
            )
        )
    elif kind == ConsentKind.ASSENT and not minor:
        reasons.append(_("Only a participant under 18 gives assent; an adult gives consent."))
    elif kind == ConsentKind.GUARDIAN:
        if not minor:
            reasons.append(_("Only a participant under 18 needs a parent's or guardian's consent."))
        elif given_by is None:
            reasons.append(_("Choose the parent or guardian who gave consent."))
        elif (
            given_by.role != ParticipantRole.GUARDIAN or given_by.guardian_for_id != participant.pk
        ):
            reasons.append(
                _("The person chosen is not recorded as this participant's parent or guardian.")
            )
    if kind != ConsentKind.GUARDIAN and given_by is not None:
        reasons.append(_("Only a parent's or guardian's consent names who gave it."))
    return reasons


def _method_problems(
    actor: User, method: str, witness: str, signature_name: str, document: File[bytes] | None
) -> list[str]:
    if method not in ConsentMethod.values:
        return [_("Choose how consent was given.")]
    reasons = []
    if method == ConsentMethod.SIGNED_FORM:
        if document is None:
            reasons.append(_("Upload the signed form."))
        else:
            reasons.extend(rules.document_problems(document, document.size))
    elif method == ConsentMethod.ON_SCREEN:
        if not signature_name:
            reasons.append(_("Ask the person to type their name on the screen to sign."))
        elif len(signature_name) > TEXT_MAX_LENGTH:
            reasons.append(_("The typed name must be at most 200 characters."))
    elif method == ConsentMethod.VERBAL_WITNESSED:
        recorder = {actor.full_name.casefold().strip(), actor.email.casefold().strip()}
        if not witness:
            reasons.append(_("Name the witness who heard the consent being given."))
        elif len(witness) > TEXT_MAX_LENGTH:
            reasons.append(_("The witness's name must be at most 200 characters."))
        elif witness.casefold() in recorder:
            reasons.append(_("The witness must be someone other than you, who records it."))
    return reasons


def _sheet_problems(
    case: Case, participant: Participant, sheet: InformationSheet | None
) -> list[str]:
    if sheet is None:
        return [_("Choose the information sheet the person was given.")]
    if sheet.programme_id != case.programme_id:
        return [_("That information sheet belongs to another programme.")]
    language = (
        participant.person.preferred_language or settings_for(case.programme).default_language
    )
    current = current_information_sheet(case.programme, language)
    if current is None:
        return [_("The programme has no information sheet in the person's language yet.")]
    values = {
        "title": current.title,
        "version": current.version,
        "language": current.language,
        "old": sheet.version,
    }
    if sheet.language != current.language:
        return [
            _(
                "Consent must be given on the information sheet in the person's language: "
                "“%(title)s”, version %(version)d (%(language)s)."
            )
            % values
        ]
    if sheet.pk != current.pk:
        return [
            _(
                "The information sheet has changed: consent must be given on “%(title)s”, "
                "version %(version)d (%(language)s), not on version %(old)d. Give the person "
                "the current sheet and ask again."
            )
            % values
        ]
    return []


def _lock_case(participant: Participant) -> Case:
    # The case row is the lock every writer of the case takes, so entries, pauses and
    # moves of one case happen one after another.
    return Case.objects.select_for_update().select_related("programme").get(pk=participant.case_id)


def _stored_name(document: File[bytes]) -> str:
    # A random name: the uploaded file's own name often carries the person's name.
    return f"{secrets.token_hex(16)}.{rules.document_extension(document)}"


def consent_give(
    *,
    actor: User,
    participant: Participant,
    scope: str,
    process_type: str = "",
    partner: str = "",
    channel: ContactChannel | None = None,
    agreement_item: AgreementItem | None = None,
    kind: str = ConsentKind.CONSENT,
    given_by: Participant | None = None,
    sheet: InformationSheet | None,
    method: str,
    witness: str = "",
    signature_name: str = "",
    document: File[bytes] | None = None,
) -> ConsentEntry:
    """Record that a participant (or, for a minor, their guardian) gave consent (G3).

    The entry names what it is for (taking part in an offered process, sharing with a
    named partner, contact on one of the person's own safe channels, data processing,
    the current version of an agreement item that binds the person (G11)),
    the current information sheet in the person's language, and how it was given (an
    uploaded signed form, a name typed on screen, or verbally before a named witness).
    A minor needs a guardian's consent and their own assent; an adult gives their own.
    It is valid for the programme's consent window. Consent may be given while the case
    is paused (that is how it resumes), not once it is closed.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    subject = Subject.of(scope, process_type, partner, channel, agreement_item)
    witness, signature_name = " ".join(witness.split()), " ".join(signature_name.split())
    today = timezone.localdate()
    stored: FieldFile | None = None
    try:
        with transaction.atomic():
            case = _lock_case(participant)
            participant_policy.require(actor, "work", participant)
            if case.stage == CaseStage.CLOSED:
                raise ApplicationError(_("The case is closed; consent cannot be recorded on it."))
            settings = settings_for(case.programme)
            reasons = [
                *_subject_problems(participant, subject, list(settings.process_types), giving=True),
                *_kind_problems(participant, kind, given_by, today),
                *_method_problems(actor, method, witness, signature_name, document),
                *_sheet_problems(case, participant, sheet),
            ]
            if reasons or sheet is None:
                raise ApplicationError(_("The consent was not recorded."), reasons=reasons)
            entry = ConsentEntry(
                participant=participant,
                scope=subject.scope,
                process_type=subject.process_type,
                partner=subject.partner,
                channel=subject.channel,
                agreement_item=subject.agreement_item,
                is_given=True,
                kind=kind,
                given_by=given_by if kind == ConsentKind.GUARDIAN else None,
                sheet=sheet,
                method=method,
                witness=witness if method == ConsentMethod.VERBAL_WITNESSED else "",
                signature_name=signature_name if method == ConsentMethod.ON_SCREEN else "",
                valid_until=today + datetime.timedelta(days=settings.consent_validity_days),
                recorded_by=actor,
            )
            if method == ConsentMethod.SIGNED_FORM and document is not None:
                entry.document.save(_stored_name(document), document, save=False)
                stored = entry.document
            entry.save()
            audit_record(
                actor=actor,
                action=Action.CONSENT_GIVEN,
                target=entry,
                programme=case.programme,
                data={
                    "case": case.pk,
                    "participant": participant.pk,
                    "scope": subject.scope,
                    "process_type": subject.process_type,
                    "channel": subject.channel.pk if subject.channel else None,
                    "agreement_item": entry.agreement_item_id,
                    "kind": kind,
                    "given_by": entry.given_by_id,
                    "method": method,
                    "sheet": sheet.pk,
                    "sheet_version": sheet.version,
                    "sheet_language": sheet.language,
                    "valid_until": entry.valid_until.isoformat() if entry.valid_until else None,
                },
            )
    except BaseException:
        # The file is stored before the row; a rollback must not leave it behind.
        if stored is not None and stored.name:
            stored.storage.delete(stored.name)
        raise
    return entry


def consent_withdraw(
    *,
    actor: User,
    participant: Participant,
    scope: str,
    process_type: str = "",
    partner: str = "",
    channel: ContactChannel | None = None,
    agreement_item: AgreementItem | None = None,
    kind: str = ConsentKind.CONSENT,
    note: str = "",
) -> ConsentEntry:
    """Record that a participant withdrew consent (G9): a new entry that says no, never
    an edit. Anyone working on the case and the participant's advocate may record it,
    at any time. Withdrawing what is already withdrawn changes nothing.

    When a person harmed or a person responsible withdraws taking part or data
    processing, the case is paused at once (the system pauses it; no penalty is
    recorded against anyone), each assigned facilitator and the coordinator get a task,
    and they are e-mailed after the commit. Contact then stops except on the channels
    the person agreed to. `note` (optional) is kept with the entry (and the pause),
    encrypted.

    Raises PermissionRefused, or ApplicationError for a subject that names nothing.
    """
    subject = Subject.of(scope, process_type, partner, channel, agreement_item)
    with transaction.atomic():
        case = _lock_case(participant)
        participant_policy.require(actor, "withdraw", participant)
        reasons = _subject_problems(participant, subject, [], giving=False)
        if kind not in ConsentKind.values:
            reasons.append(_("Choose whose consent is withdrawn."))
        if reasons:
            raise ApplicationError(_("The withdrawal was not recorded."), reasons=reasons)
        entries = list(ConsentEntry.objects.filter(participant=participant))
        latest = ledger.latest_entries(entries).get(subject.key(kind))
        if latest is not None and not latest.is_given:
            return latest
        entry = ConsentEntry.objects.create(
            participant=participant,
            scope=subject.scope,
            process_type=subject.process_type,
            partner=subject.partner,
            channel=subject.channel,
            agreement_item=subject.agreement_item,
            is_given=False,
            kind=kind,
            note=note.strip(),
            recorded_by=actor,
        )
        pauses = participant.is_key and subject.scope in PAUSING_SCOPES and case.is_open
        audit_record(
            actor=actor,
            action=Action.CONSENT_WITHDRAWN,
            target=entry,
            programme=case.programme,
            data={
                "case": case.pk,
                "participant": participant.pk,
                "scope": subject.scope,
                "process_type": subject.process_type,
                "channel": subject.channel.pk if subject.channel else None,
                "agreement_item": entry.agreement_item_id,
                "kind": kind,
                "pauses_case": pauses,
            },
        )
        if pauses:
            _pause_and_tell(case, participant, note.strip())
        else:
            # A supporter's withdrawal does not pause the case, but it may be ready no more.
            case_step_back_if_unsafe(case=case)
    return entry


def _pause_and_tell(case: Case, participant: Participant, note: str) -> None:
    # actor None: the system pauses the case because of the withdrawal; the person who
    # recorded it may not be allowed to pause cases (an advocate), and must not need to.
    # A case already paused stays paused from the stage it was first paused from.
    case_pause(actor=None, case=case, reason=PauseReason.CONSENT_WITHDRAWN, note=note)

    # G9: the case's joint meetings still to come are cancelled in this same transaction;
    # after the commit everyone invited gets the cancellation, and the facilitators' copy
    # says consent was withdrawn. Imported here: meetings builds on cases and consent, so
    # consent loads it only when a withdrawal needs it.
    from amends.meetings.services import meetings_cancel_for_withdrawal

    meetings_cancel_for_withdrawal(actor=None, case=case, participant=participant)

    due = add_working_days(timezone.localdate(), REVIEW_WORKING_DAYS)
    title = _("Consent withdrawn in case %(reference)s: review the case") % {
        "reference": case.reference
    }
    assignees: list[User | None] = [*_assigned_facilitators(case)]
    if case.coordinator is None or case.coordinator not in assignees:
        # None: "the case's coordinator, whoever that is" (tasks.models.Task.assignee).
        assignees.append(case.coordinator)
    for assignee in assignees:
        who = assignee.pk if assignee is not None else "coordinator"
        task_create(
            actor=None,
            programme=case.programme,
            title=title,
            due_on=due,
            kind=TaskKind.CONSENT_WITHDRAWN,
            case=case,
            participant=participant,
            assignee=assignee,
            key=f"case:{case.pk}:withdrawn:{participant.pk}:{who}",
        )
    user_ids = [user.pk for user in _people_to_tell(case)]
    transaction.on_commit(
        lambda: jobs.send_withdrawal_notice.enqueue(case_id=case.pk, user_ids=user_ids)
    )


def _assigned_facilitators(case: Case) -> list[User]:
    return [
        assignment.facilitator
        for assignment in case.assignments.select_related("facilitator").order_by("id")
    ]


def _people_to_tell(case: Case) -> list[User]:
    """The assigned facilitators and the coordinator (every coordinator of the programme
    when the case has none yet), each once."""
    people = _assigned_facilitators(case)
    if case.coordinator is not None:
        people.append(case.coordinator)
    else:
        people.extend(
            membership.user
            for membership in membership_list_for_programme(case.programme_id)
            if membership.role == Role.COORDINATOR
        )
    return list({user.pk: user for user in people if user.is_active}.values())
