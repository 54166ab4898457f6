"""Writing the audit log. `audit_record` is the only code that creates audit events."""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple

from django.db import connection, models, transaction
from django.utils import timezone

from amends.audit.actions import Action
from amends.audit.chain import (
    GENESIS_HASH,
    BulkEvent,
    as_stored_json,
    canonical_json,
    chain_hash,
    event_content,
    event_hash,
)
from amends.audit.models import AuditEvent
from amends.core import request_context
from amends.core.bulk import BulkTable
from amends.crypto.blind_index import BlindIndexField
from amends.crypto.fields import EncryptedFieldMixin
from amends.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amends.accounts.models import User

# pg_advisory_xact_lock key that serialises writers of the chain ("amends" in ASCII).
CHAIN_LOCK_KEY = 0x616D656E6473
SYSTEM_ACTOR_LABEL = "system"
_KNOWN_ACTIONS = frozenset(Action.values)
ANONYMOUS_ACTOR_LABEL = "anonymous"


def audit_record(
    *,
    actor: User | AnonymousUser | None,
    action: Action,
    target: models.Model | None = None,
    programme: Programme | int | None = None,
    data: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEvent:
    """Append one event to the audit log and return it.

    `actor` is the user acting, an AnonymousUser (someone not signed in, recorded as
    "anonymous") or None (the system: commands and jobs, recorded as "system").

    Call it inside the transaction of the change it records, so the change and its audit
    event commit or roll back together. The request id and client address come from the
    current request context (none for commands and jobs). The programme, which decides
    who may read the event, defaults to the target's `programme_id` (or the target
    itself when it is a programme). `data` is stored as JSON; never put decrypted
    personal data in it (use `changed_fields`).

    Each event's hash covers the previous event's hash, so writers must take turns
    between reading the last hash and committing:

    - PostgreSQL: a transaction-scoped advisory lock, held until the surrounding
      transaction ends, so a concurrent writer reads the last hash only after this one
      is committed (or rolled back).
    - SQLite: the project opens every transaction with BEGIN IMMEDIATE
      (settings: transaction_mode), which takes the database's single write lock at
      the start, so a write transaction is already exclusive and no further lock is
      needed.

    Raises ValueError for an action not in the `Action` registry.
    """
    if action not in Action.values:
        raise ValueError(f"{action!r} is not an audit action; add it to amends.audit.actions.")
    context = request_context.current()
    event = AuditEvent(
        actor_id=_actor_id(actor),
        actor_label=_actor_label(actor),
        action=str(action),
        target_type=target._meta.label_lower if target is not None else "",
        target_id=_target_id(target),
        programme_id=_programme_id(programme, target),
        data=as_stored_json(dict(data or {})),
        reason=reason,
        request_id=context.request_id if context else "",
        ip_address=_stored_address(context.ip_address if context else None),
    )
    # No savepoint: if writing the event fails, the caller's whole transaction must roll
    # back, so a change can never be committed without its audit event.
    with transaction.atomic(savepoint=False):
        _lock_chain()
        # Stamped once the chain is ours, so time order and chain order agree.
        event.occurred_at = timezone.now()
        event.previous_hash = _last_hash()
        event.hash = event_hash(event.previous_hash, event)
        event.save()
    return event


def _lock_chain() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK_KEY])


def _last_hash() -> str:
    last = AuditEvent.objects.order_by("-id").values_list("hash", flat=True).first()
    return last or GENESIS_HASH


def _actor_id(actor: User | AnonymousUser | None) -> int | None:
    if actor is None or not actor.is_authenticated:
        return None
    return int(actor.pk)


def _actor_label(actor: User | AnonymousUser | None) -> str:
    if actor is None:
        return SYSTEM_ACTOR_LABEL
    if not actor.is_authenticated:
        return ANONYMOUS_ACTOR_LABEL
    return str(actor.email)


def _target_id(target: models.Model | None) -> str:
    # A target that has just been deleted has no primary key any more.
    if target is None or target.pk is None:
        return ""
    return str(target.pk)


def _programme_id(programme: Programme | int | None, target: models.Model | None) -> int | None:
    if programme is None and target is not None:
        # A programme's own events (created, changed) belong to that programme, so its
        # audit readers see them.
        if isinstance(target, Programme):
            return int(target.pk)
        inherited = getattr(target, "programme_id", None)
        return int(inherited) if inherited is not None else None
    if programme is None:
        return None
    if isinstance(programme, int):
        return programme
    return int(programme.pk)


def _stored_address(address: str | None) -> str | None:
    # Hash the address as the database will return it (IPv6 is stored compressed).
    if not address:
        return None
    field = AuditEvent._meta.get_field("ip_address")
    return str(field.get_prep_value(address))


def _is_secret(field: Any) -> bool:
    # Blind indexes are keyed hashes of personal data: not secret text, but they let
    # anyone holding the log link records, so they are treated like the values they hash.
    return isinstance(field, EncryptedFieldMixin | BlindIndexField)


def changed_fields(
    before: models.Model, after: models.Model, fields: Iterable[str]
) -> dict[str, Any]:
    """What changed between two states of one record, ready for `audit_record(data=...)`.

    Returns {"changed": {name: {"old": x, "new": y}}} for the named fields whose values
    differ (foreign keys by id). Encrypted fields and blind indexes appear only as
    {name: {"changed": True}}: their values never enter the audit log.
    """
    changes: dict[str, Any] = {}
    for name in fields:
        field = after._meta.get_field(name)
        if not isinstance(field, models.Field):
            raise ValueError(f"{name!r} is a relation, not a field of {after._meta.label}.")
        old = field.value_from_object(before)
        new = field.value_from_object(after)
        if old == new:
            continue
        changes[name] = {"changed": True} if _is_secret(field) else {"old": old, "new": new}
    return {"changed": as_stored_json(changes)}


class PreparedEvent(NamedTuple):
    """A bulk event made ready for the chain by `prepare_bulk_event`: every column but
    the two hashes (the data as its canonical JSON text) and the canonical text of the
    hashed content. Everything but the chain itself, so a bulk load can prepare events in
    several processes; a plain tuple of these values becomes one again with `_make`."""

    occurred_at: datetime.datetime
    actor_id: int | None
    actor_label: str
    action: str
    target_type: str
    target_id: str
    programme_id: int | None
    data_json: str
    reason: str
    request_id: str
    ip_address: str | None
    document: str


def prepare_bulk_event(event: BulkEvent) -> PreparedEvent:
    """Check an event and compute what its hash needs but its predecessor's hash."""
    if event.action not in _KNOWN_ACTIONS:
        raise ValueError(
            f"{event.action!r} is not an audit action; add it to amends.audit.actions."
        )
    if event.occurred_at is None or event.occurred_at.tzinfo is None:
        raise ValueError("Audit times must be set and timezone-aware.")
    # The data's canonical text once; its stored form is that text read back, whose own
    # canonical text is the same, and whose whole floats are integers already.
    data_json = canonical_json(event.data) if event.data else "{}"
    stored = event._replace(data=json.loads(data_json))
    document = canonical_json(event_content(stored), normalised=True)
    return PreparedEvent(
        occurred_at=event.occurred_at,
        actor_id=event.actor_id,
        actor_label=event.actor_label,
        action=event.action,
        target_type=event.target_type,
        target_id=event.target_id,
        programme_id=event.programme_id,
        data_json=data_json,
        reason=event.reason,
        request_id=event.request_id,
        ip_address=event.ip_address,
        document=document,
    )


def audit_append_many(events: Iterable[BulkEvent | PreparedEvent]) -> int:
    """Append many events to the log at once, in the order given; return how many.

    For bulk loads only (the `generate_data` command): the caller gives every hashed
    field, `occurred_at` included, oldest first, and nothing else may write the log
    meanwhile. Each event's `data` is normalised to its stored JSON form
    (`prepare_bulk_event`, which the caller may have run already), then `previous_hash`
    and `hash` are computed in order, continuing from the newest event already in the
    log, exactly as `audit_record` does one at a time, so `verify_chain` checks the
    result like any other part of the chain.

    The model's queryset refuses bulk_create on purpose (a caller could insert rows whose
    hashes nobody computed). This function computes them, then writes the rows with
    `core.bulk` (COPY on PostgreSQL), each value prepared by its model field as Django's
    own INSERT prepares it (the data as its canonical JSON text), under the same chain
    lock as `audit_record`. Keys come from the table's sequence, so key order is chain
    order.
    """
    table = BulkTable(AuditEvent, exclude_pk=True, ready=frozenset({"data"}))
    # Where each column's value is in (*prepared event, hash, previous hash).
    last = {"hash": -2, "previous_hash": -1}
    missing = set(table.attnames) - set(PreparedEvent._fields) - set(last) - {"data"}
    if missing:
        raise ValueError(f"PreparedEvent lacks audit field(s) {sorted(missing)}.")
    index = [
        last.get(name) or PreparedEvent._fields.index("data_json" if name == "data" else name)
        for name in table.attnames
    ]

    def rows(previous: str) -> Iterator[list[Any]]:
        for item in events:
            ready = item if isinstance(item, PreparedEvent) else prepare_bulk_event(item)
            digest = chain_hash(previous, ready.document)
            values = (*ready, digest, previous)
            previous = digest
            yield table.prepare([values[position] for position in index])

    with transaction.atomic():
        _lock_chain()
        return table.write(rows(_last_hash()))
