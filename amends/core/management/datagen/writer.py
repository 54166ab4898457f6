"""Rows of generated data, queued per model and written in bulk by `core.bulk`, which
stores every value exactly as the app's own writes store it (each field's
`get_db_prep_save`: Fernet encryption, JSON, dates); blind indexes are computed by the
generator with the app's helpers.

Primary keys are given explicitly so rows can refer to each other (and the audit log to
them) before they are written. Timestamps are whatever the generator computed: nothing
here calls `pre_save`, so `auto_now_add`/`auto_now` cannot replace ten years of history
with the moment of the load.

Cases are made in chunks, possibly by several processes at once (`run.py`). A chunk's
writer hands out keys that no other chunk can: the k-th row of a model in chunk c of n
gets `base + k * n + c + 1`, where `base` is the model's largest key before the cases
phase. Its rows are prepared where they are made (the costly part: encryption and
serialisation) and written by the one process that holds the database connection.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable
from enum import Enum
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models

from amends.core.bulk import BulkTable

# (model label, rows prepared for the database, in column order)
Prepared = list[tuple[str, list[list[Any]]]]


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


class _Table(BulkTable):
    """A model's bulk table, plus each column's default for rows that leave it out."""

    def __init__(self, model: type[models.Model]) -> None:
        super().__init__(model)
        self.pk_name = model._meta.pk.attname if model._meta.pk is not None else "id"
        self.defaults: dict[str, Callable[[], Any]] = {
            field.attname: field.get_default
            for field in self.fields
            if field.has_default() or field.null or field.blank
        }
        self.known = frozenset(self.attnames) | {field.name for field in self.fields}

    def values(self, row: Row) -> list[Any]:
        out = []
        for attname in self.attnames:
            if attname in row:
                value = row[attname]
                # Choices members (CaseStage.CLOSED) as the plain text they are: the rows
                # cross to the writing process pickled, and an enum unpickles slowly.
                out.append(value.value if isinstance(value, Enum) else value)
            elif attname in self.defaults:
                out.append(self.defaults[attname]())
            else:
                raise ValueError(f"{self.model._meta.label}.{attname} has no value and no default.")
        return self.prepare(out)


def largest_keys() -> dict[str, int]:
    """Every model's largest integer key now (0 for an empty table): the bases of the
    chunks' keys."""
    bases = {}
    for model in apps.get_models():
        pk = model._meta.pk
        if model._meta.proxy or not model._meta.managed or pk is None:
            continue
        if not isinstance(pk, models.AutoField | models.BigAutoField | models.IntegerField):
            continue
        last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
        bases[model._meta.label] = int(last or 0)
    return bases


class Writer:
    """Collects rows per model. `flush()` writes them; `take()` hands them over prepared,
    for the writing process to `write_prepared()`."""

    def __init__(
        self, *, chunk: int = 0, chunks: int = 1, bases: dict[str, int] | None = None
    ) -> None:
        self.counts: Counter[str] = Counter()
        self.seconds: defaultdict[str, float] = defaultdict(float)
        self.written: set[str] = set()
        self._chunk, self._chunks, self._bases = chunk, chunks, bases
        self._tables: dict[type[models.Model], _Table] = {}
        self._next: dict[type[models.Model], tuple[int, int]] = {}
        self._pending: dict[type[models.Model], list[Row]] = {}

    def _table(self, model: type[models.Model]) -> _Table:
        if model not in self._tables:
            self._tables[model] = _Table(model)
        return self._tables[model]

    def next_id(self, model: type[models.Model]) -> int:
        if model not in self._next:
            if self._bases is not None:
                base = self._bases[model._meta.label]
            else:
                last = model._base_manager.order_by("-pk").values_list("pk", flat=True).first()
                base = int(last or 0)
            self._next[model] = (base, 0)
        base, made = self._next[model]
        self._next[model] = (base, made + 1)
        return base + made * self._chunks + self._chunk + 1

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

    def take(self) -> Prepared:
        """The queued rows, prepared for the database, model by model; the queue empties."""
        prepared = [
            (model._meta.label, [self._table(model).values(row) for row in rows])
            for model, rows in self._pending.items()
            if rows
        ]
        self._pending = {}
        return prepared

    def write_prepared(self, prepared: Prepared) -> None:
        for label, rows in prepared:
            model = apps.get_model(label)
            started = time.perf_counter()
            self._table(model).write(rows)
            self.seconds[label] += time.perf_counter() - started
            self.counts[label] += len(rows)
            self.written.add(label)

    def flush(self) -> None:
        self.write_prepared(self.take())

    def reset_sequences(self) -> None:
        """PostgreSQL sequences catch up with the explicit keys (SQLite needs nothing)."""
        written = [apps.get_model(label) for label in sorted(self.written)]
        statements = connection.ops.sequence_reset_sql(no_style(), written)
        if statements:
            with connection.cursor() as cursor:
                for statement in statements:
                    cursor.execute(statement)
