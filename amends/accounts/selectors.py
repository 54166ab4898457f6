"""Reads about users and their memberships."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from amends.accounts.models import Membership, User
from amends.accounts.roles import ROLE_DESCRIPTIONS, Role
from amends.programmes.models import Programme

_CACHE_ATTRIBUTE = "_amends_programme_roles"


def programme_roles(user: Any) -> Mapping[int, frozenset[Role]]:
    """programme id → the roles `user` holds there. One query per user object, then cached.

    Services that change memberships call `forget_programme_roles` on the user they change.
    """
    if not getattr(user, "is_authenticated", False):
        return {}
    cached: Mapping[int, frozenset[Role]] | None = getattr(user, _CACHE_ATTRIBUTE, None)
    if cached is not None:
        return cached
    roles: dict[int, set[Role]] = defaultdict(set)
    rows = Membership.objects.filter(user_id=user.pk, programme__is_active=True).values_list(
        "programme_id", "role"
    )
    for programme_id, role in rows:
        roles[programme_id].add(Role(role))
    result = {programme_id: frozenset(held) for programme_id, held in roles.items()}
    setattr(user, _CACHE_ATTRIBUTE, result)
    return result


def forget_programme_roles(user: Any) -> None:
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def programme_ids_with_role(user: Any, roles: Iterable[Role]) -> set[int]:
    """The programmes in which `user` holds any of `roles`."""
    wanted = frozenset(roles)
    return {pid for pid, held in programme_roles(user).items() if held & wanted}


def membership_list_for_programme(programme_id: int) -> QuerySet[Membership]:
    """The members of one programme with their users, for the members page."""
    return (
        Membership.objects.filter(programme_id=programme_id)
        .select_related("user", "granted_by")
        .order_by("user__full_name", "user__email", "role")
    )


def user_find_by_email(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip()).first()


@dataclass(frozen=True)
class HomeProgramme:
    """One programme on the home page with the user's roles and the pages they open."""

    programme: Programme
    roles: list[tuple[Role, str]]
    can_view_members: bool
    can_view_audit: bool
    # Coordinators and supervisors run the programme's casework: its facilitator roster,
    # batch assignment, venues and support partners.
    runs_casework: bool = False


def home_programmes_for_user(user: Any) -> list[HomeProgramme]:
    """The user's programmes (all of them for a platform administrator), in two queries."""
    from amends.programmes.permissions import programme_policy

    held = programme_roles(user)
    programmes = programme_policy.visible_to(user).select_related("organisation")
    return [
        HomeProgramme(
            programme=programme,
            roles=[
                (role, str(ROLE_DESCRIPTIONS[role]))
                for role in Role
                if role in held.get(programme.pk, frozenset())
            ],
            can_view_members=programme_policy.can(user, "view_members", programme),
            can_view_audit=programme_policy.can(user, "view_audit", programme),
            runs_casework=bool(
                held.get(programme.pk, frozenset()) & {Role.COORDINATOR, Role.SUPERVISOR}
            ),
        )
        for programme in programmes
    ]
