"""The registry of audit actions: dotted names stored in the log, labels shown to people.

Add new actions here. The database column is a plain varchar (Django's `choices` create no
database constraint), so a new action needs no migration; `audit_record` refuses names
that are not in this registry so typos cannot enter the log.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise


class Action(models.TextChoices):
    SIGNED_IN = "account.signed_in", _("Signed in")
    SIGNED_OUT = "account.signed_out", _("Signed out")
    SIGN_IN_FAILED = "account.sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "account.locked_out", _("Locked out after failed sign-ins")
    ACCOUNT_CREATED = "account.created", _("Account created")
    ACCOUNT_DEACTIVATED = "account.deactivated", _("Account deactivated")
    MFA_ENROLLED = "account.mfa_enrolled", _("Second factor set up")
    MFA_REMOVED = "account.mfa_removed", _("Second factor removed")
    RECOVERY_CODES_GENERATED = "account.recovery_codes_generated", _("Recovery codes generated")
    REAUTHENTICATED = "account.reauthenticated", _("Confirmed identity again")
    PASSWORD_CHANGED = "account.password_changed", _("Password changed")
    MEMBERSHIP_GRANTED = "membership.granted", _("Role granted")
    MEMBERSHIP_REVOKED = "membership.revoked", _("Role removed")
    ORGANISATION_CREATED = "organisation.created", _("Organisation created")
    ORGANISATION_UPDATED = "organisation.updated", _("Organisation changed")
    PROGRAMME_CREATED = "programme.created", _("Programme created")
    PROGRAMME_UPDATED = "programme.updated", _("Programme changed")
    PERSON_CREATED = "person.created", _("Person added")
    PERSON_UPDATED = "person.updated", _("Person's details changed")
    PERSON_VIEWED = "person.viewed", _("Person's record viewed")
    CONTACT_CHANNEL_ADDED = "contact_channel.added", _("Contact channel added")
    KEYS_ROTATED = "crypto.keys_rotated", _("Encryption keys rotated")
    AUDIT_VIEWED = "audit.viewed", _("Audit log viewed")
    AUDIT_VERIFIED = "audit.verified", _("Audit log verified")
    ACCESS_REFUSED = "access.refused", _("Access refused")


def action_choices() -> list[tuple[str, StrOrPromise]]:
    """The model field's choices, by reference: migrations store this function's name,
    not the list, so adding an action needs no migration (and `makemigrations --check`
    stays quiet)."""
    return list(Action.choices)
