"""Every write to users and memberships. Each is audited in the same transaction."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts import jobs
from amends.accounts.models import Membership, User
from amends.accounts.roles import Role
from amends.accounts.selectors import forget_programme_roles, user_find_by_email
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError, ConflictError, PermissionRefused
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy


def user_create(
    *,
    actor: User | None,
    email: str,
    full_name: str,
    password: str | None = None,
    platform_administrator: bool = False,
) -> User:
    """Create an account. Without a password it cannot sign in until the person sets one
    through the invitation link. Only the system (actor None: set-up commands) or another
    platform administrator can create a platform administrator."""
    if platform_administrator and actor is not None and not actor.is_superuser:
        raise PermissionRefused(_("Only a platform administrator can create another one."))
    email = email.strip().lower()
    full_name = full_name.strip()
    reasons = []
    try:
        validate_email(email)
    except ValidationError:
        reasons.append(_("“%(email)s” is not a valid e-mail address.") % {"email": email})
    if not full_name:
        reasons.append(_("Give the person's full name."))
    if email and user_find_by_email(email) is not None:
        reasons.append(_("An account for %(email)s already exists.") % {"email": email})
    if reasons:
        raise ApplicationError(_("The account was not created."), reasons=reasons)
    with transaction.atomic():
        create = (
            User.objects.create_superuser if platform_administrator else User.objects.create_user
        )
        user = create(email=email, password=password, full_name=full_name)
        audit_record(
            actor=actor,
            action=Action.ACCOUNT_CREATED,
            target=user,
            data={"platform_administrator": platform_administrator},
        )
    return user


def member_invite(
    *, actor: User, programme: Programme, email: str, full_name: str, role: Role
) -> Membership:
    """Give a person a role in a programme, creating their account (and sending them a
    link to choose a password) when they have none yet."""
    programme_policy.require(actor, "manage_members", programme)
    with transaction.atomic():
        user = user_find_by_email(email)
        created = user is None
        if user is None:
            user = user_create(actor=actor, email=email, full_name=full_name)
        membership = membership_grant(actor=actor, programme=programme, user=user, role=role)
        if created:
            transaction.on_commit(lambda: jobs.send_invitation.enqueue(user_id=user.pk))
    return membership


def membership_grant(*, actor: User, programme: Programme, user: User, role: Role) -> Membership:
    """Give `user` the `role` in `programme`. Granting a role already held changes nothing."""
    programme_policy.require(actor, "manage_members", programme)
    if user.is_superuser and not actor.is_superuser:
        # A platform administrator sees everything; only their peers decide their roles.
        raise PermissionRefused(
            _("Only a platform administrator can give a role to a platform administrator.")
        )
    if role not in Role.values:
        raise ApplicationError(
            _("Choose one of the roles offered."),
            reasons=[_("Unknown role %(role)r.") % {"role": role}],
        )
    with transaction.atomic():
        existing = Membership.objects.filter(user=user, programme=programme, role=role).first()
        if existing is not None:
            return existing
        membership = Membership.objects.create(
            user=user, programme=programme, role=role, granted_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.MEMBERSHIP_GRANTED,
            target=membership,
            programme=programme,
            data={"user": user.pk, "role": str(role)},
        )
    forget_programme_roles(user)
    return membership


def membership_revoke(*, actor: User, membership_id: int, programme: Programme) -> None:
    """Take a role away. A programme always keeps at least one administrator, so nobody
    can lock everyone out of its membership page."""
    programme_policy.require(actor, "manage_members", programme)
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .select_related("user")
            .filter(pk=membership_id, programme=programme)
            .first()
        )
        if membership is None:
            raise ConflictError(_("That role has already been removed."))
        if membership.role == Role.ADMINISTRATOR and _is_last_administrator(membership):
            raise ApplicationError(
                _("The role was not removed."),
                reasons=[_("A programme needs at least one administrator: add another first.")],
            )
        data: dict[str, Any] = {"user": membership.user_id, "role": membership.role}
        membership.delete()
        audit_record(
            actor=actor,
            action=Action.MEMBERSHIP_REVOKED,
            target=membership.user,
            programme=programme,
            data=data,
        )
    forget_programme_roles(membership.user)


def _is_last_administrator(membership: Membership) -> bool:
    others = (
        Membership.objects.select_for_update()
        .filter(programme_id=membership.programme_id, role=Role.ADMINISTRATOR)
        .exclude(pk=membership.pk)
    )
    return not others.exists()
