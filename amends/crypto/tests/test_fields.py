from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import connection, models
from django.db.migrations.writer import MigrationWriter
from django.test import override_settings
from django.test.utils import isolate_apps

from amends.crypto.fields import EncryptedDateField, EncryptedFieldMixin, EncryptedTextField
from amends.crypto.keys import DecryptionError, decrypt_str, encrypt_str


def _stored(field: models.Field[Any, Any], value: object) -> Any:
    return field.get_db_prep_save(value, connection)


def test_text_is_encrypted_on_the_way_to_the_database():
    stored = _stored(EncryptedTextField(), "Ada Lovelace")

    assert isinstance(stored, str)
    assert "Ada" not in stored
    assert decrypt_str(stored) == "Ada Lovelace"


def test_text_is_decrypted_on_the_way_out():
    field = EncryptedTextField()

    assert field.from_db_value(encrypt_str("Ada"), None, connection) == "Ada"


@pytest.mark.parametrize("value", ["", None])
def test_empty_text_and_none_are_stored_as_they_are(value):
    field = EncryptedTextField(null=True)

    assert _stored(field, value) == value
    assert field.from_db_value(value, None, connection) == value


def test_a_date_is_stored_as_an_encrypted_iso_date():
    stored = _stored(EncryptedDateField(null=True), datetime.date(1990, 2, 3))

    assert isinstance(stored, str)
    assert "1990" not in stored
    assert decrypt_str(stored) == "1990-02-03"


def test_a_stored_date_comes_back_as_a_date():
    field = EncryptedDateField(null=True)

    assert field.from_db_value(encrypt_str("1990-02-03"), None, connection) == datetime.date(
        1990, 2, 3
    )


def test_a_missing_date_is_stored_as_null():
    field = EncryptedDateField(null=True)

    assert _stored(field, None) is None
    assert field.from_db_value(None, None, connection) is None


def test_a_date_given_as_iso_text_is_accepted():
    assert decrypt_str(_stored(EncryptedDateField(), "1990-02-03")) == "1990-02-03"


@pytest.mark.parametrize(
    "value",
    ["3 February 1990", "1990-02-30", datetime.datetime(1990, 2, 3, 12, 0, tzinfo=datetime.UTC)],
)
def test_a_value_that_is_not_a_date_is_refused(value):
    with pytest.raises(ValidationError):
        EncryptedDateField().to_python(value)


def test_a_date_field_uses_a_text_column():
    assert EncryptedDateField().db_type(connection) == models.TextField().db_type(connection)


@pytest.mark.parametrize("field_class", [EncryptedTextField, EncryptedDateField])
def test_a_value_written_under_another_key_raises_decryption_error(key_a, key_b, field_class):
    field = field_class()
    with override_settings(ENCRYPTION_KEYS=[key_a]):
        stored = _stored(field, "1990-02-03")

    with override_settings(ENCRYPTION_KEYS=[key_b]), pytest.raises(DecryptionError):
        field.from_db_value(stored, None, connection)


@pytest.mark.parametrize("option", ["unique", "db_index", "primary_key"])
@pytest.mark.parametrize("field_class", [EncryptedTextField, EncryptedDateField])
def test_an_encrypted_field_cannot_be_unique_or_indexed(field_class, option):
    with pytest.raises(ImproperlyConfigured, match="BlindIndexField"):
        field_class(**{option: True})


def test_encrypted_fields_are_recognisable_by_their_mixin():
    assert isinstance(EncryptedTextField(), EncryptedFieldMixin)
    assert isinstance(EncryptedDateField(), EncryptedFieldMixin)
    assert not isinstance(models.TextField(), EncryptedFieldMixin)


@pytest.mark.parametrize("field_class", [EncryptedTextField, EncryptedDateField])
def test_encrypted_fields_deconstruct_for_migrations(field_class):
    field = field_class("label", null=True, blank=True)
    field.set_attributes_from_name("secret")

    name, path, args, kwargs = field.deconstruct()
    rebuilt = field_class(*args, **kwargs)

    assert path == f"amends.crypto.fields.{field_class.__name__}"
    assert (rebuilt.null, rebuilt.blank, rebuilt.verbose_name) == (True, True, "label")
    serialised, imports = MigrationWriter.serialize(field)
    assert serialised.startswith(f"amends.crypto.fields.{field_class.__name__}(")
    assert "import amends.crypto.fields" in imports


@isolate_apps("amends.crypto")
def test_lookups_other_than_isnull_are_refused_with_a_pointer_to_blind_indexes():
    class Secretive(models.Model):  # noqa: DJ008 (a throwaway model, never shown)
        name = EncryptedTextField(blank=True)
        born = EncryptedDateField(null=True)

        class Meta:
            app_label = "crypto"

    refused: list[dict[str, Any]] = [
        {"name": "Ada"},
        {"name__iexact": "ada"},
        {"name__icontains": "a"},
        {"name__in": ["Ada"]},
        {"name__startswith": "A"},
        {"name__lower": "ada"},
        {"born__year": 1990},
        {"born__gt": datetime.date(1990, 1, 1)},
    ]
    for lookup in refused:
        with pytest.raises(FieldError, match="blind index"):
            Secretive._default_manager.filter(**lookup)
    # isnull is the one question the database can answer about ciphertext.
    assert "IS NULL" in str(Secretive._default_manager.filter(born__isnull=True).query)


@isolate_apps("amends.crypto")
def test_a_model_index_over_an_encrypted_field_fails_the_system_checks():
    class Indexed(models.Model):  # noqa: DJ008 (a throwaway model, never shown)
        name = EncryptedTextField()

        class Meta:
            app_label = "crypto"
            indexes = [models.Index(fields=["name"], name="crypto_indexed_name")]

    errors = Indexed._meta.get_field("name").check()

    assert [error.id for error in errors] == ["crypto.E010"]
