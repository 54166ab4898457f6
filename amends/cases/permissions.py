"""Who may see and work on a case (DESIGN §1, §4; docs/permissions.md).

- coordinator and supervisor: every case of their programme;
- facilitator: the cases they are assigned to;
- advocate: only the participant they support and the case's stage (participant policy);
- referrer: the status of their own referrals (referrals app), never the case;
- evaluator, administrator and platform administrator: no case content.

The predicates and the querysets sit side by side so they cannot drift; a property test
checks that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.predicates import has_role_anywhere, has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.cases.models import Case, FacilitatorAssignment, Participant
from amends.core.permissions import Policy

CASE_MANAGER_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def _case_of(obj: Any) -> Case | None:
    if obj is None:
        return None
    return obj if isinstance(obj, Case) else obj.case


@rules_predicate
def is_assigned_facilitator(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    if case is None:
        return False
    if not has_role_in_programme(Role.FACILITATOR).test(user, case):
        return False
    return case.assignments.filter(facilitator=user).exists()


@rules_predicate
def manages_programme_cases(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    return case is not None and has_role_in_programme(*CASE_MANAGER_ROLES).test(user, case)


@rules_predicate
def is_supervisor_of_case(user: Any, obj: Any) -> bool:
    case = _case_of(obj)
    return case is not None and has_role_in_programme(Role.SUPERVISOR).test(user, case)


@rules_predicate
def advocates_participant(user: Any, obj: Any) -> bool:
    return (
        isinstance(obj, Participant)
        and obj.advocate_id == user.pk
        and has_role_in_programme(Role.ADVOCATE).test(user, obj.case)
    )


def _case_worker_filter(user: Any, case_id: str = "pk", prefix: str = "") -> Q:
    """Cases of the programmes the user manages, and the cases they are assigned to in
    the programmes where they facilitate. The assignment is a subquery, not a join: a
    join would need DISTINCT, which makes the database read every visible case before it
    can return the first page. A manager's set is a plain `programme_id IN (…)`, which
    the case list's indexes serve in order."""
    managed = programme_ids_with_role(user, CASE_MANAGER_ROLES)
    facilitating = programme_ids_with_role(user, [Role.FACILITATOR]) - managed
    visible = Q(**{f"{prefix}programme_id__in": sorted(managed)})
    if facilitating:
        assigned = FacilitatorAssignment.objects.filter(facilitator=user).values("case_id")
        visible |= Q(
            **{f"{prefix}programme_id__in": sorted(facilitating), f"{case_id}__in": assigned}
        )
    return visible


def _signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


class CasePolicy(Policy[Case]):
    model = Case
    actions = {
        # See the whole case and record work on it.
        "view": manages_programme_cases | is_assigned_facilitator,
        "work": manages_programme_cases | is_assigned_facilitator,
        # Move it between stages, close it, choose who works on it.
        "move": manages_programme_cases,
        "close": manages_programme_cases,
        "assign": manages_programme_cases,
        # Anyone working on it may pause it at once for safety.
        "pause": manages_programme_cases | is_assigned_facilitator,
        # Four-eyes: the service also refuses assigned facilitators (G5).
        "sign_off": is_supervisor_of_case,
        # List and search pages (no single case).
        "list": has_role_anywhere(*CASE_MANAGER_ROLES, Role.FACILITATOR),
    }

    def visible_to(self, user: Any) -> QuerySet[Case]:
        if not _signed_in(user):
            return Case.objects.none()
        return Case.objects.filter(_case_worker_filter(user))


class ParticipantPolicy(Policy[Participant]):
    """A participant's page: case workers see every participant of their cases; an
    advocate sees only the participant they support."""

    model = Participant
    actions = {
        "view": manages_programme_cases | is_assigned_facilitator | advocates_participant,
        "work": manages_programme_cases | is_assigned_facilitator,
        # Withdrawal must always be possible to record, including by the advocate (G9).
        "withdraw": manages_programme_cases | is_assigned_facilitator | advocates_participant,
        # The "People I support" page (no single participant).
        "support": has_role_anywhere(Role.ADVOCATE),
    }

    def visible_to(self, user: Any) -> QuerySet[Participant]:
        if not _signed_in(user):
            return Participant.objects.none()
        advocated = Q(
            advocate=user,
            case__programme_id__in=programme_ids_with_role(user, [Role.ADVOCATE]),
        )
        return Participant.objects.filter(
            _case_worker_filter(user, case_id="case_id", prefix="case__") | advocated
        )


case_policy = CasePolicy()
participant_policy = ParticipantPolicy()
