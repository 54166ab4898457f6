"""Model fields whose values are encrypted at rest (DESIGN §4).

The database holds a Fernet token; Python code sees the plain value. Two values are
stored as they are because they carry no personal data and keep "is it filled in?"
answerable in SQL: the empty string ('' stays '') and None (NULL, when null=True).

The database cannot compare ciphertexts (every encryption of the same text differs), so
these fields refuse every lookup except `isnull`. Exact-match search goes through a
`BlindIndexField` next to the encrypted one (see `amends.crypto.blind_index`).
"""

from __future__ import annotations

import datetime
from typing import TYPE_CHECKING, Any

from django import forms
from django.core import checks
from django.core.exceptions import FieldError, ImproperlyConfigured, ValidationError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Combinable
from django.db.models.lookups import IsNull, Lookup, Transform
from django.utils.dateparse import parse_date
from django.utils.translation import gettext_lazy as _

from amends.crypto.keys import decrypt_str, encrypt_str

if TYPE_CHECKING:
    _FieldBase = models.Field[Any, Any]
    _TextFieldBase = models.TextField[str | Combinable, str]
else:
    _FieldBase = models.Field
    _TextFieldBase = models.TextField

_INDEX_REFUSED = (
    "{field} is encrypted: the database cannot index or compare its values. "
    "Search it through a BlindIndexField (amends.crypto.blind_index) instead."
)


class EncryptedFieldMixin(_FieldBase):
    """What every encrypted field shares; key rotation and audit find them by isinstance.

    A Python value becomes text (`plaintext_from_python`) and back
    (`python_from_plaintext`); this mixin encrypts that text on the way in and decrypts it
    on the way out. The text conversion is the default; other types override both.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        for option in ("unique", "db_index", "primary_key"):
            if kwargs.get(option):
                raise ImproperlyConfigured(
                    f"An encrypted field cannot be declared with {option}=True: "
                    "its ciphertext differs on every save. Put the option on a "
                    "BlindIndexField (amends.crypto.blind_index) instead."
                )
        super().__init__(*args, **kwargs)

    def plaintext_from_python(self, value: Any) -> str | None:
        """The text to encrypt for a Python value; None or '' are stored unencrypted."""
        return None if value is None else str(value)

    def python_from_plaintext(self, text: str) -> Any:
        """The Python value for decrypted text."""
        return text

    def get_db_prep_value(
        self, value: Any, connection: BaseDatabaseWrapper, prepared: bool = False
    ) -> Any:
        if not prepared:
            value = self.get_prep_value(value)
        text = self.plaintext_from_python(value)
        if text is None or text == "":
            return text
        return encrypt_str(text)

    def from_db_value(self, value: str | None, expression: Any, connection: Any) -> Any:
        if value is None:
            return None
        if value == "":
            return self.python_from_plaintext("")
        return self.python_from_plaintext(decrypt_str(value))

    def get_lookup(self, lookup_name: str) -> type[Lookup] | None:
        if lookup_name == "isnull":
            return IsNull
        raise FieldError(self._refusal(f"the lookup {lookup_name!r}"))

    def get_transform(self, lookup_name: str) -> type[Transform] | None:
        raise FieldError(self._refusal(f"the transform {lookup_name!r}"))

    def _refusal(self, what: str) -> str:
        return (
            f"{self._label()} is encrypted, so {what} cannot work on it: the database only "
            "sees ciphertext. Search through its blind index (amends.crypto.blind_index) "
            "instead; only 'isnull' is allowed."
        )

    def _label(self) -> str:
        model = getattr(self, "model", None)
        return f"{model._meta.label}.{self.name}" if model is not None else repr(self.name)

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_not_in_an_index()]

    def _check_not_in_an_index(self) -> list[checks.CheckMessage]:
        meta = self.model._meta
        field_groups: list[tuple[str, ...]] = [tuple(index.fields) for index in meta.indexes]
        field_groups += [
            tuple(getattr(constraint, "fields", ())) for constraint in meta.constraints
        ]
        field_groups += [tuple(group) for group in meta.unique_together]
        if any(self.name in {name.lstrip("-") for name in group} for group in field_groups):
            return [
                checks.Error(
                    _INDEX_REFUSED.format(field=self._label()),
                    obj=self,
                    id="crypto.E010",
                )
            ]
        return []


class EncryptedTextField(EncryptedFieldMixin, _TextFieldBase):
    """Text encrypted at rest. Python value: str ('' when blank, None only if null=True)."""


class EncryptedDateField(EncryptedFieldMixin, _FieldBase):
    """A date encrypted at rest as its ISO text in a text column. Python value: date.

    Declare it null=True when the date may be unknown: there is no "empty date".
    """

    _pyi_private_set_type: datetime.date | str | Combinable | None
    _pyi_private_get_type: datetime.date

    empty_strings_allowed = False
    default_error_messages = {
        "invalid": _("“%(value)s” is not a date in the form YYYY-MM-DD."),
    }

    def get_internal_type(self) -> str:
        # Stored as text: the column holds a token, not a date the database could read.
        return "TextField"

    def to_python(self, value: Any) -> datetime.date | None:
        if value is None or value == "":
            return None
        if isinstance(value, datetime.datetime):
            # A moment is not a birth date; refusing it avoids a silent timezone shift.
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        if isinstance(value, datetime.date):
            return value
        try:
            parsed = parse_date(str(value))
        except ValueError:
            parsed = None
        if parsed is None:
            raise ValidationError(
                self.error_messages["invalid"], code="invalid", params={"value": value}
            )
        return parsed

    def get_prep_value(self, value: Any) -> datetime.date | None:
        return self.to_python(super().get_prep_value(value))

    def plaintext_from_python(self, value: Any) -> str | None:
        date = self.to_python(value)
        return None if date is None else date.isoformat()

    def python_from_plaintext(self, text: str) -> datetime.date | None:
        return self.to_python(text)

    def value_to_string(self, obj: models.Model) -> str:
        value = self.value_from_object(obj)
        return "" if value is None else value.isoformat()

    def formfield(self, **kwargs: Any) -> forms.Field | None:
        return super().formfield(**{"form_class": forms.DateField, **kwargs})
