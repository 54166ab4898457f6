"""Deriving the current state of consent from the append-only ledger (pure functions).

The latest entry about the same thing (scope, process, partner, channel and whose consent
it is) decides; a withdrawal is simply a later entry that says "no".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from amends.consent.models import ConsentEntry, ConsentKind, ConsentScope

SubjectKey = tuple[str, str, str, int | None, str]


def latest_entries(entries: Iterable[ConsentEntry]) -> dict[SubjectKey, ConsentEntry]:
    """The entry that counts for each subject (entries in any order)."""
    latest: dict[SubjectKey, ConsentEntry] = {}
    for entry in sorted(entries, key=lambda item: (item.recorded_at, item.pk or 0)):
        latest[entry.subject_key] = entry
    return latest


def is_active(entry: ConsentEntry | None, today: datetime.date) -> bool:
    return bool(
        entry is not None
        and entry.is_given
        and entry.valid_until is not None
        and entry.valid_until >= today
    )


def take_part_entry(
    entries: Iterable[ConsentEntry], process_type: str, kind: str = ConsentKind.CONSENT
) -> ConsentEntry | None:
    key: SubjectKey = (ConsentScope.TAKE_PART, process_type, "", None, kind)
    return latest_entries(entries).get(key)


def outstanding_withdrawals(entries: Iterable[ConsentEntry]) -> list[ConsentEntry]:
    """Withdrawals of taking part or of data processing that no later consent replaced."""
    return [
        entry
        for entry in latest_entries(entries).values()
        if not entry.is_given
        and entry.scope in (ConsentScope.TAKE_PART, ConsentScope.DATA_PROCESSING)
    ]


def allowed_channel_ids(entries: Iterable[ConsentEntry], today: datetime.date) -> set[int]:
    """Channels the person has actively agreed to be contacted on."""
    return {
        entry.channel_id
        for entry in latest_entries(entries).values()
        if entry.scope == ConsentScope.CONTACT
        and entry.channel_id is not None
        and is_active(entry, today)
    }
