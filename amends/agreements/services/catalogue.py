"""The programme's catalogue of other agreement items, configured like its settings."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.agreements.models import CatalogueItem
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError, ConflictError
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy

NAME_MAX_LENGTH = 120
DESCRIPTION_MAX_LENGTH = 300
# What a new programme's list starts with; each programme changes its own.
DEFAULT_ITEMS = (
    ("Donation to a charity the person harmed chooses", "An amount agreed in the meeting."),
    ("Repairing the damage", "The person responsible repairs what was damaged, supervised."),
    ("Mentoring sessions", "Meetings with a mentor the programme arranges."),
)


def catalogue_item_add(
    *, actor: User | None, programme: Programme, name: str, description: str = ""
) -> CatalogueItem:
    """Add an item to the programme's list of other agreement items (administrators and
    supervisors; `actor` None is the system setting up a programme).

    Raises PermissionRefused, ConflictError for a name already listed, ApplicationError
    for a missing or too long name or description; nothing is written.
    """
    name, description = " ".join(name.split()), " ".join(description.split())
    not_done = _("The item was not added to the list.")
    reasons = []
    if not name:
        reasons.append(_("Give the item a name."))
    elif len(name) > NAME_MAX_LENGTH:
        reasons.append(_("The name must be at most 120 characters."))
    if len(description) > DESCRIPTION_MAX_LENGTH:
        reasons.append(_("The description must be at most 300 characters."))
    with transaction.atomic():
        if actor is not None:
            programme_policy.require(actor, "configure", programme)
        if reasons:
            raise ApplicationError(not_done, reasons=reasons)
        if CatalogueItem.objects.filter(programme=programme, name__iexact=name).exists():
            raise ConflictError(not_done, reasons=[_("The list already has an item of that name.")])
        item = CatalogueItem.objects.create(
            programme=programme, name=name, description=description, created_by=actor
        )
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_CATALOGUE_CHANGED,
            target=item,
            programme=programme,
            data={"name": name, "offered": True},
        )
    return item


def catalogue_item_set_offered(*, actor: User, item: CatalogueItem, offered: bool) -> CatalogueItem:
    """Offer a listed item again, or stop offering it (items already agreed keep it).
    Setting what is already so changes nothing."""
    with transaction.atomic():
        fresh = (
            CatalogueItem.objects.select_for_update().select_related("programme").get(pk=item.pk)
        )
        programme_policy.require(actor, "configure", fresh.programme)
        if fresh.is_active == offered:
            return fresh
        fresh.is_active = offered
        fresh.save(update_fields=["is_active", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.AGREEMENT_CATALOGUE_CHANGED,
            target=fresh,
            programme=fresh.programme,
            data={"name": fresh.name, "offered": offered},
        )
    return fresh


def catalogue_setup_defaults(*, actor: User | None, programme: Programme) -> list[CatalogueItem]:
    """Give a programme the default list, once (items it already has are kept)."""
    existing = set(CatalogueItem.objects.filter(programme=programme).values_list("name", flat=True))
    return [
        catalogue_item_add(actor=actor, programme=programme, name=name, description=description)
        for name, description in DEFAULT_ITEMS
        if name not in existing
    ]
