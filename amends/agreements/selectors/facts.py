"""Reads about agreements that other apps and the services rely on: the questions the
consent app asks about an item, the earliest date an agreement may carry, labels, the G11
facts and the status the case workflow reads, and totals computed from the ledgers.

`amends.cases.selectors` reads `agreement_status`, so that module is imported inside the
functions here that need it, never at the top (a cycle otherwise).
"""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from amends.agreements import rules
from amends.agreements.models import (
    Agreement,
    AgreementItem,
    ItemKind,
    ItemStatus,
    Payment,
    WorkLog,
)
from amends.cases.models import Case, Participant, StageChange
from amends.cases.stages import CaseStage
from amends.consent import ledger
from amends.consent.models import ConsentEntry, ConsentScope

ZERO = Decimal("0.00")


# --- questions from the consent app ---------------------------------------------------------
def bound_participant_ids(item: AgreementItem) -> frozenset[int]:
    """The participants an item binds: the person responsible whose agreement it is and
    the person harmed it is owed to or concerns (when it names one)."""
    ids = {item.agreement.responsible_id}
    if item.owed_to_id is not None:
        ids.add(item.owed_to_id)
    return frozenset(ids)


def agreement_consent_problems(
    participant: Participant, item: AgreementItem | None, *, giving: bool
) -> list[str]:
    """Why `participant` cannot give (or withdraw) consent to `item` (read afresh)."""
    if item is None:
        return [_("Choose the agreement item the consent is for.")]
    fresh = AgreementItem.objects.select_related("agreement").filter(pk=item.pk).first()
    if fresh is None or fresh.agreement.case_id != participant.case_id:
        return [_("That agreement item belongs to another case.")]
    if participant.pk not in bound_participant_ids(fresh):
        return [
            _(
                "This person is not bound by that agreement item: only the person responsible "
                "and the person it is owed to consent to it."
            )
        ]
    if giving and fresh.status == ItemStatus.VARIED:
        return [_("That item has been varied: record consent to its current version.")]
    return []


def agreement_item_subject(item: AgreementItem | None) -> str:
    """What a consent entry of scope "agreement" is about, in words."""
    if item is None:
        return str(ConsentScope.AGREEMENT.label)
    return _("Agreement item: %(kind)s (version %(version)d)") % {
        "kind": ItemKind(item.kind).label,
        "version": item.version,
    }


# --- dates -----------------------------------------------------------------------------------
def earliest_agreement_date(case: Case) -> datetime.date | None:
    """The first day an agreement of this case, its payments or its hours may be dated:
    the joint meeting it came from, or, without one, the day the process started. None
    while the process has not started."""
    # Imported here: the meetings app builds on cases, which reads this module.
    from amends.meetings.selectors import joint_meeting_held_on

    held = joint_meeting_held_on(case)
    if held is not None:
        return held
    started = (
        StageChange.objects.filter(case=case, to_stage=CaseStage.PROCESS)
        .order_by("created_at", "id")
        .first()
    )
    return timezone.localdate(started.created_at) if started is not None else None


# --- labels ----------------------------------------------------------------------------------
def role_labels(case: Case, participants: Iterable[Participant]) -> dict[int, str]:
    """A label by role only for each participant: "person harmed", or "person harmed 2"
    when the case has more than one person in that role."""
    from amends.cases.selectors import role_label
    from amends.programmes.selectors import party_labels

    party = party_labels(case.programme)
    people = sorted(participants, key=lambda participant: participant.pk)
    counts = Counter(participant.role for participant in people)
    seen: Counter[str] = Counter()
    labels = {}
    for participant in people:
        seen[participant.role] += 1
        label = role_label(participant.role, case.programme, party)
        if counts[participant.role] > 1:
            label = f"{label} {seen[participant.role]}"
        labels[participant.pk] = label
    return labels


def named_labels(
    case: Case, participants: list[Participant], named_ids: Iterable[int] | None
) -> dict[int, str]:
    """Names for `named_ids` (None: everybody), role labels for the others."""
    from amends.cases.selectors import participant_label
    from amends.programmes.selectors import party_labels

    labels = role_labels(case, participants)
    party = party_labels(case.programme)
    named = None if named_ids is None else set(named_ids)
    for participant in participants:
        if named is None or participant.pk in named:
            labels[participant.pk] = participant_label(participant, case.programme, party)
    return labels


def item_label(item: AgreementItem, responsible_label: str) -> str:
    return _("%(kind)s in the agreement with %(responsible)s") % {
        "kind": ItemKind(item.kind).label,
        "responsible": responsible_label,
    }


# --- G11 facts -------------------------------------------------------------------------------
def _given_kinds(entries: list[ConsentEntry]) -> dict[tuple[int, int], frozenset[str]]:
    """(participant id, item id) → the kinds of consent whose latest entry says yes."""
    by_participant: dict[int, list[ConsentEntry]] = defaultdict(list)
    for entry in entries:
        by_participant[entry.participant_id].append(entry)
    given: dict[tuple[int, int], set[str]] = defaultdict(set)
    for participant_id, own in by_participant.items():
        for entry in ledger.latest_entries(own).values():
            if entry.is_given and entry.agreement_item_id is not None:
                given[(participant_id, entry.agreement_item_id)].add(entry.kind)
    return {key: frozenset(kinds) for key, kinds in given.items()}


def facts_for_items(
    items: list[AgreementItem],
    labels: dict[int, str],
    participants: dict[int, Participant],
    today: datetime.date,
) -> dict[int, rules.ItemFacts]:
    from amends.cases.selectors import is_minor

    entries = list(
        ConsentEntry.objects.filter(
            scope=ConsentScope.AGREEMENT, agreement_item__in=[item.pk for item in items]
        )
    )
    given = _given_kinds(entries)
    facts = {}
    for item in items:
        parties = tuple(
            rules.PartyFacts(
                participant_id=participant_id,
                label=labels[participant_id],
                is_minor=is_minor(participants[participant_id], today),
                given_kinds=given.get((participant_id, item.pk), frozenset()),
            )
            for participant_id in sorted(bound_participant_ids(item))
        )
        facts[item.pk] = rules.ItemFacts(
            pk=item.pk,
            label=item_label(item, labels[item.agreement.responsible_id]),
            status=item.status,
            flags=tuple(item.flags),
            confirmed=item.confirmed_at is not None,
            parties=parties,
        )
    return facts


def case_participants(case: Case) -> dict[int, Participant]:
    return {
        participant.pk: participant
        for participant in case.participants.select_related("person").order_by("id")
    }


def items_of(case: Case) -> list[AgreementItem]:
    return list(
        AgreementItem.objects.filter(agreement__case=case)
        .select_related("agreement", "catalogue_item", "confirmed_by")
        .order_by("agreement_id", "id")
    )


def item_facts(item: AgreementItem, *, today: datetime.date | None = None) -> rules.ItemFacts:
    """The G11 facts of one item (for services deciding whether it is in force)."""
    case = item.agreement.case
    participants = case_participants(case)
    labels = named_labels(case, list(participants.values()), None)
    return facts_for_items([item], labels, participants, today or timezone.localdate())[item.pk]


@dataclass(frozen=True)
class AgreementStatus:
    """What the case workflow and the outcome report need to know about agreements."""

    exists: bool
    # G11's reasons, for every agreement of the case, in plain words.
    unmet: tuple[str, ...]
    # Current items still pending or in progress.
    open_items: int
    reached: bool
    # True: every item done (completed or waived); False: an item was not completed;
    # None: items still running, or no agreement.
    completed: bool | None


def agreement_status(case: Case, *, today: datetime.date | None = None) -> AgreementStatus:
    """The agreements of `case` at a glance (a fixed number of queries)."""
    agreements = list(Agreement.objects.filter(case=case).order_by("id"))
    if not agreements:
        return AgreementStatus(exists=False, unmet=(), open_items=0, reached=False, completed=None)
    participants = case_participants(case)
    labels = named_labels(case, list(participants.values()), None)
    current = [item for item in items_of(case) if item.is_current]
    facts = facts_for_items(current, labels, participants, today or timezone.localdate())
    unmet = [
        _("The agreement with %(responsible)s has no items yet.")
        % {"responsible": labels[agreement.responsible_id]}
        for agreement in agreements
        if not any(item.agreement_id == agreement.pk for item in current)
    ]
    unmet.extend(rules.g11_reasons(facts[item.pk] for item in current))
    open_items = sum(1 for item in current if item.is_live)
    completed: bool | None = None
    if any(item.status == ItemStatus.NOT_COMPLETED for item in current):
        completed = False
    elif current and not open_items:
        completed = True
    return AgreementStatus(
        exists=True,
        unmet=tuple(unmet),
        open_items=open_items,
        reached=not unmet,
        completed=completed,
    )


# --- totals ----------------------------------------------------------------------------------
def _series_ids(item: AgreementItem) -> list[int]:
    series = Q(pk=item.series_id) | Q(original_id=item.series_id)
    return list(AgreementItem.objects.filter(series).values_list("pk", flat=True))


def total_paid(item: AgreementItem) -> Decimal:
    """Every payment against any version of the item."""
    amounts = Payment.objects.filter(item_id__in=_series_ids(item)).values_list("amount", flat=True)
    return sum(amounts, ZERO)


def hours_logged(item: AgreementItem, *, verified_only: bool = False) -> Decimal:
    logs = WorkLog.objects.filter(item_id__in=_series_ids(item))
    if verified_only:
        logs = logs.filter(verified_at__isnull=False)
    return sum(logs.values_list("hours", flat=True), ZERO)
