"""The programme's venue directory: kept by its coordinators and supervisors."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.meetings.models import Venue
from amends.meetings.permissions import programme_venues_policy, venue_policy
from amends.programmes.models import Programme

NAME_MAX_LENGTH = 120
TEXT_MAX_LENGTH = 1000
FIELDS = ("name", "address", "accessibility", "has_separate_waiting_areas", "notes", "is_active")


def _problems(programme: Programme, values: dict[str, object], venue: Venue | None) -> list[str]:
    name, address = str(values["name"]), str(values["address"])
    reasons = []
    if not name:
        reasons.append(_("Give the venue a name."))
    elif len(name) > NAME_MAX_LENGTH:
        reasons.append(_("Keep the name under 120 characters."))
    elif (
        Venue.objects.filter(programme=programme, name__iexact=name)
        .exclude(pk=venue.pk if venue else 0)
        .exists()
    ):
        reasons.append(_("The programme already has a venue with that name."))
    if not address:
        reasons.append(_("Give the venue's address."))
    for field in ("address", "accessibility", "notes"):
        if len(str(values[field])) > TEXT_MAX_LENGTH:
            reasons.append(_("Keep each text under 1,000 characters."))
            break
    return reasons


def _clean(
    name: str, address: str, accessibility: str, notes: str, separate: bool, active: bool
) -> dict[str, object]:
    return {
        "name": " ".join(name.split()),
        "address": address.strip(),
        "accessibility": accessibility.strip(),
        "has_separate_waiting_areas": bool(separate),
        "notes": notes.strip(),
        "is_active": bool(active),
    }


def venue_create(
    *,
    actor: User,
    programme: Programme,
    name: str,
    address: str,
    accessibility: str = "",
    has_separate_waiting_areas: bool = False,
    notes: str = "",
) -> Venue:
    """Add a venue to the programme's directory. Raises PermissionRefused for anyone but
    its coordinators and supervisors, ApplicationError for a missing name or address or
    a name the programme already uses."""
    values = _clean(name, address, accessibility, notes, has_separate_waiting_areas, True)
    with transaction.atomic():
        programme_venues_policy.require(actor, "manage", programme)
        reasons = _problems(programme, values, None)
        if reasons:
            raise ApplicationError(_("The venue was not added."), reasons=reasons)
        venue = Venue.objects.create(programme=programme, **values)
        audit_record(
            actor=actor,
            action=Action.VENUE_ADDED,
            target=venue,
            programme=programme,
            data={"name": venue.name, "separate_waiting": venue.has_separate_waiting_areas},
        )
    return venue


def venue_update(
    *,
    actor: User,
    venue: Venue,
    name: str,
    address: str,
    accessibility: str = "",
    has_separate_waiting_areas: bool = False,
    notes: str = "",
    is_active: bool = True,
) -> Venue:
    """Change a venue. Meetings already planned there keep it; a venue no longer in use
    is not offered for new meetings. Does nothing when nothing changed."""
    values = _clean(name, address, accessibility, notes, has_separate_waiting_areas, is_active)
    with transaction.atomic():
        locked = Venue.objects.select_for_update().select_related("programme").get(pk=venue.pk)
        venue_policy.require(actor, "manage", locked)
        changed = [field for field in FIELDS if getattr(locked, field) != values[field]]
        if not changed:
            return locked
        reasons = _problems(locked.programme, values, locked)
        if reasons:
            raise ApplicationError(_("The venue was not changed."), reasons=reasons)
        for field in changed:
            setattr(locked, field, values[field])
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.VENUE_CHANGED,
            target=locked,
            programme=locked.programme,
            # Staff notes are encrypted: the log names the fields, not their text.
            data={"fields": changed},
        )
    return locked
