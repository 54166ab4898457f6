"""The encryption keys and the three operations on them: encrypt, decrypt, rotate.

`settings.ENCRYPTION_KEYS` is a list of Fernet keys. The first one encrypts; every one of
them decrypts, which is what lets a new key be put first, the data re-encrypted
(`rotate_encryption_keys`) and only then the old key dropped.
"""

from __future__ import annotations

import functools
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.dispatch import receiver
from django.test.signals import setting_changed

_UNREADABLE = (
    "A stored value cannot be decrypted with any key in ENCRYPTION_KEYS "
    "(a key was dropped before rotating, or the value is damaged)."
)


class DecryptionError(Exception):
    """None of the configured keys can read a value (wrong key, or the value was damaged).

    Raised instead of handing back the stored text: ciphertext shown as if it were a name
    would be a silent failure nobody notices.
    """


@functools.cache
def get_multifernet() -> MultiFernet:
    """All configured keys, the first one encrypting. Built once per key setting."""
    return MultiFernet([Fernet(key) for key in _configured_keys()])


@functools.cache
def _primary_fernet() -> Fernet:
    return Fernet(_configured_keys()[0])


def _configured_keys() -> list[str]:
    keys = list(settings.ENCRYPTION_KEYS)
    if not keys:
        raise ImproperlyConfigured("ENCRYPTION_KEYS is empty; no value can be encrypted or read.")
    return keys


@receiver(setting_changed)
def _forget_keys(*, setting: str, **kwargs: Any) -> None:
    # Tests swap keys with override_settings; a cached key set would outlive the swap.
    if setting == "ENCRYPTION_KEYS":
        get_multifernet.cache_clear()
        _primary_fernet.cache_clear()


def encrypt_str(text: str) -> str:
    """The text encrypted under the first key, as an ASCII Fernet token."""
    return get_multifernet().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt_str(token: str) -> str:
    """The text inside a token; `DecryptionError` when no configured key can read it."""
    try:
        return get_multifernet().decrypt(_token_bytes(token)).decode("utf-8")
    except (InvalidToken, UnicodeDecodeError):
        raise DecryptionError(_UNREADABLE) from None


def rotate_token(token: str) -> str:
    """The same text re-encrypted under the first key (`MultiFernet.rotate`)."""
    try:
        return get_multifernet().rotate(_token_bytes(token)).decode("ascii")
    except InvalidToken:
        raise DecryptionError(_UNREADABLE) from None


def is_current(token: str) -> bool:
    """Whether the first key reads the token, i.e. rotating it would change nothing."""
    try:
        _primary_fernet().decrypt(_token_bytes(token))
    except InvalidToken:
        return False
    return True


def _token_bytes(token: str) -> bytes:
    try:
        return token.encode("ascii")
    except UnicodeEncodeError:
        # A Fernet token is base64; anything else cannot be one of ours.
        raise InvalidToken from None
