"""Who may send a referral, screen it, and follow its status (DESIGN §1, §3 G1).

- coordinator and supervisor: take referrals for their programme on the staff form (any
  source, including a self-referral entered for someone) and decide eligibility;
- referrer: send referrals to their programme and see the status of the ones they sent,
  with the reason written for them when one is declined, and nothing else of the case;
- everyone else: none of it.

Three small policies, one per kind of object the pages load: the programme a referral is
sent to, the case being screened, and the referral whose status a referrer follows.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import Predicate

from amends.accounts.predicates import has_role_anywhere, has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case
from amends.cases.permissions import CASE_MANAGER_ROLES, case_policy
from amends.core.permissions import Policy
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy
from amends.referrals.models import Referral

SUBMITTER_ROLES = (*CASE_MANAGER_ROLES, Role.REFERRER)


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def is_staff_of_programme(user: Any, programme: Programme | Case | Referral) -> bool:
    """Staff of the programme take referrals on the staff form (and may link people
    already known); a referrer who is not also staff there uses the referrer form."""
    return bool(has_role_in_programme(*CASE_MANAGER_ROLES).test(user, programme))


class IntakePolicy(Policy[Programme]):
    """Sending a referral to a programme. Programmes the user is not a member of do not
    exist for them (404); members without a submitting role are refused (403)."""

    model = Programme
    actions = {
        "submit": has_role_in_programme(*SUBMITTER_ROLES),
        # The page that lists where one may send a referral (no single programme).
        "start": has_role_anywhere(*SUBMITTER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        return programme_policy.visible_to(user)

    def programmes_for(self, user: Any) -> QuerySet[Programme]:
        """The programmes `user` may send a referral to."""
        if not _signed_in(user):
            return Programme.objects.none()
        return Programme.objects.filter(
            pk__in=programme_ids_with_role(user, SUBMITTER_ROLES), is_active=True
        )


class ScreeningPolicy(Policy[Case]):
    """Deciding a referral's eligibility (G1): the programme's coordinators and
    supervisors. A case the user cannot see answers 404; a facilitator assigned to it
    sees the case page but may not decide (403)."""

    model = Case
    actions = {"decide": has_role_in_programme(*CASE_MANAGER_ROLES)}

    def visible_to(self, user: Any) -> QuerySet[Case]:
        return case_policy.visible_to(user)


def _submitted_by_user(user: Any, referral: Any) -> bool:
    return isinstance(referral, Referral) and referral.submitted_by_id == user.pk


class ReferralStatusPolicy(Policy[Referral]):
    """A referrer following the referrals they sent: the status only."""

    model = Referral
    actions = {
        "view_status": Predicate(_submitted_by_user) & has_role_in_programme(Role.REFERRER),
        "list": has_role_anywhere(Role.REFERRER),
    }

    def visible_to(self, user: Any) -> QuerySet[Referral]:
        if not _signed_in(user):
            return Referral.objects.none()
        return Referral.objects.filter(
            Q(submitted_by=user)
            & Q(programme_id__in=programme_ids_with_role(user, [Role.REFERRER]))
        )


intake_policy = IntakePolicy()
screening_policy = ScreeningPolicy()
referral_status_policy = ReferralStatusPolicy()
