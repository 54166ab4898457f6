"""Keeping a programme's partner directory (coordinators and supervisors)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator, validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.audit.actions import Action
from amends.audit.services import audit_record
from amends.core.errors import ApplicationError
from amends.programmes.models import Programme
from amends.support.models import Partner, ServiceType
from amends.support.permissions import partner_directory_policy, partner_policy
from amends.support.selectors import partner_name_key

NAME_MAX_LENGTH = 200
REGION_MAX_LENGTH = 80
NOTES_MAX_LENGTH = 2000
# An ISO 639 language code (two or three letters), optionally with a region or script.
_LANGUAGE_CODE = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")
_PHONE_MIN_DIGITS = 6
_FIELDS = (
    "name",
    "service_types",
    "languages",
    "regions",
    "phone",
    "email",
    "website",
    "address",
    "eligibility_notes",
    "is_active",
)


@dataclass(frozen=True)
class PartnerDetails:
    """What describes a partner: the organisation and its own public contact details."""

    name: str
    service_types: list[str]
    languages: list[str] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)
    phone: str = ""
    email: str = ""
    website: str = ""
    address: str = ""
    eligibility_notes: str = ""
    is_active: bool = True

    def cleaned(self) -> PartnerDetails:
        return PartnerDetails(
            name=" ".join(self.name.split()),
            service_types=[value for value in ServiceType.values if value in self.service_types]
            + sorted(set(self.service_types) - set(ServiceType.values)),
            languages=_unique(code.strip().lower() for code in self.languages),
            regions=_unique(" ".join(region.split()) for region in self.regions),
            phone=self.phone.strip(),
            email=self.email.strip(),
            website=self.website.strip(),
            address=self.address.strip(),
            eligibility_notes=self.eligibility_notes.strip(),
            is_active=self.is_active,
        )


def _unique(values: Iterable[str]) -> list[str]:
    return list(dict.fromkeys(value for value in values if value))


def _problems(programme: Programme, details: PartnerDetails, partner_id: int | None) -> list[str]:
    reasons = []
    if not details.name:
        reasons.append(_("Give the organisation's name."))
    elif len(details.name) > NAME_MAX_LENGTH:
        reasons.append(_("The name must be at most 200 characters."))
    elif any(
        partner_name_key(other.name) == partner_name_key(details.name)
        for other in Partner.objects.filter(programme=programme)
        if other.pk != partner_id
    ):
        reasons.append(_("The directory already has a partner with this name."))
    if not details.service_types:
        reasons.append(_("Choose at least one service the partner offers."))
    elif set(details.service_types) - set(ServiceType.values):
        reasons.append(_("Choose services from the list."))
    bad = [code for code in details.languages if not _LANGUAGE_CODE.fullmatch(code)]
    if bad:
        reasons.append(
            _("These are not language codes: %(codes)s. Use codes such as “en”, “cy” or “pl”.")
            % {"codes": ", ".join(bad)}
        )
    if any(len(region) > REGION_MAX_LENGTH for region in details.regions):
        reasons.append(_("Each region must be at most 80 characters."))
    reasons += _contact_problems(details)
    return reasons


def _contact_problems(details: PartnerDetails) -> list[str]:
    reasons = []
    if details.phone and (
        len(details.phone) > 40 or sum(c.isdigit() for c in details.phone) < _PHONE_MIN_DIGITS
    ):
        reasons.append(_("The phone number does not look like a phone number."))
    if details.email:
        try:
            validate_email(details.email)
        except ValidationError:
            reasons.append(_("The e-mail address is not valid."))
    if details.website:
        try:
            URLValidator(schemes=["http", "https"])(details.website)
        except ValidationError:
            reasons.append(_("The website must be an address starting with https:// or http://."))
    if len(details.address) > NOTES_MAX_LENGTH or len(details.eligibility_notes) > NOTES_MAX_LENGTH:
        reasons.append(_("The address and the notes must each be at most 2000 characters."))
    return reasons


def partner_create(*, actor: User, programme: Programme, details: PartnerDetails) -> Partner:
    """Add an organisation to the programme's partner directory.

    Raises PermissionRefused (not a coordinator or supervisor of the programme) or
    ApplicationError with every reason; nothing is written.
    """
    details = details.cleaned()
    with transaction.atomic():
        locked = Programme.objects.select_for_update().get(pk=programme.pk)
        partner_directory_policy.require(actor, "manage", locked)
        reasons = _problems(locked, details, None)
        if reasons:
            raise ApplicationError(_("The partner was not added."), reasons=reasons)
        partner = Partner.objects.create(programme=locked, **asdict(details))
        audit_record(
            actor=actor,
            action=Action.SUPPORT_PARTNER_ADDED,
            target=partner,
            programme=locked,
            # An organisation's public details, not personal data: kept as they are.
            data={name: getattr(partner, name) for name in _FIELDS},
        )
    return partner


def partner_update(*, actor: User, partner: Partner, details: PartnerDetails) -> Partner:
    """Change a partner's entry (including whether it takes referrals). Does nothing when
    nothing changes; the audit event keeps the old and new values.

    Raises PermissionRefused or ApplicationError with every reason; nothing is written.
    """
    details = details.cleaned()
    with transaction.atomic():
        # The programme row is the directory's lock: two edits cannot both take a name.
        Programme.objects.select_for_update().get(pk=partner.programme_id)
        locked = Partner.objects.select_for_update().select_related("programme").get(pk=partner.pk)
        partner_policy.require(actor, "manage", locked)
        changed = [name for name in _FIELDS if getattr(locked, name) != getattr(details, name)]
        if not changed:
            return locked
        reasons = _problems(locked.programme, details, locked.pk)
        if reasons:
            raise ApplicationError(_("The partner was not changed."), reasons=reasons)
        old = {name: getattr(locked, name) for name in changed}
        for name in changed:
            setattr(locked, name, getattr(details, name))
        locked.save(update_fields=[*changed, "updated_at"])
        audit_record(
            actor=actor,
            action=Action.SUPPORT_PARTNER_CHANGED,
            target=locked,
            programme=locked.programme,
            data={"old": old, "new": {name: getattr(locked, name) for name in changed}},
        )
    return locked
