"""Who must enrol a second factor, and whether they have (DESIGN §4)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings


def second_factor_required(user: Any) -> bool:
    """Every account holds or can reach personal data, so every account needs a second
    factor before it may use anything else. Demo mode (`make run`) relaxes this and says
    so on every page."""
    return bool(getattr(user, "is_authenticated", False)) and not settings.DEMO_MODE


def has_second_factor(user: Any) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )
