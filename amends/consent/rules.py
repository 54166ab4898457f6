"""Pure rules about consent entries that the ledger's derivation does not cover: the status
a person reads on the consent page, the channels a person has said no to, and what an
uploaded signed form may be.

An uploaded form is recognised by its first bytes, never by the name or content type the
browser sent: those are chosen by whoever uploads, and the download later serves the
file with the content type decided here.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO

from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from amends.consent import ledger
from amends.consent.models import ConsentEntry, ConsentScope

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
# (first bytes, file extension, content type) of the formats a scanned or photographed
# signed form comes in.
_DOCUMENT_FORMATS = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
CONTENT_TYPES = {extension: content_type for _, extension, content_type in _DOCUMENT_FORMATS}


class ConsentStatus(models.TextChoices):
    ACTIVE = "active", gettext_lazy("Active")
    EXPIRED = "expired", gettext_lazy("Expired")
    WITHDRAWN = "withdrawn", gettext_lazy("Withdrawn")


def status_of(entry: ConsentEntry, today: datetime.date) -> ConsentStatus:
    """How a subject stands when `entry` is its latest entry."""
    if not entry.is_given:
        return ConsentStatus.WITHDRAWN
    if ledger.is_active(entry, today):
        return ConsentStatus.ACTIVE
    return ConsentStatus.EXPIRED


def withdrawn_channel_ids(entries: Iterable[ConsentEntry]) -> set[int]:
    """Channels whose latest "be contacted" entry is a withdrawal: the person said not to
    use them, whatever else is true of the case."""
    return {
        entry.channel_id
        for entry in ledger.latest_entries(entries).values()
        if entry.scope == ConsentScope.CONTACT
        and entry.channel_id is not None
        and not entry.is_given
    }


def document_extension(document: IO[bytes]) -> str | None:
    """The extension of the format the file's first bytes show ("pdf", "jpg", "png"),
    or None for anything else. The read position is put back at the start."""
    document.seek(0)
    head = document.read(8)
    document.seek(0)
    for signature, extension, _content_type in _DOCUMENT_FORMATS:
        if head.startswith(signature):
            return extension
    return None


def document_problems(document: IO[bytes], size: int | None) -> list[str]:
    """Why an uploaded signed form cannot be kept (empty, too large, not PDF/JPEG/PNG)."""
    if not size:
        return [_("The uploaded file is empty.")]
    if size > MAX_DOCUMENT_BYTES:
        return [
            _("The signed form must be at most %(megabytes)d MB.")
            % {"megabytes": MAX_DOCUMENT_BYTES // (1024 * 1024)}
        ]
    if document_extension(document) is None:
        return [_("The signed form must be a PDF, a JPEG photo or a PNG image.")]
    return []
