"""Who must enrol a second factor, and whether they have (DESIGN §4)."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.db import transaction

from amends.crypto.keys import is_current, rotate_token


def second_factor_required(user: Any) -> bool:
    """Every account holds or can reach personal data, so every account needs a second
    factor before it may use anything else. Demo mode (`make run`) relaxes this and says
    so on every page."""
    return bool(getattr(user, "is_authenticated", False)) and not settings.DEMO_MODE


def has_second_factor(user: Any) -> bool:
    return bool(
        Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists()
    )


# The values allauth encrypts through our MFA adapter, inside Authenticator.data.
_ENCRYPTED_DATA_KEYS = ("secret", "seed")


def rotate_second_factor_secrets(dry_run: bool) -> int:
    """Re-encrypt TOTP secrets and recovery-code seeds under the first encryption key.

    Registered with the key rotation (crypto.rotation.register_rotation): without it,
    dropping an old key after rotation would break every second factor.
    """
    rotated = 0
    ids = list(Authenticator.objects.order_by("pk").values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        with transaction.atomic():
            for authenticator in Authenticator.objects.select_for_update().filter(
                pk__in=ids[start : start + 500]
            ):
                rotated += _rotate_authenticator(authenticator, dry_run=dry_run)
    return rotated


def _rotate_authenticator(authenticator: Authenticator, *, dry_run: bool) -> int:
    stale = [
        key
        for key in _ENCRYPTED_DATA_KEYS
        if isinstance(authenticator.data.get(key), str) and not is_current(authenticator.data[key])
    ]
    if stale and not dry_run:
        for key in stale:
            authenticator.data[key] = rotate_token(authenticator.data[key])
        authenticator.save(update_fields=["data"])
    return len(stale)
