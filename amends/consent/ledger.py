"""Deriving the current state of consent from the append-only ledger (pure functions).

The latest entry about the same thing (scope, process, partner, channel, agreement item
and whose consent it is) decides; a withdrawal is simply a later entry that says "no".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from amends.consent.models import ConsentEntry, ConsentKind, ConsentScope

# (scope, process type, partner, channel id, agreement item id, kind)
SubjectKey = tuple[str, str, str, int | None, int | None, str]


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
    key: SubjectKey = (ConsentScope.TAKE_PART, process_type, "", None, None, kind)
    return latest_entries(entries).get(key)


def outstanding_withdrawals(entries: Iterable[ConsentEntry]) -> list[ConsentEntry]:
    """Withdrawals of taking part or of data processing that no later consent replaced.

    A withdrawal from taking part is cleared by any later consent to take part (of the
    same kind): someone who withdraws from a meeting and then agrees to letters has given
    fresh consent, and G3 separately checks consent to the process actually planned.
    """
    entries = list(entries)
    latest = latest_entries(entries).values()
    outstanding = []
    for entry in latest:
        if entry.is_given or entry.scope not in (
            ConsentScope.TAKE_PART,
            ConsentScope.DATA_PROCESSING,
        ):
            continue
        if entry.scope == ConsentScope.TAKE_PART and any(
            later.is_given
            and later.scope == ConsentScope.TAKE_PART
            and later.kind == entry.kind
            and (later.recorded_at, later.pk or 0) > (entry.recorded_at, entry.pk or 0)
            for later in entries
        ):
            continue
        outstanding.append(entry)
    return outstanding


def allowed_channel_ids(entries: Iterable[ConsentEntry], today: datetime.date) -> set[int]:
    """Channels the person has actively agreed to be contacted on."""
    return {
        entry.channel_id
        for entry in latest_entries(entries).values()
        if entry.scope == ConsentScope.CONTACT
        and entry.channel_id is not None
        and is_active(entry, today)
    }
