"""Bulk inserts that store values exactly as the app's own writes store them.

Every value goes through its model field's `get_db_prep_save` (the code Django's own
INSERT runs), so encrypted fields are Fernet-encrypted under the configured key by
`EncryptedFieldMixin`, JSON is serialised by JSONField, and so on; blind indexes are
computed by the generator with the app's helpers. Only Django's per-row model machinery
is skipped: rows are plain dictionaries and go to the database with `executemany`,
which is several times faster at millions of rows.

Primary keys are given explicitly so rows can refer to each other (and the audit log to
them) before they are written. Timestamps are whatever the generator computed: nothing
here calls `pre_save`, so `auto_now_add`/`auto_now` cannot replace ten years of history
with the moment of the load.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models

from amends.crypto.fields import EncryptedFieldMixin

BATCH_SIZE = 2000


class Row(dict[str, Any]):
    """A row to insert; attributes read and write its columns (`row.pk`, `row.name`)."""

    pk_name = "id"

    def __getattr__(self, name: str) -> Any:
        if name == "pk":
            return self[self.pk_name]
        try:
            return self[name]
        except KeyError:
            raise AttributeError(name) from None

    def __setattr__(self, name: str, value: Any) -> None:
        self[name] = value


class _Table:
    """How to insert one model: its columns and, per column, the field's own preparation."""

    def __init__(self, model: type[models.Model]) -> None:
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        quote = connection.ops.quote_name
        columns = ", ".join(quote(str(field.column)) for field in self.fields)
        placeholders = ", ".join(["%s"] * len(self.fields))
        # Table and column names come from the model, quoted; values are parameters.
        table = quote(model._meta.db_table)
        self.sql = f"INSERT INTO {table} ({columns}) VALUES ({placeholders})"  # noqa: S608
        self.pk_name = model._meta.pk.attname if model._meta.pk is not None else "id"
        self.attnames = [field.attname for field in self.fields]
        self.defaults: dict[str, Callable[[], Any]] = {
            field.attname: field.get_default
            for field in self.fields
            if field.has_default() or field.null or field.blank
        }
        self.known = frozenset(self.attnames) | {field.name for field in self.fields}
        # Columns whose Python value is already what the driver takes (integers, plain
        # text, booleans, keys) skip the preparation call; everything else (encrypted
        # text, dates, times, JSON, decimals) goes through the field.
        self.passthrough = [_is_passthrough(field) for field in self.fields]

    def params(self, row: Row) -> list[Any]:
        values = []
        for field, attname, passthrough in zip(
            self.fields, self.attnames, self.passthrough, strict=True
        ):
            if attname in row:
                value = row[attname]
            elif attname in self.defaults:
                value = self.defaults[attname]()
            else:
                raise ValueError(f"{self.model._meta.label}.{attname} has no value and no default.")
            values.append(value if passthrough else field.get_db_prep_save(value, connection))
        return values


def _is_passthrough(field: Any) -> bool:
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


class Writer:
    """Collects rows per model and writes them on `flush()`, in the order models were
    first used (foreign keys are deferred to commit, so the order is not load-bearing)."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self._tables: dict[type[models.Model], _Table] = {}
        self._next: dict[type[models.Model], int] = {}
        self._pending: dict[type[models.Model], list[Row]] = {}

    def _table(self, model: type[models.Model]) -> _Table:
        if model not in self._tables:
            self._tables[model] = _Table(model)
        return self._tables[model]

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self._next:
            last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
            self._next[model] = int(last or 0) + 1
        value = self._next[model]
        self._next[model] = value + 1
        return value

    def new(self, model: type[models.Model], **values: Any) -> Row:
        """Queue a row of `model` (values by attribute name, e.g. `programme_id`)."""
        table = self._table(model)
        unknown = set(values) - table.known
        if unknown:
            raise ValueError(f"{model._meta.label} has no field(s) {sorted(unknown)}.")
        row = Row(values)
        object.__setattr__(row, "pk_name", table.pk_name)
        if row.get(table.pk_name) is None:
            row[table.pk_name] = self.next_id(model)
        self._pending.setdefault(model, []).append(row)
        return row

    def flush(self) -> None:
        with connection.cursor() as cursor:
            for model, rows in self._pending.items():
                if not rows:
                    continue
                started = time.perf_counter()
                table = self._table(model)
                for offset in range(0, len(rows), BATCH_SIZE):
                    batch = rows[offset : offset + BATCH_SIZE]
                    cursor.executemany(table.sql, [table.params(row) for row in batch])
                self.seconds[model._meta.label] += time.perf_counter() - started
                self.counts[model._meta.label] += len(rows)
        self._pending = {model: [] for model in self._pending}

    def reset_sequences(self) -> None:
        """PostgreSQL sequences catch up with the explicit keys (SQLite needs nothing)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._tables))
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
