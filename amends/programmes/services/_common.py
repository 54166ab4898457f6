"""What every configuration service shares: who may configure, the programme lock and the
shape of a language code."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from amends.accounts.models import User
from amends.core.errors import PermissionRefused
from amends.programmes.models import Programme
from amends.programmes.permissions import programme_policy

# ISO 639-1 language, optionally a region or script subtag ("cy", "pt-br", "zh-hant"): the
# same rule as a person's preferred language (people.services), so a person's language
# always finds its information sheet.
LANGUAGE_CODE = re.compile(r"[a-z]{2}(-[a-z0-9]{2,4})?")


def require_configure(actor: User | None, programme: Programme) -> None:
    """Refuse anyone but the programme's administrators and supervisors (and platform
    administrators). None is the system itself: the demo command, the test cast."""
    if actor is not None and not programme_policy.can(actor, "configure", programme):
        raise PermissionRefused(
            _("Only the programme's administrators and supervisors can change how it works.")
        )


def lock_programme(programme: Programme) -> Programme:
    """Lock the programme row for the rest of the transaction.

    Every configuration write takes this lock first, so two people publishing at once
    cannot both take the same next version number, and a category cannot change its
    sensitivity while a policy that mentions it is being published.
    """
    return Programme.objects.select_for_update().get(pk=programme.pk)


def language_problems(language: str) -> list[str]:
    if LANGUAGE_CODE.fullmatch(language):
        return []
    if not language:
        return [_("Choose a language.")]
    return [
        _("“%(code)s” is not a language code; use two letters such as “en” or “cy”.")
        % {"code": language}
    ]
