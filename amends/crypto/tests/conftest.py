"""Keys for the crypto tests: fresh ones, never the development keys under var/."""

from __future__ import annotations

import pytest
from cryptography.fernet import Fernet


def _new_key() -> str:
    return Fernet.generate_key().decode("ascii")


@pytest.fixture
def key_a() -> str:
    return _new_key()


@pytest.fixture
def key_b() -> str:
    return _new_key()
