from __future__ import annotations

from django.core.checks import CheckMessage, Tags, run_checks
from django.test import override_settings

from amends.crypto.checks import check_blind_index_key, check_encryption_keys


def _ids(messages: list[CheckMessage]) -> list[str | None]:
    return [message.id for message in messages]


def test_valid_keys_pass_the_checks(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a, key_b], BLIND_INDEX_KEY="k" * 32):
        assert check_encryption_keys() == []
        assert check_blind_index_key() == []


def test_an_invalid_encryption_key_is_flagged_by_position_without_showing_it(key_a):
    with override_settings(ENCRYPTION_KEYS=[key_a, "not-a-fernet-key"]):
        errors = check_encryption_keys()

    assert _ids(errors) == ["crypto.E002"]
    assert "number 2" in errors[0].msg
    assert "not-a-fernet-key" not in errors[0].msg


def test_no_encryption_keys_is_flagged():
    with override_settings(ENCRYPTION_KEYS=[]):
        assert _ids(check_encryption_keys()) == ["crypto.E001"]


def test_a_single_key_given_as_text_instead_of_a_list_is_flagged(key_a):
    with override_settings(ENCRYPTION_KEYS=key_a):
        assert _ids(check_encryption_keys()) == ["crypto.E001"]


def test_a_short_blind_index_key_is_flagged():
    with override_settings(BLIND_INDEX_KEY="k" * 31):
        assert _ids(check_blind_index_key()) == ["crypto.E003"]


def test_the_checks_run_with_the_security_checks():
    with override_settings(ENCRYPTION_KEYS=["bad"], BLIND_INDEX_KEY="short"):
        ids = _ids(run_checks(tags=[Tags.security]))

    assert "crypto.E002" in ids
    assert "crypto.E003" in ids
