"""Writing the audit log. `audit_record` is the only code that creates audit events."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction
from django.utils import timezone

from amends.audit.actions import Action
from amends.audit.chain import GENESIS_HASH, as_stored_json, event_hash
from amends.audit.models import AuditEvent
from amends.core import request_context
from amends.crypto.blind_index import BlindIndexField
from amends.crypto.fields import EncryptedFieldMixin
from amends.programmes.models import Programme

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from amends.accounts.models import User

# pg_advisory_xact_lock key that serialises writers of the chain ("amends" in ASCII).
CHAIN_LOCK_KEY = 0x616D656E6473
SYSTEM_ACTOR_LABEL = "system"
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


def audit_append_many(events: Iterable[AuditEvent], *, batch_size: int = 5000) -> int:
    """Append many prepared events to the log at once, in the order given; return how many.

    For bulk loads only (the `generate_data` command): the caller builds the events with
    every hashed field set, `occurred_at` included, oldest first, and nothing else may
    write the log meanwhile. Each event's `data` is normalised to its stored JSON form,
    then `previous_hash` and `hash` are computed in order, continuing from the newest
    event already in the log, exactly as `audit_record` does one at a time, so
    `verify_chain` checks the result like any other part of the chain.

    The model's queryset refuses bulk_create on purpose (a caller could insert rows whose
    hashes nobody computed). This function computes them, then inserts batch by batch
    with `executemany`, each value prepared by its model field as Django's own INSERT
    prepares it, under the same chain lock as `audit_record`.
    """
    known = frozenset(Action.values)
    fields = [field for field in AuditEvent._meta.concrete_fields if not field.primary_key]
    # Text and integer columns go to the driver as they are; times, JSON and addresses
    # are prepared by their fields, as Django's own INSERT prepares them.
    prepared = [
        (field, isinstance(field, models.CharField | models.TextField | models.ForeignKey))
        for field in fields
    ]
    quote = connection.ops.quote_name
    # Names come from the model, quoted; every value is a parameter.
    sql = (
        f"INSERT INTO {quote(AuditEvent._meta.db_table)} "  # noqa: S608
        f"({', '.join(quote(str(field.column)) for field in fields)}) "
        f"VALUES ({', '.join(['%s'] * len(fields))})"
    )
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        _lock_chain()
        previous = _last_hash()
        batch: list[list[Any]] = []
        for event in events:
            if event.action not in known:
                raise ValueError(
                    f"{event.action!r} is not an audit action; add it to amends.audit.actions."
                )
            if event.occurred_at is None or event.occurred_at.tzinfo is None:
                raise ValueError("Audit times must be set and timezone-aware.")
            event.data = as_stored_json(dict(event.data)) if event.data else {}
            event.previous_hash = previous
            event.hash = previous = event_hash(previous, event)
            batch.append(
                [
                    getattr(event, field.attname)
                    if plain
                    else field.get_db_prep_save(getattr(event, field.attname), connection)
                    for field, plain in prepared
                ]
            )
            if len(batch) >= batch_size:
                cursor.executemany(sql, batch)
                written += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            written += len(batch)
    return written
