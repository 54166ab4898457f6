"""Bulk inserts that store values exactly as Django's own INSERT stores them.

For loads of millions of rows (the `generate_data` command and the audit log's bulk
append): every value goes through its model field's `get_db_prep_save`, the code
Django's INSERT runs, so encrypted fields are Fernet-encrypted by `EncryptedFieldMixin`,
JSON is serialised by JSONField, and so on. Only the per-row model machinery is skipped:
rows are plain sequences of prepared values.

PostgreSQL takes the rows with `COPY ... FROM STDIN`, several times faster than
INSERT; other databases take them with `executemany`.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections, models
from psycopg.types.json import Jsonb

from amends.crypto.fields import EncryptedFieldMixin

EXECUTEMANY_BATCH = 2000


def _is_passthrough(field: models.Field[Any, Any]) -> bool:
    """Whether the Python value is already what the driver takes (integers, plain text,
    booleans, integer keys): those skip the preparation call. Encrypted text, dates,
    times, JSON, decimals and addresses go through their field."""
    if isinstance(
        field,
        EncryptedFieldMixin | models.FileField | models.GenericIPAddressField | models.JSONField,
    ):
        return False
    if isinstance(field, models.ForeignKey):
        return isinstance(field.target_field, models.IntegerField)
    return isinstance(
        field, models.CharField | models.TextField | models.IntegerField | models.BooleanField
    )


_PREPARE, _PASS, _PASS_IF_AWARE = 0, 1, 2


def _handling(field: models.Field[Any, Any], vendor: str) -> int:
    if _is_passthrough(field):
        return _PASS
    if vendor == "postgresql" and isinstance(field, models.DateField):
        # PostgreSQL's `adapt_datefield_value` and `adapt_datetimefield_value` return the
        # value as it is: a date, or an aware datetime, needs no preparation. A naive
        # datetime still goes through the field (which warns about it).
        return _PASS_IF_AWARE if isinstance(field, models.DateTimeField) else _PASS
    return _PREPARE


class BulkTable:
    """How to write one model's rows: its columns and, per column, the field's own
    preparation. `ready` names columns whose values the caller gives already prepared."""

    def __init__(
        self,
        model: type[models.Model],
        *,
        exclude_pk: bool = False,
        ready: frozenset[str] = frozenset(),
    ) -> None:
        self.model = model
        # The connection itself, not the `connection` proxy: a row has a dozen values
        # and the proxy costs a thread-local lookup for each.
        self.connection = connections[DEFAULT_DB_ALIAS]
        self.fields = [
            field for field in model._meta.concrete_fields if not (exclude_pk and field.primary_key)
        ]
        self.attnames = [field.attname for field in self.fields]
        vendor = self.connection.vendor
        self.handling = [
            _PASS if field.attname in ready else _handling(field, vendor) for field in self.fields
        ]
        quote = self.connection.ops.quote_name
        self.table = quote(model._meta.db_table)
        self.columns = ", ".join(quote(str(field.column)) for field in self.fields)

    def prepare(self, values: Sequence[Any]) -> list[Any]:
        """One row's values, in column order, as the database takes them."""
        out = []
        for field, handling, value in zip(self.fields, self.handling, values, strict=True):
            if value is None or handling == _PASS:
                out.append(value)
                continue
            if handling == _PASS_IF_AWARE and value.tzinfo is not None:
                out.append(value)
                continue
            prepared = field.get_db_prep_save(value, self.connection)
            if isinstance(prepared, Jsonb):
                # COPY takes JSON as its text; the wrapper's own serialiser (the field's
                # encoder) writes it, as it would for an INSERT.
                prepared = (prepared.dumps or json.dumps)(prepared.obj)
            out.append(prepared)
        return out

    def write(self, rows: Iterable[Sequence[Any]]) -> int:
        """Insert prepared rows; returns how many."""
        written = 0
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                # Table and column names come from the model, quoted.
                sql = f"COPY {self.table} ({self.columns}) FROM STDIN"
                with cursor.cursor.copy(sql) as copy:
                    for row in rows:
                        copy.write_row(row)
                        written += 1
                return written
            placeholders = ", ".join(["%s"] * len(self.fields))
            sql = f"INSERT INTO {self.table} ({self.columns}) VALUES ({placeholders})"  # noqa: S608
            batch: list[Sequence[Any]] = []
            for row in rows:
                batch.append(row)
                if len(batch) >= EXECUTEMANY_BATCH:
                    cursor.executemany(sql, batch)
                    written += len(batch)
                    batch = []
            if batch:
                cursor.executemany(sql, batch)
                written += len(batch)
        return written
