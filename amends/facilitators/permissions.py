"""Who may see and change what about facilitators.

- A facilitator's profile (their records, compliance, availability) is seen by the
  facilitator themselves and by the coordinators and supervisors of a programme in which
  they facilitate. Everyone else does not know it exists (404).
- A facilitator keeps their own details, training, availability and periods away up to
  date, and declares their own conflicts; nobody else edits those.
- Accreditations, endorsements, supervision sessions and observed practice are evidence
  about a facilitator, so someone else records them: a coordinator or supervisor of a
  programme the facilitator works in, never the facilitator for themselves (not even
  when they also coordinate or supervise).
- A programme's roster: its coordinators and supervisors.

Every rule needs a current role in an active programme. The predicates and the
querysets sit side by side so they cannot drift; a test checks that they agree.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from rules.predicates import predicate as rules_predicate

from amends.accounts.models import User
from amends.accounts.predicates import has_role_anywhere, has_role_in_programme
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.core.permissions import Policy
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy

MANAGER_ROLES = (Role.COORDINATOR, Role.SUPERVISOR)


def facilitating_programme_ids(user: Any) -> set[int]:
    """The active programmes in which `user` holds the facilitator role."""
    return programme_ids_with_role(user, [Role.FACILITATOR])


def managed_programme_ids(user: Any) -> set[int]:
    """The active programmes in which `user` coordinates or supervises."""
    return programme_ids_with_role(user, MANAGER_ROLES)


def shared_programme_ids(manager: Any, facilitator: Any) -> set[int]:
    """Programmes `manager` coordinates or supervises and `facilitator` facilitates in."""
    return managed_programme_ids(manager) & facilitating_programme_ids(facilitator)


def _is_self(user: Any, facilitator: User | None) -> bool:
    return (
        facilitator is not None
        and facilitator.pk == user.pk
        and bool(facilitating_programme_ids(facilitator))
    )


def _manages(user: Any, facilitator: User | None) -> bool:
    return facilitator is not None and bool(shared_programme_ids(user, facilitator))


def _is_someone_else(user: Any, facilitator: User | None) -> bool:
    return facilitator is not None and facilitator.pk != user.pk


# rules carries no type information; the functions above are typed.
is_self = rules_predicate(_is_self)
manages = rules_predicate(_manages)
is_someone_else = rules_predicate(_is_someone_else)


class FacilitatorPolicy(Policy[User]):
    """Actions on one facilitator (a user who facilitates in some programme)."""

    model = User
    actions = {
        # "My profile" (no single object): anyone who facilitates somewhere.
        "own_profile": has_role_anywhere(Role.FACILITATOR),
        "view": is_self | manages,
        "edit_own": is_self,
        "declare_conflict": is_self | manages,
        # Evidence about someone is recorded by someone else.
        "record_standing": manages & is_someone_else,
    }

    def visible_to(self, user: Any) -> QuerySet[User]:
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return User.objects.none()
        facilitator_rows = Q(
            memberships__role=Role.FACILITATOR, memberships__programme__is_active=True
        )
        return User.objects.filter(
            (facilitator_rows & Q(pk=user.pk))
            | Q(
                memberships__role=Role.FACILITATOR,
                memberships__programme_id__in=managed_programme_ids(user),
            )
        ).distinct()


class RosterPolicy(Policy[Programme]):
    """A programme's roster of facilitators and its compliance. A programme the user
    holds no role in is hidden (404), as on the programme's other pages."""

    model = Programme
    actions = {
        # The list of rosters (no single programme).
        "list": has_role_anywhere(*MANAGER_ROLES),
        "view_roster": has_role_in_programme(*MANAGER_ROLES),
    }

    def visible_to(self, user: Any) -> QuerySet[Programme]:
        return programme_policy.visible_to(user)


facilitator_policy = FacilitatorPolicy()
roster_policy = RosterPolicy()
