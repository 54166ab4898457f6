"""allauth adapters: no self-service sign-up, TOTP secrets encrypted at rest."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.http import HttpRequest

from amends.crypto.keys import decrypt_str, encrypt_str


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> bool:
        # Accounts are created by a programme administrator, never by the public.
        return False


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """allauth stores TOTP secrets and the recovery-code seed in clear unless this
    adapter encrypts them; here they go through the same keys as personal data."""

    def encrypt(self, text: str) -> str:
        return encrypt_str(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_str(encrypted_text)
