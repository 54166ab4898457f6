"""Reads for intake, screening and the referrer's own list.

The referrer's list is built from plain values in one query, never from case objects:
what a referrer may see (reference, date, status and the reason written for them) is
all the template ever receives, so no later template change can leak a note or a name.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from amends.cases.models import KEY_ROLES, Case, Participant
from amends.cases.selectors import age_on
from amends.cases.stages import CaseStage
from amends.programmes.models import EligibilityPolicy
from amends.programmes.selectors import current_eligibility_policy
from amends.referrals.eligibility import EligibilityResult, evaluate
from amends.referrals.models import Decision, Offence
from amends.referrals.permissions import referral_status_policy


@dataclass(frozen=True)
class ScreeningEvaluation:
    """G1 for one case under the programme's current policy, as screening shows it."""

    policy: EligibilityPolicy | None
    result: EligibilityResult
    offences: list[Offence]


def screening_evaluation(case: Case, *, today: datetime.date | None = None) -> ScreeningEvaluation:
    """Evaluate the case's referral against the programme's current eligibility policy."""
    today = today or timezone.localdate()
    policy = current_eligibility_policy(case.programme)
    offences = list(case.referral.offences.select_related("category").order_by("id"))
    ages: dict[str, list[int | None]] = {str(role): [] for role in KEY_ROLES}
    participants = Participant.objects.filter(case=case, role__in=KEY_ROLES).select_related(
        "person"
    )
    for participant in participants:
        ages[participant.role].append(age_on(participant.person.date_of_birth, today))
    result = evaluate(
        policy,
        category_codes=[offence.category.code for offence in offences],
        ages=ages,
        evidential_basis_confirmed=case.referral.evidential_basis_confirmed,
        category_names={offence.category.code: offence.category.name for offence in offences},
    )
    return ScreeningEvaluation(policy=policy, result=result, offences=offences)


class ReferrerStatus(models.TextChoices):
    """What a referrer is told about a referral they made, in plain words."""

    RECEIVED = "received", _("Received")
    SCREENING = "screening", _("Being screened")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CLOSED = "closed", _("Closed")


def referrer_status(*, decision: str, stage: str) -> str:
    """The referrer's status from the decision and the case's stage. A pause, and every
    stage after acceptance, reads "accepted": where the work stands is not theirs to see."""
    if decision == Decision.DECLINED:
        return ReferrerStatus.DECLINED
    if stage == CaseStage.CLOSED:
        return ReferrerStatus.CLOSED
    if decision in (Decision.ACCEPTED, Decision.ACCEPTED_SPECIALIST):
        return ReferrerStatus.ACCEPTED
    if stage == CaseStage.REFERRED:
        return ReferrerStatus.RECEIVED
    return ReferrerStatus.SCREENING


@dataclass(frozen=True)
class ReferrerStatusRow:
    reference: str
    received_on: datetime.date
    status: str
    reason_for_referrer: str

    @property
    def status_label(self) -> str:
        return str(ReferrerStatus(self.status).label)


# "My referrals" shows this many a page, newest first.
REFERRER_PAGE_SIZE = 50
_REFERRER_CURSOR_SALT = "amends.referrals.mine"


@dataclass(frozen=True)
class ReferrerPage:
    """One page of a referrer's referrals and the cursor of the next, older, page."""

    rows: list[ReferrerStatusRow]
    older: str | None


def referral_status_page_for_referrer(
    user: Any, *, before: str | None = None, size: int | None = None
) -> ReferrerPage:
    """The referrals `user` sent, newest first, as the status rows they may read, a page
    at a time: `before` is the cursor a previous page gave (a signed position, so a
    referrer who sent thousands pages through them by index, never by OFFSET). A cursor
    that is not one of ours reads as the first page."""
    size = size or REFERRER_PAGE_SIZE
    referrals = referral_status_policy.visible_to(user).filter(case__isnull=False)
    position = _referrer_position(before)
    if position is not None:
        created_at, pk = position
        referrals = referrals.filter(
            models.Q(created_at__lt=created_at) | models.Q(created_at=created_at, pk__lt=pk)
        )
    found = list(
        referrals.order_by("-created_at", "-id").values_list(
            "pk", "case__reference", "created_at", "decision", "case__stage", "reason_for_referrer"
        )[: size + 1]
    )
    rows = [
        ReferrerStatusRow(
            reference=reference,
            received_on=timezone.localdate(created_at),
            status=(status := referrer_status(decision=decision, stage=stage)),
            reason_for_referrer=reason if status == ReferrerStatus.DECLINED else "",
        )
        for _pk, reference, created_at, decision, stage, reason in found[:size]
    ]
    older = None
    if len(found) > size:
        last_pk, _reference, last_created_at, *_rest = found[size - 1]
        older = signing.dumps([last_created_at.isoformat(), last_pk], salt=_REFERRER_CURSOR_SALT)
    return ReferrerPage(rows=rows, older=older)


def _referrer_position(cursor: str | None) -> tuple[datetime.datetime, int] | None:
    if not cursor:
        return None
    try:
        created_at, pk = signing.loads(cursor, salt=_REFERRER_CURSOR_SALT)
        return datetime.datetime.fromisoformat(created_at), int(pk)
    except (signing.BadSignature, TypeError, ValueError):
        return None


def screening_participants(case: Case) -> QuerySet[Participant]:
    """The people of the case as screening lists them (name and role)."""
    return case.participants.select_related("person").order_by("id")
