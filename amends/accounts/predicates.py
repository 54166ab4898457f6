"""Rules predicates about who holds which role where. Policies combine these."""

from __future__ import annotations

from typing import Any

from rules.predicates import predicate as rules_predicate

from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role, programme_roles


@rules_predicate
def is_platform_administrator(user: Any) -> bool:
    return bool(getattr(user, "is_superuser", False))


@rules_predicate
def is_member_anywhere(user: Any) -> bool:
    return bool(programme_roles(user))


def has_role_in_programme(*roles: Role) -> Any:
    """Predicate(user, obj): `user` holds one of `roles` in obj's programme.

    obj is a Programme or anything with a `programme_id`.
    """
    wanted = frozenset(roles)

    @rules_predicate(name=f"has_role_in_programme({', '.join(sorted(wanted))})")
    def predicate(user: Any, obj: Any) -> bool:
        if obj is None:
            return False
        programme_id = getattr(obj, "programme_id", None)
        if programme_id is None:
            programme_id = obj.pk
        return bool(programme_roles(user).get(programme_id, frozenset()) & wanted)

    return predicate


def has_role_anywhere(*roles: Role) -> Any:
    """Predicate(user): `user` holds one of `roles` in at least one programme."""

    @rules_predicate(name=f"has_role_anywhere({', '.join(sorted(roles))})")
    def predicate(user: Any) -> bool:
        return bool(programme_ids_with_role(user, roles))

    return predicate
