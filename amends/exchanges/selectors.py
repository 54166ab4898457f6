"""Reads of the indirect exchange for pages, services and the case workflow.

Views reach the item and case readers only after loading through the policies in
`exchanges.permissions` (hidden → 404); `first_relayed_on` serves the case workflow.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Max, Min, QuerySet

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_roles
from amends.assessments.models import Assessment
from amends.cases.models import KEY_ROLES, Case, FacilitatorAssignment, Participant
from amends.cases.selectors import participant_label, role_label
from amends.consent import ledger
from amends.consent.models import ConsentEntry
from amends.exchanges import rules
from amends.exchanges.models import (
    ExchangeItem,
    ExchangeReview,
    FlagStatus,
    ShuttleRound,
    WhereaboutsFlag,
)
from amends.exchanges.permissions import exchange_case_policy, exchange_item_policy
from amends.exchanges.whereabouts import OwnDetails
from amends.people.models import ContactChannel


def first_relayed_on(case: Case) -> datetime.date | None:
    """The day the indirect process first took place: the earliest day an item was passed
    on or a shuttle round was held (None when neither has happened)."""
    relayed = ExchangeItem.objects.filter(case=case, relayed_on__isnull=False).aggregate(
        first=Min("relayed_on")
    )["first"]
    held = ShuttleRound.objects.filter(case=case).aggregate(first=Min("held_on"))["first"]
    days = [day for day in (relayed, held) if day is not None]
    return min(days) if days else None


def permitted_modalities(case: Case) -> list[str]:
    """What the newest assessment of each key participant permits."""
    newest: dict[int, str] = {}
    assessments = Assessment.objects.filter(
        participant__case=case, participant__role__in=list(KEY_ROLES)
    ).order_by("participant_id", "-assessed_on", "-id")
    for participant_id, modality in assessments.values_list("participant_id", "permitted_modality"):
        newest.setdefault(participant_id, modality)
    return list(newest.values())


def exchange_stage_problems(case: Case) -> list[str]:
    """Why no item may be passed on and no round held in this case now (empty: they may)."""
    return rules.stage_problems(case.stage, case.process_type, permitted_modalities(case))


def own_details_of(participant: Participant) -> OwnDetails:
    """The participant's stored addresses and contact details, decrypted, for the
    whereabouts check. Only services call this; nothing here is shown on a page."""
    by_kind: dict[str, list[str]] = {kind: [] for kind in ContactChannel.Kind.values}
    for channel in ContactChannel.objects.filter(person_id=participant.person_id):
        by_kind.setdefault(channel.kind, []).append(channel.value)
    return OwnDetails(
        addresses=tuple(by_kind[ContactChannel.Kind.POST]),
        phones=tuple(by_kind[ContactChannel.Kind.PHONE]),
        emails=tuple(by_kind[ContactChannel.Kind.EMAIL]),
        others=tuple(by_kind[ContactChannel.Kind.OTHER]),
    )


def has_safe_channel(participant: Participant, kind: str) -> bool:
    return ContactChannel.objects.filter(
        person_id=participant.person_id, kind=kind, is_safe=True
    ).exists()


def outstanding_withdrawal(participant: Participant) -> bool:
    """The participant withdrew from taking part (or from data processing) and has not
    consented again since (G9)."""
    entries = ConsentEntry.objects.filter(participant_id=participant.pk)
    return bool(ledger.outstanding_withdrawals(entries))


def assigned_facilitators(case: Case) -> list[User]:
    """Facilitators assigned to the case who still hold the role in its programme."""
    assignments = FacilitatorAssignment.objects.filter(case=case).select_related("facilitator")
    return [
        assignment.facilitator
        for assignment in assignments.order_by("created_at", "id")
        if assignment.facilitator.is_active
        and Role.FACILITATOR in programme_roles(assignment.facilitator).get(case.programme_id, ())
    ]


def reviewers_for(case: Case, written_by_id: int | None) -> list[User]:
    """Who may review a revision: the assigned facilitators other than its writer, or the
    writer when they are the only facilitator on the case (a case with one facilitator
    must not be stuck)."""
    facilitators = assigned_facilitators(case)
    others = [user for user in facilitators if user.pk != written_by_id]
    return others or facilitators


def current_flags(item: ExchangeItem) -> QuerySet[WhereaboutsFlag]:
    """The flags of the item's current revision, still to check or already resolved."""
    return (
        WhereaboutsFlag.objects.filter(item=item, revision=item.revision)
        .exclude(status=FlagStatus.SUPERSEDED)
        .select_related("resolved_by")
        .order_by("start", "id")
    )


def reviews_of(item: ExchangeItem) -> QuerySet[ExchangeReview]:
    return (
        ExchangeReview.objects.filter(item=item)
        .select_related("reviewed_by")
        .order_by("-created_at", "-id")
    )


def latest_review(item: ExchangeItem) -> ExchangeReview | None:
    return reviews_of(item).filter(revision=item.revision).first()


def shuttle_rounds_for_case(case: Case) -> QuerySet[ShuttleRound]:
    return ShuttleRound.objects.filter(case=case).select_related("facilitator", "party__person")


def next_round_number(case: Case) -> int:
    highest = ShuttleRound.objects.filter(case=case).aggregate(highest=Max("number"))["highest"]
    return (highest or 0) + 1


@dataclass(frozen=True)
class ItemView:
    """One item as a viewer may see it: the text they may read and how its people are
    named. An advocate reads the other party only by their role (G10: nothing of the
    other party's identity or whereabouts reaches their side)."""

    item: ExchangeItem
    text: str
    sees_review: bool
    author_label: str
    recipient_label: str
    shows_file: bool


class _Names:
    """Labels of the case's people for one viewer, each worked out once per page."""

    def __init__(self, user: Any, case: Case, *, sees_all: bool) -> None:
        self.user, self.case, self.sees_all = user, case, sees_all
        self.labels: dict[tuple[int, bool], str] = {}

    def of(self, participant: Participant) -> str:
        full = self.sees_all or participant.advocate_id == self.user.pk
        key = (participant.pk, full)
        if key not in self.labels:
            self.labels[key] = (
                participant_label(participant, self.case.programme)
                if full
                else role_label(participant.role, self.case.programme).capitalize()
            )
        return self.labels[key]


def item_view(user: Any, item: ExchangeItem, names: _Names | None = None) -> ItemView:
    """What `user`, who may see `item`, reads of it."""
    sees_all = exchange_item_policy.can(user, "see_review", item)
    names = names or _Names(user, item.case, sees_all=sees_all)
    wrote_it = item.author.advocate_id == user.pk
    return ItemView(
        item=item,
        text=item.text if sees_all or wrote_it else item.text_to_pass_on,
        sees_review=sees_all,
        author_label=names.of(item.author),
        recipient_label=names.of(item.recipient),
        shows_file=bool(item.attachment) and exchange_item_policy.can(user, "download", item),
    )


def items_for_case(user: Any, case: Case) -> list[ItemView]:
    """The case's items `user` may see, oldest first, each as they may see it."""
    items = (
        exchange_item_policy.visible_to(user)
        .filter(case=case)
        .select_related("case__programme", "author__person", "recipient__person")
        .order_by("created_at", "id")
    )
    names = _Names(user, case, sees_all=exchange_case_policy.can(user, "work", case))
    return [item_view(user, item, names) for item in items]


def item_get(case: Case, item_id: int) -> ExchangeItem | None:
    return (
        ExchangeItem.objects.filter(case=case, pk=item_id)
        .select_related("case__programme", "author__person", "recipient__person")
        .first()
    )


def writer_choices(case: Case) -> QuerySet[Participant]:
    return (
        case.participants.filter(role__in=list(rules.WRITING_ROLES))
        .select_related("person")
        .order_by("id")
    )


def participant_choice_label(participant: Participant) -> str:
    return participant_label(participant, participant.case.programme)
