"""Attached files stored encrypted at rest (DESIGN §4).

A scanned letter is as personal as its text, so the file on disk is Fernet ciphertext
under the project's keys (`amends.crypto.keys.get_multifernet`: the first key encrypts,
every key decrypts) with a random name. Only the permission-checked download view
decrypts it.
"""

from __future__ import annotations

import secrets

from cryptography.fernet import InvalidToken
from django.core.files import File
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile

from amends.crypto.keys import DecryptionError, get_multifernet
from amends.exchanges.models import ExchangeItem


def encrypted_content(upload: File[bytes]) -> ContentFile[bytes]:
    """The upload's bytes encrypted, as a file with a random name (an uploaded file's own
    name often carries a person's name)."""
    upload.seek(0)
    token = get_multifernet().encrypt(upload.read())
    return ContentFile(token, name=f"{secrets.token_hex(16)}.bin")


def store_encrypted(field: FieldFile, upload: File[bytes]) -> None:
    """Write the upload, encrypted, as the file of `field` (the row is saved by the caller)."""
    content = encrypted_content(upload)
    field.save(str(content.name), content, save=False)


def decrypted_bytes(item: ExchangeItem) -> bytes:
    """The attached file as it was uploaded. Raises DecryptionError when no configured key
    reads it (never hands back the ciphertext as if it were the file)."""
    with item.attachment.open("rb") as stored:
        token = stored.read()
    try:
        return get_multifernet().decrypt(token)
    except InvalidToken:
        raise DecryptionError("An attached file cannot be decrypted with any key.") from None
