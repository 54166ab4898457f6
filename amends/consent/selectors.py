"""Reads of the consent ledger for the consent page, the case page and the forms.

Views reach these only after loading the participant through `participant_policy`
(hidden → 404), so nothing here decides who may see what.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from amends.agreements.selectors import agreement_item_subject
from amends.cases.models import Participant, ParticipantRole
from amends.consent import ledger, rules
from amends.consent.models import ConsentEntry, ConsentScope
from amends.consent.rules import ConsentStatus
from amends.people.models import ContactChannel
from amends.programmes.models import InformationSheet, ProcessType
from amends.programmes.selectors import current_information_sheet, settings_for

_VISIBLE_TAIL = 3


def channel_label(channel: ContactChannel) -> str:
    """A channel named by its kind and the last characters of its value: enough to tell
    a person's channels apart, not enough to read the number or address off a screen."""
    value = channel.value.strip()
    if len(value) <= _VISIBLE_TAIL:
        return str(channel.get_kind_display())
    return _("%(kind)s ending …%(tail)s") % {
        "kind": channel.get_kind_display(),
        "tail": value[-_VISIBLE_TAIL:],
    }


def subject_label(entry: ConsentEntry) -> str:
    """What an entry is about, in words: "Take part in a conference"."""
    if entry.scope == ConsentScope.TAKE_PART:
        process = (
            ProcessType(entry.process_type).label
            if entry.process_type in ProcessType.values
            else entry.process_type
        )
        return _("Take part in: %(process)s") % {"process": process}
    if entry.scope == ConsentScope.SHARE_INFORMATION:
        return _("Share information with: %(partner)s") % {"partner": entry.partner}
    if entry.scope == ConsentScope.CONTACT:
        channel = entry.channel
        return _("Be contacted on: %(channel)s") % {
            "channel": channel_label(channel) if channel is not None else "—"
        }
    if entry.scope == ConsentScope.AGREEMENT:
        return agreement_item_subject(entry.agreement_item)
    return str(ConsentScope.DATA_PROCESSING.label)


@dataclass(frozen=True)
class ConsentLine:
    """The entry that counts for one subject, and how that subject stands today."""

    entry: ConsentEntry
    status: ConsentStatus
    subject: str

    @property
    def is_active(self) -> bool:
        return self.status == ConsentStatus.ACTIVE

    @property
    def can_withdraw(self) -> bool:
        # An expired consent may still be withdrawn: the person's "no" must always be
        # recordable, and it is what pauses the case.
        return self.status != ConsentStatus.WITHDRAWN


def _lines(entries: list[ConsentEntry], today: datetime.date) -> list[ConsentLine]:
    latest = ledger.latest_entries(entries).values()
    lines = [
        ConsentLine(entry=entry, status=rules.status_of(entry, today), subject=subject_label(entry))
        for entry in latest
    ]
    return sorted(lines, key=lambda line: (line.entry.scope, line.subject, line.entry.kind))


def _entries_with_details(participant: Participant) -> QuerySet[ConsentEntry]:
    return ConsentEntry.objects.filter(participant_id=participant.pk).select_related(
        "channel", "sheet", "recorded_by", "given_by__person", "agreement_item"
    )


def consent_state_for_participant(
    participant: Participant, today: datetime.date
) -> list[ConsentLine]:
    """The current state: for each thing the participant was ever asked about (and for
    each kind of consent, for a minor), the latest entry and whether it is active,
    expired or withdrawn. One query."""
    return _lines(list(_entries_with_details(participant)), today)


def consent_history(participant: Participant) -> QuerySet[ConsentEntry]:
    """Every entry, newest first: the ledger as it was written, never edited."""
    return _entries_with_details(participant).order_by("-recorded_at", "-id")


def consent_entry_for_participant(participant: Participant, entry_id: int) -> ConsentEntry | None:
    """One entry of this participant's ledger (None for any other id)."""
    return _entries_with_details(participant).filter(pk=entry_id).first()


def guardians_for(participant: Participant) -> QuerySet[Participant]:
    """The participants recorded as this participant's parent or guardian."""
    return (
        Participant.objects.filter(
            case_id=participant.case_id, role=ParticipantRole.GUARDIAN, guardian_for=participant
        )
        .select_related("person")
        .order_by("id")
    )


def safe_channels_for(participant: Participant) -> QuerySet[ContactChannel]:
    """The participant's own channels that are marked safe (G10: only these may be
    consented to or used)."""
    return ContactChannel.objects.filter(person_id=participant.person_id, is_safe=True).order_by(
        "id"
    )


def information_sheet_for(participant: Participant) -> InformationSheet | None:
    """The current information sheet in the participant's language (else the
    programme's default language): the only one consent may be given on."""
    programme = participant.case.programme
    language = participant.person.preferred_language or settings_for(programme).default_language
    return current_information_sheet(programme, language)


def information_sheet_choices(participant: Participant) -> QuerySet[InformationSheet]:
    """Every version of the sheet in the language consent is asked in, newest first."""
    current = information_sheet_for(participant)
    if current is None:
        return InformationSheet.objects.none()
    return InformationSheet.objects.filter(
        programme_id=current.programme_id, language=current.language
    ).order_by("-version")


@dataclass(frozen=True)
class ConsentSummary:
    """A participant's consent at a glance, for the case page."""

    participant: Participant
    lines: list[ConsentLine] = field(default_factory=list)

    @property
    def active(self) -> list[ConsentLine]:
        return [line for line in self.lines if line.status == ConsentStatus.ACTIVE]

    @property
    def expired(self) -> list[ConsentLine]:
        return [line for line in self.lines if line.status == ConsentStatus.EXPIRED]

    @property
    def withdrawn(self) -> list[ConsentLine]:
        return [line for line in self.lines if line.status == ConsentStatus.WITHDRAWN]

    @property
    def has_withdrawal_outstanding(self) -> bool:
        return bool(ledger.outstanding_withdrawals(line.entry for line in self.lines))


def consent_summaries_for_case(
    participants: list[Participant], today: datetime.date
) -> dict[int, ConsentSummary]:
    """A summary per participant (by participant id), for all of them in one query."""
    by_participant: dict[int, list[ConsentEntry]] = {p.pk: [] for p in participants}
    entries = ConsentEntry.objects.filter(participant_id__in=by_participant).select_related(
        "channel", "agreement_item"
    )
    for entry in entries:
        by_participant[entry.participant_id].append(entry)
    return {
        participant.pk: ConsentSummary(
            participant=participant, lines=_lines(by_participant[participant.pk], today)
        )
        for participant in participants
    }
