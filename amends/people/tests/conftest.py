"""Fixtures for the people tests: someone to act, fresh keys, and raw-SQL access."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet
from django.db import connection

from amends.accounts.models import User


@pytest.fixture
def actor(db) -> User:
    return User.objects.create_user(email="casey@example.org", full_name="Casey Caseworker")


@pytest.fixture
def key_a() -> str:
    return Fernet.generate_key().decode("ascii")


@pytest.fixture
def key_b() -> str:
    return Fernet.generate_key().decode("ascii")


def raw_row(table: str, pk: int, *columns: str) -> tuple[object, ...]:
    """One row as the database stores it, bypassing the fields' decryption."""
    quote = connection.ops.quote_name
    selected = ", ".join(quote(column) for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {selected} FROM {quote(table)} WHERE id = %s", [pk])
        row = cursor.fetchone()
    assert row is not None
    return tuple(row)
