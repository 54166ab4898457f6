"""What the facilitators' services share: locking the facilitator, checking plain input,
and choosing the programme an audit event belongs to."""

from __future__ import annotations

import datetime
from typing import Any

from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.facilitators.permissions import (
    facilitating_programme_ids,
    shared_programme_ids,
)

TEXT_MAX_LENGTH = 200


def lock_facilitator(facilitator: User) -> User:
    """Lock the facilitator's user row: their records change one writer at a time, so
    checks such as "no overlapping availability" hold when two requests race."""
    return User.objects.select_for_update().get(pk=facilitator.pk)


def audit_programme(actor: Any, facilitator: User) -> int | None:
    """The programme an event about a facilitator is filed under, so the programme's
    audit readers see it: one the actor manages and the facilitator works in, else one
    the facilitator works in (their own changes)."""
    candidates = shared_programme_ids(actor, facilitator) or facilitating_programme_ids(facilitator)
    return min(candidates) if candidates else None


def required_text(value: Any, *, what: str, reasons: list[str]) -> str:
    """`value` stripped; a reason is added when it is empty or too long."""
    text = str(value or "").strip()
    if not text:
        reasons.append(_("Give %(what)s.") % {"what": what})
    elif len(text) > TEXT_MAX_LENGTH:
        reasons.append(
            _("%(what)s: %(limit)d characters at most.")
            % {"what": what.capitalize(), "limit": TEXT_MAX_LENGTH}
        )
    return text


def optional_text(value: Any, *, what: str, reasons: list[str]) -> str:
    text = str(value or "").strip()
    if len(text) > TEXT_MAX_LENGTH:
        reasons.append(
            _("%(what)s: %(limit)d characters at most.")
            % {"what": what.capitalize(), "limit": TEXT_MAX_LENGTH}
        )
    return text


def is_date(value: Any) -> bool:
    return isinstance(value, datetime.date) and not isinstance(value, datetime.datetime)
