"""allauth adapters: no self-service sign-up, TOTP secrets encrypted at rest."""

from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from amends.core.middleware import client_address
from amends.crypto.keys import decrypt_str, encrypt_str


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, *args: Any, **kwargs: Any) -> bool:
        # Accounts are created by a programme administrator, never by the public.
        return False

    def get_client_ip(self, request: HttpRequest) -> str:
        """The address the audit log and the lockout use (AMENDS_TRUSTED_PROXY_COUNT):
        behind a proxy, allauth's own reading would put every visitor on one address and
        let one person's failures throttle everyone."""
        address = client_address(request)
        if not address:
            raise PermissionDenied("Unable to determine the client's address.")
        return address


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """allauth stores TOTP secrets and the recovery-code seed in clear unless this
    adapter encrypts them; here they go through the same keys as personal data."""

    def encrypt(self, text: str) -> str:
        return encrypt_str(text)

    def decrypt(self, encrypted_text: str) -> str:
        return decrypt_str(encrypted_text)
