"""Who may see and work on agreements, and who may read an outcome report (G11, G12).

Agreements (one policy over the case they belong to):
- coordinator and supervisor of the programme, and the case's assigned facilitators:
  see every agreement of the case and record work on it;
- coordinators and supervisors decide what happens to an item that was not kept
  (waive it, refer it back); a supervisor who does not facilitate the case confirms a
  flagged item (the service refuses assigned facilitators, G11);
- an advocate: reads the items that bind the person they support (read-only), with the
  other party named only by their role;
- referrer, evaluator, administrator: nothing.

The programme's catalogue of other items is configured like its other settings
(`programme_policy`'s "configure": administrators and supervisors).

Outcome reports (G12):
- coordinator and supervisor: preview it and issue it to the referrer;
- the referrer who sent the referral: reads what was issued to them, once it was issued;
- nobody else.

The predicates and the querysets sit side by side so they cannot drift.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import KEY_ROLES, Case
from amends.cases.permissions import (
    CASE_MANAGER_ROLES,
    is_assigned_facilitator,
    is_supervisor_of_case,
    manages_programme_cases,
)
from amends.core.permissions import Policy


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


@rules_predicate
def advocates_a_party(user: Any, case: Any) -> bool:
    return (
        isinstance(case, Case)
        and has_role_in_programme(Role.ADVOCATE).test(user, case)
        and case.participants.filter(advocate=user, role__in=KEY_ROLES).exists()
    )


@rules_predicate
def referred_the_case_and_was_sent_a_report(user: Any, case: Any) -> bool:
    return (
        isinstance(case, Case)
        and case.referral.submitted_by_id == user.pk
        and has_role_in_programme(Role.REFERRER).test(user, case)
        and case.outcome_reports.exists()
    )


def _worker_filter(user: Any) -> Q:
    managed = programme_ids_with_role(user, CASE_MANAGER_ROLES)
    facilitating = programme_ids_with_role(user, [Role.FACILITATOR])
    return Q(programme_id__in=managed) | Q(
        programme_id__in=facilitating, assignments__facilitator=user
    )


class AgreementPolicy(Policy[Case]):
    model = Case
    actions = {
        "view": manages_programme_cases | is_assigned_facilitator | advocates_a_party,
        "work": manages_programme_cases | is_assigned_facilitator,
        "manage": manages_programme_cases,
        "confirm": is_supervisor_of_case,
    }

    def visible_to(self, user: Any) -> QuerySet[Case]:
        if not _signed_in(user):
            return Case.objects.none()
        advocated = Q(
            programme_id__in=programme_ids_with_role(user, [Role.ADVOCATE]),
            participants__advocate=user,
            participants__role__in=KEY_ROLES,
        )
        return Case.objects.filter(_worker_filter(user) | advocated).distinct()


class OutcomeReportPolicy(Policy[Case]):
    model = Case
    actions = {
        "view": manages_programme_cases | referred_the_case_and_was_sent_a_report,
        "issue": manages_programme_cases,
    }

    def visible_to(self, user: Any) -> QuerySet[Case]:
        if not _signed_in(user):
            return Case.objects.none()
        managed = Q(programme_id__in=programme_ids_with_role(user, CASE_MANAGER_ROLES))
        referred = Q(
            programme_id__in=programme_ids_with_role(user, [Role.REFERRER]),
            referral__submitted_by=user,
            outcome_reports__isnull=False,
        )
        return Case.objects.filter(managed | referred).distinct()


agreement_policy = AgreementPolicy()
outcome_report_policy = OutcomeReportPolicy()
