"""A person and their contact channels. Personal fields are encrypted at rest (DESIGN §4).

Names, phone numbers and e-mail addresses are found through blind indexes stored next
to the encrypted values; `services.py` computes them, so it is the only writer.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.models import BaseModel
from amends.crypto.blind_index import BlindIndexField
from amends.crypto.fields import EncryptedDateField, EncryptedTextField


class Gender(models.TextChoices):
    """A facilitator's gender as they state it, and the gender a participant may ask their
    facilitator to be."""

    WOMAN = "woman", _("Woman")
    MAN = "man", _("Man")
    NON_BINARY = "non_binary", _("Non-binary")


class Person(BaseModel):
    """Someone taking part in a case: a person harmed, a person responsible, a supporter."""

    given_name = EncryptedTextField(_("given name"))
    family_name = EncryptedTextField(_("family name"), blank=True)
    date_of_birth = EncryptedDateField(_("date of birth"), null=True, blank=True)
    pronouns = EncryptedTextField(_("pronouns"), blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        blank=True,
        help_text=_("ISO 639-1 code, optionally with a region or script, e.g. “cy” or “pt-br”."),
    )
    interpreter_needed = models.BooleanField(_("interpreter needed"), default=False)
    accessibility_needs = EncryptedTextField(_("accessibility needs"), blank=True)
    # Blind indexes over "given family" and "given family|date of birth" ('' without one).
    name_index = BlindIndexField()
    name_dob_index = BlindIndexField()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self) -> str:
        # Never the name: __str__ ends up in logs, error reports and audit labels.
        return f"Person #{self.pk}"


class ContactChannel(BaseModel):
    """One way of reaching a person, and whether it is safe to use (e.g. not a shared phone)."""

    class Kind(models.TextChoices):
        PHONE = "phone", _("Phone")
        EMAIL = "email", _("E-mail")
        POST = "post", _("Post")
        OTHER = "other", _("Other")

    person = models.ForeignKey(
        Person, verbose_name=_("person"), on_delete=models.CASCADE, related_name="channels"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    value = EncryptedTextField(_("value"))
    # Phone numbers and e-mail addresses only; '' for the other kinds.
    value_index = BlindIndexField()
    # No default on purpose: whether a channel is safe must be a decision, never an
    # assumption (a message to an abuser's shared phone can put someone in danger).
    is_safe = models.BooleanField(_("safe to use"))
    safe_times = EncryptedTextField(_("safe times"), blank=True)
    notes = EncryptedTextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("contact channel")
        verbose_name_plural = _("contact channels")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} channel #{self.pk}"
