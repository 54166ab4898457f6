"""Reads of the partner directory and of support referrals, for pages and services.

Views reach these only after loading the programme, case or referral through the
policies in `support.permissions` (hidden → 404).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db.models import QuerySet

from amends.cases.models import Case, Participant, ParticipantRole
from amends.cases.selectors import is_minor
from amends.consent import ledger
from amends.consent.models import ConsentEntry, ConsentKind, ConsentScope
from amends.programmes.models import Programme
from amends.support.models import (
    OPEN_STATUSES,
    Partner,
    ReferralEvent,
    ReferralStatus,
    SupportReferral,
)
from amends.support.permissions import support_referral_policy
from amends.tasks.models import Task, TaskKind


def partner_name_key(name: str) -> str:
    """How a partner is named in the consent ledger, compared without regard to case or
    spacing ("Northshire  counselling" is "Northshire Counselling")."""
    return " ".join(name.split()).casefold()


def partners_for_programme(programme: Programme, *, active_only: bool = False) -> QuerySet[Partner]:
    partners = Partner.objects.filter(programme=programme)
    if active_only:
        partners = partners.filter(is_active=True)
    return partners.order_by("name", "id")


def partner_get(programme: Programme, partner_id: int) -> Partner | None:
    return Partner.objects.filter(programme=programme, pk=partner_id).first()


def share_consents(
    participant: Participant, partner: Partner, today: datetime.date
) -> dict[str, ConsentEntry]:
    """The active "share information with this partner" consent of each kind the
    participant has (for an adult "consent"; for a minor "guardian" and "assent"). The
    latest entry about the partner decides: a later withdrawal leaves nothing."""
    wanted = partner_name_key(partner.name)
    entries = [
        entry
        for entry in ConsentEntry.objects.filter(
            participant_id=participant.pk, scope=ConsentScope.SHARE_INFORMATION
        )
        if partner_name_key(entry.partner) == wanted
    ]
    latest: dict[str, ConsentEntry] = {}
    for entry in sorted(entries, key=lambda item: (item.recorded_at, item.pk or 0)):
        latest[entry.kind] = entry
    return {kind: entry for kind, entry in latest.items() if ledger.is_active(entry, today)}


def kinds_needed(participant: Participant, today: datetime.date) -> tuple[str, ...]:
    """A minor's information is shared on a guardian's consent and their own assent."""
    if is_minor(participant, today):
        return (ConsentKind.GUARDIAN, ConsentKind.ASSENT)
    return (ConsentKind.CONSENT,)


def open_referral_exists(participant: Participant, partner: Partner, service_type: str) -> bool:
    return SupportReferral.objects.filter(
        participant=participant,
        partner=partner,
        service_type=service_type,
        status__in=list(OPEN_STATUSES),
    ).exists()


def referrals_for_case(user: Any, case: Case) -> QuerySet[SupportReferral]:
    """The case's referrals `user` may see (an advocate: their client's only)."""
    return (
        support_referral_policy.visible_to(user)
        .filter(case=case)
        .select_related("participant__person", "partner", "referred_by")
        .order_by("-sent_on", "-id")
    )


def referral_get(case: Case, referral_id: int) -> SupportReferral | None:
    return (
        SupportReferral.objects.filter(case=case, pk=referral_id)
        .select_related("case__programme", "participant__person", "partner", "referred_by")
        .first()
    )


def referral_history(referral: SupportReferral) -> QuerySet[ReferralEvent]:
    return ReferralEvent.objects.filter(referral=referral).select_related("recorded_by")


def referable_participants(case: Case) -> QuerySet[Participant]:
    """Anyone in the case who may need support: not the professionals working on it."""
    return (
        case.participants.exclude(
            role__in=[
                ParticipantRole.ADVOCATE,
                ParticipantRole.PROFESSIONAL,
                ParticipantRole.INTERPRETER,
            ]
        )
        .select_related("person")
        .order_by("id")
    )


def waiting_referrals() -> QuerySet[SupportReferral]:
    """Referrals still waiting for the partner's answer, in open cases."""
    return (
        SupportReferral.objects.filter(status=ReferralStatus.SENT)
        .exclude(case__stage="closed")
        .select_related("case__programme", "participant", "partner", "referred_by")
        .order_by("sent_on", "id")
    )


def no_answer_key_prefix(referral: SupportReferral) -> str:
    return f"support:{referral.pk}:no_answer:"


def open_no_answer_keys(referral: SupportReferral) -> list[str]:
    return list(
        Task.objects.filter(
            kind=TaskKind.SUPPORT_NO_ANSWER,
            key__startswith=no_answer_key_prefix(referral),
            done_at__isnull=True,
        ).values_list("key", flat=True)
    )


def task_key_ever_made(key: str) -> bool:
    return Task.objects.filter(key=key).exists()
