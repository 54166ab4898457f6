"""Personal survey links: a random token in the link, only its hash in the database (like
a password-reset token), and the states a link can be in when someone opens it."""

from __future__ import annotations

import datetime
import hashlib
import secrets

from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.errors import ApplicationError
from amends.followups.models import SurveyInvitation

# 32 random bytes: guessing a link is hopeless, so the hash needs no salt or key.
TOKEN_BYTES = 32
LONGEST_TOKEN = 100


def new_token() -> str:
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()


class LinkState(models.TextChoices):
    VALID = "valid", _("Valid")
    UNKNOWN = "unknown", _("Unknown")
    EXPIRED = "expired", _("Expired")
    USED = "used", _("Already used")


def link_state(invitation: SurveyInvitation | None, now: datetime.datetime) -> LinkState:
    """Whether a link can still be answered. A link replaced by a newer one, or made
    unnecessary by answers entered from paper, reads as expired."""
    if invitation is None:
        return LinkState.UNKNOWN
    if invitation.answered_at is not None:
        return LinkState.USED
    if invitation.revoked_at is not None or invitation.expires_at <= now:
        return LinkState.EXPIRED
    return LinkState.VALID


class SurveyLinkRefused(ApplicationError):  # noqa: N818 - named for what the user hears
    """The link cannot be answered: unknown (404, saying nothing more), expired or used
    (410)."""

    def __init__(self, state: LinkState) -> None:
        super().__init__(str(_("This survey link cannot be used.")))
        self.state = state
        self.status_code = 404 if state == LinkState.UNKNOWN else 410
