"""Writes about facilitators: declared conflicts of interest (G6)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.accounts.roles import Role
from amends.accounts.selectors import programme_ids_with_role
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.services import case_step_back_if_unsafe
from amends.core.errors import PermissionRefused
from amends.facilitators.models import ConflictDeclaration
from amends.people.models import Person


def conflict_declare(
    *, actor: User, facilitator: User, person: Person, description: str = ""
) -> ConflictDeclaration:
    """A facilitator declares they know a person; they then cannot facilitate a case that
    person is in (G6). Facilitators declare their own; case managers may record one for
    them in a programme where they coordinate or supervise that facilitator."""
    if not programme_ids_with_role(facilitator, [Role.FACILITATOR]):
        raise PermissionRefused(_("Only facilitators declare conflicts of interest."))
    if actor.pk != facilitator.pk and not _manages_facilitator(actor, facilitator):
        raise PermissionRefused(_("You are not allowed to do this."))
    with transaction.atomic():
        declaration, created = ConflictDeclaration.objects.get_or_create(
            facilitator=facilitator,
            person=person,
            defaults={"description": description.strip(), "declared_by": actor},
        )
        if created:
            audit_record(
                actor=actor,
                action=Action.CONFLICT_DECLARED,
                target=declaration,
                data={"facilitator": facilitator.pk, "person": person.pk},
            )
            # A case this facilitator already works on, with this person in it, may no
            # longer meet G6 where it stands.
            for case in Case.objects.filter(
                assignments__facilitator=facilitator, participants__person=person
            ).distinct():
                case_step_back_if_unsafe(case=case)
    return declaration


def _manages_facilitator(actor: User, facilitator: User) -> bool:
    managed = programme_ids_with_role(actor, [Role.COORDINATOR, Role.SUPERVISOR])
    return bool(managed & programme_ids_with_role(facilitator, [Role.FACILITATOR]))
