"""System checks: the process refuses to start with keys that cannot work (DESIGN §4)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from cryptography.fernet import Fernet
from django.apps import AppConfig
from django.conf import settings
from django.core.checks import CheckMessage, Error, Tags, register

MINIMUM_BLIND_INDEX_KEY_LENGTH = 32
_NEW_KEY_HINT = (
    'Generate a key with: python -c "from cryptography.fernet import Fernet; '
    'print(Fernet.generate_key().decode())"'
)


@register(Tags.security)
def check_encryption_keys(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """ENCRYPTION_KEYS is a non-empty list of valid Fernet keys."""
    keys = getattr(settings, "ENCRYPTION_KEYS", None)
    if isinstance(keys, str | bytes) or not keys:
        return [
            Error(
                "ENCRYPTION_KEYS must be a non-empty list of Fernet keys.",
                hint="Set AMENDS_ENCRYPTION_KEYS to comma-separated keys. " + _NEW_KEY_HINT,
                id="crypto.E001",
            )
        ]
    errors: list[CheckMessage] = []
    for position, key in enumerate(keys, start=1):
        try:
            Fernet(key)
        except (ValueError, TypeError):
            # The message names the key's position, never the key.
            errors.append(
                Error(
                    f"Key number {position} in ENCRYPTION_KEYS is not a valid Fernet key "
                    "(32 url-safe base64-encoded bytes).",
                    hint=_NEW_KEY_HINT,
                    id="crypto.E002",
                )
            )
    return errors


@register(Tags.security)
def check_blind_index_key(
    app_configs: Sequence[AppConfig] | None = None, **kwargs: Any
) -> list[CheckMessage]:
    """BLIND_INDEX_KEY is text of at least 32 characters."""
    key = getattr(settings, "BLIND_INDEX_KEY", None)
    if isinstance(key, str) and len(key) >= MINIMUM_BLIND_INDEX_KEY_LENGTH:
        return []
    return [
        Error(
            f"BLIND_INDEX_KEY must be text of at least {MINIMUM_BLIND_INDEX_KEY_LENGTH} "
            "characters: a short key lets names and phone numbers be guessed from their "
            "indexes.",
            hint="Set AMENDS_BLIND_INDEX_KEY to a long random value, e.g. from "
            'python -c "import secrets; print(secrets.token_urlsafe(48))".',
            id="crypto.E003",
        )
    ]
