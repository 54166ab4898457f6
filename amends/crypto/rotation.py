"""Re-encrypting every encrypted column under the first key in ENCRYPTION_KEYS.

Rotation is: put a new key first in ENCRYPTION_KEYS (keeping the old ones after it),
run `manage.py rotate_encryption_keys`, then drop the old keys. This module works on
ciphertext only: it reads raw tokens with SQL, re-encrypts them and writes them back,
never turning them into model instances.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from django.apps import apps
from django.db import connections, router, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.utils import CursorWrapper
from django.db.models import Model

from amends.crypto.fields import EncryptedFieldMixin
from amends.crypto.keys import DecryptionError, is_current, rotate_token

BATCH_SIZE = 1000
# Audit rows are append-only: database triggers refuse UPDATE on them, and audit data
# never holds encrypted values, so rotation must never try to rewrite them.
_NEVER_ROTATED_APPS = frozenset({"audit"})

# A primary key as the database driver returns it (SQLite returns UUIDs as text).
type _RawKey = int | str | uuid.UUID


class _Writer(Protocol):
    def write(self, text: str, /) -> object: ...


class RotationError(Exception):
    """A stored value could not be rotated; names the column and row, never the value."""


@dataclass(frozen=True)
class EncryptedColumn:
    """One encrypted column of one table, with the names raw SQL needs."""

    model: type[Model]
    table: str
    pk_column: str
    column: str

    @property
    def label(self) -> str:
        return f"{self.table}.{self.column}"


def encrypted_columns() -> list[EncryptedColumn]:
    """Every encrypted column of every installed model, each table and column once."""
    columns: dict[str, EncryptedColumn] = {}
    for model in apps.get_models():
        meta = model._meta
        # A proxy shares its concrete model's table; skipping it avoids a second pass.
        if meta.proxy or meta.app_label in _NEVER_ROTATED_APPS or meta.pk.column is None:
            continue
        for field in meta.local_concrete_fields:
            if isinstance(field, EncryptedFieldMixin) and field.column is not None:
                column = EncryptedColumn(
                    model=model, table=meta.db_table, pk_column=meta.pk.column, column=field.column
                )
                columns.setdefault(column.label, column)
    return sorted(columns.values(), key=lambda column: column.label)


# Values encrypted with our keys that live outside our encrypted fields (for example
# allauth's TOTP secrets inside a JSON column), rotated by the app that owns them:
# label → function(dry_run) returning how many values were (or would be) re-encrypted.
type ExtraRotation = Callable[[bool], int]
_EXTRA_ROTATIONS: dict[str, ExtraRotation] = {}


def register_rotation(label: str, rotate: ExtraRotation) -> None:
    """Let an app rotate values it encrypts elsewhere; called from AppConfig.ready()."""
    _EXTRA_ROTATIONS[label] = rotate


def rotate_all(
    stdout: _Writer | None = None, *, dry_run: bool = False, batch_size: int = BATCH_SIZE
) -> dict[str, int]:
    """Re-encrypt every encrypted value not yet under the first key.

    Returns, per "table.column", how many values were re-encrypted (or would be, with
    dry_run). Values already under the first key are left untouched, so a second run
    changes nothing and reports zeros. Raises RotationError when a value cannot be read
    with any configured key.
    """
    counts: dict[str, int] = {}
    for column in encrypted_columns():
        counts[column.label] = rotate_column(column, dry_run=dry_run, batch_size=batch_size)
        if stdout is not None:
            verb = "would be re-encrypted" if dry_run else "re-encrypted"
            stdout.write(f"{column.label}: {counts[column.label]} {verb}\n")
    for label, rotate in sorted(_EXTRA_ROTATIONS.items()):
        counts[label] = rotate(dry_run)
        if stdout is not None:
            verb = "would be re-encrypted" if dry_run else "re-encrypted"
            stdout.write(f"{label}: {counts[label]} {verb}\n")
    return counts


def rotate_column(column: EncryptedColumn, *, dry_run: bool, batch_size: int) -> int:
    """Re-encrypt one column in batches of `batch_size` rows, one transaction per batch."""
    connection = connections[router.db_for_write(column.model)]
    rotated = 0
    last_pk: _RawKey | None = None
    while True:
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            rows = _fetch_batch(cursor, connection, column, after=last_pk, limit=batch_size)
            for pk, token in rows:
                rotated += _rotate_row(cursor, connection, column, pk, token, dry_run=dry_run)
        if len(rows) < batch_size:
            return rotated
        last_pk = rows[-1][0]


def _fetch_batch(
    cursor: CursorWrapper,
    connection: BaseDatabaseWrapper,
    column: EncryptedColumn,
    *,
    after: _RawKey | None,
    limit: int,
) -> list[tuple[_RawKey, str]]:
    table, pk, value = _quoted_names(connection, column)
    after_clause = "" if after is None else f"AND {pk} > %s "
    # Identifiers come from model metadata and are quoted by the backend; values are
    # parameters. Raw SQL keeps the ciphertext away from the field's decryption.
    sql = (
        f"SELECT {pk}, {value} FROM {table} "  # noqa: S608
        f"WHERE {value} IS NOT NULL AND {value} <> '' {after_clause}"
        f"ORDER BY {pk} LIMIT %s"
    )
    parameters: list[_RawKey] = [limit] if after is None else [after, limit]
    cursor.execute(sql, parameters)
    return [(row[0], row[1]) for row in cursor.fetchall()]


def _rotate_row(
    cursor: CursorWrapper,
    connection: BaseDatabaseWrapper,
    column: EncryptedColumn,
    pk: _RawKey,
    token: str,
    *,
    dry_run: bool,
) -> int:
    if is_current(token):
        return 0
    try:
        new_token = rotate_token(token)
    except DecryptionError:
        raise RotationError(
            f"{column.label}, row {pk}: no key in ENCRYPTION_KEYS can read the stored value. "
            "Nothing in this batch was changed; restore the missing key and run again."
        ) from None
    if dry_run:
        return 1
    table, pk_column, value = _quoted_names(connection, column)
    # Comparing with the token just read turns the write into a compare-and-swap: a value
    # saved meanwhile by the application is already under the new key and is left alone.
    cursor.execute(
        f"UPDATE {table} SET {value} = %s WHERE {pk_column} = %s AND {value} = %s",  # noqa: S608
        [new_token, pk, token],
    )
    return max(int(cursor.rowcount), 0)


def _quoted_names(connection: BaseDatabaseWrapper, column: EncryptedColumn) -> tuple[str, str, str]:
    quote = connection.ops.quote_name
    return quote(column.table), quote(column.pk_column), quote(column.column)
