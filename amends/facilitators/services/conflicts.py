"""Declared conflicts of interest (G6): with a person, a place or an organisation."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.cases.models import Case
from amends.cases.services import case_step_back_if_unsafe
from amends.core.errors import ApplicationError, PermissionRefused
from amends.facilitators.models import ConflictDeclaration, ConflictKind
from amends.facilitators.permissions import facilitating_programme_ids, facilitator_policy
from amends.facilitators.services._common import (
    audit_programme,
    lock_facilitator,
    required_text,
)
from amends.people.models import Person


def conflict_declare(
    *,
    actor: User,
    facilitator: User,
    person: Person | None = None,
    description: str = "",
    kind: str = ConflictKind.PERSON,
    name: str = "",
) -> ConflictDeclaration:
    """A facilitator declares a conflict of interest; they then cannot facilitate a case
    that involves it (G6):

    - a person they know (`person`): any case that person is in;
    - a place (`name`, such as a borough they live in): cases whose region is that place;
    - an organisation (`name`, such as their employer): cases it referred.

    Place and organisation names are compared without regard to case. Facilitators
    declare their own; a coordinator or supervisor may record one for a facilitator of
    their programme. Declaring the same conflict again changes nothing. A case the
    facilitator already works on that the conflict touches steps back where G6 no longer
    holds.

    Raises PermissionRefused when `facilitator` facilitates nowhere or the actor may not
    declare for them, and ApplicationError, recording nothing, for a person conflict
    without the person or a place or organisation without its name.
    """
    if not facilitating_programme_ids(facilitator):
        raise PermissionRefused(_("Only facilitators declare conflicts of interest."))
    facilitator_policy.require(actor, "declare_conflict", facilitator)
    reasons: list[str] = []
    if kind not in ConflictKind.values:
        reasons.append(_("Say whether the conflict is with a person, a place or an organisation."))
    elif kind == ConflictKind.PERSON:
        if person is None:
            reasons.append(_("Say who the conflict is with."))
        name = ""
    else:
        person = None
        what = _("the place") if kind == ConflictKind.PLACE else _("the organisation")
        name = " ".join(required_text(name, what=what, reasons=reasons).split())
    if reasons:
        raise ApplicationError(_("The conflict was not recorded."), reasons=reasons)
    with transaction.atomic():
        lock_facilitator(facilitator)
        same = (
            Q(person=person)
            if kind == ConflictKind.PERSON
            else Q(kind=kind, person__isnull=True, name__iexact=name)
        )
        existing = ConflictDeclaration.objects.filter(same, facilitator=facilitator).first()
        if existing is not None:
            return existing
        declaration = ConflictDeclaration.objects.create(
            facilitator=facilitator,
            kind=kind,
            person=person,
            name=name,
            description=(description or "").strip(),
            declared_by=actor,
        )
        audit_record(
            actor=actor,
            action=Action.CONFLICT_DECLARED,
            target=declaration,
            programme=audit_programme(actor, facilitator),
            # A place can be where someone lives: the log keeps the kind, not the name.
            data={
                "facilitator": facilitator.pk,
                "kind": kind,
                "person": person.pk if person else None,
            },
        )
        for case in _cases_touched(facilitator, kind=kind, person=person, name=name):
            case_step_back_if_unsafe(case=case)
    return declaration


def _cases_touched(facilitator: User, *, kind: str, person: Person | None, name: str) -> list[Case]:
    if kind == ConflictKind.PERSON:
        touched = Q(participants__person=person)
    elif kind == ConflictKind.PLACE:
        touched = Q(region__iexact=name)
    else:
        touched = Q(referral__agency__iexact=name)
    return list(Case.objects.filter(touched, assignments__facilitator=facilitator).distinct())
