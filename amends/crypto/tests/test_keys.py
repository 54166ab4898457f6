from __future__ import annotations

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.test import override_settings

from amends.crypto.keys import (
    DecryptionError,
    decrypt_str,
    encrypt_str,
    get_multifernet,
    is_current,
    rotate_token,
)


def test_encrypted_text_decrypts_to_the_original_and_does_not_contain_it():
    token = encrypt_str("Ada Lovelace")

    assert "Ada" not in token
    assert decrypt_str(token) == "Ada Lovelace"


def test_the_same_text_encrypts_differently_each_time():
    assert encrypt_str("Ada") != encrypt_str("Ada")


def test_non_ascii_text_round_trips():
    assert decrypt_str(encrypt_str("Zoë Ó Súilleabháin 🌱")) == "Zoë Ó Súilleabháin 🌱"


def test_decrypting_under_another_key_raises_decryption_error_not_ciphertext(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        token = encrypt_str("Ada")

    with override_settings(ENCRYPTION_KEYS=[key_b]), pytest.raises(DecryptionError) as raised:
        decrypt_str(token)

    assert token not in str(raised.value)


@pytest.mark.parametrize("token", ["", "not a token", "gAAAAA", "é-not-ascii"])
def test_decrypting_something_that_is_not_a_token_raises_decryption_error(token):
    with pytest.raises(DecryptionError):
        decrypt_str(token)


def test_an_old_key_listed_after_the_new_one_still_decrypts(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        token = encrypt_str("Ada")

    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        assert decrypt_str(token) == "Ada"


def test_only_the_first_key_encrypts(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        token = encrypt_str("Ada")

    with override_settings(ENCRYPTION_KEYS=[key_b]):
        assert decrypt_str(token) == "Ada"


def test_a_rotated_token_is_readable_with_the_new_key_alone(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        old_token = encrypt_str("Ada")
    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        new_token = rotate_token(old_token)

    with override_settings(ENCRYPTION_KEYS=[key_b]):
        assert decrypt_str(new_token) == "Ada"
        with pytest.raises(DecryptionError):
            decrypt_str(old_token)


def test_rotating_a_token_no_key_can_read_raises_decryption_error(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        token = encrypt_str("Ada")

    with override_settings(ENCRYPTION_KEYS=[key_b]), pytest.raises(DecryptionError):
        rotate_token(token)


def test_a_token_is_current_only_when_the_first_key_wrote_it(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        token = encrypt_str("Ada")

    with override_settings(ENCRYPTION_KEYS=[key_a, key_b]):
        assert is_current(token)
    with override_settings(ENCRYPTION_KEYS=[key_b, key_a]):
        assert not is_current(token)


def test_the_key_set_is_rebuilt_when_the_setting_changes(key_a, key_b):
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        first = get_multifernet()
        assert get_multifernet() is first
    with override_settings(ENCRYPTION_KEYS=[key_b]):
        assert get_multifernet() is not first


def test_no_keys_at_all_is_a_configuration_error():
    with override_settings(ENCRYPTION_KEYS=[]), pytest.raises(ImproperlyConfigured):
        encrypt_str("Ada")
