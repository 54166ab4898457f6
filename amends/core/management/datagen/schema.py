"""Indexes and foreign keys built after a bulk load, as `pg_restore` builds them.

Keeping a dozen indexes and a foreign-key check per row up to date while tens of
millions of rows arrive costs more than building each index once, sorted, at the end,
and checking each foreign key with one join. `deferred_indexes()` drops every secondary
index (and, on PostgreSQL, every foreign-key constraint) and puts each back, exactly as
it was defined, when the load ends, whether it ended well or not. Primary keys and
unique constraints stay: they guard the load itself.

The same load with the indexes kept gives the same rows; only the time differs.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.db import connection


class ForeignKeyError(Exception):
    """Generated rows point at rows that do not exist (a generator bug)."""


@dataclass
class Deferred:
    # (name, CREATE INDEX statement)
    indexes: list[tuple[str, str]] = field(default_factory=list)
    # (table, constraint name, definition)
    foreign_keys: list[tuple[str, str, str]] = field(default_factory=list)
    foreign_keys_off: bool = False


def _postgresql_objects() -> Deferred:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
            FROM pg_index i
            JOIN pg_class t ON t.oid = i.indrelid
            WHERE t.relnamespace = current_schema()::regnamespace
              AND t.relkind = 'r'
              AND NOT EXISTS (
                  SELECT 1 FROM pg_constraint c
                  WHERE c.conindid = i.indexrelid AND c.contype IN ('p', 'u', 'x')
              )
            ORDER BY 1
            """
        )
        indexes = [(str(name), str(sql)) for name, sql in cursor.fetchall()]
        cursor.execute(
            """
            SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid)
            FROM pg_constraint
            WHERE contype = 'f' AND connamespace = current_schema()::regnamespace
            ORDER BY 1, 2
            """
        )
        keys = [(str(table), str(name), str(sql)) for table, name, sql in cursor.fetchall()]
    return Deferred(indexes=indexes, foreign_keys=keys)


def _sqlite_objects() -> Deferred:
    with connection.cursor() as cursor:
        # Indexes SQLite made itself for UNIQUE constraints have no SQL and stay.
        cursor.execute(
            "SELECT name, sql FROM sqlite_master "
            "WHERE type = 'index' AND sql IS NOT NULL ORDER BY name"
        )
        indexes = [(str(name), str(sql)) for name, sql in cursor.fetchall()]
    return Deferred(indexes=indexes)


def _drop(deferred: Deferred) -> None:
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        if deferred.foreign_keys and connection.in_atomic_block:
            # Inside a transaction (a test's), rows written earlier still have deferred
            # checks pending, and PostgreSQL will not alter a table that has: run them now.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table, name, _sql in deferred.foreign_keys:
            # Names were read from the catalogue; quoted.
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quote(name)}")
        for name, _sql in deferred.indexes:
            cursor.execute(f"DROP INDEX {name if '.' in name else quote(name)}")
        if connection.vendor == "sqlite" and not connection.in_atomic_block:
            # Outside a transaction only (SQLite ignores it inside one); checked at the end.
            cursor.execute("PRAGMA foreign_keys = OFF")
            deferred.foreign_keys_off = True


def _restore(deferred: Deferred) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Index builds sort in memory rather than on disk (this session only).
            cursor.execute("SET maintenance_work_mem = '1GB'")
        for _name, sql in deferred.indexes:
            cursor.execute(sql)
        for table, name, sql in deferred.foreign_keys:
            # Adding the constraint checks every existing row with one join.
            cursor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {sql}"
            )
        if deferred.foreign_keys_off:
            cursor.execute("PRAGMA foreign_keys = ON")
            cursor.execute("PRAGMA foreign_key_check")
            broken = cursor.fetchmany(5)
            if broken:
                raise ForeignKeyError(f"Rows point at rows that do not exist: {broken}")


@contextmanager
def deferred_indexes() -> Iterator[None]:
    """Drop secondary indexes and foreign keys for the body; build them again after."""
    deferred = _postgresql_objects() if connection.vendor == "postgresql" else _sqlite_objects()
    _drop(deferred)
    try:
        yield
    finally:
        _restore(deferred)
