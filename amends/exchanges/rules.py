"""Pure rules of the indirect exchange: when it may happen, who may write to whom, what
an item and an attached file may be. Services gather the facts and call these; views
never do. Each returns reasons in plain words (empty: allowed)."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import IO

from django.utils.translation import gettext as _

from amends.cases.models import KEY_ROLES, ParticipantRole
from amends.cases.stages import CaseStage
from amends.exchanges.whereabouts import Finding
from amends.programmes.models import Modality, ProcessType

TEXT_MAX_LENGTH = 20_000
NOTE_MAX_LENGTH = 4_000
MAX_FILE_BYTES = 10 * 1024 * 1024
# (first bytes, extension, content type): a scanned or photographed letter.
_FILE_FORMATS = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
)
CONTENT_TYPES = {extension: content_type for _, extension, content_type in _FILE_FORMATS}
EXCHANGE_STAGES = frozenset({CaseStage.READY, CaseStage.PROCESS})
EXCHANGE_PROCESSES = frozenset({ProcessType.LETTER_EXCHANGE, ProcessType.SHUTTLE_MEDIATION})
WRITING_ROLES = frozenset({*KEY_ROLES, ParticipantRole.SUPPORTER})


def stage_problems(stage: str, process_type: str, permitted_modalities: Iterable[str]) -> list[str]:
    """Letters, messages and shuttle rounds happen when the case is ready or in its
    process, and only where the process is indirect (a letter exchange or shuttle
    mediation) or an assessment permits nothing but indirect forms (G8)."""
    if stage not in EXCHANGE_STAGES:
        return [
            _(
                "Letters and messages are passed on, and shuttle rounds held, only when the "
                "case is ready for its process or in it."
            )
        ]
    if process_type in EXCHANGE_PROCESSES or Modality.INDIRECT in set(permitted_modalities):
        return []
    return [
        _(
            "The case's planned process is not an indirect one: choose a letter exchange or "
            "shuttle mediation first."
        )
    ]


def pair_problems(
    *, author_role: str, recipient_role: str, same_person: bool, same_case: bool
) -> list[str]:
    """Who may write to whom: a person harmed, a person responsible or a supporter, to
    someone else in the case; between key participants, to the other party."""
    if not same_case:
        return [_("Both people must be part of this case.")]
    reasons = []
    if author_role not in WRITING_ROLES:
        reasons.append(_("Only a party to the case or a supporter can write an item."))
    if recipient_role not in WRITING_ROLES:
        reasons.append(_("An item can only be written for a party to the case or a supporter."))
    if same_person:
        reasons.append(_("Choose someone other than the author as the recipient."))
    elif author_role == recipient_role and author_role in KEY_ROLES:
        reasons.append(_("An item between the parties goes to the other party."))
    return reasons


def content_problems(kind: str, text: str, has_file: bool, kinds: Iterable[str]) -> list[str]:
    reasons = []
    if kind not in set(kinds):
        reasons.append(_("Choose what kind of item it is."))
    if not text and not has_file:
        reasons.append(_("Type the text or attach a file."))
    if len(text) > TEXT_MAX_LENGTH:
        reasons.append(
            _("The text must be at most %(limit)d characters.") % {"limit": TEXT_MAX_LENGTH}
        )
    return reasons


def file_format(upload: IO[bytes]) -> str | None:
    """The extension of the format the file's first bytes show ("pdf", "jpg", "png"), or
    None for anything else. The read position is put back at the start."""
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, extension, _content_type in _FILE_FORMATS:
        if head.startswith(signature):
            return extension
    return None


def file_problems(upload: IO[bytes], size: int | None) -> list[str]:
    """Why an attached file cannot be kept (empty, too large, not PDF, JPEG or PNG)."""
    if not size:
        return [_("The attached file is empty.")]
    if size > MAX_FILE_BYTES:
        return [
            _("The attached file must be at most %(megabytes)d MB.")
            % {"megabytes": MAX_FILE_BYTES // (1024 * 1024)}
        ]
    if file_format(upload) is None:
        return [_("The attached file must be a PDF, a JPEG photo or a PNG image.")]
    return []


def date_problems(
    day: datetime.date | None, *, today: datetime.date, not_before: datetime.date | None, what: str
) -> list[str]:
    """A date something happened: given, not in the future, not before it could have."""
    if day is None:
        return [_("Give the date %(what)s.") % {"what": what}]
    if day > today:
        return [_("The date %(what)s cannot be in the future.") % {"what": what}]
    if not_before is not None and day < not_before:
        return [
            _("The date %(what)s cannot be before %(date)s.")
            % {"what": what, "date": not_before.isoformat()}
        ]
    return []


def own_detail_reasons(findings: Iterable[Finding], message: str) -> list[str]:
    """One reason per blocking finding: `message` with %(detail)s for the text found."""
    return [message % {"detail": finding.text} for finding in findings if finding.blocking]
