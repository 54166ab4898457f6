"""Onward support: the partner directory and referrals to partners (DESIGN §2).

A partner is an organisation, described by its own public contact details (no personal
data). A referral sends a participant to a partner only with their active consent to
share information with that partner; it then runs a closed loop (sent → accepted or
declined → completed, or withdrawn), each change dated and kept as an event. `status`
is written only by `support.services`.
"""

from __future__ import annotations

from django.conf import settings
from django.conf.locale import LANG_INFO
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from amends.cases.models import Case, Participant
from amends.consent.models import ConsentEntry
from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.programmes.models import Programme


class ServiceType(models.TextChoices):
    COUNSELLING = "counselling", _("Counselling")
    LEGAL_ADVICE = "legal", _("Legal advice")
    HOUSING = "housing", _("Housing")
    MENTAL_HEALTH = "mental_health", _("Mental health")
    SUBSTANCE_USE = "substance_use", _("Substance use")
    DOMESTIC_ABUSE_ADVOCACY = "domestic_abuse", _("Domestic abuse advocacy")
    TRAFFICKING_SURVIVOR_SUPPORT = "trafficking", _("Trafficking survivor support")


class Partner(BaseModel):
    """An organisation participants can be referred to, in one programme's directory."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="partners")
    name = models.CharField(_("organisation"), max_length=200)
    service_types = models.JSONField(_("services"), default=list)
    languages = models.JSONField(_("languages"), default=list)
    regions = models.JSONField(_("regions"), default=list)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    website = models.URLField(_("website"), blank=True)
    address = models.TextField(_("address"), blank=True)
    eligibility_notes = models.TextField(_("who they help"), blank=True)
    is_active = models.BooleanField(_("takes referrals"), default=True)

    class Meta:
        ordering = ["programme", "name", "id"]
        verbose_name = _("support partner")
        verbose_name_plural = _("support partners")
        constraints = [
            models.UniqueConstraint(
                Lower("name"), "programme", name="partner_name_unique_in_programme"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def service_labels(self) -> list[str]:
        return [str(label) for value, label in ServiceType.choices if value in self.service_types]

    @property
    def language_labels(self) -> list[str]:
        """Each language by its English name where Django knows it, else its code."""
        return [str(LANG_INFO.get(code, {}).get("name", code)) for code in self.languages]


class ReferralStatus(models.TextChoices):
    SENT = "sent", _("Sent, waiting for an answer")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined by the partner")
    COMPLETED = "completed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# The closed loop: where each state may go next. The others are final.
NEXT_STATUSES: dict[str, frozenset[str]] = {
    ReferralStatus.SENT: frozenset(
        {ReferralStatus.ACCEPTED, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
}
OPEN_STATUSES = frozenset(NEXT_STATUSES)


class SupportReferral(BaseModel):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="support_referrals")
    participant = models.ForeignKey(
        Participant,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        related_name="support_referrals",
    )
    partner = models.ForeignKey(
        Partner, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="referrals"
    )
    service_type = models.CharField(_("service"), max_length=16, choices=ServiceType.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=ReferralStatus.choices,
        default=ReferralStatus.SENT,
        editable=False,
    )
    # What was asked for and shared, in the referrer's words (encrypted).
    note = EncryptedTextField(_("what was shared"), blank=True)
    # The consent entry the referral relied on (for a minor, the guardian's).
    consent = models.ForeignKey(
        ConsentEntry, on_delete=models.PROTECT, related_name="+", editable=False
    )
    referred_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    sent_on = models.DateField(_("sent on"))
    # The day of the latest change, kept here so lists need no join.
    changed_on = models.DateField(_("last change"))

    class Meta:
        ordering = ["case", "-sent_on", "-id"]
        verbose_name = _("support referral")
        verbose_name_plural = _("support referrals")
        indexes = [models.Index(fields=["status", "sent_on"], name="support_referral_waiting")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(changed_on__gte=models.F("sent_on")),
                name="support_referral_changes_after_sending",
            ),
        ]

    def __str__(self) -> str:
        return f"Support referral #{self.pk}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class ReferralEvent(models.Model):
    """One step of a referral's loop, with the day it happened and who recorded it."""

    referral = models.ForeignKey(SupportReferral, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=12, choices=ReferralStatus.choices)
    happened_on = models.DateField(_("on"))
    note = EncryptedTextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["referral", "happened_on", "created_at", "id"]
        verbose_name = _("support referral event")
        verbose_name_plural = _("support referral events")

    def __str__(self) -> str:
        return f"Support referral event #{self.pk}"
