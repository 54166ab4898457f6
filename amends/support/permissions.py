"""Who may see the partner directory and a case's support referrals (DESIGN §1).

- The directory of a programme (organisations and their public contact details): its
  coordinators, supervisors, facilitators and advocates read it; coordinators and
  supervisors keep it up to date.
- A case's referrals: its coordinators and supervisors and its assigned facilitators
  see and send them; an advocate sees only the referrals of the participant they
  support; referrers, evaluators and administrators see nothing.

The predicates and the querysets sit side by side so they cannot drift; a test checks
that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case
from amends.cases.permissions import (
    case_policy,
    is_assigned_facilitator,
    manages_programme_cases,
)
from amends.core.permissions import Policy
from amends.programmes.models import Programme
from amends.support.models import Partner, SupportReferral

DIRECTORY_READER_ROLES = (Role.COORDINATOR, Role.SUPERVISOR, Role.FACILITATOR, Role.ADVOCATE)
DIRECTORY_MANAGER_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)

_is_advocate_in_programme = has_role_in_programme(Role.ADVOCATE)
_works_on_case = manages_programme_cases | is_assigned_facilitator


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules_predicate
def advocates_someone_in_case(user: Any, case: Any) -> bool:
    return (
        isinstance(case, Case)
        and _is_advocate_in_programme.test(user, case)
        and case.participants.filter(advocate=user).exists()
    )


@rules_predicate
def advocates_referred_participant(user: Any, referral: Any) -> bool:
    return (
        isinstance(referral, SupportReferral)
        and referral.participant.advocate_id == user.pk
        and _is_advocate_in_programme.test(user, referral.case)
    )


class PartnerDirectoryPolicy(Policy[Programme]):
    """A programme's partner directory (no single partner)."""

    model = Programme
    actions = {
        "view": has_role_in_programme(*DIRECTORY_READER_ROLES),
        "manage": has_role_in_programme(*DIRECTORY_MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        if not _signed_in(user):
            return Programme.objects.none()
        return Programme.objects.filter(
            pk__in=programme_ids_with_role(user, DIRECTORY_READER_ROLES)
        )


class PartnerPolicy(Policy[Partner]):
    model = Partner
    actions = {
        "view": has_role_in_programme(*DIRECTORY_READER_ROLES),
        "manage": has_role_in_programme(*DIRECTORY_MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Partner]:
        if not _signed_in(user):
            return Partner.objects.none()
        return Partner.objects.filter(
            programme_id__in=programme_ids_with_role(user, DIRECTORY_READER_ROLES)
        )


class SupportCasePolicy(Policy[Case]):
    """The case's "Support" page."""

    model = Case
    actions = {
        "view": _works_on_case | advocates_someone_in_case,
        "work": _works_on_case,
    }

    def visible_to(self, user: Any) -> QuerySet[Case]:
        if not _signed_in(user):
            return Case.objects.none()
        worked = case_policy.visible_to(user).values("pk")
        advocated = Q(
            participants__advocate=user,
            programme_id__in=programme_ids_with_role(user, [Role.ADVOCATE]),
        )
        return Case.objects.filter(Q(pk__in=worked) | advocated).distinct()


class SupportReferralPolicy(Policy[SupportReferral]):
    model = SupportReferral
    actions = {
        "view": _works_on_case | advocates_referred_participant,
        "update": _works_on_case,
    }

    def visible_to(self, user: Any) -> QuerySet[SupportReferral]:
        if not _signed_in(user):
            return SupportReferral.objects.none()
        worked = case_policy.visible_to(user).values("pk")
        return SupportReferral.objects.filter(
            Q(case_id__in=worked)
            | Q(
                participant__advocate=user,
                case__programme_id__in=programme_ids_with_role(user, [Role.ADVOCATE]),
            )
        ).distinct()


partner_directory_policy = PartnerDirectoryPolicy()
partner_policy = PartnerPolicy()
support_case_policy = SupportCasePolicy()
support_referral_policy = SupportReferralPolicy()
