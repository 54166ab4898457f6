"""The hash chain: how an event's content is made canonical, hashed and verified.

    hash = sha256(previous_hash + canonical_json(content))

where `content` is every field except id, hash and previous_hash. The same functions
serve writing (`audit_record`) and checking (`verify_chain`), so the two cannot drift.

Changing an event's content, its hash, or removing an event from the middle of the log
breaks the chain at a point `verify_chain` names. Removing events from the *end* leaves a
shorter, valid chain; operators who need to detect that keep the last hash printed by
`manage.py audit_verify` somewhere the application cannot write (docs/audit.md).
"""

from __future__ import annotations

import hashlib
import json
import math
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any, NamedTuple

from django.core.serializers.json import DjangoJSONEncoder

from amends.audit.models import AuditEvent

GENESIS_HASH = "0" * 64

# The hashed fields, by name in the canonical document → model attribute. Fixed rather
# than derived from the model: a field added later must not change the hash of rows
# written before it existed (tests check every field is either here or deliberately not).
HASHED_FIELDS: dict[str, str] = {
    "occurred_at": "occurred_at",
    "actor": "actor_id",
    "actor_label": "actor_label",
    "action": "action",
    "target_type": "target_type",
    "target_id": "target_id",
    "programme": "programme_id",
    "data": "data",
    "reason": "reason",
    "request_id": "request_id",
    "ip_address": "ip_address",
}
UNHASHED_FIELDS = frozenset({"id", "hash", "previous_hash"})


class _CanonicalEncoder(DjangoJSONEncoder):
    """DjangoJSONEncoder, but datetimes keep their microseconds and are always UTC."""

    def default(self, o: Any) -> Any:
        if isinstance(o, datetime):
            if o.tzinfo is None:
                raise ValueError("Audit times must be timezone-aware.")
            return o.astimezone(UTC).isoformat(timespec="microseconds")
        return super().default(o)


def _whole_floats_as_integers(value: Any) -> Any:
    """1e16 and 100.0 become 10000000000000000 and 100.

    PostgreSQL's jsonb keeps numbers as decimals and prints 1e16 back as an integer, so
    Python reads an int where a float was written. Spelling every whole float as the
    integer of its shortest decimal form (what jsonb prints) gives both databases one
    spelling. Fractions keep their float spelling, which jsonb preserves.
    """
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(Decimal(repr(value)))
    if isinstance(value, dict):
        return {key: _whole_floats_as_integers(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_whole_floats_as_integers(item) for item in value]
    return value


def canonical_json(value: Any, *, normalised: bool = False) -> str:
    """One spelling for one value: sorted keys, no spaces, UTF-8 text, UTC times,
    whole numbers as integers. `normalised` says whole floats are integers already (as
    in a value read back from JSON by `as_stored_json`), which saves walking it."""
    return json.dumps(
        value if normalised else _whole_floats_as_integers(value),
        cls=_CanonicalEncoder,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def as_stored_json(value: Any) -> Any:
    """`value` as it will read back from a JSON column (dates become strings, and so on).

    Hashing the stored form, not the caller's objects, is what lets verification
    recompute the same hash from what the database returns.
    """
    return json.loads(canonical_json(value))


class BulkEvent(NamedTuple):
    """An event to append in bulk (`audit_append_many`): the hashed fields and nothing
    else, without a model instance's cost; attribute names are the model's."""

    occurred_at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    programme_id: int | None
    data: dict[str, Any]
    reason: str = ""
    request_id: str = ""
    ip_address: str | None = None


def event_content(event: AuditEvent | BulkEvent) -> dict[str, Any]:
    return {name: getattr(event, attribute) for name, attribute in HASHED_FIELDS.items()}


def content_document(event: AuditEvent | BulkEvent) -> str:
    """The canonical text of an event's hashed content."""
    return canonical_json(event_content(event))


def chain_hash(previous_hash: str, document: str) -> str:
    return hashlib.sha256((previous_hash + document).encode("utf-8")).hexdigest()


def event_hash(previous_hash: str, event: AuditEvent | BulkEvent) -> str:
    return chain_hash(previous_hash, content_document(event))


@dataclass(frozen=True)
class ChainBreak:
    """The first event at which the chain does not hold, and why, in words."""

    event_id: int
    occurred_at: datetime
    action: str
    explanation: str


@dataclass(frozen=True)
class ChainReport:
    events: int
    last_hash: str
    broken: ChainBreak | None

    @property
    def intact(self) -> bool:
        return self.broken is None


def _events_in_chain_order(batch_size: int) -> Iterator[AuditEvent]:
    """Every event up to the newest one at the start, oldest first, in constant memory.

    Keyset batches rather than QuerySet.iterator(): on PostgreSQL an iterator outside a
    transaction is a WITH HOLD cursor, which copies the whole result set before the first
    row arrives; batches also keep no snapshot open for the length of a long check.
    """
    ceiling = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first()
    if ceiling is None:
        return
    last_id = 0
    while True:
        batch = list(
            AuditEvent.objects.filter(id__gt=last_id, id__lte=ceiling).order_by("id")[:batch_size]
        )
        if not batch:
            return
        yield from batch
        last_id = batch[-1].id


def _break(event: AuditEvent, explanation: str) -> ChainBreak:
    return ChainBreak(
        event_id=event.id,
        occurred_at=event.occurred_at,
        action=event.action,
        explanation=explanation,
    )


def verify_chain(*, batch_size: int = 2000) -> ChainReport:
    """Recompute every hash in id order; stop at the first event that does not fit."""
    count = 0
    expected_previous = GENESIS_HASH
    previous_id: int | None = None
    for event in _events_in_chain_order(batch_size):
        if event_hash(event.previous_hash, event) != event.hash:
            explanation = "its content does not match its hash"
            return ChainReport(count, expected_previous, _break(event, explanation))
        if event.previous_hash != expected_previous:
            explanation = (
                "its previous_hash does not match the start of the chain"
                if previous_id is None
                else f"its previous_hash does not match the hash of event {previous_id}"
            )
            return ChainReport(count, expected_previous, _break(event, explanation))
        count += 1
        expected_previous = event.hash
        previous_id = event.id
    return ChainReport(count, expected_previous, None)
