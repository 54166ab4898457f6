"""Creating and changing organisations and programmes; platform administrators only."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError, PermissionRefused
from amends.programmes.models import Organisation, Programme
from amends.programmes.services.setup import programme_setup_defaults


def _require_platform_administrator(actor: User | None) -> None:
    # None is the system itself (the demo command, migrations of data).
    if actor is not None and not actor.is_superuser:
        raise PermissionRefused(_("Only a platform administrator can change organisations."))


def organisation_create(*, actor: User | None, name: str, slug: str = "") -> Organisation:
    """Create an organisation that runs programmes."""
    _require_platform_administrator(actor)
    name = name.strip()
    slug = slug or slugify(name)
    if not name or not slug:
        raise ApplicationError(
            _("The organisation was not created."), reasons=[_("Give it a name.")]
        )
    if Organisation.objects.filter(slug=slug).exists():
        raise ApplicationError(
            _("The organisation was not created."),
            reasons=[_("“%(slug)s” is already used.") % {"slug": slug}],
        )
    with transaction.atomic():
        organisation = Organisation.objects.create(name=name, slug=slug)
        audit_record(actor=actor, action=Action.ORGANISATION_CREATED, target=organisation)
    return organisation


def programme_create(
    *,
    actor: User | None,
    organisation: Organisation,
    name: str,
    slug: str = "",
    jurisdiction: str = "",
) -> Programme:
    """Create a programme in an organisation, set up with the default settings, offence
    taxonomy, eligibility policy, assessment template and information sheet so that it
    can take referrals at once (programme_setup_defaults)."""
    _require_platform_administrator(actor)
    name = name.strip()
    slug = slug or slugify(name)
    reasons = []
    if not name or not slug:
        reasons.append(_("Give the programme a name."))
    if Programme.objects.filter(slug=slug).exists():
        reasons.append(_("“%(slug)s” is already used by another programme.") % {"slug": slug})
    if Programme.objects.filter(organisation=organisation, name=name).exists():
        reasons.append(
            _("%(organisation)s already runs a programme called “%(name)s”.")
            % {"organisation": organisation, "name": name}
        )
    if reasons:
        raise ApplicationError(_("The programme was not created."), reasons=reasons)
    with transaction.atomic():
        programme = Programme.objects.create(
            organisation=organisation, name=name, slug=slug, jurisdiction=jurisdiction.strip()
        )
        audit_record(actor=actor, action=Action.PROGRAMME_CREATED, target=programme)
        programme_setup_defaults(actor=actor, programme=programme)
    return programme


_EDITABLE = {
    Organisation: ("name",),
    Programme: ("name", "jurisdiction", "is_active"),
}


def record_update(
    *, actor: User | None, instance: Organisation | Programme, changes: dict[str, Any]
) -> Organisation | Programme:
    """Change the editable fields of an organisation or programme; no-op when nothing
    changes. Slugs never change: they are in bookmarked addresses."""
    _require_platform_administrator(actor)
    model = type(instance)
    unknown = set(changes) - set(_EDITABLE[model])
    if unknown:
        raise ApplicationError("Nothing was changed.", reasons=[f"Cannot edit {sorted(unknown)}."])
    with transaction.atomic():
        locked = model.objects.select_for_update().get(pk=instance.pk)
        changed = {
            field: {"old": getattr(locked, field), "new": value}
            for field, value in changes.items()
            if getattr(locked, field) != value
        }
        if not changed:
            return locked
        for field, value in changes.items():
            setattr(locked, field, value)
        locked.save(update_fields=[*changed, "updated_at"])
        action = Action.ORGANISATION_UPDATED if model is Organisation else Action.PROGRAMME_UPDATED
        audit_record(actor=actor, action=action, target=locked, data={"changed": changed})
    return locked
