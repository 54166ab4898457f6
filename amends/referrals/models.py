"""A referral: who asked for restorative justice, about which offences (DESIGN §2).

Each referral opens a case in the `referred` stage; screening decides its eligibility
under the programme's current policy (G1). The referrer may see the referral's status and
the reason written for them when it is declined, and nothing else of the case.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from amends.core.models import BaseModel
from amends.crypto.fields import EncryptedTextField
from amends.programmes.models import EligibilityPolicy, OffenceCategory, Programme


class SourceType(models.TextChoices):
    POLICE = "police", _("Police")
    COURT = "court", _("Court")
    PROBATION = "probation", _("Probation")
    VICTIM_SERVICE = "victim_service", _("Victim service")
    SCHOOL = "school", _("School")
    SELF = "self", _("Self-referral")
    OTHER = "other", _("Other agency")


class Urgency(models.TextChoices):
    ROUTINE = "routine", _("Routine")
    URGENT = "urgent", _("Urgent")


class Decision(models.TextChoices):
    PENDING = "pending", _("Waiting for screening")
    ACCEPTED = "accepted", _("Accepted")
    ACCEPTED_SPECIALIST = "accepted_specialist", _("Accepted under the specialist protocol")
    DECLINED = "declined", _("Declined")


class JusticeStage(models.TextChoices):
    PRE_CHARGE = "pre_charge", _("Pre-charge")
    PRE_SENTENCE = "pre_sentence", _("Pre-sentence")
    POST_SENTENCE = "post_sentence", _("Post-sentence")
    CUSTODY = "custody", _("In custody")
    NONE = "none", _("No justice proceedings")


class Referral(BaseModel):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="referrals")
    source_type = models.CharField(_("source"), max_length=20, choices=SourceType.choices)
    agency = models.CharField(_("referring agency"), max_length=200, blank=True)
    referrer_name = models.CharField(_("referrer's name"), max_length=200, blank=True)
    referrer_contact = EncryptedTextField(_("referrer's contact details"), blank=True)
    # The signed-in referrer who made it (None when staff entered it, e.g. a self-referral).
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referrals_submitted",
    )
    initial_account = EncryptedTextField(_("what happened, as the referrer tells it"), blank=True)
    urgency = models.CharField(
        _("urgency"), max_length=12, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    crime_reported_on = models.DateField(_("date the crime was reported"), null=True, blank=True)
    enhanced_rights = models.BooleanField(
        _("victim entitled to enhanced rights"),
        default=False,
        help_text=_("Victims of the most serious crime, vulnerable or intimidated victims."),
    )
    evidential_basis_confirmed = models.BooleanField(
        _("the referrer confirms there is an evidential basis"), default=False
    )
    decision = models.CharField(
        _("eligibility decision"), max_length=24, choices=Decision.choices, default=Decision.PENDING
    )
    decision_reasons = models.JSONField(default=list, blank=True)
    decision_policy = models.ForeignKey(
        EligibilityPolicy, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    # Written for the referrer, in words they can pass on; the only case text they see.
    reason_for_referrer = models.TextField(_("reason given to the referrer"), blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        # Issue 6: a programme's recent referrals (dashboard flow figures) and a referrer's
        # own list, newest first, are index range scans at millions of referrals.
        indexes = [
            models.Index(fields=["programme", "created_at"], name="referral_programme_created"),
            models.Index(
                fields=["submitted_by", "-created_at", "-id"], name="referral_by_referrer"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(decision="pending")
                | (models.Q(decided_at__isnull=False) & models.Q(decision_policy__isnull=False)),
                name="referral_decision_records_policy_and_time",
            ),
            models.CheckConstraint(
                condition=~models.Q(decision="declined") | ~models.Q(reason_for_referrer=""),
                name="referral_decline_has_reason_for_referrer",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral #{self.pk}"


class Offence(BaseModel):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="offences")
    category = models.ForeignKey(
        OffenceCategory, verbose_name=_("category"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("date of the offence"), null=True, blank=True)
    police_reference = EncryptedTextField(_("police reference"), blank=True)
    justice_stage = models.CharField(
        _("justice stage"), max_length=16, choices=JusticeStage.choices, default=JusticeStage.NONE
    )

    class Meta:
        ordering = ["referral", "id"]
        verbose_name = _("offence")
        verbose_name_plural = _("offences")

    def __str__(self) -> str:
        return f"Offence #{self.pk}"
