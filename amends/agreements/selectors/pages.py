"""Reads for the agreement pages: what each person may see of a case's agreements (staff
everything, an advocate the items that bind their client), and the lookups the views
make. Views reach these only after loading the case through `agreement_policy`.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from amends.agreements import rules
from amends.agreements.models import (
    Agreement,
    AgreementItem,
    CatalogueItem,
    ComplianceStep,
    ItemStatus,
    OutcomeReportIssue,
    Payment,
    WorkLog,
)
from amends.agreements.selectors.facts import (
    ZERO,
    bound_participant_ids,
    case_participants,
    facts_for_items,
    items_of,
    named_labels,
    role_labels,
)
from amends.cases.models import KEY_ROLES, Case, Participant, ParticipantRole
from amends.cases.stages import CaseStage
from amends.programmes.models import Programme


# --- the agreement page ----------------------------------------------------------------------
@dataclass
class PartyLine:
    participant_id: int
    label: str
    is_minor: bool
    missing: list[str]


@dataclass
class ItemView:
    item: AgreementItem
    facts: rules.ItemFacts
    parties: list[PartyLine]
    owed_to_label: str
    reasons: list[str]
    history: list[AgreementItem] = field(default_factory=list)
    payments: list[Payment] = field(default_factory=list)
    work_logs: list[WorkLog] = field(default_factory=list)
    steps: list[ComplianceStep] = field(default_factory=list)

    @property
    def in_force(self) -> bool:
        return not self.reasons

    @property
    def paid(self) -> Decimal:
        return sum((payment.amount for payment in self.payments), ZERO)

    @property
    def outstanding(self) -> Decimal | None:
        if self.item.amount is None:
            return None
        return self.item.amount - self.paid

    @property
    def hours_logged(self) -> Decimal:
        return sum((log.hours for log in self.work_logs), ZERO)

    @property
    def hours_verified(self) -> Decimal:
        return sum((log.hours for log in self.work_logs if log.verified_at is not None), ZERO)

    @property
    def step_kinds(self) -> set[str]:
        return {step.step for step in self.steps}


@dataclass
class AgreementView:
    agreement: Agreement
    responsible_label: str
    items: list[ItemView]


def client_ids(case: Case, user: Any) -> set[int]:
    """The key participants of `case` that `user` supports as their advocate."""
    return set(
        case.participants.filter(advocate=user, role__in=KEY_ROLES).values_list("pk", flat=True)
    )


def agreement_views(
    case: Case,
    *,
    only_for: set[int] | None = None,
    named: set[int] | None = None,
    today: datetime.date | None = None,
) -> list[AgreementView]:
    """The case's agreements with their current items, each item's consent, reasons,
    earlier versions, payments, hours and steps (a fixed number of queries).

    `only_for`: keep only items that bind one of these participants (an advocate's
    clients); agreements left without items are left out. `named`: participants shown by
    name (None: everyone); the others by role only.
    """
    today = today or timezone.localdate()
    participants = case_participants(case)
    labels = named_labels(case, list(participants.values()), named)
    items = items_of(case)
    current = [
        item
        for item in items
        if item.is_current and (only_for is None or bound_participant_ids(item) & only_for)
    ]
    facts = facts_for_items(current, labels, participants, today)
    by_series: dict[int, list[AgreementItem]] = defaultdict(list)
    for item in items:
        by_series[item.series_id].append(item)
    wanted = [item.pk for series in by_series.values() for item in series]
    payments = _grouped(Payment.objects.filter(item_id__in=wanted), items)
    logs = _grouped(WorkLog.objects.filter(item_id__in=wanted).select_related("verified_by"), items)
    steps: dict[int, list[ComplianceStep]] = defaultdict(list)
    for step in ComplianceStep.objects.filter(item_id__in=[item.pk for item in current]):
        steps[step.item_id].append(step)
    views: dict[int, AgreementView] = {}
    for agreement in Agreement.objects.filter(case=case).order_by("id"):
        views[agreement.pk] = AgreementView(
            agreement=agreement, responsible_label=labels[agreement.responsible_id], items=[]
        )
    for item in current:
        views[item.agreement_id].items.append(
            _item_view(item, facts[item.pk], labels, participants, by_series, today)
        )
        view = views[item.agreement_id].items[-1]
        view.payments = payments.get(item.series_id, [])
        view.work_logs = logs.get(item.series_id, [])
        view.steps = steps.get(item.pk, [])
    return [view for view in views.values() if only_for is None or view.items]


def _grouped(rows: QuerySet[Any], items: list[AgreementItem]) -> dict[int, list[Any]]:
    series = {item.pk: item.series_id for item in items}
    grouped: dict[int, list[Any]] = defaultdict(list)
    for row in rows:
        grouped[series[row.item_id]].append(row)
    return grouped


def _item_view(
    item: AgreementItem,
    facts: rules.ItemFacts,
    labels: dict[int, str],
    participants: dict[int, Participant],
    by_series: dict[int, list[AgreementItem]],
    today: datetime.date,
) -> ItemView:
    parties = [
        PartyLine(
            participant_id=party.participant_id,
            label=party.label,
            is_minor=party.is_minor,
            missing=rules.missing_consent(party),
        )
        for party in facts.parties
    ]
    return ItemView(
        item=item,
        facts=facts,
        parties=parties,
        owed_to_label=labels[item.owed_to_id] if item.owed_to_id else "",
        reasons=rules.consent_reasons(facts) + rules.confirmation_reasons(facts),
        history=sorted(
            (other for other in by_series[item.series_id] if other.version < item.version),
            key=lambda other: other.version,
            reverse=True,
        ),
    )


def item_for_case(case: Case, item_id: int) -> AgreementItem | None:
    return (
        AgreementItem.objects.select_related("agreement__case__programme", "owed_to")
        .filter(pk=item_id, agreement__case=case)
        .first()
    )


def agreement_for_case(case: Case, agreement_id: int) -> Agreement | None:
    return (
        Agreement.objects.select_related("responsible").filter(pk=agreement_id, case=case).first()
    )


def work_log_for_case(case: Case, log_id: int) -> WorkLog | None:
    return (
        WorkLog.objects.select_related("item__agreement")
        .filter(pk=log_id, item__agreement__case=case)
        .first()
    )


def responsible_without_agreement(case: Case) -> list[Participant]:
    """The case's persons responsible who have no agreement yet."""
    return list(
        case.participants.filter(role=ParticipantRole.RESPONSIBLE)
        .exclude(agreements__case=case)
        .select_related("person")
        .order_by("id")
    )


def harmed_participants(case: Case) -> list[Participant]:
    return list(
        case.participants.filter(role=ParticipantRole.HARMED)
        .select_related("person")
        .order_by("id")
    )


def catalogue_for(programme: Programme, *, offered_only: bool = True) -> QuerySet[CatalogueItem]:
    items = CatalogueItem.objects.filter(programme_id=programme.pk)
    if offered_only:
        items = items.filter(is_active=True)
    return items.order_by("name")


def outcome_report_issues(case: Case) -> list[OutcomeReportIssue]:
    return list(case.outcome_reports.select_related("issued_by").order_by("-issued_at", "-id"))


def items_past_due(
    today: datetime.date,
) -> list[tuple[AgreementItem, dict[str, ComplianceStep]]]:
    """Items in force, still to be done and past their due date, in cases being worked
    on (not paused, not closed), each with the steps already taken for it by kind."""
    candidates = list(
        AgreementItem.objects.filter(
            status__in=[ItemStatus.PENDING, ItemStatus.IN_PROGRESS],
            due_on__lt=today,
            agreement__case__stage__in=[
                CaseStage.PROCESS,
                CaseStage.AGREEMENT,
                CaseStage.FOLLOW_UP,
            ],
        )
        .select_related("agreement__case__programme")
        .order_by("agreement__case_id", "id")
    )
    by_case: dict[int, list[AgreementItem]] = defaultdict(list)
    for item in candidates:
        by_case[item.agreement.case_id].append(item)
    steps: dict[int, dict[str, ComplianceStep]] = defaultdict(dict)
    for step in ComplianceStep.objects.filter(item__in=candidates):
        steps[step.item_id][step.step] = step
    due: list[tuple[AgreementItem, dict[str, ComplianceStep]]] = []
    for items in by_case.values():
        case = items[0].agreement.case
        participants = case_participants(case)
        labels = role_labels(case, participants.values())
        facts = facts_for_items(items, labels, participants, today)
        due.extend((item, steps[item.pk]) for item in items if rules.is_in_force(facts[item.pk]))
    return due
