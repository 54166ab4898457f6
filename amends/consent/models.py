"""The consent ledger (G3, G9): append-only entries; the current state is derived.

Withdrawal is a new entry, never an edit, so the history of what someone agreed to, and
when they changed their mind, is never lost. Database triggers are not needed here: no
service updates or deletes an entry, and the admin is read-only.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Participant
from amends.crypto.fields import EncryptedTextField
from amends.people.models import ContactChannel
from amends.programmes.models import InformationSheet, ProcessType


class ConsentScope(models.TextChoices):
    TAKE_PART = "take_part", _("Take part in a process")
    SHARE_INFORMATION = "share", _("Share information with a partner")
    CONTACT = "contact", _("Be contacted on a channel")
    DATA_PROCESSING = "data", _("Processing of their personal data")
    AGREEMENT = "agreement", _("An item of an agreement")


class ConsentKind(models.TextChoices):
    CONSENT = "consent", _("Own consent")
    GUARDIAN = "guardian", _("Guardian's consent")
    ASSENT = "assent", _("Young person's assent")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form (uploaded)")
    ON_SCREEN = "on_screen", _("Signed on screen")
    VERBAL_WITNESSED = "verbal", _("Verbal, with a witness")


class ConsentEntry(models.Model):
    participant = models.ForeignKey(
        Participant, on_delete=models.PROTECT, related_name="consent_entries"
    )
    scope = models.CharField(_("what for"), max_length=12, choices=ConsentScope.choices)
    process_type = models.CharField(
        _("process"), max_length=16, choices=ProcessType.choices, blank=True
    )
    partner = models.CharField(_("partner"), max_length=200, blank=True)
    channel = models.ForeignKey(
        ContactChannel,
        verbose_name=_("channel"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # For scope "agreement": the item of an agreement the person consents to (G11).
    agreement_item = models.ForeignKey(
        "agreements.AgreementItem",
        verbose_name=_("agreement item"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consent_entries",
    )
    is_given = models.BooleanField()
    kind = models.CharField(
        _("whose"), max_length=12, choices=ConsentKind.choices, default=ConsentKind.CONSENT
    )
    # For guardian consent: the guardian participant who gave it.
    given_by = models.ForeignKey(
        Participant, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    sheet = models.ForeignKey(
        InformationSheet, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    method = models.CharField(_("how"), max_length=12, choices=ConsentMethod.choices, blank=True)
    # Names of people: encrypted like every personal field (lengths checked by the service).
    witness = EncryptedTextField(_("witness"), blank=True)
    signature_name = EncryptedTextField(_("name as signed"), blank=True)
    document = models.FileField(_("signed form"), upload_to="consent/%Y/%m/", blank=True)
    valid_until = models.DateField(null=True, blank=True)
    # What the person said when giving or withdrawing, kept with the entry (encrypted).
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["participant", "recorded_at", "id"]
        verbose_name = _("consent entry")
        verbose_name_plural = _("consent entries")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(scope="take_part") | ~models.Q(process_type=""),
                name="consent_take_part_names_process",
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="share") | ~models.Q(partner=""),
                name="consent_share_names_partner",
            ),
            models.CheckConstraint(
                condition=~models.Q(scope="contact") | models.Q(channel__isnull=False),
                name="consent_contact_names_channel",
            ),
            models.CheckConstraint(
                condition=(models.Q(scope="agreement") & models.Q(agreement_item__isnull=False))
                | (~models.Q(scope="agreement") & models.Q(agreement_item__isnull=True)),
                name="consent_agreement_names_item",
            ),
            models.CheckConstraint(
                condition=models.Q(is_given=False)
                | (
                    models.Q(sheet__isnull=False)
                    & ~models.Q(method="")
                    & models.Q(valid_until__isnull=False)
                ),
                name="consent_given_is_informed_and_dated",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent entry #{self.pk}"

    @property
    def subject_key(self) -> tuple[str, str, str, int | None, int | None, str]:
        """Entries with the same key are about the same thing; the latest one counts."""
        return (
            self.scope,
            self.process_type,
            self.partner,
            self.channel_id,
            self.agreement_item_id,
            self.kind,
        )
